//! Routing a request struct field by field while it serializes.
//!
//! `serde_json::to_value` would build a map with an owned key per field only for
//! [`params::route`](crate::params::route) to take it apart again; on the per-call path this
//! serializer hands each field straight to its parameter instead. Fields flattened by path
//! (most of them) are written as pairs directly by
//! [`flatten_serializer`](crate::flatten_serializer); the others are turned into a JSON
//! value and rendered by [`params::place`].

use crate::error::BuildError;
use crate::flatten_serializer;
use crate::meta::{Location, OperationMeta, ParamMeta, Style};
use crate::params::{self, Routed};
use crate::ser::{Param, Shape, Visit};
use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Why routing stopped.
#[derive(Debug)]
enum Stop {
    /// The value is not a struct: route it the general way.
    NotAStruct,
    /// A real error.
    Build(BuildError),
    /// An error raised by a field's own `Serialize`.
    Custom(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NotAStruct => f.write_str("not a struct"),
            Stop::Build(e) => write!(f, "{e}"),
            Stop::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Custom(msg.to_string())
    }
}

struct Router<'m> {
    meta: &'m OperationMeta,
    routed: Routed,
    /// Which parameters received a set value (for idempotency tokens).
    set: Vec<bool>,
    /// The parameter after the one the last field went to.
    next: usize,
}

impl<'m> Router<'m> {
    fn new(meta: &'m OperationMeta) -> Self {
        // Room for one pair per parameter where it goes (lists and objects add more), so
        // that the destinations do not grow one reallocation at a time from empty.
        let (mut query, mut form) = (0, 0);
        for param in meta.params {
            match param.location {
                Location::Query => query += 1,
                Location::Form => form += 1,
                _ => {}
            }
        }
        Router {
            meta,
            routed: Routed {
                query: Vec::with_capacity(query),
                form: Vec::with_capacity(form),
                ..Routed::default()
            },
            set: vec![false; meta.params.len()],
            next: 0,
        }
    }

    /// Routes one field (a serialized one, or one a [`Param`] listed).
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
        let action = self.meta.action;
        // Fields arrive in the order of the metadata's parameters (both follow the
        // specification), so the parameter after the last one found is tried first.
        let params = self.meta.params;
        let index = match params.get(self.next) {
            Some(p) if p.name == key => Some(self.next),
            _ => params.iter().position(|p| p.name == key),
        };
        let Some(index) = index else {
            return Err(Stop::Build(BuildError::UnknownParameter {
                action,
                name: key.to_owned(),
            }));
        };
        self.next = index + 1;
        let param = &self.meta.params[index];
        if let Some(destination) = flattened_destination(&mut self.routed, param) {
            // The common case: written as pairs straight from `Serialize`.
            let before = destination.len();
            flatten_serializer::flatten_into(param.name, value, destination)
                .map_err(|e| Stop::Custom(e.0))?;
            self.set[index] = destination.len() > before;
            return Ok(());
        }
        let value = value
            .serialize(serde_json::value::Serializer)
            .map_err(|e| Stop::Custom(e.to_string()))?;
        if param.idempotency_token && params::is_unset(Some(&value)) {
            // Generated after the struct is done, once, in `finish`.
            return Ok(());
        }
        self.set[index] = !value.is_null();
        params::place(&mut self.routed, param, value, action).map_err(Stop::Build)
    }

    /// Generates the idempotency token when it was left unset, and checks the result.
    fn finish(self) -> Result<Routed, BuildError> {
        let Router {
            meta,
            mut routed,
            set,
            next: _,
        } = self;
        for (param, was_set) in meta.params.iter().zip(set) {
            if param.idempotency_token {
                if !was_set {
                    let token = params::new_token();
                    routed.generated_token = token.as_str().map(str::to_owned);
                    params::place(&mut routed, param, token, meta.action)?;
                }
                routed.token_sent = true;
            }
        }
        params::finish(meta, routed)
    }
}

impl Stop {
    fn into_build(self, meta: &OperationMeta) -> BuildError {
        match self {
            Stop::Build(e) => e,
            Stop::NotAStruct => BuildError::Serialize {
                action: meta.action,
                reason: "the request is not a struct".to_owned(),
            },
            Stop::Custom(reason) => BuildError::Serialize {
                action: meta.action,
                reason,
            },
        }
    }
}

/// Routes `request` if it serializes as a struct; `Ok(None)` when it does not.
pub(crate) fn route_struct<T: Serialize + ?Sized>(
    meta: &OperationMeta,
    request: &T,
) -> Result<Option<Routed>, BuildError> {
    let mut router = Router::new(meta);
    match request.serialize(&mut router) {
        Ok(()) => router.finish().map(Some),
        Err(Stop::NotAStruct) => Ok(None),
        Err(stop) => Err(stop.into_build(meta)),
    }
}

/// Routes the fields a generated request lists ([`Param::fields`]): the same routing as
/// [`route_struct`], compiled once for every request type.
pub(crate) fn route_fields(
    meta: &OperationMeta,
    request: &dyn Param,
) -> Result<Routed, BuildError> {
    struct Fields<'r, 'm> {
        router: &'r mut Router<'m>,
        failed: Option<Stop>,
    }
    impl Visit for Fields<'_, '_> {
        fn field(&mut self, name: &'static str, value: &dyn Param) {
            // Unset fields are skipped, as the derive's `skip_serializing_if` skipped them.
            if self.failed.is_some() || matches!(value.shape(), Shape::None) {
                return;
            }
            if let Err(stop) = self.router.field(name, value) {
                self.failed = Some(stop);
            }
        }
    }
    let mut router = Router::new(meta);
    let mut fields = Fields {
        router: &mut router,
        failed: None,
    };
    request.fields(&mut fields);
    if let Some(stop) = fields.failed {
        return Err(stop.into_build(meta));
    }
    router.finish()
}

impl ser::SerializeStruct for &mut Router<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Where a parameter's pairs go when it is flattened by path (`Plain`, `RepeatList`,
/// `Flat`) into the query, the form or the headers; `None` for the rest (joined and JSON
/// styles, path and body parameters, idempotency tokens), which go through a JSON value
/// and [`params::place`].
fn flattened_destination<'r>(
    routed: &'r mut Routed,
    param: &ParamMeta,
) -> Option<&'r mut Vec<(params::Name, String)>> {
    if param.idempotency_token
        || !matches!(param.style, Style::Plain | Style::RepeatList | Style::Flat)
    {
        return None;
    }
    match param.location {
        Location::Query => Some(&mut routed.query),
        Location::Form => Some(&mut routed.form),
        Location::Header => Some(&mut routed.headers),
        Location::Path | Location::Body | Location::BodyField | Location::Host => None,
    }
}

macro_rules! not_a_struct {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Stop> {
            Err(Stop::NotAStruct)
        }
    )*};
}

impl<'a, 'm> ser::Serializer for &'a mut Router<'m> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = &'a mut Router<'m>;
    type SerializeStructVariant = Impossible<(), Stop>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }

    not_a_struct!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::NotAStruct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Method;
    use serde::Serialize;
    use std::collections::BTreeMap;

    static PARAMS: [ParamMeta; 3] = [
        ParamMeta {
            name: "A",
            location: Location::Query,
            style: Style::Plain,
            idempotency_token: false,
        },
        ParamMeta {
            name: "Token",
            location: Location::Form,
            style: Style::Plain,
            idempotency_token: true,
        },
        ParamMeta {
            name: "Tags",
            location: Location::Query,
            style: Style::RepeatList,
            idempotency_token: false,
        },
    ];
    static META: OperationMeta = OperationMeta {
        action: "Act",
        auth: crate::meta::Auth::AccessKey,
        operation_type: crate::meta::OperationType::Write,
        method: Method::Post,
        path: "/",
        params: &PARAMS,
    };

    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "A")]
        a: i32,
        #[serde(rename = "Token")]
        token: Option<String>,
        #[serde(rename = "Tags", skip_serializing_if = "Vec::is_empty")]
        tags: Vec<&'static str>,
    }

    #[test]
    fn struct_route_matches_the_map_route() {
        let req = Req {
            a: 5,
            token: Some("tok".into()),
            tags: vec!["x", "y"],
        };
        let mut fast = route_struct(&META, &req).unwrap().unwrap();
        let map = match serde_json::to_value(&req).unwrap() {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let mut slow = params::route(&META, map).unwrap();
        for r in [&mut fast, &mut slow] {
            crate::encoding::sort_pairs(&mut r.query);
            crate::encoding::sort_pairs(&mut r.form);
        }
        assert_eq!(fast, slow);
    }

    #[test]
    fn missing_or_empty_token_is_generated_once() {
        for token in [None, Some(String::new())] {
            let r = route_struct(
                &META,
                &Req {
                    a: 1,
                    token,
                    tags: vec![],
                },
            )
            .unwrap()
            .unwrap();
            assert_eq!(r.form.len(), 1);
            assert_eq!(r.form[0].0, "Token");
            assert_eq!(
                uuid::Uuid::parse_str(&r.form[0].1)
                    .unwrap()
                    .get_version_num(),
                4
            );
        }
    }

    #[test]
    fn non_structs_fall_back_and_unknown_fields_fail() {
        let mut m = BTreeMap::new();
        m.insert("A", 1);
        assert!(route_struct(&META, &m).unwrap().is_none());
        let r = params::route_request(&META, &m).unwrap();
        assert_eq!(r.query, vec![("A".into(), "1".to_owned())]);

        #[derive(Serialize)]
        struct Odd {
            #[serde(rename = "Nope")]
            nope: i32,
        }
        assert_eq!(
            route_struct(&META, &Odd { nope: 1 }).unwrap_err(),
            BuildError::UnknownParameter {
                action: "Act",
                name: "Nope".into()
            }
        );
    }
}
