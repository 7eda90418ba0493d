//! Signature V3, `ACS3-HMAC-SHA256` (reference §1.3–1.6).
//!
//! Every step is a public function so the documented vectors can be checked one by one,
//! and so tools (an emulator) can reuse the exact canonical forms.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `hex(sha256(""))`, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a 32-byte digest, through a stack buffer (no per-character iterator).
fn lower_hex(digest: &[u8]) -> String {
    let mut buf = [0u8; 64];
    match hex::encode_to_slice(digest, &mut buf) {
        // Hex digits are ASCII, so this never takes the lossy path.
        Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
        // Longer inputs than a digest take the general path.
        Err(_) => hex::encode(digest),
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

/// Selects the signed headers among `headers` and canonicalises them.
pub fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> CanonicalHeaders {
    // Names the runtime sends are already lowercase; only others are copied.
    let mut selected: Vec<(Cow<'a, str>, &'a str)> = headers
        .into_iter()
        .map(|(n, v)| {
            let n = n.trim();
            let name = if n.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(n.to_ascii_lowercase())
            } else {
                Cow::Borrowed(n)
            };
            (name, v.trim())
        })
        .filter(|(n, _)| is_signed_header(n))
        .collect();
    selected.sort_unstable();
    let total: usize = selected.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical = String::with_capacity(total);
    let mut signed = String::with_capacity(total / 2);
    let mut i = 0;
    while i < selected.len() {
        let name = &selected[i].0;
        if !signed.is_empty() {
            signed.push(';');
        }
        signed.push_str(name);
        canonical.push_str(name);
        canonical.push(':');
        // Repeated names: values sorted (the sort above), joined with `,`.
        let mut j = i;
        while j < selected.len() && selected[j].0 == *name {
            if j > i {
                canonical.push(',');
            }
            canonical.push_str(selected[j].1);
            j += 1;
        }
        canonical.push('\n');
        i = j;
    }
    CanonicalHeaders { canonical, signed }
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
    let uri = if canonical_uri.is_empty() {
        "/"
    } else {
        canonical_uri
    };
    let mut s = String::with_capacity(
        method.len()
            + uri.len()
            + canonical_query.len()
            + headers.canonical.len()
            + headers.signed.len()
            + 72,
    );
    for part in [
        method,
        "\n",
        uri,
        "\n",
        canonical_query,
        "\n",
        &headers.canonical,
        "\n",
        &headers.signed,
        "\n",
        payload_sha256,
    ] {
        s.push_str(part);
    }
    s
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut s = String::with_capacity(ALGORITHM.len() + 65);
    s.push_str(ALGORITHM);
    s.push('\n');
    s.push_str(&sha256_hex(canonical_request.as_bytes()));
    s
}

/// hex(HMAC-SHA256(secret, string to sign)).
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(access_key_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    lower_hex(&mac.finalize().into_bytes())
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    )
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
