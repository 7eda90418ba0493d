//! The spec format: the single definition of what a spec file may say.
//!
//! Two kinds of file live under `specs/<product>/<version>/`:
//!
//! * `product.json`: one [`ProductSpec`] per product version;
//! * `<Action>.json`: one [`OperationSpec`] per operation.
//!
//! Every struct rejects unknown keys, so a typo in a hand-written spec is an error, not a
//! silently ignored field. `specs/schema.json` is derived from these types (schemars) by
//! `cargo xtask regen`, so editors validate spec files as they are typed.
//!
//! The type language is the one the reference pages use (`string`, `integer`, `long`,
//! `boolean`, ...) extended with what Alibaba's OpenAPI metadata can say (nested objects,
//! arrays, `$ref` to named schemas, enums, bounds, every wire location and flattening
//! style), so that both hand transcriptions and catalog imports fit the same format.
//!
//! Lists keep the order of the page (parameters, properties, error rows), because the order
//! is part of what a reviewer compares against the page; maps that have no page order
//! (endpoints, named schemas) are sorted so diffs stay small and output is deterministic.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Name of the per-product file in each `specs/<product>/<version>/` directory.
pub const PRODUCT_FILE: &str = "product.json";

/// One product version: `specs/<product>/<version>/product.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    /// Editor hint: relative path to `specs/schema.json`. Ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Product code as used in endpoints and crate names, lowercase (`adb`, `rds`,
    /// `dataworks-public`).
    pub code: String,
    /// Product code exactly as Alibaba's metadata spells it in `info.product` (`Rds`), when it
    /// differs from `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_code: Option<String>,
    /// API version, sent as `x-acs-version` (`2021-12-01`).
    pub version: String,
    /// Human-readable product name (`AnalyticDB for MySQL`).
    pub title: String,
    /// API style of every operation of this product version.
    pub style: ApiStyle,
    /// Name of the generated crate (`alibabacloud-adb20211201`).
    pub crate_name: String,
    /// How a region becomes a host.
    pub endpoints: Endpoints,
    /// Named schemas that fields refer to with `"$ref"` (the metadata's
    /// `components.schemas`). Sorted by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Field>,
    /// Where the facts of this file come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// API style (`info.style` in the metadata).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum ApiStyle {
    /// Remote procedure call: action in a header, parameters in query and form body.
    #[serde(rename = "RPC")]
    Rpc,
    /// Resource-oriented: a path per operation, JSON bodies.
    #[serde(rename = "ROA")]
    Roa,
    /// The newer OpenAPI style ("V3" in the metadata).
    #[serde(rename = "V3")]
    V3,
    /// Function Compute.
    #[serde(rename = "FC")]
    Fc,
    /// Object Storage Service.
    #[serde(rename = "OSS")]
    Oss,
    /// Photo and Drive Service.
    #[serde(rename = "PDS")]
    Pds,
    /// AliGenie.
    #[serde(rename = "AliGenie")]
    AliGenie,
}

/// Endpoint map and the fallback rule for regions absent from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// Fallback for a region that is not in `regions`.
    pub rule: EndpointRule,
    /// Product id used by the fallback template (`<product_id>.<region>.aliyuncs.com`).
    /// The official SDKs use the lowercase product code, which for DataWorks is
    /// `dataworks-public` although its published hosts start with `dataworks`.
    pub product_id: String,
    /// Region id → host, as published. Sorted by region.
    pub regions: BTreeMap<String, String>,
}

/// The fallback rule of the official SDKs (`endpointRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointRule {
    /// `<product_id>.<region>.aliyuncs.com`.
    Regional,
    /// `<product_id>.aliyuncs.com`.
    Central,
}

/// One operation: `specs/<product>/<version>/<Action>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Editor hint: relative path to `specs/schema.json`. Ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Operation name exactly as sent on the wire (`CreateAPSJob`); also the file name.
    pub action: String,
    /// One-line summary from the page.
    pub summary: String,
    /// Longer description ("Operation description" on the page), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where this spec's facts come from.
    pub source: Source,
    /// HTTP methods the service accepts, as listed by the metadata. The runtime sends POST
    /// when it is allowed, otherwise the first one listed.
    pub methods: Vec<HttpMethod>,
    /// Request path: `/` for RPC, a template such as `/clusters/{ClusterId}` for ROA.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// The operation is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// What the operation does, as the metadata's `operationType` says (`read`, `write`,
    /// `readAndWrite`); absent when the metadata does not say. The runtime retries an
    /// operation after a failure that leaves it unknown whether the request was applied
    /// only when it is a `read` or sends an idempotency token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_type: Option<OperationType>,
    /// Request content types (ROA `consumes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumes: Vec<String>,
    /// Response content types (ROA `produces`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub produces: Vec<String>,
    /// Set when the operation starts work that another operation polls.
    #[serde(rename = "async", default, skip_serializing_if = "Option::is_none")]
    pub asynchronous: Option<AsyncInfo>,
    /// Authentication schemes the operation accepts, as the metadata's `security` names them
    /// (`AK`, `Anonymous`, `BearerToken`, ...), when they are anything other than `AK` alone.
    /// Empty means the usual signed request with an AccessKey (`AK`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<String>,
    /// Request parameters in page order. Each has a location (`in`).
    #[serde(default)]
    pub request: Vec<Field>,
    /// The response body as the official SDKs read it (`bodyType`): an `object` whose
    /// properties are the response fields (or a `$ref` to one), an `array`, `any` JSON,
    /// `string` text, `binary` bytes, or no type at all when the operation answers without
    /// a body (a 204).
    pub response: Field,
    /// Response headers the operation documents (ROA, FC), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_headers: Vec<Field>,
    /// Sample responses, verbatim from the page; used as test fixtures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    /// Error-code table, every row as the page has it (duplicates included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorRow>,
    /// Places where the page and the metadata disagree, and which side the spec follows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discrepancies: Vec<Discrepancy>,
}

fn default_path() -> String {
    "/".to_owned()
}

fn is_default_path(path: &str) -> bool {
    path == "/"
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Provenance of an operation spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The reference page the tables were transcribed from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageSource>,
    /// The metadata file the wire facts come from (locations, methods, styles), e.g.
    /// `catalog/adb/2021-12-01/api-docs.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// A reference page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSource {
    /// File name of the saved page (`001_7bf23155c552e403.txt`).
    pub file: String,
    /// The page's title line (`AnalyticDB:CreateAPSJob`), if the page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page's "Last Updated" date as printed (`Nov 10, 2025`), if the page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

/// HTTP method.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
}

/// What an operation does to the service's state (the metadata's `operationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OperationType {
    /// Reads only: safe to repeat.
    Read,
    /// Changes state.
    Write,
    /// Reads and changes state.
    ReadAndWrite,
}

/// An asynchronous operation and the operation that polls it (metadata `staticInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsyncInfo {
    /// Action to call to poll for completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<String>,
    /// Polling interval in seconds. The import puts the metadata's `callbackInterval` here
    /// when it is a small integer (60 or less: the 3 and 5 a few products write mean
    /// seconds, not milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    /// Polling interval in milliseconds: the metadata's `callbackInterval` above 60 (most
    /// of them: 3000, 5000, ...), kept in its unit since a few are not whole seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_millis: Option<u64>,
    /// Maximum number of polls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tries: Option<u64>,
}

/// A request parameter, a response field, an array's item type or a named schema.
///
/// One recursive type serves all four, because serde cannot combine `flatten` with
/// `deny_unknown_fields`. The loader enforces which keys belong where: `name` on
/// parameters and properties, `in` only on top-level request parameters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name exactly as on the page (`SourceEndpointInstanceID`). Absent on array items,
    /// the response root and named schemas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The type. Absent only when `$ref` names a schema instead.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<FieldType>,
    /// Name of a schema in the product's `schemas`, instead of `type`.
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Wire location; top-level request parameters only.
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How an array or object parameter is flattened onto the wire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    /// The caller must set it (the page's "Required" column).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The page's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The page's example value, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// A secret (password, key): never printed in Debug output, logs or errors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// An idempotency token (`ClientToken`): generated once when the caller leaves it unset
    /// and reused by every retry of the call.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
    /// A string whose content is JSON (`DbList`, `TaskContent`); sent as is.
    #[serde(default, skip_serializing_if = "is_false")]
    pub json: bool,
    /// Element type of an `array`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    /// Properties of an `object`, in page order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<Field>>,
    /// Value type of an `object` used as a map with arbitrary keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Box<Field>>,
    /// Allowed values, as strings.
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<Vec<String>>,
    /// Inclusive lower bound, as the metadata prints it (a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<String>,
    /// Inclusive upper bound, as the metadata prints it (a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<String>,
    /// Minimum string length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Maximum string length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Minimum number of array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Maximum number of array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// `minimum` itself is excluded (the metadata's `exclusiveMinimum`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_minimum: bool,
    /// `maximum` itself is excluded (the metadata's `exclusiveMaximum`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_maximum: bool,
    /// Regular expression the value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The metadata's `format` where `type` does not already say it: `iso8601` or `byte` on a
    /// `string`, `int64` on a `string` (a number sent as text). Documentation only; the
    /// type decides the Rust type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Default value, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The field is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// The type language. Page names where the pages have them (`integer` is 32-bit, `long`
/// 64-bit), metadata names (`float`, `double`, `binary`, `any`) for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// `true` / `false`.
    Boolean,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// A number of unspecified precision (pages print `number`): 64-bit float.
    Number,
    /// An object with `properties` (or `additional_properties`).
    Object,
    /// An array of `items`.
    Array,
    /// Arbitrary JSON.
    Any,
    /// Raw bytes (file uploads).
    Binary,
}

/// Wire location of a request parameter (the metadata's `in`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Location {
    /// URL query string (signed in the canonical query).
    #[serde(rename = "query")]
    Query,
    /// `application/x-www-form-urlencoded` body field (covered by the body hash).
    #[serde(rename = "formData")]
    FormData,
    /// The raw request body (JSON or bytes).
    #[serde(rename = "body")]
    Body,
    /// A segment of the ROA path.
    #[serde(rename = "path")]
    Path,
    /// An HTTP header.
    #[serde(rename = "header")]
    Header,
    /// A part of the host name.
    #[serde(rename = "host")]
    Host,
}

/// How a complex value is flattened (the metadata's `style`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum ParamStyle {
    /// One key per element, 1-based: `Tag.1.Key`.
    #[serde(rename = "repeatList")]
    RepeatList,
    /// Object fields as dotted keys: `Obj.Field`.
    #[serde(rename = "flat")]
    Flat,
    /// The whole value JSON-serialised into one parameter.
    #[serde(rename = "json")]
    Json,
    /// Array elements joined with `,`.
    #[serde(rename = "simple")]
    Simple,
    /// Array elements joined with a space.
    #[serde(rename = "spaceDelimited")]
    SpaceDelimited,
    /// Array elements joined with `|`.
    #[serde(rename = "pipeDelimited")]
    PipeDelimited,
    /// XML-serialised value.
    #[serde(rename = "xml")]
    Xml,
}

/// A sample response from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Body format.
    pub format: SampleFormat,
    /// The body, verbatim.
    pub body: String,
    /// The sample shows an error response (the metadata's `errorExample`), not a success.
    #[serde(default, skip_serializing_if = "is_false")]
    pub error: bool,
}

/// Format of a sample body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SampleFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
}

/// One row of the page's error-code table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRow {
    /// HTTP status code.
    pub status: u16,
    /// Error code exactly as written (`Pay.NoCreditCard`).
    pub code: String,
    /// Error message column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Description column; absent where the page prints `-` or has no such column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A disagreement between the page and another source, recorded where a maintainer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Discrepancy {
    /// What differs, e.g. `request/TaskParam/required` or `request/TargetAddress`.
    pub subject: String,
    /// What the page says (absent when the page does not mention it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// What the other source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// The other source (`seed-operations.json`, `catalog api-docs.json`).
    pub other_source: String,
    /// Which side the spec follows and why.
    pub resolution: String,
}
