//! Against a real registry (Debian's docker-registry on loopback) and the
//! reference Helm v4.1.4: chartkit push → helm pull, helm push → chartkit
//! pull, the same manifest bytes for the same archive, plugin artifacts
//! and the plugin store. Each test prints why and returns when the
//! registry binary (or Helm) is missing.

#[path = "../../../tests/registry/registry.rs"]
mod registry;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chartkit_package::oci::{
    self, Client, ClientOptions, CredentialStore, PluginArtifact, PullOptions, PushOptions,
};
use chartkit_package::{PackageOptions, package};
use registry::Registry;

fn client() -> Client {
    Client::new(ClientOptions {
        plain_http: true,
        credentials: Some(CredentialStore::default()),
        ..Default::default()
    })
    .unwrap()
}

fn start() -> Option<Registry> {
    match Registry::start() {
        Ok(r) => Some(r),
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// A small chart with a `+build` version (tag `_` conversion) and
/// annotations.
fn make_chart(root: &Path, name: &str, version: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!(
            "apiVersion: v2\nname: {name}\nversion: {version}\ndescription: test <chart> & more\nhome: https://example.org\nsources: [https://example.org/src]\nmaintainers:\n- name: Ann\n  email: ann@example.org\nannotations:\n  example.org/x: y\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "replicas: 1\n").unwrap();
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  r: {{ .Values.replicas | quote }}\n",
    )
    .unwrap();
    dir
}

fn set_mtime(p: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap();
}

#[test]
fn chartkit_push_pull_round_trip() {
    let Some(reg) = start() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let chart = make_chart(tmp.path(), "demo", "1.2.3+build.7");
    let archive = package(
        &chart,
        &PackageOptions {
            dest: Some(tmp.path().join("dist")),
            mtime: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    let c = client();
    let pushed = oci::push_chart(
        &c,
        &archive,
        &format!("{}/charts", reg.oci_url()),
        &PushOptions {
            created: Some("2025-01-01T00:00:00Z".into()),
        },
    )
    .unwrap_or_else(|e| panic!("push: {e}\n{}", reg.log()));
    assert_eq!(
        pushed.reference,
        format!("{}/charts/demo:1.2.3_build.7", reg.addr)
    );
    let out = pushed.helm_output();
    assert!(out.starts_with(&format!(
        "Pushed: {}/charts/demo:1.2.3_build.7\nDigest: sha256:",
        reg.addr
    )));
    assert!(out.contains("contains an underscore."));

    // Pull it back by version, by constraint, and by the reference's tag.
    for (r, v) in [
        (
            format!("{}/charts/demo", reg.oci_url()),
            Some("1.2.3+build.7"),
        ),
        (format!("{}/charts/demo", reg.oci_url()), Some("^1.0.0")),
        (format!("{}/charts/demo", reg.oci_url()), None),
    ] {
        let dest = tempfile::tempdir().unwrap();
        let pulled = oci::pull_chart(
            &c,
            &r,
            &PullOptions {
                version: v.map(str::to_string),
                dest: Some(dest.path().into()),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("pull {r} {v:?}: {e}"));
        assert_eq!(pulled.manifest_digest, pushed.manifest_digest);
        assert_eq!(
            std::fs::read(&pulled.path).unwrap(),
            std::fs::read(&archive).unwrap()
        );
        assert_eq!(pulled.config["name"], "demo");
    }
    // --untar expands the chart.
    let dest = tempfile::tempdir().unwrap();
    let pulled = oci::pull_chart(
        &c,
        &format!("{}/charts/demo", reg.oci_url()),
        &PullOptions {
            version: Some("1.2.3+build.7".into()),
            dest: Some(dest.path().into()),
            untar: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(pulled.path, dest.path().join("demo"));
    assert!(pulled.path.join("templates/cm.yaml").is_file());

    // Unknown versions and repositories: clear errors.
    let e = oci::pull_chart(
        &c,
        &format!("{}/charts/demo", reg.oci_url()),
        &PullOptions {
            version: Some("^9".into()),
            dest: Some(dest.path().into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "could not locate a version matching provided version string ^9"
    );
    let e = oci::pull_chart(
        &c,
        &format!("{}/charts/nope", reg.oci_url()),
        &PullOptions {
            version: Some("1.0.0".into()),
            dest: Some(dest.path().into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("response status code 404"), "{e}");
}

#[test]
fn helm_interop_both_ways() {
    let Some(reg) = start() else { return };
    let helm = match registry::reference_helm() {
        Ok(h) => h,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("helm-home");
    let chart = make_chart(tmp.path(), "interop", "0.3.0");
    let archive = package(
        &chart,
        &PackageOptions {
            dest: Some(tmp.path().join("dist")),
            mtime: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    set_mtime(&archive, 1_700_000_000);
    let c = client();

    // 1. chartkit push → helm pull gets the same archive.
    let pushed = oci::push_chart(
        &c,
        &archive,
        &format!("{}/ck", reg.oci_url()),
        &PushOptions::default(),
    )
    .unwrap();
    let dest = tmp.path().join("helm-pulled");
    std::fs::create_dir_all(&dest).unwrap();
    let out = registry::helm_command(&helm, &home)
        .args([
            "pull",
            &format!("{}/ck/interop", reg.oci_url()),
            "--version",
            "0.3.0",
            "--plain-http",
            "-d",
        ])
        .arg(&dest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm pull: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let helm_says = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        helm_says.contains(&format!("Digest: {}", pushed.manifest_digest)),
        "{helm_says}"
    );
    assert_eq!(
        std::fs::read(dest.join("interop-0.3.0.tgz")).unwrap(),
        std::fs::read(&archive).unwrap()
    );

    // 2. helm push of the same file (same mtime) → the very same manifest
    //    bytes, so the same digest; its output lines equal ours.
    let out = registry::helm_command(&helm, &home)
        .env("TZ", "UTC")
        .args(["push"])
        .arg(&archive)
        .args([&format!("{}/hm", reg.oci_url()), "--plain-http"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm push: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let helm_out = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let ours = oci::push_chart(
        &c,
        &archive,
        &format!("{}/hm", reg.oci_url()),
        &PushOptions::default(),
    )
    .unwrap();
    assert_eq!(ours.manifest_digest, pushed.manifest_digest);
    assert_eq!(helm_out, ours.helm_output(), "helm push output vs ours");

    // 3. helm push of a helm-made package → chartkit pull gets it intact.
    let helm_dist = tmp.path().join("helm-dist");
    let chart2 = make_chart(tmp.path(), "fromhelm", "2.0.0-rc.1+meta");
    let out = registry::helm_command(&helm, &home)
        .arg("package")
        .arg(&chart2)
        .arg("-d")
        .arg(&helm_dist)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm package: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let helm_archive = helm_dist.join("fromhelm-2.0.0-rc.1+meta.tgz");
    let out = registry::helm_command(&helm, &home)
        .arg("push")
        .arg(&helm_archive)
        .args([&format!("{}/hm", reg.oci_url()), "--plain-http"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm push: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dest = tempfile::tempdir().unwrap();
    let pulled = oci::pull_chart(
        &c,
        &format!("{}/hm/fromhelm", reg.oci_url()),
        &PullOptions {
            version: Some("2.0.0-rc.1+meta".into()),
            dest: Some(dest.path().into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        pulled.path.file_name().unwrap(),
        "fromhelm-2.0.0-rc.1+meta.tgz"
    );
    assert_eq!(
        std::fs::read(&pulled.path).unwrap(),
        std::fs::read(&helm_archive).unwrap()
    );
    let helm_lines =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(helm_lines.contains(&pulled.manifest_digest), "{helm_lines}");

    // 4. helm pull of what helm pushed prints the lines our pull prints.
    std::fs::create_dir_all(tmp.path().join("hp2")).unwrap();
    let out = registry::helm_command(&helm, &home)
        .args([
            "pull",
            &format!("{}/hm/fromhelm", reg.oci_url()),
            "--version",
            "2.0.0-rc.1+meta",
            "--plain-http",
            "-d",
        ])
        .arg(tmp.path().join("hp2"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let helm_pull =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(helm_pull, pulled.helm_output());
}

#[test]
fn plugin_push_pull_install() {
    let Some(reg) = start() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let component = b"\0asm\x0d\x00\x01\x00fake component bytes".to_vec();
    let manifest = b"name = \"demo-engine\"\nversion = \"0.2.0+x\"\ndescription = \"test\"\nlanguage = \"rust\"\ninterface = \"0.1.0\"\nengines = [\"demo >=1\"]\n".to_vec();
    let artifact = PluginArtifact::new(component.clone(), manifest.clone(), None).unwrap();
    let c = client();
    let pushed = oci::push_plugin(
        &c,
        &artifact,
        &format!("{}/plugins/demo-engine", reg.oci_url()),
    )
    .unwrap();
    assert_eq!(
        pushed.reference,
        format!("{}/plugins/demo-engine:0.2.0_x", reg.addr)
    );

    let pulled = oci::pull_plugin(
        &c,
        &format!("{}/plugins/demo-engine:0.2.0_x", reg.oci_url()),
    )
    .unwrap();
    assert_eq!(pulled.component, component);
    assert_eq!(pulled.manifest, manifest);
    assert_eq!(pulled.manifest_digest, pushed.manifest_digest);

    // Install by manifest digest into a fresh store, twice (idempotent).
    let store = tmp.path().join("store");
    let by_digest = format!(
        "{}/plugins/demo-engine@{}",
        reg.oci_url(),
        pushed.manifest_digest
    );
    let installed = oci::install_plugin(&c, &by_digest, Some(&store)).unwrap();
    assert_eq!(installed.digest, pushed.component_digest);
    assert_eq!(
        installed.dir,
        store
            .join("demo-engine")
            .join(pushed.component_digest.replace(':', "-"))
    );
    assert_eq!(std::fs::read(&installed.component).unwrap(), component);
    assert_eq!(
        std::fs::read(store.join("demo-engine/demo-engine.wasm")).unwrap(),
        component
    );
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("demo-engine/demo-engine.json")).unwrap())
            .unwrap();
    assert_eq!(record["digest"], pushed.component_digest.as_str());
    // A corrupted store entry is detected and replaced on reinstall.
    std::fs::write(&installed.component, b"tampered").unwrap();
    assert!(oci::verify_installed(&installed.dir).is_err());
    let again = oci::install_plugin(&c, &by_digest, Some(&store)).unwrap();
    assert_eq!(again, installed);
    assert_eq!(std::fs::read(&installed.component).unwrap(), component);

    // A chart artifact is not a plugin.
    let chart = make_chart(tmp.path(), "notaplugin", "1.0.0");
    let archive = package(
        &chart,
        &PackageOptions {
            dest: Some(tmp.path().into()),
            mtime: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    oci::push_chart(
        &c,
        &archive,
        &format!("{}/plugins", reg.oci_url()),
        &PushOptions::default(),
    )
    .unwrap();
    let e =
        oci::pull_plugin(&c, &format!("{}/plugins/notaplugin:1.0.0", reg.oci_url())).unwrap_err();
    assert!(e.to_string().contains("is not a chartkit plugin"), "{e}");
}
