//! A valid spec tree loads without error, in a deterministic order, with every key read.

use std::fs;
use std::path::{Path, PathBuf};

use alibabacloud_codegen::load::{load_product_dir, load_tree, parse_operation, parse_product};
use alibabacloud_codegen::spec::{FieldType, HttpMethod, Location, ParamStyle, SampleFormat};

fn good_tree() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/load_good/specs")
}

#[test]
fn the_good_tree_loads_sorted_by_code_version_and_action() {
    let tree = load_tree(&good_tree()).unwrap_or_else(|errors| panic!("{errors}"));
    let products: Vec<(&str, &str, Vec<&str>)> = tree
        .products
        .iter()
        .map(|specs| {
            let actions = specs
                .operations
                .iter()
                .map(|op| op.action.as_str())
                .collect();
            (
                specs.product.code.as_str(),
                specs.product.version.as_str(),
                actions,
            )
        })
        .collect();
    assert_eq!(
        products,
        [
            ("cs", "2015-12-15", vec!["DescribeClusterDetail"]),
            ("ecs", "2013-01-10", vec!["DescribeRegions"]),
            ("ecs", "2014-05-26", vec!["AttachDisk", "DescribeInstances"]),
        ]
    );
    assert_eq!(tree.products[2].dir, good_tree().join("ecs/2014-05-26"));
}

#[test]
fn nested_fields_references_and_flags_are_read() {
    let tree = load_tree(&good_tree()).unwrap_or_else(|errors| panic!("{errors}"));
    let ecs = &tree.products[2];
    assert!(ecs.product.schemas.contains_key("TagSet"));
    let op = &ecs.operations[1];
    assert_eq!(op.methods, [HttpMethod::Get, HttpMethod::Post]);

    let tag = &op.request[2];
    assert_eq!(
        (tag.location, tag.style),
        (Some(Location::Query), Some(ParamStyle::RepeatList))
    );
    assert_eq!(
        tag.items
            .as_ref()
            .and_then(|items| items.reference.as_deref()),
        Some("Tag")
    );
    let flags: Vec<(&str, bool, bool, bool)> = op.request[9..12]
        .iter()
        .map(|p| {
            (
                p.name.as_deref().unwrap(),
                p.idempotency_token,
                p.sensitive,
                p.json,
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("ClientToken", true, false, false),
            ("Password", false, true, false),
            ("DbList", false, false, true)
        ]
    );

    let instances = op.response.properties.as_ref().unwrap()[2].clone();
    let instance = &instances.properties.unwrap()[0];
    let element = instance.items.as_ref().unwrap();
    let names: Vec<&str> = element
        .properties
        .iter()
        .flatten()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["InstanceId", "Cpu", "Tags"]);
    assert_eq!(
        element.properties.as_ref().unwrap()[1].ty,
        Some(FieldType::Integer)
    );

    // Every error row is kept as written, repeats and case variants included.
    let codes: Vec<&str> = op.errors.iter().map(|row| row.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "InvalidParameter",
            "InvalidParameter",
            "invalidParameter",
            "Forbidden.RAM",
            "ServiceUnavailable"
        ]
    );
    assert_eq!(op.samples[1].format, SampleFormat::Xml);
}

#[test]
fn one_product_dir_and_single_files_load_the_same_specs_as_the_tree() {
    let tree = load_tree(&good_tree()).unwrap_or_else(|errors| panic!("{errors}"));
    for specs in &tree.products {
        let alone = load_product_dir(&specs.dir).unwrap_or_else(|errors| panic!("{errors}"));
        assert_eq!(&alone, specs);
        let product_file = specs.dir.join("product.json");
        let text = fs::read_to_string(&product_file).unwrap();
        assert_eq!(parse_product(&product_file, &text).unwrap(), specs.product);
        for op in &specs.operations {
            let file = specs.dir.join(format!("{}.json", op.action));
            let text = fs::read_to_string(&file).unwrap();
            assert_eq!(&parse_operation(&file, &text).unwrap(), op);
        }
    }
}

#[test]
fn loading_twice_gives_the_same_result() {
    assert_eq!(load_tree(&good_tree()), load_tree(&good_tree()));
}

/// The project's own specs must stay valid: this is the check a maintainer runs after
/// transcribing a page.
#[test]
fn the_project_specs_load_without_error() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let tree = load_tree(&specs).unwrap_or_else(|errors| panic!("specs/ has problems:\n{errors}"));
    assert!(!tree.products.is_empty(), "specs/ holds no product");
}
