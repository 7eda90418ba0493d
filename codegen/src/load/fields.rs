//! Checks of [`Field`]s: request parameters, properties, array items, the response root and
//! named schemas. One recursive type serves all of them, so which keys are allowed depends
//! on where the field sits; this module enforces that.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::lenient::{self, Outcome};
use super::names::identifier_problem;
use super::report::{Report, child};
use crate::spec::{Field, FieldType};

/// Where a field sits, which decides the keys it must and must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// An element of an operation's `request`: needs `name` and `in`.
    RequestParameter,
    /// An element of an object's `properties`: needs `name`.
    Property,
    /// An array's `items`.
    Items,
    /// An object's `additional_properties`.
    AdditionalProperties,
    /// An operation's `response`: must be an object.
    ResponseRoot,
    /// A value of a product's `schemas`.
    Schema,
}

impl Place {
    fn described(self) -> &'static str {
        match self {
            Place::RequestParameter => "a request parameter",
            Place::Property => "a property",
            Place::Items => "an array's `items`",
            Place::AdditionalProperties => "`additional_properties`",
            Place::ResponseRoot => "the response root",
            Place::Schema => "a named schema",
        }
    }

    fn needs_name(self) -> bool {
        matches!(self, Place::RequestParameter | Place::Property)
    }
}

/// A `"$ref"` found while checking, resolved once the product's schemas are known.
#[derive(Debug, Clone)]
pub(crate) struct SchemaUse {
    /// Pointer to the `$ref` value.
    pub(crate) pointer: String,
    /// The schema it names.
    pub(crate) name: String,
}

/// What a product's named schemas are, as far as references need to know.
#[derive(Debug, Clone, Default)]
pub(crate) struct SchemaIndex {
    /// Schema name → its `type` as written (`None` when it is itself a `$ref` or untyped).
    pub(crate) types: BTreeMap<String, Option<String>>,
}

impl SchemaIndex {
    /// Reports every use that names an undefined schema.
    pub(crate) fn resolve(&self, uses: &[SchemaUse], report: &mut Report) {
        for schema_use in uses {
            if !self.types.contains_key(&schema_use.name) {
                report.push(
                    &schema_use.pointer,
                    format!(
                        "`$ref` names schema `{}`, which product.json does not define under \
                         `schemas`",
                        schema_use.name
                    ),
                );
            }
        }
    }
}

/// Keys holding child fields; checked one by one, not as part of the parent.
const CHILD_KEYS: [&str; 3] = ["properties", "items", "additional_properties"];

/// Checks a list of fields (`request` or `properties`), including duplicate names.
pub(crate) fn check_list(
    value: &Value,
    pointer: &str,
    place: Place,
    report: &mut Report,
    uses: &mut Vec<SchemaUse>,
) {
    let Value::Array(items) = value else {
        // `properties: null` means "no properties"; anything else that is not a list is
        // reported with serde's own words.
        if !(place == Place::Property && value.is_null()) {
            let _ = lenient::deserialize::<Vec<Value>>(value.clone(), pointer, report);
        }
        return;
    };
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let item_pointer = child(pointer, index);
        let Some(name) = check(item, &item_pointer, place, report, uses) else {
            continue;
        };
        match first_seen.get(&name) {
            Some(first) => report.push(
                child(&item_pointer, "name"),
                format!(
                    "duplicate {} name `{name}` (first at {first})",
                    if place == Place::RequestParameter {
                        "parameter"
                    } else {
                        "property"
                    }
                ),
            ),
            None => {
                first_seen.insert(name, item_pointer);
            }
        }
    }
}

/// Checks one field and its children; returns its name when it was read faithfully.
pub(crate) fn check(
    value: &Value,
    pointer: &str,
    place: Place,
    report: &mut Report,
    uses: &mut Vec<SchemaUse>,
) -> Option<String> {
    let Value::Object(object) = value else {
        let _ = lenient::deserialize_object::<Field>(value.clone(), pointer, "a field", report);
        return None;
    };
    let present = |key: &str| object.get(key).is_some_and(|child| !child.is_null());
    let own = lenient::without(object, &CHILD_KEYS);
    let field = match lenient::deserialize::<Field>(own, pointer, report) {
        Outcome::Faithful(field) => Some(field),
        Outcome::Broken => None,
    };
    if let Some(field) = &field {
        let children = Children {
            items: present("items"),
            properties: present("properties"),
            additional_properties: present("additional_properties"),
        };
        check_shape(field, children, place, pointer, report, uses);
    }
    if let Some(properties) = object.get("properties") {
        check_list(
            properties,
            &child(pointer, "properties"),
            Place::Property,
            report,
            uses,
        );
    }
    for (key, place) in [
        ("items", Place::Items),
        ("additional_properties", Place::AdditionalProperties),
    ] {
        if let Some(element) = object.get(key).filter(|element| !element.is_null()) {
            check(element, &child(pointer, key), place, report, uses);
        }
    }
    field.and_then(|field| field.name)
}

/// Which child keys a field has (they are checked apart from the field itself).
#[derive(Clone, Copy)]
struct Children {
    items: bool,
    properties: bool,
    additional_properties: bool,
}

/// The rules that tie a field's keys to its place and its type.
fn check_shape(
    field: &Field,
    children: Children,
    place: Place,
    pointer: &str,
    report: &mut Report,
    uses: &mut Vec<SchemaUse>,
) {
    match (&field.name, place.needs_name()) {
        (None, true) => report.push(
            pointer,
            format!("missing `name`: {} needs its wire name", place.described()),
        ),
        (Some(name), true) => {
            if let Some(problem) = identifier_problem(name) {
                report.push(child(pointer, "name"), problem);
            }
        }
        (Some(_), false) => report.push(
            child(pointer, "name"),
            format!(
                "`name` is not allowed on {}: only request parameters and properties have one",
                place.described()
            ),
        ),
        (None, false) => {}
    }

    match (field.location.is_some(), place == Place::RequestParameter) {
        (false, true) => report.push(
            pointer,
            "missing `in`: a request parameter needs its wire location (`query`, `formData`, \
             `body`, `path`, `header` or `host`)",
        ),
        (true, false) => report.push(
            child(pointer, "in"),
            format!(
                "`in` is not allowed on {}: only top-level request parameters have a location",
                place.described()
            ),
        ),
        _ => {}
    }

    let kind = match (field.ty, &field.reference) {
        // A response root without a type: the operation answers with no body (a 204).
        (None, None) if place == Place::ResponseRoot => return,
        (None, None) => {
            report.push(
                pointer,
                "neither `type` nor `$ref`: give exactly one of them",
            );
            return;
        }
        (Some(_), Some(_)) => {
            report.push(pointer, "both `type` and `$ref`: give exactly one of them");
            return;
        }
        (None, Some(name)) => {
            uses.push(SchemaUse {
                pointer: child(pointer, "$ref"),
                name: name.clone(),
            });
            "a `$ref`".to_owned()
        }
        (Some(ty), None) => format!("`{}`", type_name(ty)),
    };

    // The roots the official SDKs read (`bodyType`): a JSON object, array or any value,
    // text, or bytes; scalars are not answers.
    if place == Place::ResponseRoot
        && field.ty.is_some_and(|ty| {
            !matches!(
                ty,
                FieldType::Object
                    | FieldType::Array
                    | FieldType::String
                    | FieldType::Binary
                    | FieldType::Any
            )
        })
    {
        report.push(
            child(pointer, "type"),
            format!(
                "the response root must be an `object`, `array`, `string`, `binary` or `any` (or have no type: no body), not {kind}"
            ),
        );
    }
    let is_array = field.ty == Some(FieldType::Array);
    let is_object = field.ty == Some(FieldType::Object);
    if is_array && !children.items {
        report.push(
            pointer,
            "an `array` needs `items` (the type of its elements)",
        );
    }
    if !is_array && children.items {
        report.push(
            child(pointer, "items"),
            format!("`items` is only allowed on an `array`, and this field is {kind}"),
        );
    }
    for (present, key) in [
        (children.properties, "properties"),
        (children.additional_properties, "additional_properties"),
    ] {
        if present && !is_object {
            report.push(
                child(pointer, key),
                format!("`{key}` is only allowed on an `object`, and this field is {kind}"),
            );
        }
    }
    if let Some(ty) = field.ty {
        if field.style.is_some() && is_scalar(ty) {
            report.push(
                child(pointer, "style"),
                format!(
                    "`style` says how an array or object is flattened, and this field is {kind}"
                ),
            );
        }
        for (flag, key) in [
            (field.json, "json"),
            (field.idempotency_token, "idempotency_token"),
        ] {
            if flag && ty != FieldType::String {
                report.push(
                    child(pointer, key),
                    format!("`{key}` marks a `string`, and this field is {kind}"),
                );
            }
        }
    }
}

/// Types with nothing to flatten. `any` may hold a structure, so it is not one of them.
fn is_scalar(ty: FieldType) -> bool {
    !matches!(ty, FieldType::Object | FieldType::Array | FieldType::Any)
}

/// The type's name as written in specs (`long`, `object`).
pub(crate) fn type_name(ty: FieldType) -> String {
    match serde_json::to_value(ty) {
        Ok(Value::String(name)) => name,
        // FieldType serialises as a string by construction; never reached.
        _ => format!("{ty:?}"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    fn reasons(value: Value, place: Place) -> Vec<String> {
        let mut report = Report::new(Path::new("t.json"));
        let mut uses = Vec::new();
        check(&value, "/f", place, &mut report, &mut uses);
        report
            .into_errors()
            .into_iter()
            .map(|e| format!("{}|{}", e.pointer, e.reason))
            .collect()
    }

    #[test]
    fn a_good_nested_parameter_passes() {
        let value = json!({
            "name": "Tag", "in": "query", "type": "array", "style": "repeatList",
            "items": {"type": "object", "properties": [
                {"name": "Key", "type": "string"},
                {"name": "Value", "type": "string", "json": true}
            ]}
        });
        assert_eq!(
            reasons(value, Place::RequestParameter),
            Vec::<String>::new()
        );
    }

    #[test]
    fn children_are_checked_even_when_the_parent_is_broken() {
        let value = json!({"name": 5, "type": "object", "properties": [{"type": "string"}]});
        let found = reasons(value, Place::Property);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("/f/name|invalid type: integer `5`"),
            "{found:?}"
        );
        assert_eq!(
            found[1],
            "/f/properties/0|missing `name`: a property needs its wire name"
        );
    }

    #[test]
    fn type_names_are_the_spec_spelling() {
        assert_eq!(type_name(FieldType::Long), "long");
        assert_eq!(type_name(FieldType::Object), "object");
    }
}
