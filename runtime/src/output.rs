//! What a successful answer becomes: the operation's output, read as the operation declares
//! its response root (the official SDKs' `bodyType`, styles reference §1.1 and §1.8).
//!
//! | root | output type | read from |
//! |---|---|---|
//! | object | a generated struct ([`Record`]) | the JSON object's members |
//! | array | `Vec<T>` | a JSON array |
//! | any | [`Value`] | any JSON (an empty body is `null`) |
//! | string | `String` | the body as UTF-8 text |
//! | binary | [`Binary`] | the bytes and every response header |
//! | none | [`Empty`] | nothing (a 204, or a body nobody documented) |
//!
//! The root is a property of the output *type* ([`Output::ROOT`]), so the generated code
//! says nothing per operation beyond naming its output type.

use crate::decode::{self, Fields, FromJson, Record};
use crate::response::RawResponse;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// The shape of a successful answer's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// A JSON object (every RPC operation, most ROA ones).
    Object,
    /// A JSON array.
    Array,
    /// Any JSON value (the metadata's `any`).
    Any,
    /// Text.
    String,
    /// Bytes, returned with the response headers.
    Binary,
    /// No body worth reading.
    None,
}

/// An operation's output type.
pub trait Output: Sized {
    /// How the body is read.
    const ROOT: Root;

    /// Reads the output of a successful answer. `fields` holds the body's members when
    /// [`Output::ROOT`] is [`Root::Object`] (scanned once, for the envelope and the output
    /// alike), and is `None` otherwise.
    fn read(raw: &RawResponse, fields: Option<&Fields<'_>>) -> Result<Self, decode::Error>;
}

impl<T: Record> Output for T {
    const ROOT: Root = Root::Object;

    fn read(_: &RawResponse, fields: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        match fields {
            Some(fields) => T::from_fields(fields),
            None => T::from_fields(&Fields::parse(b"{}")?),
        }
    }
}

impl<T: FromJson> Output for Vec<T> {
    const ROOT: Root = Root::Array;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        let text = json_text(raw, '[', "expected a JSON array")?;
        Ok(<Vec<T> as FromJson>::from_json(text)?.unwrap_or_default())
    }
}

impl Output for Value {
    const ROOT: Root = Root::Any;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        Ok(serde_json::from_slice(&raw.body)?)
    }
}

/// An object answer read as a map by key (cs `DescribeClusterAddonsVersion`).
impl<T: FromJson> Output for BTreeMap<String, T> {
    const ROOT: Root = Root::Any;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        let text = json_text(raw, '{', "expected a JSON object")?;
        Ok(<BTreeMap<String, T> as FromJson>::from_json(text)?.unwrap_or_default())
    }
}

/// The body as text that opens with `open` (`[` or `{`), or why it is not.
fn json_text<'r>(
    raw: &'r RawResponse,
    open: char,
    expected: &str,
) -> Result<&'r str, decode::Error> {
    let text = std::str::from_utf8(&raw.body)
        .map_err(|_| decode::Error::new("the body is not UTF-8 text"))?;
    if text.trim_start().starts_with(open) {
        Ok(text)
    } else {
        Err(decode::Error::new(expected))
    }
}

impl Output for String {
    const ROOT: Root = Root::String;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        String::from_utf8(raw.body.to_vec())
            .map_err(|_| decode::Error::new("the body is not UTF-8 text"))
    }
}

/// The output of an operation that answers with bytes (FC `InvokeFunction`): the body as
/// received and every response header, where such operations document what they return
/// besides the body (`x-fc-request-id`, `x-fc-log-result`, ...).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Binary {
    /// HTTP status.
    pub status: u16,
    /// The body, as received (shared, not copied).
    pub body: bytes::Bytes,
    /// The response headers.
    pub headers: HeaderMap,
}

impl Binary {
    /// A response header's value, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Output for Binary {
    const ROOT: Root = Root::Binary;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        Ok(Binary {
            status: raw.status,
            body: raw.body.clone(),
            headers: raw.headers.clone(),
        })
    }
}

/// The output of an operation that answers without a documented body (often a 204).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Empty {
    /// HTTP status.
    pub status: u16,
    /// The request id, from the `x-acs-request-id` (or product-specific) response header.
    pub request_id: Option<String>,
}

impl Output for Empty {
    const ROOT: Root = Root::None;

    fn read(raw: &RawResponse, _: Option<&Fields<'_>>) -> Result<Self, decode::Error> {
        Ok(Empty {
            status: raw.status,
            request_id: raw.request_id_header.clone(),
        })
    }
}
