//! Descriptions: page text lines become one normalised string.
//!
//! Whitespace runs collapse to one space, paragraphs (runs of non-blank lines) are separated
//! by a blank line, lines inside a paragraph by a newline, and bullets (`•` or `-`) become
//! Markdown list items (`- `), indented two spaces per nesting level, so that the text
//! renders as the page showed it in generated docs. Words are never changed.

/// `s` with every whitespace run replaced by one space, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bullet item on `line`, with its nesting depth, if the line is one.
pub(crate) fn bullet(line: &str) -> Option<(usize, &str)> {
    let rest = line.trim_start();
    let indent: usize = line[..line.len() - rest.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let item = if let Some(item) = rest.strip_prefix('•') {
        item
    } else {
        rest.strip_prefix("- ")?
    };
    // Flattened pages indent top-level bullets by two spaces and nested ones by four.
    Some((indent / 4, item.trim()))
}

/// Renders description lines; `None` when they hold no text.
pub(crate) fn render<S: AsRef<str>>(lines: &[S]) -> Option<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        let line = line.as_ref();
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        match bullet(line) {
            Some((depth, item)) => {
                current.push(format!("{}- {}", "  ".repeat(depth), collapse(item)))
            }
            None => current.push(collapse(line)),
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    if paragraphs.is_empty() {
        return None;
    }
    Some(
        paragraphs
            .iter()
            .map(|paragraph| paragraph.join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
}

/// Whether `line` reads as prose (a sentence) rather than a value: it has a space or ends
/// like a sentence.
pub(crate) fn is_prose(line: &str) -> bool {
    let line = line.trim();
    line.contains(char::is_whitespace) || line.ends_with(['.', ':', '!', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_bullets() {
        let lines = [
            "",
            "Indicates whether   the request was successful. Valid values:",
            "",
            "  • true",
            "    • nested",
            "  • false",
            "Note Something.",
        ];
        assert_eq!(
            render(&lines).as_deref(),
            Some(
                "Indicates whether the request was successful. Valid values:\n\n- true\n  - nested\n- false\nNote Something."
            )
        );
    }

    #[test]
    fn blank_is_none() {
        assert_eq!(render(&["", "  "]), None);
    }

    #[test]
    fn dash_needs_a_space_to_be_a_bullet() {
        assert_eq!(
            render(&["-1 means no limit"]).as_deref(),
            Some("-1 means no limit")
        );
        assert_eq!(render(&["- item"]).as_deref(), Some("- item"));
    }
}
