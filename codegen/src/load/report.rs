//! Load errors, and the collector that gathers them with their JSON pointers.

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadError {
    /// The file (or directory) at fault, as reached from the path given to the loader.
    pub file: PathBuf,
    /// RFC 6901 JSON pointer to the offending value inside `file`; `""` means the whole
    /// document (or the file itself, for I/O and layout problems).
    pub pointer: String,
    /// What is wrong, in words a maintainer can act on.
    pub reason: String,
}

impl fmt::Display for LoadError {
    /// `file: pointer: reason`, or `file: reason` when the error concerns the whole file.
    /// Always one line: control characters (a key may contain a newline) are escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = escape_controls(&self.file.display().to_string());
        let reason = escape_controls(&self.reason);
        if self.pointer.is_empty() {
            write!(f, "{file}: {reason}")
        } else {
            write!(f, "{file}: {}: {reason}", escape_controls(&self.pointer))
        }
    }
}

/// `text` with control characters written as escapes (`\n`, `\u{1b}`).
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl std::error::Error for LoadError {}

/// Every problem found in a load, in a stable order (file, then pointer, then reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    /// One line per error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub(crate) fn child(pointer: &str, token: impl fmt::Display) -> String {
    let token = token.to_string().replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{token}")
}

/// Collects the errors of one file.
pub(crate) struct Report {
    file: PathBuf,
    errors: Vec<LoadError>,
}

impl Report {
    pub(crate) fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            errors: Vec::new(),
        }
    }

    /// Records a problem. Control characters in the reason (which may quote a key or value
    /// of the spec, as serde's messages do) are escaped, so every error stays on one line.
    pub(crate) fn push(&mut self, pointer: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(LoadError {
            file: self.file.clone(),
            pointer: pointer.into(),
            reason: escape_controls(&reason.into()),
        });
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    pub(crate) fn into_errors(self) -> Vec<LoadError> {
        self.errors
    }
}

/// Sorts errors so output does not depend on directory or map iteration order: by file,
/// then by pointer with array indices compared as numbers (`/request/2` before
/// `/request/10`), then by reason. Exact repeats are dropped.
pub(crate) fn into_sorted(mut errors: Vec<LoadError>) -> LoadErrors {
    errors.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then_with(|| compare_pointers(&a.pointer, &b.pointer))
            .then_with(|| a.reason.cmp(&b.reason))
    });
    errors.dedup();
    LoadErrors(errors)
}

fn compare_pointers(a: &str, b: &str) -> Ordering {
    let mut left = a.split('/');
    let mut right = b.split('/');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n).then_with(|| x.cmp(y)),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(child("/request", 3), "/request/3");
    }

    #[test]
    fn array_indices_sort_numerically() {
        assert_eq!(
            compare_pointers("/request/2", "/request/10"),
            Ordering::Less
        );
        assert_eq!(compare_pointers("", "/action"), Ordering::Less);
        assert_eq!(compare_pointers("/errors/1", "/action"), Ordering::Greater);
    }

    #[test]
    fn display_omits_an_empty_pointer() {
        let whole = LoadError {
            file: "a.json".into(),
            pointer: String::new(),
            reason: "bad".into(),
        };
        let part = LoadError {
            file: "a.json".into(),
            pointer: "/x".into(),
            reason: "bad".into(),
        };
        assert_eq!(whole.to_string(), "a.json: bad");
        assert_eq!(
            LoadErrors(vec![whole, part]).to_string(),
            "a.json: bad\na.json: /x: bad"
        );
    }

    #[test]
    fn every_error_stays_on_one_line() {
        let mut report = Report::new(Path::new("a\nb.json"));
        report.push("/k\ney", "unknown field `k\ney`");
        let error = report.into_errors().remove(0);
        assert_eq!(error.reason, "unknown field `k\\ney`");
        assert_eq!(
            error.pointer, "/k\ney",
            "the pointer itself stays exact, to resolve"
        );
        assert_eq!(
            error.to_string(),
            "a\\nb.json: /k\\ney: unknown field `k\\ney`"
        );
    }
}
