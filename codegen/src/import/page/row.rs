//! One row of a parameter table, whatever the layout, and the page's type names.

use crate::spec::FieldType;

/// A parameter or response-field row as the page prints it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// 1-based page line of the row's first line.
    pub line: usize,
    /// Wire name; empty for the response root and array items.
    pub name: String,
    pub ty: PageType,
    /// The "Required" column; `None` in response tables.
    pub required: Option<bool>,
    pub description: Option<String>,
    pub example: Option<String>,
}

/// A type as pages print it: a scalar or object name, or `array<item>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageType {
    pub ty: FieldType,
    /// Item type of `array<item>`.
    pub items: Option<FieldType>,
}

/// Type names pages use, longest first so that a suffix match prefers the longer name.
const NAMES: &[(&str, FieldType)] = &[
    ("integer", FieldType::Integer),
    ("boolean", FieldType::Boolean),
    ("string", FieldType::String),
    ("object", FieldType::Object),
    ("number", FieldType::Number),
    ("double", FieldType::Double),
    ("binary", FieldType::Binary),
    ("array", FieldType::Array),
    ("float", FieldType::Float),
    ("long", FieldType::Long),
    ("any", FieldType::Any),
];

/// Parses a whole type cell (`string`, `long`, `array<object>`).
pub(crate) fn parse_type(cell: &str) -> Option<PageType> {
    let cell = cell.trim();
    if let Some(inner) = cell
        .strip_prefix("array<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        let items = scalar(inner)?;
        return Some(PageType {
            ty: FieldType::Array,
            items: Some(items),
        });
    }
    scalar(cell).map(|ty| PageType { ty, items: None })
}

fn scalar(name: &str) -> Option<FieldType> {
    NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, ty)| *ty)
}

/// Splits `text` into `(name, type)` where the type is the page type name that `text` ends
/// with and the name is what precedes it (flattened rows print `DbListstring`). Type names
/// are lowercase and wire names start upper- or lowercase but never end in a type name in
/// practice, so the longest type suffix that leaves a valid name wins.
pub(crate) fn split_name_type(text: &str) -> Option<(&str, PageType)> {
    let mut best: Option<(&str, PageType)> = None;
    let mut consider = |suffix_len: usize, ty: PageType| {
        let name = &text[..text.len() - suffix_len];
        if is_wire_name(name) && best.is_none_or(|(current, _)| name.len() < current.len()) {
            best = Some((name, ty));
        }
    };
    if text.ends_with('>')
        && let Some(open) = text.rfind("array<")
        && let Some(ty) = parse_type(&text[open..])
    {
        consider(text.len() - open, ty);
    }
    for (known, ty) in NAMES {
        if text.ends_with(known) {
            consider(
                known.len(),
                PageType {
                    ty: *ty,
                    items: None,
                },
            );
        }
    }
    best
}

/// Wire names: letters, digits, `_`, `.` and `-`, or empty (response root, array items).
pub(crate) fn is_wire_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && name.chars().next().is_none_or(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fused_name_and_type() {
        let (name, ty) = split_name_type("DbListstring").unwrap();
        assert_eq!((name, ty.ty), ("DbList", FieldType::String));
        let (name, ty) = split_name_type("HttpStatusCodeinteger").unwrap();
        assert_eq!((name, ty.ty), ("HttpStatusCode", FieldType::Integer));
        let (name, ty) = split_name_type("object").unwrap();
        assert_eq!((name, ty.ty), ("", FieldType::Object));
        let (name, ty) = split_name_type("Tagsarray<object>").unwrap();
        assert_eq!(
            (name, ty.ty, ty.items),
            ("Tags", FieldType::Array, Some(FieldType::Object))
        );
        assert_eq!(split_name_type("cn-hangzhou"), None);
        assert_eq!(split_name_type("The region ID."), None);
    }
}
