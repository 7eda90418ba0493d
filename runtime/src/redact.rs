//! Bounded, redacted snippets of response bodies for error messages.

/// How many characters of a body a [`DecodeError`](crate::DecodeError) keeps.
pub const SNIPPET_CHARS: usize = 256;

/// Key fragments whose values are replaced when they appear in a snippet.
const SECRET_KEYS: [&str; 6] = [
    "secret",
    "password",
    "token",
    "signature",
    "authorization",
    "accesskey",
];

/// The first [`SNIPPET_CHARS`] characters of `body` (invalid UTF-8 replaced), with control
/// characters shown as spaces and the values following secret-looking keys
/// (`"AccessKeySecret":"…"`, `password=…`) replaced by `***`.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(SNIPPET_CHARS.min(text.len()));
    let mut truncated = false;
    for (count, c) in text.chars().enumerate() {
        if count == SNIPPET_CHARS {
            truncated = true;
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    let mut out = redact_values(&out);
    if truncated {
        out.push('…');
    }
    out
}

/// Replaces the value after each secret-looking key. A value starts after the first `:`
/// or `=` that follows the key (skipping spaces and an opening quote) and ends at the next
/// quote, `&`, `,`, `}`, `<` or whitespace.
fn redact_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while pos < text.len() {
        let next_key = SECRET_KEYS
            .iter()
            .filter_map(|k| lower[pos..].find(k).map(|i| (pos + i, k.len())))
            .min();
        let Some((at, len)) = next_key else { break };
        let mut cursor = at + len;
        // Rest of the key (e.g. `Secret"` in `AccessKeySecret"`), then the separator.
        let bytes = text.as_bytes();
        while cursor < bytes.len()
            && (bytes[cursor].is_ascii_alphanumeric() || bytes[cursor] == b'_')
        {
            cursor += 1;
        }
        while cursor < bytes.len() && matches!(bytes[cursor], b'"' | b'\'' | b' ') {
            cursor += 1;
        }
        if cursor < bytes.len() && matches!(bytes[cursor], b':' | b'=') {
            cursor += 1;
            while cursor < bytes.len() && matches!(bytes[cursor], b'"' | b'\'' | b' ') {
                cursor += 1;
            }
            let start = cursor;
            while cursor < bytes.len()
                && !matches!(
                    bytes[cursor],
                    b'"' | b'\'' | b'&' | b',' | b'}' | b'<' | b' '
                )
            {
                cursor += 1;
            }
            out.push_str(&text[pos..start]);
            if cursor > start {
                out.push_str("***");
            }
            pos = cursor;
        } else {
            out.push_str(&text[pos..cursor]);
            pos = cursor;
        }
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_cleans() {
        let long = "x".repeat(1000);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"<html>\r\n<b>bad</b>"), "<html>  <b>bad</b>");
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn redacts_secret_looking_values() {
        let s = snippet(br#"{"AccessKeySecret": "abc123", "SecurityToken":"tok-9","Name":"ok"}"#);
        assert!(!s.contains("abc123") && !s.contains("tok-9"), "{s}");
        assert!(s.contains("\"Name\":\"ok\""), "{s}");
        let s = snippet(b"a=1&SourcePassword=hunter2&b=2");
        assert_eq!(s, "a=1&SourcePassword=***&b=2");
        assert_eq!(snippet("password 中文".as_bytes()), "password 中文");
    }
}
