//! The page's sample response with a fresh `RequestId`, everything else verbatim.
//!
//! Parsing the sample into a `serde_json::Value` and printing it again would reorder keys
//! and reformat numbers (`1.50` would come back as `1.5`), so the sample is
//! edited as text instead: a small scanner finds the span of the top-level `RequestId`
//! value and only that span is replaced.

/// Returns `sample` with the value of its top-level `RequestId` replaced by `request_id`
/// (as a JSON string). A sample without one gets it inserted as the first member, since
/// every Alibaba response carries a RequestId (reference §3.1).
///
/// `sample` must be a JSON object (checked when the specs are loaded); anything else is
/// returned as a minimal `{"RequestId": ...}` object rather than a broken body.
pub fn with_request_id(sample: &str, request_id: &str) -> String {
    with_member(sample, "RequestId", request_id)
}

/// Returns `sample` with the value of its top-level member `key` replaced by `value` (as a
/// JSON string), or the member inserted first when absent: the request id of the other
/// styles, which products spell `requestId` or `request_id` too.
pub fn with_member(sample: &str, key: &str, value: &str) -> String {
    let new_value =
        serde_json::to_string(value).unwrap_or_else(|_| unreachable!("a string always serialises"));
    let new_key =
        serde_json::to_string(key).unwrap_or_else(|_| unreachable!("a string always serialises"));
    match find_top_level_value(sample, key) {
        Some(TopLevel::Value(start, end)) => {
            format!("{}{}{}", &sample[..start], new_value, &sample[end..])
        }
        Some(TopLevel::Absent { after_brace, empty }) => {
            let separator = if empty { "" } else { "," };
            format!(
                "{}{new_key}:{}{}{}",
                &sample[..after_brace],
                new_value,
                separator,
                &sample[after_brace..]
            )
        }
        None => format!("{{{new_key}:{new_value}}}"),
    }
}

enum TopLevel {
    /// Byte span of the member's value.
    Value(usize, usize),
    /// The object has no such member; `after_brace` is where a new first member goes.
    Absent { after_brace: usize, empty: bool },
}

/// Scans a JSON object's top-level members. `None` when `text` is not an object this
/// scanner can walk (it is only ever given samples that parsed as JSON objects).
fn find_top_level_value(text: &str, key: &str) -> Option<TopLevel> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let after_brace = i;
    i = skip_ws(bytes, i);
    if bytes.get(i) == Some(&b'}') {
        return Some(TopLevel::Absent {
            after_brace,
            empty: true,
        });
    }
    loop {
        i = skip_ws(bytes, i);
        let key_end = skip_string(bytes, i)?;
        let name: String = serde_json::from_str(&text[i..key_end]).ok()?;
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(bytes, i + 1);
        let value_end = skip_value(bytes, value_start)?;
        if name == key {
            return Some(TopLevel::Value(value_start, value_end));
        }
        i = skip_ws(bytes, value_end);
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {
                return Some(TopLevel::Absent {
                    after_brace,
                    empty: false,
                });
            }
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// End (exclusive) of the string starting at `i`.
fn skip_string(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match bytes.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// End (exclusive) of the value starting at `i`: a string, a nested container (brackets
/// counted outside strings) or a literal (up to the next delimiter).
fn skip_value(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match bytes.get(j)? {
                    b'"' => {
                        j = skip_string(bytes, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while let Some(b) = bytes.get(j) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_top_level_request_id() {
        let sample = "{\n  \"HttpStatusCode\": 200,\n  \"Data\": {\"RequestId\": \"inner\", \"x\": [1, {\"y\": \"}\"}]},\n  \"RequestId\": \"D65A809F-34CE-4550-9BC1-0ED21ETG380\",\n  \"Ratio\": 1.50\n}";
        let out = with_request_id(sample, "NEW-ID");
        assert_eq!(
            out,
            "{\n  \"HttpStatusCode\": 200,\n  \"Data\": {\"RequestId\": \"inner\", \"x\": [1, {\"y\": \"}\"}]},\n  \"RequestId\": \"NEW-ID\",\n  \"Ratio\": 1.50\n}"
        );
    }

    #[test]
    fn handles_escapes_in_keys_and_values_before_the_id() {
        let sample = r#"{"Msg":"a \"quoted\" } brace","Req\u0075estId":"old"}"#;
        let out = with_request_id(sample, "N");
        assert_eq!(
            out,
            r#"{"Msg":"a \"quoted\" } brace","Req\u0075estId":"N"}"#
        );
    }

    #[test]
    fn inserts_a_request_id_when_the_sample_has_none() {
        assert_eq!(
            with_request_id("{\"A\": 1}", "N"),
            "{\"RequestId\":\"N\",\"A\": 1}"
        );
        assert_eq!(with_request_id(" { } ", "N"), " {\"RequestId\":\"N\" } ");
        let out = with_request_id("{\"A\": [1,2], \"B\": true}", "N");
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["RequestId"], "N");
        assert_eq!(value["B"], true);
    }

    #[test]
    fn non_object_samples_become_a_minimal_object() {
        assert_eq!(with_request_id("[1]", "N"), "{\"RequestId\":\"N\"}");
        assert_eq!(with_request_id("{\"A\" 1}", "N"), "{\"RequestId\":\"N\"}");
    }

    #[test]
    fn a_numeric_request_id_is_replaced_by_a_string() {
        assert_eq!(
            with_request_id("{\"RequestId\": 12}", "N"),
            "{\"RequestId\": \"N\"}"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(".{0,8}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON object, compact or pretty: the result parses, carries the new id at the
        /// top level, and every other member is unchanged.
        #[test]
        fn the_id_is_replaced_and_nothing_else_changes(
            members in prop::collection::btree_map(".{0,8}", json_value(), 0..6),
            pretty in any::<bool>(),
        ) {
            let object = serde_json::Value::Object(members.into_iter().collect());
            let text = if pretty { serde_json::to_string_pretty(&object) } else { serde_json::to_string(&object) }.unwrap();
            let out = with_request_id(&text, "NEW-ID");
            let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(&parsed["RequestId"], "NEW-ID");
            let mut expected = object.clone();
            expected["RequestId"] = "NEW-ID".into();
            prop_assert_eq!(parsed, expected);
        }

        /// Arbitrary text never panics.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,64}") {
            let _ = with_request_id(&text, "N");
        }
    }
}
