//! Chart archives (`.tgz`): gzip + tar read into memory with Helm's checks
//! (package `pkg/chart/loader/archive`).
//!
//! Nothing is ever written to disk. Entry names lose their first path
//! component (the chart directory inside the archive), are normalised to
//! `/`, cleaned, and refused when absolute, outside the base directory or
//! drive-lettered. Sizes are bounded while decompressing, so a gzip bomb
//! stops at [`MAX_DECOMPRESSED_CHART_SIZE`] bytes of output.
//!
//! Like Helm, non-regular tar entries other than directories and PAX
//! headers (symlinks, hard links, devices, FIFOs) are read as files with
//! empty contents: they can never point outside the archive because
//! nothing is extracted.

use std::io::Read;
use std::time::{Duration, SystemTime};

use thiserror::Error;

/// Largest total decompressed size of a chart archive (Helm: 100 MiB).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// Largest decompressed size of one file (Helm: 5 MiB).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// A file read from a chart directory or archive, not yet classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedFile {
    /// Slash-separated path relative to the chart root.
    pub name: String,
    /// Modification time, when known.
    pub mod_time: Option<SystemTime>,
    /// Contents, with a leading UTF-8 BOM removed.
    pub data: Vec<u8>,
}

/// Errors reading an archive. Texts are Helm's where Helm has one.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// The input is not gzip data (Go's `gzip.ErrHeader`).
    #[error("gzip: invalid header")]
    GzipHeader,
    /// An entry name is absolute.
    #[error("chart illegally contains absolute paths")]
    AbsolutePath,
    /// An entry name cleans to the base directory itself.
    #[error("chart illegally contains content outside the base directory: {0:?}")]
    OutsideBase(String),
    /// An entry name climbs out with `..`.
    #[error("chart illegally references parent directory")]
    ParentDirectory,
    /// An entry name looks like a Windows drive path.
    #[error("chart contains illegally named files")]
    IllegalName,
    /// `Chart.yaml` sits at the archive's top level instead of in a directory.
    #[error("chart yaml not in base directory")]
    ChartYamlNotInBase,
    /// The archive decompresses to more than the chart limit.
    #[error("decompressed chart is larger than the maximum size {0}")]
    ChartTooLarge(u64),
    /// One entry is larger than the file limit.
    #[error("decompressed chart file {0:?} is larger than the maximum file size {1}")]
    FileTooLarge(String, u64),
    /// The archive holds no files.
    #[error("no files in chart archive")]
    Empty,
    /// A gzip or tar stream error (truncated or corrupt data).
    #[error("{0}")]
    Io(String),
}

/// Reads every file of a gzipped tar chart archive into memory, applying
/// Helm's path and size checks (`archive.LoadArchiveFiles`).
pub fn load_archive_files(input: &[u8]) -> Result<Vec<BufferedFile>, ArchiveError> {
    // Go's gzip reader reads the 10-byte header before checking the magic.
    if input.is_empty() {
        return Err(ArchiveError::Io("EOF".to_string()));
    }
    if input.len() < 10 {
        return Err(ArchiveError::Io("unexpected EOF".to_string()));
    }
    if input[0] != 0x1f || input[1] != 0x8b || input[2] != 8 {
        return Err(ArchiveError::GzipHeader);
    }
    // Bound what can ever be read out of the decompressor: one byte more
    // than the chart limit plus tar framing is enough to detect overflow.
    let gz = flate2::read::MultiGzDecoder::new(input);
    let bounded = gz.take(MAX_DECOMPRESSED_CHART_SIZE + 64 * 1024 * 1024);
    let mut archive = tar::Archive::new(bounded);
    let entries = archive.entries().map_err(io_err)?;
    let mut files = Vec::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE;
    for entry in entries {
        let mut entry = entry.map_err(io_err)?;
        let header = entry.header();
        let kind = header.entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if kind.is_gnu_longname() || kind.is_gnu_longlink() {
            continue;
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        // Go's FileInfo().IsDir() is also true for a name ending in '/'.
        let mode = header.mode().unwrap_or(0);
        if mode & 0o170000 == 0o040000
            || (raw_name.ends_with('/') && matches!(kind, tar::EntryType::Regular))
        {
            continue;
        }
        let size = header_size(&entry);
        let mod_time = entry
            .header()
            .mtime()
            .ok()
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));

        let delimiter = if raw_name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw_name.split(delimiter).collect();
        let joined = parts[1..].join(&delimiter.to_string());
        let n = joined.replace(delimiter, "/");
        if n.starts_with('/') {
            return Err(ArchiveError::AbsolutePath);
        }
        let n = clean_path(&n);
        if n == "." {
            return Err(ArchiveError::OutsideBase(raw_name));
        }
        if n.starts_with("..") {
            return Err(ArchiveError::ParentDirectory);
        }
        let nb = n.as_bytes();
        if nb.len() >= 3 && nb[0].is_ascii_alphabetic() && nb[1] == b':' && nb[2] == b'/' {
            return Err(ArchiveError::IllegalName);
        }
        if parts[0] == "Chart.yaml" {
            return Err(ArchiveError::ChartYamlNotInBase);
        }
        if size > remaining {
            return Err(ArchiveError::ChartTooLarge(MAX_DECOMPRESSED_CHART_SIZE));
        }
        if size > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(ArchiveError::FileTooLarge(
                raw_name,
                MAX_DECOMPRESSED_FILE_SIZE,
            ));
        }
        let header_only = matches!(
            kind,
            tar::EntryType::Link
                | tar::EntryType::Symlink
                | tar::EntryType::Char
                | tar::EntryType::Block
                | tar::EntryType::Fifo
        );
        let mut data = Vec::new();
        if !header_only {
            (&mut entry)
                .take(remaining)
                .read_to_end(&mut data)
                .map_err(io_err)?;
        }
        let written = data.len() as u64;
        remaining -= written;
        if written < size || remaining == 0 {
            return Err(ArchiveError::ChartTooLarge(MAX_DECOMPRESSED_CHART_SIZE));
        }
        if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
            data.drain(..3);
        }
        files.push(BufferedFile {
            name: n,
            mod_time,
            data,
        });
    }
    if files.is_empty() {
        return Err(ArchiveError::Empty);
    }
    Ok(files)
}

fn header_size<R: Read>(entry: &tar::Entry<'_, R>) -> u64 {
    // `Entry::size` reflects PAX `size` overrides, like Go's reader.
    entry.size()
}

fn io_err(e: std::io::Error) -> ArchiveError {
    let msg = e.to_string();
    if msg.contains("failed to fill whole buffer") || e.kind() == std::io::ErrorKind::UnexpectedEof
    {
        return ArchiveError::Io("unexpected EOF".to_string());
    }
    ArchiveError::Io(msg)
}

/// Go's `path.Clean` for slash-separated paths.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if let Some(last) = out.last()
                    && *last != ".."
                {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Helm's check that a chart file given on the command line is a gzip
/// archive (`archive.EnsureArchive`): `Ok(())` or Helm's message, which
/// names the file as given.
pub fn ensure_archive(name: &str, head: &[u8]) -> Result<(), String> {
    // Helm sniffs a zero-filled 512-byte buffer whatever the file's length, so a short
    // text file reads as binary (`a: 1` is `application/octet-stream`, as Helm says).
    let mut buffer = [0u8; 512];
    let n = head.len().min(buffer.len());
    buffer[..n].copy_from_slice(&head[..n]);
    let head = &buffer[..];
    if head.starts_with(b"\x1f\x8b\x08") {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(format!(
            "file '{name}' seems to be a YAML file, but expected a gzipped archive"
        ));
    }
    Err(format!(
        "file '{name}' does not appear to be a gzipped archive; got '{}'",
        detect_content_type(head)
    ))
}

/// A reduced port of Go's `http.DetectContentType` covering what a chart
/// path can plausibly hold: common binary signatures, then text or binary.
fn detect_content_type(data: &[u8]) -> &'static str {
    let first_non_ws = data
        .iter()
        .position(|b| !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' '))
        .unwrap_or(data.len());
    let ws = &data[first_non_ws..];
    let lower_starts =
        |sig: &[u8]| ws.len() >= sig.len() && ws[..sig.len()].eq_ignore_ascii_case(sig);
    for sig in [
        &b"<!DOCTYPE HTML"[..],
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ] {
        if lower_starts(sig) && ws.len() > sig.len() && matches!(ws[sig.len()], b' ' | b'>') {
            return "text/html; charset=utf-8";
        }
    }
    if ws.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    if data.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if data.starts_with(b"%!PS-Adobe-") {
        return "application/postscript";
    }
    if data.starts_with(b"\xFE\xFF") || data.starts_with(b"\xFF\xFE") {
        return "text/plain; charset=utf-16be";
    }
    if data.starts_with(b"\xEF\xBB\xBF") {
        return "text/plain; charset=utf-8";
    }
    if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        return "image/gif";
    }
    if data.starts_with(b"\x89PNG\x0D\x0A\x1A\x0A") {
        return "image/png";
    }
    if data.starts_with(b"\xFF\xD8\xFF") {
        return "image/jpeg";
    }
    if data.starts_with(b"BZh") {
        return "application/x-bzip2";
    }
    if data.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    if data.starts_with(b"Rar!\x1A\x07") {
        return "application/x-rar-compressed";
    }
    if data.starts_with(b"\x7FELF") {
        return "application/octet-stream";
    }
    if data.len() >= 262 && &data[257..262] == b"ustar" {
        return "application/x-tar";
    }
    if data.starts_with(b"\x00\x61\x73\x6D") {
        return "application/wasm";
    }
    if data
        .iter()
        .any(|b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
    {
        return "application/octet-stream";
    }
    "text/plain; charset=utf-8"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tgz(entries: &[(&str, tar::EntryType, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, kind, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(*kind);
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            {
                let raw = h.as_old_mut();
                raw.name[..name.len()].copy_from_slice(name.as_bytes());
            }
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        let tar = b.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn reads_files_and_strips_top_dir() {
        let data = tgz(&[
            ("c/Chart.yaml", tar::EntryType::Regular, b"name: c\n"),
            ("c/templates/", tar::EntryType::Directory, b""),
            (
                "c/templates/a.yaml",
                tar::EntryType::Regular,
                b"\xEF\xBB\xBFa: 1\n",
            ),
        ]);
        let files = load_archive_files(&data).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml", "templates/a.yaml"]);
        assert_eq!(files[1].data, b"a: 1\n");
    }

    #[test]
    fn hostile_paths() {
        let cases: &[(&str, &str)] = &[
            ("c//etc/passwd", "chart illegally contains absolute paths"),
            ("c/../../x", "chart illegally references parent directory"),
            ("c/a/../..", "chart illegally references parent directory"),
            (
                "c/.",
                "chart illegally contains content outside the base directory: \"c/.\"",
            ),
            ("c/C:/x", "chart contains illegally named files"),
            // Helm's "chart yaml not in base directory" check is unreachable:
            // a top-level name cleans to "." first.
            (
                "Chart.yaml",
                "chart illegally contains content outside the base directory: \"Chart.yaml\"",
            ),
        ];
        for (name, want) in cases {
            let data = tgz(&[(name, tar::EntryType::Regular, b"x")]);
            let err = load_archive_files(&data).unwrap_err();
            assert_eq!(err.to_string(), *want, "{name}");
        }
    }

    #[test]
    fn symlink_entries_are_empty_files() {
        let data = tgz(&[
            ("c/Chart.yaml", tar::EntryType::Regular, b"name: c\n"),
            ("c/link", tar::EntryType::Symlink, b""),
        ]);
        let files = load_archive_files(&data).unwrap();
        assert_eq!(files[1].name, "link");
        assert!(files[1].data.is_empty());
    }

    #[test]
    fn not_gzip() {
        assert_eq!(
            load_archive_files(b"hello world").unwrap_err().to_string(),
            "gzip: invalid header"
        );
        let empty_tar = {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&[0u8; 1024]).unwrap();
            gz.finish().unwrap()
        };
        assert_eq!(
            load_archive_files(&empty_tar).unwrap_err().to_string(),
            "no files in chart archive"
        );
    }

    #[test]
    fn file_too_large() {
        let big = vec![b'a'; (MAX_DECOMPRESSED_FILE_SIZE + 1) as usize];
        let data = tgz(&[("c/big", tar::EntryType::Regular, &big)]);
        assert_eq!(
            load_archive_files(&data).unwrap_err().to_string(),
            "decompressed chart file \"c/big\" is larger than the maximum file size 5242880"
        );
    }

    #[test]
    fn clean() {
        assert_eq!(clean_path("a/./b/../c"), "a/c");
        assert_eq!(clean_path("../a"), "../a");
        assert_eq!(clean_path(""), ".");
        assert_eq!(clean_path("a/.."), ".");
    }

    #[test]
    fn ensure() {
        assert!(ensure_archive("x.tgz", b"\x1f\x8b\x08rest").is_ok());
        assert_eq!(
            ensure_archive("values.yaml", b"a: 1").unwrap_err(),
            "file 'values.yaml' seems to be a YAML file, but expected a gzipped archive"
        );
        assert_eq!(
            ensure_archive("x.txt", b"a: 1").unwrap_err(),
            "file 'x.txt' does not appear to be a gzipped archive; got 'application/octet-stream'"
        );
        // Texts from Helm v4.1.4 (`helm template x ./y.tgz`): 600 bytes of text, an empty
        // file, a short HTML file.
        assert_eq!(
            ensure_archive("y.tgz", &[b'a'; 600]).unwrap_err(),
            "file 'y.tgz' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'"
        );
        assert_eq!(
            ensure_archive("e.tgz", b"").unwrap_err(),
            "file 'e.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"
        );
        assert_eq!(
            ensure_archive("z.tgz", b"<html>").unwrap_err(),
            "file 'z.tgz' does not appear to be a gzipped archive; got 'text/html; charset=utf-8'"
        );
    }
}
