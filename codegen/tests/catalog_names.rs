//! Rust names for real hard cases of the catalog (found by scanning every product version),
//! settled deterministically: names colliding after case conversion, Rust keywords, names
//! starting with digits, error codes that differ only in punctuation or case, enormous error
//! tables, nested types whose derived names coincide, and an operation named like another
//! operation's request type.

use std::collections::BTreeSet;
use std::path::PathBuf;

use alibabacloud_codegen::import::catalog::{ImportOptions, ImportedProduct, import_product};
use alibabacloud_codegen::model::{CrateModel, OperationModel, ResponseModel, StructModel};
use alibabacloud_codegen::spec::ApiStyle;

/// The crate's directory as cargo reports it when the test runs.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn import(name: &str) -> ImportedProduct {
    let path = manifest_dir()
        .join("../../shared/catalog")
        .join(name)
        .join("api-docs.json");
    let text = std::fs::read_to_string(&path).unwrap();
    import_product(&text, &ImportOptions::default()).unwrap()
}

/// The resolved model, checked to be the same on a second resolution.
fn model(imported: &ImportedProduct) -> CrateModel {
    let first = CrateModel::resolve(&imported.product, &imported.operations);
    let second = CrateModel::resolve(&imported.product, &imported.operations);
    assert_eq!(first, second, "names are settled the same way every run");
    first
}

fn op<'a>(model: &'a CrateModel, action: &str) -> &'a OperationModel {
    model
        .operations
        .iter()
        .find(|o| o.action == action)
        .unwrap_or_else(|| panic!("{action} generated"))
}

fn param_ident<'a>(op: &'a OperationModel, wire: &str) -> &'a str {
    &op.params
        .iter()
        .find(|p| p.field.wire == wire)
        .unwrap_or_else(|| panic!("{}: no parameter {wire}", op.action))
        .field
        .ident
}

/// Every struct of an operation: request structs, the response, nested responses.
fn structs(op: &OperationModel) -> Vec<&StructModel> {
    let mut all: Vec<&StructModel> = op.request_structs.iter().collect();
    if let ResponseModel::Struct(response) = &op.response {
        all.push(response);
    }
    all.extend(op.response_structs.iter());
    all
}

/// `wire → ident` of the fields of the struct standing for `origin`.
fn fields<'a>(op: &'a OperationModel, origin: &str) -> Vec<(&'a str, &'a str)> {
    let found = structs(op)
        .into_iter()
        .find(|s| s.origin == origin)
        .unwrap_or_else(|| {
            let origins: Vec<&str> = structs(op).iter().map(|s| s.origin.as_str()).collect();
            panic!("{}: no struct for {origin}; have {origins:?}", op.action)
        });
    found
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.ident.as_str()))
        .collect()
}

fn assert_distinct<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) {
    let names: Vec<&str> = names.into_iter().collect();
    let unique: BTreeSet<&str> = names.iter().map(|n| n.trim_start_matches("r#")).collect();
    assert_eq!(unique.len(), names.len(), "{what}: {names:?}");
}

/// Every name the crate defines is distinct where it must be.
fn assert_all_distinct(model: &CrateModel) {
    assert_distinct(
        "modules",
        model.operations.iter().map(|o| o.module.as_str()),
    );
    let mut types: Vec<&str> = model.shared.iter().map(|s| s.name.as_str()).collect();
    for op in &model.operations {
        types.extend([
            op.request_type.as_str(),
            op.builder_type.as_str(),
            op.error_type.as_str(),
        ]);
        // A response of the operation's own is among its structs; one that is a named
        // schema is a type alias of its own name.
        if let ResponseModel::Shared(_) = &op.response {
            types.push(op.response_type.as_str());
        }
        types.extend(structs(op).iter().map(|s| s.name.as_str()));
        assert_distinct(
            &format!("{} parameters", op.action),
            op.params.iter().map(|p| p.field.ident.as_str()),
        );
        for s in structs(op) {
            assert_distinct(&s.name, s.fields.iter().map(|f| f.ident.as_str()));
        }
        assert_distinct(
            &format!("{} error variants", op.action),
            op.errors.iter().map(|v| v.ident.as_str()),
        );
    }
    assert_distinct(&format!("types of {}", model.crate_name), types);
}

/// ecs CreateInstance: `Tag` items carry both `Key` and `key`, `Value` and `value`.
#[test]
fn properties_colliding_after_case_conversion_get_stable_suffixes() {
    let ecs = model(&import("ecs/2014-05-26"));
    let create = op(&ecs, "CreateInstance");
    let tag = fields(create, "request/Tag/items");
    let idents: Vec<&str> = tag.iter().map(|(_, ident)| *ident).collect();
    assert_distinct("CreateInstance Tag fields", idents.iter().copied());
    let key_fields: Vec<(&str, &str)> = tag
        .iter()
        .copied()
        .filter(|(wire, _)| wire.eq_ignore_ascii_case("key"))
        .collect();
    assert_eq!(key_fields.len(), 2, "{tag:?}");
    // The first in page order keeps the plain name.
    assert_eq!(key_fields[0].1, "key");
    assert_eq!(key_fields[1].1, "key_2");
    assert_all_distinct(&ecs);
}

#[test]
fn keywords_become_raw_identifiers() {
    for (product, action, wire, ident) in [
        ("ecs/2014-05-26", "ModifyInstanceSpec", "Async", "r#async"),
        ("iot/2018-01-20", "CreateRule", "Where", "r#where"),
        (
            "servicemesh/2020-01-11",
            "ListWaypoints",
            "Continue",
            "r#continue",
        ),
        ("baas/2018-12-21", "JoinFabricChannel", "Do", "r#do"),
    ] {
        let model = model(&import(product));
        assert_eq!(
            param_ident(op(&model, action), wire),
            ident,
            "{product} {action}"
        );
    }
    let das = model(&import("das/2020-01-16"));
    let explain = fields(op(&das, "DescribeQueryExplain"), "response/Data/items");
    assert!(explain.contains(&("Ref", "r#ref")), "{explain:?}");
}

/// waf-openapi 2021-10-01 DescribeResponseCodeTrendGraph reports `5xxPv`, `405Pv`, ...
#[test]
fn names_starting_with_digits_get_a_leading_underscore() {
    let waf = model(&import("waf-openapi/2021-10-01"));
    let graph = fields(
        op(&waf, "DescribeResponseCodeTrendGraph"),
        "response/ResponseCodes/items",
    );
    for (wire, ident) in [
        ("5xxPv", "_5xx_pv"),
        ("405Pv", "_405pv"),
        ("302Pv", "_302pv"),
    ] {
        assert!(graph.contains(&(wire, ident)), "{wire}: {graph:?}");
    }
    assert_all_distinct(&waf);
}

#[test]
fn error_codes_differing_in_punctuation_or_case_are_distinct_variants() {
    let adb = model(&import("adb/2021-12-01"));
    let submit = op(&adb, "SubmitSparkApp");
    let variants: Vec<(&str, &str)> = submit
        .errors
        .iter()
        .map(|v| (v.code.as_str(), v.ident.as_str()))
        .filter(|(code, _)| code.eq_ignore_ascii_case("Spark.RoleArn.Invalid"))
        .collect();
    // Codes claim names in byte order, not page order, so reordering a page's rows never
    // renames a variant: `Spark.RoleARN.invalid` sorts first and keeps the plain name.
    assert_eq!(
        variants,
        [
            ("Spark.RoleArn.Invalid", "SparkRoleArnInvalid2"),
            ("Spark.RoleARN.invalid", "SparkRoleArnInvalid"),
        ]
    );
    let mut reordered = import("adb/2021-12-01");
    for spec in &mut reordered.operations {
        spec.errors.reverse();
    }
    let again = CrateModel::resolve(&reordered.product, &reordered.operations);
    let idents = |op: &OperationModel| {
        let mut pairs: Vec<(String, String)> = op
            .errors
            .iter()
            .map(|v| (v.code.clone(), v.ident.clone()))
            .collect();
        pairs.sort();
        pairs
    };
    assert_eq!(idents(submit), idents(op(&again, "SubmitSparkApp")));

    let kafka = model(&import("alikafka/2019-09-16"));
    let start = op(&kafka, "StartInstance");
    let ident = |code: &str| {
        start
            .errors
            .iter()
            .find(|v| v.code == code)
            .map(|v| v.ident.clone())
            .unwrap_or_else(|| panic!("{code}"))
    };
    assert_ne!(ident("INTERNAL.ERROR"), ident("InternalError"));
    assert_ne!(
        ident("BIZ.INSTANCE.NOT.FOUND"),
        ident("BIZ_INSTANCE_NOT_FOUND")
    );
    assert_all_distinct(&kafka);
}

/// ecs RunInstances documents 438 error rows.
#[test]
fn enormous_error_tables_keep_one_variant_per_distinct_code() {
    let imported = import("ecs/2014-05-26");
    let spec = imported
        .operations
        .iter()
        .find(|o| o.action == "RunInstances")
        .unwrap();
    assert_eq!(spec.errors.len(), 438);
    let codes: BTreeSet<&str> = spec.errors.iter().map(|r| r.code.as_str()).collect();
    let ecs = model(&imported);
    let run = op(&ecs, "RunInstances");
    assert_eq!(run.errors.len(), codes.len());
    let rows: usize = run.errors.iter().map(|v| v.rows.len()).sum();
    assert_eq!(rows, 438, "duplicated rows are kept with their variant");
    assert_distinct(
        "RunInstances variants",
        run.errors.iter().map(|v| v.ident.as_str()),
    );
}

/// dyplsapi ListXTelephones: `Data` is an object that also has `items` objects, so the two
/// derive the same struct name.
#[test]
fn nested_types_deriving_the_same_name_are_told_apart() {
    for (product, action) in [
        ("dyplsapi/2017-05-25", "ListXTelephones"),
        ("polardbx/2020-02-02", "DescribeBackupPolicy"),
    ] {
        let model = model(&import(product));
        let names: Vec<&str> = structs(op(&model, action))
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_distinct(action, names);
        assert_all_distinct(&model);
    }
}

/// paistudio 2022-01-12 has both `GetResourceGroup` and `GetResourceGroupRequest`; the first
/// one's request type would be the second one's name. (The product is ROA, which is not
/// generated yet; the names are resolved as if it were RPC.)
#[test]
fn an_operation_named_like_another_operations_request_type() {
    let mut imported = import("paistudio/2022-01-12");
    imported.product.style = ApiStyle::Rpc;
    let model = model(&imported);
    let plain = op(&model, "GetResourceGroup");
    let suffixed = op(&model, "GetResourceGroupRequest");
    assert_ne!(plain.request_type, suffixed.request_type);
    assert_ne!(plain.request_type, suffixed.builder_type);
    assert_ne!(plain.module, suffixed.module);
    assert_all_distinct(&model);
}

/// Over every product version of the catalog: modules, types, fields and variants are
/// distinct wherever Rust needs them to be, whatever the metadata throws at the namer.
#[test]
fn every_name_in_the_catalog_is_distinct_where_it_must_be() {
    let root = manifest_dir().join("../../shared/catalog");
    let mut resolved = 0;
    for product in std::fs::read_dir(&root).unwrap() {
        let product = product.unwrap().path();
        if !product.is_dir() {
            continue;
        }
        for version in std::fs::read_dir(&product).unwrap() {
            let path = version.unwrap().path().join("api-docs.json");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut imported = import_product(&text, &ImportOptions::default()).unwrap();
            // Names do not depend on the style; resolve every product as if it were RPC.
            imported.product.style = ApiStyle::Rpc;
            let model = CrateModel::resolve(&imported.product, &imported.operations);
            resolved += model.operations.len();
            assert_all_distinct(&model);
        }
    }
    assert!(resolved > 20_000, "{resolved} operations resolved");
}
