//! Random values from the operating system's generator (these end up as
//! passwords and keys in real charts): `randAlphaNum`, `randAlpha`,
//! `randAscii`, `randNumeric` (goutils' CryptoRandom character sets),
//! `randBytes`, `shuffle`, `uuidv4`.

use chartkit_gotemplate::{Func, FuncError};
use rand::rngs::OsRng;
use rand::{Rng, RngCore};

use crate::util::*;

/// Largest count honoured; Go would try to allocate whatever is asked.
const MAX_COUNT: i64 = 1 << 24;

fn random_from(count: i64, set: &[u8]) -> Result<String, FuncError> {
    if count <= 0 {
        // goutils returns an error for negative counts, which Sprig drops.
        return Ok(String::new());
    }
    if count > MAX_COUNT {
        return Err(call_err("runtime error: makeslice: len out of range"));
    }
    let mut rng = OsRng;
    Ok((0..count).map(|_| char::from(set[rng.gen_range(0..set.len())])).collect())
}

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const NUM: &[u8] = b"0123456789";

fn ascii() -> Vec<u8> {
    (32u8..127).collect()
}

pub(crate) fn rand_alpha_num() -> Func {
    Func::pure(fixed(&[Int]), |a| Ok(string(random_from(arg_int(a, 0), ALNUM)?)))
}

pub(crate) fn rand_alpha() -> Func {
    Func::pure(fixed(&[Int]), |a| Ok(string(random_from(arg_int(a, 0), ALPHA)?)))
}

pub(crate) fn rand_ascii() -> Func {
    Func::pure(fixed(&[Int]), |a| Ok(string(random_from(arg_int(a, 0), &ascii())?)))
}

pub(crate) fn rand_numeric() -> Func {
    Func::pure(fixed(&[Int]), |a| Ok(string(random_from(arg_int(a, 0), NUM)?)))
}

pub(crate) fn rand_bytes() -> Func {
    Func::pure(fixed(&[Int]), |a| {
        let n = arg_int(a, 0);
        if n < 0 {
            return Err(call_err("runtime error: makeslice: len out of range"));
        }
        if n > MAX_COUNT {
            return Err(call_err("runtime error: makeslice: len out of range"));
        }
        let mut buf = vec![0u8; n as usize];
        OsRng.fill_bytes(&mut buf);
        Ok(string(crate::encoding::b64_encode(&buf)))
    })
}

pub(crate) fn shuffle() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let mut runes: Vec<char> = arg_str(a, 0).chars().collect();
        let mut rng = rand::thread_rng();
        for i in (1..runes.len()).rev() {
            let j = rng.gen_range(0..=i);
            runes.swap(i, j);
        }
        Ok(string(runes.into_iter().collect::<String>()))
    })
}

pub(crate) fn uuidv4() -> Func {
    Func::pure(fixed(&[]), |_| Ok(string(uuid::Uuid::new_v4().to_string())))
}
