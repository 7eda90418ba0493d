//! No input makes the loader panic: valid spec files, mutated at random (bytes flipped,
//! text cut or spliced, nodes deleted, replaced, retyped, keys inserted), must give either
//! a spec or errors that each name the file, a pointer into the document and a reason.
//!
//! Bounded (256 cases per property) so it runs in CI in a few seconds.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use alibabacloud_codegen::load::{LoadErrors, parse_operation, parse_product};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

/// A valid spec file to start from.
struct Seed {
    file: PathBuf,
    text: String,
}

/// Operation and product files of the good fixture and of the project's `specs/`.
fn seeds() -> &'static (Vec<Seed>, Vec<Seed>) {
    static SEEDS: OnceLock<(Vec<Seed>, Vec<Seed>)> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for tree in [root.join("tests/load_good/specs"), root.join("../specs")] {
            for product in sorted_dirs(&tree) {
                for version in sorted_dirs(&product) {
                    let mut entries: Vec<PathBuf> = fs::read_dir(&version)
                        .unwrap()
                        .map(|entry| entry.unwrap().path())
                        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                        .collect();
                    entries.sort();
                    files.extend(entries);
                }
            }
        }
        let (products, operations): (Vec<PathBuf>, Vec<PathBuf>) = files
            .into_iter()
            .partition(|path| path.ends_with("product.json"));
        let read = |paths: Vec<PathBuf>| -> Vec<Seed> {
            paths
                .into_iter()
                .map(|file| Seed {
                    text: fs::read_to_string(&file).unwrap(),
                    file,
                })
                .collect()
        };
        let seeds = (read(operations), read(products));
        // The seeds must be valid, or the mutations would not start from a valid file.
        for seed in &seeds.0 {
            parse_operation(&seed.file, &seed.text).unwrap_or_else(|errors| panic!("{errors}"));
        }
        for seed in &seeds.1 {
            parse_product(&seed.file, &seed.text).unwrap_or_else(|errors| panic!("{errors}"));
        }
        seeds
    })
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(listing) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = listing
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// One change to a spec file.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: Index,
        mask: u8,
    },
    Truncate {
        at: Index,
    },
    Splice {
        at: Index,
        bytes: Vec<u8>,
    },
    Delete {
        node: Index,
    },
    Replace {
        node: Index,
        with: Value,
    },
    InsertKey {
        node: Index,
        key: String,
        with: Value,
    },
    Retype {
        node: Index,
    },
}

/// Keys of the format, so that insertions often hit a meaningful place.
const KEYS: &[&str] = &[
    "name",
    "type",
    "$ref",
    "in",
    "style",
    "required",
    "items",
    "properties",
    "additional_properties",
    "enum",
    "json",
    "sensitive",
    "idempotency_token",
    "action",
    "summary",
    "methods",
    "path",
    "request",
    "response",
    "errors",
    "samples",
    "status",
    "code",
    "format",
    "body",
    "source",
    "page",
    "async",
    "poll",
    "schemas",
    "endpoints",
    "regions",
    "rule",
    "crate_name",
    "version",
    "discrepancies",
    "subject",
    "",
    "~/",
    "中文",
];

/// Strings that probe names, types and enums.
const STRINGS: &[&str] = &[
    "",
    "-",
    "_",
    "中文",
    "string",
    "integer",
    "long",
    "object",
    "array",
    "any",
    "query",
    "formData",
    "body",
    "repeatList",
    "flat",
    "json",
    "xml",
    "post",
    "get",
    "RPC",
    "Tag",
    "RegionId",
    "{\"a\":",
    "/",
    "~1",
    "regional",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e9f64..1.0e9).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
        prop::collection::vec(any::<char>(), 0..6)
            .prop_map(|chars| Value::String(chars.into_iter().collect())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Mutation::FlipByte { at, mask }),
        any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(at, bytes)| Mutation::Splice { at, bytes }),
        any::<Index>().prop_map(|node| Mutation::Delete { node }),
        (any::<Index>(), json_value()).prop_map(|(node, with)| Mutation::Replace { node, with }),
        (any::<Index>(), prop::sample::select(KEYS), json_value()).prop_map(|(node, key, with)| {
            Mutation::InsertKey {
                node,
                key: key.to_owned(),
                with,
            }
        }),
        any::<Index>().prop_map(|node| Mutation::Retype { node }),
    ]
}

/// Every pointer of `value`, in document order, the root first.
fn pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    out.push(pointer.clone());
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{pointer}/{index}"), out);
            }
        }
        Value::Object(object) => {
            for (key, item) in object {
                let token = key.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{pointer}/{token}"), out);
            }
        }
        _ => {}
    }
}

/// Applies `mutation` to `text`. Node mutations need valid JSON and leave broken text alone.
fn apply(text: String, mutation: &Mutation) -> String {
    let mut bytes = text.into_bytes();
    match mutation {
        Mutation::FlipByte { at, mask } => {
            if !bytes.is_empty() {
                let at = at.index(bytes.len());
                bytes[at] ^= mask;
            }
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        Mutation::Truncate { at } => {
            bytes.truncate(at.index(bytes.len() + 1));
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        Mutation::Splice {
            at,
            bytes: inserted,
        } => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, inserted.iter().copied());
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        _ => {}
    }
    let text = String::from_utf8(bytes).expect("node mutations start from text");
    let Ok(mut root) = serde_json::from_str::<Value>(&text) else {
        return text;
    };
    let mut all = Vec::new();
    pointers(&root, String::new(), &mut all);
    let pick = |node: &Index| all[node.index(all.len())].clone();
    match mutation {
        Mutation::Delete { node } => {
            let pointer = pick(node);
            if let Some((parent, token)) = pointer.rsplit_once('/')
                && let Some(parent) = root.pointer_mut(parent)
            {
                let token = token.replace("~1", "/").replace("~0", "~");
                match parent {
                    Value::Object(object) => {
                        object.remove(&token);
                    }
                    Value::Array(items) => {
                        items.remove(token.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace { node, with } => {
            if let Some(target) = root.pointer_mut(&pick(node)) {
                *target = with.clone();
            }
        }
        Mutation::InsertKey { node, key, with } => {
            if let Some(Value::Object(object)) = root.pointer_mut(&pick(node)) {
                object.insert(key.clone(), with.clone());
            }
        }
        Mutation::Retype { node } => {
            if let Some(target) = root.pointer_mut(&pick(node)) {
                *target = retyped(target);
            }
        }
        _ => {}
    }
    serde_json::to_string_pretty(&root).unwrap()
}

/// The same content as another kind of JSON value.
fn retyped(value: &Value) -> Value {
    match value {
        Value::Null => Value::Object(Map::new()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => s
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::Array(vec![Value::String(s.clone())])),
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        Value::Object(object) => Value::Array(object.values().cloned().collect()),
    }
}

/// What every failed load must look like.
fn assert_well_formed(file: &Path, text: &str, errors: &LoadErrors) {
    assert!(!errors.0.is_empty(), "an error result without errors");
    let document = serde_json::from_str::<Value>(text).ok();
    for error in &errors.0 {
        assert_eq!(error.file, file);
        assert!(!error.reason.trim().is_empty(), "empty reason: {error:?}");
        assert!(
            !error.reason.contains('\n'),
            "reason on several lines: {error:?}"
        );
        assert!(
            error.pointer.is_empty() || error.pointer.starts_with('/'),
            "not a JSON pointer: {error:?}"
        );
        if let Some(document) = &document {
            assert!(
                document.pointer(&error.pointer).is_some(),
                "pointer names nothing in the document: {error:?}\n{text}"
            );
        }
    }
}

/// A seed (chosen among those of the property's kind) and up to four mutations of it.
fn mutated() -> impl Strategy<Value = (Index, Vec<Mutation>)> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..=4))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_operations_never_panic((seed, mutations) in mutated()) {
        let seeds = &seeds().0;
        let seed = &seeds[seed.index(seeds.len())];
        let text = mutations.iter().fold(seed.text.clone(), apply);
        let first = parse_operation(&seed.file, &text);
        // Deterministic: the same text gives the same answer.
        prop_assert_eq!(&first, &parse_operation(&seed.file, &text));
        match first {
            Ok(spec) => {
                // What the loader accepts, written back out, loads to the same spec.
                let again = serde_json::to_string_pretty(&spec).unwrap();
                prop_assert_eq!(parse_operation(&seed.file, &again), Ok(spec));
            }
            Err(errors) => assert_well_formed(&seed.file, &text, &errors),
        }
    }

    #[test]
    fn mutated_products_never_panic((seed, mutations) in mutated()) {
        let seeds = &seeds().1;
        let seed = &seeds[seed.index(seeds.len())];
        let text = mutations.iter().fold(seed.text.clone(), apply);
        match parse_product(&seed.file, &text) {
            Ok(spec) => {
                let again = serde_json::to_string_pretty(&spec).unwrap();
                prop_assert_eq!(parse_product(&seed.file, &again), Ok(spec));
            }
            Err(errors) => assert_well_formed(&seed.file, &text, &errors),
        }
    }
}

#[test]
fn there_are_seeds_of_both_kinds() {
    let (operations, products) = seeds();
    assert!(
        operations.len() >= 4,
        "{} operation seeds",
        operations.len()
    );
    assert!(products.len() >= 3, "{} product seeds", products.len());
}
