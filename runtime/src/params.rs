//! Routing a serialized request into query, form, header, path and body parameters, with
//! complex values flattened by style (reference §2.4) and scalars rendered as the official
//! SDKs render them (§2.5): booleans `true`/`false`, integers in decimal, numbers in their
//! shortest JSON form, strings untouched. Absent and `null` values are not sent.

use crate::error::BuildError;
use crate::meta::{Location, OperationMeta, ParamMeta, Style};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A parameter's wire name: the metadata's own `'static` text for a plain parameter (no
/// copy per call), or a path built by flattening (`Tag.1.Key`).
pub type Name = Cow<'static, str>;

/// A request's parameters, by destination.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routed {
    /// URL query parameters, unsorted.
    pub query: Vec<(Name, String)>,
    /// Form body fields, unsorted.
    pub form: Vec<(Name, String)>,
    /// Header parameters.
    pub headers: Vec<(Name, String)>,
    /// `{Name}` path segments and their unencoded values.
    pub path: Vec<(&'static str, String)>,
    /// A raw body, with its content type.
    pub body: Option<(Vec<u8>, &'static str)>,
    /// Members of a JSON object body ([`Location::BodyField`]), by wire name, one value per
    /// name. Sent sorted by name, as the official SDKs send JSON bodies (Go marshals maps
    /// sorted; Python's bodies arrive sorted too, `captures/cs.CreateCluster.json`), and so
    /// are nested objects.
    pub body_fields: Vec<(&'static str, Value)>,
    /// Whether an idempotency token goes with the request (the caller's or a generated one).
    pub token_sent: bool,
    /// The idempotency token the runtime generated, when the caller left it unset.
    pub generated_token: Option<String>,
}

/// `content-type` of JSON bodies, as the official SDKs send it (styles reference §1.5).
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Renders a scalar. `None` for `null`; complex values render as compact JSON.
pub fn render_scalar(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(if b { "true" } else { "false" }.to_owned()),
        Value::Number(n) => Some(n.to_string()),
        complex => Some(complex.to_string()),
    }
}

/// Path flattening shared by `repeatList` and `flat`: list element *i* → `prefix.(i+1)`,
/// map entry *k* → `prefix.k`, scalar → `prefix=value`, nulls skipped.
pub fn flatten(prefix: Name, value: Value, out: &mut Vec<(Name, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(Cow::Owned(format!("{prefix}.{}", i + 1)), item, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten(Cow::Owned(format!("{prefix}.{k}")), v, out);
            }
        }
        scalar => {
            if let Some(s) = render_scalar(scalar) {
                out.push((prefix, s));
            }
        }
    }
}

fn joined(value: Value, separator: &str) -> Option<String> {
    match value {
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(render_scalar)
                .collect::<Vec<_>>()
                .join(separator),
        ),
        other => render_scalar(other),
    }
}

/// Renders one parameter's value as `(name, value)` pairs according to its style.
pub fn render(
    param: &ParamMeta,
    value: Value,
    action: &'static str,
) -> Result<Vec<(Name, String)>, BuildError> {
    let mut out = Vec::new();
    render_into(param, value, action, &mut out)?;
    Ok(out)
}

/// [`render`], appending to `out`.
pub fn render_into(
    param: &ParamMeta,
    value: Value,
    action: &'static str,
    out: &mut Vec<(Name, String)>,
) -> Result<(), BuildError> {
    let name = param.name;
    let single = match param.style {
        Style::Plain | Style::RepeatList | Style::Flat => {
            flatten(Cow::Borrowed(name), value, out);
            return Ok(());
        }
        // A string is taken to be JSON text already (the `…Shrink` fields of official SDKs).
        Style::Json => match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            v => Some(v.to_string()),
        },
        Style::Simple => joined(value, ","),
        Style::SpaceDelimited => joined(value, " "),
        Style::PipeDelimited => joined(value, "|"),
        Style::Xml => {
            return Err(BuildError::Unsupported {
                action,
                name,
                what: "the xml style",
            });
        }
    };
    out.extend(single.map(|v| (Cow::Borrowed(name), v)));
    Ok(())
}

pub(crate) fn is_unset(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// A fresh idempotency token.
pub(crate) fn new_token() -> Value {
    Value::String(crate::random::uuid_v4().to_string())
}

/// Puts one parameter's value where its metadata says. `null` is not sent.
pub(crate) fn place(
    routed: &mut Routed,
    param: &ParamMeta,
    value: Value,
    action: &'static str,
) -> Result<(), BuildError> {
    if value.is_null() {
        return Ok(());
    }
    match param.location {
        Location::Query => render_into(param, value, action, &mut routed.query)?,
        Location::Form => render_into(param, value, action, &mut routed.form)?,
        Location::Header => render_into(param, value, action, &mut routed.headers)?,
        Location::Path => {
            let v = match value {
                Value::String(s) => s,
                other => render_scalar(other).unwrap_or_default(),
            };
            routed.path.push((param.name, v));
        }
        Location::Body => {
            // Compact JSON, not ASCII-escaped; a string goes as is, not JSON-quoted (the
            // official SDKs' `to_json_string` returns strings unchanged).
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            set_body(routed, param, text.into_bytes(), action)?;
        }
        Location::BodyField => {
            // One value per name, the last one winning, as a JSON object keeps it.
            match routed
                .body_fields
                .iter_mut()
                .find(|(n, _)| *n == param.name)
            {
                Some((_, old)) => *old = value,
                None => routed.body_fields.push((param.name, value)),
            }
        }
        Location::Host => {
            return Err(BuildError::Unsupported {
                action,
                name: param.name,
                what: "the host location",
            });
        }
    }
    Ok(())
}

/// Sets the whole body ([`Location::Body`]): compact JSON text, or a string as is.
pub(crate) fn set_body(
    routed: &mut Routed,
    param: &ParamMeta,
    text: Vec<u8>,
    action: &'static str,
) -> Result<(), BuildError> {
    if routed.body.is_some() {
        return Err(BuildError::Unsupported {
            action,
            name: param.name,
            what: "more than one body parameter",
        });
    }
    routed.body = Some((text, JSON_CONTENT_TYPE));
    Ok(())
}

/// The wire name of the operation's whole-body parameter, for errors about it.
fn body_param_name(meta: &OperationMeta) -> &'static str {
    meta.params
        .iter()
        .find(|p| p.location == Location::Body)
        .map_or("", |p| p.name)
}

/// Puts a JSON object body together from its members, and checks combinations that
/// cannot be sent together.
pub(crate) fn finish(meta: &OperationMeta, mut routed: Routed) -> Result<Routed, BuildError> {
    if !routed.body_fields.is_empty() {
        if routed.body.is_some() {
            return Err(BuildError::Unsupported {
                action: meta.action,
                name: body_param_name(meta),
                what: "a body parameter together with body members",
            });
        }
        let members = std::mem::take(&mut routed.body_fields);
        routed.body = Some((object_text(members), JSON_CONTENT_TYPE));
    }
    if routed.body.is_some() && !routed.form.is_empty() {
        return Err(BuildError::Unsupported {
            action: meta.action,
            name: body_param_name(meta),
            what: "a body parameter together with form parameters",
        });
    }
    Ok(routed)
}

/// The compact JSON text of an object with these members, sorted by name: exactly what
/// `Value::Object` of them prints (its map is sorted), without building the map.
fn object_text(mut members: Vec<(&'static str, Value)>) -> Vec<u8> {
    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = Vec::with_capacity(64 * members.len());
    text.push(b'{');
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        // Writing a string or a `Value` to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut text, name);
        text.push(b':');
        let _ = serde_json::to_writer(&mut text, value);
    }
    text.push(b'}');
    text
}

/// Routes every field of `fields` (a serialized request) by its parameter metadata.
///
/// An idempotency-token parameter left unset gets a fresh UUID v4 here; since routing
/// happens once per call, every attempt of the call carries the same token.
pub fn route(meta: &OperationMeta, mut fields: Map<String, Value>) -> Result<Routed, BuildError> {
    let action = meta.action;
    let mut routed = Routed::default();
    for param in meta.params {
        let mut value = fields.remove(param.name);
        if param.idempotency_token {
            if is_unset(value.as_ref()) {
                let token = new_token();
                routed.generated_token = token.as_str().map(str::to_owned);
                value = Some(token);
            }
            routed.token_sent = true;
        }
        if let Some(value) = value {
            place(&mut routed, param, value, action)?;
        }
    }
    if let Some(name) = fields
        .into_iter()
        .find(|(_, v)| !v.is_null())
        .map(|(k, _)| k)
    {
        return Err(BuildError::UnknownParameter { action, name });
    }
    finish(meta, routed)
}

/// Routes the fields of a generated request ([`crate::ser::Param::fields`]) by their
/// parameter metadata: what [`route_request`] does with a `Serialize` struct, without any
/// code generic over the request type.
///
/// # Errors
///
/// As [`route_request`].
pub fn route_fields(
    meta: &OperationMeta,
    request: &dyn crate::ser::Param,
) -> Result<Routed, BuildError> {
    crate::route_serializer::route_fields(meta, request)
}

/// Serializes a request and routes it. Structs (every generated request) are routed field
/// by field as they serialize, without building an intermediate map; anything else goes
/// through a JSON value.
pub fn route_request<T: serde::Serialize + ?Sized>(
    meta: &OperationMeta,
    request: &T,
) -> Result<Routed, BuildError> {
    if let Some(routed) = crate::route_serializer::route_struct(meta, request)? {
        return Ok(routed);
    }
    let serialize_error = |reason: String| BuildError::Serialize {
        action: meta.action,
        reason,
    };
    match serde_json::to_value(request).map_err(|e| serialize_error(e.to_string()))? {
        Value::Object(fields) => route(meta, fields),
        Value::Null => route(meta, Map::new()),
        _ => Err(serialize_error(
            "the request did not serialize to a JSON object".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Method;
    use serde_json::json;

    fn p(name: &'static str, location: Location, style: Style) -> ParamMeta {
        ParamMeta {
            name,
            location,
            style,
            idempotency_token: false,
        }
    }

    fn one(style: Style, v: Value) -> Vec<(Name, String)> {
        render(&p("P", Location::Query, style), v, "Act").unwrap()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(Name, String)> {
        list.iter()
            .map(|(a, b)| (Cow::Owned(a.to_string()), b.to_string()))
            .collect()
    }

    #[test]
    fn scalars_render_like_official_sdks() {
        assert_eq!(one(Style::Plain, json!(true)), pairs(&[("P", "true")]));
        assert_eq!(one(Style::Plain, json!(false)), pairs(&[("P", "false")]));
        assert_eq!(
            one(Style::Plain, json!(9007199254740993_i64)),
            pairs(&[("P", "9007199254740993")])
        );
        assert_eq!(one(Style::Plain, json!(-5)), pairs(&[("P", "-5")]));
        assert_eq!(one(Style::Plain, json!(0.1)), pairs(&[("P", "0.1")]));
        assert_eq!(
            one(Style::Plain, json!("{\"a\": [1]}")),
            pairs(&[("P", "{\"a\": [1]}")])
        );
        assert_eq!(one(Style::Plain, json!("")), pairs(&[("P", "")]));
        assert!(one(Style::Plain, Value::Null).is_empty());
    }

    #[test]
    fn repeat_list_is_one_based_and_recursive() {
        let v = json!([{"Key": "a", "Value": "b"}, {"Key": "c", "Value": null}]);
        assert_eq!(
            one(Style::RepeatList, v),
            pairs(&[("P.1.Key", "a"), ("P.1.Value", "b"), ("P.2.Key", "c")])
        );
        // The official Go util test: nested arrays add `.N`.
        assert_eq!(
            one(Style::RepeatList, json!([["a", "b"], ["c", "d"]])),
            pairs(&[
                ("P.1.1", "a"),
                ("P.1.2", "b"),
                ("P.2.1", "c"),
                ("P.2.2", "d")
            ])
        );
    }

    #[test]
    fn flat_objects_join_paths() {
        assert_eq!(
            one(Style::Flat, json!({"Sub": {"X": 1, "Y": [true]}})),
            pairs(&[("P.Sub.X", "1"), ("P.Sub.Y.1", "true")])
        );
    }

    #[test]
    fn json_style_is_one_compact_string() {
        assert_eq!(
            one(Style::Json, json!([{"GroupName": "g", "N": 1}])),
            pairs(&[("P", r#"[{"GroupName":"g","N":1}]"#)])
        );
        assert_eq!(one(Style::Json, json!("[1, 2]")), pairs(&[("P", "[1, 2]")]));
    }

    #[test]
    fn delimited_styles_join_elements() {
        assert_eq!(
            one(Style::Simple, json!(["i-1", "i-2", 3])),
            pairs(&[("P", "i-1,i-2,3")])
        );
        assert_eq!(
            one(Style::SpaceDelimited, json!(["a", "b"])),
            pairs(&[("P", "a b")])
        );
        assert_eq!(
            one(Style::PipeDelimited, json!(["a", true])),
            pairs(&[("P", "a|true")])
        );
        assert_eq!(one(Style::Simple, json!([])), pairs(&[("P", "")]));
    }

    static PARAMS: [ParamMeta; 5] = [
        ParamMeta {
            name: "RegionId",
            location: Location::Query,
            style: Style::Plain,
            idempotency_token: false,
        },
        ParamMeta {
            name: "Body",
            location: Location::Form,
            style: Style::Plain,
            idempotency_token: false,
        },
        ParamMeta {
            name: "ClientToken",
            location: Location::Form,
            style: Style::Plain,
            idempotency_token: true,
        },
        ParamMeta {
            name: "x-acs-extra",
            location: Location::Header,
            style: Style::Plain,
            idempotency_token: false,
        },
        ParamMeta {
            name: "Tag",
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

    fn fields(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn routes_by_location_and_generates_token() {
        let r = route(&META, fields(json!({"RegionId": "cn", "Body": 1, "x-acs-extra": "h", "Tag": [{"Key": "k"}], "ClientToken": null}))).unwrap();
        assert_eq!(r.query, pairs(&[("RegionId", "cn"), ("Tag.1.Key", "k")]));
        assert_eq!(r.form[0], (Cow::Borrowed("Body"), "1".to_owned()));
        assert_eq!(r.form[1].0, "ClientToken");
        assert!(uuid::Uuid::parse_str(&r.form[1].1).is_ok());
        assert_eq!(r.headers, pairs(&[("x-acs-extra", "h")]));
    }

    #[test]
    fn body_members_print_as_the_sorted_object() {
        let members = vec![
            ("zeta", json!({"b": [1, 2.5, null], "a": "x\"y\u{e9}"})),
            ("alpha", json!(true)),
            ("Mid", json!("s")),
            ("k\u{1}", json!(null)),
        ];
        let map: Map<String, Value> = members
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        assert_eq!(
            String::from_utf8(object_text(members)).unwrap(),
            Value::Object(map).to_string()
        );
    }

    #[test]
    fn caller_token_is_kept_and_unknown_fields_rejected() {
        let r = route(&META, fields(json!({"ClientToken": "mine"}))).unwrap();
        assert_eq!(r.form, pairs(&[("ClientToken", "mine")]));
        let e = route(&META, fields(json!({"Nope": 1}))).unwrap_err();
        assert_eq!(
            e,
            BuildError::UnknownParameter {
                action: "Act",
                name: "Nope".into()
            }
        );
    }
}
