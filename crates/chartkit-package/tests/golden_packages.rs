//! Our archives against real `helm package` (v4.1.4) output: the five
//! golden archives in ../shared/corpus/packages were made from the corpus
//! charts; decompressed, every tar header (but mtime) and every file's
//! contents must be the same. Also: two runs are byte-identical.

use std::io::Read;
use std::path::{Path, PathBuf};

use chartkit_package::{PackageOptions, package};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.is_dir().then_some(p)
}

/// (golden archive, corpus chart directory)
const CASES: &[(&str, &str)] = &[
    ("elasticsearch-8.5.1.tgz", "elastic-elasticsearch"),
    ("etcd-12.0.20.tgz", "bitnami-etcd"),
    ("ingress-nginx-4.15.1.tgz", "ingress-nginx"),
    ("mongodb-17.0.2.tgz", "bitnami-mongodb"),
    ("vault-0.34.1.tgz", "hashicorp-vault"),
];

#[derive(Debug, PartialEq, Eq, Clone)]
struct Entry {
    name: String,
    /// The 512-byte header with mtime and checksum blanked.
    header: Vec<u8>,
    data: Vec<u8>,
}

fn entries(tgz: &[u8]) -> Vec<Entry> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(tgz)
        .read_to_end(&mut raw)
        .unwrap();
    let mut out = Vec::new();
    let mut ar = tar::Archive::new(&raw[..]);
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = String::from_utf8(e.path_bytes().to_vec()).unwrap();
        let mut header = e.header().as_bytes().to_vec();
        header[136..156].fill(b' ');
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push(Entry { name, header, data });
    }
    out
}

/// The root chart's own entries (before the first subchart) keep Helm's
/// order; subchart entries are compared as a sorted set because Helm
/// writes subcharts in Go map order, which changes between runs.
fn split_root(v: &[Entry], chart: &str) -> (Vec<Entry>, Vec<Entry>) {
    let sub = format!("{chart}/charts/");
    let first_sub = v
        .iter()
        .position(|e| e.name.starts_with(&sub) && e.name[sub.len()..].contains('/'));
    let (a, b) = v.split_at(first_sub.unwrap_or(v.len()));
    let mut b = b.to_vec();
    b.sort_by(|x, y| x.name.cmp(&y.name).then(x.data.cmp(&y.data)));
    (a.to_vec(), b)
}

#[test]
fn archives_match_helm_package() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (golden, dir) in CASES {
        let want = std::fs::read(corpus.join("packages").join(golden)).unwrap();
        let opts = PackageOptions {
            dest: Some(tmp.path().to_path_buf()),
            mtime: Some(0),
            ..Default::default()
        };
        let path = package(&corpus.join("charts").join(dir), &opts).unwrap();
        assert_eq!(path.file_name().unwrap().to_str().unwrap(), *golden);
        let got = std::fs::read(&path).unwrap();
        // Same gzip header as Helm's up to the compressed data.
        assert_eq!(got[..58], want[..58], "{golden}: gzip header");
        let chart = golden.rsplit_once('-').unwrap().0;
        let (gr, gs) = split_root(&entries(&got), chart);
        let (wr, ws) = split_root(&entries(&want), chart);
        let names = |v: &[Entry]| v.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&gr), names(&wr), "{golden}: root entries");
        for (g, w) in gr.iter().zip(&wr).chain(gs.iter().zip(&ws)) {
            assert_eq!(g.header, w.header, "{golden}: header of {}", g.name);
            assert!(
                g.data == w.data,
                "{golden}: contents of {}:\n--- ours\n{}\n--- helm\n{}",
                g.name,
                String::from_utf8_lossy(&g.data),
                String::from_utf8_lossy(&w.data)
            );
        }
        assert_eq!(names(&gs), names(&ws), "{golden}: subchart entries");
        checked += 1;
    }
    assert_eq!(checked, CASES.len());
}

#[test]
fn packaging_twice_is_byte_identical() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (_, dir) in CASES {
        let src = corpus.join("charts").join(dir);
        let pa = package(
            &src,
            &PackageOptions {
                dest: Some(a.path().into()),
                mtime: Some(1_700_000_000),
                ..Default::default()
            },
        )
        .unwrap();
        let pb = package(
            &src,
            &PackageOptions {
                dest: Some(b.path().into()),
                mtime: Some(1_700_000_000),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            std::fs::read(pa).unwrap(),
            std::fs::read(pb).unwrap(),
            "{dir}"
        );
    }
}
