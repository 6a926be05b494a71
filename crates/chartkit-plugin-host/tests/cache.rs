//! The compiled-component cache: hits after a store, refuses entries others could have written.

mod common;

use chartkit_plugin_host::{Cache, CacheOutcome, HostConfig, Limits, PluginHost};

fn host_with(cache: &Cache) -> PluginHost {
    PluginHost::new(HostConfig {
        limits: Limits::default(),
        cache: Some(cache.clone()),
    })
    .unwrap()
}

#[test]
fn second_load_hits_the_cache() {
    let Some(path) = common::component("elasticsearch") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("plugins"));
    let first = host_with(&cache).load_file(&path).unwrap();
    assert_eq!(first.report().cache, CacheOutcome::Stored);
    let second = host_with(&cache).load_file(&path).unwrap();
    assert_eq!(second.report().cache, CacheOutcome::Hit);
    assert_eq!(second.report().digest, first.report().digest);
    assert_eq!(second.info(), first.info());
    let disabled = PluginHost::new(HostConfig::default())
        .unwrap()
        .load_file(&path)
        .unwrap();
    assert_eq!(disabled.report().cache, CacheOutcome::Disabled);
}

#[cfg(unix)]
#[test]
fn entries_writable_by_others_are_refused_and_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let Some(path) = common::component("elasticsearch") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("plugins"));
    let plugin = host_with(&cache).load_file(&path).unwrap();
    let entries: Vec<_> = std::fs::read_dir(cache.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let mode = std::fs::metadata(&entries[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::set_permissions(&entries[0], std::fs::Permissions::from_mode(0o666)).unwrap();
    let again = host_with(&cache).load_file(&path).unwrap();
    let CacheOutcome::Refused(reason) = &again.report().cache else {
        panic!("{:?}", again.report().cache)
    };
    assert!(reason.contains("writable by other users"), "{reason}");
    // Replaced by a fresh, private entry.
    let mode = std::fs::metadata(&entries[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        host_with(&cache).load_file(&path).unwrap().report().cache,
        CacheOutcome::Hit
    );
    drop(plugin);
}

#[test]
fn corrupt_entries_are_refused() {
    let Some(path) = common::component("elasticsearch") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("plugins"));
    host_with(&cache).load_file(&path).unwrap();
    let entry = std::fs::read_dir(cache.dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&entry, b"not an ELF file").unwrap();
    let again = host_with(&cache).load_file(&path).unwrap();
    assert!(
        matches!(again.report().cache, CacheOutcome::Refused(_)),
        "{:?}",
        again.report().cache
    );
}
