//! Content digests (`sha256:<hex>`, `sha512:<hex>`).

use sha2::{Digest as _, Sha256, Sha512};

/// `sha256:<hex>` of `data`.
pub fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

/// Checks `algorithm:encoded` for a supported algorithm and well-formed
/// hex; returns why not.
pub fn check_digest_syntax(d: &str) -> Result<(), String> {
    let Some((alg, enc)) = d.split_once(':') else {
        return Err("invalid checksum digest format".into());
    };
    let len = match alg {
        "sha256" => 64,
        "sha512" => 128,
        _ => return Err(format!("unsupported digest algorithm {alg:?}")),
    };
    if enc.len() != len
        || !enc
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

/// The digest of `data` computed with the algorithm of `expected`.
pub fn digest_like(expected: &str, data: &[u8]) -> Result<String, String> {
    check_digest_syntax(expected)?;
    if expected.starts_with("sha512:") {
        Ok(format!("sha512:{}", hex(&Sha512::digest(data))))
    } else {
        Ok(sha256_digest(data))
    }
}

/// Whether `data` has the digest `expected`.
pub fn matches(expected: &str, data: &[u8]) -> bool {
    digest_like(expected, data).is_ok_and(|d| d == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(matches(&sha256_digest(b"abc"), b"abc"));
        assert!(!matches(&sha256_digest(b"abc"), b"abd"));
        assert!(check_digest_syntax("md5:00").is_err());
        assert!(check_digest_syntax(&format!("sha256:{}", "A".repeat(64))).is_err());
        let d512 = digest_like(&format!("sha512:{}", "0".repeat(128)), b"x").unwrap();
        assert!(matches(&d512, b"x"));
    }
}
