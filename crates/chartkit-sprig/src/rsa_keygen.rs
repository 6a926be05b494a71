//! RSA key generation for `genPrivateKey`, `genCA`, `genSelfSignedCert` and `genSignedCert`.
//!
//! `rsa::RsaPrivateKey::new` sieves candidates only by the primes below 64, so it runs about
//! 200 Miller-Rabin exponentiations per 2048-bit prime: a 4096-bit key took 2.5 s on average
//! (up to 8 s) where Helm takes 0.8 s. Here the odd numbers of a window after one random start
//! are sieved by every prime below 2^16 (about 72 survivors per 2048-bit prime instead of
//! 200), survivors get one base-2 Miller-Rabin test in Montgomery form ([`crate::montgomery`]),
//! and only a probable prime gets the random-base rounds of FIPS 186-5 table B.1. `p` and `q`
//! are searched on two threads, since they are independent. The key itself is assembled and
//! validated by the `rsa` crate ([`rsa::RsaPrivateKey::from_p_q`], e = 65537).

use std::sync::OnceLock;

use num_traits::One;
use rand::RngCore;
use rand::rngs::OsRng;
use rsa::BigUint;

use crate::montgomery::Montgomery;

/// The public exponent Go and the `rsa` crate use.
const E: u32 = 65537;

/// Sieve bound: odd primes below this divide out candidates before any exponentiation.
const SIEVE_LIMIT: u32 = 1 << 16;

/// How far from one random start the search walks before drawing a new start.
const WINDOW: u64 = 1 << 16;

/// The odd primes below [`SIEVE_LIMIT`].
fn small_primes() -> &'static [u32] {
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let n = SIEVE_LIMIT as usize;
        let mut composite = vec![false; n];
        let mut out = Vec::new();
        for i in 3..n {
            if composite[i] || i % 2 == 0 {
                continue;
            }
            out.push(i as u32);
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
        out
    })
}

/// A `bits`-bit number (`bits` ≥ 2) with its top two bits and its lowest bit set.
fn random_start(bits: usize) -> BigUint {
    let mut bytes = vec![0u8; bits.div_ceil(8)];
    OsRng.fill_bytes(&mut bytes);
    let excess = bytes.len() * 8 - bits;
    bytes[0] &= 0xff >> excess;
    let top = 7 - excess; // the position of bit `bits - 1` within the first byte
    bytes[0] |= 1 << top;
    if top == 0 {
        bytes[1] |= 0x80;
    } else {
        bytes[0] |= 1 << (top - 1);
    }
    let last = bytes.len() - 1;
    bytes[last] |= 1;
    BigUint::from_bytes_be(&bytes)
}

/// `n mod q` for `q` < 2^32, from the big-endian 32-bit words of `n`.
fn residue(words: &[u32], q: u64) -> u64 {
    words
        .iter()
        .fold(0u64, |r, &w| ((r << 32) | u64::from(w)) % q)
}

/// The big-endian 32-bit words of `n`.
fn words_be(n: &BigUint) -> Vec<u32> {
    let bytes = n.to_bytes_be();
    let pad = (4 - bytes.len() % 4) % 4;
    let mut padded = vec![0u8; pad];
    padded.extend_from_slice(&bytes);
    padded
        .chunks(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A uniformly random base in `[2, n − 2]`.
fn random_base(n: &BigUint) -> BigUint {
    let mut bytes = vec![0u8; n.bits().div_ceil(8) + 8];
    OsRng.fill_bytes(&mut bytes);
    let span = n - BigUint::from(3u32);
    BigUint::from_bytes_be(&bytes) % span + BigUint::from(2u32)
}

/// Random-base Miller-Rabin rounds after the base-2 test (FIPS 186-5 table B.1 for the
/// prime sizes of RSA-2048 and RSA-4096; more for small sizes).
fn extra_rounds(bits: usize) -> usize {
    match bits {
        0..512 => 20,
        512..1024 => 8,
        1024..2048 => 5,
        _ => 4,
    }
}

/// Whether a sieved candidate (odd, > 3) is a probable prime.
fn is_probable_prime(n: &BigUint, bits: usize) -> bool {
    let Some(mut m) = Montgomery::new(n) else {
        return false;
    };
    let n_minus_1 = n - BigUint::one();
    let s = n_minus_1.trailing_zeros().unwrap_or(0);
    let d = &n_minus_1 >> s;
    if !m.miller_rabin(&BigUint::from(2u32), &d, s) {
        return false;
    }
    (0..extra_rounds(bits)).all(|_| m.miller_rabin(&random_base(n), &d, s))
}

/// A random `bits`-bit probable prime with its top two bits set, so that the product of two
/// such primes has exactly the sum of their sizes. `bits` ≥ 18, so that every candidate
/// exceeds the sieve's primes (a sieve prime dividing a candidate proves it composite).
pub(crate) fn random_prime(bits: usize) -> BigUint {
    assert!(bits >= 18, "random_prime: {bits} bits is below the sieve");
    let primes = small_primes();
    // Candidates are start + 2k for k < SLOTS.
    const SLOTS: usize = (WINDOW / 2) as usize;
    let mut composite = vec![false; SLOTS];
    loop {
        let start = random_start(bits);
        let words = words_be(&start);
        composite.fill(false);
        // Residues modulo products of two sieve primes (< 2^32): half the divisions.
        for pair in primes.chunks(2) {
            let q = pair.iter().map(|&p| u64::from(p)).product::<u64>();
            let rq = residue(&words, q);
            for &p in pair {
                let p = u64::from(p);
                let r = rq % p;
                // start + 2k ≡ 0 (mod p) ⇔ k ≡ (p − r) · 2⁻¹, and 2⁻¹ = (p + 1) / 2.
                let mut k = (p - r) % p * p.div_ceil(2) % p;
                while k < SLOTS as u64 {
                    composite[k as usize] = true;
                    k += p;
                }
            }
        }
        for (k, _) in composite.iter().enumerate().filter(|(_, c)| !**c) {
            let candidate = &start + BigUint::from(2 * k as u64);
            if candidate.bits() != bits {
                break;
            }
            if is_probable_prime(&candidate, bits) {
                return candidate;
            }
        }
    }
}

/// A `bits`-bit RSA key (e = 65537), its two primes searched in parallel.
pub(crate) fn generate(bits: usize) -> Result<rsa::RsaPrivateKey, String> {
    if bits < 64 {
        return Err(format!("crypto/rsa: {bits}-bit keys are insecure"));
    }
    let p_bits = bits.div_ceil(2);
    let q_bits = bits - p_bits;
    loop {
        let (p, q) = std::thread::scope(|s| {
            let p = s.spawn(|| random_prime(p_bits));
            let q = random_prime(q_bits);
            (p.join().expect("prime search thread"), q)
        });
        if p == q {
            continue;
        }
        // Fails only when e divides p−1 or q−1 (no inverse): draw again, as Go does.
        if let Ok(key) = rsa::RsaPrivateKey::from_p_q(p, q, BigUint::from(E)) {
            debug_assert_eq!(rsa::traits::PublicKeyParts::n(&key).bits(), bits);
            return Ok(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_integer::Integer;
    use num_traits::ToPrimitive;
    use rsa::traits::PublicKeyParts;

    #[test]
    fn small_primes_are_the_odd_primes_below_the_limit() {
        let p = small_primes();
        assert_eq!(&p[..6], &[3, 5, 7, 11, 13, 17]);
        assert_eq!(p.len(), 6542 - 1); // π(65536) = 6542, without 2
        assert_eq!(*p.last().unwrap(), 65521);
    }

    #[test]
    fn starts_have_the_requested_size_and_shape() {
        for bits in [64, 65, 71, 72, 1024] {
            let s = random_start(bits);
            assert_eq!(s.bits(), bits);
            assert_eq!((&s >> (bits - 2)).to_u32(), Some(3), "top bits of {bits}");
            assert!(s.is_odd());
        }
    }

    #[test]
    fn primes_are_prime() {
        // Checked against trial division for sizes where that is exhaustive.
        for _ in 0..50 {
            let p = random_prime(24).to_u64().unwrap();
            assert!((3 << 22..1 << 24).contains(&p), "{p}");
            assert!(
                (2..)
                    .take_while(|d| d * d <= p)
                    .all(|d| !p.is_multiple_of(d)),
                "{p}"
            );
        }
        // Known composites that fool weak tests are rejected: Carmichael numbers.
        for c in [561u64, 41041, 825265, 321197185, 5394826801, 232250619601] {
            assert!(!is_probable_prime(&BigUint::from(c), 64), "{c}");
        }
        assert!(is_probable_prime(
            &BigUint::from(2305843009213693951u64),
            61
        )); // 2^61 - 1
    }

    #[test]
    fn keys_have_exactly_the_requested_size_and_work() {
        use rsa::Pkcs1v15Encrypt;
        let key = generate(1024).unwrap();
        assert_eq!(key.n().bits(), 1024);
        assert_eq!(key.e(), &BigUint::from(E));
        key.validate().unwrap();
        let public = rsa::RsaPublicKey::from(&key);
        let secret = public
            .encrypt(&mut OsRng, Pkcs1v15Encrypt, b"chartkit")
            .unwrap();
        assert_eq!(key.decrypt(Pkcs1v15Encrypt, &secret).unwrap(), b"chartkit");
    }
}
