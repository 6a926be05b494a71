//! Exports chartkit:engine/plugin@9.0.0, a major version no host knows yet.

wit_bindgen::generate!({
    path: "../wit-v9",
    world: "engine",
});

struct Future;

impl exports::chartkit::engine::plugin::Guest for Future {
    fn describe() -> String {
        "from the future".into()
    }
}

export!(Future);
