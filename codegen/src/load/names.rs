//! Which names the generator can turn into Rust.
//!
//! The generator derives Rust names with `heck` (`ToSnakeCase` for fields and methods,
//! `ToUpperCamelCase` for types and variants) and escapes Rust keywords, so keywords are
//! fine here. Both conversions keep exactly the ASCII letters and digits of a name and turn
//! everything else into word breaks, so a name is usable when its snake_case form keeps at
//! least one ASCII letter or digit. A leading digit is the generator's to prefix.

use heck::ToSnakeCase;

/// `None` when `name` can become a Rust identifier; otherwise why not.
pub(crate) fn identifier_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("name is empty: it cannot become a Rust identifier".to_owned())
    } else if name
        .to_snake_case()
        .chars()
        .any(|c| c.is_ascii_alphanumeric())
    {
        None
    } else {
        Some(format!(
            "name `{name}` cannot become a Rust identifier: it has no ASCII letter or digit"
        ))
    }
}

/// Whether `action` is a valid operation name: ASCII letters and digits, starting with a
/// letter. Every action of Alibaba's catalog has this form; it is sent in `x-acs-action`,
/// names the spec file and becomes a method name.
pub(crate) fn is_valid_action(action: &str) -> bool {
    let mut chars = action.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Whether `code` is a valid product code: lowercase ASCII letters, digits and `-`, starting
/// with a letter (`adb`, `dataworks-public`), as used in host names and crate names.
pub(crate) fn is_valid_product_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|first| first.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `name` is a valid Cargo package name: ASCII letters, digits, `-` and `_`,
/// starting with a letter.
pub(crate) fn is_valid_crate_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_ascii_letters_or_digits_are_rejected() {
        for bad in ["", "-", "_", "中文", "--__", " "] {
            assert!(identifier_problem(bad).is_some(), "{bad:?} accepted");
        }
        for good in [
            "SourceEndpointInstanceID",
            "type",
            "self",
            "x-oss-meta-*",
            "1Day",
            "a中",
        ] {
            assert!(identifier_problem(good).is_none(), "{good:?} rejected");
        }
    }

    #[test]
    fn action_names() {
        assert!(is_valid_action("CreateAPSJob"));
        for bad in ["", "1Create", "Create-Job", "Create Job", "Créer"] {
            assert!(!is_valid_action(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn product_codes_and_crate_names() {
        assert!(is_valid_product_code("dataworks-public"));
        assert!(!is_valid_product_code("Rds"));
        assert!(!is_valid_product_code(""));
        assert!(is_valid_crate_name("alibabacloud-adb20211201"));
        assert!(!is_valid_crate_name("alibabacloud adb"));
    }
}
