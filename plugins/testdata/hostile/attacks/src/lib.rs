//! A plugin that attacks its host, one way per `settings.attack`.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "engine",
});

use exports::chartkit::engine::plugin::{self as wit, Guest};

struct Hostile;

fn attack(settings: &str) -> String {
    // A tiny parser: settings is `{"attack":"<name>"}`.
    settings.split('"').nth(3).unwrap_or("").to_string()
}

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    std::hint::black_box(recurse(std::hint::black_box(depth + 1))) + 1
}

fn probe() -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!(
        "read /etc/passwd: {:?}",
        std::fs::read("/etc/passwd")
            .map(|b| b.len())
            .map_err(|e| e.kind())
    ));
    out.push(format!(
        "read_dir /: {:?}",
        std::fs::read_dir("/")
            .map(|d| d.count())
            .map_err(|e| e.kind())
    ));
    out.push(format!(
        "read_dir .: {:?}",
        std::fs::read_dir(".")
            .map(|d| d.count())
            .map_err(|e| e.kind())
    ));
    out.push(format!(
        "write /tmp/x: {:?}",
        std::fs::write("/tmp/chartkit-hostile", b"x").map_err(|e| e.kind())
    ));
    out.push(format!("env: {:?}", std::env::vars().collect::<Vec<_>>()));
    out.push(format!("args: {:?}", std::env::args().collect::<Vec<_>>()));
    out.push(format!(
        "cwd: {:?}",
        std::env::current_dir().map_err(|e| e.kind())
    ));
    out.push(format!(
        "tcp 127.0.0.1:22: {:?}",
        std::net::TcpStream::connect("127.0.0.1:22")
            .map(|_| ())
            .map_err(|e| e.kind())
    ));
    out.push(format!(
        "dns localhost: {:?}",
        std::net::ToSocketAddrs::to_socket_addrs("localhost:80")
            .map(|a| a.count())
            .map_err(|e| e.kind())
    ));
    out.push(format!(
        "udp bind: {:?}",
        std::net::UdpSocket::bind("0.0.0.0:0")
            .map(|_| ())
            .map_err(|e| e.kind())
    ));
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs());
    out.push(format!("wall clock: {wall:?}"));
    let t0 = std::time::Instant::now();
    let t1 = std::time::Instant::now();
    out.push(format!("monotonic step: {:?}", t1.duration_since(t0)));
    let mut random = [0u8; 8];
    let hm: std::collections::HashMap<u8, u8> = (0..8).map(|i| (i, i)).collect();
    random.iter_mut().zip(hm.keys()).for_each(|(r, k)| *r = *k);
    out.push(format!("hashmap order (seeded by random): {random:?}"));
    out
}

impl Guest for Hostile {
    fn describe() -> wit::Info {
        wit::Info {
            name: "hostile".into(),
            version: "0.1.0".into(),
            engines: vec![],
            interface_version: "0.1.0".into(),
            description: "misbehaves on purpose".into(),
        }
    }

    fn seed_list(t: wit::Topology) -> Result<Vec<String>, wit::Error> {
        match attack(&t.settings).as_str() {
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "alloc" => {
                let v = vec![1u8; 1 << 30];
                Ok(vec![v.len().to_string()])
            }
            "huge" => Ok(vec!["x".repeat(40 << 20)]),
            "many" => Ok(vec![String::new(); 2_000_000]),
            "panic" => panic!("hostile plugin panicked on purpose"),
            "abort" => std::process::abort(),
            "stack" => Ok(vec![recurse(0).to_string()]),
            "read-file" => {
                let text = std::fs::read_to_string("/etc/passwd").expect("reading /etc/passwd");
                Ok(vec![text])
            }
            "sleep" => {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                Ok(vec!["woke up".into()])
            }
            "probe" => Ok(probe()),
            other => Err(wit::Error::Other(format!("unknown attack {other:?}"))),
        }
    }

    fn configure(_: wit::Topology) -> Result<wit::MemberConfig, wit::Error> {
        Ok(wit::MemberConfig {
            env: vec![],
            args: vec![],
            config: vec![],
        })
    }

    fn post_install(_: wit::Topology) -> Result<Vec<wit::Step>, wit::Error> {
        Ok(vec![])
    }

    fn lint(_: wit::Topology, _: String) -> Vec<wit::Finding> {
        vec![]
    }
}

export!(Hostile);
