//! Lenient decoding of response fields (reference §3.5).
//!
//! Services do not always send the documented types: `"ErrCode": 0` for a string field,
//! `"Success": "True"` for a boolean, numeric strings for integers, `null` anywhere.
//! Generated response structs put `#[serde(default, deserialize_with =
//! "alibabacloud_runtime::decode::lenient")]` on every `Option<scalar>` and
//! `Option<Vec<scalar>>` field, so these quirks decode instead of failing the whole response.
//! A value that cannot be read as the field's type at all is still an error (reported as a
//! [`DecodeError`](crate::DecodeError)), never silently dropped.
//!
//! Generated crates do not derive `Deserialize` for their response structs: serde's derive
//! costs several hundred lines of type-checked code per struct. Each struct instead gets one
//! short `deserialize` that reads its fields out of a [`Fields`] reader, which lives here once
//! rather than in every generated crate.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A type that can be read leniently from any JSON value.
pub trait Lenient: Sized {
    /// `Ok(None)` for `null` (and, for non-string types, an empty string).
    fn from_value(value: Value) -> Result<Option<Self>, String>;
}

/// `deserialize_with` target for `Option<T>` response fields.
pub fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    let value = Value::deserialize(deserializer)?;
    T::from_value(value).map_err(D::Error::custom)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Lenient for String {
    fn from_value(value: Value) -> Result<Option<Self>, String> {
        Ok(match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            // A structured value in a string field is kept as its JSON text.
            other @ (Value::Array(_) | Value::Object(_)) => Some(other.to_string()),
        })
    }
}

impl Lenient for bool {
    fn from_value(value: Value) -> Result<Option<Self>, String> {
        match value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::Number(n) => match n.as_f64() {
                Some(0.0) => Ok(Some(false)),
                Some(1.0) => Ok(Some(true)),
                _ => Err(format!("expected a boolean, found the number {n}")),
            },
            Value::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    Ok(None)
                } else if t.eq_ignore_ascii_case("true") || t == "1" {
                    Ok(Some(true))
                } else if t.eq_ignore_ascii_case("false") || t == "0" {
                    Ok(Some(false))
                } else {
                    Err(format!("expected a boolean, found the string {s:?}"))
                }
            }
            other => Err(format!("expected a boolean, found {}", describe(&other))),
        }
    }
}

macro_rules! lenient_integer {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn from_value(value: Value) -> Result<Option<Self>, String> {
                let what = stringify!($t);
                match value {
                    Value::Null => Ok(None),
                    Value::Number(n) => {
                        if let Some(i) = n.as_i64() {
                            <$t>::try_from(i).map(Some).map_err(|_| format!("{i} does not fit in {what}"))
                        } else if let Some(u) = n.as_u64() {
                            <$t>::try_from(u).map(Some).map_err(|_| format!("{u} does not fit in {what}"))
                        } else {
                            // A float with no fractional part (e.g. `3.0`) is still an integer.
                            match n.as_f64() {
                                Some(x) if x.fract() == 0.0 && x >= <$t>::MIN as f64 && x <= <$t>::MAX as f64 => Ok(Some(x as $t)),
                                _ => Err(format!("expected an integer ({what}), found {n}")),
                            }
                        }
                    }
                    Value::String(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        t.parse::<$t>().map(Some).map_err(|_| format!("expected an integer ({what}), found the string {s:?}"))
                    }
                    Value::Bool(b) => Ok(Some(<$t>::from(b))),
                    other => Err(format!("expected an integer ({what}), found {}", describe(&other))),
                }
            }
        }
    )*};
}
lenient_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! lenient_float {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn from_value(value: Value) -> Result<Option<Self>, String> {
                match value {
                    Value::Null => Ok(None),
                    // Narrowing to f32 is the field's declared precision.
                    Value::Number(n) => n.as_f64().map(|x| Some(x as $t)).ok_or_else(|| format!("{n} is not a number")),
                    Value::String(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        t.parse::<$t>().map(Some).map_err(|_| format!("expected a number, found the string {s:?}"))
                    }
                    other => Err(format!("expected a number, found {}", describe(&other))),
                }
            }
        }
    )*};
}
lenient_float!(f32, f64);

impl Lenient for Value {
    fn from_value(value: Value) -> Result<Option<Self>, String> {
        Ok(match value {
            Value::Null => None,
            v => Some(v),
        })
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn from_value(value: Value) -> Result<Option<Self>, String> {
        match value {
            Value::Null => Ok(None),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    // `null` elements carry nothing; skipping them mirrors omitted fields.
                    if let Some(v) = T::from_value(item).map_err(|e| format!("element {i}: {e}"))? {
                        out.push(v);
                    }
                }
                Ok(Some(out))
            }
            other => Err(format!("expected an array, found {}", describe(&other))),
        }
    }
}

/// The fields of one JSON object, taken out one by one by a generated `Deserialize` impl.
///
/// ```
/// use alibabacloud_runtime::decode::Fields;
/// use serde::de::value::Error;
///
/// let mut fields = Fields::from_value(serde_json::json!({"Total": "3", "Name": null}))
///     .expect("an object");
/// assert_eq!(fields.lenient::<i64, Error>("Total")?, Some(3));
/// assert_eq!(fields.field::<Vec<u8>, Error>("Name")?, None);
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug)]
pub struct Fields(serde_json::Map<String, Value>);

impl Fields {
    /// Reads an object; `null` reads as an object without fields, anything else is an error.
    pub fn of<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_value(Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }

    /// [`Fields::of`] for an already parsed value; the error says what was found instead.
    pub fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(Self(serde_json::Map::new())),
            Value::Object(map) => Ok(Self(map)),
            other => Err(format!(
                "expected a JSON object, found {}",
                describe(&other)
            )),
        }
    }

    /// Removes a field; absent reads as `null`.
    fn take(&mut self, name: &str) -> Value {
        self.0.remove(name).unwrap_or(Value::Null)
    }

    /// A scalar (or array of scalars) field, decoded leniently ([`Lenient`]): numbers in
    /// string fields, `"True"` for booleans. Errors name the field.
    pub fn lenient<T: Lenient, E: Error>(&mut self, name: &str) -> Result<Option<T>, E> {
        T::from_value(self.take(name)).map_err(|error| E::custom(format_args!("{name}: {error}")))
    }

    /// Any other field (nested objects, maps, secrets); `null` or absent is `None`.
    /// Errors name the field.
    pub fn field<T: DeserializeOwned, E: Error>(&mut self, name: &str) -> Result<Option<T>, E> {
        match self.take(name) {
            Value::Null => Ok(None),
            value => T::deserialize(value)
                .map(Some)
                .map_err(|error| E::custom(format_args!("{name}: {error}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    struct Sample {
        #[serde(rename = "Code", default, deserialize_with = "lenient")]
        code: Option<String>,
        #[serde(rename = "Success", default, deserialize_with = "lenient")]
        success: Option<bool>,
        #[serde(rename = "Total", default, deserialize_with = "lenient")]
        total: Option<i64>,
        #[serde(rename = "Small", default, deserialize_with = "lenient")]
        small: Option<i32>,
        #[serde(rename = "Ratio", default, deserialize_with = "lenient")]
        ratio: Option<f64>,
        #[serde(rename = "Ids", default, deserialize_with = "lenient")]
        ids: Option<Vec<String>>,
        #[serde(rename = "Any", default, deserialize_with = "lenient")]
        any: Option<Value>,
    }

    fn decode(v: Value) -> Result<Sample, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn strings_accept_numbers_and_booleans() {
        let s = decode(json!({"Code": 200, "Ids": [1, "b", null, true]})).unwrap();
        assert_eq!(s.code.as_deref(), Some("200"));
        assert_eq!(s.ids, Some(vec!["1".into(), "b".into(), "true".into()]));
        assert_eq!(
            decode(json!({"Code": 1.5})).unwrap().code.as_deref(),
            Some("1.5")
        );
    }

    #[test]
    fn booleans_accept_documented_spellings() {
        for (v, want) in [
            (json!("True"), Some(true)),
            (json!("true"), Some(true)),
            (json!("FALSE"), Some(false)),
            (json!(0), Some(false)),
            (json!(1), Some(true)),
            (json!(true), Some(true)),
            (json!(""), None),
            (json!(null), None),
        ] {
            assert_eq!(
                decode(json!({ "Success": v.clone() })).unwrap().success,
                want,
                "{v}"
            );
        }
        assert!(decode(json!({"Success": "yes"})).is_err());
        assert!(decode(json!({"Success": 2})).is_err());
    }

    #[test]
    fn integers_accept_numeric_strings_and_check_range() {
        let s = decode(json!({"Total": "42", "Small": 7.0})).unwrap();
        assert_eq!((s.total, s.small), (Some(42), Some(7)));
        assert_eq!(decode(json!({"Total": " -3 "})).unwrap().total, Some(-3));
        assert!(decode(json!({"Small": 3_000_000_000_i64})).is_err());
        assert!(decode(json!({"Total": "4x"})).is_err());
        assert!(decode(json!({"Total": 1.5})).is_err());
        assert_eq!(decode(json!({"Total": ""})).unwrap().total, None);
    }

    #[test]
    fn floats_nulls_and_missing() {
        let s = decode(json!({"Ratio": "0.25", "Any": {"a": 1}, "Code": null})).unwrap();
        assert_eq!(s.ratio, Some(0.25));
        assert_eq!(s.any, Some(json!({"a": 1})));
        assert_eq!(s.code, None);
        assert_eq!(decode(json!({})).unwrap(), Sample::default());
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        assert!(decode(json!({"Ids": "x"})).is_err());
        assert!(decode(json!({"Total": [1]})).is_err());
        let e = decode(json!({"Ids": [[1], {"x": 2}, 3]})).unwrap();
        assert_eq!(
            e.ids,
            Some(vec!["[1]".into(), "{\"x\":2}".into(), "3".into()])
        );
    }

    /// A struct decoded the way generated crates decode theirs.
    #[derive(Debug, PartialEq)]
    struct Reply {
        total: Option<i64>,
        ids: Option<Vec<String>>,
        inner: Option<Inner>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        #[serde(rename = "Name")]
        name: String,
    }

    impl<'de> Deserialize<'de> for Reply {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::of(deserializer)?;
            Ok(Self {
                total: fields.lenient("Total")?,
                ids: fields.lenient("Ids")?,
                inner: fields.field("Inner")?,
            })
        }
    }

    fn reply(text: &str) -> Result<Reply, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn fields_read_present_lenient_and_nested_values() {
        let r = reply(r#"{"Total": "7", "Ids": [1, "a"], "Inner": {"Name": "n"}, "Extra": 1}"#)
            .unwrap();
        assert_eq!(r.total, Some(7));
        assert_eq!(r.ids, Some(vec!["1".into(), "a".into()]));
        assert_eq!(r.inner, Some(Inner { name: "n".into() }));
    }

    #[test]
    fn fields_absent_or_null_are_none_and_null_object_is_empty() {
        let empty = Reply {
            total: None,
            ids: None,
            inner: None,
        };
        assert_eq!(reply(r#"{"Total": null, "Inner": null}"#).unwrap(), empty);
        assert_eq!(reply("{}").unwrap(), empty);
        assert_eq!(reply("null").unwrap(), empty);
    }

    #[test]
    fn fields_errors_name_the_field_or_the_shape() {
        let e = reply(r#"{"Total": "4x"}"#).unwrap_err().to_string();
        assert!(e.starts_with("Total: expected an integer"), "{e}");
        let e = reply(r#"{"Inner": {"Name": 3}}"#).unwrap_err().to_string();
        assert!(e.starts_with("Inner: invalid type"), "{e}");
        let e = reply(r#"["Total"]"#).unwrap_err().to_string();
        assert!(e.contains("expected a JSON object, found an array"), "{e}");
        assert_eq!(
            Fields::from_value(json!("x")).unwrap_err(),
            "expected a JSON object, found a string"
        );
    }
}
