//! No response body makes the runtime panic, and none that is not JSON passes for a success.
//!
//! Realistic bodies (success, error envelope, nested, escaped, non-ASCII) are cut at every
//! byte and have every byte replaced by each of a set of troublesome bytes (quotes,
//! brackets, backslashes, a lone UTF-8 lead byte, invalid UTF-8, NUL); each result goes
//! through the client's own reading (`response::interpret`) under several statuses, and
//! through every lenient reader (`FromJson`) directly, the way a user may call them.

mod support;

use alibabacloud_runtime::Sensitive;
use alibabacloud_runtime::decode::{self, FromJson};
use alibabacloud_runtime::response::{self, Failure, RawResponse};
use serde_json::Value;
use std::collections::BTreeMap;
use support::op::{CreateTaskError, CreateTaskResponse};

const SEEDS: &[&str] = &[
    r#"{"RequestId":"5E2A0F4C-1B6F","Success":"True","Code":"InvalidInput","Data":{"TaskId":"11792","Status":200}}"#,
    r#"{"RequestId":"R-1","HostId":"dataworks.aliyuncs.com","Code":"Throttling.User","Message":"Request was denied due to user flow control.","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User"}"#,
    r#"{"RequestId":"R-2","Success":false,"Code":"Forbidden","Message":"\u4e2d\u6587 \"quoted\" \\ back","Data":null}"#,
    r#" { "RequestId" : "R-3" , "Data" : { "TaskId" : 1e3 , "Status" : "运行中 ✓" } , "Extra" : [ 1 , [ 2 , { "x" : [ ] } ] ] } "#,
    r#"{"Data":{"TaskId":-0.0,"Status":["a",1,true,null]},"Success":1}"#,
];

/// Bytes that break JSON, UTF-8 or naive slicing when they land in the wrong place.
const TROUBLE: &[u8] = b"\"\\{}[],:0-e \x00\xc3\xa9\xff";

fn mutations(seed: &str) -> Vec<Vec<u8>> {
    let bytes = seed.as_bytes();
    let mut out = Vec::new();
    for cut in 0..bytes.len() {
        out.push(bytes[..cut].to_vec());
    }
    for at in 0..bytes.len() {
        for &b in TROUBLE {
            let mut m = bytes.to_vec();
            m[at] = b;
            out.push(m);
        }
    }
    out
}

/// The body decoded the way a call decodes it, under `status`. Panics surface as test
/// failures by themselves; the result is what the caller would see.
fn interpret(status: u16, body: &[u8]) -> Result<CreateTaskResponse, Failure<CreateTaskError>> {
    let raw = RawResponse {
        status,
        request_id_header: Some("HEADER-ID".to_owned()),
        retry_after: None,
        body: bytes::Bytes::copy_from_slice(body),
        headers: Default::default(),
    };
    response::interpret::<CreateTaskResponse, CreateTaskError>(&raw)
}

/// Every lenient reader, on text that may not be JSON at all.
fn read_leniently(text: &str) {
    let _ = String::from_json(text);
    let _ = bool::from_json(text);
    let _ = i64::from_json(text);
    let _ = u8::from_json(text);
    let _ = f64::from_json(text);
    let _ = f32::from_json(text);
    let _ = Value::from_json(text);
    let _ = Vec::<String>::from_json(text);
    let _ = Vec::<Vec<i32>>::from_json(text);
    let _ = BTreeMap::<String, String>::from_json(text);
    let _ = Sensitive::<String>::from_json(text);
    let _ = CreateTaskResponse::from_json(text);
    let _ = decode::from_str::<CreateTaskResponse>(text);
}

#[test]
fn no_body_panics_and_no_malformed_body_is_a_success() {
    let mut cases = 0;
    let mut accepted_malformed = Vec::new();
    for seed in SEEDS {
        // Each seed is itself a readable body.
        assert!(
            serde_json::from_str::<Value>(seed).is_ok(),
            "seed is not JSON: {seed}"
        );
        for body in mutations(seed) {
            cases += 1;
            let is_json = serde_json::from_slice::<Value>(&body).is_ok();
            for status in [200, 400, 503] {
                let result = interpret(status, &body);
                if status == 200 && !is_json && result.is_ok() {
                    accepted_malformed.push(String::from_utf8_lossy(&body).into_owned());
                }
                if let Err(Failure::Decode(e)) = &result {
                    // The bounded snippet of the body a decode error keeps.
                    assert!(e.to_string().len() < 2048, "{e}");
                }
            }
            if let Ok(text) = std::str::from_utf8(&body) {
                read_leniently(text);
            }
        }
        // Every piece of the seed that starts at a value, as nested readers are handed one.
        for start in (0..seed.len()).filter(|i| seed.is_char_boundary(*i)) {
            let rest = &seed[start..];
            if rest.starts_with(['"', '{', '[', '-', 't', 'f', 'n', '1']) {
                for end in (1..=rest.len().min(40)).filter(|i| rest.is_char_boundary(*i)) {
                    read_leniently(&rest[..end]);
                }
            }
        }
    }
    assert!(cases > 3000, "{cases} cases");
    assert!(
        accepted_malformed.is_empty(),
        "{} malformed bodies read as a success, e.g. {:?}",
        accepted_malformed.len(),
        &accepted_malformed[..accepted_malformed.len().min(3)]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{\"a\":"] {
        let body = format!("{{\"Data\":{}", open.repeat(100_000));
        let result = interpret(200, body.as_bytes());
        assert!(matches!(result, Err(Failure::Decode(_))), "{open}");
        let deep_value = open.repeat(100_000);
        read_leniently(&deep_value);
    }
    // Deep but well formed, inside a member the type does not name: skipped without
    // recursion (the parser's depth limit guards only values that are read), so a call
    // still succeeds.
    let body = format!(
        "{{\"RequestId\":\"R\",\"Extra\":{}{}}}",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    let out = interpret(200, body.as_bytes()).expect("a success");
    assert_eq!(out.request_id.as_deref(), Some("R"));
    // The same depth in a member the type reads is refused by the depth limit.
    let body = format!(
        "{{\"Data\":{{\"Status\":{}{}}}}}",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    assert!(matches!(
        interpret(200, body.as_bytes()),
        Err(Failure::Decode(_))
    ));
}
