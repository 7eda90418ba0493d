//! The resolved model: what the emitters print, with every decision already taken.
//!
//! [`CrateModel::resolve`] turns one product version's specs into Rust names (collisions
//! settled), Rust types (the spec's type language mapped) and wire metadata (locations,
//! styles, method). The emitters in [`crate::emit`] only print; nothing there chooses a name
//! or a type. Whatever cannot be generated yet is returned as [`Unsupported`] items, and the
//! operation they belong to is left out whole rather than generated half-working.
//!
//! Order is spec order throughout (operations sorted by action, parameters and error rows in
//! page order), so names and files are the same every run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::names::{self, Case, Namespace};
use crate::spec::{
    ApiStyle, EndpointRule, ErrorRow, Field, FieldType, HttpMethod, Location, OperationSpec,
    ParamStyle, ProductSpec,
};

/// Type names every generated crate defines at its root besides the operations' own.
const RESERVED_TYPES: &[&str] = &["Client"];
/// Methods of the generated `Client` besides one per operation (inherent or derived).
const RESERVED_CLIENT_METHODS: &[&str] = &["new", "with_options", "clone", "clone_from", "fmt"];
/// Names a request field cannot take, because its builder setter shares the name and the
/// builder has these methods and its own `client` field.
const RESERVED_FIELDS: &[&str] = &["build", "send", "with_client", "client", "clone", "fmt"];
/// The fallback variant of every error enum.
pub const UNHANDLED_VARIANT: &str = "Unhandled";

/// Something in the specs the generator does not support yet. The operation (or, for
/// [`UnsupportedKind::ApiStyle`], the product) it belongs to is not generated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unsupported {
    /// What kind of construct it is; reports count by kind.
    pub kind: UnsupportedKind,
    /// Product version, `code/version` (`adb/2021-12-01`).
    pub product: String,
    /// The operation, when the item belongs to one.
    pub action: Option<String>,
    /// Where and what exactly (`request/Body: location body`).
    pub detail: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.product)?;
        if let Some(action) = &self.action {
            write!(f, " {action}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// Kinds of [`Unsupported`] items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnsupportedKind {
    /// A product style other than RPC (ROA, V3, ...): the whole product is skipped.
    ApiStyle,
    /// A parameter location the runtime cannot send yet (`host`), or none at all.
    Location,
    /// A flattening style the runtime cannot send yet (`xml`).
    ParamStyle,
    /// A `binary` value (file upload or download).
    Binary,
    /// A response body that is not a JSON object (an array or scalar root).
    ResponseShape,
    /// An object with both `properties` and `additional_properties`.
    MixedObject,
    /// An operation whose authentication (`security`) does not include the signed AccessKey
    /// request (`AK`) the runtime sends, such as `Anonymous` or `BearerToken` only.
    Security,
    /// A `$ref` to a schema the product does not define, or a chain of `$ref`s that never
    /// reaches a type.
    Reference,
    /// A `multipart/form-data` body: the official SDKs have no encoder for it and send a
    /// form-urlencoded body instead, which no service is known to accept (styles reference
    /// §1.5, §9).
    Multipart,
}

impl UnsupportedKind {
    /// Stable lowercase name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiStyle => "api-style",
            Self::Location => "location",
            Self::ParamStyle => "param-style",
            Self::Binary => "binary",
            Self::ResponseShape => "response-shape",
            Self::MixedObject => "mixed-object",
            Self::Security => "security",
            Self::Reference => "reference",
            Self::Multipart => "multipart",
        }
    }
}

impl fmt::Display for UnsupportedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateModel {
    /// Package name (`alibabacloud-adb20211201`), also the directory under `generated/`.
    pub crate_name: String,
    /// Product code (`adb`).
    pub code: String,
    /// API version (`2021-12-01`).
    pub version: String,
    /// Product title (`AnalyticDB for MySQL`).
    pub title: String,
    /// Fallback rule for regions missing from `endpoints`.
    pub endpoint_rule: EndpointRule,
    /// Product id of the fallback template.
    pub endpoint_product_id: String,
    /// `(region, host)`, sorted by region.
    pub endpoints: Vec<(String, String)>,
    /// Generated operations, sorted by action.
    pub operations: Vec<OperationModel>,
    /// Named schemas that became structs (`src/types.rs`), sorted by schema name.
    pub shared: Vec<StructModel>,
    /// What was left out, and why.
    pub unsupported: Vec<Unsupported>,
    /// List-like operations left without a paginator, and why.
    pub no_paginator: Vec<(String, crate::paging::NoPaging)>,
    /// Asynchronous operations left without a waiter, and why.
    pub no_waiter: Vec<NoWaiter>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationModel {
    /// Wire name (`CreateAPSJob`).
    pub action: String,
    /// Module and client method name (`create_aps_job`).
    pub module: String,
    /// Request struct (`CreateApsJobRequest`).
    pub request_type: String,
    /// Builder (`CreateApsJobBuilder`).
    pub builder_type: String,
    /// Response struct (`CreateApsJobResponse`).
    pub response_type: String,
    /// Error enum (`CreateApsJobError`).
    pub error_type: String,
    /// One-line summary.
    pub summary: String,
    /// Longer description.
    pub description: Option<String>,
    /// The operation is deprecated.
    pub deprecated: bool,
    /// The method the runtime sends: POST when allowed, else the first listed.
    pub method: HttpMethod,
    /// Request path template as sent: literal characters outside the unreserved set are
    /// percent-encoded as the official SDKs encode them; `{Name}` placeholders and a `?…`
    /// tail of fixed query parameters are kept for the runtime.
    pub path: String,
    /// Sent unsigned: the operation's only authentication scheme is `Anonymous`.
    pub anonymous: bool,
    /// The metadata's `operationType`; `None` when it does not say.
    pub operation_type: Option<crate::spec::OperationType>,
    /// Top-level request parameters, in page order.
    pub params: Vec<ParamModel>,
    /// Structs for nested request objects, in the order they are met.
    pub request_structs: Vec<StructModel>,
    /// The response.
    pub response: ResponseModel,
    /// Response headers the operation documents: name and description.
    pub response_headers: Vec<(String, Option<String>)>,
    /// Structs for nested response objects, in the order they are met.
    pub response_structs: Vec<StructModel>,
    /// One variant per distinct error code, in page order.
    pub errors: Vec<ErrorVariant>,
    /// JSON sample responses, verbatim.
    pub json_samples: Vec<String>,
    /// The paginator, for a list operation whose paging is settled.
    pub paginator: Option<PaginatorModel>,
    /// Waiters that poll this operation for the work of an asynchronous one.
    pub waiters: Vec<WaiterModel>,
    /// For an asynchronous operation, the waiters that wait for its work: (poll
    /// operation's builder type, method).
    pub awaited_by: Vec<(String, String)>,
}

/// A top-level request parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamModel {
    /// The field (and builder setter).
    pub field: FieldModel,
    /// Where it is sent.
    pub location: Location,
    /// How it is flattened; `None` is plain.
    pub style: Option<ParamStyle>,
    /// The runtime fills it with a fresh token when unset.
    pub idempotency_token: bool,
    /// The request struct field is not an `Option` and the builder demands it.
    pub required: bool,
    /// A member of a JSON object body (`location` is `Body`): an object body's properties
    /// are request fields of their own, put back together by the runtime.
    pub body_member: bool,
    /// The byte body: not serialized, handed to the runtime by `Operation::payload`.
    pub payload: bool,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldModel {
    /// Wire name, the serde rename.
    pub wire: String,
    /// Rust identifier (may be raw: `r#type`).
    pub ident: String,
    /// The value type, without the `Option` that optional fields add.
    pub ty: Ty,
    /// Documentation facts.
    pub doc: FieldDoc,
}

/// What a field's documentation says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldDoc {
    /// The page's description.
    pub description: Option<String>,
    /// The page's example value.
    pub example: Option<String>,
    /// Allowed values.
    pub enumeration: Vec<String>,
    /// Default value.
    pub default: Option<String>,
    /// The page marks it required (for nested and response fields this is informative).
    pub required: bool,
    /// A secret: redacted in `Debug`.
    pub sensitive: bool,
    /// A string holding JSON text.
    pub json: bool,
    /// An idempotency token.
    pub idempotency_token: bool,
    /// Deprecated.
    pub deprecated: bool,
}

/// A Rust type of the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`
    String,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `bool`
    Bool,
    /// `f64`
    F64,
    /// `rt::Value` (arbitrary JSON).
    Value,
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>` (sorted, so serialisation is deterministic).
    Map(Box<Ty>),
    /// `rt::Sensitive<T>`
    Sensitive(Box<Ty>),
    /// `rt::Bytes`: a byte body.
    Bytes,
    /// A generated struct.
    Named {
        /// Struct name.
        name: String,
        /// Defined in `crate::types` (a named schema) rather than the operation's module.
        shared: bool,
        /// Boxed, because the struct (indirectly) contains the one referring to it.
        boxed: bool,
    },
}

/// A generated struct other than the top-level request.
#[derive(Debug, Clone, PartialEq)]
pub struct StructModel {
    /// Type name.
    pub name: String,
    /// Wire path it stands for (`response/Data/Items`), for its documentation.
    pub origin: String,
    /// The description of the object, if the spec gives one.
    pub description: Option<String>,
    /// Fields, all optional, in spec order.
    pub fields: Vec<FieldModel>,
}

/// The response type of an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseModel {
    /// A struct of the operation's own.
    Struct(StructModel),
    /// The body is a named schema: the response type is an alias of it.
    Shared(String),
    /// A JSON array or a map-like object: the response type is an alias of this `Vec` or
    /// `BTreeMap` type.
    Collection(Ty),
    /// Any JSON: an alias of `rt::Value`.
    Any,
    /// Text: an alias of `String`.
    Text,
    /// Bytes with the response headers: an alias of `rt::Binary`.
    Bytes,
    /// No body: an alias of `rt::Empty`.
    Empty,
}

/// One variant of an operation's error enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    /// Variant name.
    pub ident: String,
    /// Error code, exactly as on the page; `from_code` matches it exactly.
    pub code: String,
    /// Every row of the page with this exact code (duplicates are kept for the docs).
    pub rows: Vec<ErrorRow>,
}

/// Where a struct is used, which decides its derives and field treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl CrateModel {
    /// Resolves one product version. `operations` must be sorted by action (the loader's
    /// order); the result does not depend on anything else.
    pub fn resolve(product: &ProductSpec, operations: &[OperationSpec]) -> CrateModel {
        Self::resolve_reviewed(product, operations, &crate::reviewed::Reviewed::default())
    }

    /// [`CrateModel::resolve`], with the reviewed paging overrides and waiter table, which
    /// settle the operations' paginators and waiters.
    pub fn resolve_reviewed(
        product: &ProductSpec,
        operations: &[OperationSpec],
        reviewed: &crate::reviewed::Reviewed,
    ) -> CrateModel {
        let product_label = format!("{}/{}", product.code, product.version);
        let mut model = CrateModel {
            crate_name: product.crate_name.clone(),
            code: product.code.clone(),
            version: product.version.clone(),
            title: product.title.clone(),
            endpoint_rule: product.endpoints.rule,
            endpoint_product_id: product.endpoints.product_id.clone(),
            endpoints: product
                .endpoints
                .regions
                .iter()
                .map(|(region, host)| (region.clone(), host.clone()))
                .collect(),
            operations: Vec::new(),
            shared: Vec::new(),
            unsupported: Vec::new(),
            no_paginator: Vec::new(),
            no_waiter: Vec::new(),
        };
        if let Some(why) = own_signature(product) {
            model.unsupported = operations
                .iter()
                .map(|op| Unsupported {
                    kind: UnsupportedKind::ApiStyle,
                    product: product_label.clone(),
                    action: Some(op.action.clone()),
                    detail: why.to_owned(),
                })
                .collect();
            return model;
        }

        let mut types = Namespace::with_reserved(RESERVED_TYPES);
        // Operation groups first, so an operation's own names never move because of a
        // nested type or a schema; then schemas, then nested types as they are met.
        let bases: Vec<String> = operations
            .iter()
            .map(|op| types.claim_group(&names::camel(&op.action), main_type_names))
            .collect();
        let mut schemas = SchemaTable::new(product, &mut types);
        let (shared, problems) = schemas.resolve_structs(&mut types);
        model.shared = shared;
        model
            .unsupported
            .extend(problems.into_iter().map(|(kind, detail)| Unsupported {
                kind,
                product: product_label.clone(),
                action: None,
                detail,
            }));
        let mut methods = Namespace::with_reserved(RESERVED_CLIENT_METHODS);

        for (op, base) in operations.iter().zip(&bases) {
            let mut resolver = OperationResolver {
                schemas: &schemas,
                types: types.clone(),
                problems: Vec::new(),
                request_structs: Vec::new(),
                response_structs: Vec::new(),
            };
            let resolved = resolver.operation(op, base);
            if resolver.problems.is_empty() {
                types = resolver.types;
                let module = methods.claim(&names::snake(&op.action), Case::Snake);
                model.operations.push(OperationModel {
                    module,
                    request_structs: resolver.request_structs,
                    response_structs: resolver.response_structs,
                    ..resolved
                });
            } else {
                model
                    .unsupported
                    .extend(
                        resolver
                            .problems
                            .into_iter()
                            .map(|(kind, detail)| Unsupported {
                                kind,
                                product: product_label.clone(),
                                action: Some(op.action.clone()),
                                detail,
                            }),
                    );
            }
        }
        paginator::attach(&mut model, product, operations, reviewed);
        model
    }

    /// The Rust library name (`alibabacloud_adb20211201`).
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// Why a product version cannot be called with the ACS3-HMAC-SHA256 request the runtime
/// sends, or `None` when it can (styles reference §0). RPC, ROA, FC, V3 and AliGenie are
/// one wire protocol; these products go through a gateway of their own instead.
fn own_signature(product: &ProductSpec) -> Option<&'static str> {
    match (product.style, product.code.as_str()) {
        (ApiStyle::Oss, _) => Some("OSS: its own signature (OSS4-HMAC-SHA256) and hosts"),
        (ApiStyle::Pds, _) => Some("PDS: its own signature and hosts"),
        (_, "sls") => Some("SLS: its own signature (LOG / SLS4-HMAC-SHA256) and project hosts"),
        (_, "hcs-mgw") => Some("hcs-mgw: the OSS gateway's signature and hosts"),
        _ => None,
    }
}

/// How an operation authenticates, from its `security` schemes: `Some(false)` signed with
/// the AccessKey, `Some(true)` unsigned, `None` neither (a scheme of its own only).
///
/// The AliGenie schemes are signed requests too: the official SDK calls AliGenie
/// operations with the ordinary signed request (styles reference §4).
fn anonymous(security: &[String]) -> Option<bool> {
    const SIGNED: [&str; 3] = ["AK", "AliGenie_Auth_SPI", "AliGenie_Auth_Token"];
    if security.is_empty() || security.iter().any(|s| SIGNED.contains(&s.as_str())) {
        Some(false)
    } else if security.iter().any(|s| s == "Anonymous") {
        Some(true)
    } else {
        None
    }
}

/// The path as the official SDKs send it: each literal character outside the unreserved
/// set and `/` percent-encoded (ververica's `/{id}:apply` → `/{id}%3Aapply`); `{Name}`
/// placeholders are filled at run time and a `?…` tail is query, so both are kept.
fn encode_path_template(template: &str) -> String {
    let (path, query) = match template.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (template, None),
    };
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        let keep = in_placeholder
            || matches!(c, '{' | '}' | '/' | '-' | '_' | '.' | '~')
            || c.is_ascii_alphanumeric();
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The four public types of an operation whose base name is `base`.
fn main_type_names(base: &str) -> Vec<String> {
    vec![
        format!("{base}Request"),
        format!("{base}Builder"),
        format!("{base}Response"),
        format!("{base}Error"),
    ]
}

/// The method the runtime sends: POST when allowed (what the official SDKs do), otherwise
/// the first one listed.
fn choose_method(methods: &[HttpMethod]) -> HttpMethod {
    if methods.contains(&HttpMethod::Post) || methods.is_empty() {
        HttpMethod::Post
    } else {
        methods[0]
    }
}

/// Named schemas: which become structs, their names, and which references need a `Box`.
struct SchemaTable<'a> {
    schemas: &'a BTreeMap<String, Field>,
    /// Schema name → struct name, for schemas that are objects with properties.
    struct_names: BTreeMap<String, String>,
    /// Schema → every schema reachable from it through references.
    reaches: BTreeMap<String, BTreeSet<String>>,
    /// Schemas left out because they (or schemas they refer to) are unsupported.
    broken: BTreeSet<String>,
}

impl<'a> SchemaTable<'a> {
    fn new(product: &'a ProductSpec, types: &mut Namespace) -> Self {
        let schemas = &product.schemas;
        let struct_names = schemas
            .iter()
            .filter(|(_, field)| is_struct(field))
            .map(|(name, _)| (name.clone(), types.claim(&names::camel(name), Case::Camel)))
            .collect();
        let direct: BTreeMap<String, BTreeSet<String>> = schemas
            .iter()
            .map(|(name, field)| {
                let mut refs = BTreeSet::new();
                collect_refs(field, &mut refs);
                (name.clone(), refs)
            })
            .collect();
        let reaches = direct
            .keys()
            .map(|start| {
                let mut seen = BTreeSet::new();
                let mut stack: Vec<&String> = direct[start].iter().collect();
                while let Some(next) = stack.pop() {
                    if seen.insert(next.clone())
                        && let Some(more) = direct.get(next)
                    {
                        stack.extend(more);
                    }
                }
                (start.clone(), seen)
            })
            .collect();
        Self {
            schemas,
            struct_names,
            reaches,
            broken: BTreeSet::new(),
        }
    }

    /// Structs for the named schemas (with the structs of their inline objects), and the
    /// problems found in them. A schema with a problem, and every schema that refers to it,
    /// is left out; operations referring to one are reported in turn.
    fn resolve_structs(
        &mut self,
        types: &mut Namespace,
    ) -> (Vec<StructModel>, Vec<(UnsupportedKind, String)>) {
        let mut per_schema = Vec::new();
        let mut problems = Vec::new();
        let mut broken = BTreeSet::new();
        for (schema, name) in &self.struct_names {
            let field = &self.schemas[schema];
            let mut resolver = OperationResolver {
                schemas: self,
                types: std::mem::take(types),
                problems: Vec::new(),
                request_structs: Vec::new(),
                response_structs: Vec::new(),
            };
            let at = format!("schemas/{schema}");
            let fields = resolver.struct_fields(field, name, &at, Side::Response, Some(schema));
            *types = resolver.types;
            if !resolver.problems.is_empty() {
                broken.insert(schema.clone());
                problems.append(&mut resolver.problems);
            }
            let mut structs = vec![StructModel {
                name: name.clone(),
                origin: at,
                description: field.description.clone(),
                fields,
            }];
            structs.append(&mut resolver.request_structs);
            structs.append(&mut resolver.response_structs);
            per_schema.push((schema.clone(), structs));
        }
        let tainted: BTreeSet<String> = self
            .reaches
            .iter()
            .filter(|(schema, reach)| broken.contains(*schema) || !reach.is_disjoint(&broken))
            .map(|(schema, _)| schema.clone())
            .collect();
        let structs = per_schema
            .into_iter()
            .filter(|(schema, _)| !tainted.contains(schema))
            .flat_map(|(_, structs)| structs)
            .collect();
        self.broken = tainted;
        (structs, problems)
    }
}

/// Objects with properties become structs; everything else is mapped inline.
fn is_struct(field: &Field) -> bool {
    field.ty == Some(FieldType::Object)
        && field.properties.as_ref().is_some_and(|p| !p.is_empty())
        && field.additional_properties.is_none()
}

fn collect_refs(field: &Field, out: &mut BTreeSet<String>) {
    if let Some(target) = &field.reference {
        out.insert(target.clone());
    }
    if let Some(items) = &field.items {
        collect_refs(items, out);
    }
    if let Some(value) = &field.additional_properties {
        collect_refs(value, out);
    }
    for property in field.properties.iter().flatten() {
        collect_refs(property, out);
    }
}

/// Resolves one operation (or one named schema), collecting the structs it needs and the
/// problems it meets. Names are claimed in a copy of the crate's type namespace, which is
/// kept only if the operation is generated.
struct OperationResolver<'s, 'a> {
    schemas: &'s SchemaTable<'a>,
    types: Namespace,
    problems: Vec<(UnsupportedKind, String)>,
    request_structs: Vec<StructModel>,
    response_structs: Vec<StructModel>,
}

impl OperationResolver<'_, '_> {
    fn operation(&mut self, op: &OperationSpec, base: &str) -> OperationModel {
        let request_type = format!("{base}Request");
        let response_type = format!("{base}Response");
        let mut fields = Namespace::with_reserved(RESERVED_FIELDS);
        let mut params = Vec::with_capacity(op.request.len());
        for param in &op.request {
            match self.body_members(param, op) {
                Some(members) => {
                    for mut member in members {
                        member.location = Some(Location::Body);
                        let mut model = self.param(&member, &request_type, &mut fields);
                        model.location = Location::Body;
                        model.body_member = true;
                        params.push(model);
                    }
                }
                None => params.push(self.param(param, &request_type, &mut fields)),
            }
        }
        let response = self.response(&op.response, &response_type);
        let anonymous = anonymous(&op.security).unwrap_or_else(|| {
            self.problem(
                UnsupportedKind::Security,
                format!("security {}", op.security.join(", ")),
            );
            false
        });
        if op
            .path
            .split('?')
            .next()
            .is_some_and(|path| path.contains('*'))
        {
            // cloudcontrol's `…/resources/*`: the official SDK takes the whole path from the
            // caller, unencoded (styles reference §3); a fixed `*` would be sent as `%2A`.
            self.problem(
                UnsupportedKind::Location,
                format!(
                    "path {}: `*` takes the rest of the path from the caller",
                    op.path
                ),
            );
        }
        if op
            .consumes
            .iter()
            .any(|c| c.starts_with("multipart/form-data"))
        {
            self.problem(
                UnsupportedKind::Multipart,
                "consumes multipart/form-data".to_owned(),
            );
        }
        // Only an object answer is read field by field from a sample.
        let samples_apply = matches!(
            response,
            ResponseModel::Struct(_) | ResponseModel::Shared(_)
        );
        OperationModel {
            action: op.action.clone(),
            module: String::new(),
            request_type,
            builder_type: format!("{base}Builder"),
            response_type,
            error_type: format!("{base}Error"),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            method: choose_method(&op.methods),
            path: encode_path_template(&op.path),
            anonymous,
            operation_type: op.operation_type,
            params,
            request_structs: Vec::new(),
            response,
            response_headers: op
                .response_headers
                .iter()
                .map(|h| (h.name.clone().unwrap_or_default(), h.description.clone()))
                .collect(),
            response_structs: Vec::new(),
            errors: error_variants(&op.errors),
            json_samples: op
                .samples
                .iter()
                .filter(|_| samples_apply)
                .filter(|sample| sample.format == crate::spec::SampleFormat::Json && !sample.error)
                .map(|sample| sample.body.clone())
                .collect(),
            paginator: None,
            waiters: Vec::new(),
            awaited_by: Vec::new(),
        }
    }

    fn param(&mut self, param: &Field, parent: &str, fields: &mut Namespace) -> ParamModel {
        let wire = param.name.clone().unwrap_or_default();
        let at = format!("request/{wire}");
        match param.location {
            Some(Location::Host) => {
                self.problem(UnsupportedKind::Location, format!("{at}: in host"))
            }
            None => self.problem(UnsupportedKind::Location, format!("{at}: no location")),
            _ => {}
        }
        if param.style == Some(ParamStyle::Xml) {
            self.problem(UnsupportedKind::ParamStyle, format!("{at}: style xml"));
        }
        let location = param.location.unwrap_or(Location::Query);
        // The whole body as bytes: not a serialized field (see `rt::Operation::payload`).
        let payload = location == Location::Body && param.ty == Some(FieldType::Binary);
        let field = if payload {
            self.plain_field(param, Ty::Bytes, fields)
        } else {
            self.field(param, parent, &at, Side::Request, None, fields)
        };
        ParamModel {
            location,
            style: param.style,
            idempotency_token: param.idempotency_token,
            // The runtime fills an unset token, so the caller never has to; a path value
            // has no absent form, so the official SDKs always need one.
            required: (param.required || location == Location::Path) && !param.idempotency_token,
            body_member: false,
            payload,
            field,
        }
    }

    /// The properties of an object body, each to become a request field of its own (the
    /// way a user expects to set them, and as the official SDKs for cs do), or `None` to
    /// keep the body one field: not an object with properties, or a property whose wire
    /// name another parameter already has (the runtime routes by wire name).
    fn body_members(&self, param: &Field, op: &OperationSpec) -> Option<Vec<Field>> {
        if param.location != Some(Location::Body) {
            return None;
        }
        let mut object = param;
        if let Some(target) = &param.reference {
            if !self.schemas.struct_names.contains_key(target)
                || self.schemas.broken.contains(target)
            {
                return None;
            }
            object = self.schemas.schemas.get(target)?;
        }
        if !is_struct(object) {
            return None;
        }
        let members = object.properties.clone()?;
        let others: BTreeSet<&str> = op
            .request
            .iter()
            .filter(|p| !std::ptr::eq(*p, param))
            .filter_map(|p| p.name.as_deref())
            .collect();
        let mut seen = BTreeSet::new();
        let clash = members.iter().any(|m| {
            let name = m.name.as_deref().unwrap_or_default();
            others.contains(name) || !seen.insert(name)
        });
        (!clash).then_some(members)
    }

    /// A top-level field whose type is decided by the caller (the byte body).
    fn plain_field(&mut self, param: &Field, ty: Ty, fields: &mut Namespace) -> FieldModel {
        let wire = param.name.clone().unwrap_or_default();
        FieldModel {
            ident: fields.claim(&names::snake(&wire), Case::Snake),
            wire,
            ty,
            doc: FieldDoc {
                description: param.description.clone(),
                example: param.example.clone(),
                required: param.required,
                deprecated: param.deprecated,
                ..FieldDoc::default()
            },
        }
    }

    fn response(&mut self, body: &Field, name: &str) -> ResponseModel {
        // A `$ref` to a scalar or array schema reads as that schema.
        let mut body = body;
        let mut hops = 0;
        while let Some(target) = &body.reference {
            if let Some(shared) = self.schemas.struct_names.get(target) {
                return ResponseModel::Shared(shared.clone());
            }
            match self.schemas.schemas.get(target) {
                Some(definition) if hops <= self.schemas.schemas.len() => {
                    body = definition;
                    hops += 1;
                }
                _ => {
                    self.problem(
                        UnsupportedKind::ResponseShape,
                        format!("response: $ref {target} is not an object schema"),
                    );
                    return ResponseModel::Empty;
                }
            }
        }
        // The root as the official SDKs read it (`bodyType`, styles reference §1.1).
        match body.ty {
            None => return ResponseModel::Empty,
            Some(FieldType::Array) => {
                let item_name = format!("{name}Item");
                let ty = self.ty(body, &item_name, "response", Side::Response, None, 0);
                return ResponseModel::Collection(ty);
            }
            Some(FieldType::String) => return ResponseModel::Text,
            Some(FieldType::Any) => return ResponseModel::Any,
            Some(FieldType::Binary) => return ResponseModel::Bytes,
            _ => {}
        }
        if body.ty != Some(FieldType::Object) {
            let ty = body
                .ty
                .map_or("none".to_owned(), |ty| format!("{ty:?}").to_lowercase());
            self.problem(
                UnsupportedKind::ResponseShape,
                format!("response: type {ty}"),
            );
        } else if body.additional_properties.is_some() {
            let has_properties = body.properties.as_ref().is_some_and(|p| !p.is_empty());
            if !has_properties {
                // A map by key (cs `DescribeClusterAddonsVersion`: addon name → status).
                let ty = self.ty(
                    body,
                    &format!("{name}Value"),
                    "response",
                    Side::Response,
                    None,
                    0,
                );
                return ResponseModel::Collection(ty);
            }
            self.problem(
                UnsupportedKind::ResponseShape,
                "response: object with both properties and additional_properties".to_owned(),
            );
        }
        let fields = self.struct_fields(body, name, "response", Side::Response, None);
        ResponseModel::Struct(StructModel {
            name: name.to_owned(),
            origin: "response".to_owned(),
            description: body.description.clone(),
            fields,
        })
    }

    /// Fields of an object: all optional (nested request objects, responses, schemas).
    fn struct_fields(
        &mut self,
        object: &Field,
        struct_name: &str,
        at: &str,
        side: Side,
        schema: Option<&str>,
    ) -> Vec<FieldModel> {
        let mut namespace = Namespace::new();
        object
            .properties
            .iter()
            .flatten()
            .map(|property| {
                let at = format!("{at}/{}", property.name.as_deref().unwrap_or_default());
                self.field(property, struct_name, &at, side, schema, &mut namespace)
            })
            .collect()
    }

    fn field(
        &mut self,
        field: &Field,
        parent: &str,
        at: &str,
        side: Side,
        schema: Option<&str>,
        namespace: &mut Namespace,
    ) -> FieldModel {
        let wire = field.name.clone().unwrap_or_default();
        let ident = namespace.claim(&names::snake(&wire), Case::Snake);
        let nested_name = format!("{parent}{}", names::camel_part(&wire));
        let mut ty = self.ty(field, &nested_name, at, side, schema, 0);
        if field.sensitive {
            ty = Ty::Sensitive(Box::new(ty));
        }
        FieldModel {
            wire,
            ident,
            ty,
            doc: FieldDoc {
                description: field.description.clone(),
                example: field.example.clone(),
                enumeration: field.enumeration.clone().unwrap_or_default(),
                default: field.default.clone(),
                required: field.required,
                sensitive: field.sensitive,
                json: field.json,
                idempotency_token: field.idempotency_token,
                deprecated: field.deprecated,
            },
        }
    }

    /// Maps a spec type. `name` is the struct name an object here would get; `schema` is the
    /// named schema being resolved, for cycle boxing; `depth` guards `$ref` alias chains.
    fn ty(
        &mut self,
        field: &Field,
        name: &str,
        at: &str,
        side: Side,
        schema: Option<&str>,
        depth: usize,
    ) -> Ty {
        if let Some(target) = &field.reference {
            return self.reference(target, name, at, side, schema, depth);
        }
        match field.ty {
            None | Some(FieldType::Any) => Ty::Value,
            Some(FieldType::String) => Ty::String,
            // Pages and metadata call many fields `integer` (int32) whose values exceed it
            // (adb GetSparkAppLog's LogSize: 3517972480); a response must still decode.
            Some(FieldType::Integer) if side == Side::Response => Ty::I64,
            Some(FieldType::Integer) => Ty::I32,
            Some(FieldType::Long) => Ty::I64,
            Some(FieldType::Boolean) => Ty::Bool,
            // `float` is f64 too: an f32 is widened on its way into JSON text (a `json`-style
            // parameter, a JSON body), so 21.1 would go out as 21.100000381469727 where the
            // official SDKs send 21.1; an f64 holds every value a `float` field documents.
            Some(FieldType::Float | FieldType::Double | FieldType::Number) => Ty::F64,
            Some(FieldType::Binary) => {
                self.problem(UnsupportedKind::Binary, format!("{at}: type binary"));
                Ty::Value
            }
            Some(FieldType::Array) => {
                let item = match &field.items {
                    Some(items) => {
                        self.ty(items, name, &format!("{at}/items"), side, schema, depth)
                    }
                    None => Ty::Value,
                };
                Ty::Vec(Box::new(unboxed(item)))
            }
            Some(FieldType::Object) => self.object(field, name, at, side, schema, depth),
        }
    }

    fn object(
        &mut self,
        field: &Field,
        name: &str,
        at: &str,
        side: Side,
        schema: Option<&str>,
        depth: usize,
    ) -> Ty {
        let has_properties = field.properties.as_ref().is_some_and(|p| !p.is_empty());
        match (&field.additional_properties, has_properties) {
            (Some(_), true) => {
                self.problem(
                    UnsupportedKind::MixedObject,
                    format!("{at}: both properties and additional_properties"),
                );
                Ty::Value
            }
            (Some(value), false) => {
                let value_name = format!("{name}Value");
                let at = format!("{at}/additional_properties");
                let value = self.ty(value, &value_name, &at, side, schema, depth);
                Ty::Map(Box::new(unboxed(value)))
            }
            // A free-form object: the spec says nothing about its keys or values.
            (None, false) => Ty::Value,
            (None, true) => {
                let struct_name = self.types.claim(name, Case::Camel);
                let fields = self.struct_fields(field, &struct_name, at, side, schema);
                let model = StructModel {
                    name: struct_name.clone(),
                    origin: at.to_owned(),
                    description: field.description.clone(),
                    fields,
                };
                match side {
                    Side::Request => self.request_structs.push(model),
                    Side::Response => self.response_structs.push(model),
                }
                Ty::Named {
                    name: struct_name,
                    shared: false,
                    boxed: false,
                }
            }
        }
    }

    fn reference(
        &mut self,
        target: &str,
        name: &str,
        at: &str,
        side: Side,
        schema: Option<&str>,
        depth: usize,
    ) -> Ty {
        let Some(definition) = self.schemas.schemas.get(target) else {
            self.problem(
                UnsupportedKind::Reference,
                format!("{at}: $ref {target} is not defined"),
            );
            return Ty::Value;
        };
        if self.schemas.broken.contains(target) {
            self.problem(
                UnsupportedKind::Reference,
                format!("{at}: $ref {target} is unsupported"),
            );
            return Ty::Value;
        }
        if let Some(struct_name) = self.schemas.struct_names.get(target) {
            // A struct that can reach the one being defined would make it infinitely large.
            let boxed = schema.is_some_and(|current| {
                current == target
                    || self
                        .schemas
                        .reaches
                        .get(target)
                        .is_some_and(|r| r.contains(current))
            });
            return Ty::Named {
                name: struct_name.clone(),
                shared: true,
                boxed,
            };
        }
        // Not a struct: the schema is an alias of a scalar, array or map; map it in place.
        if depth > self.schemas.schemas.len() {
            self.problem(
                UnsupportedKind::Reference,
                format!("{at}: $ref cycle through {target}"),
            );
            return Ty::Value;
        }
        self.ty(definition, name, at, side, schema, depth + 1)
    }

    fn problem(&mut self, kind: UnsupportedKind, detail: String) {
        self.problems.push((kind, detail));
    }
}

/// A `Vec` or map already holds its elements on the heap, so a recursive element needs no
/// `Box` of its own.
fn unboxed(ty: Ty) -> Ty {
    match ty {
        Ty::Named { name, shared, .. } => Ty::Named {
            name,
            shared,
            boxed: false,
        },
        other => other,
    }
}

/// One variant per distinct code, in page order. Codes are matched exactly, so codes that
/// differ only in case stay distinct variants; repeated rows of one code share a variant and
/// are all kept for its documentation.
///
/// Names do not depend on row order: every code whose converted name is free gets it, the
/// byte-smallest code winning a tie (`Pay.NoCreditCard` before `pay.noCreditCard`), and
/// only then do the remaining codes take numbered suffixes, in byte order.
fn error_variants(rows: &[ErrorRow]) -> Vec<ErrorVariant> {
    let mut variants: Vec<ErrorVariant> = Vec::new();
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        match by_code.get(row.code.as_str()) {
            Some(&index) => variants[index].rows.push(row.clone()),
            None => {
                by_code.insert(&row.code, variants.len());
                variants.push(ErrorVariant {
                    ident: String::new(),
                    code: row.code.clone(),
                    rows: vec![row.clone()],
                });
            }
        }
    }
    let candidates: Vec<String> = variants.iter().map(|v| names::camel(&v.code)).collect();
    let mut namespace = Namespace::with_reserved(&[UNHANDLED_VARIANT]);
    let in_byte_order: Vec<usize> = by_code.values().copied().collect();
    for &index in &in_byte_order {
        if !namespace.is_taken(&candidates[index]) {
            variants[index].ident = namespace.claim(&candidates[index], Case::Camel);
        }
    }
    for &index in &in_byte_order {
        if variants[index].ident.is_empty() {
            variants[index].ident = namespace.claim(&candidates[index], Case::Camel);
        }
    }
    variants
}

mod paginator;
#[cfg(test)]
mod tests;

pub use paginator::{
    CursorModel, FIRST_ITEM, NoWaiter, PaginatorModel, RequestField, ResponsePath, WaiterModel,
};
