//! Response fields as a tree.
//!
//! Neither layout shows nesting (flattened text loses the indentation, pipe rows have none),
//! so the sample response decides it: a row belongs to the innermost open object whose
//! sample value has a member of that name. Without a sample every row stays at the top
//! level, and the importer says so if that may be wrong.

use super::Note;
use super::row::Row;
use super::sample::Json;
use crate::spec::{Field, FieldType};

/// Builds the response root from the table rows, nesting them along `sample`.
pub(crate) fn from_rows(rows: Vec<Row>, sample: Option<&Json>, notes: &mut Vec<Note>) -> Field {
    let mut rows = rows.into_iter().peekable();
    let mut root = Field {
        ty: Some(FieldType::Object),
        properties: Some(Vec::new()),
        ..Field::default()
    };
    if let Some(first) = rows.peek()
        && first.name.is_empty()
        && first.ty.ty == FieldType::Object
    {
        let first = rows.next().unwrap_or_else(|| unreachable!("peeked"));
        root.description = first.description;
        root.example = first.example;
    }
    // Open containers: (field, sample value of the object whose members are its children).
    let mut stack: Vec<(Field, Option<&Json>)> = vec![(root, sample)];
    for row in rows {
        if sample.is_none() && stack.len() == 1 && row_opens_container(&row) {
            notes.push(Note::at(
                row.line,
                format!("no sample response to show which rows belong to `{}`; the rows after it are kept at the top level", row.name),
            ));
        }
        // An unnamed object row right after an array row describes the array's items.
        if row.name.is_empty() && stack.len() > 1 {
            let (top, _) = stack.last_mut().unwrap_or_else(|| unreachable!("len > 1"));
            if let Some(items) = top.items.as_deref_mut() {
                items.description = row.description;
                continue;
            }
        }
        while stack.len() > 1
            && !stack
                .last()
                .is_some_and(|(_, value)| value.is_some_and(|v| v.get(&row.name).is_some()))
        {
            close(&mut stack);
        }
        let value = stack
            .last()
            .and_then(|(_, value)| *value)
            .and_then(|v| v.get(&row.name));
        let field = field_of(&row);
        if row_opens_container(&row) {
            let members = match value {
                Some(Json::Array(items)) => items.first(),
                other => other,
            };
            stack.push((field, members.filter(|m| matches!(m, Json::Object(_)))));
        } else {
            push_child(&mut stack, field);
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(root, _)| root).unwrap_or_default()
}

fn row_opens_container(row: &Row) -> bool {
    !row.name.is_empty()
        && (row.ty.ty == FieldType::Object || row.ty.items == Some(FieldType::Object))
}

/// Pops the innermost container and attaches it to its parent.
fn close(stack: &mut Vec<(Field, Option<&Json>)>) {
    if let Some((mut field, _)) = stack.pop() {
        // An object the page lists no members for stays free-form (no `properties`).
        if field.properties.as_ref().is_some_and(Vec::is_empty) {
            field.properties = None;
        }
        if let Some(items) = field.items.as_deref_mut()
            && items.properties.as_ref().is_some_and(Vec::is_empty)
        {
            items.properties = None;
        }
        push_child(stack, field);
    }
}

fn push_child(stack: &mut [(Field, Option<&Json>)], child: Field) {
    if let Some((parent, _)) = stack.last_mut() {
        let target = match parent.items.as_deref_mut() {
            Some(items) => items,
            None => parent,
        };
        target.properties.get_or_insert_with(Vec::new).push(child);
    }
}

fn field_of(row: &Row) -> Field {
    let items = row.ty.items.map(|ty| {
        Box::new(Field {
            ty: Some(ty),
            properties: (ty == FieldType::Object).then(Vec::new),
            ..Field::default()
        })
    });
    Field {
        name: Some(row.name.clone()),
        ty: Some(row.ty.ty),
        required: row.required.unwrap_or(false),
        description: row.description.clone(),
        example: row.example.clone(),
        properties: (row.ty.ty == FieldType::Object).then(Vec::new),
        items,
        ..Field::default()
    }
}

/// The response root inferred from a sample alone (the page's table is empty): names,
/// nesting and types from the JSON, examples from its scalar values.
pub(crate) fn from_sample(sample: &Json, line: usize, notes: &mut Vec<Note>) -> Field {
    let mut root = infer(None, sample, line, notes);
    root.example = None;
    root
}

fn infer(name: Option<&str>, value: &Json, line: usize, notes: &mut Vec<Note>) -> Field {
    let mut field = Field {
        name: name.map(str::to_owned),
        ..Field::default()
    };
    match value {
        Json::Object(members) => {
            field.ty = Some(FieldType::Object);
            let properties: Vec<Field> = members
                .iter()
                .map(|(key, member)| infer(Some(key), member, line, notes))
                .collect();
            field.properties = (!properties.is_empty()).then_some(properties);
        }
        Json::Array(items) => {
            field.ty = Some(FieldType::Array);
            let item = match items.first() {
                Some(first) => infer(None, first, line, notes),
                None => {
                    notes.push(Note::at(
                        line,
                        format!(
                            "sample array `{}` is empty; its item type is unknown (any)",
                            name.unwrap_or("")
                        ),
                    ));
                    Field {
                        ty: Some(FieldType::Any),
                        ..Field::default()
                    }
                }
            };
            field.items = Some(Box::new(Field {
                example: None,
                ..item
            }));
        }
        Json::Scalar(scalar) => {
            field.ty = Some(match scalar {
                serde_json::Value::Bool(_) => FieldType::Boolean,
                // The width of a sample integer is unknown; 64 bits holds any of them.
                serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Long,
                serde_json::Value::Number(_) => FieldType::Double,
                serde_json::Value::String(_) => FieldType::String,
                _ => {
                    notes.push(Note::at(
                        line,
                        format!(
                            "sample value of `{}` is null; its type is unknown (any)",
                            name.unwrap_or("")
                        ),
                    ));
                    FieldType::Any
                }
            });
            field.example = match scalar {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            };
        }
    }
    field
}
