//! Reading response bodies into generated types, in one pass and leniently (reference §3.5).
//!
//! Services do not always send the documented types: `"ErrCode": 0` for a string field,
//! `"Success": "True"` for a boolean, numeric strings for integers, `null` anywhere. Every
//! field is read through [`FromJson`], which accepts these quirks. A value that cannot be
//! read as the field's type at all is still an error (reported as a
//! [`DecodeError`](crate::DecodeError) naming the field), never silently dropped.
//!
//! How a body is read: [`Fields::parse`] scans one JSON object once and keeps each member as
//! its raw JSON text (borrowed from the body, nothing copied or allocated per value). A
//! generated struct ([`Record`]) then takes the members it knows by name; only those are
//! parsed further, nested objects the same way. Members the type does not know are skipped
//! by the scan and never built. The client reads the envelope (`Success`, `Code`,
//! `RequestId`) from the same [`Fields`] as the output, so a body is scanned once.
//!
//! Generated crates neither derive `Deserialize` for their response structs nor carry any
//! decoding logic: serde's derive costs several hundred lines of type-checked code per
//! struct, and a generic reader would be compiled again for every struct. Each struct gets
//! one short, non-generic [`Record::from_fields`] that names its fields; the reading lives
//! here once.

use crate::sensitive::Sensitive;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Why a value could not be read; the path of field names leads to it (`Data: Total: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Error(reason.into())
    }

    fn within(self, name: &str) -> Self {
        Error(format!("{name}: {}", self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error(e.to_string())
    }
}

/// A type that can be read, leniently, from the raw JSON text of one value.
pub trait FromJson: Sized {
    /// `Ok(None)` for `null` (and, for non-string scalars, an empty string).
    fn from_json(raw: &str) -> Result<Option<Self>, Error>;
}

/// A generated struct: reads its fields out of one JSON object.
pub trait Record: Sized {
    /// Takes the struct's fields out of `fields`; absent and `null` fields are `None`.
    fn from_fields(fields: &Fields<'_>) -> Result<Self, Error>;
}

/// Reads a [`Record`] from a JSON body (a JSON object, or `null` for an empty one).
///
/// ```
/// # use alibabacloud_runtime::decode::{self, Fields, Record};
/// #[derive(Debug, PartialEq)]
/// struct Page { total: Option<i64>, names: Option<Vec<String>> }
/// impl Record for Page {
///     fn from_fields(fields: &Fields<'_>) -> Result<Self, decode::Error> {
///         Ok(Page { total: fields.get("Total")?, names: fields.get("Names")? })
///     }
/// }
/// let page: Page = decode::from_slice(br#"{"Total": "3", "Names": ["a", 1], "Extra": {}}"#)?;
/// assert_eq!(page, Page { total: Some(3), names: Some(vec!["a".into(), "1".into()]) });
/// # Ok::<(), decode::Error>(())
/// ```
pub fn from_slice<T: Record>(body: &[u8]) -> Result<T, Error> {
    T::from_fields(&Fields::parse(body)?)
}

/// [`from_slice`] for text.
pub fn from_str<T: Record>(body: &str) -> Result<T, Error> {
    from_slice(body.as_bytes())
}

/// `Deserialize` for a [`Record`] from any serde data format (through a JSON value, so this
/// is the convenient path, not the fast one the client takes). Generated response types
/// implement `Deserialize` with this, so they can be read from stored JSON too.
pub fn deserialize<'de, D: Deserializer<'de>, T: Record>(deserializer: D) -> Result<T, D::Error> {
    let text = Value::deserialize(deserializer)?.to_string();
    from_str(&text).map_err(de::Error::custom)
}

/// The members of one JSON object, each kept as its raw JSON text.
///
/// ```
/// use alibabacloud_runtime::decode::Fields;
///
/// let fields = Fields::parse(br#"{"Total": "3", "Name": null}"#)?;
/// assert_eq!(fields.get::<i64>("Total")?, Some(3));
/// assert_eq!(fields.get::<String>("Name")?, None);
/// assert_eq!(fields.get::<String>("Missing")?, None);
/// # Ok::<(), alibabacloud_runtime::decode::Error>(())
/// ```
#[derive(Default)]
pub struct Fields<'a> {
    members: Vec<(Cow<'a, str>, &'a str)>,
    /// Large objects are sorted by name once, so that each lookup is a binary search
    /// rather than a scan (a list of a hundred 30-field items would otherwise cost a
    /// hundred thousand name comparisons).
    sorted: bool,
}

/// Names only: values are raw response text and may hold secrets (STS answers carry an
/// AccessKey secret and a token).
impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fields")
            .field(
                "names",
                &self.members.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Reads fields into a record's places, keeping the first error: what a generated
/// [`Record::from_fields`] does with one call per field.
///
/// ```
/// # use alibabacloud_runtime::decode::{self, Fields, Record};
/// #[derive(Debug, Default, PartialEq)]
/// struct Page { total: Option<i64>, names: Option<Vec<String>> }
/// impl Record for Page {
///     fn from_fields(fields: &Fields<'_>) -> Result<Self, decode::Error> {
///         let mut out = Page::default();
///         let mut reader = fields.reader();
///         reader.read("Total", &mut out.total);
///         reader.read("Names", &mut out.names);
///         match reader.into_error() {
///             None => Ok(out),
///             Some(error) => Err(error),
///         }
///     }
/// }
/// let page: Page = decode::from_slice(br#"{"Total": "3", "Names": ["a", 1]}"#)?;
/// assert_eq!(page, Page { total: Some(3), names: Some(vec!["a".into(), "1".into()]) });
/// let error = decode::from_slice::<Page>(br#"{"Total": "x", "Names": 1}"#).unwrap_err();
/// assert!(error.to_string().starts_with("Total: "));
/// # Ok::<(), decode::Error>(())
/// ```
#[derive(Debug)]
pub struct Reader<'f, 'a> {
    fields: &'f Fields<'a>,
    failed: Option<Error>,
}

impl Reader<'_, '_> {
    /// Reads field `name` ([`Fields::get`]) into `place`; after an error, reads nothing
    /// more.
    pub fn read<T: FromJson>(&mut self, name: &str, place: &mut Option<T>) {
        // Instantiated for every field type of every generated crate: the lookup and the
        // error's shaping are non-generic calls, so each instance is this one match
        // (`Fields::get` would add its own instance and a closure's).
        if self.failed.is_some() {
            return;
        }
        if let Some(raw) = self.fields.raw(name) {
            match T::from_json(raw) {
                Ok(value) => *place = value,
                Err(e) => self.failed = Some(e.within(name)),
            }
        }
    }

    /// The first error a read met, naming its field; `None` when every read succeeded.
    pub fn into_error(self) -> Option<Error> {
        self.failed
    }
}

/// Objects with more members than this are sorted for lookup; smaller ones are scanned,
/// which is cheaper than sorting them.
const SCAN_LIMIT: usize = 16;

impl<'a> Fields<'a> {
    /// Scans a JSON object; `null` reads as an object without members, anything else is an
    /// error saying what was found instead.
    pub fn parse(json: &'a [u8]) -> Result<Self, Error> {
        // Checked once here: raw values borrowed from text are not checked again, at every
        // level of nesting, as raw values borrowed from bytes would be.
        let text = std::str::from_utf8(json)
            .map_err(|e| Error::new(format!("the body is not UTF-8 text ({e})")))?;
        Self::parse_str(text)
    }

    fn parse_str(json: &'a str) -> Result<Self, Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let fields = de.deserialize_any(MembersVisitor)?;
        de.end()?;
        Ok(fields)
    }

    /// The raw JSON text of a member; the last one wins if a name repeats, as in
    /// `serde_json`.
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        if self.sorted {
            // The sort is stable: among equal names the last one in the body comes last.
            let end = self
                .members
                .partition_point(|(key, _)| lookup_order(key, name).is_le());
            return self.members[..end]
                .last()
                .filter(|(key, _)| key == name)
                .map(|(_, raw)| *raw);
        }
        self.members
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, raw)| *raw)
    }

    /// A field read leniently ([`FromJson`]); absent or `null` is `None`. Errors name the
    /// field.
    pub fn get<T: FromJson>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.raw(name) {
            None => Ok(None),
            Some(raw) => T::from_json(raw).map_err(|e| e.within(name)),
        }
    }

    /// A [`Reader`] of these fields, for a generated [`Record::from_fields`].
    pub fn reader(&self) -> Reader<'_, 'a> {
        Reader {
            fields: self,
            failed: None,
        }
    }

    /// The first of several spellings of a field that is present and not `null`.
    pub fn get_any<T: FromJson>(&self, names: &[&str]) -> Result<Option<T>, Error> {
        for name in names {
            if let Some(v) = self.get(name)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// Names and raw texts of every member (in body order for small objects, in lookup
    /// order for large ones).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a str)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), *v))
    }
}

/// The order large objects are sorted in for lookup: by length, then by bytes. Names of
/// one object often share a prefix (`Field1`, `Field2`) and differ in length; comparing
/// lengths first settles most comparisons without looking at the bytes.
fn lookup_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Fields::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Key(key)) = map.next_key()? {
            let raw: &'de RawValue = map.next_value()?;
            members.push((key, raw.get()));
        }
        let sorted = members.len() > SCAN_LIMIT;
        if sorted {
            members.sort_by(|a, b| lookup_order(&a.0, &b.0));
        }
        Ok(Fields { members, sorted })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(E::custom("expected a JSON object, found a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(E::custom("expected a JSON object, found a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(E::custom("expected a JSON object, found a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(E::custom("expected a JSON object, found a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(E::custom("expected a JSON object, found a string"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom("expected a JSON object, found an array"))
    }
}

/// A member name, borrowed from the body unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// One JSON value, classified by a look at its raw text (which `serde_json` has already
/// validated): strings are unescaped only when they hold escapes, numbers stay text.
enum Json<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(Cow<'a, str>),
    Array(&'a str),
    Object(&'a str),
}

impl<'a> Json<'a> {
    /// Text from a body has been validated by `serde_json`; text handed to
    /// [`FromJson::from_json`] directly may not have been, so the look is careful enough
    /// never to slice where `serde_json` would not have allowed it (nothing here panics on
    /// any input; what is not a JSON value is an error, or is rejected when parsed further).
    fn of(raw: &'a str) -> Result<Self, Error> {
        let raw = raw.trim();
        Ok(match raw.as_bytes().first() {
            None => return Err(Error::new("expected a JSON value, found nothing")),
            Some(b'n') if raw == "null" => Json::Null,
            Some(b't') if raw == "true" => Json::Bool(true),
            Some(b'f') if raw == "false" => Json::Bool(false),
            Some(b'"') => match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(inner) if !inner.bytes().any(|b| b == b'\\' || b == b'"') => {
                    Json::String(Cow::Borrowed(inner))
                }
                _ => Json::String(Cow::Owned(serde_json::from_str(raw)?)),
            },
            Some(b'[') => Json::Array(raw),
            Some(b'{') => Json::Object(raw),
            Some(b'-' | b'0'..=b'9') => Json::Number(raw),
            Some(_) => return Err(Error::new("expected a JSON value")),
        })
    }

    fn describe(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// The raw texts of an array's elements.
fn elements(raw: &str) -> Result<Vec<&str>, Error> {
    let items: Vec<&RawValue> = serde_json::from_str(raw)?;
    Ok(items.into_iter().map(RawValue::get).collect())
}

impl FromJson for String {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        Ok(match Json::of(raw)? {
            Json::Null => None,
            Json::String(s) => Some(s.into_owned()),
            Json::Number(n) => Some(n.to_owned()),
            Json::Bool(b) => Some(b.to_string()),
            // A structured value in a string field is kept as its compact JSON text.
            Json::Array(text) | Json::Object(text) => {
                Some(serde_json::from_str::<Value>(text)?.to_string())
            }
        })
    }
}

impl FromJson for bool {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        match Json::of(raw)? {
            Json::Null => Ok(None),
            Json::Bool(b) => Ok(Some(b)),
            Json::Number(n) => match n.parse::<f64>() {
                Ok(0.0) => Ok(Some(false)),
                Ok(1.0) => Ok(Some(true)),
                _ => Err(Error::new(format!(
                    "expected a boolean, found the number {n}"
                ))),
            },
            Json::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    Ok(None)
                } else if t.eq_ignore_ascii_case("true") || t == "1" {
                    Ok(Some(true))
                } else if t.eq_ignore_ascii_case("false") || t == "0" {
                    Ok(Some(false))
                } else {
                    Err(Error::new(format!(
                        "expected a boolean, found the string {s:?}"
                    )))
                }
            }
            other => Err(Error::new(format!(
                "expected a boolean, found {}",
                other.describe()
            ))),
        }
    }
}

/// An integer from a JSON number's text: exact when it is written as one, otherwise a float
/// with no fractional part (`3.0`, `1e3`) within the type's range.
fn integer_from_number<T>(n: &str, what: &str) -> Result<T, Error>
where
    T: std::str::FromStr + TryFrom<i64>,
{
    if let Ok(i) = n.parse::<T>() {
        return Ok(i);
    }
    let fits = |i: i64| T::try_from(i).ok();
    if !n.contains(['.', 'e', 'E']) {
        return Err(Error::new(format!("{n} does not fit in {what}")));
    }
    match n.parse::<f64>() {
        Ok(x) if x.fract() == 0.0 && x >= i64::MIN as f64 && x <= i64::MAX as f64 => {
            fits(x as i64).ok_or_else(|| Error::new(format!("{n} does not fit in {what}")))
        }
        _ => Err(Error::new(format!(
            "expected an integer ({what}), found {n}"
        ))),
    }
}

macro_rules! from_json_integer {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(raw: &str) -> Result<Option<Self>, Error> {
                let what = stringify!($t);
                match Json::of(raw)? {
                    Json::Null => Ok(None),
                    Json::Number(n) => integer_from_number(n, what).map(Some),
                    Json::String(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        t.parse::<$t>().map(Some).map_err(|_| {
                            Error::new(format!("expected an integer ({what}), found the string {s:?}"))
                        })
                    }
                    Json::Bool(b) => Ok(Some(<$t>::from(b))),
                    other => Err(Error::new(format!(
                        "expected an integer ({what}), found {}",
                        other.describe()
                    ))),
                }
            }
        }
    )*};
}
from_json_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! from_json_float {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(raw: &str) -> Result<Option<Self>, Error> {
                match Json::of(raw)? {
                    Json::Null => Ok(None),
                    // Narrowing to f32 is the field's declared precision.
                    Json::Number(n) => n
                        .parse::<$t>()
                        .map(Some)
                        .map_err(|_| Error::new(format!("{n} is not a number"))),
                    Json::String(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        t.parse::<$t>().map(Some).map_err(|_| {
                            Error::new(format!("expected a number, found the string {s:?}"))
                        })
                    }
                    other => Err(Error::new(format!(
                        "expected a number, found {}",
                        other.describe()
                    ))),
                }
            }
        }
    )*};
}
from_json_float!(f32, f64);

impl FromJson for Value {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        Ok(match serde_json::from_str(raw)? {
            Value::Null => None,
            v => Some(v),
        })
    }
}

// The generic impls below are instantiated for every element and record type of every
// generated crate: each keeps to a loop or a call, and what does not depend on the type
// (reading the JSON, shaping the errors) is in the non-generic functions they call.

/// The raw texts of an array's elements; `None` for `null`.
fn array(raw: &str) -> Result<Option<Vec<&str>>, Error> {
    match Json::of(raw)? {
        Json::Null => Ok(None),
        Json::Array(text) => elements(text).map(Some),
        other => Err(Error::new(format!(
            "expected an array, found {}",
            other.describe()
        ))),
    }
}

/// The members of an object; `None` for `null`.
fn object(raw: &str) -> Result<Option<Fields<'_>>, Error> {
    match Json::of(raw)? {
        Json::Null => Ok(None),
        Json::Object(text) => Fields::parse_str(text).map(Some),
        other => Err(Error::new(format!(
            "expected an object, found {}",
            other.describe()
        ))),
    }
}

impl Error {
    fn at_index(self, index: usize) -> Self {
        self.within(&format!("[{index}]"))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        let Some(items) = array(raw)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            // `null` elements carry nothing; skipping them mirrors omitted fields.
            match T::from_json(item) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => {}
                Err(e) => return Err(e.at_index(i)),
            }
        }
        Ok(Some(out))
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        let Some(fields) = object(raw)? else {
            return Ok(None);
        };
        let mut out = BTreeMap::new();
        for (name, raw) in fields.iter() {
            match T::from_json(raw) {
                Ok(Some(v)) => {
                    out.insert(name.to_owned(), v);
                }
                Ok(None) => {}
                Err(e) => return Err(e.within(name)),
            }
        }
        Ok(Some(out))
    }
}

impl<T: FromJson> FromJson for Sensitive<T> {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        // The value itself never goes into the error.
        T::from_json(raw)
            .map(|v| v.map(Sensitive::new))
            .map_err(|_| Error::new("not readable as the field's type (value withheld)"))
    }
}

impl<T: Record> FromJson for T {
    fn from_json(raw: &str) -> Result<Option<Self>, Error> {
        match object(raw)? {
            None => Ok(None),
            Some(fields) => match T::from_fields(&fields) {
                Ok(v) => Ok(Some(v)),
                Err(e) => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        code: Option<String>,
        success: Option<bool>,
        total: Option<i64>,
        small: Option<i32>,
        ratio: Option<f64>,
        ids: Option<Vec<String>>,
        any: Option<Value>,
        inner: Option<Inner>,
        tags: Option<BTreeMap<String, String>>,
        secret: Option<Sensitive<String>>,
        pin: Option<Sensitive<u16>>,
    }

    impl Record for Sample {
        fn from_fields(f: &Fields<'_>) -> Result<Self, Error> {
            Ok(Sample {
                code: f.get("Code")?,
                success: f.get("Success")?,
                total: f.get("Total")?,
                small: f.get("Small")?,
                ratio: f.get("Ratio")?,
                ids: f.get("Ids")?,
                any: f.get("Any")?,
                inner: f.get("Inner")?,
                tags: f.get("Tags")?,
                secret: f.get("Secret")?,
                pin: f.get("Pin")?,
            })
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Inner {
        name: Option<String>,
        count: Option<u8>,
    }

    impl Record for Inner {
        fn from_fields(f: &Fields<'_>) -> Result<Self, Error> {
            Ok(Inner {
                name: f.get("Name")?,
                count: f.get("Count")?,
            })
        }
    }

    fn decode(v: Value) -> Result<Sample, Error> {
        from_str(&v.to_string())
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
        // Escapes are decoded; plain strings are borrowed and copied once.
        let s: Sample = from_str(r#"{"Code": "a\"b\u00e9", "Ids": ["x\ny"]}"#).unwrap();
        assert_eq!(s.code.as_deref(), Some("a\"bé"));
        assert_eq!(s.ids, Some(vec!["x\ny".into()]));
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
            (json!(false), Some(false)),
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
        assert!(decode(json!({"Success": [true]})).is_err());
    }

    #[test]
    fn integers_accept_numeric_strings_and_check_range() {
        let s = decode(json!({"Total": "42", "Small": 7.0})).unwrap();
        assert_eq!((s.total, s.small), (Some(42), Some(7)));
        assert_eq!(decode(json!({"Total": " -3 "})).unwrap().total, Some(-3));
        assert_eq!(
            from_str::<Sample>(r#"{"Total": 1e3}"#).unwrap().total,
            Some(1000)
        );
        assert_eq!(decode(json!({"Total": true})).unwrap().total, Some(1));
        assert!(decode(json!({"Small": 3_000_000_000_i64})).is_err());
        assert!(decode(json!({"Total": 18446744073709551615_u64})).is_err());
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
        assert_eq!(decode(json!({"Ratio": 3})).unwrap().ratio, Some(3.0));
        assert_eq!(decode(json!({})).unwrap(), Sample::default());
        assert_eq!(from_str::<Sample>("null").unwrap(), Sample::default());
    }

    #[test]
    fn nested_objects_maps_and_secrets() {
        let s = decode(json!({
            "Inner": {"Name": 5, "Count": "7", "Unknown": [1, 2]},
            "Tags": {"a": "x", "b": 2, "c": null},
            "Secret": "hunter2"
        }))
        .unwrap();
        assert_eq!(
            s.inner,
            Some(Inner {
                name: Some("5".into()),
                count: Some(7)
            })
        );
        assert_eq!(
            s.tags,
            Some(BTreeMap::from([
                ("a".to_owned(), "x".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ]))
        );
        assert_eq!(
            s.secret.as_ref().map(|s| s.expose().as_str()),
            Some("hunter2")
        );
    }

    #[test]
    fn wrong_shapes_are_errors_that_name_the_path() {
        assert!(decode(json!({"Ids": "x"})).is_err());
        assert!(decode(json!({"Total": [1]})).is_err());
        let e = decode(json!({"Ids": [[1], {"x": 2}, 3]})).unwrap();
        assert_eq!(
            e.ids,
            Some(vec!["[1]".into(), "{\"x\":2}".into(), "3".into()])
        );
        let e = decode(json!({"Total": "4x"})).unwrap_err().to_string();
        assert!(e.starts_with("Total: expected an integer"), "{e}");
        let e = decode(json!({"Inner": {"Count": 300}}))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "Inner: Count: 300 does not fit in u8");
        let e = decode(json!({"Inner": [1]})).unwrap_err().to_string();
        assert_eq!(e, "Inner: expected an object, found an array");
        let e = from_str::<Sample>(r#"["Total"]"#).unwrap_err().to_string();
        assert!(e.contains("expected a JSON object, found an array"), "{e}");
        let e = from_str::<Sample>(r#""x""#).unwrap_err().to_string();
        assert!(e.contains("expected a JSON object, found a string"), "{e}");
        let e = from_str::<Sample>(r#"{"Total": 1"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("EOF"), "{e}");
        let e = from_str::<Sample>(r#"{"Total": 1} x"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("trailing"), "{e}");
    }

    #[test]
    fn secrets_stay_out_of_errors() {
        let e = decode(json!({"Pin": "hunter2"})).unwrap_err().to_string();
        assert_eq!(e, "Pin: not readable as the field's type (value withheld)");
        assert_eq!(
            decode(json!({"Pin": "1234"}))
                .unwrap()
                .pin
                .map(|p| *p.expose()),
            Some(1234)
        );
    }

    #[test]
    fn repeated_names_keep_the_last_and_escaped_names_match() {
        let s: Sample = from_str(r#"{"Total": 1, "Total": 2, "C\u006fde": "x"}"#).unwrap();
        assert_eq!(s.total, Some(2));
        assert_eq!(s.code.as_deref(), Some("x"));
    }

    #[test]
    fn large_objects_find_every_member_and_keep_the_last_repeat() {
        let mut members: Vec<String> = (0..40).map(|i| format!("\"F{i}\": {i}")).collect();
        members.push(r#""Total": 1"#.into());
        members.push(r#""Code": "first""#.into());
        members.push(r#""Code": "last""#.into());
        let body = format!("{{{}}}", members.join(", "));
        let fields = Fields::parse(body.as_bytes()).unwrap();
        for i in 0..40 {
            assert_eq!(fields.get::<i64>(&format!("F{i}")).unwrap(), Some(i));
        }
        assert_eq!(
            fields.get::<String>("Code").unwrap().as_deref(),
            Some("last")
        );
        assert_eq!(fields.get::<String>("Absent").unwrap(), None);
        assert_eq!(fields.get::<String>("A").unwrap(), None);
        assert_eq!(fields.get::<String>("zzz").unwrap(), None);
        let s: Sample = from_str(&body).unwrap();
        assert_eq!((s.total, s.code.as_deref()), (Some(1), Some("last")));
    }

    #[test]
    fn debug_names_members_but_never_shows_values() {
        let fields = Fields::parse(br#"{"AccessKeySecret": "hunter2", "Id": 1}"#).unwrap();
        let text = format!("{fields:?}");
        assert!(
            text.contains("AccessKeySecret") && text.contains("Id"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn deserialize_reads_records_from_any_format() {
        struct Wrapped(Sample);
        impl<'de> Deserialize<'de> for Wrapped {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::deserialize(d).map(Wrapped)
            }
        }
        let w: Wrapped = serde_json::from_value(json!({"Total": "9"})).unwrap();
        assert_eq!(w.0.total, Some(9));
        assert!(serde_json::from_value::<Wrapped>(json!({"Total": "x"})).is_err());
    }
}
