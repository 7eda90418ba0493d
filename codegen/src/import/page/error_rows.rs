//! Error-code tables.
//!
//! The pipe layout separates cells. The flattened layout prints a row as one line with no
//! separators at all: `400IncorrectDBInstanceStateThe current instance state ...The
//! operation is not supported. ...`. Splitting such a line is a judgement, made in order
//! of evidence:
//!
//! 1. **Status**: the first three digits.
//! 2. **Description**: absent when the row ends in `-`; equal to the message when the rest
//!    is one text written twice; otherwise it starts where a sentence ends and the next
//!    begins with no space between them (`operation.The`), or, failing that, where a
//!    lowercase letter runs into an uppercase one (`disk typeThe`).
//! 3. **Code**: codes contain no spaces, so the code and the message's first word are
//!    fused in the row's first token (`IncorrectDBInstanceStateThe`,
//!    `InvalidSourceCategoryspecified`). The split leaves that word as a plain word (one
//!    optional capital, then lowercase). A word the row's own description contains wins
//!    (`specified` in "The specified source category is invalid."), then a word used
//!    anywhere else in the table's messages and descriptions, then the last capitalised
//!    word. The last two are guesses and are reported as notes with the line.

use std::collections::BTreeSet;

use super::lines::{Page, Section};
use super::pipe_table;
use super::{Note, PageError};
use crate::spec::ErrorRow;

const FLAT_HEADER: &str = "HTTP status codeError codeError message";
const PIPE_COLUMNS: &[&str] = &["HTTP status code", "Error code", "Error message"];

/// Reads the error-code table of `section`; empty when the page lists none.
pub(crate) fn read(
    page: &Page,
    section: Section,
    notes: &mut Vec<Note>,
) -> Result<Vec<ErrorRow>, PageError> {
    if let Some((header_at, columns)) =
        pipe_table::find_header(page, section, PIPE_COLUMNS, Some("Description"))
    {
        return read_pipe(page, section, header_at, columns);
    }
    let Some(header_at) =
        (section.start..section.end).find(|&i| page.line(i).trim().starts_with(FLAT_HEADER))
    else {
        return Ok(Vec::new());
    };
    let header = page.line(header_at).trim();
    let has_description = match &header[FLAT_HEADER.len()..] {
        "" => false,
        "Description" => true,
        other => {
            return Err(PageError::at(
                header_at + 1,
                format!("unknown error-table column `{other}`"),
            ));
        }
    };
    let mut raw = Vec::new();
    for i in header_at + 1..section.end {
        let line = page.line(i).trim();
        let Some((status, rest)) = status_prefix(line) else {
            break;
        };
        if rest.is_empty() {
            return Err(PageError::at(
                i + 1,
                "error row has a status but no code: truncated table?",
            ));
        }
        raw.push((i + 1, status, rest));
    }
    let vocabulary = table_vocabulary(&raw);
    raw.into_iter()
        .map(|(line, status, rest)| {
            split_row(line, status, rest, has_description, &vocabulary, notes)
        })
        .collect()
}

fn read_pipe(
    page: &Page,
    section: Section,
    header_at: usize,
    columns: usize,
) -> Result<Vec<ErrorRow>, PageError> {
    pipe_table::read_rows(page, section, header_at, columns)?
        .into_iter()
        .map(|row| {
            let status = row.cells[0].parse::<u16>().map_err(|_| {
                PageError::at(
                    row.line,
                    format!("HTTP status `{}` is not a number", row.cells[0]),
                )
            })?;
            let code = row.cells[1].clone();
            if code.is_empty() {
                return Err(PageError::at(row.line, "error row without a code"));
            }
            let message = Some(super::text::collapse(&row.cells[2])).filter(|m| !m.is_empty());
            let description = row
                .cells
                .get(3)
                .map(|d| super::text::collapse(d))
                .filter(|d| !d.is_empty() && d != "-");
            Ok(ErrorRow {
                status,
                code,
                message,
                description,
            })
        })
        .collect()
}

/// `("400", rest)` when `line` starts with a three-digit status followed by text.
fn status_prefix(line: &str) -> Option<(u16, &str)> {
    let digits = line.get(..3)?;
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || line[3..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some((digits.parse().ok()?, &line[3..]))
}

/// The leading run of characters a code may contain.
fn first_token(rest: &str) -> &str {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    &rest[..end]
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Every word of the table's messages and descriptions outside the fused first tokens.
fn table_vocabulary(rows: &[(usize, u16, &str)]) -> BTreeSet<String> {
    rows.iter()
        .flat_map(|(_, _, rest)| words(&rest[first_token(rest).len()..]))
        .collect()
}

fn split_row(
    line: usize,
    status: u16,
    rest: &str,
    has_description: bool,
    vocabulary: &BTreeSet<String>,
    notes: &mut Vec<Note>,
) -> Result<ErrorRow, PageError> {
    // The description decides the code split best, and the code split decides where the
    // description starts, so split once without the description and again with it.
    let first = split_code(rest, None, vocabulary);
    let (message, description, md_note) = split_message(&rest[first.at..], has_description);
    let second = split_code(rest, description.as_deref(), vocabulary);
    let (message, description, md_note) = if second.at == first.at {
        (message, description, md_note)
    } else {
        split_message(&rest[second.at..], has_description)
    };
    let code = second;
    if let Some(note) = code.note {
        notes.push(Note::at(line, note));
    }
    if let Some(note) = md_note {
        notes.push(Note::at(line, note));
    }
    let code_text = &rest[..code.at];
    if code_text.is_empty() {
        return Err(PageError::at(
            line,
            format!("error row `{status}{rest}` has no code"),
        ));
    }
    if message.is_empty() {
        return Err(PageError::at(
            line,
            format!("error row `{status}{rest}` has a code but no message: truncated table?"),
        ));
    }
    Ok(ErrorRow {
        status,
        code: code_text.to_owned(),
        message: Some(message),
        description,
    })
}

struct CodeSplit {
    /// Byte offset where the message starts.
    at: usize,
    note: Option<String>,
}

/// A plain word: one optional capital, then lowercase letters.
fn is_plain_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_lowercase())
}

fn split_code(rest: &str, description: Option<&str>, vocabulary: &BTreeSet<String>) -> CodeSplit {
    let token = first_token(rest);
    // Candidate splits, longest message word first.
    let candidates: Vec<usize> = (1..token.len())
        .filter(|&k| token.as_bytes()[k - 1].is_ascii_alphanumeric() && is_plain_word(&token[k..]))
        .collect();
    let described: BTreeSet<String> = description.map(|d| words(d).collect()).unwrap_or_default();
    let confirmed_by = |set: &BTreeSet<String>| {
        candidates
            .iter()
            .copied()
            .find(|&k| set.contains(&token[k..].to_ascii_lowercase()))
    };
    if let Some(at) = confirmed_by(&described) {
        return CodeSplit { at, note: None };
    }
    if let Some(at) = confirmed_by(vocabulary) {
        return CodeSplit { at, note: None };
    }
    if let Some(&at) = candidates
        .iter()
        .find(|&&k| token.as_bytes()[k].is_ascii_uppercase())
    {
        return CodeSplit {
            at,
            note: Some(format!(
                "code and message run together in `{token}`: guessed code `{}` and message word `{}` (no other row or description uses that word); check this row",
                &token[..at],
                &token[at..]
            )),
        };
    }
    CodeSplit {
        at: token.len(),
        note: Some(format!(
            "cannot find where code `{token}` ends and its message begins; took the whole token as the code"
        )),
    }
}

/// Splits `text` (message then description) into message and description.
fn split_message(text: &str, has_description: bool) -> (String, Option<String>, Option<String>) {
    if !has_description {
        return (text.to_owned(), None, None);
    }
    if let Some(message) = text.strip_suffix('-')
        && !message.ends_with(char::is_whitespace)
    {
        return (message.to_owned(), None, None);
    }
    if text.len().is_multiple_of(2) && text.is_char_boundary(text.len() / 2) {
        let (left, right) = text.split_at(text.len() / 2);
        if left == right {
            return (left.to_owned(), Some(right.to_owned()), None);
        }
    }
    let bytes = text.as_bytes();
    let sentence_ends: Vec<usize> = (1..bytes.len())
        .filter(|&i| {
            matches!(bytes[i - 1], b'.' | b'!' | b'?' | b')') && bytes[i].is_ascii_uppercase()
        })
        .collect();
    let case_runs: Vec<usize> = (1..bytes.len())
        .filter(|&i| bytes[i - 1].is_ascii_lowercase() && bytes[i].is_ascii_uppercase())
        .collect();
    let (candidates, kind) = if sentence_ends.is_empty() {
        (case_runs, "lowercase letter running into an uppercase one")
    } else {
        (sentence_ends, "sentence end with no space after it")
    };
    match candidates.as_slice() {
        [at] => (text[..*at].to_owned(), Some(text[*at..].to_owned()), None),
        [] => (
            text.to_owned(),
            None,
            Some(format!(
                "cannot find where the message ends and the description begins in `{text}`; kept it all as the message"
            )),
        ),
        [.., last] => (
            text[..*last].to_owned(),
            Some(text[*last..].to_owned()),
            Some(format!(
                "{} places could end the message ({kind}); took the last one, so the description is `{}`; check this row",
                candidates.len(),
                &text[*last..]
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(rest: &str, vocabulary: &[&str]) -> (ErrorRow, Vec<Note>) {
        let vocabulary = vocabulary.iter().map(|w| w.to_string()).collect();
        let mut notes = Vec::new();
        let row = split_row(7, 400, rest, true, &vocabulary, &mut notes).unwrap();
        (row, notes)
    }

    #[test]
    fn code_fused_with_a_capitalised_message() {
        let (row, notes) = split(
            "IncorrectDBInstanceStateThe current instance state does not support this operation.The operation is not supported. The RDS instance is not in a ready state.",
            &[],
        );
        assert_eq!(row.code, "IncorrectDBInstanceState");
        assert_eq!(
            row.message.as_deref(),
            Some("The current instance state does not support this operation.")
        );
        assert_eq!(
            row.description.as_deref(),
            Some("The operation is not supported. The RDS instance is not in a ready state.")
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn code_fused_with_a_lowercase_message_is_settled_by_the_description() {
        let (row, notes) = split(
            "InvalidSourceCategoryspecified source category is invalid.The specified source category is invalid.",
            &[],
        );
        assert_eq!(row.code, "InvalidSourceCategory");
        assert_eq!(
            row.message.as_deref(),
            Some("specified source category is invalid.")
        );
        assert_eq!(
            row.description.as_deref(),
            Some("The specified source category is invalid.")
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn dotted_codes_and_dash_descriptions() {
        let (row, _) = split(
            "Abs.InvalidAccount.NotFoundaccount is not found.The account does not exist.",
            &[],
        );
        assert_eq!(row.code, "Abs.InvalidAccount.NotFound");
        let (row, notes) = split(
            "pay.noCreditCardAccount not bound to credit card.-",
            &["account"],
        );
        assert_eq!(row.code, "pay.noCreditCard");
        assert_eq!(
            row.message.as_deref(),
            Some("Account not bound to credit card.")
        );
        assert_eq!(row.description, None);
        assert!(notes.is_empty());
    }

    #[test]
    fn message_repeated_as_description() {
        let (row, _) = split(
            "Price.CommoditySysCommodity system call exception.Commodity system call exception.",
            &[],
        );
        assert_eq!(row.code, "Price.CommoditySys");
        assert_eq!(row.message, row.description);
        let (row, _) = split(
            "NotInFlowControllerSorry,no permission.Sorry,no permission.",
            &[],
        );
        assert_eq!(row.code, "NotInFlowController");
        assert_eq!(row.message.as_deref(), Some("Sorry,no permission."));
    }

    #[test]
    fn a_guess_is_reported_with_its_line() {
        let (row, notes) = split(
            "RegionDissolvedEOMDear customer, this region closes.Hello, this region closes.",
            &[],
        );
        assert_eq!(row.code, "RegionDissolvedEOM");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 7);
        assert!(
            notes[0]
                .message
                .contains("guessed code `RegionDissolvedEOM`"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn description_after_a_sentence_without_period() {
        let (row, _) = split(
            "InvalidInstanceLevel.DiskTypeSpecified instance level not support request disk typeThe current instance type does not support the specified storage type.",
            &[],
        );
        assert_eq!(row.code, "InvalidInstanceLevel.DiskType");
        assert_eq!(
            row.message.as_deref(),
            Some("Specified instance level not support request disk type")
        );
    }

    #[test]
    fn undecidable_message_split_is_reported() {
        let (row, notes) = split("SomeCodeThe first.Second.Third.", &[]);
        assert_eq!(row.code, "SomeCode");
        assert!(
            notes
                .iter()
                .any(|n| n.message.contains("places could end the message")),
            "{notes:?}"
        );
    }

    #[test]
    fn truncated_rows_are_errors() {
        let mut notes = Vec::new();
        let err = split_row(9, 400, "Foo", true, &BTreeSet::new(), &mut notes).unwrap_err();
        assert_eq!(err.line, 9);
        assert!(err.reason.contains("no message"), "{err}");
    }
}
