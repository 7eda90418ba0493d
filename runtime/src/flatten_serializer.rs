//! Flattening a parameter's value into `(name, value)` pairs straight from `Serialize`.
//!
//! The rules are those of [`params::flatten`](crate::params::flatten) (reference §2.4):
//! list element *i* → `prefix.(i+1)`, object member *k* → `prefix.k`, scalar →
//! `prefix=value` rendered as the official SDKs render it (§2.5), `null` skipped. That
//! function takes a `serde_json::Value`; on the per-call path, building that value first
//! costs an allocation per string and per object member, only for it to be taken apart
//! again. This serializer writes the pairs directly, with one growing name buffer. The two
//! are kept equal by a test over values of every shape (`tests` below); pairs may come out
//! in another order (struct order rather than sorted keys), which does not matter since
//! every destination is sorted before it is encoded.

use crate::params::Name;
use serde::ser::{self, Impossible, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Why flattening stopped: a value that has no parameter form (bytes, an enum variant
/// with data, a map with non-string keys), or an error from the value's own `Serialize`.
#[derive(Debug)]
pub(crate) struct Unflattenable(pub(crate) String);

impl fmt::Display for Unflattenable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unflattenable {}

impl ser::Error for Unflattenable {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unflattenable(msg.to_string())
    }
}

/// Appends the pairs of `value`, flattened under the parameter name `name`, to `out`.
pub(crate) fn flatten_into<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    out: &mut Vec<(Name, String)>,
) -> Result<(), Unflattenable> {
    value.serialize(&mut Flattener {
        root: name,
        path: String::new(),
        out,
    })
}

struct Flattener<'o> {
    /// The parameter's own name: a pair at the top level borrows it instead of copying.
    root: &'static str,
    /// The name of the value being serialized (`Tag.1.Key`); segments are pushed on the way
    /// down and cut off on the way up. Empty at the top level, which is `root`: a scalar
    /// parameter (most of them) allocates no name.
    path: String,
    out: &'o mut Vec<(Name, String)>,
}

impl Flattener<'_> {
    fn push(&mut self, value: String) {
        let name = if self.path.is_empty() {
            Cow::Borrowed(self.root)
        } else {
            Cow::Owned(self.path.clone())
        };
        self.out.push((name, value));
    }

    /// The length to cut the path back to after a nested value; the root name is written
    /// out on the first way down.
    fn descend(&mut self) -> usize {
        let len = self.path.len();
        if len == 0 {
            self.path.reserve(self.root.len() + 16);
            self.path.push_str(self.root);
        }
        len
    }

    /// Serializes `value` under `path` + `.segment`.
    fn nested<T: Serialize + ?Sized>(
        &mut self,
        segment: &str,
        value: &T,
    ) -> Result<(), Unflattenable> {
        let len = self.descend();
        self.path.push('.');
        self.path.push_str(segment);
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }

    /// Serializes list element `index` (one-based) under `path` + `.index`.
    fn element<T: Serialize + ?Sized>(
        &mut self,
        index: usize,
        value: &T,
    ) -> Result<(), Unflattenable> {
        let len = self.descend();
        self.path.push('.');
        push_decimal(&mut self.path, index as u64);
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }

    fn unsigned(&mut self, n: u64) -> Result<(), Unflattenable> {
        let mut text = String::with_capacity(20);
        push_decimal(&mut text, n);
        self.push(text);
        Ok(())
    }

    fn signed(&mut self, n: i64) -> Result<(), Unflattenable> {
        let mut text = String::with_capacity(20);
        if n < 0 {
            text.push('-');
        }
        push_decimal(&mut text, n.unsigned_abs());
        self.push(text);
        Ok(())
    }

    fn number(&mut self, n: impl ToString) -> Result<(), Unflattenable> {
        self.push(n.to_string());
        Ok(())
    }

    fn float(&mut self, x: f64) -> Result<(), Unflattenable> {
        // Rendered exactly as a JSON number (`1.0`, `0.25`, `1e300`); NaN and infinities
        // are JSON `null`, and so not sent.
        if let Some(n) = serde_json::Number::from_f64(x) {
            self.push(n.to_string());
        }
        Ok(())
    }
}

/// Appends `n` in decimal, as `Display` writes it, without going through the formatter.
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

fn unflattenable(what: &str) -> Unflattenable {
    Unflattenable(format!("{what} cannot be sent as a parameter"))
}

impl<'a, 'o> ser::Serializer for &'a mut Flattener<'o> {
    type Ok = ();
    type Error = Unflattenable;
    type SerializeSeq = Elements<'a, 'o>;
    type SerializeTuple = Elements<'a, 'o>;
    type SerializeTupleStruct = Elements<'a, 'o>;
    type SerializeTupleVariant = Impossible<(), Unflattenable>;
    type SerializeMap = Members<'a, 'o>;
    type SerializeStruct = Members<'a, 'o>;
    type SerializeStructVariant = Impossible<(), Unflattenable>;

    fn serialize_bool(self, v: bool) -> Result<(), Unflattenable> {
        self.push(if v { "true" } else { "false" }.to_owned());
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unflattenable> {
        self.signed(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unflattenable> {
        self.signed(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unflattenable> {
        self.signed(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unflattenable> {
        self.signed(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unflattenable> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unflattenable> {
        self.unsigned(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unflattenable> {
        self.unsigned(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unflattenable> {
        self.unsigned(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unflattenable> {
        self.unsigned(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unflattenable> {
        self.number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unflattenable> {
        // The f32's own shortest form (`0.1`), as serde_json writes it to text; widening
        // to f64 first would send `0.10000000149011612`.
        if v.is_finite() {
            self.push(serde_json::to_string(&v).map_err(ser::Error::custom)?);
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unflattenable> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unflattenable> {
        self.push(v.to_string());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unflattenable> {
        self.push(v.to_owned());
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unflattenable> {
        Err(unflattenable("a byte string"))
    }
    fn serialize_none(self) -> Result<(), Unflattenable> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unflattenable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unflattenable> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unflattenable> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unflattenable> {
        self.push(variant.to_owned());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unflattenable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unflattenable> {
        // `{"Variant": value}`, as serde_json writes it.
        self.nested(variant, value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Elements<'a, 'o>, Unflattenable> {
        Ok(Elements {
            flattener: self,
            index: 0,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Elements<'a, 'o>, Unflattenable> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Elements<'a, 'o>, Unflattenable> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unflattenable> {
        Err(unflattenable("an enum variant with fields"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Members<'a, 'o>, Unflattenable> {
        Ok(Members {
            flattener: self,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Members<'a, 'o>, Unflattenable> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unflattenable> {
        Err(unflattenable("an enum variant with fields"))
    }
}

/// The elements of a list: `prefix.1`, `prefix.2`, … (one-based, counting skipped `null`s).
pub(crate) struct Elements<'a, 'o> {
    flattener: &'a mut Flattener<'o>,
    index: usize,
}

impl Elements<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unflattenable> {
        self.index += 1;
        self.flattener.element(self.index, value)
    }
}

impl ser::SerializeSeq for Elements<'_, '_> {
    type Ok = ();
    type Error = Unflattenable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unflattenable> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unflattenable> {
        Ok(())
    }
}

impl ser::SerializeTuple for Elements<'_, '_> {
    type Ok = ();
    type Error = Unflattenable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unflattenable> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unflattenable> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Elements<'_, '_> {
    type Ok = ();
    type Error = Unflattenable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unflattenable> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unflattenable> {
        Ok(())
    }
}

/// The members of an object or map: `prefix.Name`.
pub(crate) struct Members<'a, 'o> {
    flattener: &'a mut Flattener<'o>,
    /// A map key waiting for its value.
    key: Option<String>,
}

impl ser::SerializeMap for Members<'_, '_> {
    type Ok = ();
    type Error = Unflattenable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unflattenable> {
        // Map keys are strings in JSON; serde_json also accepts numbers and booleans and
        // writes them as text, so the same text is used here.
        let key = match serde_json::to_value(key).map_err(ser::Error::custom)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(unflattenable("a map key that is not a string")),
        };
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unflattenable> {
        let key = self
            .key
            .take()
            .ok_or_else(|| unflattenable("a map value without a key"))?;
        self.flattener.nested(&key, value)
    }
    fn end(self) -> Result<(), Unflattenable> {
        Ok(())
    }
}

impl ser::SerializeStruct for Members<'_, '_> {
    type Ok = ();
    type Error = Unflattenable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unflattenable> {
        self.flattener.nested(name, value)
    }
    fn end(self) -> Result<(), Unflattenable> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;
    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    type Pairs = Vec<(Name, String)>;

    /// Both flatteners, sorted (the only order that reaches the wire).
    fn both<T: Serialize>(value: &T) -> (Pairs, Pairs) {
        let mut direct = Vec::new();
        flatten_into("P", value, &mut direct).unwrap();
        let mut via_value = Vec::new();
        params::flatten(
            Cow::Borrowed("P"),
            serde_json::to_value(value).unwrap(),
            &mut via_value,
        );
        crate::encoding::sort_pairs(&mut direct);
        crate::encoding::sort_pairs(&mut via_value);
        (direct, via_value)
    }

    #[test]
    fn agrees_with_the_value_flattener_on_every_shape() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-17),
            json!(18446744073709551615_u64),
            json!(0.25),
            json!(1.0),
            json!(1e300),
            json!(""),
            json!("a b*中"),
            json!([]),
            json!([null, "x", [1, [2, null]], {"K": "v"}]),
            json!({}),
            json!({"Key": "k", "Value": null, "Nested": {"A": [true, 3.5]}}),
            json!([{"Key": "a", "Value": "1"}, {"Key": "b"}]),
        ];
        for v in &values {
            let (direct, via_value) = both(v);
            assert_eq!(direct, via_value, "{v}");
        }
    }

    #[derive(Serialize)]
    struct Tag {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        #[serde(rename = "Weight")]
        weight: Option<f32>,
    }

    #[derive(Serialize)]
    enum Mode {
        Fast,
    }

    #[test]
    fn agrees_on_typed_values_and_borrows_top_level_names() {
        let tags = vec![
            Tag {
                key: "env".into(),
                value: Some("prod".into()),
                weight: Some(0.5),
            },
            Tag {
                key: "team".into(),
                value: None,
                weight: None,
            },
        ];
        let (direct, via_value) = both(&tags);
        assert_eq!(direct, via_value);
        assert_eq!(direct[0], (Cow::Owned("P.1.Key".into()), "env".into()));

        let map = BTreeMap::from([("b", vec![1, 2]), ("a", vec![])]);
        let (direct, via_value) = both(&map);
        assert_eq!(direct, via_value);

        let (direct, via_value) = both(&(Some(7_i64), Mode::Fast, 'c', f64::NAN));
        assert_eq!(direct, via_value);

        let mut out = Vec::new();
        flatten_into("Name", &"x", &mut out).unwrap();
        assert!(matches!(out[0].0, Cow::Borrowed("Name")));
    }

    #[test]
    fn integers_render_as_display_writes_them() {
        let mut out = Vec::new();
        flatten_into(
            "P",
            &(i64::MIN, i64::MAX, u64::MAX, 0_u8, -1_i8, 10_u32, i128::MIN),
            &mut out,
        )
        .unwrap();
        let values: Vec<&str> = out.iter().map(|(_, v)| v.as_str()).collect();
        let expected = [
            i64::MIN.to_string(),
            i64::MAX.to_string(),
            u64::MAX.to_string(),
            "0".to_owned(),
            "-1".to_owned(),
            "10".to_owned(),
            i128::MIN.to_string(),
        ];
        assert_eq!(values, expected);
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_ref()).collect();
        assert_eq!(names, ["P.1", "P.2", "P.3", "P.4", "P.5", "P.6", "P.7"]);
    }

    #[test]
    fn floats_render_in_their_own_precision() {
        let mut out = Vec::new();
        flatten_into("P", &(0.1_f32, 0.1_f64, f32::INFINITY, 1e300_f64), &mut out).unwrap();
        let values: Vec<&str> = out.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["0.1", "0.1", "1e+300"]);
    }

    #[test]
    fn values_without_a_parameter_form_are_errors() {
        #[derive(Serialize)]
        enum Shape {
            Circle { r: u8 },
        }
        let mut out = Vec::new();
        let e = flatten_into("P", &Shape::Circle { r: 1 }, &mut out).unwrap_err();
        assert_eq!(
            e.0,
            "an enum variant with fields cannot be sent as a parameter"
        );
        let e = flatten_into("P", &BTreeMap::from([((1, 2), 3)]), &mut out).unwrap_err();
        assert!(e.0.contains("key"), "{}", e.0);
    }
}
