//! The page as numbered lines, cut into the sections its headings open.

use super::PageError;

/// Section headings of an API reference page, each alone on its line, in both layouts.
pub(crate) const HEADINGS: &[&str] = &[
    "Operation description",
    "Debugging",
    "Authorization information",
    "Request parameters",
    "Response parameters",
    "Examples",
    "Error codes",
    "Change history",
];

/// Navigation lines that precede the title on a saved page; never the summary.
const NAVIGATION: &[&str] = &["All Products", "Search", "Document Center"];

/// A saved page: its lines, indexed from 0 internally and reported from 1.
pub(crate) struct Page<'a> {
    lines: Vec<&'a str>,
    sections: Vec<Section>,
}

/// A section: the heading's index and the half-open range of its body lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    pub name: &'static str,
    pub heading: usize,
    pub start: usize,
    pub end: usize,
}

impl<'a> Page<'a> {
    /// Splits `text` into lines (a trailing `\r` is dropped) and finds the sections.
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut found: Vec<(&'static str, usize)> = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            let trimmed = line.trim();
            if let Some(name) = HEADINGS.iter().find(|heading| **heading == trimmed) {
                // The first occurrence opens the section; a later identical line is text.
                if !found.iter().any(|(seen, _)| seen == name) {
                    found.push((name, index));
                }
            }
        }
        let sections = found
            .iter()
            .enumerate()
            .map(|(i, &(name, heading))| Section {
                name,
                heading,
                start: heading + 1,
                end: found.get(i + 1).map_or(lines.len(), |next| next.1),
            })
            .collect();
        Page { lines, sections }
    }

    /// Line `index` (0-based), or "" past the end.
    pub fn line(&self, index: usize) -> &'a str {
        self.lines.get(index).copied().unwrap_or("")
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Lines `start..end` (0-based, half-open).
    pub fn slice(&self, start: usize, end: usize) -> &[&'a str] {
        &self.lines[start.min(self.lines.len())..end.min(self.lines.len())]
    }

    /// The section opened by `name`, if the page has it.
    pub fn section(&self, name: &str) -> Option<Section> {
        self.sections
            .iter()
            .copied()
            .find(|section| section.name == name)
    }

    /// Index of the first heading line (the end of the page's preamble).
    pub fn preamble_end(&self) -> usize {
        self.sections
            .first()
            .map_or(self.lines.len(), |section| section.heading)
    }

    /// Checks that this is an API reference page at all and is not cut short.
    pub fn check_kind(&self) -> Result<(), PageError> {
        if self.lines.iter().all(|line| line.trim().is_empty()) {
            return Err(PageError::at(1, "the page is empty"));
        }
        let Some(request) = self.section("Request parameters") else {
            return Err(PageError::at(
                1,
                format!(
                    "not an API reference page: none of its {} lines is a \"Request parameters\" heading",
                    self.lines.len()
                ),
            ));
        };
        for required in ["Response parameters", "Examples"] {
            if self.section(required).is_none() {
                return Err(PageError::at(
                    self.lines.len().max(request.heading + 1),
                    format!(
                        "the page ends without a \"{required}\" heading after \"Request parameters\" (line {}): truncated page?",
                        request.heading + 1
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Non-blank preamble lines (before the first heading) that are not site navigation, with
    /// their indices.
    pub fn preamble(&self) -> Vec<(usize, &'a str)> {
        (0..self.preamble_end())
            .map(|index| (index, self.lines[index].trim()))
            .filter(|(_, line)| !line.is_empty() && !NAVIGATION.contains(line))
            .collect()
    }
}

/// Splits a pipe-table line into trimmed cells, dropping the empty cells that a leading or
/// trailing `|` leaves.
pub(crate) fn pipe_cells(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(str::trim).collect()
}
