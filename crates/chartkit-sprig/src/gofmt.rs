//! Sprig's `strval`, its one printing rule of its own. Go's `fmt` (`%v`)
//! lives in `chartkit_gotemplate::fmt`; everything else here calls it.

use chartkit_gotemplate::Value;
use chartkit_gotemplate::fmt::format_value;

/// Sprig's `strval`: strings and `[]byte` as text, everything else `%v`
/// (which already prefers `Error()` and `String()` methods).
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        _ => format_value(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_bytes_as_text() {
        assert_eq!(strval(&Value::from("a")), "a");
        assert_eq!(strval(&Value::Bytes(b"hi".to_vec().into())), "hi");
        assert_eq!(strval(&Value::Float(1234567.0)), "1.234567e+06");
        assert_eq!(strval(&Value::Nil), "<nil>");
    }
}
