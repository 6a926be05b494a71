//! `repo index` against `helm repo index` (v4.1.4) on the same
//! directory: identical text once the times Helm takes from the clock
//! are masked; and with SOURCE_DATE_EPOCH our output is reproducible.

#[path = "../../../tests/registry/registry.rs"]
mod registry;

use std::path::{Path, PathBuf};

use chartkit_package::gotime::GoTime;
use chartkit_package::index::{IndexOptions, repo_index};
use chartkit_package::{PackageOptions, package};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.is_dir().then_some(p)
}

/// A repository directory: the golden archives, chartkit-made archives of
/// one chart in several versions (one in a subdirectory, one with build
/// metadata), and a broken file Helm skips.
fn make_repo(root: &Path, corpus: &Path) -> PathBuf {
    let dir = root.join("repo");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for e in std::fs::read_dir(corpus.join("packages")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let chart = root.join("src/demo");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: \"yes: <quoted> & odd\"\nkeywords: [a, \"on\"]\nannotations:\n  x: \"1\"\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/a.yaml"), "a: 1\n").unwrap();
    for (v, dest) in [
        ("0.1.0", "."),
        ("1.0.0+build.1", "sub"),
        ("0.10.0", "."),
        ("1.0", "sub"),
    ] {
        package(
            &chart,
            &PackageOptions {
                dest: Some(dir.join(dest)),
                version: Some(v.into()),
                mtime: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
    }
    std::fs::write(dir.join("broken.tgz"), "not a chart").unwrap();
    dir
}

fn mask_times(s: &str) -> String {
    s.lines()
        .map(|l| {
            let t = l.trim_start();
            for key in [
                "created: ",
                "generated: ",
                "\"created\": ",
                "\"generated\": ",
            ] {
                if t.starts_with(key) {
                    let indent = &l[..l.len() - t.len()];
                    let comma = if t.ends_with(',') { "," } else { "" };
                    return format!("{indent}{key}TIME{comma}");
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run_helm(helm: &Path, home: &Path, args: &[&str]) {
    let out = registry::helm_command(helm, home)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "helm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn index_matches_helm_repo_index() {
    let helm = match registry::reference_helm() {
        Ok(h) => h,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("helm-home");
    let dir = make_repo(tmp.path(), &corpus);
    let now = Some(GoTime::utc(1_700_000_000, 0));
    let mut warnings = Vec::new();
    for (url, json) in [
        ("", false),
        ("https://charts.example.org/stable/", false),
        ("https://e.org", true),
    ] {
        let mut args = vec!["repo", "index", dir.to_str().unwrap()];
        if !url.is_empty() {
            args.extend(["--url", url]);
        }
        if json {
            args.push("--json");
        }
        run_helm(&helm, &home, &args);
        let theirs = std::fs::read_to_string(dir.join("index.yaml")).unwrap();
        let opts = IndexOptions {
            url: url.into(),
            json,
            now,
            ..Default::default()
        };
        let path = repo_index(&dir, &opts, &mut warnings).unwrap();
        let ours = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            mask_times(&ours),
            mask_times(&theirs),
            "--url {url:?} json={json}"
        );
        assert!(ours.contains("2023-11-14T22:13:20Z"));
    }

    // --merge: an older index of another directory, merged by both tools.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(dir.join("demo-0.1.0.tgz"), other.join("demo-0.1.0.tgz")).unwrap();
    std::fs::copy(
        corpus.join("packages/vault-0.34.1.tgz"),
        other.join("vault-0.34.1.tgz"),
    )
    .unwrap();
    let c = tmp.path().join("src/demo");
    package(
        &c,
        &PackageOptions {
            dest: Some(other.clone()),
            version: Some("9.9.9".into()),
            mtime: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    run_helm(
        &helm,
        &home,
        &[
            "repo",
            "index",
            other.to_str().unwrap(),
            "--url",
            "https://old.example.org",
        ],
    );
    let merge_file = tmp.path().join("old-index.yaml");
    std::fs::rename(other.join("index.yaml"), &merge_file).unwrap();
    run_helm(
        &helm,
        &home,
        &[
            "repo",
            "index",
            dir.to_str().unwrap(),
            "--merge",
            merge_file.to_str().unwrap(),
        ],
    );
    let theirs = std::fs::read_to_string(dir.join("index.yaml")).unwrap();
    let opts = IndexOptions {
        merge: Some(merge_file.clone()),
        now,
        ..Default::default()
    };
    repo_index(&dir, &opts, &mut warnings).unwrap();
    let ours = std::fs::read_to_string(dir.join("index.yaml")).unwrap();
    assert_eq!(mask_times(&ours), mask_times(&theirs), "--merge");
    assert!(ours.contains("https://old.example.org/demo-9.9.9.tgz"));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn index_is_reproducible_with_a_fixed_clock() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = make_repo(tmp.path(), &corpus);
    let opts = IndexOptions {
        now: Some(GoTime::utc(0, 0)),
        ..Default::default()
    };
    let mut w = Vec::new();
    let a = std::fs::read(repo_index(&dir, &opts, &mut w).unwrap()).unwrap();
    let b = std::fs::read(repo_index(&dir, &opts, &mut w).unwrap()).unwrap();
    assert_eq!(a, b);
    let text = String::from_utf8(a).unwrap();
    assert!(
        text.starts_with("apiVersion: v1\nentries:\n  demo:\n  - annotations:\n"),
        "{text}"
    );
    // Newest first: 1.0.0+build.1, 1.0, 0.10.0, 0.1.0.
    let order: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("    version: ") && text.contains("demo"))
        .take(4)
        .collect();
    assert_eq!(
        order,
        [
            "    version: 1.0.0+build.1",
            "    version: \"1.0\"",
            "    version: 0.10.0",
            "    version: 0.1.0"
        ]
    );
}
