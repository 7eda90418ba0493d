//! Parameter tables of the flattened layout.
//!
//! Cells run together: a row is one line `<Name><type><Yes|No>` (request) or `<Name><type>`
//! (response), a blank line, the description's paragraphs, and the example on the last
//! line, right before the next row. The example may follow the description with or without
//! a blank line in between (after a bullet list or a note there is none).

use super::lines::{Page, Section};
use super::row::{Row, split_name_type};
use super::text::{bullet, collapse, is_prose, render};
use super::{Note, PageError};

/// Header line of a request-parameter table.
pub(crate) const REQUEST_HEADER: &str = "ParameterTypeRequiredDescriptionExample";
/// Header line of a response-parameter table.
pub(crate) const RESPONSE_HEADER: &str = "ParameterTypeDescriptionExample";

/// Reads the table under `header` inside `section`; `None` when the section has no such
/// header (an operation without parameters, or a page whose response table is empty).
pub(crate) fn read(
    page: &Page,
    section: Section,
    header: &str,
    notes: &mut Vec<Note>,
) -> Result<Option<Vec<Row>>, PageError> {
    let with_required = header == REQUEST_HEADER;
    let Some(header_at) = (section.start..section.end).find(|&i| page.line(i).trim() == header)
    else {
        return Ok(None);
    };
    let body_start = header_at + 1;
    let heads: Vec<(usize, Head)> = (body_start..section.end)
        .filter_map(|i| {
            let next_blank = i + 1 >= section.end || page.line(i + 1).trim().is_empty();
            if !next_blank {
                return None;
            }
            row_head(page.line(i), with_required).map(|head| (i, head))
        })
        .collect();
    if let Some(unknown) = (body_start..section.end).find(|&i| {
        looks_like_unknown_row(page.line(i), with_required)
            && (i + 1 >= section.end || page.line(i + 1).trim().is_empty())
            && !heads.iter().any(|(at, _)| *at == i)
    }) {
        return Err(PageError::at(
            unknown + 1,
            format!(
                "`{}` looks like a parameter row but its type is not one this importer knows",
                page.line(unknown).trim()
            ),
        ));
    }
    let stray = (body_start..heads.first().map_or(section.end, |(at, _)| *at))
        .find(|&i| !page.line(i).trim().is_empty());
    if let Some(stray) = stray {
        return Err(PageError::at(
            stray + 1,
            format!(
                "expected a parameter row after the table header on line {}, found `{}`",
                header_at + 1,
                page.line(stray).trim()
            ),
        ));
    }
    let mut rows = Vec::with_capacity(heads.len());
    for (k, (at, head)) in heads.iter().enumerate() {
        let block_end = heads.get(k + 1).map_or(section.end, |next| next.0);
        let mut block = page.slice(at + 1, block_end);
        while let [rest @ .., last] = block
            && last.trim().is_empty()
        {
            block = rest;
        }
        let row_line = at + 1;
        let (description, example) = cells(block, row_line, &head.name, notes);
        if description.is_none() && example.is_none() && block_end >= page.len() {
            return Err(PageError::at(
                row_line,
                format!(
                    "row `{}` has no description or example and the page ends: truncated table?",
                    head.name
                ),
            ));
        }
        rows.push(Row {
            line: row_line,
            name: head.name.clone(),
            ty: head.ty,
            required: head.required,
            description,
            example,
        });
    }
    Ok(Some(rows))
}

struct Head {
    name: String,
    ty: super::row::PageType,
    required: Option<bool>,
}

fn row_head(line: &str, with_required: bool) -> Option<Head> {
    let text = line.trim_end();
    if text != text.trim_start() {
        return None;
    }
    let (text, required) = if with_required {
        if let Some(rest) = text.strip_suffix("Yes") {
            (rest, Some(true))
        } else {
            (text.strip_suffix("No")?, Some(false))
        }
    } else {
        (text, None)
    };
    let (name, ty) = split_name_type(text)?;
    if with_required && name.is_empty() {
        return None;
    }
    Some(Head {
        name: name.to_owned(),
        ty,
        required,
    })
}

/// A request row whose type is unknown: `<Name><something>Yes|No` with no spaces.
fn looks_like_unknown_row(line: &str, with_required: bool) -> bool {
    let text = line.trim_end();
    with_required
        && text == text.trim_start()
        && !text.contains(char::is_whitespace)
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && (text.ends_with("Yes") || text.ends_with("No"))
        && text.chars().any(|c| c.is_ascii_lowercase())
        && row_head(text, true).is_none()
}

/// Description and example of one row's block (the lines after the row line).
fn cells(
    block: &[&str],
    row_line: usize,
    name: &str,
    notes: &mut Vec<Note>,
) -> (Option<String>, Option<String>) {
    let non_blank: Vec<&str> = block
        .iter()
        .copied()
        .filter(|line| !line.trim().is_empty())
        .collect();
    match non_blank.as_slice() {
        [] => {
            notes.push(Note::at(
                row_line,
                format!("row `{name}` has neither description nor example"),
            ));
            (None, None)
        }
        [only] if is_prose(only) => (render(block), None),
        [only] => {
            notes.push(Note::at(
                row_line,
                format!(
                    "row `{name}` has one line, `{}`; read as its example (no description)",
                    only.trim()
                ),
            ));
            (None, example_value(only))
        }
        [.., last] if bullet(last).is_some() || last.trim_start().starts_with("Note ") => {
            (render(block), None)
        }
        _ => {
            let last_at = block
                .iter()
                .rposition(|line| !line.trim().is_empty())
                .unwrap_or(0);
            (render(&block[..last_at]), example_value(block[last_at]))
        }
    }
}

/// An example cell; the page prints `-` for none.
pub(crate) fn example_value(cell: &str) -> Option<String> {
    let value = collapse(cell);
    (!value.is_empty() && value != "-").then_some(value)
}
