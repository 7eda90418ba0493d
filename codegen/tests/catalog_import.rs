//! The catalog importer over the real metadata in `../shared/catalog`: the whole catalog
//! imports, the result is valid in the spec format, and the seed products carry the wire
//! facts the reference (`shared/reference/alibaba-cloud-api.md`) documents.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::catalog::{
    CATALOG_SOURCE, ImportOptions, ImportedProduct, IssueKind, import_product, merge_operation,
    merge_product,
};
use alibabacloud_codegen::load::{parse_operation, parse_product};
use alibabacloud_codegen::spec::{
    FieldType, HttpMethod, Location, OperationSpec, ParamStyle, ProductSpec, SampleFormat,
};

/// The crate's directory as cargo reports it when the test runs: a binary built from
/// another checkout sharing the target directory would carry a stale compile-time path.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn catalog_root() -> PathBuf {
    manifest_dir().join("../../shared/catalog")
}

fn specs_root() -> PathBuf {
    manifest_dir().join("../specs")
}

/// Every `<product>/<version>/api-docs.json` of the catalog, sorted.
fn catalog_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for product in std::fs::read_dir(catalog_root()).unwrap() {
        let product = product.unwrap().path();
        if product.is_dir() {
            for version in std::fs::read_dir(&product).unwrap() {
                files.push(version.unwrap().path().join("api-docs.json"));
            }
        }
    }
    files.sort();
    files
}

fn import_file(path: &Path) -> ImportedProduct {
    let text = std::fs::read_to_string(path).unwrap();
    let options = ImportOptions {
        source: "catalog",
        title: None,
        reviewed: None,
    };
    import_product(&text, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(product: &str, version: &str) -> ImportedProduct {
    import_file(
        &catalog_root()
            .join(product)
            .join(version)
            .join("api-docs.json"),
    )
}

fn op<'a>(product: &'a ImportedProduct, action: &str) -> &'a OperationSpec {
    product
        .operations
        .iter()
        .find(|o| o.action == action)
        .unwrap()
}

fn param<'a>(op: &'a OperationSpec, name: &str) -> &'a alibabacloud_codegen::spec::Field {
    op.request
        .iter()
        .find(|f| f.name.as_deref() == Some(name))
        .unwrap()
}

/// The whole catalog imports (351 product versions, 24,798 operations), and every imported
/// spec reads back through the spec loader; the only rejections are responses whose root
/// is not an object, which the importer itself reports.
#[test]
fn whole_catalog_imports_into_specs_the_loader_accepts() {
    let files = catalog_files();
    let mut operations = 0;
    let mut unexpected = Vec::new();
    for path in &files {
        let imported = import_file(path);
        operations += imported.operations.len();
        let product_text = serde_json::to_string_pretty(&imported.product).unwrap();
        if let Err(e) = parse_product(Path::new("product.json"), &product_text) {
            unexpected.push(format!("{}: {e}", path.display()));
        }
        let non_object: BTreeSet<String> = imported
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::NonObjectResponse)
            .map(|i| i.pointer.split('/').nth(2).unwrap_or_default().to_owned())
            .collect();
        for op in &imported.operations {
            let text = serde_json::to_string_pretty(op).unwrap();
            let result = parse_operation(Path::new(&format!("{}.json", op.action)), &text);
            match (result, non_object.contains(&op.action)) {
                (Ok(_), false) => {}
                (Err(e), true) if e.to_string().contains("/response/type") => {}
                (Ok(_), true) => {
                    unexpected.push(format!("{}: {} loads", path.display(), op.action))
                }
                (Err(e), _) => unexpected.push(format!("{}: {e}", path.display())),
            }
        }
    }
    assert_eq!((files.len(), operations), (351, 24_798));
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

#[test]
fn import_is_deterministic() {
    let first = import("rds", "2014-08-15");
    let second = import("rds", "2014-08-15");
    assert_eq!(first, second);
    let text = |p: &ImportedProduct| serde_json::to_string(&p.operations).unwrap();
    assert_eq!(text(&first), text(&second));
}

#[test]
fn seed_products_have_their_operation_counts_and_sorted_actions() {
    for (product, version, count) in [
        ("adb", "2021-12-01", 239),
        ("rds", "2014-08-15", 313),
        ("dataworks-public", "2020-05-18", 308),
    ] {
        let imported = import(product, version);
        assert_eq!(imported.operations.len(), count, "{product}");
        let actions: Vec<&str> = imported
            .operations
            .iter()
            .map(|o| o.action.as_str())
            .collect();
        let mut sorted = actions.clone();
        sorted.sort();
        assert_eq!(actions, sorted);
        assert_eq!(imported.product.code, product);
        assert_eq!(imported.product.version, version);
    }
}

#[test]
fn product_files_name_the_crate_and_carry_the_published_endpoints() {
    let rds = import("rds", "2014-08-15").product;
    assert_eq!(rds.code, "rds");
    assert_eq!(rds.metadata_code.as_deref(), Some("Rds"));
    assert_eq!(rds.crate_name, "alibabacloud-rds20140815");
    assert_eq!(rds.endpoints.product_id, "rds");
    assert_eq!(rds.endpoints.regions["cn-hangzhou"], "rds.aliyuncs.com");
    assert_eq!(
        rds.endpoints.regions["ap-southeast-1"],
        "rds.ap-southeast-1.aliyuncs.com"
    );

    let dataworks = import("dataworks-public", "2020-05-18").product;
    assert_eq!(dataworks.metadata_code, None);
    assert_eq!(dataworks.endpoints.product_id, "dataworks-public");
    assert_eq!(
        dataworks.crate_name,
        "alibabacloud-dataworks-public20200518"
    );
    // The transcribed rds file took its map from the same metadata.
    let path = specs_root().join("rds/2014-08-15/product.json");
    let existing: ProductSpec =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(existing.endpoints.regions, rds.endpoints.regions);
}

#[test]
fn create_aps_job_carries_locations_methods_async_and_samples() {
    let adb = import("adb", "2021-12-01");
    let job = op(&adb, "CreateAPSJob");
    assert_eq!(job.methods, [HttpMethod::Get, HttpMethod::Post]);
    assert_eq!(job.path, "/");
    let region = param(job, "RegionId");
    assert_eq!(
        (region.location, region.ty, region.required),
        (Some(Location::FormData), Some(FieldType::String), true)
    );
    assert_eq!(region.example.as_deref(), Some("cn-shanghai"));
    assert!(param(job, "SourceEndpointPassword").sensitive);
    assert!(!param(job, "SourceEndpointUserName").sensitive);
    let polling = job.asynchronous.as_ref().unwrap();
    assert_eq!(polling.poll.as_deref(), Some("DescribeApsJobDetail"));
    assert_eq!(
        (polling.interval_millis, polling.max_tries),
        (Some(6000), Some(100))
    );
    assert_eq!(job.samples.len(), 1);
    assert_eq!(job.samples[0].format, SampleFormat::Json);
    assert!(
        job.samples[0]
            .body
            .contains("\"ApsJobId\": \"aps-bj1xxxxxx\"")
    );
    let response: Vec<(&str, Option<FieldType>)> = job
        .response
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| (f.name.as_deref().unwrap(), f.ty))
        .collect();
    assert_eq!(
        response,
        [
            ("HttpStatusCode", Some(FieldType::Integer)),
            ("ApsJobId", Some(FieldType::String)),
            ("RequestId", Some(FieldType::String)),
            ("Success", Some(FieldType::Boolean)),
            ("Code", Some(FieldType::String)),
            ("Message", Some(FieldType::String)),
        ]
    );
}

#[test]
fn complex_parameters_keep_their_styles_and_nested_types() {
    let rds = import("rds", "2014-08-15");
    // repeatList: Tag.N.Key / Tag.N.Value
    let tag = param(op(&rds, "CreateDBInstance"), "Tag");
    assert_eq!(
        (tag.style, tag.ty),
        (Some(ParamStyle::RepeatList), Some(FieldType::Array))
    );
    let item = tag.items.as_ref().unwrap();
    assert_eq!(item.ty, Some(FieldType::Object));
    let keys: Vec<&str> = item
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(keys, ["Key", "Value"]);
    // simple: comma-joined
    let ids = param(op(&rds, "AttachRCInstances"), "InstanceIds");
    assert_eq!(
        (ids.style, ids.ty),
        (Some(ParamStyle::Simple), Some(FieldType::Array))
    );
    // json: one serialized parameter
    let node = param(op(&rds, "DescribePrice"), "DBNode");
    assert_eq!(node.style, Some(ParamStyle::Json));

    let dataworks = import("dataworks-public", "2020-05-18");
    let task = op(&dataworks, "CreateDISyncTask");
    assert_eq!(
        param(task, "TaskContent").location,
        Some(Location::FormData)
    );
    assert_eq!(param(task, "ProjectId").ty, Some(FieldType::Long));
    assert_eq!(param(task, "ProjectId").minimum.as_deref(), Some("1"));
    assert!(param(task, "ClientToken").idempotency_token);
    let data = task
        .response
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .find(|f| f.name.as_deref() == Some("Data"))
        .unwrap();
    let nested: Vec<&str> = data
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(nested, ["Status", "Message", "FileId"]);
}

/// adb GetSparkAppLog documents `Data.LogSize` as int32; its own sample holds 3517972480.
#[test]
fn samples_widen_integers_they_overflow() {
    let adb = import("adb", "2021-12-01");
    let log = op(&adb, "GetSparkAppLog");
    let data = log
        .response
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .find(|f| f.name.as_deref() == Some("Data"))
        .unwrap();
    let size = data
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .find(|f| f.name.as_deref() == Some("LogSize"))
        .unwrap();
    assert_eq!(size.ty, Some(FieldType::Long));
    assert!(
        adb.issues
            .iter()
            .any(|i| i.kind == IssueKind::SampleWidenedType
                && i.pointer == "/apis/GetSparkAppLog/responseDemo"
                && i.detail.contains("Data.LogSize"))
    );
}

#[test]
fn error_tables_keep_every_row_in_file_order() {
    let rds = import("rds", "2014-08-15");
    let link = op(&rds, "CreateReplicationLink");
    assert_eq!(link.errors.len(), 67);
    assert!(
        link.errors
            .iter()
            .all(|row| (100..=599).contains(&row.status))
    );
    let codes: Vec<&str> = link.errors.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&"Pay.NoCreditCard") && codes.contains(&"pay.noCreditCard"));
}

#[test]
fn malformed_metadata_is_recorded_with_its_pointer() {
    let text = r##"{"info":{"style":"RPC","product":"Demo","version":"2020-01-01"},
        "components":{"schemas":{"Known":{"type":"object","properties":{"A":{"type":"string"}}}}},
        "apis":{"Op":{"methods":["options","post"],"parameters":[
            {"name":"A","in":"query","schema":{"type":"string"}},
            {"name":"A","in":"query","schema":{"type":"string"}},
            {"name":"B","in":"cookie","schema":{"type":"string"}},
            {"name":"C","in":"query","style":"struct","schema":{"type":"strange"}},
            {"name":"D","in":"formData","schema":{"$ref":"#/components/schemas/Missing"}},
            {"name":"E","in":"formData","schema":{"ref":"#/components/schemas/Known","bogus":1}},
            {"name":"F","in":"query","schema":{"type":"array"}}],
          "responses":{"200":{"schema":{"type":"object","properties":{}}}},
          "responseDemo":"not json"}},
        "endpoints":[{"regionId":"r1","endpoint":"h1"},{"regionId":"r1","endpoint":"h2"}]}"##;
    let imported = import_product(text, &ImportOptions::default()).unwrap();
    let found: Vec<(IssueKind, &str)> = imported
        .issues
        .iter()
        .map(|i| (i.kind, i.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (IssueKind::DuplicateRegion, "/endpoints/1"),
            (IssueKind::MissingSummary, "/apis/Op"),
            (IssueKind::UnknownMethod, "/apis/Op/methods/0"),
            (IssueKind::DuplicateParameter, "/apis/Op/parameters/1"),
            (IssueKind::UnknownLocation, "/apis/Op/parameters/2/in"),
            (IssueKind::UnknownType, "/apis/Op/parameters/3/schema/type"),
            (IssueKind::UnknownStyle, "/apis/Op/parameters/3/style"),
            (IssueKind::UnresolvedRef, "/apis/Op/parameters/4/schema"),
            (IssueKind::UnknownSchemaKey, "/apis/Op/parameters/5/schema"),
            (IssueKind::BareRef, "/apis/Op/parameters/5/schema"),
            (IssueKind::MissingItems, "/apis/Op/parameters/6/schema"),
            (IssueKind::MalformedResponseDemo, "/apis/Op/responseDemo"),
        ]
        .iter()
        .map(|(k, p)| (*k, *p))
        .collect::<Vec<_>>()
    );
    let op = &imported.operations[0];
    assert_eq!(op.methods, [HttpMethod::Post]);
    let names: Vec<&str> = op
        .request
        .iter()
        .map(|f| f.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["A", "C", "D", "E", "F"]);
    assert_eq!(param(op, "E").reference.as_deref(), Some("Known"));
    assert_eq!(param(op, "D").ty, Some(FieldType::Any));
    assert_eq!(imported.product.endpoints.regions["r1"], "h1");
}

#[test]
fn unreadable_documents_are_an_issue_not_a_panic() {
    for text in [
        "",
        "[]",
        "{\"apis\": 3}",
        "{\"info\": {}}",
        "{\"info\":{\"style\":\"SOAP\",\"product\":\"a\",\"version\":\"1\"}}",
    ] {
        let error = import_product(text, &ImportOptions::default()).unwrap_err();
        assert!(
            matches!(
                error.kind,
                IssueKind::UnreadableDocument | IssueKind::BadInfo
            ),
            "{text}: {error}"
        );
    }
}

/// The five transcribed page specs keep every page fact; the metadata fills only what
/// pages never carry, and each disagreement is recorded once.
#[test]
fn page_specs_win_over_the_metadata() {
    for (product, version, actions) in [
        (
            "adb",
            "2021-12-01",
            &["CreateAPSJob", "CreateApsCopyWorkload", "StartApsJob"][..],
        ),
        ("rds", "2014-08-15", &["CreateReplicationLink"][..]),
        ("dataworks-public", "2020-05-18", &["CreateDISyncTask"][..]),
    ] {
        let imported = import(product, version);
        let dir = specs_root().join(product).join(version);
        for action in actions {
            let text = std::fs::read_to_string(dir.join(format!("{action}.json"))).unwrap();
            let page: OperationSpec = serde_json::from_str(&text).unwrap();
            if page.source.page.is_none() {
                continue; // already a catalog import: nothing of the page's to keep
            }
            let merged = merge_operation(&page, op(&imported, action));
            assert_eq!(merged.summary, page.summary);
            assert_eq!(merged.errors, page.errors);
            let facts = |o: &OperationSpec| {
                o.request
                    .iter()
                    .map(|f| {
                        (
                            f.name.clone(),
                            f.ty,
                            f.required,
                            f.description.clone(),
                            f.location,
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(facts(&merged), facts(&page), "{action}");
            // Idempotent: merging again changes nothing.
            assert_eq!(
                merge_operation(&merged, op(&imported, action)),
                merged,
                "{action}"
            );
            let subjects: Vec<&str> = merged
                .discrepancies
                .iter()
                .map(|d| d.subject.as_str())
                .collect();
            let unique: BTreeSet<&str> = subjects.iter().copied().collect();
            assert_eq!(unique.len(), subjects.len(), "{action}: {subjects:?}");
        }
    }
    // CreateReplicationLink: the page (Sep 2024) words several descriptions differently.
    let rds = import("rds", "2014-08-15");
    let text =
        std::fs::read_to_string(specs_root().join("rds/2014-08-15/CreateReplicationLink.json"))
            .unwrap();
    let page: OperationSpec = serde_json::from_str(&text).unwrap();
    if page.source.page.is_some() {
        let merged = merge_operation(&page, op(&rds, "CreateReplicationLink"));
        let recorded: Vec<&str> = merged
            .discrepancies
            .iter()
            .filter(|d| d.other_source == CATALOG_SOURCE)
            .map(|d| d.subject.as_str())
            .collect();
        assert!(
            recorded.contains(&"request/DBInstanceId/description"),
            "{recorded:?}"
        );
        assert!(
            !recorded.contains(&"request/TargetAddress"),
            "already recorded from seed-operations.json"
        );
    }
}

/// The transcribed product files took their maps from an earlier copy of the metadata
/// (`seed-operations.json`); a merge keeps their hosts, adds regions only the catalog has
/// and reports every difference.
#[test]
fn product_files_keep_their_facts_and_gain_the_metadata_regions_and_schemas() {
    let imported = import("adb", "2021-12-01").product;
    let text = std::fs::read_to_string(specs_root().join("adb/2021-12-01/product.json")).unwrap();
    let existing: ProductSpec = serde_json::from_str(&text).unwrap();
    let (merged, differences) = merge_product(&existing, &imported);
    assert_eq!(merged.title, existing.title);
    assert_eq!(merged.schemas, imported.schemas);
    for (region, host) in &existing.endpoints.regions {
        assert_eq!(
            &merged.endpoints.regions[region], host,
            "existing host kept"
        );
    }
    for (region, host) in &imported.endpoints.regions {
        if !existing.endpoints.regions.contains_key(region) {
            assert_eq!(&merged.endpoints.regions[region], host, "new region added");
            assert!(
                differences
                    .iter()
                    .any(|d| d.starts_with(&format!("region {region}:")))
            );
        }
    }
    for region in existing.endpoints.regions.keys() {
        let same = imported.endpoints.regions.get(region) == existing.endpoints.regions.get(region);
        let reported = differences
            .iter()
            .any(|d| d.starts_with(&format!("region {region}:")));
        assert_eq!(reported, !same, "{region}: {differences:?}");
    }
    let (again, _) = merge_product(&merged, &imported);
    assert_eq!(again, merged, "merging is idempotent");
}

/// A parameter only the metadata has is added to a page spec (after the page's own), placed
/// and typed as the metadata says, and recorded; merging again changes nothing, and a
/// later import follows the metadata as it is then.
#[test]
fn metadata_only_parameters_are_kept_in_page_specs() {
    let rds = import("rds", "2014-08-15");
    let text =
        std::fs::read_to_string(specs_root().join("rds/2014-08-15/CreateReplicationLink.json"))
            .unwrap();
    let mut page: OperationSpec = serde_json::from_str(&text).unwrap();
    // As the page alone has it: no TargetAddress, no note about it.
    page.request
        .retain(|f| f.name.as_deref() != Some("TargetAddress"));
    page.discrepancies
        .retain(|d| d.subject != "request/TargetAddress");
    let page_names: Vec<_> = page.request.iter().map(|f| f.name.clone()).collect();

    let merged = merge_operation(&page, op(&rds, "CreateReplicationLink"));
    let names: Vec<_> = merged.request.iter().map(|f| f.name.clone()).collect();
    assert_eq!(
        names[..page_names.len()],
        page_names[..],
        "page order first"
    );
    assert_eq!(
        names[page_names.len()..],
        [Some("TargetAddress".to_owned())]
    );
    let added = merged.request.last().unwrap();
    assert_eq!(added.location, Some(Location::Query));
    assert_eq!(added.ty, Some(FieldType::String));
    let recorded: Vec<_> = merged
        .discrepancies
        .iter()
        .filter(|d| d.subject == "request/TargetAddress")
        .collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(
        recorded[0].resolution,
        alibabacloud_codegen::import::catalog::KEPT_FROM_METADATA
    );
    assert!(recorded[0].page.is_none());

    // Idempotent.
    assert_eq!(
        merge_operation(&merged, op(&rds, "CreateReplicationLink")),
        merged
    );
    // The metadata changes: the next import follows it.
    let mut newer = op(&rds, "CreateReplicationLink").clone();
    newer
        .request
        .retain(|f| f.name.as_deref() != Some("TargetAddress"));
    let again = merge_operation(&merged, &newer);
    assert!(
        again
            .request
            .iter()
            .all(|f| f.name.as_deref() != Some("TargetAddress"))
    );
    assert!(
        again
            .discrepancies
            .iter()
            .all(|d| d.subject != "request/TargetAddress")
    );
}

/// `operationType` becomes the spec's `operation_type`, and a page spec merged with the
/// metadata takes it from the metadata (pages never state it).
#[test]
fn operation_types_come_from_the_metadata_into_page_specs_too() {
    use alibabacloud_codegen::spec::OperationType;
    let adb = import("adb", "2021-12-01");
    let rds = import("rds", "2014-08-15");
    let dataworks = import("dataworks-public", "2020-05-18");
    let of = |product: &ImportedProduct, action: &str| op(product, action).operation_type;
    assert_eq!(of(&adb, "CreateAPSJob"), Some(OperationType::Write));
    assert_eq!(of(&adb, "DescribeApsJobDetail"), Some(OperationType::Read));
    assert_eq!(
        of(&rds, "CreateReplicationLink"),
        Some(OperationType::ReadAndWrite)
    );
    assert_eq!(
        of(&dataworks, "CreateDISyncTask"),
        Some(OperationType::ReadAndWrite)
    );
    let absent = adb
        .operations
        .iter()
        .filter(|o| o.operation_type.is_none())
        .count();
    assert_eq!(absent, 16, "adb operations whose metadata does not say");

    let mut page = op(&adb, "CreateAPSJob").clone();
    page.operation_type = None;
    page.source.page = None;
    let merged = merge_operation(&page, op(&adb, "CreateAPSJob"));
    assert_eq!(merged.operation_type, Some(OperationType::Write));
    assert!(
        merged
            .discrepancies
            .iter()
            .all(|d| d.subject != "operation_type")
    );
}

/// `callbackInterval` is milliseconds, but the small integers some products write (3, 5)
/// are seconds: no service is polled every 3 ms.
#[test]
fn small_callback_intervals_are_seconds() {
    let doc = |interval: u64| {
        format!(
            r#"{{"info":{{"style":"RPC","product":"Demo","version":"2020-01-01"}},
            "apis":{{"Op":{{"summary":"s","methods":["post"],"parameters":[],
              "staticInfo":{{"returnType":"asynchronous","callback":"Poll",
                "callbackInterval":{interval},"maxCallbackTimes":10}},
              "responses":{{"200":{{"schema":{{"type":"object","properties":{{}}}}}}}}}},
             "Poll":{{"summary":"s","methods":["post"],"parameters":[],
              "responses":{{"200":{{"schema":{{"type":"object","properties":{{}}}}}}}}}}}}}}"#
        )
    };
    for (interval, seconds, millis) in [
        (3, Some(3), None),
        (5, Some(5), None),
        (3000, None, Some(3000)),
    ] {
        let imported = import_product(&doc(interval), &ImportOptions::default()).unwrap();
        let polling = op(&imported, "Op").asynchronous.clone().unwrap();
        assert_eq!(
            (polling.interval_seconds, polling.interval_millis),
            (seconds, millis),
            "{interval}"
        );
    }
}
