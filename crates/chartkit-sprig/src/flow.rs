//! Flow control and network: `fail` and `getHostByName`.

use std::net::ToSocketAddrs;

use chartkit_gotemplate::Func;
use rand::Rng;

use crate::util::*;

pub(crate) fn fail() -> Func {
    Func::pure(fixed(&[Str]), |a| Err(call_err(arg_str(a, 0))))
}

/// Sprig's `getHostByName`: a random address of the host, resolved now.
/// Helm replaces it with a function returning `""` unless DNS is enabled;
/// [`crate::helm_funcs`] carries that replacement.
pub(crate) fn get_host_by_name() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let addrs: Vec<String> = (arg_str(a, 0), 0u16)
            .to_socket_addrs()
            .map(|it| it.map(|sa| sa.ip().to_string()).collect())
            .unwrap_or_default();
        if addrs.is_empty() {
            return Err(call_err("invalid argument to Intn"));
        }
        let i = rand::thread_rng().gen_range(0..addrs.len());
        Ok(string(addrs[i].clone()))
    })
}

/// Helm's `getHostByName` with DNS lookups disabled (the default).
pub(crate) fn get_host_by_name_offline() -> Func {
    Func::pure(fixed(&[Str]), |_| Ok(string("")))
}
