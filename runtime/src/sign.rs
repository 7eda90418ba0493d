//! Signature V3, `ACS3-HMAC-SHA256` (reference §1.3–1.6).
//!
//! Every step is a public function so the documented vectors can be checked one by one,
//! and so tools (an emulator) can reuse the exact canonical forms.

use ring::{digest, hmac};
use std::borrow::Cow;

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `hex(sha256(""))`, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// Lowercase hex of `bytes`.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_lower_hex(&mut s, bytes);
    s
}

/// Appends the lowercase hex of `bytes` (digests, nonces: at most 32 bytes on the per-call
/// path) through a stack buffer, one `push_str` instead of a push per digit.
fn push_lower_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 64];
    let Some(hex) = buf.get_mut(..bytes.len() * 2) else {
        out.push_str(&hex::encode(bytes));
        return;
    };
    // The buffer is exactly twice the input long, so encoding cannot fail; hex digits are
    // ASCII, so the UTF-8 check cannot fail either.
    if hex::encode_to_slice(bytes, hex).is_ok()
        && let Ok(text) = std::str::from_utf8(hex)
    {
        out.push_str(text);
    }
}

/// `true` for the headers V3 signs: `host`, `content-type` and `x-acs-*` (name lowercased).
pub fn is_signed_header(lowercase_name: &str) -> bool {
    lowercase_name == "host"
        || lowercase_name == "content-type"
        || lowercase_name.starts_with("x-acs-")
}

/// Canonical headers and the signed-headers list (reference §1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// `name:value\n` for each signed header, sorted by name; repeated names have their
    /// values sorted and joined with `,`.
    pub canonical: String,
    /// The lowercased names, sorted, joined with `;`.
    pub signed: String,
}

/// Where canonical text goes: a `String` when the text itself is wanted (tests, tools), or
/// straight into a SHA-256 state when only its digest is (every call), which saves building
/// and copying the canonical request.
trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// A SHA-256 state fed through a stack buffer: the canonical request arrives in a few dozen
/// short pieces, and handing each to the digest on its own costs more than the copy.
struct HashSink {
    context: digest::Context,
    buffer: [u8; 512],
    len: usize,
}

impl HashSink {
    fn new() -> Self {
        HashSink {
            context: digest::Context::new(&digest::SHA256),
            buffer: [0; 512],
            len: 0,
        }
    }

    fn finish(mut self) -> digest::Digest {
        self.context.update(&self.buffer[..self.len]);
        self.context.finish()
    }
}

impl Sink for HashSink {
    fn put(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if let Some(room) = self.buffer.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        self.context.update(&self.buffer[..self.len]);
        self.len = 0;
        if let Some(room) = self.buffer.get_mut(..bytes.len()) {
            room.copy_from_slice(bytes);
            self.len = bytes.len();
        } else {
            self.context.update(bytes);
        }
    }
}

/// The signed headers of a request: selected, names lowercased and trimmed, values trimmed,
/// sorted by name then value.
struct Selected<'a>(Vec<(Cow<'a, str>, &'a str)>);

impl<'a> Selected<'a> {
    /// The headers V3 signs among `headers` ([`is_signed_header`]).
    fn new(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let headers = headers.into_iter();
        // Sized for every header up front: past the filter below, the iterator no longer
        // says how many to expect and the vector would start small and grow.
        let mut selected = Vec::with_capacity(headers.size_hint().0);
        // Names the runtime sends are already lowercase; only others are copied.
        selected.extend(
            headers
                .map(|(n, v)| {
                    let n = trim(n);
                    let name = if n.bytes().any(|b| b.is_ascii_uppercase()) {
                        Cow::Owned(n.to_ascii_lowercase())
                    } else {
                        Cow::Borrowed(n)
                    };
                    (name, trim(v))
                })
                .filter(|(n, _)| is_signed_header(n)),
        );
        selected.sort_unstable();
        Selected(selected)
    }

    /// Every one of `headers`, whose names are known to be lowercase and unpadded (the text
    /// of `HeaderName`s, and `host`): nothing to lowercase, trim or filter in the names.
    fn lowercase_names(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let headers = headers.into_iter();
        let mut selected = Vec::with_capacity(headers.size_hint().0);
        selected.extend(headers.map(|(n, v)| (Cow::Borrowed(n), trim(v))));
        selected.sort_unstable();
        Selected(selected)
    }

    /// `name:value\n` per name; a repeated name's values (sorted above) joined with `,`.
    fn write_canonical(&self, out: &mut impl Sink) {
        let mut previous: Option<&str> = None;
        for (name, value) in &self.0 {
            if previous == Some(name) {
                out.put(",");
            } else {
                if previous.is_some() {
                    out.put("\n");
                }
                out.put(name);
                out.put(":");
            }
            out.put(value);
            previous = Some(name);
        }
        if previous.is_some() {
            out.put("\n");
        }
    }

    /// The distinct names joined with `;`.
    fn write_signed(&self, out: &mut impl Sink) {
        let mut previous: Option<&str> = None;
        for (name, _) in &self.0 {
            if previous == Some(name) {
                continue;
            }
            if previous.is_some() {
                out.put(";");
            }
            out.put(name);
            previous = Some(name);
        }
    }

    /// The length of what [`Selected::write_signed`] writes.
    fn signed_len(&self) -> usize {
        let mut len = 0;
        let mut previous: Option<&str> = None;
        for (name, _) in &self.0 {
            if previous != Some(name) {
                len += name.len() + usize::from(previous.is_some());
                previous = Some(name);
            }
        }
        len
    }

    fn text_len(&self) -> usize {
        self.0.iter().map(|(n, v)| n.len() + v.len() + 2).sum()
    }
}

/// `s.trim()`, with the common case (an ASCII first and last byte that are not white
/// space: nothing to trim) decided from two bytes instead of decoding characters.
fn trim(s: &str) -> &str {
    // What `char::is_whitespace` calls white space among ASCII characters.
    let plain = |b: &u8| b.is_ascii() && !matches!(b, b' ' | b'\t'..=b'\r');
    match s.as_bytes() {
        [first, .., last] if plain(first) && plain(last) => s,
        [only] if plain(only) => s,
        _ => s.trim(),
    }
}

/// Selects the signed headers among `headers` and canonicalises them.
pub fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> CanonicalHeaders {
    let selected = Selected::new(headers);
    let total = selected.text_len();
    let mut canonical = String::with_capacity(total);
    selected.write_canonical(&mut canonical);
    let mut signed = String::with_capacity(total / 2);
    selected.write_signed(&mut signed);
    CanonicalHeaders { canonical, signed }
}

/// The parts of a canonical request other than its headers.
pub(crate) struct RequestLine<'a> {
    /// HTTP method.
    pub(crate) method: &'a str,
    /// Encoded path; empty is signed as `/`.
    pub(crate) canonical_uri: &'a str,
    /// Sorted, `PE`-encoded query.
    pub(crate) canonical_query: &'a str,
    /// hex(sha256(body)).
    pub(crate) payload_sha256: &'a str,
}

/// The header part of a canonical request, as text already built or as a selection.
enum HeaderText<'s, 'a> {
    Built(&'s CanonicalHeaders),
    Selected(&'s Selected<'a>),
}

impl RequestLine<'_> {
    /// Writes the canonical request (reference §1.3). An empty URI is written as `/`.
    fn write(&self, headers: HeaderText<'_, '_>, out: &mut impl Sink) {
        let uri = if self.canonical_uri.is_empty() {
            "/"
        } else {
            self.canonical_uri
        };
        for part in [self.method, "\n", uri, "\n", self.canonical_query, "\n"] {
            out.put(part);
        }
        match headers {
            HeaderText::Built(h) => {
                out.put(&h.canonical);
                out.put("\n");
                out.put(&h.signed);
            }
            HeaderText::Selected(selected) => {
                selected.write_canonical(out);
                out.put("\n");
                selected.write_signed(out);
            }
        }
        out.put("\n");
        out.put(self.payload_sha256);
    }
}

/// The canonical request (reference §1.3). `canonical_uri` is the encoded path; empty
/// becomes `/`. `canonical_query` is the sorted, `PE`-encoded query string.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &CanonicalHeaders,
    payload_sha256: &str,
) -> String {
    let line = RequestLine {
        method,
        canonical_uri,
        canonical_query,
        payload_sha256,
    };
    let mut s = String::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + headers.canonical.len()
            + headers.signed.len()
            + 72,
    );
    line.write(HeaderText::Built(headers), &mut s);
    s
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    string_to_sign_of(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref())
}

fn string_to_sign_of(canonical_request_sha256: &[u8]) -> String {
    let mut s = String::with_capacity(ALGORITHM.len() + 65);
    s.push_str(ALGORITHM);
    s.push('\n');
    push_lower_hex(&mut s, canonical_request_sha256);
    s
}

/// hex(HMAC-SHA256(secret, string to sign)).
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    lower_hex(hmac_sha256(access_key_secret, &[string_to_sign]).as_ref())
}

/// HMAC-SHA256 of the concatenated `parts`.
fn hmac_sha256(key: &str, parts: &[&str]) -> hmac::Tag {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes());
    let mut mac = hmac::Context::with_key(&key);
    for part in parts {
        mac.update(part.as_bytes());
    }
    mac.sign()
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    let mut out = String::new();
    push_authorization_with(
        &mut out,
        access_key_id,
        signed_headers.len(),
        signature,
        |out| {
            out.push_str(signed_headers);
        },
    );
    out
}

/// Appends `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`, the signed-headers
/// list (`signed_len` bytes) written by `signed_headers`. Reserves the exact size first, so
/// that a fresh string is allocated once and at the size a header value can take as is.
fn push_authorization_with(
    out: &mut String,
    access_key_id: &str,
    signed_len: usize,
    signature: &str,
    signed_headers: impl FnOnce(&mut String),
) {
    const CREDENTIAL: &str = " Credential=";
    const SIGNED_HEADERS: &str = ",SignedHeaders=";
    const SIGNATURE: &str = ",Signature=";
    out.reserve_exact(
        ALGORITHM.len()
            + CREDENTIAL.len()
            + access_key_id.len()
            + SIGNED_HEADERS.len()
            + signed_len
            + SIGNATURE.len()
            + signature.len(),
    );
    out.push_str(ALGORITHM);
    out.push_str(CREDENTIAL);
    out.push_str(access_key_id);
    out.push_str(SIGNED_HEADERS);
    signed_headers(out);
    out.push_str(SIGNATURE);
    out.push_str(signature);
}

/// Every intermediate of one signature, for tests and diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

/// Signs a request described by its method, encoded path, canonical query, headers (all of
/// them; the signed ones are selected here) and payload hash.
pub fn sign<'a>(
    access_key_id: &str,
    access_key_secret: &str,
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    payload_sha256: &str,
) -> Signed {
    let headers = canonical_headers(headers);
    let canonical_request = canonical_request(
        method,
        canonical_uri,
        canonical_query,
        &headers,
        payload_sha256,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(access_key_secret, &string_to_sign);
    let authorization = authorization(access_key_id, &headers.signed, &signature);
    Signed {
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The `Authorization` value [`sign`] computes, without keeping the intermediates: the
/// canonical request is streamed into SHA-256 and the digests stay on the stack. Every call
/// signs this way.
pub fn sign_authorization<'a>(
    access_key_id: &str,
    access_key_secret: &str,
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    payload_sha256: &str,
) -> String {
    let line = RequestLine {
        method,
        canonical_uri,
        canonical_query,
        payload_sha256,
    };
    let mut out = String::new();
    push_authorization(
        &mut out,
        &line,
        headers,
        Which::V3,
        access_key_id,
        access_key_secret,
    );
    out
}

/// Which headers [`push_authorization`] signs.
#[derive(Clone, Copy)]
pub(crate) enum Which {
    /// Those [`is_signed_header`] names, names in any case and padding (lowercased and
    /// trimmed).
    V3,
    /// Every header given; their names are lowercase and unpadded already (`HeaderName`
    /// text).
    AllLowercase,
}

/// Appends the `Authorization` value of a request, as [`sign`] computes it, to `out`. This
/// is what every attempt runs, so nothing is kept: the canonical request is streamed into
/// SHA-256 and the hex digests stay on the stack; the header selection is the only
/// allocation. Tests check it against [`sign`] and the reference vectors.
///
/// `which` chooses which of `headers` are signed: those [`is_signed_header`] names, or every
/// header given when the caller selected them (the runtime adds the operation's header
/// parameters to the V3 set, as the official Python SDK signs every header it sends).
pub(crate) fn push_authorization<'a>(
    out: &mut String,
    line: &RequestLine<'_>,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    which: Which,
    access_key_id: &str,
    access_key_secret: &str,
) {
    let selected = match which {
        Which::V3 => Selected::new(headers),
        Which::AllLowercase => Selected::lowercase_names(headers),
    };
    let mut hasher = HashSink::new();
    line.write(HeaderText::Selected(&selected), &mut hasher);
    let mut digest_hex = [0u8; 64];
    let mut signature_hex = [0u8; 64];
    let string_to_sign_hash = hex_str(hasher.finish().as_ref(), &mut digest_hex);
    let mac = hmac_sha256(access_key_secret, &[ALGORITHM, "\n", string_to_sign_hash]);
    let signature = hex_str(mac.as_ref(), &mut signature_hex);
    push_authorization_with(
        out,
        access_key_id,
        selected.signed_len(),
        signature,
        |out| selected.write_signed(out),
    );
}

/// The lowercase hex of a 32-byte digest, written into `buf`.
fn hex_str<'b>(digest: &[u8], buf: &'b mut [u8; 64]) -> &'b str {
    // 32 bytes fill the buffer exactly and hex digits are ASCII: neither step can fail
    // for a SHA-256 digest, the only input.
    if hex::encode_to_slice(digest, buf).is_err() {
        return "";
    }
    std::str::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {

    #[test]
    fn trimming_agrees_with_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{b}a\u{b}",
            "\u{1c}a",
            "a\u{a0}",
            "\u{3000}a",
            "a b",
            "\ta\r\n",
            "é",
            "x\u{85}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    use super::*;

    /// The fast path agrees with the step-by-step one, including repeated and
    /// mixed-case names, unsigned headers, whitespace and an empty method and path.
    #[test]
    fn sign_authorization_matches_sign() {
        type Case<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, &'a str)>);
        let cases: [Case<'_>; 3] = [
            (
                "POST",
                "/",
                "A=1&B=2",
                vec![
                    ("host", "example.com"),
                    ("x-acs-action", "Run"),
                    ("X-Acs-Extra", " b "),
                    ("x-acs-extra", "a"),
                    ("accept", "application/json"),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
            ),
            (
                "",
                "",
                "",
                vec![("x-acs-test", "http"), ("x-acs-TEST", "https")],
            ),
            ("GET", "/p%20q", "", vec![]),
        ];
        for (method, uri, query, headers) in cases {
            let full = sign(
                "ak",
                "sk",
                method,
                uri,
                query,
                headers.clone(),
                EMPTY_PAYLOAD_SHA256,
            );
            let fast = sign_authorization(
                "ak",
                "sk",
                method,
                uri,
                query,
                headers,
                EMPTY_PAYLOAD_SHA256,
            );
            assert_eq!(fast, full.authorization);
            // Sized exactly, so the header value takes the buffer without reallocating.
            assert_eq!(fast.capacity(), fast.len());
        }
    }
}
