//! Importer for API reference pages saved as text.
//!
//! Alibaba Cloud's reference pages come in two text layouts (see `shared/seeds/`):
//!
//! * **flattened**: table cells run together line by line (`DbListstringYes`, then the
//!   description's paragraphs, then the example); error rows are one unseparated line;
//! * **pipe tables**: `Parameter | Type | Required | Description | Example |`.
//!
//! [`import_page`] reads either into an [`OperationSpec`] draft holding what the page says:
//! action, summary, description, provenance (file, title, "Last Updated" date), request
//! parameters, response fields (nested along the sample response, or inferred from it when
//! the page's table is empty), samples verbatim and every error row. What the page does not
//! say (wire locations, methods, endpoints, bounds) comes from the spec the page belongs to,
//! through [`merge_wire_facts`]; [`differences`] compares a re-import with a committed spec.
//!
//! The importer never guesses silently: where the text is ambiguous it decides by the
//! evidence it has and records a [`Note`] with the page line; where the page is broken
//! (empty, of another kind, truncated) it fails with a [`PageError`] naming the line.

mod compare;
mod error_rows;
mod flat_table;
mod lines;
mod merge;
mod pipe_table;
mod row;
mod sample;
mod text;
mod tree;

use std::fmt;

pub use compare::{Difference, differences};
pub use merge::merge_wire_facts;

use crate::spec::{Field, FieldType, OperationSpec, PageSource, Source};
use lines::{Page, Section, pipe_cells};
use row::{Row, parse_type};
use sample::Json;

/// The relative path every spec file uses for its `$schema` editor hint.
pub const SCHEMA_HINT: &str = "../../schema.json";

/// What the caller knows that the page may not say.
#[derive(Debug, Clone, Copy)]
pub struct PageOptions<'a> {
    /// File name of the saved page, recorded as `source.page.file`.
    pub file_name: &'a str,
    /// The operation's wire name, for pages without a title line (`Product:Action`).
    pub action: Option<&'a str>,
}

/// The two text layouts of a saved page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Table cells run together line by line.
    Flattened,
    /// `|`-separated table rows.
    PipeTable,
}

/// A page read into a spec draft.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    /// The draft: everything the page states; no locations, methods or discrepancies.
    pub spec: OperationSpec,
    /// The layout the page was read as.
    pub layout: Layout,
    /// Decisions the importer could not make from the text alone, with their lines.
    pub notes: Vec<Note>,
}

/// An import decision a maintainer should check, at a 1-based page line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based page line.
    pub line: usize,
    /// What was decided and why.
    pub message: String,
}

impl Note {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> Self {
        Note {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A page the importer cannot read, with the 1-based line where reading failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    /// 1-based page line.
    pub line: usize,
    /// What is wrong there.
    pub reason: String,
}

impl PageError {
    pub(crate) fn at(line: usize, reason: impl Into<String>) -> Self {
        PageError {
            line,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for PageError {}

/// Reads a saved reference page into a spec draft.
pub fn import_page(text: &str, options: PageOptions<'_>) -> Result<ImportedPage, PageError> {
    let page = Page::new(text);
    page.check_kind()?;
    let layout = detect_layout(&page);
    let mut notes = Vec::new();
    let heading = read_heading(&page, options)?;
    let description = page
        .section("Operation description")
        .and_then(|section| text::render(page.slice(section.start, section.end)));
    let request_section = require(&page, "Request parameters")?;
    let request_rows = match layout {
        Layout::Flattened => flat_table::read(
            &page,
            request_section,
            flat_table::REQUEST_HEADER,
            &mut notes,
        )?
        .unwrap_or_default(),
        Layout::PipeTable => pipe_rows(
            &page,
            request_section,
            &["Parameter", "Type", "Required", "Description", "Example"],
        )?,
    };
    if let Some(container) = request_rows
        .iter()
        .rev()
        .skip(1)
        .find(|row| row.ty.ty == FieldType::Object || row.ty.items == Some(FieldType::Object))
    {
        notes.push(Note::at(
            container.line,
            format!("the page does not show which rows belong to `{}`; all request rows are kept at the top level", container.name),
        ));
    }
    let request = request_rows.iter().map(request_field).collect();

    let samples = sample::read(&page, require(&page, "Examples")?, &mut notes)?;
    let success_sample = samples
        .iter()
        .filter(|found| {
            !found.sample.error && found.sample.format == crate::spec::SampleFormat::Json
        })
        .find_map(|found| Json::parse(&found.sample.body).map(|json| (json, found.line)));

    let response_section = require(&page, "Response parameters")?;
    let response_rows = match layout {
        Layout::Flattened => flat_table::read(
            &page,
            response_section,
            flat_table::RESPONSE_HEADER,
            &mut notes,
        )?
        .unwrap_or_default(),
        Layout::PipeTable => pipe_rows(
            &page,
            response_section,
            &["Parameter", "Type", "Description", "Example"],
        )?,
    };
    let response = if !response_rows.is_empty() {
        tree::from_rows(
            response_rows,
            success_sample.as_ref().map(|(json, _)| json),
            &mut notes,
        )
    } else if let Some((json, line)) = &success_sample {
        notes.push(Note::at(
            response_section.heading + 1,
            format!("the response table is empty; fields, nesting, types and examples are taken from the sample response on line {line} (no descriptions)"),
        ));
        tree::from_sample(json, *line, &mut notes)
    } else {
        notes.push(Note::at(
            response_section.heading + 1,
            "the page lists no response fields and has no JSON sample response",
        ));
        Field {
            ty: Some(FieldType::Object),
            ..Field::default()
        }
    };

    let errors = match page.section("Error codes") {
        Some(section) => error_rows::read(&page, section, &mut notes)?,
        None => Vec::new(),
    };

    let spec = OperationSpec {
        schema: Some(SCHEMA_HINT.to_owned()),
        action: heading.action,
        summary: heading.summary,
        description,
        source: Source {
            page: Some(PageSource {
                file: options.file_name.to_owned(),
                title: heading.title,
                last_updated: heading.last_updated,
            }),
            metadata: None,
        },
        methods: Vec::new(),
        path: "/".to_owned(),
        deprecated: false,
        operation_type: None,
        consumes: Vec::new(),
        produces: Vec::new(),
        asynchronous: None,
        security: Vec::new(),
        request,
        response,
        response_headers: Vec::new(),
        samples: samples.into_iter().map(|found| found.sample).collect(),
        errors,
        discrepancies: Vec::new(),
    };
    notes.sort_by_key(|note| note.line);
    Ok(ImportedPage {
        spec,
        layout,
        notes,
    })
}

/// Serialises a spec exactly as committed spec files are written: pretty JSON (two-space
/// indent) and a final newline, so a re-import of an unchanged page produces no diff.
pub fn to_json(spec: &OperationSpec) -> String {
    let mut text = serde_json::to_string_pretty(spec)
        .unwrap_or_else(|e| unreachable!("spec types always serialise: {e}"));
    text.push('\n');
    text
}

fn require(page: &Page, name: &str) -> Result<Section, PageError> {
    page.section(name).ok_or_else(|| {
        PageError::at(
            page.len().max(1),
            format!("the page has no \"{name}\" section"),
        )
    })
}

/// Pipe pages have `|` table headers; flattened ones have none.
fn detect_layout(page: &Page) -> Layout {
    const PIPE_HEADERS: &[&[&str]] = &[
        &["Parameter", "Type", "Required", "Description", "Example"],
        &["Parameter", "Type", "Description", "Example"],
        &["HTTP status code", "Error code", "Error message"],
        &[
            "HTTP status code",
            "Error code",
            "Error message",
            "Description",
        ],
    ];
    let is_pipe = (0..page.len()).any(|i| {
        let line = page.line(i);
        line.contains('|') && PIPE_HEADERS.contains(&pipe_cells(line).as_slice())
    });
    if is_pipe {
        Layout::PipeTable
    } else {
        Layout::Flattened
    }
}

/// Title, date, summary and action from the lines before the first section.
struct Heading {
    action: String,
    summary: String,
    title: Option<String>,
    last_updated: Option<String>,
}

fn read_heading(page: &Page, options: PageOptions<'_>) -> Result<Heading, PageError> {
    const LAST_UPDATED: &str = "Last Updated:";
    let preamble = page.preamble();
    let dated = preamble
        .iter()
        .position(|(_, line)| line.starts_with(LAST_UPDATED));
    let last_updated = dated.map(|at| preamble[at].1[LAST_UPDATED.len()..].trim().to_owned());
    let title_at = match dated {
        Some(at) => at
            .checked_sub(1)
            .filter(|&t| title_action(preamble[t].1).is_some()),
        None => preamble
            .iter()
            .position(|(_, line)| title_action(line).is_some()),
    };
    let title = title_at.map(|t| preamble[t].1.to_owned());
    let summary_from = dated.or(title_at).map_or(0, |at| at + 1);
    let summary = preamble[summary_from.min(preamble.len())..]
        .iter()
        .find(|(_, line)| !line.starts_with(LAST_UPDATED))
        .map(|(_, line)| text::collapse(line))
        .ok_or_else(|| {
            PageError::at(
                page.preamble_end() + 1,
                "no summary line before the first section",
            )
        })?;
    let titled = title_at
        .and_then(|t| title_action(preamble[t].1).map(|action| (preamble[t].0 + 1, action)));
    let action = match (titled, options.action) {
        (Some((line, from_title)), Some(given)) if from_title != given => {
            return Err(PageError::at(
                line,
                format!("the page title names `{from_title}` but the action given is `{given}`"),
            ));
        }
        (Some((_, from_title)), _) => from_title.to_owned(),
        (None, Some(given)) => given.to_owned(),
        (None, None) => {
            return Err(PageError::at(
                preamble.first().map_or(1, |(index, _)| index + 1),
                "the page has no title line (`Product:Action`) naming the operation; give the action explicitly",
            ));
        }
    };
    Ok(Heading {
        action,
        summary,
        title,
        last_updated,
    })
}

/// The action named by a title line such as `AnalyticDB:CreateAPSJob`.
fn title_action(line: &str) -> Option<&str> {
    let (product, action) = line.rsplit_once(':')?;
    let valid = !product.trim().is_empty()
        && !product.starts_with("Last Updated")
        && action.starts_with(|c: char| c.is_ascii_uppercase())
        && action.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(action)
}

/// Rows of a pipe table under a header with `columns`; none when the section has no table.
fn pipe_rows(page: &Page, section: Section, columns: &[&str]) -> Result<Vec<Row>, PageError> {
    let Some((header_at, count)) = pipe_table::find_header(page, section, columns, None) else {
        return Ok(Vec::new());
    };
    let with_required = columns.contains(&"Required");
    pipe_table::read_rows(page, section, header_at, count)?
        .into_iter()
        .map(|cells| {
            let line = cells.line;
            let cell = |i: usize| cells.cells[i].as_str();
            let ty = parse_type(cell(1))
                .ok_or_else(|| PageError::at(line, format!("unknown type `{}`", cell(1))))?;
            let (required, rest) = if with_required {
                let required = match cell(2) {
                    "Yes" => true,
                    "No" => false,
                    other => {
                        return Err(PageError::at(
                            line,
                            format!("the Required column says `{other}`, not Yes or No"),
                        ));
                    }
                };
                (Some(required), 3)
            } else {
                (None, 2)
            };
            let name = cell(0).to_owned();
            if !row::is_wire_name(&name) || (with_required && name.is_empty()) {
                return Err(PageError::at(
                    line,
                    format!("`{name}` is not a parameter name"),
                ));
            }
            Ok(Row {
                line,
                name,
                ty,
                required,
                description: text::render(&cell(rest).lines().collect::<Vec<_>>()),
                example: flat_table::example_value(cell(rest + 1)),
            })
        })
        .collect()
}

/// A request parameter, with the flags its name and example imply.
fn request_field(row: &Row) -> Field {
    let lower = row.name.to_ascii_lowercase();
    let is_string = row.ty.ty == FieldType::String;
    Field {
        name: Some(row.name.clone()),
        ty: Some(row.ty.ty),
        required: row.required.unwrap_or(false),
        description: row.description.clone(),
        example: row.example.clone(),
        // Secrets must never be printed; the pages name them plainly.
        sensitive: lower.contains("password") || lower.contains("secret"),
        // `ClientToken` is Alibaba's idempotency parameter throughout the catalog.
        idempotency_token: row.name == "ClientToken",
        // A string whose example is a JSON object or array carries JSON.
        json: is_string
            && row
                .example
                .as_deref()
                .and_then(Json::parse)
                .is_some_and(|json| matches!(json, Json::Object(_) | Json::Array(_))),
        items: row.ty.items.map(|ty| {
            Box::new(Field {
                ty: Some(ty),
                ..Field::default()
            })
        }),
        ..Field::default()
    }
}

#[cfg(test)]
mod tests;
