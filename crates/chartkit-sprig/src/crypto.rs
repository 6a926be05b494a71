//! Sprig's crypto.go: `bcrypt`, `htpasswd`, `derivePassword` (Master
//! Password algorithm), `encryptAES`/`decryptAES` (AES-256-CBC, the password
//! zero-padded to 32 bytes, PKCS#7 padding, random IV prepended, base64),
//! `genPrivateKey`, and certificates built like Go's `x509.CreateCertificate`
//! with Sprig's template (`genCA`, `genSelfSignedCert`, `genSignedCert`, their
//! `WithKey` variants, `buildCustomCert`).

use std::fmt;
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use chartkit_gotemplate::{Func, FuncError, Object, Value};
use der::asn1::{BitString, Ia5String, OctetString};
use der::{Decode, Encode};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier, AuthorityKeyIdentifier};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate};

use crate::encoding::{b64_decode, b64_encode};
use crate::util::*;

// ---------------------------------------------------------------- hashing

/// Go's bcrypt refuses passwords longer than 72 bytes.
fn bcrypt_hash(input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".into();
    }
    match bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

pub(crate) fn bcrypt_fn() -> Func {
    Func::pure(fixed(&[Str]), |a| Ok(string(bcrypt_hash(arg_str(a, 0)))))
}

pub(crate) fn htpasswd() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let user = arg_str(a, 0);
        if user.contains(':') {
            return Ok(string(format!("invalid username: {user}")));
        }
        Ok(string(format!("{user}:{}", bcrypt_hash(arg_str(a, 1)))))
    })
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
            "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Sprig's `derivePassword`.
pub(crate) fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(tpls) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2, 64) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let temp = tpls[usize::from(seed[0]) % tpls.len()].as_bytes();
    temp.iter()
        .enumerate()
        .map(|(i, &e)| {
            let chars = template_chars(e);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect()
}

pub(crate) fn derive_password_fn() -> Func {
    Func::pure(fixed(&[Int, Str, Str, Str, Str]), |a| {
        Ok(string(derive_password(arg_int(a, 0) as u32, arg_str(a, 1), arg_str(a, 2), arg_str(a, 3), arg_str(a, 4))))
    })
}

// ---------------------------------------------------------------- AES

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

pub(crate) fn encrypt_aes() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let plain = arg_str(a, 1).as_bytes();
        if plain.is_empty() {
            return Ok(string(""));
        }
        let pad = 16 - plain.len() % 16;
        let mut buf = plain.to_vec();
        buf.extend(std::iter::repeat_n(pad as u8, pad));
        let mut iv = [0u8; 16];
        OsRng.fill_bytes(&mut iv);
        let enc = cbc::Encryptor::<aes::Aes256>::new(&aes_key(arg_str(a, 0)).into(), &iv.into());
        let n = buf.len();
        let ct = enc
            .encrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut buf, n)
            .map_err(|_| call_err("crypto/cipher: input not full blocks"))?
            .to_vec();
        let mut out = iv.to_vec();
        out.extend_from_slice(&ct);
        Ok(string(b64_encode(&out)))
    })
}

pub(crate) fn decrypt_aes() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let crypt64 = arg_str(a, 1);
        if crypt64.is_empty() {
            return Ok(string(""));
        }
        let crypt = b64_decode(crypt64).map_err(|at| call_err(format!("illegal base64 data at input byte {at}")))?;
        if crypt.len() < 16 {
            return Err(call_err(format!("runtime error: slice bounds out of range [:16] with capacity {}", crypt.len())));
        }
        let (iv, body) = crypt.split_at(16);
        if body.len() % 16 != 0 {
            return Err(call_err("crypto/cipher: input not full blocks"));
        }
        let mut buf = body.to_vec();
        let dec = cbc::Decryptor::<aes::Aes256>::new(&aes_key(arg_str(a, 0)).into(), iv.into());
        let plain = dec
            .decrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut buf)
            .map_err(|_| call_err("crypto/cipher: input not full blocks"))?;
        let Some(&last) = plain.last() else {
            return Err(call_err("runtime error: index out of range [-1]"));
        };
        let keep = plain.len() as i64 - i64::from(last);
        if keep < 0 {
            return Err(call_err(format!("runtime error: slice bounds out of range [:{keep}]")));
        }
        Ok(string(String::from_utf8_lossy(&plain[..keep as usize]).into_owned()))
    })
}

// ---------------------------------------------------------------- PEM

/// `pem.EncodeToMemory`.
fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// `pem.Decode`: the first block of the text, ignoring anything around it.
fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(end_type) = after.find("-----") else { return None };
        let kind = &after[..end_type];
        let body_start = &after[end_type + 5..];
        let end_marker = format!("-----END {kind}-----");
        if let Some(end) = body_start.find(&end_marker) {
            let body: String = body_start[..end].lines().filter(|l| !l.contains(':')).collect::<Vec<_>>().join("");
            let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            if let Ok(der) = b64_decode(&clean) {
                return Some((kind.to_string(), der));
            }
        }
        rest = &rest[start + 11..];
    }
    None
}

// ---------------------------------------------------------------- keys

/// A private key of one of the kinds Sprig handles.
enum Key {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Dsa(Box<dsa::SigningKey>),
}

fn der_uint(b: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = b.iter().copied().skip_while(|&x| x == 0).collect();
    if v.is_empty() || v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    der_tlv(0x02, &v)
}

fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|&x| x == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

impl Key {
    /// Sprig's `pemBlockForKey`.
    fn to_pem(&self) -> Result<String, String> {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        Ok(match self {
            Key::Rsa(k) => pem_encode("RSA PRIVATE KEY", k.to_pkcs1_der().map_err(|e| e.to_string())?.as_bytes()),
            Key::P256(k) => pem_encode("EC PRIVATE KEY", &k.to_sec1_der().map_err(|e| e.to_string())?),
            Key::P384(k) => pem_encode("EC PRIVATE KEY", &k.to_sec1_der().map_err(|e| e.to_string())?),
            Key::Ed25519(k) => {
                // Go's MarshalPKCS8PrivateKey: version 0, no public key.
                let mut der = vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
                der.extend_from_slice(&k.to_bytes());
                pem_encode("PRIVATE KEY", &der)
            }
            Key::Dsa(k) => {
                let c = k.verifying_key().components();
                let mut body = der_uint(&[0]);
                for n in [c.p(), c.q(), c.g(), k.verifying_key().y(), k.x()] {
                    body.extend(der_uint(&n.to_bytes_be()));
                }
                pem_encode("DSA PRIVATE KEY", &der_tlv(0x30, &body))
            }
        })
    }

    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, String> {
        use p256::pkcs8::EncodePublicKey;
        let der = match self {
            Key::Rsa(k) => k.to_public_key().to_public_key_der(),
            Key::P256(k) => k.public_key().to_public_key_der(),
            Key::P384(k) => k.public_key().to_public_key_der(),
            Key::Ed25519(k) => k.verifying_key().to_public_key_der(),
            Key::Dsa(_) => return Err("x509: certificate private key does not implement crypto.Signer".into()),
        }
        .map_err(|e| e.to_string())?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| e.to_string())
    }

    /// The signature algorithm Go picks for the key, and the signature.
    fn sign(&self, tbs: &[u8]) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), String> {
        use signature::Signer;
        let alg = |oid: &str, null: bool| -> Result<AlgorithmIdentifierOwned, String> {
            Ok(AlgorithmIdentifierOwned {
                oid: der::oid::ObjectIdentifier::new(oid).map_err(|e| e.to_string())?,
                parameters: if null { Some(der::Any::null()) } else { None },
            })
        };
        Ok(match self {
            Key::Rsa(k) => {
                let sk = rsa::pkcs1v15::SigningKey::<Sha256>::new((**k).clone());
                let sig: rsa::pkcs1v15::Signature = sk.try_sign(tbs).map_err(|e| e.to_string())?;
                (alg("1.2.840.113549.1.1.11", true)?, signature::SignatureEncoding::to_vec(&sig))
            }
            Key::P256(k) => {
                let sk = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::DerSignature = sk.try_sign(tbs).map_err(|e| e.to_string())?;
                (alg("1.2.840.10045.4.3.2", false)?, sig.as_bytes().to_vec())
            }
            Key::P384(k) => {
                let sk = p384::ecdsa::SigningKey::from(k);
                let sig: p384::ecdsa::DerSignature = sk.try_sign(tbs).map_err(|e| e.to_string())?;
                (alg("1.2.840.10045.4.3.3", false)?, sig.as_bytes().to_vec())
            }
            Key::Ed25519(k) => (alg("1.3.101.112", false)?, k.sign(tbs).to_bytes().to_vec()),
            Key::Dsa(_) => return Err("x509: certificate private key does not implement crypto.Signer".into()),
        })
    }
}

fn rsa_key(bits: usize) -> Result<Key, String> {
    crate::rsa_keygen::generate(bits).map(|k| Key::Rsa(Box::new(k)))
}

/// Sprig's `parsePrivateKeyPEM`.
fn parse_private_key_pem(text: &str) -> Result<Key, String> {
    let (kind, der) = pem_decode(text).ok_or("no PEM data in input")?;
    if kind == "PRIVATE KEY" {
        use p256::pkcs8::DecodePrivateKey;
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(&der) {
            return Ok(Key::Rsa(Box::new(k)));
        }
        if let Ok(k) = p256::SecretKey::from_pkcs8_der(&der) {
            return Ok(Key::P256(k));
        }
        if let Ok(k) = p384::SecretKey::from_pkcs8_der(&der) {
            return Ok(Key::P384(k));
        }
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(&der) {
            return Ok(Key::Ed25519(Box::new(k)));
        }
        return Err("decoding PEM as PKCS#8: x509: failed to parse private key".into());
    }
    let Some(prefix) = kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {kind}"));
    };
    match prefix {
        "RSA" => {
            use rsa::pkcs1::DecodeRsaPrivateKey;
            rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| Key::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => {
            if let Ok(k) = p256::SecretKey::from_sec1_der(&der) {
                return Ok(Key::P256(k));
            }
            p384::SecretKey::from_sec1_der(&der)
                .map(Key::P384)
                .map_err(|e| format!("parsing EC private key from PEM: {e}"))
        }
        "DSA" => parse_dsa(&der).map_err(|e| format!("parsing DSA private key from PEM: {e}")),
        _ => Err(format!("invalid private key type {kind}")),
    }
}

/// One DER TLV: (tag, contents, rest).
fn der_read(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = len << 8 | usize::from(*b.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let body = b.get(hdr..hdr.checked_add(len)?)?;
    Some((tag, body, &b[hdr + len..]))
}

fn parse_dsa(der: &[u8]) -> Result<Key, String> {
    // SEQUENCE { version, p, q, g, y, x }
    let (tag, body, _) = der_read(der).ok_or("asn1: syntax error: sequence truncated")?;
    if tag != 0x30 {
        return Err("asn1: structure error: tags don't match".into());
    }
    let mut ints = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (tag, int, next) = der_read(rest).ok_or("asn1: syntax error: data truncated")?;
        if tag != 0x02 {
            return Err("asn1: structure error: tags don't match".into());
        }
        ints.push(dsa::BigUint::from_bytes_be(int));
        rest = next;
    }
    if ints.len() != 6 {
        return Err("sequence truncated".into());
    }
    let comps = dsa::Components::from_components(ints[1].clone(), ints[2].clone(), ints[3].clone())
        .map_err(|e| e.to_string())?;
    let vk = dsa::VerifyingKey::from_components(comps, ints[4].clone()).map_err(|e| e.to_string())?;
    let sk = dsa::SigningKey::from_components(vk, ints[5].clone()).map_err(|e| e.to_string())?;
    Ok(Key::Dsa(Box::new(sk)))
}

pub(crate) fn gen_private_key() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let kind = arg_str(a, 0);
        let key = match kind {
            "" | "rsa" => rsa_key(4096),
            "dsa" => {
                let comps = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
                Ok(Key::Dsa(Box::new(dsa::SigningKey::generate(&mut OsRng, comps))))
            }
            "ecdsa" => Ok(Key::P256(p256::SecretKey::random(&mut OsRng))),
            "ed25519" => Ok(Key::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(&mut OsRng)))),
            _ => return Ok(string(format!("Unknown type {kind}"))),
        };
        Ok(string(match key.and_then(|k| k.to_pem()) {
            Ok(p) => p,
            Err(e) => format!("failed to generate private key: {e}"),
        }))
    })
}

// ---------------------------------------------------------------- certificates

/// Sprig's `certificate` struct: PEM texts in fields `Cert` and `Key`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SprigCertificate {
    cert: String,
    key: String,
}

#[derive(Debug)]
struct CertObject(SprigCertificate);

impl Object for CertObject {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(string(self.0.cert.clone())),
            "Key" => Some(string(self.0.key.clone())),
            _ => None,
        }
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        write!(f, "{{{} {}}}", self.0.cert, self.0.key)
    }

    fn to_data(&self) -> Option<Value> {
        let m = chartkit_gotemplate::Map::new();
        m.insert("Cert", string(self.0.cert.clone()));
        m.insert("Key", string(self.0.key.clone()));
        Some(Value::Map(m))
    }
}

fn cert_value(c: SprigCertificate) -> Value {
    Value::Object(Rc::new(CertObject(c)))
}

/// A `certificate` argument (Go converts nothing else into one).
fn cert_arg(v: &Value) -> Result<SprigCertificate, FuncError> {
    match v {
        Value::Object(o) if o.type_name() == "sprig.certificate" => {
            let get = |f: &str| o.field(f).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            Ok(SprigCertificate { cert: get("Cert"), key: get("Key") })
        }
        other => Err(FuncError::arg(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            other.type_name()
        ))),
    }
}

fn net_ips(ips: &Value) -> Result<Vec<Vec<u8>>, String> {
    let Value::List(l) = ips else { return Ok(Vec::new()) };
    l.iter()
        .map(|ip| {
            let Value::String(s) = ip else {
                return Err(format!("error parsing ip: {} is not a string", chartkit_gotemplate::fmt::format_value(ip)));
            };
            match s.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(v4)) => Ok(v4.octets().to_vec()),
                Ok(std::net::IpAddr::V6(v6)) => Ok(match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                }),
                Err(_) => Err(format!("error parsing ip: {s}")),
            }
        })
        .collect()
}

fn dns_names(dns: &Value) -> Result<Vec<String>, String> {
    let Value::List(l) = dns else { return Ok(Vec::new()) };
    l.iter()
        .map(|d| match d {
            Value::String(s) => Ok(s.to_string()),
            other => Err(format!(
                "error processing alternate dns name: {} is not a string",
                chartkit_gotemplate::fmt::format_value(other)
            )),
        })
        .collect()
}

struct Template {
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

fn ext<T: AsExtension>(subject: &Name, e: &T) -> Result<Extension, String> {
    e.to_extension(subject, &[]).map_err(|e| e.to_string())
}

/// Sprig's `getCertAndKey`: signs the template with the parent's key.
fn create_cert(t: &Template, key: &Key, parent: Option<(&Certificate, &Key)>) -> Result<SprigCertificate, String> {
    let spki = key.spki().map_err(|e| format!("error creating certificate: {e}"))?;
    let subject: Name = format!("CN={}", escape_rdn(&t.cn)).parse().map_err(|e: der::Error| e.to_string())?;
    let issuer = parent.map_or_else(|| subject.clone(), |(c, _)| c.tbs_certificate.subject.clone());
    let mut serial = [0u8; 16];
    OsRng.fill_bytes(&mut serial);
    serial[0] &= 0x7f;
    let now = SystemTime::now();
    let not_after = if t.days >= 0 {
        now.checked_add(Duration::from_secs(t.days as u64 * 86_400))
    } else {
        now.checked_sub(Duration::from_secs(t.days.unsigned_abs() * 86_400))
    }
    .ok_or("error creating certificate: x509: invalid validity")?;
    let validity = Validity {
        not_before: Time::try_from(now).map_err(|e| e.to_string())?,
        not_after: Time::try_from(not_after).map_err(|e| e.to_string())?,
    };
    let mut usage = KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment;
    if t.is_ca {
        usage |= KeyUsages::KeyCertSign;
    }
    let mut exts = vec![
        ext(&subject, &KeyUsage(usage))?,
        ext(
            &subject,
            &ExtendedKeyUsage(vec![
                der::oid::ObjectIdentifier::new("1.3.6.1.5.5.7.3.1").map_err(|e| e.to_string())?,
                der::oid::ObjectIdentifier::new("1.3.6.1.5.5.7.3.2").map_err(|e| e.to_string())?,
            ]),
        )?,
        ext(&subject, &BasicConstraints { ca: t.is_ca, path_len_constraint: None })?,
    ];
    let spk_hash = sha1::Sha1::digest(spki.subject_public_key.raw_bytes());
    if t.is_ca {
        exts.push(ext(&subject, &SubjectKeyIdentifier(OctetString::new(spk_hash.to_vec()).map_err(|e| e.to_string())?))?);
    }
    if let Some((pc, _)) = parent
        && let Ok(Some((_, ski))) = pc.tbs_certificate.get::<SubjectKeyIdentifier>()
    {
        exts.push(ext(
            &subject,
            &AuthorityKeyIdentifier { key_identifier: Some(ski.0.clone()), authority_cert_issuer: None, authority_cert_serial_number: None },
        )?);
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for d in &t.dns {
            names.push(GeneralName::DnsName(Ia5String::new(d).map_err(|e| format!("error creating certificate: {e}"))?));
        }
        for ip in &t.ips {
            names.push(GeneralName::IpAddress(OctetString::new(ip.clone()).map_err(|e| e.to_string())?));
        }
        exts.push(ext(&subject, &SubjectAltName(names))?);
    }
    let signer = parent.map_or(key, |(_, k)| k);
    // The algorithm identifier is part of the signed data: sign a dummy first to learn it.
    let (alg, _) = signer.sign(b"").map_err(|e| format!("error creating certificate: {e}"))?;
    let tbs = TbsCertificate {
        version: x509_cert::Version::V3,
        serial_number: SerialNumber::new(&serial).map_err(|e| e.to_string())?,
        signature: alg.clone(),
        issuer,
        validity,
        subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    let tbs_der = tbs.to_der().map_err(|e| e.to_string())?;
    let (alg, sig) = signer.sign(&tbs_der).map_err(|e| format!("error creating certificate: {e}"))?;
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg,
        signature: BitString::from_bytes(&sig).map_err(|e| e.to_string())?,
    };
    let der = cert.to_der().map_err(|e| e.to_string())?;
    Ok(SprigCertificate { cert: pem_encode("CERTIFICATE", &der), key: key.to_pem()? })
}

/// Escapes an RFC 4514 attribute value so any common name parses.
fn escape_rdn(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') || (i == 0 && matches!(c, '#' | ' ')) {
            out.push('\\');
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

fn result(r: Result<SprigCertificate, String>) -> Result<Value, FuncError> {
    r.map(cert_value).map_err(call_err)
}

fn parsed_key(pem: &str) -> Result<Key, String> {
    parse_private_key_pem(pem).map_err(|e| format!("parsing private key: {e}"))
}

fn gen_ca(cn: &str, days: i64, key: Result<Key, String>) -> Result<SprigCertificate, String> {
    let key = key?;
    let t = Template { cn: cn.into(), ips: Vec::new(), dns: Vec::new(), days, is_ca: true };
    create_cert(&t, &key, None)
}

pub(crate) fn gen_ca_fn() -> Func {
    Func::pure(fixed(&[Str, Int]), |a| {
        result(gen_ca(arg_str(a, 0), arg_int(a, 1), rsa_key(2048).map_err(|e| format!("error generating rsa key: {e}"))))
    })
}

pub(crate) fn gen_ca_with_key() -> Func {
    Func::pure(fixed(&[Str, Int, Str]), |a| result(gen_ca(arg_str(a, 0), arg_int(a, 1), parsed_key(arg_str(a, 2)))))
}

fn gen_self_signed(a: &[Value], key: Result<Key, String>) -> Result<SprigCertificate, String> {
    let key = key?;
    let t = Template {
        cn: arg_str(a, 0).into(),
        ips: net_ips(arg(a, 1))?,
        dns: dns_names(arg(a, 2))?,
        days: arg_int(a, 3),
        is_ca: false,
    };
    create_cert(&t, &key, None)
}

pub(crate) fn gen_self_signed_cert() -> Func {
    Func::pure(fixed(&[Str, GoList, GoList, Int]), |a| {
        result(gen_self_signed(a, rsa_key(2048).map_err(|e| format!("error generating rsa key: {e}"))))
    })
}

pub(crate) fn gen_self_signed_cert_with_key() -> Func {
    Func::pure(fixed(&[Str, GoList, GoList, Int, Str]), |a| result(gen_self_signed(a, parsed_key(arg_str(a, 4)))))
}

fn gen_signed(a: &[Value], ca: &SprigCertificate, key: Result<Key, String>) -> Result<SprigCertificate, String> {
    let key = key?;
    let (_, der) = pem_decode(&ca.cert).ok_or("unable to decode certificate")?;
    let signer_cert = Certificate::from_der(&der)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate ({e})"))?;
    let signer_key = parse_private_key_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let t = Template {
        cn: arg_str(a, 0).into(),
        ips: net_ips(arg(a, 1))?,
        dns: dns_names(arg(a, 2))?,
        days: arg_int(a, 3),
        is_ca: false,
    };
    create_cert(&t, &key, Some((&signer_cert, &signer_key)))
}

pub(crate) fn gen_signed_cert() -> Func {
    Func::pure(fixed(&[Str, GoList, GoList, Int, Any]), |a| {
        let ca = cert_arg(arg(a, 4))?;
        result(gen_signed(a, &ca, rsa_key(2048).map_err(|e| format!("error generating rsa key: {e}"))))
    })
}

pub(crate) fn gen_signed_cert_with_key() -> Func {
    Func::pure(fixed(&[Str, GoList, GoList, Int, Any, Str]), |a| {
        let ca = cert_arg(arg(a, 4))?;
        result(gen_signed(a, &ca, parsed_key(arg_str(a, 5))))
    })
}

pub(crate) fn build_custom_cert() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let cert = b64_decode(arg_str(a, 0)).map_err(|_| call_err("unable to decode base64 certificate"))?;
        let key = b64_decode(arg_str(a, 1)).map_err(|_| call_err("unable to decode base64 private key"))?;
        let cert = String::from_utf8_lossy(&cert).into_owned();
        let key = String::from_utf8_lossy(&key).into_owned();
        let (_, der) = pem_decode(&cert).ok_or_else(|| call_err("unable to decode certificate"))?;
        Certificate::from_der(&der).map_err(|e| {
            call_err(format!("error parsing certificate: decodedCert.Bytes: x509: malformed certificate ({e})"))
        })?;
        parse_private_key_pem(&key).map_err(|e| call_err(format!("error parsing private key: {e}")))?;
        Ok(cert_value(SprigCertificate { cert, key }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_password_reference_vector() {
        // From Sprig's own tests.
        assert_eq!(derive_password(1, "long", "password", "user", "example.com"), "ZedaFaxcZaso9*");
    }

    #[test]
    fn signed_cert_verifies_against_its_ca() {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use signature::Verifier;
        let Ok(ca_key) = rsa_key(2048) else { panic!("rsa key") };
        let ca_t = Template { cn: "ca".into(), ips: vec![], dns: vec![], days: 30, is_ca: true };
        let ca = create_cert(&ca_t, &ca_key, None).unwrap_or_default();
        let ca_cert = Certificate::from_der(&pem_decode(&ca.cert).unwrap_or_default().1).ok();
        let Some(ca_cert) = ca_cert else { panic!("CA parses") };
        assert_eq!(ca_cert.tbs_certificate.get::<BasicConstraints>().ok().flatten().map(|(_, b)| b.ca), Some(true));
        let leaf_key = Key::P256(p256::SecretKey::random(&mut OsRng));
        let t = Template { cn: "leaf".into(), ips: vec![vec![10, 0, 0, 1]], dns: vec!["a.svc".into()], days: 1, is_ca: false };
        let leaf = create_cert(&t, &leaf_key, Some((&ca_cert, &ca_key))).unwrap_or_default();
        let Some(leaf_cert) = Certificate::from_der(&pem_decode(&leaf.cert).unwrap_or_default().1).ok() else {
            panic!("leaf parses")
        };
        assert_eq!(leaf_cert.tbs_certificate.issuer, ca_cert.tbs_certificate.subject);
        let Ok(ca_priv) = rsa::RsaPrivateKey::from_pkcs1_der(&pem_decode(&ca.key).unwrap_or_default().1) else {
            panic!("CA key parses")
        };
        let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(ca_priv.to_public_key());
        let tbs = leaf_cert.tbs_certificate.to_der().unwrap_or_default();
        let sig = rsa::pkcs1v15::Signature::try_from(leaf_cert.signature.raw_bytes());
        assert!(sig.is_ok_and(|s| vk.verify(&tbs, &s).is_ok()));
        assert!(leaf.key.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    }

    #[test]
    fn pem_round_trip() {
        let p = pem_encode("X", &[1, 2, 3]);
        assert_eq!(pem_decode(&format!("junk\n{p}")), Some(("X".into(), vec![1, 2, 3])));
    }
}
