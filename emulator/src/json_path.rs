//! Reading and writing a response body and its schema by a path of wire names (the paths
//! `alibabacloud_codegen::paging` and the waiter table speak in), through objects only.
//!
//! Writes create the objects a sample leaves out, so a page or a status can be put into
//! any answer whose schema has the field, whatever the page's sample happens to show.

use std::collections::BTreeMap;

use alibabacloud_codegen::spec::{Field, FieldType};
use serde_json::{Map, Value};

use crate::validate::resolve;

/// The value at `path`, if every step is an object member.
pub(crate) fn get<'v>(root: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, step| value.get(step))
}

/// Puts `new` at `path`, replacing whatever is on the way that is not an object (a
/// sample's `null` or `"-"` placeholder) by an empty object.
pub(crate) fn set(root: &mut Value, path: &[String], new: Value) {
    let Some((last, parents)) = path.split_last() else {
        *root = new;
        return;
    };
    let mut current = root;
    for step in parents {
        current = object_of(current)
            .entry(step.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    object_of(current).insert(last.clone(), new);
}

/// Removes the member at `path`, when it is there.
pub(crate) fn remove(root: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = root;
    for step in parents {
        match current.get_mut(step) {
            Some(next) => current = next,
            None => return,
        }
    }
    if let Some(object) = current.as_object_mut() {
        object.remove(last);
    }
}

fn object_of(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    match value {
        Value::Object(map) => map,
        _ => unreachable!("replaced by an object just above"),
    }
}

/// The schema field at `path` below `root` (resolved), through objects only.
pub(crate) fn field_at<'a>(
    root: &'a Field,
    schemas: &'a BTreeMap<String, Field>,
    path: &[String],
) -> Option<&'a Field> {
    let mut field = resolve(root, schemas);
    for step in path {
        if field.ty != Some(FieldType::Object) {
            return None;
        }
        let member = field
            .properties
            .iter()
            .flatten()
            .find(|p| p.name.as_deref() == Some(step.as_str()))?;
        field = resolve(member, schemas);
    }
    Some(field)
}

/// `value` typed as the schema field says: a number for integer fields when it parses as
/// one, text otherwise (so `"3"` goes out as `3` where the page types it as an integer).
pub(crate) fn typed(field: Option<&Field>, value: &str) -> Value {
    let integer = field.is_some_and(|f| matches!(f.ty, Some(FieldType::Integer | FieldType::Long)));
    match value.parse::<i64>() {
        Ok(number) if integer => Value::from(number),
        _ => Value::String(value.to_owned()),
    }
}

/// A dotted path (`APSJobDetail.Status`) as its steps.
pub(crate) fn split(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(dotted: &str) -> Vec<String> {
        split(dotted)
    }

    #[test]
    fn set_creates_the_objects_on_the_way_and_remove_is_lenient() {
        let mut value = json!({"A": null, "B": 1});
        set(&mut value, &path("A.X.Y"), json!([1]));
        set(&mut value, &path("B"), json!("two"));
        assert_eq!(value, json!({"A": {"X": {"Y": [1]}}, "B": "two"}));
        assert_eq!(get(&value, &path("A.X.Y")), Some(&json!([1])));
        assert_eq!(get(&value, &path("A.Z")), None);
        remove(&mut value, &path("A.X.Y"));
        remove(&mut value, &path("Q.R"));
        remove(&mut value, &[]);
        assert_eq!(value, json!({"A": {"X": {}}, "B": "two"}));
    }

    #[test]
    fn values_follow_the_schema_type() {
        let integer: Field = serde_json::from_value(json!({"type": "integer"})).unwrap();
        let text: Field = serde_json::from_value(json!({"type": "string"})).unwrap();
        assert_eq!(typed(Some(&integer), "3"), json!(3));
        assert_eq!(typed(Some(&integer), "x"), json!("x"));
        assert_eq!(typed(Some(&text), "3"), json!("3"));
        assert_eq!(typed(None, "3"), json!("3"));
    }
}
