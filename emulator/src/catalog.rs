//! The operations the emulator serves, indexed by `(x-acs-action, x-acs-version)`.
//!
//! Built from the loaded specs (the same files the generated clients come from). Only RPC
//! products are served: the other styles route by path, which the generated clients do not
//! emit yet; they are listed as skipped so the emulator says what it leaves out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use alibabacloud_codegen::spec::{
    ApiStyle, ErrorRow, Field, HttpMethod, OperationSpec, ProductSpec, SampleFormat,
};

/// One served operation.
#[derive(Debug)]
pub struct Operation {
    /// Product code (`adb`), used in the error `Recommend` link.
    pub product: String,
    /// API version (`2021-12-01`).
    pub version: String,
    /// The spec, as loaded.
    pub spec: OperationSpec,
    /// The product's named schemas, for `$ref`s.
    pub schemas: Arc<BTreeMap<String, Field>>,
    /// The first JSON sample of the page, checked to be a JSON object.
    pub sample: Option<String>,
    /// Hosts this product is published under (the endpoint map's values).
    pub hosts: Vec<String>,
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

/// A product version as handed to [`Catalog::build`].
#[derive(Debug, Clone, Copy)]
pub struct ProductInput<'a> {
    /// Its directory (for messages).
    pub dir: &'a Path,
    /// `product.json`.
    pub product: &'a ProductSpec,
    /// Its operations.
    pub operations: &'a [OperationSpec],
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
    skipped: Vec<String>,
    count: usize,
}

impl Catalog {
    /// Indexes the RPC operations of `products`. A JSON sample that is not a JSON object
    /// is an error naming its file: answering with it would break every client.
    pub fn build<'a>(
        products: impl IntoIterator<Item = ProductInput<'a>>,
    ) -> Result<Catalog, Vec<CatalogError>> {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        for input in products {
            let product = input.product;
            if product.style != ApiStyle::Rpc {
                catalog.skipped.push(format!(
                    "{} {} ({:?} style, {} operations)",
                    product.code,
                    product.version,
                    product.style,
                    input.operations.len()
                ));
                continue;
            }
            let schemas = Arc::new(product.schemas.clone());
            let mut hosts: Vec<String> = product.endpoints.regions.values().cloned().collect();
            hosts.sort();
            hosts.dedup();
            for spec in input.operations {
                let file = input.dir.join(format!("{}.json", spec.action));
                let sample = match first_json_sample(spec) {
                    Ok(sample) => sample,
                    Err(reason) => {
                        errors.push(CatalogError { file, reason });
                        continue;
                    }
                };
                let operation = Arc::new(Operation {
                    product: product.code.clone(),
                    version: product.version.clone(),
                    spec: spec.clone(),
                    schemas: Arc::clone(&schemas),
                    sample,
                    hosts: hosts.clone(),
                });
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
    pub fn route(&self, action: &str, version: &str, host: &str) -> Option<&Arc<Operation>> {
        let candidates = self.routes.get(&(action.to_owned(), version.to_owned()))?;
        let host = host.split(':').next().unwrap_or(host);
        candidates
            .iter()
            .find(|op| op.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
            .or_else(|| candidates.first())
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
}

fn first_json_sample(spec: &OperationSpec) -> Result<Option<String>, String> {
    let Some(sample) = spec
        .samples
        .iter()
        .find(|sample| sample.format == SampleFormat::Json)
    else {
        return Ok(None);
    };
    match serde_json::from_str::<serde_json::Value>(&sample.body) {
        Ok(value) if value.is_object() => Ok(Some(sample.body.clone())),
        Ok(_) => Err("the first JSON sample response is not a JSON object".to_owned()),
        Err(err) => Err(format!(
            "the first JSON sample response is not valid JSON: {err}"
        )),
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
    fn routes_by_action_and_version_and_skips_other_styles() {
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
        let roa = product("ccc", "2020-01-01", "ROA", &[]);
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
            },
            ProductInput {
                dir: Path::new("specs/bbb"),
                product: &b,
                operations: &ops_b,
            },
            ProductInput {
                dir: Path::new("specs/ccc"),
                product: &roa,
                operations: &ops_b,
            },
        ])
        .unwrap();
        assert_eq!(catalog.len(), 2);
        assert_eq!(
            catalog.skipped(),
            ["ccc 2020-01-01 (Roa style, 1 operations)"]
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
