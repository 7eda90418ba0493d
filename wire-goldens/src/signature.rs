//! ACS3-HMAC-SHA256 verification of a received request, written from the reference (§1.3 to
//! §1.6) and independent of the runtime's signer: the canonical query is rebuilt from the
//! form-decoded query, CanonicalHeaders from the `SignedHeaders` the client sent (the Python
//! SDK signs every header it sends), and the body hash recomputed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::server::Received;
use crate::wire;

/// `Ok` when the request's `Authorization` verifies with `secret`, else why not.
pub fn verify(request: &Received, access_key_id: &str, secret: &str) -> Result<(), String> {
    let authorization = wire::header(request, "authorization")
        .ok_or_else(|| "no Authorization header".to_owned())?;
    let rest = authorization
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .ok_or_else(|| format!("not ACS3-HMAC-SHA256: {authorization}"))?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.split_once('=') {
            Some(("Credential", value)) => credential = Some(value),
            Some(("SignedHeaders", value)) => signed_headers = Some(value),
            Some(("Signature", value)) => signature = Some(value),
            _ => return Err(format!("malformed Authorization: {authorization}")),
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(format!("incomplete Authorization: {authorization}"));
    };
    if credential != access_key_id {
        return Err(format!("Credential is {credential}, not {access_key_id}"));
    }
    let body_hash = hex::encode(Sha256::digest(&request.body));
    let claimed_hash = wire::header(request, "x-acs-content-sha256").unwrap_or_default();
    if claimed_hash != body_hash {
        return Err(format!(
            "x-acs-content-sha256 is {claimed_hash}, the body's SHA-256 is {body_hash}"
        ));
    }
    for required in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        if !signed_headers.split(';').any(|name| name == required) {
            return Err(format!("{required} is not signed ({signed_headers})"));
        }
    }
    let (path, query) = wire::split_target(&request.target);
    let mut pairs: Vec<(String, String)> = wire::form_pairs(query)
        .into_iter()
        .map(|(name, value)| (encode(&name), encode(&value)))
        .collect();
    pairs.sort();
    let canonical_query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let mut values: Vec<&str> = request
            .headers
            .iter()
            .filter(|(sent, _)| sent.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} was not sent"));
        }
        values.sort_unstable();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{body_hash}",
        request.method,
        if path.is_empty() { "/" } else { path },
        canonical_query.join("&"),
    );
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    if expected == signature {
        Ok(())
    } else {
        Err(format!(
            "signature {signature} does not verify (expected {expected}); canonical request:\n{canonical_request}"
        ))
    }
}

/// `PE()` of the reference §1.2: every byte but `A-Z a-z 0-9 - _ . ~` as `%XY`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
