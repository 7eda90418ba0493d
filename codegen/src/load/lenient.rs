//! Deserialising one piece of a spec while reporting every problem in it, not just the
//! first.
//!
//! serde stops at the first error. To go on, each error is reported with its JSON pointer
//! (from `serde_path_to_error`), then the offending key is taken out of a working copy and
//! deserialisation is tried again: an unknown key is simply dropped; a bad value is
//! removed, and if the key is required, stand-in values are tried until one is accepted.
//! A piece whose only problems were unknown keys still yields its typed value with the
//! same meaning, so the checks after deserialisation can run on it.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::report::{Report, child};
use super::suggest;

/// The typed value of a piece, when it could be had.
pub(crate) enum Outcome<T> {
    /// No problem, or only unknown keys (reported, then ignored): the value means what the
    /// author wrote, so further checks apply.
    Faithful(T),
    /// Problems were reported and the value could not be recovered faithfully.
    Broken,
}

/// Stand-ins tried, in order, for a required key whose value had to be removed. Each
/// satisfies a different kind of field (`Option`, `bool`, numbers, strings, lists, maps).
fn stand_ins() -> [Value; 6] {
    [
        Value::Null,
        Value::Bool(false),
        Value::from(0),
        Value::String(String::new()),
        Value::Array(Vec::new()),
        Value::Object(Map::new()),
    ]
}

/// Upper bound on repair rounds. Each round removes a key or advances a stand-in, so the
/// loop ends well before this on any real document; the bound only guards the guarantee.
const MAX_ROUNDS: usize = 10_000;

/// Deserialises `value` (found at `pointer`) as the struct `T`, described to the reader as
/// `what` ("an operation", "a field"). A value that is not a JSON object is one error: serde
/// would otherwise read an array as the struct's fields in order, with baffling messages.
pub(crate) fn deserialize_object<T: DeserializeOwned>(
    value: Value,
    pointer: &str,
    what: &str,
    report: &mut Report,
) -> Outcome<T> {
    if value.is_object() {
        deserialize(value, pointer, report)
    } else {
        report.push(
            pointer,
            format!("expected {what} (a JSON object), found {}", kind_of(&value)),
        );
        Outcome::Broken
    }
}

/// A copy of `object` without `keys` (the parts checked on their own).
pub(crate) fn without(object: &Map<String, Value>, keys: &[&str]) -> Value {
    Value::Object(
        object
            .iter()
            .filter(|(key, _)| !keys.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    )
}

/// The kind of a JSON value, for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Deserialises `value` (found at `pointer`) as `T`, reporting every problem.
pub(crate) fn deserialize<T: DeserializeOwned>(
    value: Value,
    pointer: &str,
    report: &mut Report,
) -> Outcome<T> {
    let mut work = value;
    let mut faithful = true;
    // Keys whose value was replaced by us, with the index of the next stand-in to try.
    let mut patched: Vec<(Vec<String>, usize)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let error = match serde_path_to_error::deserialize::<_, T>(&work) {
            Ok(typed) if faithful => return Outcome::Faithful(typed),
            Ok(_) => return Outcome::Broken,
            Err(error) => error,
        };
        let message = error.inner().to_string();
        let path = resolvable_prefix(&work, error.path().iter());
        let problem = Problem::classify(&message, path);
        let key_path = problem.key_path();

        // A consequence of our own patching (at the patched key or inside its stand-in):
        // try the next stand-in, report nothing.
        if let Some(key_path) = &key_path
            && let Some((patched_path, next)) = patched
                .iter_mut()
                .find(|(path, _)| key_path.starts_with(path))
        {
            let Some(stand_in) = stand_ins().into_iter().nth(*next) else {
                return Outcome::Broken;
            };
            *next += 1;
            set(&mut work, patched_path, stand_in);
            continue;
        }

        report.push(problem.pointer(pointer), suggest::with_suggestion(message));
        let Some(key_path) = key_path else {
            return Outcome::Broken;
        };
        match problem {
            Problem::Unknown(_) => {
                remove(&mut work, &key_path);
            }
            Problem::Missing(_) => {
                faithful = false;
                patched.push((key_path.clone(), 1));
                set(&mut work, &key_path, Value::Null);
            }
            Problem::Invalid(_) => {
                faithful = false;
                remove(&mut work, &key_path);
                patched.push((key_path, 0));
            }
        }
    }
    Outcome::Broken
}

/// What one serde error says, with the path (object keys and array indices) it concerns.
enum Problem {
    /// `unknown field`: path of the unknown key.
    Unknown(Vec<Token>),
    /// `missing field`: path of the missing key.
    Missing(Vec<Token>),
    /// Anything else: path of the bad value.
    Invalid(Vec<Token>),
}

#[derive(Clone, PartialEq)]
enum Token {
    Key(String),
    Index(usize),
}

impl Problem {
    fn classify(message: &str, path: Vec<Token>) -> Self {
        if let Some(key) = quoted_after(message, "unknown field `") {
            // serde_path_to_error may or may not include the unknown key in the path.
            let mut path = path;
            if path.last() != Some(&Token::Key(key.clone())) {
                path.push(Token::Key(key));
            }
            Problem::Unknown(path)
        } else if let Some(key) = quoted_after(message, "missing field `") {
            let mut path = path;
            path.push(Token::Key(key));
            Problem::Missing(path)
        } else {
            Problem::Invalid(path)
        }
    }

    /// Where the report points: the unknown key, the object lacking a key, the bad value.
    fn pointer(&self, base: &str) -> String {
        let path = match self {
            Problem::Unknown(path) | Problem::Invalid(path) => &path[..],
            Problem::Missing(path) => &path[..path.len() - 1],
        };
        path.iter()
            .fold(base.to_owned(), |pointer, token| match token {
                Token::Key(key) => child(&pointer, key),
                Token::Index(index) => child(&pointer, index),
            })
    }

    /// The deepest object key enclosing the problem: what gets removed or patched. `None`
    /// when the problem is the piece itself (for instance a number where an object belongs).
    fn key_path(&self) -> Option<Vec<String>> {
        let path = match self {
            Problem::Unknown(path) | Problem::Missing(path) | Problem::Invalid(path) => path,
        };
        let last_key = path
            .iter()
            .rposition(|token| matches!(token, Token::Key(_)))?;
        // Only a path made of keys can be edited without shifting array indices.
        path[..=last_key]
            .iter()
            .map(|token| match token {
                Token::Key(key) => Some(key.clone()),
                Token::Index(_) => None,
            })
            .collect()
    }
}

/// The text between `prefix` and the closing backtick of serde's `` `name` `` quoting.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    // serde ends the quote with "`," before the list of expected names, or at the end.
    let end = rest
        .find("`, ")
        .or_else(|| rest.strip_suffix('`').map(str::len))?;
    Some(rest[..end].to_owned())
}

/// The error path as tokens, cut where it stops matching the document (serde may name a
/// position, such as an enum variant, that has no place in the JSON).
fn resolvable_prefix<'a>(root: &Value, segments: impl Iterator<Item = &'a Segment>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = Some(root);
    for segment in segments {
        let Some(value) = current else { break };
        let (token, next) = match (segment, value) {
            (Segment::Map { key }, Value::Object(object)) => {
                (Token::Key(key.clone()), object.get(key))
            }
            (Segment::Seq { index }, Value::Array(items)) => {
                (Token::Index(*index), items.get(*index))
            }
            _ => break,
        };
        tokens.push(token);
        current = next;
    }
    tokens
}

fn parent_object<'a>(root: &'a mut Value, keys: &[String]) -> Option<&'a mut Map<String, Value>> {
    let mut current = root;
    for key in keys {
        current = current.as_object_mut()?.get_mut(key)?;
    }
    current.as_object_mut()
}

fn remove(root: &mut Value, key_path: &[String]) {
    if let Some((key, parents)) = key_path.split_last()
        && let Some(object) = parent_object(root, parents)
    {
        object.remove(key);
    }
}

fn set(root: &mut Value, key_path: &[String], value: Value) {
    if let Some((key, parents)) = key_path.split_last()
        && let Some(object) = parent_object(root, parents)
    {
        object.insert(key.clone(), value);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Row {
        status: u16,
        code: String,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        n: u8,
    }

    fn run(value: Value) -> (bool, Vec<String>) {
        let mut report = Report::new(Path::new("t.json"));
        let outcome = deserialize::<Row>(value, "/rows/0", &mut report);
        let lines = report
            .into_errors()
            .into_iter()
            .map(|e| format!("{}|{}", e.pointer, e.reason));
        (matches!(outcome, Outcome::Faithful(_)), lines.collect())
    }

    #[test]
    fn every_problem_of_one_object_is_reported() {
        let (faithful, lines) =
            run(json!({"status": "x", "extra": 1, "inner": {"n": 300, "m": 1}, "more": 2}));
        assert!(!faithful);
        assert_eq!(lines.len(), 6, "{lines:?}");
        assert!(
            lines.contains(&"/rows/0|missing field `code`".to_owned()),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("/rows/0/status|invalid type: string \"x\""))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("/rows/0/extra|unknown field `extra`"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("/rows/0/more|unknown field `more`"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("/rows/0/inner/m|unknown field `m`"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("/rows/0/inner/n|invalid value: integer `300`"))
        );
    }

    #[test]
    fn unknown_keys_alone_keep_the_value_faithful() {
        let (faithful, lines) = run(json!({"status": 1, "code": "c", "inner": {"n": 1, "x": 2}}));
        assert!(faithful);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("/rows/0/inner/x|unknown field `x`, expected `n`"),
            "{lines:?}"
        );
    }

    #[test]
    fn a_piece_of_the_wrong_kind_is_one_error() {
        let (faithful, lines) = run(json!(5));
        assert!(!faithful);
        assert_eq!(
            lines,
            ["/rows/0|invalid type: integer `5`, expected struct Row"]
        );
    }
}
