//! Serde model of one `api-docs.json`, as Alibaba publishes it.
//!
//! The metadata is written by many teams and is not uniform, so this layer is lenient on
//! purpose: it never rejects a value because of its JSON type (scalars that vary between
//! files are kept as [`Value`] and judged later, where a bad one becomes a reported issue
//! instead of a failed product), and it keeps the order of JSON objects where that order is
//! the page's order (properties, error statuses). Only a document whose *structure* is
//! broken (a `properties` that is not an object, say) fails to read, and then the whole
//! product version is reported as unreadable.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// A JSON object read as an ordered list of entries (serde_json's own map sorts keys).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    entries.push((key, value));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawDoc {
    /// `{style, product, version}`.
    pub info: RawInfo,
    /// `components.schemas`: the targets of `$ref`.
    pub components: RawComponents,
    /// `apis.<Action>`.
    pub apis: Ordered<RawApi>,
    /// The region → host map.
    pub endpoints: Vec<RawEndpoint>,
    /// Product-level error codes (a handful of files); the spec has no place for them.
    #[serde(rename = "errorCodes")]
    pub error_codes: Option<IgnoredAny>,
}

/// `info`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawInfo {
    /// `RPC`, `ROA`, `V3`, ...
    pub style: String,
    /// Product code as Alibaba spells it (`Rds`).
    pub product: String,
    /// API version (`2014-08-15`).
    pub version: String,
}

/// `components`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawComponents {
    /// Named schemas, in file order.
    pub schemas: Ordered<RawSchema>,
}

/// One `endpoints[]` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawEndpoint {
    /// Region id.
    #[serde(rename = "regionId")]
    pub region_id: String,
    /// Host name.
    pub endpoint: String,
}

/// One operation (`apis.<Action>`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawApi {
    pub summary: Option<Value>,
    pub title: Option<Value>,
    pub description: Option<Value>,
    pub methods: Vec<Value>,
    pub path: Option<Value>,
    pub deprecated: Option<Value>,
    #[serde(rename = "operationType")]
    pub operation_type: Option<Value>,
    pub consumes: Vec<Value>,
    pub produces: Vec<Value>,
    pub security: Vec<Ordered<IgnoredAny>>,
    pub parameters: Vec<RawParam>,
    pub responses: Ordered<RawResponse>,
    #[serde(rename = "responseDemo")]
    pub response_demo: Option<Value>,
    #[serde(rename = "errorCodes")]
    pub error_codes: Option<Ordered<Vec<RawErrorRow>>>,
    #[serde(rename = "staticInfo")]
    pub static_info: Option<RawStaticInfo>,
}

/// One `parameters[]` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawParam {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    pub style: Option<String>,
    pub schema: RawSchema,
}

/// One `responses.<status>` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawResponse {
    pub schema: Option<RawSchema>,
    /// Response headers (ROA, FC), by name, in the metadata's order.
    pub headers: Option<Ordered<RawHeader>>,
}

/// One `responses.<status>.headers.<name>` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawHeader {
    pub schema: Option<RawSchema>,
}

/// One error-code row.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawErrorRow {
    #[serde(rename = "errorCode")]
    pub code: Option<Value>,
    #[serde(rename = "errorMessage")]
    pub message: Option<Value>,
    pub description: Option<Value>,
}

/// `staticInfo`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawStaticInfo {
    #[serde(rename = "returnType")]
    pub return_type: Option<String>,
    /// `product::version::Action`.
    pub callback: Option<String>,
    /// Milliseconds.
    #[serde(rename = "callbackInterval")]
    pub callback_interval: Option<Value>,
    #[serde(rename = "maxCallbackTimes")]
    pub max_callback_times: Option<Value>,
}

/// `additionalProperties`: `true`/`false` or a schema.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawAdditional {
    Flag(bool),
    Schema(Box<RawSchema>),
}

/// Keys the metadata uses for its own tooling (documentation site, console, SDK generator
/// internals) that say nothing a client needs. They are skipped on purpose and counted in
/// the report, so that nothing disappears unseen.
pub const IGNORED_SCHEMA_KEYS: &[&str] = &[
    "alibabaCloud",
    "backendName",
    "backendParamType",
    "bizType",
    "checkBlank",
    "components",
    "dateFormat",
    "docRequired",
    "enumValueTitles",
    "enumValues",
    "extendType",
    "index",
    "info",
    "isFileTransferUrl",
    "itemName",
    "itemNode",
    "name",
    "nullToEmpty",
    "nullable",
    "parseType",
    "readOnly",
    "sdkIgnore",
    "sdkPropertyName",
    "title",
    "trim",
    "valueMapping",
    "visibility",
    "xml",
];

/// A JSON schema node of the metadata. Deserialised by hand so that unknown keys are
/// collected (and reported) rather than failing the product or vanishing.
#[derive(Debug, Default)]
pub struct RawSchema {
    pub ty: Option<Value>,
    pub format: Option<Value>,
    pub description: Option<Value>,
    pub example: Option<Value>,
    pub required: Option<Value>,
    pub properties: Option<Ordered<RawSchema>>,
    pub items: Option<Box<RawSchema>>,
    pub additional_properties: Option<RawAdditional>,
    /// `$ref`.
    pub reference: Option<Value>,
    /// `ref` without the dollar: a typo for `$ref` in a few files.
    pub bare_reference: Option<Value>,
    pub enumeration: Option<Value>,
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
    pub exclusive_minimum: Option<Value>,
    pub exclusive_maximum: Option<Value>,
    pub min_length: Option<Value>,
    pub max_length: Option<Value>,
    pub min_items: Option<Value>,
    pub max_items: Option<Value>,
    pub pattern: Option<Value>,
    pub default: Option<Value>,
    pub deprecated: Option<Value>,
    pub sensitive: Option<Value>,
    /// Keys of [`IGNORED_SCHEMA_KEYS`] present on this node.
    pub ignored_keys: Vec<&'static str>,
    /// Keys neither understood nor known to be irrelevant.
    pub unknown_keys: Vec<String>,
}

impl<'de> Deserialize<'de> for RawSchema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SchemaVisitor)
    }
}

struct SchemaVisitor;

impl<'de> Visitor<'de> for SchemaVisitor {
    type Value = RawSchema;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON schema object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSchema, A::Error> {
        let mut schema = RawSchema::default();
        while let Some(key) = map.next_key::<String>()? {
            let s = &mut schema;
            match key.as_str() {
                "type" => s.ty = Some(map.next_value()?),
                "format" => s.format = Some(map.next_value()?),
                "description" => s.description = Some(map.next_value()?),
                "example" => s.example = Some(map.next_value()?),
                "required" => s.required = Some(map.next_value()?),
                "properties" => s.properties = Some(map.next_value()?),
                "items" => s.items = Some(map.next_value()?),
                "additionalProperties" => s.additional_properties = Some(map.next_value()?),
                "$ref" => s.reference = Some(map.next_value()?),
                "ref" => s.bare_reference = Some(map.next_value()?),
                "enum" => s.enumeration = Some(map.next_value()?),
                "minimum" => s.minimum = Some(map.next_value()?),
                "maximum" => s.maximum = Some(map.next_value()?),
                "exclusiveMinimum" => s.exclusive_minimum = Some(map.next_value()?),
                "exclusiveMaximum" => s.exclusive_maximum = Some(map.next_value()?),
                "minLength" => s.min_length = Some(map.next_value()?),
                "maxLength" => s.max_length = Some(map.next_value()?),
                "minItems" => s.min_items = Some(map.next_value()?),
                "maxItems" => s.max_items = Some(map.next_value()?),
                "pattern" => s.pattern = Some(map.next_value()?),
                "default" => s.default = Some(map.next_value()?),
                "deprecated" => s.deprecated = Some(map.next_value()?),
                "sensitive" => s.sensitive = Some(map.next_value()?),
                other => {
                    map.next_value::<IgnoredAny>()?;
                    match IGNORED_SCHEMA_KEYS.iter().find(|known| **known == other) {
                        Some(known) => s.ignored_keys.push(known),
                        None => s.unknown_keys.push(key),
                    }
                }
            }
        }
        Ok(schema)
    }
}

/// Reads one `api-docs.json`.
pub fn parse(text: &str) -> Result<RawDoc, serde_json::Error> {
    serde_json::from_str(text)
}
