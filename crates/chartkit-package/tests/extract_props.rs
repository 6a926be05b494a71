//! Extraction never panics and never writes outside its target, whatever
//! the input; gzip bombs stop at Helm's limit.

use std::io::Write;
use std::path::Path;

use chartkit_package::extract::{ExtractError, expand};
use chartkit_package::tarball::{TarWriter, gzip_helm};
use proptest::prelude::*;

/// Every file under `root`, relative.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            assert!(
                !meta.file_type().is_symlink(),
                "symlink created: {}",
                p.display()
            );
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    out
}

fn tar_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = TarWriter::new();
    for (n, d) in entries {
        if w.append_file(n, d, 0).is_err() {
            continue;
        }
    }
    gzip_helm(&w.finish()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("t");
        let _ = expand(&target, &data);
        for f in files_under(root.path()) {
            prop_assert!(f.starts_with("t/"), "{f}");
        }
    }

    #[test]
    fn arbitrary_names_stay_inside(
        names in proptest::collection::vec("[a-z./\\\\]{0,12}(/[a-z.]{0,6}){0,4}", 1..8),
        chart_name in "[a-z.]{1,4}",
    ) {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("t");
        let mut entries = vec![(
            "x/Chart.yaml".to_string(),
            format!("name: {chart_name}\nversion: 1.0.0\n").into_bytes(),
        )];
        entries.extend(names.into_iter().map(|n| (n, b"data".to_vec())));
        let result = expand(&target, &tar_of(&entries));
        for f in files_under(root.path()) {
            prop_assert!(f.starts_with("t/"), "{f} escaped");
        }
        if let Ok(dir) = result {
            prop_assert!(dir.starts_with(&target));
            prop_assert!(dir != target);
        }
    }

    #[test]
    fn raw_tar_headers_never_panic(
        name in proptest::collection::vec(any::<u8>(), 1..120),
        typeflag in any::<u8>(),
        size in 0u64..5000,
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        // A hand-made header block (any typeflag: symlinks, hard links,
        // devices...) after a valid Chart.yaml.
        let mut w = TarWriter::new();
        w.append_file("c/Chart.yaml", b"name: c\n", 0).unwrap();
        let mut tar = w.finish();
        tar.truncate(tar.len() - 1024);
        let mut h = [0u8; 512];
        let n = name.len().min(100);
        h[..n].copy_from_slice(&name[..n]);
        h[100..108].copy_from_slice(b"0000644\0");
        h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
        h[156] = typeflag;
        h[157..161].copy_from_slice(b"/etc");
        h[257..265].copy_from_slice(b"ustar\x0000");
        let sum: u32 = h.iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { 32 } else { u32::from(*b) }).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        tar.extend_from_slice(&h);
        tar.extend_from_slice(&body);
        tar.resize(tar.len() + 2048, 0);
        let gz = gzip_helm(&tar).unwrap();
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("t");
        let _ = expand(&target, &gz);
        for f in files_under(root.path()) {
            prop_assert!(f.starts_with("t/"), "{f} escaped");
        }
    }
}

#[test]
fn gzip_bomb_stops_at_the_chart_limit() {
    // 26 files of 4 MiB of zeros: each under the 5 MiB file limit, 104 MiB
    // in all, a few hundred KiB compressed.
    let zeros = vec![0u8; 4 * 1024 * 1024];
    let mut w = TarWriter::new();
    w.append_file("c/Chart.yaml", b"name: c\n", 0).unwrap();
    for i in 0..26 {
        w.append_file(&format!("c/f{i}"), &zeros, 0).unwrap();
    }
    let tar = w.finish();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&tar).unwrap();
    let gz = enc.finish().unwrap();
    assert!(gz.len() < 2 * 1024 * 1024);
    let root = tempfile::tempdir().unwrap();
    let e = expand(root.path(), &gz).unwrap_err();
    assert!(matches!(e, ExtractError::Archive(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "decompressed chart is larger than the maximum size 104857600"
    );
    assert!(files_under(root.path()).is_empty());
}

#[test]
fn symlink_entries_become_empty_files() {
    let mut w = TarWriter::new();
    w.append_file("c/Chart.yaml", b"name: c\n", 0).unwrap();
    let mut tar = w.finish();
    tar.truncate(tar.len() - 1024);
    let mut h = [0u8; 512];
    h[..6].copy_from_slice(b"c/link");
    h[100..108].copy_from_slice(b"0000777\0");
    h[124..136].copy_from_slice(b"00000000000\0");
    h[156] = b'2';
    h[157..168].copy_from_slice(b"/etc/passwd");
    h[257..265].copy_from_slice(b"ustar\x0000");
    let sum: u32 = h
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(*b)
            }
        })
        .sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    tar.extend_from_slice(&h);
    tar.resize(tar.len() + 1024, 0);
    let root = tempfile::tempdir().unwrap();
    let dir = expand(root.path(), &gzip_helm(&tar).unwrap()).unwrap();
    let meta = std::fs::symlink_metadata(dir.join("link")).unwrap();
    assert!(meta.is_file());
    assert_eq!(meta.len(), 0);
}
