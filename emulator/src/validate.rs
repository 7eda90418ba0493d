//! Checks a received request against its operation's spec: every required parameter is
//! present, each one arrived where the spec puts it (query string or form body), and each
//! value parses as its type, flattened the way the official SDKs flatten it (reference
//! §2.4: `repeatList` `Tag.1.Key`, `flat` `Obj.Field`, `json`, `simple` and the other
//! delimited styles).
//!
//! Parameters the spec does not know are tolerated, as Alibaba's gateway does: a client
//! built from an older or newer page must keep working. They are reported back so the
//! emulator can list them in its call log.

use std::collections::BTreeMap;

use alibabacloud_codegen::spec::{Field, FieldType, Location, OperationSpec, ParamStyle};

use crate::api_error::ApiError;

/// Where a parameter arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// The URL query string.
    Query,
    /// The `application/x-www-form-urlencoded` body.
    Form,
    /// A segment of the path (non-RPC styles), decoded.
    Path,
    /// A request header the spec declares as a parameter.
    Header,
    /// The whole request body (the spec's `in: body` parameter).
    Body,
}

impl Place {
    fn describe(self) -> &'static str {
        match self {
            Place::Query => "the query string",
            Place::Form => "the form body",
            Place::Path => "the path",
            Place::Header => "a header",
            Place::Body => "the body",
        }
    }

    fn of(location: Location) -> Option<Place> {
        match location {
            Location::Query => Some(Place::Query),
            Location::FormData => Some(Place::Form),
            _ => None,
        }
    }
}

/// What the request carried, already form-decoded.
#[derive(Debug, Clone, Default)]
pub struct Received<'a> {
    /// Query pairs.
    pub query: &'a [(String, String)],
    /// Form-body pairs (empty when the body is not a form).
    pub form: &'a [(String, String)],
    /// Every header received.
    pub headers: &'a [(String, String)],
    /// Path parameters matched from the template, decoded (non-RPC styles).
    pub path: &'a [(String, String)],
    /// The raw (non-form) body, for the `body`-located parameter; `None` when there was
    /// none or it was a form.
    pub raw_body: Option<&'a [u8]>,
}

/// Why a request does not match its spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required parameter is absent (`name` is the flattened path, e.g. `Tag.1.Key`).
    Missing {
        /// Parameter path.
        name: String,
    },
    /// A parameter arrived in the other place.
    WrongPlace {
        /// Parameter name.
        name: String,
        /// Where the spec puts it.
        expected: Place,
        /// Where it arrived.
        found: Place,
    },
    /// A value does not parse as its type, or is not flattened as its style says.
    Invalid {
        /// Parameter path.
        name: String,
        /// What is wrong (never the value of a sensitive parameter).
        reason: String,
    },
}

impl Problem {
    /// The Alibaba-shaped error for this problem. A missing parameter uses the operation's
    /// own `Missing<Name>` row when its page documents one, else `MissingParameter`.
    pub fn to_api_error(&self, spec: &OperationSpec) -> ApiError {
        match self {
            Problem::Missing { name } => {
                let documented = format!("Missing{}", name.replace('.', ""));
                if let Some(row) = spec.errors.iter().find(|row| row.code == documented) {
                    return ApiError::new(
                        row.status,
                        row.code.clone(),
                        row.message.clone().unwrap_or_else(|| documented.clone()),
                    );
                }
                ApiError::new(
                    400,
                    "MissingParameter",
                    format!(
                        "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                    ),
                )
            }
            Problem::WrongPlace {
                name,
                expected,
                found,
            } => ApiError::new(
                400,
                "InvalidParameter",
                format!(
                    "The parameter \"{name}\" must be sent in {} but was sent in {}.",
                    expected.describe(),
                    found.describe()
                ),
            ),
            Problem::Invalid { name, reason } => ApiError::new(
                400,
                "InvalidParameter",
                format!("The specified parameter \"{name}\" is not valid: {reason}."),
            ),
        }
    }
}

/// One received key, attributed to the spec parameter that owns it (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Attributed<'a> {
    /// The wire key (`Tag.1.Key`).
    pub key: &'a str,
    /// The value as received.
    pub value: &'a str,
    /// Where it arrived.
    pub place: Place,
    /// The top-level spec parameter that owns it; `None` for an unknown parameter.
    pub owner: Option<&'a Field>,
}

/// Checks `received` against `spec`. `schemas` resolves `$ref`s (the product's named
/// schemas). On success returns every received key with its owner, for the call log.
pub fn validate<'a>(
    spec: &'a OperationSpec,
    schemas: &'a BTreeMap<String, Field>,
    received: &Received<'a>,
) -> Result<Vec<Attributed<'a>>, Problem> {
    let attributed: Vec<Attributed<'a>> = received
        .query
        .iter()
        .map(|pair| (pair, Place::Query))
        .chain(received.form.iter().map(|pair| (pair, Place::Form)))
        .map(|((key, value), place)| Attributed {
            key,
            value,
            place,
            owner: owner_of(spec, schemas, key),
        })
        .collect();

    for param in &spec.request {
        let Some(name) = param.name.as_deref() else {
            continue;
        };
        let mine: Vec<&Attributed<'a>> = attributed
            .iter()
            .filter(|a| a.owner.is_some_and(|owner| std::ptr::eq(owner, param)))
            .collect();
        let expected = param.location.and_then(Place::of);
        if let Some(expected) = expected
            && let Some(stray) = mine.iter().find(|a| a.place != expected)
        {
            return Err(Problem::WrongPlace {
                name: name.to_owned(),
                expected,
                found: stray.place,
            });
        }
        match param.location {
            Some(Location::Header) => {
                let value = received
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str());
                check_single(name, param, schemas, value)?;
                continue;
            }
            Some(Location::Path) => {
                let value = received
                    .path
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .filter(|v| !v.is_empty());
                // A path parameter the template does not contain (a metadata defect,
                // styles reference §1.3) cannot be sent, so it cannot be missing.
                let in_template = received.path.iter().any(|(n, _)| n == name || n == "*");
                if in_template || value.is_some() {
                    check_single(name, param, schemas, value)?;
                }
                continue;
            }
            Some(Location::Body) => {
                check_body(name, param, schemas, received.raw_body)?;
                continue;
            }
            // Host prefixes (sls only) are not served.
            Some(Location::Host) => continue,
            _ => {}
        }
        if mine.is_empty() {
            if param.required {
                return Err(Problem::Missing {
                    name: name.to_owned(),
                });
            }
            continue;
        }
        let entries: Vec<Entry<'_>> = mine
            .iter()
            .map(|a| Entry {
                path: split_suffix(&a.key[name.len()..]),
                value: a.value,
            })
            .collect();
        check_parameter(name, param, schemas, &entries)?;
    }
    Ok(attributed)
}

/// The spec parameter owning `key`: an exact name, or for an array or object parameter a
/// `Name.` prefix (flattened keys; for a `json` or delimited style such keys are then
/// reported as mis-flattened rather than ignored). The longest match wins, so `Tag` never
/// steals `TagPolicy.1`.
pub(crate) fn owner_of<'a>(
    spec: &'a OperationSpec,
    schemas: &'a BTreeMap<String, Field>,
    key: &str,
) -> Option<&'a Field> {
    spec.request
        .iter()
        .filter(|param| {
            let Some(name) = param.name.as_deref() else {
                return false;
            };
            if key == name {
                return true;
            }
            let dotted = key
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('.'));
            dotted
                && matches!(
                    resolve(param, schemas).ty,
                    Some(FieldType::Array | FieldType::Object)
                )
        })
        .max_by_key(|param| param.name.as_deref().map_or(0, str::len))
}

/// `.1.Key` → `["1", "Key"]`; `` → `[]`.
fn split_suffix(suffix: &str) -> Vec<&str> {
    match suffix.strip_prefix('.') {
        Some(rest) => rest.split('.').collect(),
        None => Vec::new(),
    }
}

/// A received value with its path below the parameter it belongs to.
#[derive(Debug, Clone)]
struct Entry<'a> {
    path: Vec<&'a str>,
    value: &'a str,
}

/// Follows `$ref`s (bounded, so a cycle in the schemas cannot hang the server). An
/// unresolvable reference behaves as `any`: the loader reports those, not the emulator.
pub(crate) fn resolve<'a>(field: &'a Field, schemas: &'a BTreeMap<String, Field>) -> &'a Field {
    let mut current = field;
    for _ in 0..32 {
        match (&current.ty, &current.reference) {
            (None, Some(name)) => match schemas.get(name) {
                Some(target) => current = target,
                None => return current,
            },
            _ => return current,
        }
    }
    current
}

fn check_parameter(
    name: &str,
    param: &Field,
    schemas: &BTreeMap<String, Field>,
    entries: &[Entry<'_>],
) -> Result<(), Problem> {
    let field = resolve(param, schemas);
    let sensitive = param.sensitive;
    match (field.ty, param.style) {
        (Some(FieldType::Array | FieldType::Object), Some(ParamStyle::Json)) => {
            let value = single(name, entries)?;
            check_json(name, field, schemas, value, sensitive)
        }
        (
            Some(FieldType::Array),
            Some(
                style @ (ParamStyle::Simple
                | ParamStyle::SpaceDelimited
                | ParamStyle::PipeDelimited),
            ),
        ) => {
            let value = single(name, entries)?;
            let delimiter = match style {
                ParamStyle::Simple => ',',
                ParamStyle::SpaceDelimited => ' ',
                _ => '|',
            };
            let items = field.items.as_deref().map(|items| resolve(items, schemas));
            if value.is_empty() {
                return Ok(());
            }
            for (index, element) in value.split(delimiter).enumerate() {
                if let Some(items) = items {
                    check_scalar(&format!("{name}.{}", index + 1), items, element, sensitive)?;
                }
            }
            Ok(())
        }
        (_, Some(ParamStyle::Xml)) => Ok(()),
        _ => check_flattened(name, field, schemas, entries, sensitive),
    }
}

/// The one value of a parameter sent as a single key.
fn single<'e>(name: &str, entries: &'e [Entry<'_>]) -> Result<&'e str, Problem> {
    match entries {
        [only] if only.path.is_empty() => Ok(only.value),
        [_, _, ..] if entries.iter().all(|e| e.path.is_empty()) => Err(Problem::Invalid {
            name: name.to_owned(),
            reason: "it was sent more than once".to_owned(),
        }),
        _ => Err(Problem::Invalid {
            name: name.to_owned(),
            reason: "it must be sent as one key, not flattened into dotted keys".to_owned(),
        }),
    }
}

fn check_json(
    name: &str,
    field: &Field,
    schemas: &BTreeMap<String, Field>,
    value: &str,
    sensitive: bool,
) -> Result<(), Problem> {
    let parsed: serde_json::Value =
        serde_json::from_str(value).map_err(|err| Problem::Invalid {
            name: name.to_owned(),
            reason: if sensitive {
                "it is not valid JSON".to_owned()
            } else {
                format!("it is not valid JSON ({err})")
            },
        })?;
    let kind_ok = match field.ty {
        Some(FieldType::Array) => parsed.is_array(),
        Some(FieldType::Object) => parsed.is_object(),
        _ => true,
    };
    if kind_ok {
        check_json_value(name, field, schemas, &parsed, sensitive, 0)
    } else {
        Err(Problem::Invalid {
            name: name.to_owned(),
            reason: format!(
                "its JSON must be {}",
                if parsed.is_array() || field.ty == Some(FieldType::Object) {
                    "an object"
                } else {
                    "an array"
                }
            ),
        })
    }
}

/// Walks dotted keys: an array takes 1-based indices, an object its property names (or any
/// key when it is a map), a scalar nothing more.
fn check_flattened(
    name: &str,
    field: &Field,
    schemas: &BTreeMap<String, Field>,
    entries: &[Entry<'_>],
    sensitive: bool,
) -> Result<(), Problem> {
    match field.ty {
        Some(FieldType::Array) => {
            let mut elements: BTreeMap<u64, Vec<Entry<'_>>> = BTreeMap::new();
            for entry in entries {
                let index = entry
                    .path
                    .first()
                    .and_then(|segment| segment.parse::<u64>().ok())
                    .filter(|index| *index >= 1)
                    .ok_or_else(|| Problem::Invalid {
                        name: name.to_owned(),
                        reason: format!(
                            "it is a list and must be flattened as {name}.1, {name}.2, ... (1-based)"
                        ),
                    })?;
                elements.entry(index).or_default().push(Entry {
                    path: entry.path[1..].to_vec(),
                    value: entry.value,
                });
            }
            let Some(items) = field.items.as_deref() else {
                return Ok(());
            };
            let items = resolve(items, schemas);
            for (index, element) in &elements {
                check_flattened(
                    &format!("{name}.{index}"),
                    items,
                    schemas,
                    element,
                    sensitive,
                )?;
            }
            Ok(())
        }
        Some(FieldType::Object) => {
            let mut members: BTreeMap<&str, Vec<Entry<'_>>> = BTreeMap::new();
            for entry in entries {
                let Some((first, rest)) = entry.path.split_first() else {
                    return Err(Problem::Invalid {
                        name: name.to_owned(),
                        reason: format!("it is an object and must be flattened as {name}.<Field>"),
                    });
                };
                members.entry(first).or_default().push(Entry {
                    path: rest.to_vec(),
                    value: entry.value,
                });
            }
            let properties = field.properties.as_deref().unwrap_or_default();
            for property in properties {
                let Some(prop_name) = property.name.as_deref() else {
                    continue;
                };
                let path = format!("{name}.{prop_name}");
                match members.get(prop_name) {
                    Some(found) => check_flattened(
                        &path,
                        resolve(property, schemas),
                        schemas,
                        found,
                        sensitive || property.sensitive,
                    )?,
                    None if property.required => return Err(Problem::Missing { name: path }),
                    None => {}
                }
            }
            if let Some(values) = field.additional_properties.as_deref() {
                let values = resolve(values, schemas);
                for (key, found) in &members {
                    let known = properties.iter().any(|p| p.name.as_deref() == Some(*key));
                    if !known {
                        check_flattened(
                            &format!("{name}.{key}"),
                            values,
                            schemas,
                            found,
                            sensitive,
                        )?;
                    }
                }
            }
            Ok(())
        }
        Some(FieldType::Any | FieldType::Binary) | None => Ok(()),
        Some(_) => {
            let value = single(name, entries)?;
            check_scalar(name, field, value, sensitive)
        }
    }
}

/// A parameter sent as one string (a header or a path segment): present when required,
/// and of its scalar type.
fn check_single(
    name: &str,
    param: &Field,
    schemas: &BTreeMap<String, Field>,
    value: Option<&str>,
) -> Result<(), Problem> {
    match value {
        None if param.required => Err(Problem::Missing {
            name: name.to_owned(),
        }),
        None => Ok(()),
        Some(value) => {
            let field = resolve(param, schemas);
            match field.ty {
                Some(FieldType::Array | FieldType::Object) => Ok(()),
                _ => check_scalar(name, field, value, param.sensitive),
            }
        }
    }
}

/// The `in: body` parameter: the whole body (styles reference §1.5). A JSON body (object,
/// array, scalar) is parsed and checked against the schema: required members present,
/// every member of its type; unknown members are tolerated. String, binary and `any`
/// bodies are taken as they come.
fn check_body(
    name: &str,
    param: &Field,
    schemas: &BTreeMap<String, Field>,
    body: Option<&[u8]>,
) -> Result<(), Problem> {
    let field = resolve(param, schemas);
    let Some(body) = body.filter(|b| !b.is_empty()) else {
        if param.required {
            return Err(Problem::Missing {
                name: name.to_owned(),
            });
        }
        // No body is no member: the first required member is the one missing.
        if field.ty == Some(FieldType::Object) {
            let empty = serde_json::Value::Object(serde_json::Map::new());
            return check_json_value("", field, schemas, &empty, param.sensitive, 0);
        }
        return Ok(());
    };
    match field.ty {
        Some(FieldType::String | FieldType::Binary | FieldType::Any) | None => Ok(()),
        Some(_) => {
            let parsed: serde_json::Value =
                serde_json::from_slice(body).map_err(|err| Problem::Invalid {
                    name: name.to_owned(),
                    reason: if param.sensitive {
                        "the body is not valid JSON".to_owned()
                    } else {
                        format!("the body is not valid JSON ({err})")
                    },
                })?;
            // An object body's members are the top-level keys: they are named as such.
            let prefix = if field.ty == Some(FieldType::Object) {
                ""
            } else {
                name
            };
            check_json_value(prefix, field, schemas, &parsed, param.sensitive, 0)
        }
    }
}

/// `parent.member`, or `member` at the top level of a body.
fn member_path(parent: &str, member: &str) -> String {
    if parent.is_empty() {
        member.to_owned()
    } else {
        format!("{parent}.{member}")
    }
}

/// Checks a JSON value against its schema. `null` counts as absent. Integers must be
/// integral numbers in range, booleans JSON booleans, strings JSON strings.
fn check_json_value(
    name: &str,
    field: &Field,
    schemas: &BTreeMap<String, Field>,
    value: &serde_json::Value,
    sensitive: bool,
    depth: usize,
) -> Result<(), Problem> {
    use serde_json::Value;
    const MAX_DEPTH: usize = 64;
    let field = resolve(field, schemas);
    if value.is_null() || depth > MAX_DEPTH {
        return Ok(());
    }
    let expected = match field.ty {
        Some(FieldType::String) => (!value.is_string()).then_some("a string"),
        Some(FieldType::Integer) => value
            .as_i64()
            .is_none_or(|n| i32::try_from(n).is_err())
            .then_some("an integer (32-bit)"),
        Some(FieldType::Long) => {
            (!(value.is_i64() || value.is_u64())).then_some("an integer (64-bit)")
        }
        Some(FieldType::Boolean) => (!value.is_boolean()).then_some("a boolean"),
        Some(FieldType::Float | FieldType::Double | FieldType::Number) => {
            (!value.is_number()).then_some("a number")
        }
        Some(FieldType::Object) => (!value.is_object()).then_some("a JSON object"),
        Some(FieldType::Array) => (!value.is_array()).then_some("a JSON array"),
        Some(FieldType::Any | FieldType::Binary) | None => None,
    };
    if let Some(expected) = expected {
        let shown = if name.is_empty() { "body" } else { name };
        return Err(Problem::Invalid {
            name: shown.to_owned(),
            reason: if sensitive {
                format!("expected {expected}")
            } else {
                format!("expected {expected}, got {}", shorten(&value.to_string()))
            },
        });
    }
    match value {
        Value::Object(members) => {
            let properties = field.properties.as_deref().unwrap_or_default();
            for property in properties {
                let Some(member) = property.name.as_deref() else {
                    continue;
                };
                let path = member_path(name, member);
                match members.get(member).filter(|v| !v.is_null()) {
                    Some(found) => check_json_value(
                        &path,
                        property,
                        schemas,
                        found,
                        sensitive || property.sensitive,
                        depth + 1,
                    )?,
                    None if property.required => return Err(Problem::Missing { name: path }),
                    None => {}
                }
            }
            if let Some(values) = field.additional_properties.as_deref() {
                for (key, found) in members {
                    if !properties.iter().any(|p| p.name.as_deref() == Some(key)) {
                        check_json_value(
                            &member_path(name, key),
                            values,
                            schemas,
                            found,
                            sensitive,
                            depth + 1,
                        )?;
                    }
                }
            }
            Ok(())
        }
        Value::Array(elements) => {
            let Some(items) = field.items.as_deref() else {
                return Ok(());
            };
            let shown = if name.is_empty() { "body" } else { name };
            for (index, element) in elements.iter().enumerate() {
                check_json_value(
                    &format!("{shown}.{}", index + 1),
                    items,
                    schemas,
                    element,
                    sensitive,
                    depth + 1,
                )?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Parses one scalar as the service would. Booleans accept any letter case, since the
/// official Python SDK sends `True` and the service accepts it (reference §2.5).
fn check_scalar(name: &str, field: &Field, value: &str, sensitive: bool) -> Result<(), Problem> {
    let expected = match field.ty {
        Some(FieldType::Integer) => value
            .parse::<i32>()
            .is_err()
            .then_some("an integer (32-bit)"),
        Some(FieldType::Long) => value
            .parse::<i64>()
            .is_err()
            .then_some("an integer (64-bit)"),
        Some(FieldType::Boolean) => (!value.eq_ignore_ascii_case("true")
            && !value.eq_ignore_ascii_case("false"))
        .then_some("a boolean (true or false)"),
        Some(FieldType::Float | FieldType::Double | FieldType::Number) => value
            .parse::<f64>()
            .map_or(true, |n| !n.is_finite())
            .then_some("a number"),
        Some(FieldType::Array | FieldType::Object) => {
            Some("a list or object flattened into dotted keys")
        }
        Some(FieldType::String | FieldType::Any | FieldType::Binary) | None => None,
    };
    match expected {
        None => Ok(()),
        Some(expected) => Err(Problem::Invalid {
            name: name.to_owned(),
            reason: if sensitive {
                format!("expected {expected}")
            } else {
                format!("expected {expected}, got \"{}\"", shorten(value))
            },
        }),
    }
}

/// At most 64 characters of a value, for messages.
fn shorten(value: &str) -> String {
    let mut out: String = value.chars().take(64).collect();
    if out.len() < value.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(request: serde_json::Value) -> OperationSpec {
        serde_json::from_value(serde_json::json!({
            "action": "Op",
            "summary": "s",
            "source": {},
            "methods": ["post"],
            "request": request,
            "response": {"type": "object"},
            "errors": [{"status": 400, "code": "MissingDocumented", "message": "Documented is mandatory."}]
        }))
        .unwrap()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    fn check(
        spec: &OperationSpec,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<(), Problem> {
        let (query, form) = (pairs(query), pairs(form));
        let schemas = BTreeMap::new();
        validate(
            spec,
            &schemas,
            &Received {
                query: &query,
                form: &form,
                headers: &[],
                ..Received::default()
            },
        )
        .map(|_| ())
    }

    fn scalars() -> OperationSpec {
        op(serde_json::json!([
            {"name": "Id", "type": "string", "in": "query", "required": true},
            {"name": "Count", "type": "integer", "in": "query"},
            {"name": "Big", "type": "long", "in": "formData"},
            {"name": "DryRun", "type": "boolean", "in": "query"},
            {"name": "Ratio", "type": "number", "in": "formData"},
            {"name": "Secret", "type": "integer", "in": "formData", "sensitive": true},
            {"name": "Documented", "type": "string", "in": "formData", "required": true}
        ]))
    }

    #[test]
    fn valid_scalars_pass_and_unknown_keys_are_tolerated() {
        let spec = scalars();
        check(
            &spec,
            &[
                ("Id", "x"),
                ("Count", "-5"),
                ("DryRun", "True"),
                ("Unknown", "1"),
            ],
            &[
                ("Big", "10000000000"),
                ("Ratio", "1.5e3"),
                ("Documented", "d"),
            ],
        )
        .unwrap();
    }

    #[test]
    fn a_missing_parameter_is_named() {
        let spec = scalars();
        let err = check(&spec, &[], &[("Documented", "d")]).unwrap_err();
        assert_eq!(err, Problem::Missing { name: "Id".into() });
        let api = err.to_api_error(&spec);
        assert_eq!((api.status, api.code.as_str()), (400, "MissingParameter"));
        assert!(api.message.contains("\"Id\""), "{}", api.message);
    }

    #[test]
    fn a_documented_missing_code_is_preferred() {
        let spec = scalars();
        let err = check(&spec, &[("Id", "x")], &[]).unwrap_err();
        let api = err.to_api_error(&spec);
        assert_eq!(
            (api.code.as_str(), api.message.as_str()),
            ("MissingDocumented", "Documented is mandatory.")
        );
    }

    #[test]
    fn wrong_types_are_rejected_with_the_expected_type() {
        let spec = scalars();
        let base_form = [("Documented", "d")];
        for (query, form, needle) in [
            (
                vec![("Id", "x"), ("Count", "3000000000")],
                vec![],
                "an integer (32-bit)",
            ),
            (
                vec![("Id", "x"), ("Count", "1.5")],
                vec![],
                "an integer (32-bit)",
            ),
            (
                vec![("Id", "x")],
                vec![("Big", "ten")],
                "an integer (64-bit)",
            ),
            (vec![("Id", "x"), ("DryRun", "yes")], vec![], "a boolean"),
            (vec![("Id", "x")], vec![("Ratio", "NaN")], "a number"),
        ] {
            let form: Vec<_> = form.into_iter().chain(base_form).collect();
            let err = check(&spec, &query, &form).unwrap_err();
            let api = err.to_api_error(&spec);
            assert_eq!((api.status, api.code.as_str()), (400, "InvalidParameter"));
            assert!(api.message.contains(needle), "{}", api.message);
        }
    }

    #[test]
    fn sensitive_values_never_appear_in_messages() {
        let spec = scalars();
        let err = check(
            &spec,
            &[("Id", "x")],
            &[("Documented", "d"), ("Secret", "hunter2")],
        )
        .unwrap_err();
        let api = err.to_api_error(&spec);
        assert!(!api.message.contains("hunter2"), "{}", api.message);
        assert!(api.message.contains("\"Secret\""));
    }

    #[test]
    fn a_parameter_in_the_wrong_place_is_rejected_both_ways() {
        let spec = scalars();
        let err = check(&spec, &[], &[("Id", "x"), ("Documented", "d")]).unwrap_err();
        assert_eq!(
            err,
            Problem::WrongPlace {
                name: "Id".into(),
                expected: Place::Query,
                found: Place::Form
            }
        );
        assert!(
            err.to_api_error(&spec)
                .message
                .contains("must be sent in the query string but was sent in the form body")
        );
        let err = check(&spec, &[("Id", "x"), ("Documented", "d")], &[]).unwrap_err();
        assert_eq!(
            err,
            Problem::WrongPlace {
                name: "Documented".into(),
                expected: Place::Form,
                found: Place::Query
            }
        );
    }

    fn complex() -> OperationSpec {
        op(serde_json::json!([
            {"name": "Tag", "type": "array", "in": "query", "style": "repeatList",
             "items": {"type": "object", "properties": [
                {"name": "Key", "type": "string", "required": true},
                {"name": "Value", "type": "string"},
                {"name": "Weight", "type": "integer"}]}},
            {"name": "TagPolicy", "type": "string", "in": "query"},
            {"name": "Obj", "type": "object", "in": "formData", "style": "flat",
             "properties": [{"name": "Sub", "type": "object", "properties": [{"name": "X", "type": "long"}]}]},
            {"name": "Rules", "type": "array", "in": "formData", "style": "json", "items": {"type": "string"}},
            {"name": "Ids", "type": "array", "in": "query", "style": "simple", "items": {"type": "integer"}},
            {"name": "Labels", "type": "object", "in": "query", "additional_properties": {"type": "boolean"}},
            {"name": "Matrix", "type": "array", "in": "query", "style": "repeatList",
             "items": {"type": "array", "items": {"type": "integer"}}}
        ]))
    }

    #[test]
    fn flattened_styles_are_accepted() {
        let spec = complex();
        check(
            &spec,
            &[
                ("Tag.1.Key", "a"),
                ("Tag.1.Value", "b"),
                ("Tag.2.Key", "c"),
                ("Tag.10.Weight", "3"),
                ("Tag.10.Key", "k"),
                ("TagPolicy", "p"),
                ("Ids", "1,2,3"),
                ("Labels.env", "true"),
                ("Matrix.1.1", "1"),
                ("Matrix.1.2", "2"),
                ("Matrix.2.1", "3"),
            ],
            &[("Obj.Sub.X", "5"), ("Rules", "[\"a\",\"b\"]")],
        )
        .unwrap();
    }

    #[test]
    fn flattened_values_are_checked_element_by_element() {
        let spec = complex();
        type Pairs<'a> = &'a [(&'a str, &'a str)];
        let cases: [(Pairs, Pairs, Problem); 8] = [
            (
                &[("Tag.1.Weight", "x"), ("Tag.1.Key", "k")],
                &[],
                Problem::Invalid {
                    name: "Tag.1.Weight".into(),
                    reason: "expected an integer (32-bit), got \"x\"".into(),
                },
            ),
            (
                &[("Tag.1.Value", "v")],
                &[],
                Problem::Missing {
                    name: "Tag.1.Key".into(),
                },
            ),
            (
                &[("Tag.0.Key", "k")],
                &[],
                Problem::Invalid {
                    name: "Tag".into(),
                    reason: "it is a list and must be flattened as Tag.1, Tag.2, ... (1-based)"
                        .into(),
                },
            ),
            (
                &[("Tag", "k")],
                &[],
                Problem::Invalid {
                    name: "Tag".into(),
                    reason: "it is a list and must be flattened as Tag.1, Tag.2, ... (1-based)"
                        .into(),
                },
            ),
            (
                &[],
                &[("Obj.Sub.X", "1.5")],
                Problem::Invalid {
                    name: "Obj.Sub.X".into(),
                    reason: "expected an integer (64-bit), got \"1.5\"".into(),
                },
            ),
            (
                &[],
                &[("Rules", "{\"a\":1}")],
                Problem::Invalid {
                    name: "Rules".into(),
                    reason: "its JSON must be an array".into(),
                },
            ),
            (
                &[("Ids", "1,x")],
                &[],
                Problem::Invalid {
                    name: "Ids.2".into(),
                    reason: "expected an integer (32-bit), got \"x\"".into(),
                },
            ),
            (
                &[("Labels.env", "maybe")],
                &[],
                Problem::Invalid {
                    name: "Labels.env".into(),
                    reason: "expected a boolean (true or false), got \"maybe\"".into(),
                },
            ),
        ];
        for (query, form, expected) in cases {
            assert_eq!(
                check(&spec, query, form).unwrap_err(),
                expected,
                "{query:?} {form:?}"
            );
        }
        assert!(matches!(
            check(&spec, &[], &[("Rules", "[1,")]).unwrap_err(),
            Problem::Invalid { reason, .. } if reason.starts_with("it is not valid JSON")
        ));
        assert!(matches!(
            check(&spec, &[], &[("Rules.1", "a")]).unwrap_err(),
            Problem::Invalid { reason, .. } if reason.contains("one key")
        ));
    }

    #[test]
    fn a_flattened_parameter_in_the_wrong_place_is_caught() {
        let spec = complex();
        let err = check(&spec, &[], &[("Tag.1.Key", "a")]).unwrap_err();
        assert_eq!(
            err,
            Problem::WrongPlace {
                name: "Tag".into(),
                expected: Place::Query,
                found: Place::Form
            }
        );
    }

    #[test]
    fn refs_resolve_through_named_schemas() {
        let spec = op(serde_json::json!([
            {"name": "Filter", "$ref": "Filter", "in": "query", "style": "flat", "required": true}
        ]));
        let schemas: BTreeMap<String, Field> = serde_json::from_value(serde_json::json!({
            "Filter": {"type": "object", "properties": [{"name": "Size", "type": "integer", "required": true}]}
        }))
        .unwrap();
        let run = |query: &[(&str, &str)]| {
            let query = pairs(query);
            validate(
                &spec,
                &schemas,
                &Received {
                    query: &query,
                    ..Received::default()
                },
            )
            .map(|_| ())
        };
        run(&[("Filter.Size", "3")]).unwrap();
        assert_eq!(
            run(&[("Filter.Size", "big")]).unwrap_err(),
            Problem::Invalid {
                name: "Filter.Size".into(),
                reason: "expected an integer (32-bit), got \"big\"".into()
            }
        );
        assert_eq!(
            run(&[]).unwrap_err(),
            Problem::Missing {
                name: "Filter".into()
            }
        );
    }

    #[test]
    fn owners_are_reported_for_the_call_log() {
        let spec = complex();
        let (query, form) = (pairs(&[("Tag.1.Key", "a"), ("Extra", "e")]), pairs(&[]));
        let schemas = BTreeMap::new();
        let attributed = validate(
            &spec,
            &schemas,
            &Received {
                query: &query,
                form: &form,
                ..Received::default()
            },
        )
        .unwrap();
        assert_eq!(
            attributed[0].owner.and_then(|f| f.name.as_deref()),
            Some("Tag")
        );
        assert_eq!(attributed[1].owner, None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = String> {
        // Names of the fixture's parameters with random suffixes, and random keys.
        prop_oneof![
            prop::sample::select(vec![
                "Tag", "Obj", "Rules", "Ids", "Labels", "Matrix", "Id", "Count"
            ])
            .prop_flat_map(
                |name| "(\\.[0-9A-Za-z]{0,3}){0,3}".prop_map(move |s| format!("{name}{s}"))
            ),
            ".{0,10}",
        ]
    }

    proptest! {
        /// Whatever keys and values arrive, validation answers (accept or a problem) and
        /// never panics; every problem converts to a 400 error.
        #[test]
        fn validation_never_panics(
            query in prop::collection::vec((key(), ".{0,8}"), 0..8),
            form in prop::collection::vec((key(), ".{0,8}"), 0..8),
        ) {
            let spec: OperationSpec = serde_json::from_value(serde_json::json!({
                "action": "Op", "summary": "s", "source": {}, "methods": ["post"],
                "response": {"type": "object"},
                "request": [
                    {"name": "Id", "type": "string", "in": "query"},
                    {"name": "Count", "type": "integer", "in": "formData"},
                    {"name": "Tag", "type": "array", "in": "query", "style": "repeatList",
                     "items": {"type": "object", "properties": [{"name": "Key", "type": "string", "required": true}]}},
                    {"name": "Obj", "type": "object", "in": "formData", "style": "flat",
                     "properties": [{"name": "Sub", "type": "object", "properties": [{"name": "X", "type": "long"}]}]},
                    {"name": "Rules", "type": "array", "in": "formData", "style": "json", "items": {"type": "string"}},
                    {"name": "Ids", "type": "array", "in": "query", "style": "simple", "items": {"type": "integer"}},
                    {"name": "Labels", "type": "object", "in": "query", "additional_properties": {"type": "boolean"}},
                    {"name": "Matrix", "type": "array", "in": "query", "items": {"type": "array", "items": {"type": "number"}}}
                ]
            }))
            .unwrap();
            let schemas = BTreeMap::new();
            let received = Received { query: &query, form: &form, ..Received::default() };
            if let Err(problem) = validate(&spec, &schemas, &received) {
                prop_assert_eq!(problem.to_api_error(&spec).status, 400);
            }
        }
    }
}
