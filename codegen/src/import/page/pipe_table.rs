//! Tables of the pipe layout: `Parameter | Type | Required | Description | Example |`.
//!
//! A row may span several lines when a cell holds a line break: the row is complete once
//! it has every column's separator and ends with `|`. A line without `|` ends the table
//! unless a row is still open.

use super::PageError;
use super::lines::{Page, Section, pipe_cells};

/// One table row: the 1-based line it starts on and its cells (multi-line cells keep their
/// line breaks).
pub(crate) struct PipeRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Finds a header whose cells are `columns` (optionally followed by `optional`) inside
/// `section`; returns its index and how many columns it has.
pub(crate) fn find_header(
    page: &Page,
    section: Section,
    columns: &[&str],
    optional: Option<&str>,
) -> Option<(usize, usize)> {
    (section.start..section.end).find_map(|i| {
        let line = page.line(i);
        if !line.contains('|') {
            return None;
        }
        let cells = pipe_cells(line);
        if cells == columns {
            return Some((i, columns.len()));
        }
        let optional = optional?;
        (cells.len() == columns.len() + 1
            && cells[..columns.len()] == *columns
            && cells[columns.len()] == optional)
            .then_some((i, columns.len() + 1))
    })
}

/// Reads the rows after the header at `header_at` (and its `---|---` rule).
pub(crate) fn read_rows(
    page: &Page,
    section: Section,
    header_at: usize,
    columns: usize,
) -> Result<Vec<PipeRow>, PageError> {
    let mut rows = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut i = header_at + 1;
    if pipe_cells(page.line(i))
        .iter()
        .all(|cell| !cell.is_empty() && cell.chars().all(|c| c == '-' || c == ':'))
    {
        i += 1;
    }
    while i < section.end {
        let line = page.line(i);
        match open.take() {
            None if !line.contains('|') => break,
            None => open = Some((i, line.to_owned())),
            Some((start, mut text)) => {
                text.push('\n');
                text.push_str(line);
                open = Some((start, text));
            }
        }
        if let Some((start, text)) = &open
            && text.trim_end().ends_with('|')
        {
            let cells = pipe_cells(text);
            if cells.len() >= columns {
                if cells.len() > columns {
                    return Err(PageError::at(
                        start + 1,
                        format!(
                            "table row has {} cells but its header has {columns} columns (a `|` inside a cell?); cannot tell which cell it belongs to",
                            cells.len()
                        ),
                    ));
                }
                rows.push(PipeRow {
                    line: start + 1,
                    cells: cells.into_iter().map(str::to_owned).collect(),
                });
                open = None;
            }
        }
        i += 1;
    }
    if let Some((start, _)) = open {
        return Err(PageError::at(
            start + 1,
            format!(
                "table row starting here never completes its {columns} cells: truncated table?"
            ),
        ));
    }
    Ok(rows)
}
