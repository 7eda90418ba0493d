//! Rust names for wire names: case conversion with `heck`, keyword escaping, and
//! deterministic collision resolution.
//!
//! Every function here is total: any string (empty, punctuation only, non-ASCII, starting
//! with a digit, a Rust keyword) becomes a valid identifier, so the generator never emits
//! code that does not parse. The loader rejects names a human would not want; this module
//! only guarantees that whatever reaches it compiles and is named the same way every run.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition up to 2024, strict and reserved. A field or method with one of
/// these names is written as a raw identifier (`r#type`) or, where Rust forbids raw
/// identifiers, with a trailing underscore (`self_`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is an error).
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super"];

/// Used when a wire name has no ASCII letter or digit at all (`"-"`, `"名称"`).
const FALLBACK_SNAKE: &str = "unnamed";
/// The type-name counterpart of [`FALLBACK_SNAKE`].
const FALLBACK_CAMEL: &str = "Unnamed";

/// `snake_case` identifier for a field, method or module: `SourceEndpointInstanceID` →
/// `source_endpoint_instance_id`, `type` → `r#type`, `self` → `self_`, `3DES` → `_3des`.
///
/// The result is the identifier as written in source, so it may start with `r#`; use
/// [`bare`] for the file name of a module.
pub fn snake(wire: &str) -> String {
    escape(ascii_only(&wire.to_snake_case(), FALLBACK_SNAKE))
}

/// `UpperCamelCase` identifier for a type or variant: `CreateAPSJob` → `CreateApsJob`,
/// `Pay.NoCreditCard` → `PayNoCreditCard`, `Self` → `Self_`, `400` → `_400`.
pub fn camel(wire: &str) -> String {
    escape(camel_part(wire))
}

/// `UpperCamelCase` text to append to another name (`Data` in `CreateDiSyncTaskResponseData`):
/// like [`camel`] but not escaped, since a suffix is never a keyword and never leads.
pub fn camel_part(wire: &str) -> String {
    ascii_only(&wire.to_upper_camel_case(), FALLBACK_CAMEL)
}

/// The identifier without a raw prefix: `r#type` → `type`. Module file names use it.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Keeps ASCII letters, digits and underscores (heck keeps other Unicode letters, which
/// would trip `uncommon_codepoints` and be unreadable for most users anyway), and trims the
/// underscores that dropping characters can leave at the ends.
fn ascii_only(converted: &str, fallback: &str) -> String {
    let kept: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut collapsed = String::with_capacity(kept.len());
    for c in kept.chars() {
        // Dropped characters can leave `a__b`, which `non_snake_case` rejects.
        if c == '_' && collapsed.ends_with('_') {
            continue;
        }
        collapsed.push(c);
    }
    let trimmed = collapsed.trim_matches('_');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Makes a converted name a valid identifier: a leading digit gets a leading underscore,
/// keywords become raw identifiers or get a trailing underscore.
fn escape(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// A namespace in which every name handed out is distinct (a struct's fields, an enum's
/// variants, a crate's types).
///
/// The first claimant of a name gets it as is; later claimants get the lowest free numeric
/// suffix (`db_name_2`, `PayNoCreditCard2`). Since claims follow spec order (page order,
/// operations sorted by action), the outcome is the same every run and a name only moves
/// when something before it in the spec changes.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

/// How a suffix is joined to a colliding name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `db_name` → `db_name_2`.
    Snake,
    /// `PayNoCreditCard` → `PayNoCreditCard2`.
    Camel,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace whose `reserved` names are already taken (a builder's own methods, the
    /// crate's `Client`).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Whether `name` is already taken (raw prefix ignored: `r#type` and `type` are the same
    /// identifier).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(bare(name))
    }

    /// Claims `candidate`, or the first free suffixed variant of it, and returns what was
    /// claimed.
    pub fn claim(&mut self, candidate: &str, case: Case) -> String {
        let mut n = 1;
        let mut name = candidate.to_owned();
        while self.is_taken(&name) {
            n += 1;
            name = with_suffix(candidate, n, case);
        }
        self.taken.insert(bare(&name).to_owned());
        name
    }

    /// Claims every name of a group together (an operation's `XRequest`, `XBuilder`,
    /// `XResponse`, `XError`): `make(base)` gives the group; if any member is taken, the base
    /// gets the next suffix and the whole group is tried again. Returns the base used.
    pub fn claim_group(&mut self, base: &str, make: impl Fn(&str) -> Vec<String>) -> String {
        let mut n = 1;
        let mut chosen = base.to_owned();
        loop {
            let group = make(&chosen);
            let distinct: BTreeSet<&str> = group.iter().map(|name| bare(name)).collect();
            if distinct.len() == group.len() && group.iter().all(|name| !self.is_taken(name)) {
                for name in group {
                    self.taken.insert(bare(&name).to_owned());
                }
                return chosen;
            }
            n += 1;
            chosen = with_suffix(base, n, Case::Camel);
        }
    }
}

/// `name` with the numeric suffix `n`, kept a valid identifier: a raw or underscore-escaped
/// keyword stops being a keyword once suffixed (`r#type` → `type_2`, `self_` → `self_2`).
fn with_suffix(name: &str, n: u32, case: Case) -> String {
    let stem = bare(name).trim_end_matches('_');
    match case {
        Case::Snake => format!("{stem}_{n}"),
        Case::Camel => format!("{stem}{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_heck() {
        assert_eq!(snake("CreateAPSJob"), "create_aps_job");
        assert_eq!(camel("CreateAPSJob"), "CreateApsJob");
        assert_eq!(snake("CreateDISyncTask"), "create_di_sync_task");
        assert_eq!(camel("CreateDISyncTask"), "CreateDiSyncTask");
        assert_eq!(snake("CreateReplicationLink"), "create_replication_link");
    }

    #[test]
    fn field_names_follow_heck() {
        assert_eq!(
            snake("SourceEndpointInstanceID"),
            "source_endpoint_instance_id"
        );
        assert_eq!(snake("DBInstanceId"), "db_instance_id");
        assert_eq!(snake("RegionId"), "region_id");
        assert_eq!(snake("Tag.1.Key"), "tag_1_key");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("Match"), "r#match");
        assert_eq!(snake("Async"), "r#async");
        assert_eq!(snake("Gen"), "r#gen");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("Crate"), "crate_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("Type"), "Type");
        assert_eq!(bare("r#type"), "type");
        assert_eq!(bare("region_id"), "region_id");
    }

    #[test]
    fn leading_digits_get_an_underscore() {
        assert_eq!(snake("3DESKey"), "_3des_key");
        assert_eq!(camel("400"), "_400");
        assert_eq!(camel("2FA.Required"), "_2faRequired");
    }

    #[test]
    fn error_codes_with_dots_and_underscores() {
        assert_eq!(camel("Pay.NoCreditCard"), "PayNoCreditCard");
        assert_eq!(camel("pay.noCreditCard"), "PayNoCreditCard");
        assert_eq!(
            camel("InvalidDBInstanceId.NotFound"),
            "InvalidDbInstanceIdNotFound"
        );
        assert_eq!(camel("Throttling.User"), "ThrottlingUser");
        assert_eq!(camel("INVALID_PARAM"), "InvalidParam");
        assert_eq!(camel("Invalid-Param.%s"), "InvalidParamS");
    }

    #[test]
    fn names_without_ascii_letters_fall_back() {
        assert_eq!(snake(""), "unnamed");
        assert_eq!(snake("-"), "unnamed");
        assert_eq!(snake("名称"), "unnamed");
        assert_eq!(camel("名称"), "Unnamed");
        assert_eq!(snake("名称Id"), "id");
        assert_eq!(snake("a名b"), "ab");
    }

    #[test]
    fn collisions_get_numbered_suffixes_in_claim_order() {
        let mut fields = Namespace::new();
        assert_eq!(fields.claim(&snake("DBName"), Case::Snake), "db_name");
        assert_eq!(fields.claim(&snake("DbName"), Case::Snake), "db_name_2");
        assert_eq!(fields.claim(&snake("dbName"), Case::Snake), "db_name_3");

        let mut variants = Namespace::with_reserved(&["Unhandled"]);
        assert_eq!(
            variants.claim(&camel("Pay.NoCreditCard"), Case::Camel),
            "PayNoCreditCard"
        );
        assert_eq!(
            variants.claim(&camel("pay.noCreditCard"), Case::Camel),
            "PayNoCreditCard2"
        );
        assert_eq!(
            variants.claim(&camel("Unhandled"), Case::Camel),
            "Unhandled2"
        );
    }

    #[test]
    fn suffixed_keywords_are_plain_identifiers() {
        let mut fields = Namespace::new();
        assert_eq!(fields.claim(&snake("Type"), Case::Snake), "r#type");
        assert_eq!(fields.claim(&snake("type"), Case::Snake), "type_2");
        let mut methods = Namespace::with_reserved(&["build"]);
        assert_eq!(methods.claim(&snake("Build"), Case::Snake), "build_2");
        assert_eq!(methods.claim(&snake("Self"), Case::Snake), "self_");
        assert_eq!(methods.claim(&snake("self"), Case::Snake), "self_2");
    }

    #[test]
    fn raw_and_bare_spellings_are_one_name() {
        let mut fields = Namespace::with_reserved(&["type"]);
        assert!(fields.is_taken("r#type"));
        assert_eq!(fields.claim("r#type", Case::Snake), "type_2");
    }

    #[test]
    fn groups_move_together() {
        let group = |base: &str| {
            ["Request", "Builder", "Response", "Error"]
                .iter()
                .map(|suffix| format!("{base}{suffix}"))
                .collect::<Vec<_>>()
        };
        let mut types = Namespace::with_reserved(&["Client"]);
        assert_eq!(types.claim_group("GetFoo", group), "GetFoo");
        // `getFoo` converts to the same base: the whole second group moves.
        assert_eq!(types.claim_group("GetFoo", group), "GetFoo2");
        assert!(types.is_taken("GetFoo2Error"));
        // A nested type that would shadow an operation's type is renamed instead.
        assert_eq!(types.claim("GetFooRequest", Case::Camel), "GetFooRequest2");
        // An operation whose group meets an already-claimed name moves as a whole.
        types.claim("ListBuilder", Case::Camel);
        assert_eq!(types.claim_group("List", group), "List2");
    }
}
