//! The operations the emulator serves, indexed by `(x-acs-action, x-acs-version)`, and the
//! non-RPC ones also by their path template.
//!
//! Built from the loaded specs (the same files the generated clients come from) or from
//! the catalog imported on the fly. Every style signed with ACS3-HMAC-SHA256 is served:
//! RPC at `/`, and ROA, FC, V3 and AliGenie at their path templates (styles reference §0).
//! Products with a signature of their own (OSS, PDS, SLS, hcs-mgw) are listed as skipped,
//! so the emulator says what it leaves out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use alibabacloud_codegen::spec::{
    ApiStyle, ErrorRow, Field, HttpMethod, OperationSpec, ProductSpec,
};

use crate::answer::{self, Answer};
use crate::api_error::Spelling;
use crate::template::PathTemplate;

/// One served operation.
#[derive(Debug)]
pub struct Operation {
    /// Product code (`adb`), used in the error `Recommend` link.
    pub product: String,
    /// API version (`2021-12-01`).
    pub version: String,
    /// The product's style.
    pub style: ApiStyle,
    /// The spec, as loaded.
    pub spec: OperationSpec,
    /// The product's named schemas, for `$ref`s.
    pub schemas: Arc<BTreeMap<String, Field>>,
    /// What a valid call gets back.
    pub(crate) answer: Answer,
    /// Hosts this product is published under (the endpoint map's values).
    pub hosts: Vec<String>,
    /// `None` for an operation served at `/` (RPC, and V3 operations without a path);
    /// the path template otherwise.
    pub template: Option<PathTemplate>,
    /// How the product spells its error bodies.
    pub spelling: Spelling,
    /// The operation is called without a signature (`security` is `Anonymous` only).
    pub anonymous: bool,
}

impl Operation {
    /// Whether the spec allows `method` (case-insensitive name).
    pub fn allows(&self, method: &str) -> bool {
        self.spec
            .methods
            .iter()
            .any(|m| method_name(*m).eq_ignore_ascii_case(method))
    }

    /// The allowed methods, for messages (`GET, POST`).
    pub fn allowed_methods(&self) -> String {
        self.spec
            .methods
            .iter()
            .map(|m| method_name(*m))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The page's error row for `code` (exact match; the first of duplicated rows).
    pub fn error_row(&self, code: &str) -> Option<&ErrorRow> {
        self.spec.errors.iter().find(|row| row.code == code)
    }

    /// `GET /clusters/{ClusterId}` (or `POST, GET /` for RPC), for messages.
    pub fn route_text(&self) -> String {
        let path = self.template.as_ref().map_or("/", |t| t.path.as_str());
        format!("{} {path}", self.allowed_methods())
    }

    fn serves_host(&self, host: &str) -> bool {
        let host = host.split(':').next().unwrap_or(host);
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Head => "HEAD",
    }
}

/// Why a product version is not served, or `None` when it is: these products go through a
/// gateway with a signature of their own (styles reference §0).
pub(crate) fn own_signature(product: &ProductSpec) -> Option<&'static str> {
    match (product.style, product.code.as_str()) {
        (ApiStyle::Oss, _) => Some("OSS: its own signature (OSS4-HMAC-SHA256) and hosts"),
        (ApiStyle::Pds, _) => Some("PDS: its own signature and hosts"),
        (_, "sls") => Some("SLS: its own signature (LOG / SLS4-HMAC-SHA256) and project hosts"),
        (_, "hcs-mgw") => Some("hcs-mgw: the OSS gateway's signature and hosts"),
        _ => None,
    }
}

/// Whether an operation is called unsigned: its `security` names `Anonymous` and no
/// scheme signed with the AccessKey (the AliGenie schemes are signed requests too).
fn is_anonymous(security: &[String]) -> bool {
    const SIGNED: [&str; 3] = ["AK", "AliGenie_Auth_SPI", "AliGenie_Auth_Token"];
    !security.iter().any(|s| SIGNED.contains(&s.as_str()))
        && security.iter().any(|s| s == "Anonymous")
}

/// The spelling of a product's error bodies: the first error sample that shows one;
/// Pascal case for RPC and when no sample says.
fn spelling_of(product: &ProductSpec, operations: &[OperationSpec]) -> Spelling {
    if product.style == ApiStyle::Rpc {
        return Spelling::Pascal;
    }
    operations
        .iter()
        .flat_map(|op| op.samples.iter())
        .filter(|sample| sample.error)
        .find_map(|sample| Spelling::of_sample(&sample.body))
        .unwrap_or_default()
}

/// A product version as handed to [`Catalog::build`].
#[derive(Debug, Clone, Copy)]
pub struct ProductInput<'a> {
    /// Its directory (for messages).
    pub dir: &'a Path,
    /// `product.json`.
    pub product: &'a ProductSpec,
    /// Its operations.
    pub operations: &'a [OperationSpec],
    /// A sample that cannot be served is an error (specs of the repository), rather than
    /// a note and a synthesized answer (the catalog imported on the fly).
    pub strict: bool,
}

/// A problem that keeps the emulator from serving a spec faithfully.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct CatalogError {
    /// The spec file at fault.
    pub file: PathBuf,
    /// What is wrong.
    pub reason: String,
}

/// Every served operation.
#[derive(Debug, Default)]
pub struct Catalog {
    routes: HashMap<(String, String), Vec<Arc<Operation>>>,
    /// Operations with a path template, for requests without `x-acs-action`.
    templated: Vec<Arc<Operation>>,
    skipped: Vec<String>,
    notes: Vec<CatalogError>,
    count: usize,
}

/// A matching operation, its path parameters and its rank (host served, specificity).
type Candidate<'a> = (&'a Arc<Operation>, Vec<(String, String)>, (bool, usize));

/// The outcome of routing a request by its method and path alone.
#[derive(Debug)]
pub enum PathRoute<'a> {
    /// The operation, with the path parameters.
    Found(&'a Arc<Operation>, Vec<(String, String)>),
    /// Templates match the path, but none allows the method.
    WrongMethod(&'a Arc<Operation>),
    /// No template matches.
    NotFound,
}

impl Catalog {
    /// Indexes the operations of `products`. A JSON sample of an RPC operation that is not a
    /// JSON object is an error naming its file when the input is strict: answering with it
    /// would break every client.
    pub fn build<'a>(
        products: impl IntoIterator<Item = ProductInput<'a>>,
    ) -> Result<Catalog, Vec<CatalogError>> {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        for input in products {
            let product = input.product;
            if let Some(why) = own_signature(product) {
                catalog.skipped.push(format!(
                    "{} {} ({}; {} operations)",
                    product.code,
                    product.version,
                    why,
                    input.operations.len()
                ));
                continue;
            }
            let schemas = Arc::new(product.schemas.clone());
            let mut hosts: Vec<String> = product
                .endpoints
                .regions
                .values()
                .map(|h| h.trim().to_owned())
                .collect();
            hosts.sort();
            hosts.dedup();
            let spelling = spelling_of(product, input.operations);
            for spec in input.operations {
                let file = input.dir.join(format!("{}.json", spec.action));
                let answer = if product.style == ApiStyle::Rpc {
                    match answer::rpc(spec) {
                        Ok(answer) => answer,
                        Err(reason) if input.strict => {
                            errors.push(CatalogError { file, reason });
                            continue;
                        }
                        Err(reason) => {
                            catalog.notes.push(CatalogError { file, reason });
                            Answer::Rpc(None)
                        }
                    }
                } else {
                    let (answer, note) = answer::styled(spec, &schemas);
                    if let Some(reason) = note {
                        catalog.notes.push(CatalogError { file, reason });
                    }
                    answer
                };
                let template = (product.style != ApiStyle::Rpc && spec.path != "/")
                    .then(|| PathTemplate::parse(&spec.path));
                let operation = Arc::new(Operation {
                    product: product.code.clone(),
                    version: product.version.clone(),
                    style: product.style,
                    spec: spec.clone(),
                    schemas: Arc::clone(&schemas),
                    answer,
                    hosts: hosts.clone(),
                    template,
                    spelling,
                    anonymous: is_anonymous(&spec.security),
                });
                if operation.template.is_some() {
                    catalog.templated.push(Arc::clone(&operation));
                }
                catalog
                    .routes
                    .entry((spec.action.clone(), product.version.clone()))
                    .or_default()
                    .push(operation);
                catalog.count += 1;
            }
        }
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }

    /// The operation for an action and version. Two products can share both (different
    /// products, same version date, same action name); the request's host then decides,
    /// as it does at Alibaba, and the first product in spec order is the fallback.
    #[cfg(test)]
    pub fn route(&self, action: &str, version: &str, host: &str) -> Option<&Arc<Operation>> {
        self.route_request(action, version, host, "/")
    }

    /// [`Catalog::route`] for a request to `raw_path`: among products sharing the action
    /// and version, one whose template matches the path wins first, then the host.
    pub fn route_request(
        &self,
        action: &str,
        version: &str,
        host: &str,
        raw_path: &str,
    ) -> Option<&Arc<Operation>> {
        let candidates = self.routes.get(&(action.to_owned(), version.to_owned()))?;
        if let [only] = candidates.as_slice() {
            return Some(only);
        }
        let path_ok = |op: &Operation| match &op.template {
            Some(template) => template.matches(raw_path).is_some(),
            None => raw_path == "/" || raw_path.is_empty(),
        };
        candidates
            .iter()
            .enumerate()
            .max_by_key(|(index, op)| (path_ok(op), op.serves_host(host), usize::MAX - index))
            .map(|(_, op)| op)
    }

    /// Routes a request that names no action by its method and raw path (and its version,
    /// when it names one): the most specific matching template whose operation allows the
    /// method, preferring operations published under the request's host.
    pub fn route_path(
        &self,
        method: &str,
        raw_path: &str,
        version: Option<&str>,
        host: &str,
        query: &[(String, String)],
    ) -> PathRoute<'_> {
        let mut best: Option<Candidate<'_>> = None;
        let mut wrong_method = None;
        for op in &self.templated {
            if version.is_some_and(|v| v != op.version) {
                continue;
            }
            let Some(template) = &op.template else {
                continue;
            };
            let Some(params) = template.matches(raw_path) else {
                continue;
            };
            let tail_present = template
                .query
                .iter()
                .all(|(k, _)| query.iter().any(|(name, _)| name == k));
            if !tail_present {
                continue;
            }
            if !op.allows(method) {
                wrong_method.get_or_insert(op);
                continue;
            }
            let rank = (op.serves_host(host), template.specificity());
            if best.as_ref().is_none_or(|(_, _, r)| rank > *r) {
                best = Some((op, params, rank));
            }
        }
        match (best, wrong_method) {
            (Some((op, params, _)), _) => PathRoute::Found(op, params),
            (None, Some(op)) => PathRoute::WrongMethod(op),
            (None, None) => PathRoute::NotFound,
        }
    }

    /// Every operation named `action` (any version).
    pub fn by_action<'s>(&'s self, action: &'s str) -> impl Iterator<Item = &'s Arc<Operation>> {
        self.routes
            .iter()
            .filter(move |((a, _), _)| a == action)
            .flat_map(|(_, ops)| ops.iter())
    }

    /// Every served operation (in no particular order).
    pub fn operations(&self) -> impl Iterator<Item = &Arc<Operation>> {
        self.routes.values().flatten()
    }

    /// Number of operations served.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether nothing is served.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Product versions not served, with why.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Samples that could not be served as they are (an answer was synthesized instead).
    pub fn notes(&self) -> &[CatalogError] {
        &self.notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn product(
        code: &str,
        version: &str,
        style: &str,
        hosts: &[(&str, &str)],
    ) -> ProductSpec {
        let regions: BTreeMap<&str, &str> = hosts.iter().copied().collect();
        serde_json::from_value(serde_json::json!({
            "code": code, "version": version, "title": code, "style": style,
            "crate_name": format!("alibabacloud-{code}"),
            "endpoints": {"rule": "regional", "product_id": code, "regions": regions}
        }))
        .unwrap()
    }

    pub(crate) fn operation(action: &str, samples: serde_json::Value) -> OperationSpec {
        serde_json::from_value(serde_json::json!({
            "action": action, "summary": "s", "source": {}, "methods": ["get", "post"],
            "response": {"type": "object"}, "samples": samples,
            "errors": [{"status": 400, "code": "Dup", "message": "first"}, {"status": 403, "code": "Dup", "message": "second"}]
        }))
        .unwrap()
    }

    #[test]
    fn routes_by_action_and_version_and_skips_own_signatures() {
        let a = product(
            "aaa",
            "2020-01-01",
            "RPC",
            &[("cn-hangzhou", "aaa.aliyuncs.com")],
        );
        let b = product(
            "bbb",
            "2020-01-01",
            "RPC",
            &[("cn-hangzhou", "bbb.aliyuncs.com")],
        );
        let oss = product("ccc", "2020-01-01", "OSS", &[]);
        let ops_a = [operation(
            "Create",
            serde_json::json!([{"format": "json", "body": "{\"RequestId\": \"x\"}"}]),
        )];
        let ops_b = [operation("Create", serde_json::json!([]))];
        let catalog = Catalog::build([
            ProductInput {
                dir: Path::new("specs/aaa"),
                product: &a,
                operations: &ops_a,
                strict: true,
            },
            ProductInput {
                dir: Path::new("specs/bbb"),
                product: &b,
                operations: &ops_b,
                strict: true,
            },
            ProductInput {
                dir: Path::new("specs/ccc"),
                product: &oss,
                operations: &ops_b,
                strict: true,
            },
        ])
        .unwrap();
        assert_eq!(catalog.len(), 2);
        assert_eq!(
            catalog.skipped(),
            ["ccc 2020-01-01 (OSS: its own signature (OSS4-HMAC-SHA256) and hosts; 1 operations)"]
        );
        assert_eq!(
            catalog
                .route("Create", "2020-01-01", "bbb.aliyuncs.com:443")
                .unwrap()
                .product,
            "bbb"
        );
        assert_eq!(
            catalog
                .route("Create", "2020-01-01", "127.0.0.1:8080")
                .unwrap()
                .product,
            "aaa"
        );
        assert!(catalog.route("Create", "2020-01-02", "x").is_none());
        assert!(catalog.route("create", "2020-01-01", "x").is_none());
        let op = catalog.route("Create", "2020-01-01", "x").unwrap();
        assert!(op.allows("post") && op.allows("GET") && !op.allows("PUT"));
        assert_eq!(op.allowed_methods(), "GET, POST");
        assert_eq!(
            op.error_row("Dup").unwrap().message.as_deref(),
            Some("first")
        );
        assert_eq!(catalog.by_action("Create").count(), 2);
    }

    #[test]
    fn a_broken_sample_is_an_error_naming_the_file() {
        let a = product("aaa", "2020-01-01", "RPC", &[]);
        let ops = [
            operation(
                "Bad",
                serde_json::json!([{"format": "json", "body": "{\"RequestId\": "}]),
            ),
            operation(
                "List",
                serde_json::json!([{"format": "json", "body": "[1]"}]),
            ),
        ];
        let errors = Catalog::build([ProductInput {
            dir: Path::new("specs/aaa/2020-01-01"),
            product: &a,
            operations: &ops,
            strict: true,
        }])
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].file, Path::new("specs/aaa/2020-01-01/Bad.json"));
        assert!(errors[0].reason.contains("not valid JSON"), "{}", errors[0]);
        assert!(
            errors[1].reason.contains("not a JSON object"),
            "{}",
            errors[1]
        );
    }
}
