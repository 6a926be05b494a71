//! The Sprig v3.3.0 function library as Helm v4.1.4 exposes it, and Helm's
//! context-free data functions, as chartkit template functions.
//!
//! [`sprig_funcs`] returns Sprig's `GenericFuncMap` minus `env` and
//! `expandenv` (all 209 names, `push` and `mustPush` included);
//! [`helm_funcs`] returns the functions Helm's
//! `pkg/engine/funcs.go` adds or overrides that need no rendering context
//! (`toYaml`, `fromJson`, ...; `include`, `tpl`, `required`, `lookup` and
//! Helm's `fail` belong to the renderer). Each function declares its Go
//! signature so the engine converts arguments as Go's text/template does.
//!
//! [`convert`] maps template values to and from `chartkit_yaml::Value`.

pub mod convert;
mod conversion;
mod crypto;
mod data;
mod date;
mod defaults;
mod dicts;
mod encoding;
mod flow;
mod gofmt;
mod gotime;
mod lists;
mod math;
mod paths;
mod random;
mod reflection;
mod regex;
mod montgomery;
mod rsa_keygen;
mod semver;
mod strings;
mod url;
mod util;
mod xstrings;

use chartkit_gotemplate::{Func, FuncMap};

/// One registry row: a template function name and its constructor.
type Entry = (&'static str, fn() -> Func);

/// Every Sprig function Helm exposes, by name. Aliases share a constructor.
const SPRIG: &[Entry] = &[
    // strings
    ("hello", strings::hello),
    ("abbrev", strings::abbrev),
    ("abbrevboth", strings::abbrevboth),
    ("trunc", strings::trunc),
    ("trim", strings::trim),
    ("upper", strings::upper),
    ("lower", strings::lower),
    ("title", strings::title),
    ("untitle", strings::untitle),
    ("substr", strings::substr),
    ("repeat", strings::repeat),
    ("trimall", strings::trim_all),
    ("trimAll", strings::trim_all),
    ("trimSuffix", strings::trim_suffix),
    ("trimPrefix", strings::trim_prefix),
    ("nospace", strings::nospace),
    ("initials", strings::initials),
    ("swapcase", strings::swapcase),
    ("snakecase", strings::snakecase),
    ("camelcase", strings::camelcase),
    ("kebabcase", strings::kebabcase),
    ("wrap", strings::wrap),
    ("wrapWith", strings::wrap_with),
    ("contains", strings::contains),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("quote", strings::quote),
    ("squote", strings::squote),
    ("cat", strings::cat),
    ("indent", strings::indent),
    ("nindent", strings::nindent),
    ("replace", strings::replace),
    ("plural", strings::plural),
    ("toString", strings::to_string),
    ("split", strings::split),
    ("splitList", strings::split_list),
    ("splitn", strings::splitn),
    ("toStrings", strings::to_strings),
    ("join", strings::join),
    ("sortAlpha", strings::sort_alpha),
    // conversion
    ("atoi", conversion::atoi),
    ("int", conversion::int),
    ("int64", conversion::int64),
    ("float64", conversion::float64),
    ("toDecimal", conversion::to_decimal),
    // math
    ("add1", math::add1),
    ("add", math::add),
    ("sub", math::sub),
    ("div", math::div),
    ("mod", math::modulo),
    ("mul", math::mul),
    ("randInt", math::rand_int),
    ("add1f", math::add1f),
    ("addf", math::addf),
    ("subf", math::subf),
    ("divf", math::divf),
    ("mulf", math::mulf),
    ("biggest", math::max),
    ("max", math::max),
    ("min", math::min),
    ("maxf", math::maxf),
    ("minf", math::minf),
    ("ceil", math::ceil),
    ("floor", math::floor),
    ("round", math::round),
    ("seq", math::seq),
    // lists
    ("until", lists::until),
    ("untilStep", lists::until_step),
    ("tuple", lists::list),
    ("list", lists::list),
    ("append", lists::push),
    ("push", lists::push),
    ("mustAppend", lists::push),
    ("mustPush", lists::push),
    ("prepend", lists::prepend),
    ("mustPrepend", lists::prepend),
    ("first", lists::first),
    ("mustFirst", lists::first),
    ("rest", lists::rest),
    ("mustRest", lists::rest),
    ("last", lists::last),
    ("mustLast", lists::last),
    ("initial", lists::initial),
    ("mustInitial", lists::initial),
    ("reverse", lists::reverse),
    ("mustReverse", lists::reverse),
    ("uniq", lists::uniq),
    ("mustUniq", lists::uniq),
    ("without", lists::without),
    ("mustWithout", lists::without),
    ("has", lists::has),
    ("mustHas", lists::has),
    ("slice", lists::slice),
    ("mustSlice", lists::slice),
    ("concat", lists::concat),
    ("chunk", lists::chunk),
    ("mustChunk", lists::chunk),
    ("compact", lists::compact),
    ("mustCompact", lists::compact),
    // dicts
    ("dict", dicts::dict),
    ("get", dicts::get),
    ("set", dicts::set),
    ("unset", dicts::unset),
    ("hasKey", dicts::has_key),
    ("pluck", dicts::pluck),
    ("keys", dicts::keys),
    ("pick", dicts::pick),
    ("omit", dicts::omit),
    ("merge", dicts::merge),
    ("mergeOverwrite", dicts::merge_overwrite),
    ("mustMerge", dicts::merge),
    ("mustMergeOverwrite", dicts::merge_overwrite),
    ("values", dicts::values),
    ("deepCopy", dicts::deep_copy),
    ("mustDeepCopy", dicts::deep_copy),
    ("dig", dicts::dig),
    // defaults
    ("default", defaults::default),
    ("empty", defaults::empty_fn),
    ("coalesce", defaults::coalesce),
    ("all", defaults::all),
    ("any", defaults::any),
    ("ternary", defaults::ternary),
    // reflection
    ("typeOf", reflection::type_of),
    ("typeIs", reflection::type_is),
    ("typeIsLike", reflection::type_is_like),
    ("kindOf", reflection::kind_of),
    ("kindIs", reflection::kind_is),
    ("deepEqual", reflection::deep_equal_fn),
    // paths
    ("base", paths::base_fn),
    ("dir", paths::dir_fn),
    ("clean", paths::clean_fn),
    ("ext", paths::ext_fn),
    ("isAbs", paths::is_abs_fn),
    ("osBase", paths::base_fn),
    ("osClean", paths::clean_fn),
    ("osDir", paths::dir_fn),
    ("osExt", paths::ext_fn),
    ("osIsAbs", paths::is_abs_fn),
    // encoding
    ("b64enc", encoding::b64enc),
    ("b64dec", encoding::b64dec),
    ("b32enc", encoding::b32enc),
    ("b32dec", encoding::b32dec),
    ("sha1sum", encoding::sha1sum),
    ("sha256sum", encoding::sha256sum),
    ("sha512sum", encoding::sha512sum),
    ("adler32sum", encoding::adler32sum),
    // JSON (Sprig's; Helm overrides toJson, mustToJson, fromJson)
    ("toJson", data::to_json),
    ("mustToJson", data::must_to_json),
    ("fromJson", data::sprig_from_json),
    ("mustFromJson", data::must_from_json),
    ("toPrettyJson", data::to_pretty_json),
    ("mustToPrettyJson", data::must_to_pretty_json),
    ("toRawJson", data::to_raw_json),
    ("mustToRawJson", data::to_raw_json),
    // regex
    ("regexMatch", regex::regex_match),
    ("mustRegexMatch", regex::must_regex_match),
    ("regexFindAll", regex::regex_find_all),
    ("mustRegexFindAll", regex::must_regex_find_all),
    ("regexFind", regex::regex_find),
    ("mustRegexFind", regex::must_regex_find),
    ("regexReplaceAll", regex::regex_replace_all),
    ("mustRegexReplaceAll", regex::must_regex_replace_all),
    ("regexReplaceAllLiteral", regex::regex_replace_all_literal),
    ("mustRegexReplaceAllLiteral", regex::must_regex_replace_all_literal),
    ("regexSplit", regex::regex_split),
    ("mustRegexSplit", regex::must_regex_split),
    ("regexQuoteMeta", regex::regex_quote_meta),
    // semver
    ("semver", semver::semver),
    ("semverCompare", semver::semver_compare),
    // random
    ("randAlphaNum", random::rand_alpha_num),
    ("randAlpha", random::rand_alpha),
    ("randAscii", random::rand_ascii),
    ("randNumeric", random::rand_numeric),
    ("randBytes", random::rand_bytes),
    ("shuffle", random::shuffle),
    ("uuidv4", random::uuidv4),
    // crypto
    ("bcrypt", crypto::bcrypt_fn),
    ("htpasswd", crypto::htpasswd),
    ("derivePassword", crypto::derive_password_fn),
    ("encryptAES", crypto::encrypt_aes),
    ("decryptAES", crypto::decrypt_aes),
    ("genPrivateKey", crypto::gen_private_key),
    ("buildCustomCert", crypto::build_custom_cert),
    ("genCA", crypto::gen_ca_fn),
    ("genCAWithKey", crypto::gen_ca_with_key),
    ("genSelfSignedCert", crypto::gen_self_signed_cert),
    ("genSelfSignedCertWithKey", crypto::gen_self_signed_cert_with_key),
    ("genSignedCert", crypto::gen_signed_cert),
    ("genSignedCertWithKey", crypto::gen_signed_cert_with_key),
    // dates
    ("ago", date::ago),
    ("date", date::date),
    ("date_in_zone", date::date_in_zone),
    ("date_modify", date::date_modify),
    ("dateInZone", date::date_in_zone),
    ("dateModify", date::date_modify),
    ("duration", date::duration_fn),
    ("durationRound", date::duration_round),
    ("htmlDate", date::html_date),
    ("htmlDateInZone", date::html_date_in_zone),
    ("must_date_modify", date::must_date_modify),
    ("mustDateModify", date::must_date_modify),
    ("mustToDate", date::must_to_date),
    ("now", date::now),
    ("toDate", date::to_date),
    ("unixEpoch", date::unix_epoch),
    // URLs
    ("urlParse", url::url_parse),
    ("urlJoin", url::url_join),
    // flow and network
    ("fail", flow::fail),
    ("getHostByName", flow::get_host_by_name),
];

/// Helm's own context-free functions (they override Sprig's of the same name).
const HELM: &[Entry] = &[
    ("toToml", data::to_toml),
    ("fromToml", data::from_toml),
    ("toYaml", data::to_yaml),
    ("mustToYaml", data::must_to_yaml),
    ("toYamlPretty", data::to_yaml_pretty),
    ("fromYaml", data::from_yaml),
    ("fromYamlArray", data::from_yaml_array),
    ("toJson", data::to_json),
    ("mustToJson", data::must_to_json),
    ("fromJson", data::from_json),
    ("fromJsonArray", data::from_json_array),
    ("getHostByName", flow::get_host_by_name_offline),
];

fn build(table: &[Entry]) -> FuncMap {
    let mut m = FuncMap::new();
    for (name, make) in table {
        m.insert(*name, make());
    }
    m
}

/// Sprig's function map as Helm v4.1.4 uses it: `GenericFuncMap()` without
/// `env` and `expandenv`.
pub fn sprig_funcs() -> FuncMap {
    gotime::init_clock();
    build(SPRIG)
}

/// Helm's context-free additions and overrides from `pkg/engine/funcs.go`,
/// plus its DNS-less `getHostByName`. Insert them after [`sprig_funcs`].
pub fn helm_funcs() -> FuncMap {
    build(HELM)
}

/// The names [`sprig_funcs`] defines, in registry order.
pub fn sprig_names() -> impl Iterator<Item = &'static str> {
    SPRIG.iter().map(|(n, _)| *n)
}

/// The names [`helm_funcs`] defines, in registry order.
pub fn helm_names() -> impl Iterator<Item = &'static str> {
    HELM.iter().map(|(n, _)| *n)
}

