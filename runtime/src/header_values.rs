//! The header values of one attempt, cut from one buffer.
//!
//! A `HeaderValue` made from a `&str` copies it into an allocation of its own, and reqwest
//! copies every request's header map once more before sending it (it keeps the headers
//! for redirects), which turns each such value into a shared one: a second allocation.
//! The per-attempt values (date, nonce, payload hash, token, `Authorization`) are instead
//! written one after another into one buffer, and each value is a slice of it: two
//! allocations for all of them, and copies only bump the buffer's reference count.
//! `'static` text (action, version, content type) is pointed at, not copied.

use bytes::Bytes;
use reqwest::header::HeaderValue;
use std::ops::Range;

/// Values being written.
pub(crate) struct ValueBuffer {
    text: String,
}

/// A header value: `'static` text, or a place in a [`ValueBuffer`].
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Static(&'static str),
    At(Range<usize>),
}

/// The finished buffer, to cut values from.
pub(crate) struct Values {
    bytes: Bytes,
}

impl ValueBuffer {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        ValueBuffer {
            text: String::with_capacity(capacity),
        }
    }

    /// Copies `s` in.
    pub(crate) fn copy(&mut self, s: &str) -> Value {
        self.write(|text| text.push_str(s))
    }

    /// Appends what `write` writes, as one value.
    pub(crate) fn write(&mut self, write: impl FnOnce(&mut String)) -> Value {
        let start = self.text.len();
        write(&mut self.text);
        Value::At(start..self.text.len())
    }

    pub(crate) fn finish(self) -> Values {
        Values {
            bytes: Bytes::from(self.text),
        }
    }
}

/// A value that cannot be sent as a header.
#[derive(Debug)]
pub(crate) struct Invalid;

impl Values {
    /// The header value for `value`, checked like `HeaderValue::from_str` (visible ASCII,
    /// spaces, tabs and obs-text; no control characters).
    pub(crate) fn get(&self, value: &Value) -> Result<HeaderValue, Invalid> {
        match value {
            // `from_static` panics on what it does not accept, so it only gets text it
            // accepts; the rest is checked and copied.
            Value::Static(s) if s.bytes().all(is_visible_ascii) => Ok(HeaderValue::from_static(s)),
            Value::Static(s) => HeaderValue::from_str(s).map_err(|_| Invalid),
            // A range this buffer did not hand out is refused rather than sliced (which
            // would panic).
            Value::At(range) if range.end <= self.bytes.len() && range.start <= range.end => {
                HeaderValue::from_maybe_shared(self.bytes.slice(range.clone())).map_err(|_| Invalid)
            }
            Value::At(_) => Err(Invalid),
        }
    }
}

/// What `HeaderValue::from_static` accepts.
fn is_visible_ascii(b: u8) -> bool {
    b == b'\t' || (0x20..0x7f).contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_slices_of_one_buffer_and_checked() {
        let mut buffer = ValueBuffer::with_capacity(8);
        let a = buffer.copy("2025-01-02T03:04:05Z");
        let b = buffer.write(|s| s.push_str("ACS3 x=1"));
        let bad = buffer.copy("line\nbreak");
        let values = buffer.finish();
        assert_eq!(values.get(&a).unwrap(), "2025-01-02T03:04:05Z");
        assert_eq!(values.get(&b).unwrap(), "ACS3 x=1");
        assert!(values.get(&bad).is_err());
        assert_eq!(
            values.get(&Value::Static("application/json")).unwrap(),
            "application/json"
        );
        // Not visible ASCII: checked and copied instead of `from_static`'s panic.
        assert_eq!(
            values.get(&Value::Static("caf\u{e9}")).unwrap().as_bytes(),
            "caf\u{e9}".as_bytes()
        );
        assert!(values.get(&Value::Static("a\u{7f}")).is_err());
    }
}
