//! Request values without per-type serde code: what generated request structs implement
//! instead of deriving `Serialize`.
//!
//! `#[derive(Serialize)]` gives every request struct a `serialize` generic over the
//! serializer, which the runtime then instantiated once per serializer it routes with, per
//! struct: most of a generated crate's debug build went into those copies. A generated
//! struct instead lists its fields to a [`Visit`] as `&dyn Param`, a non-generic method,
//! and the runtime drives serde's serializers from that in code compiled once, here
//! ([`serialize`], and the routing of [`params::route_fields`](crate::params::route_fields)).
//!
//! The calls a serializer receives are exactly those the derive made: a struct whose
//! `None` fields are skipped (`skip_serializing_if = "Option::is_none"`), `Some` as
//! `serialize_some`, lists with their length, maps by entry, [`Sensitive`] and `Box`
//! transparent; so what is sent is unchanged, byte for byte.

use crate::sensitive::Sensitive;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use std::collections::BTreeMap;

/// What a value is, for serializing it.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Shape<'a> {
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A floating-point number.
    F64(f64),
    /// Bytes.
    Bytes(&'a [u8]),
    /// A JSON value, serialized as itself.
    Json(&'a serde_json::Value),
    /// An absent optional value: a struct field of this shape is skipped.
    None,
    /// A present optional value.
    Some(&'a dyn Param),
    /// A list.
    Seq(&'a dyn Seq),
    /// A map with string keys.
    Map(&'a dyn Map),
    /// A struct with this name, whose fields [`Param::fields`] lists.
    Struct(&'static str),
}

/// A value of a request: what it is ([`Param::shape`]) and, for a struct, its fields.
pub trait Param: Sync {
    /// What the value is.
    fn shape(&self) -> Shape<'_>;

    /// A struct's fields, in declaration order, each under its wire name. Nothing for
    /// other values.
    fn fields(&self, visit: &mut dyn Visit) {
        let _ = visit;
    }
}

/// Receives a struct's fields ([`Param::fields`]).
pub trait Visit {
    /// One field; one whose shape is [`Shape::None`] is skipped.
    fn field(&mut self, name: &'static str, value: &dyn Param);
}

/// The elements of a list.
pub trait Seq: Sync {
    /// How many elements there are.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Element `index`, below [`Seq::len`].
    fn get(&self, index: usize) -> &dyn Param;
}

/// The entries of a map with string keys, in order.
pub trait Map: Sync {
    /// Calls `entry` with each key and value.
    fn entries(&self, entry: &mut dyn FnMut(&str, &dyn Param));
    /// How many entries there are.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Param for String {
    fn shape(&self) -> Shape<'_> {
        Shape::Str(self)
    }
}

impl Param for bool {
    fn shape(&self) -> Shape<'_> {
        Shape::Bool(*self)
    }
}

impl Param for i32 {
    fn shape(&self) -> Shape<'_> {
        Shape::I32(*self)
    }
}

impl Param for i64 {
    fn shape(&self) -> Shape<'_> {
        Shape::I64(*self)
    }
}

impl Param for f64 {
    fn shape(&self) -> Shape<'_> {
        Shape::F64(*self)
    }
}

impl Param for bytes::Bytes {
    fn shape(&self) -> Shape<'_> {
        Shape::Bytes(self)
    }
}

impl Param for serde_json::Value {
    fn shape(&self) -> Shape<'_> {
        Shape::Json(self)
    }
}

impl<T: Param> Param for Option<T> {
    fn shape(&self) -> Shape<'_> {
        match self {
            None => Shape::None,
            Some(value) => Shape::Some(value),
        }
    }
}

impl<T: Param> Param for Box<T> {
    fn shape(&self) -> Shape<'_> {
        (**self).shape()
    }
    fn fields(&self, visit: &mut dyn Visit) {
        (**self).fields(visit);
    }
}

impl<T: Param> Param for Sensitive<T> {
    fn shape(&self) -> Shape<'_> {
        self.expose().shape()
    }
    fn fields(&self, visit: &mut dyn Visit) {
        self.expose().fields(visit);
    }
}

impl<T: Param> Param for Vec<T> {
    fn shape(&self) -> Shape<'_> {
        Shape::Seq(self)
    }
}

impl<T: Param> Seq for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, index: usize) -> &dyn Param {
        &self[index]
    }
}

impl<T: Param> Param for BTreeMap<String, T> {
    fn shape(&self) -> Shape<'_> {
        Shape::Map(self)
    }
}

impl<T: Param> Map for BTreeMap<String, T> {
    fn entries(&self, entry: &mut dyn FnMut(&str, &dyn Param)) {
        for (key, value) in self {
            entry(key, value);
        }
    }
    fn len(&self) -> usize {
        BTreeMap::len(self)
    }
}

/// `Serialize` of a generated request struct, as the derive would have written it.
///
/// # Errors
///
/// Whatever the serializer returns.
pub fn serialize<S: Serializer>(value: &dyn Param, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

impl Serialize for dyn Param + '_ {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.shape() {
            Shape::Str(v) => serializer.serialize_str(v),
            Shape::Bool(v) => serializer.serialize_bool(v),
            Shape::I32(v) => serializer.serialize_i32(v),
            Shape::I64(v) => serializer.serialize_i64(v),
            Shape::F64(v) => serializer.serialize_f64(v),
            Shape::Bytes(v) => serializer.serialize_bytes(v),
            Shape::Json(v) => v.serialize(serializer),
            Shape::None => serializer.serialize_none(),
            Shape::Some(v) => serializer.serialize_some(v),
            Shape::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for index in 0..items.len() {
                    seq.serialize_element(items.get(index))?;
                }
                seq.end()
            }
            Shape::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                let mut failed = None;
                entries.entries(&mut |key, value| {
                    if failed.is_none() {
                        failed = map.serialize_entry(key, value).err();
                    }
                });
                match failed {
                    Some(e) => Err(e),
                    None => map.end(),
                }
            }
            Shape::Struct(name) => {
                let mut count = Count(0);
                self.fields(&mut count);
                let mut fields = Fields {
                    out: serializer.serialize_struct(name, count.0)?,
                    failed: None,
                };
                self.fields(&mut fields);
                match fields.failed {
                    Some(e) => Err(e),
                    None => fields.out.end(),
                }
            }
        }
    }
}

/// Counts the fields a struct serializes (its `len`, as the derive passes it).
struct Count(usize);

impl Visit for Count {
    fn field(&mut self, _: &'static str, value: &dyn Param) {
        if !matches!(value.shape(), Shape::None) {
            self.0 += 1;
        }
    }
}

/// Serializes a struct's fields; stops at the first error, which it keeps.
struct Fields<S: SerializeStruct> {
    out: S,
    failed: Option<S::Error>,
}

impl<S: SerializeStruct> Visit for Fields<S> {
    fn field(&mut self, name: &'static str, value: &dyn Param) {
        if self.failed.is_some() {
            return;
        }
        let result = match value.shape() {
            Shape::None => self.out.skip_field(name),
            _ => self.out.serialize_field(name, value),
        };
        if let Err(e) = result {
            self.failed = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct as the generator writes it, next to the derive it replaces.
    #[derive(serde::Serialize)]
    struct Derived {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Size", skip_serializing_if = "Option::is_none")]
        size: Option<i32>,
        #[serde(rename = "Big", skip_serializing_if = "Option::is_none")]
        big: Option<i64>,
        #[serde(rename = "On", skip_serializing_if = "Option::is_none")]
        on: Option<bool>,
        #[serde(rename = "Ratio", skip_serializing_if = "Option::is_none")]
        ratio: Option<f64>,
        #[serde(rename = "Secret", skip_serializing_if = "Option::is_none")]
        secret: Option<Sensitive<String>>,
        #[serde(rename = "Any", skip_serializing_if = "Option::is_none")]
        any: Option<serde_json::Value>,
        #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<DerivedTag>>,
        #[serde(rename = "Labels", skip_serializing_if = "Option::is_none")]
        labels: Option<BTreeMap<String, Vec<String>>>,
        #[serde(rename = "Inner", skip_serializing_if = "Option::is_none")]
        inner: Option<Box<DerivedTag>>,
    }

    #[derive(serde::Serialize)]
    struct DerivedTag {
        #[serde(rename = "Key", skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    }

    struct Visited(Derived);

    impl Param for Visited {
        fn shape(&self) -> Shape<'_> {
            Shape::Struct("Derived")
        }
        fn fields(&self, visit: &mut dyn Visit) {
            let d = &self.0;
            visit.field("Name", &d.name);
            visit.field("Size", &d.size);
            visit.field("Big", &d.big);
            visit.field("On", &d.on);
            visit.field("Ratio", &d.ratio);
            visit.field("Secret", &d.secret);
            visit.field("Any", &d.any);
            let tags = d
                .tags
                .as_ref()
                .map(|tags| tags.iter().map(|t| Tag(t.key.clone(), t.value.clone())));
            let tags: Option<Vec<Tag>> = tags.map(Iterator::collect);
            visit.field("Tags", &tags);
            visit.field("Labels", &d.labels);
            let inner = d
                .inner
                .as_ref()
                .map(|t| Box::new(Tag(t.key.clone(), t.value.clone())));
            visit.field("Inner", &inner);
        }
    }

    struct Tag(Option<String>, Option<String>);

    impl Param for Tag {
        fn shape(&self) -> Shape<'_> {
            Shape::Struct("DerivedTag")
        }
        fn fields(&self, visit: &mut dyn Visit) {
            visit.field("Key", &self.0);
            visit.field("Value", &self.1);
        }
    }

    fn sample(full: bool) -> Derived {
        Derived {
            name: "n\"é".into(),
            size: full.then_some(-3),
            big: full.then_some(9_007_199_254_740_993),
            on: full.then_some(false),
            ratio: full.then_some(0.1),
            secret: full.then(|| Sensitive::new("pw".to_owned())),
            any: full.then(|| serde_json::json!({"b": [1, null], "a": "x"})),
            tags: full.then(|| {
                vec![
                    DerivedTag {
                        key: Some("k".into()),
                        value: None,
                    },
                    DerivedTag {
                        key: None,
                        value: Some("v".into()),
                    },
                ]
            }),
            labels: full.then(|| {
                BTreeMap::from([
                    ("z".to_owned(), vec!["1".to_owned()]),
                    ("a".to_owned(), vec![]),
                ])
            }),
            inner: full.then(|| {
                Box::new(DerivedTag {
                    key: Some("i".into()),
                    value: None,
                })
            }),
        }
    }

    #[test]
    fn serializes_as_the_derive_did() {
        for full in [true, false] {
            let derived = serde_json::to_string(&sample(full)).unwrap();
            let visited = serde_json::to_string(&Visited(sample(full)) as &dyn Param).unwrap();
            assert_eq!(visited, derived);
            let derived = serde_json::to_value(sample(full)).unwrap();
            let visited = serialize(&Visited(sample(full)), serde_json::value::Serializer).unwrap();
            assert_eq!(visited, derived);
        }
    }

    #[test]
    fn struct_length_counts_the_fields_sent() {
        let mut count = Count(0);
        Visited(sample(false)).fields(&mut count);
        assert_eq!(count.0, 1);
        let mut count = Count(0);
        Visited(sample(true)).fields(&mut count);
        assert_eq!(count.0, 10);
    }
}
