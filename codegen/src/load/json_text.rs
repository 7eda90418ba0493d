//! Spec text to a JSON value, noticing keys that appear twice in one object.
//!
//! `serde_json::Value` silently keeps the last of two equal keys, so a spec that says
//! `"type"` twice would lose one of them without a word. This parser builds the same
//! `Value` but records the pointer of every repeated key.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::report::{Report, child};

/// Parses `text`; on malformed JSON reports it (pointer `""`, with line and column) and
/// returns `None`.
pub(crate) fn parse(text: &str, report: &mut Report) -> Option<Value> {
    let duplicates = RefCell::new(Vec::new());
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = Node {
        at: &Position::Root,
        duplicates: &duplicates,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match parsed {
        Ok(value) => {
            for pointer in duplicates.into_inner() {
                report.push(
                    pointer,
                    "this key appears more than once in its object; JSON readers keep only the \
                     last one, so remove the others",
                );
            }
            Some(value)
        }
        Err(error) => {
            report.push("", format!("malformed JSON: {error}"));
            None
        }
    }
}

/// Where a value sits, as a chain of borrowed steps: the pointer string is only built for
/// the rare repeated key, not for every value of the document.
enum Position<'a> {
    Root,
    Key(&'a Position<'a>, &'a str),
    Index(&'a Position<'a>, usize),
}

impl Position<'_> {
    fn pointer(&self) -> String {
        match self {
            Position::Root => String::new(),
            Position::Key(parent, key) => child(&parent.pointer(), key),
            Position::Index(parent, index) => child(&parent.pointer(), index),
        }
    }
}

/// Builds the value at `at`, recording repeated keys into `duplicates`.
struct Node<'a> {
    at: &'a Position<'a>,
    duplicates: &'a RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        // JSON text cannot spell NaN or infinity, so the number is always representable.
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = Position::Index(self.at, items.len());
            let seed = Node {
                at: &at,
                duplicates: self.duplicates,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = Position::Key(self.at, &key);
            let value = map.next_value_seed(Node {
                at: &at,
                duplicates: self.duplicates,
            })?;
            if object.contains_key(&key) {
                self.duplicates.borrow_mut().push(at.pointer());
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let mut report = Report::new(Path::new("t.json"));
        parse(text, &mut report);
        report
            .into_errors()
            .into_iter()
            .map(|e| format!("{}|{}", e.pointer, e.reason))
            .collect()
    }

    #[test]
    fn repeated_keys_are_reported_at_their_pointer() {
        let found = errors(r#"{"a":[{"b/c":1,"b/c":2}],"a":3}"#);
        assert_eq!(found.len(), 2);
        assert!(found[0].starts_with("/a/0/b~1c|"), "{found:?}");
        assert!(found[1].starts_with("/a|"), "{found:?}");
    }

    #[test]
    fn malformed_text_names_line_and_column() {
        assert_eq!(
            errors("{\n  \"a\": 1,\n}"),
            ["|malformed JSON: trailing comma at line 3 column 1"]
        );
        assert_eq!(
            errors("{} x"),
            ["|malformed JSON: trailing characters at line 1 column 4"]
        );
    }

    #[test]
    fn values_match_serde_json() {
        let text = r#"{"n":[1,-2,3.5,true,null,"s",{"x":{}}]}"#;
        let mut report = Report::new(Path::new("t.json"));
        let value = parse(text, &mut report).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        assert!(report.is_clean());
    }
}
