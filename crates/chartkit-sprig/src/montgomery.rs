//! Modular exponentiation in Montgomery form for the Miller-Rabin tests of RSA key generation.
//!
//! A Miller-Rabin round is one exponentiation `a^d mod n` with a 1024- or 2048-bit odd `n`,
//! and key generation runs about 70 of them per prime, so their speed is the speed of
//! `genPrivateKey "rsa"`. Compared with the general `modpow` of `num-bigint-dig` this saves
//! three things: squarings (most of the work) compute each cross product once; the base-2
//! test, which rejects almost every candidate, multiplies by its base with a shift instead of
//! a Montgomery multiplication; and nothing is allocated inside the loop.
//!
//! Numbers are little-endian `u64` limbs of the modulus' length. Nothing here needs to be
//! constant-time: candidates that fail are thrown away, and the primes that pass leave the
//! exponentiations only as a yes/no answer.

use rsa::BigUint;

/// Arithmetic modulo one odd `n` > 1, with `R = 2^(64·limbs)`.
pub(crate) struct Montgomery {
    /// The modulus.
    n: Vec<u64>,
    /// `−n⁻¹ mod 2^64`.
    n0inv: u64,
    /// `R mod n`: 1 in Montgomery form.
    one: Vec<u64>,
    /// `R² mod n`, to convert into Montgomery form.
    r2: Vec<u64>,
    /// Scratch space for a double-length product (`2·limbs` limbs).
    wide: Vec<u64>,
}

/// The little-endian limbs of `x`, padded to `len`.
fn limbs(x: &BigUint, len: usize) -> Vec<u64> {
    let mut out = vec![0u64; len];
    for (i, chunk) in x.to_bytes_le().chunks(8).enumerate() {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        out[i] = u64::from_le_bytes(b);
    }
    out
}

#[cfg(test)]
fn to_biguint(limbs: &[u64]) -> BigUint {
    let bytes: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

/// `a >= b` for equal-length numbers.
fn geq(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x > y;
        }
    }
    true
}

/// `a -= b` for equal-length numbers, returning the borrow.
fn sub_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
    borrow
}

impl Montgomery {
    /// Set-up for an odd modulus `n` > 1 (`None` otherwise).
    pub(crate) fn new(n: &BigUint) -> Option<Montgomery> {
        let len = n.bits().div_ceil(64);
        let n_limbs = limbs(n, len.max(1));
        if n_limbs[0] & 1 == 0 || n <= &BigUint::from(1u32) {
            return None;
        }
        // Newton's iteration doubles the correct low bits of the inverse each step:
        // 1 → 2 → 4 → … → 64 bits (n0 is its own inverse mod 8, so start from n0).
        let n0 = n_limbs[0];
        let mut inv = n0;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inv)));
        }
        debug_assert_eq!(n0.wrapping_mul(inv), 1);
        let r = (BigUint::from(1u32) << (64 * len)) % n;
        let r2 = (&r * &r) % n;
        Some(Montgomery {
            one: limbs(&r, len),
            r2: limbs(&r2, len),
            n: n_limbs,
            n0inv: inv.wrapping_neg(),
            wide: vec![0u64; 2 * len],
        })
    }

    fn len(&self) -> usize {
        self.n.len()
    }

    /// `out = wide · R⁻¹ mod n`, consuming the double-length value in `self.wide`
    /// (which must be below `n·R`).
    fn reduce(&mut self, out: &mut [u64]) {
        let s = self.len();
        let t = &mut self.wide;
        let mut top = 0u64; // the carry out of position 2s, at most 1
        for i in 0..s {
            let m = u128::from(t[i].wrapping_mul(self.n0inv));
            let mut c = 0u128;
            for (tj, &nj) in t[i..i + s].iter_mut().zip(&self.n) {
                let v = m * u128::from(nj) + u128::from(*tj) + c;
                *tj = v as u64;
                c = v >> 64;
            }
            let v = u128::from(t[i + s]) + c + u128::from(top);
            t[i + s] = v as u64;
            top = (v >> 64) as u64;
        }
        out.copy_from_slice(&t[s..]);
        if top != 0 || geq(out, &self.n) {
            sub_in_place(out, &self.n);
        }
    }

    /// `out = a · b · R⁻¹ mod n`.
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let s = self.len();
        self.wide.fill(0);
        for (i, &ai) in a.iter().enumerate() {
            let ai = u128::from(ai);
            let mut c = 0u128;
            for (w, &bj) in self.wide[i..i + s].iter_mut().zip(b) {
                let v = ai * u128::from(bj) + u128::from(*w) + c;
                *w = v as u64;
                c = v >> 64;
            }
            self.wide[i + s] = c as u64;
        }
        self.reduce(out);
    }

    /// `x = x² · R⁻¹ mod n`: the cross products once, doubled, plus the diagonal.
    fn square(&mut self, x: &mut [u64]) {
        let s = self.len();
        let t = &mut self.wide;
        t.fill(0);
        for i in 0..s {
            let xi = u128::from(x[i]);
            let mut c = 0u128;
            for (w, &xj) in t[2 * i + 1..i + s].iter_mut().zip(&x[i + 1..]) {
                let v = xi * u128::from(xj) + u128::from(*w) + c;
                *w = v as u64;
                c = v >> 64;
            }
            t[i + s] = c as u64;
        }
        let mut carry = 0u64;
        for w in t.iter_mut() {
            let v = *w;
            *w = (v << 1) | carry;
            carry = v >> 63;
        }
        let mut c = 0u128;
        for i in 0..s {
            let sq = u128::from(x[i]) * u128::from(x[i]);
            let lo = u128::from(t[2 * i]) + (sq & u128::from(u64::MAX)) + c;
            t[2 * i] = lo as u64;
            let hi = u128::from(t[2 * i + 1]) + (sq >> 64) + (lo >> 64);
            t[2 * i + 1] = hi as u64;
            c = hi >> 64;
        }
        self.reduce(x);
    }

    /// `x = 2x mod n` (the same in Montgomery form).
    fn double(&self, x: &mut [u64]) {
        let mut carry = 0u64;
        for w in x.iter_mut() {
            let v = *w;
            *w = (v << 1) | carry;
            carry = v >> 63;
        }
        if carry != 0 || geq(x, &self.n) {
            sub_in_place(x, &self.n);
        }
    }

    /// `x` in Montgomery form (`x < n`).
    fn enter(&mut self, x: &BigUint) -> Vec<u64> {
        let a = limbs(x, self.len());
        let r2 = self.r2.clone();
        let mut out = vec![0u64; self.len()];
        self.mul(&a, &r2, &mut out);
        out
    }

    /// `base^exp mod n` in Montgomery form; `base < n`.
    pub(crate) fn pow(&mut self, base: &BigUint, exp: &BigUint) -> Vec<u64> {
        if base == &BigUint::from(2u32) {
            return self.pow2(exp);
        }
        let s = self.len();
        // Fixed 4-bit windows: table[k] = base^k.
        let mut table = vec![self.one.clone()];
        table.push(self.enter(base));
        for k in 2..16 {
            let mut next = vec![0u64; s];
            let (prev, b) = (table[k - 1].clone(), table[1].clone());
            self.mul(&prev, &b, &mut next);
            table.push(next);
        }
        let bytes = exp.to_bytes_be();
        let mut x = self.one.clone();
        let mut tmp = vec![0u64; s];
        let mut started = false;
        for byte in bytes {
            for nibble in [byte >> 4, byte & 15] {
                if started {
                    for _ in 0..4 {
                        self.square(&mut x);
                    }
                }
                if nibble != 0 {
                    self.mul(&x, &table[usize::from(nibble)], &mut tmp);
                    std::mem::swap(&mut x, &mut tmp);
                    started = true;
                }
            }
        }
        x
    }

    /// `2^exp mod n` in Montgomery form: square, and double for each set bit.
    fn pow2(&mut self, exp: &BigUint) -> Vec<u64> {
        let mut x = self.one.clone();
        let mut started = false;
        for byte in exp.to_bytes_be() {
            for i in (0..8).rev() {
                if started {
                    self.square(&mut x);
                }
                if byte >> i & 1 == 1 {
                    self.double(&mut x);
                    started = true;
                }
            }
        }
        x
    }

    /// One Miller-Rabin round for `n` (odd, > 3) with `n − 1 = d · 2^s`, `d` odd.
    pub(crate) fn miller_rabin(&mut self, base: &BigUint, d: &BigUint, s: usize) -> bool {
        let one = self.one.clone();
        let mut minus_one = self.n.clone();
        sub_in_place(&mut minus_one, &one);
        let mut x = self.pow(base, d);
        if x == one || x == minus_one {
            return true;
        }
        for _ in 1..s {
            self.square(&mut x);
            if x == minus_one {
                return true;
            }
            if x == one {
                return false;
            }
        }
        false
    }

    /// A Montgomery-form value as an ordinary number.
    #[cfg(test)]
    fn leave(&mut self, x: &[u64]) -> BigUint {
        let mut unit = vec![0u64; self.len()];
        unit[0] = 1;
        let mut out = vec![0u64; self.len()];
        self.mul(x, &unit, &mut out);
        to_biguint(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;
    use rand::rngs::OsRng;

    fn random(bits: usize) -> BigUint {
        let mut bytes = vec![0u8; bits.div_ceil(8)];
        OsRng.fill_bytes(&mut bytes);
        BigUint::from_bytes_be(&bytes) >> (bytes.len() * 8 - bits)
    }

    fn random_odd(bits: usize) -> BigUint {
        random(bits) | BigUint::from(1u32) | (BigUint::from(1u32) << (bits - 1))
    }

    #[test]
    fn pow_agrees_with_num_bigint() {
        // Sizes around limb boundaries, the RSA prime sizes, and moduli with top limbs
        // of all ones (where the final subtraction matters most).
        let mut moduli: Vec<BigUint> = [3usize, 63, 64, 65, 127, 128, 129, 521, 1024, 2048]
            .iter()
            .map(|&b| random_odd(b))
            .collect();
        moduli.push((BigUint::from(1u32) << 1024) - BigUint::from(1u32));
        moduli.push((BigUint::from(1u32) << 128) - BigUint::from(159u32));
        for n in &moduli {
            let mut m = Montgomery::new(n).unwrap();
            for _ in 0..4 {
                let base = random(n.bits() + 8) % n;
                let exp = random(n.bits());
                let got = m.pow(&base, &exp);
                assert_eq!(
                    m.leave(&got),
                    base.modpow(&exp, n),
                    "n={n} base={base} exp={exp}"
                );
            }
            let exp = random(n.bits());
            let got = m.pow(&BigUint::from(2u32), &exp);
            assert_eq!(
                m.leave(&got),
                BigUint::from(2u32).modpow(&exp, n),
                "2^{exp} mod {n}"
            );
            for e in [0u32, 1, 2, 3] {
                let got = m.pow(&BigUint::from(2u32), &BigUint::from(e));
                assert_eq!(
                    m.leave(&got),
                    BigUint::from(2u32).modpow(&BigUint::from(e), n)
                );
            }
        }
    }

    #[test]
    fn squares_agree_with_num_bigint() {
        for bits in [64, 192, 1024, 2048] {
            let n = random_odd(bits);
            let mut m = Montgomery::new(&n).unwrap();
            for _ in 0..8 {
                let a = random(bits + 8) % &n;
                let mut x = m.enter(&a);
                m.square(&mut x);
                assert_eq!(m.leave(&x), (&a * &a) % &n);
            }
            // The largest residue, n − 1.
            let a = &n - BigUint::from(1u32);
            let mut x = m.enter(&a);
            m.square(&mut x);
            assert_eq!(m.leave(&x), BigUint::from(1u32));
        }
    }

    #[test]
    fn refuses_even_and_trivial_moduli() {
        assert!(Montgomery::new(&BigUint::from(10u32)).is_none());
        assert!(Montgomery::new(&BigUint::from(1u32)).is_none());
        assert!(Montgomery::new(&BigUint::from(0u32)).is_none());
    }
}
