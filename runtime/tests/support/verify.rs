//! An independent verifier of signature V3, written from the reference (§1.2–1.6, §1.10)
//! without using the runtime's signer: it rebuilds CanonicalHeaders from the SignedHeaders
//! list it received, form-decodes the query and re-encodes it, and hashes the body itself.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Headers every signature must cover (our emulator policy, reference §1.10).
const REQUIRED_SIGNED: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

fn pe(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XY` a byte.
pub fn form_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .ok_or_else(|| format!("truncated escape in {s:?}"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad escape %{hex}"))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "escape is not UTF-8".to_owned())
}

/// Decodes `a=1&b=2` into pairs.
pub fn form_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Ok((form_decode(k)?, form_decode(v)?))
        })
        .collect()
}

/// What the verifier needs from a received request.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub raw_query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

/// Verifies the request's signature with `secret_for(access_key_id)`. Returns the access
/// key id on success.
pub fn verify(
    req: &Request<'_>,
    secret_for: impl Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let auth = header_values(req.headers, "authorization");
    let auth = auth.first().ok_or("no Authorization header")?;
    let rest = auth
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .ok_or_else(|| format!("unexpected algorithm in {auth:?}"))?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("malformed Authorization part {part:?}")),
        }
    }
    let (Some(ak), Some(signed_headers), Some(signature)) = (credential, signed_headers, signature)
    else {
        return Err("Authorization lacks Credential, SignedHeaders or Signature".into());
    };
    let names: Vec<&str> = signed_headers.split(';').collect();
    let mut sorted = names.clone();
    sorted.sort();
    if sorted != names {
        return Err("SignedHeaders not sorted".into());
    }
    for required in REQUIRED_SIGNED {
        if !names.contains(&required) {
            return Err(format!("{required} is not signed"));
        }
    }
    if !header_values(req.headers, "x-acs-security-token").is_empty()
        && !names.contains(&"x-acs-security-token")
    {
        return Err("x-acs-security-token present but not signed".into());
    }
    if !req.body.is_empty() && !names.contains(&"content-type") {
        return Err("content-type not signed although there is a body".into());
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let mut values = header_values(req.headers, name);
        if values.is_empty() {
            return Err(format!("signed header {name} was not sent"));
        }
        values.sort();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let date = header_values(req.headers, "x-acs-date");
    let date = date.first().ok_or("no x-acs-date")?;
    if date.len() != 20 || !date.ends_with('Z') {
        return Err(format!("x-acs-date {date:?} is not yyyy-MM-ddTHH:mm:ssZ"));
    }
    let sent = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("x-acs-date {date:?}: {e}"))?;
    if (time::OffsetDateTime::now_utc() - sent).abs() > time::Duration::minutes(15) {
        return Err(format!("x-acs-date {date} is more than 15 minutes off"));
    }
    let body_hash = hex::encode(Sha256::digest(req.body));
    let claimed = header_values(req.headers, "x-acs-content-sha256");
    if claimed.first() != Some(&body_hash.as_str()) {
        return Err(format!(
            "x-acs-content-sha256 {claimed:?} does not match the body hash {body_hash}"
        ));
    }
    let mut query = form_pairs(req.raw_query)?;
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{}={}", pe(k), pe(v)))
        .collect::<Vec<_>>()
        .join("&");
    let uri = if req.path.is_empty() { "/" } else { req.path };
    let canonical_request = format!(
        "{}\n{uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{body_hash}",
        req.method
    );
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let secret = secret_for(ak).ok_or_else(|| format!("unknown AccessKey id {ak}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(string_to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    if expected != signature {
        return Err(format!(
            "SignatureDoesNotMatch: expected {expected}, got {signature}; canonical request:\n{canonical_request}"
        ));
    }
    Ok(ak.to_owned())
}
