//! Checks of one `product.json`.

use serde_json::{Map, Value};

use super::fields::{self, Place, SchemaIndex};
use super::json_text;
use super::lenient::{self, Outcome};
use super::names::{identifier_problem, is_valid_crate_name, is_valid_product_code};
use super::report::{Report, child};
use crate::spec::ProductSpec;

/// What a product file yields, even when it has problems: as much as operations and the
/// directory check need.
pub(crate) struct ParsedProduct {
    /// The spec, when the file has no problem.
    pub(crate) spec: Option<ProductSpec>,
    /// `code` as written, when it is a string.
    pub(crate) code: Option<String>,
    /// `version` as written, when it is a string.
    pub(crate) version: Option<String>,
    /// The named schemas, when `schemas` could be read (absent counts as none).
    pub(crate) schemas: Option<SchemaIndex>,
}

/// Parses and checks one `product.json`.
pub(crate) fn check(text: &str, report: &mut Report) -> ParsedProduct {
    let mut parsed = ParsedProduct {
        spec: None,
        code: None,
        version: None,
        schemas: None,
    };
    let Some(value) = json_text::parse(text, report) else {
        return parsed;
    };
    let Value::Object(object) = &value else {
        let _ = lenient::deserialize_object::<ProductSpec>(value, "", "a product", report);
        return parsed;
    };
    let text_of = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    parsed.code = text_of("code");
    parsed.version = text_of("version");

    let own = lenient::without(object, &["schemas"]);
    if let Outcome::Faithful(product) = lenient::deserialize::<ProductSpec>(own, "", report) {
        check_names(&product, report);
    }
    parsed.schemas = check_schemas(object, report);

    if report.is_clean() {
        match serde_json::from_value(value) {
            Ok(spec) => parsed.spec = Some(spec),
            Err(error) => report.push("", format!("cannot read the product: {error}")),
        }
    }
    parsed
}

fn check_names(product: &ProductSpec, report: &mut Report) {
    if !is_valid_product_code(&product.code) {
        report.push(
            "/code",
            format!(
                "product code `{}` must be lowercase ASCII letters, digits and `-`, starting \
                 with a letter",
                product.code
            ),
        );
    }
    if product.version.trim().is_empty() {
        report.push("/version", "API version is empty");
    }
    if !is_valid_crate_name(&product.crate_name) {
        report.push(
            "/crate_name",
            format!(
                "crate name `{}` must be ASCII letters, digits, `-` and `_`, starting with a \
                 letter",
                product.crate_name
            ),
        );
    }
    if product.endpoints.product_id.trim().is_empty() {
        report.push("/endpoints/product_id", "endpoint product id is empty");
    }
}

/// Checks every named schema and the references between them; returns their index.
fn check_schemas(object: &Map<String, Value>, report: &mut Report) -> Option<SchemaIndex> {
    let schemas = match object.get("schemas") {
        None => return Some(SchemaIndex::default()),
        Some(Value::Object(schemas)) => schemas,
        Some(other) => {
            let _ = lenient::deserialize::<Map<String, Value>>(other.clone(), "/schemas", report);
            return None;
        }
    };
    let mut index = SchemaIndex::default();
    let mut uses = Vec::new();
    for (name, schema) in schemas {
        let pointer = child("/schemas", name);
        if let Some(problem) = identifier_problem(name) {
            report.push(&pointer, format!("schema {problem}"));
        }
        fields::check(schema, &pointer, Place::Schema, report, &mut uses);
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        index.types.insert(name.clone(), ty);
    }
    index.resolve(&uses, report);
    Some(index)
}
