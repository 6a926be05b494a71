//! Tar and gzip exactly as Helm writes chart archives: Go's `archive/tar`
//! writer (USTAR headers, falling back to a PAX `path` record for names
//! USTAR cannot hold) inside Go's `compress/gzip` header with Helm's extra
//! field and comment.
//!
//! Only regular files are written (Helm writes no directory entries).
//! The deflate stream itself comes from flate2, so archive bytes differ
//! from Helm's while every tar byte and gzip header byte is the same.

use std::io::Write;

use flate2::{Compression, GzBuilder};
use thiserror::Error;

/// The gzip "extra" field Helm writes into every chart archive.
pub const HELM_GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

/// The gzip comment Helm writes into every chart archive.
pub const HELM_GZIP_COMMENT: &str = "Helm";

const BLOCK: usize = 512;
const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;
/// Largest value an 11-digit octal field holds (USTAR `mtime`, `size`).
pub const MAX_OCTAL_11: u64 = (1 << 33) - 1;

/// Errors writing an archive.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TarError {
    /// A name with a NUL byte cannot be encoded (Go: `archive/tar: header field too long` /
    /// invalid PAX record).
    #[error("archive/tar: invalid file name {0:?}")]
    InvalidName(String),
    /// An entry is too large for the header fields.
    #[error("archive/tar: file {0:?} is too large")]
    TooLarge(String),
    /// An mtime outside what USTAR's octal field holds.
    #[error("archive/tar: modification time {0} is out of range")]
    MtimeOutOfRange(u64),
    /// The compressor failed (an I/O error on a memory buffer: not expected).
    #[error("gzip: {0}")]
    Gzip(String),
}

/// An in-memory tar stream with Go's header encoding.
#[derive(Debug, Default)]
pub struct TarWriter {
    buf: Vec<u8>,
}

impl TarWriter {
    /// An empty archive.
    pub fn new() -> Self {
        TarWriter::default()
    }

    /// Appends a regular file with mode 0644, uid/gid 0, empty user and
    /// group names and the given mtime (seconds since the Unix epoch) —
    /// the header `helm package` writes.
    pub fn append_file(&mut self, name: &str, data: &[u8], mtime: u64) -> Result<(), TarError> {
        if name.as_bytes().contains(&0) || name.is_empty() {
            return Err(TarError::InvalidName(name.to_string()));
        }
        if mtime > MAX_OCTAL_11 {
            return Err(TarError::MtimeOutOfRange(mtime));
        }
        let size = data.len() as u64;
        if size > MAX_OCTAL_11 {
            return Err(TarError::TooLarge(name.to_string()));
        }
        let ascii = name.is_ascii();
        if ascii && name.len() <= NAME_SIZE {
            let blk = header_block(name, "", 0o644, size, mtime, b'0');
            self.buf.extend_from_slice(&blk);
        } else if let Some((prefix, suffix)) = split_ustar_path(name) {
            let blk = header_block(suffix, prefix, 0o644, size, mtime, b'0');
            self.buf.extend_from_slice(&blk);
        } else {
            // PAX: an extended header carrying `path`, then the main header
            // with the name made ASCII and truncated.
            let record = pax_record("path", name);
            let (dir, file) = split_dir(name);
            let pax_name =
                chartkit_chart::archive::clean_path(&format!("{dir}PaxHeaders.0/{file}"));
            let mut pax_name = to_ascii(&pax_name);
            pax_name.truncate(NAME_SIZE);
            let pax_name = pax_name.trim_end_matches('/').to_string();
            let blk = raw_file_block(&pax_name, record.len() as u64, b'x');
            self.buf.extend_from_slice(&blk);
            self.write_padded(record.as_bytes());
            let blk = header_block(&to_ascii(name), "", 0o644, size, mtime, b'0');
            self.buf.extend_from_slice(&blk);
        }
        self.write_padded(data);
        Ok(())
    }

    fn write_padded(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
        let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        self.buf.resize(self.buf.len() + pad, 0);
    }

    /// Ends the archive with Go's trailer (two zero blocks, no padding to
    /// a record size) and returns the tar bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.resize(self.buf.len() + 2 * BLOCK, 0);
        self.buf
    }
}

/// Compresses a tar stream with Helm's gzip header: no name, mtime 0,
/// the extra field [`HELM_GZIP_EXTRA`], comment `Helm`, OS 255 (unknown),
/// default compression level (XFL 0).
pub fn gzip_helm(tar: &[u8]) -> Result<Vec<u8>, TarError> {
    let mut enc = GzBuilder::new()
        .extra(HELM_GZIP_EXTRA.to_vec())
        .comment(HELM_GZIP_COMMENT)
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(tar.len() / 4 + 64),
            Compression::default(),
        );
    enc.write_all(tar)
        .map_err(|e| TarError::Gzip(e.to_string()))?;
    enc.finish().map_err(|e| TarError::Gzip(e.to_string()))
}

/// Go's `splitUSTARPath`: splits a long ASCII name at a slash into a
/// prefix (≤ 155 bytes) and a name (≤ 100 bytes).
fn split_ustar_path(name: &str) -> Option<(&str, &str)> {
    let mut length = name.len();
    if length <= NAME_SIZE || !name.is_ascii() {
        return None;
    } else if length > PREFIX_SIZE + 1 {
        length = PREFIX_SIZE + 1;
    } else if name.as_bytes()[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go's `path.Split`: directory (with its trailing slash) and last element.
fn split_dir(name: &str) -> (&str, &str) {
    match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    }
}

/// Go's `toASCII`: drops every non-ASCII character (and NULs).
fn to_ascii(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii() && *c != '\0').collect()
}

/// Go's `formatPAXRecord`.
fn pax_record(k: &str, v: &str) -> String {
    let padding = 3;
    let mut size = k.len() + v.len() + padding;
    size += size.to_string().len();
    let mut record = format!("{size} {k}={v}\n");
    if record.len() != size {
        size = record.len();
        record = format!("{size} {k}={v}\n");
    }
    record
}

/// Go's `formatter.formatString`: copies, NUL-terminates when there is
/// room, and never leaves a truncated name ending in `/`.
fn format_string(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
    if s.len() < field.len() {
        field[s.len()] = 0;
    }
    if s.len() > field.len() && field[field.len() - 1] == b'/' {
        let head = &s[..field.len() - 1];
        let trimmed = head.len() - head.iter().rev().take_while(|b| **b == b'/').count();
        field[trimmed] = 0;
    }
}

/// Go's `formatter.formatOctal` (zero padded, NUL terminated).
fn format_octal(field: &mut [u8], x: u64) {
    let s = format!("{x:o}");
    let width = field.len() - 1;
    let padded = if s.len() < width {
        format!("{}{s}", "0".repeat(width - s.len()))
    } else {
        s
    };
    format_string(field, padded.as_bytes());
}

/// A header from Go's `templateV7Plus` + `setFormat(USTAR|PAX)`.
fn header_block(
    name: &str,
    prefix: &str,
    mode: u64,
    size: u64,
    mtime: u64,
    typeflag: u8,
) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    b[156] = typeflag;
    format_string(&mut b[0..100], name.as_bytes());
    format_string(&mut b[157..257], b"");
    format_octal(&mut b[100..108], mode);
    format_octal(&mut b[108..116], 0);
    format_octal(&mut b[116..124], 0);
    format_octal(&mut b[124..136], size);
    format_octal(&mut b[136..148], mtime);
    format_string(&mut b[265..297], b"");
    format_string(&mut b[297..329], b"");
    format_octal(&mut b[329..337], 0);
    format_octal(&mut b[337..345], 0);
    format_string(&mut b[345..500], prefix.as_bytes());
    set_ustar_magic_and_checksum(&mut b);
    b
}

/// A header from Go's `writeRawFile` (PAX extended headers): only name,
/// mode, ids, size and mtime are formatted.
fn raw_file_block(name: &str, size: u64, typeflag: u8) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    b[156] = typeflag;
    format_string(&mut b[0..100], name.as_bytes());
    format_octal(&mut b[100..108], 0);
    format_octal(&mut b[108..116], 0);
    format_octal(&mut b[116..124], 0);
    format_octal(&mut b[124..136], size);
    format_octal(&mut b[136..148], 0);
    set_ustar_magic_and_checksum(&mut b);
    b
}

fn set_ustar_magic_and_checksum(b: &mut [u8; BLOCK]) {
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    let sum: u64 = b
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if (148..156).contains(&i) {
                u64::from(b' ')
            } else {
                u64::from(*c)
            }
        })
        .sum();
    format_octal(&mut b[148..155], sum);
    b[155] = b' ';
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ustar_header_matches_go() {
        // A header taken from a real `helm package` archive (etcd's
        // Chart.yaml, 954 bytes, mtime 1782894004).
        let mut w = TarWriter::new();
        w.append_file("etcd/Chart.yaml", &[b'x'; 954], 1_782_894_004)
            .unwrap();
        let out = w.finish();
        assert_eq!(&out[100..108], b"0000644\0");
        assert_eq!(&out[124..136], b"00000001672\0");
        assert_eq!(&out[136..148], b"15221146664\0");
        assert_eq!(&out[148..156], b"012125\0 ");
        assert_eq!(&out[257..265], b"ustar\x0000");
        assert_eq!(&out[329..345], b"0000000\x000000000\0");
        assert_eq!(out.len(), 512 + 1024 + 1024);
    }

    #[test]
    fn long_names_use_prefix_then_pax() {
        let long_dir = "a/".repeat(60);
        let name = format!("{long_dir}file.yaml");
        let (p, s) = split_ustar_path(&name).unwrap();
        assert_eq!(s, "file.yaml");
        assert_eq!(format!("{p}/{s}"), name);
        // A 120-byte final component cannot be split: PAX.
        let name = format!("c/{}", "x".repeat(120));
        assert!(split_ustar_path(&name).is_none());
        let mut w = TarWriter::new();
        w.append_file(&name, b"hi", 0).unwrap();
        let out = w.finish();
        assert_eq!(out[156], b'x');
        assert_eq!(&out[0..16], b"c/PaxHeaders.0/x");
        let rec = pax_record("path", &name);
        assert_eq!(&out[512..512 + rec.len()], rec.as_bytes());
        assert_eq!(out[1024 + 156], b'0');
        // Non-ASCII names go through PAX too, with an ASCII-only header name.
        let mut w = TarWriter::new();
        w.append_file("c/é.txt", b"", 0).unwrap();
        let out = w.finish();
        assert_eq!(out[156], b'x');
        assert_eq!(&out[1024..1024 + 7], b"c/.txt\0");
    }

    #[test]
    fn pax_record_length_adjusts() {
        assert_eq!(pax_record("path", "ab"), "11 path=ab\n");
        let v = "x".repeat(93);
        let r = pax_record("path", &v);
        assert_eq!(
            r.len(),
            r.split(' ').next().unwrap().parse::<usize>().unwrap()
        );
    }

    #[test]
    fn gzip_header_is_helms() {
        let gz = gzip_helm(b"abc").unwrap();
        assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0x14, 0, 0, 0, 0, 0, 0xff]);
        assert_eq!(&gz[10..12], &[41, 0]);
        assert_eq!(&gz[12..53], HELM_GZIP_EXTRA);
        assert_eq!(&gz[53..58], b"Helm\0");
    }

    #[test]
    fn refuses_bad_input() {
        let mut w = TarWriter::new();
        assert!(w.append_file("a\0b", b"", 0).is_err());
        assert!(w.append_file("a", b"", MAX_OCTAL_11 + 1).is_err());
    }
}
