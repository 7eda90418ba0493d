//! Building the HTTP request: once per call the parts that do not change between attempts
//! (URL, body, body hash, parameter headers, idempotency token), then per attempt the
//! signed headers with a fresh date and nonce.

use crate::credentials::Credentials;
use crate::encoding;
use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::header_values::{Value, ValueBuffer};
use crate::meta::{Auth, Location, Method, OperationMeta, ServiceMeta};
use crate::params;
use crate::sign;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

/// `content-type` of RPC form bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The attempt-independent part of a request, for an endpoint it borrows from.
#[derive(Debug, Clone)]
pub struct Prepared<'e> {
    /// HTTP method.
    pub method: Method,
    /// Full URL; its query is the canonical query string.
    pub url: reqwest::Url,
    /// Host as signed.
    pub host: &'e str,
    /// Encoded path (the canonical URI); the operation's own path unless it has `{Name}`
    /// segments to fill.
    pub path: Cow<'static, str>,
    /// Sorted, `PE`-encoded query (the canonical query string).
    pub canonical_query: String,
    /// Headers from header-located parameters.
    pub param_headers: Vec<(HeaderName, HeaderValue)>,
    /// Body and its content type.
    pub body: Option<(bytes::Bytes, &'static str)>,
    /// hex(sha256(body)).
    pub payload_sha256: String,
    /// Signed with the AccessKey, or sent without credentials.
    pub auth: Auth,
    /// Whether an idempotency token goes with every attempt (the caller's or generated).
    pub token_sent: bool,
    /// The idempotency token generated for this call, when the caller left it unset; every
    /// attempt sends it, and the call's output and errors report it.
    pub generated_token: Option<String>,
}

/// `content-type` of byte bodies ([`Operation::payload`](crate::Operation::payload)).
pub const OCTET_STREAM: &str = "application/octet-stream";

fn method(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
        Method::Patch => reqwest::Method::PATCH,
        Method::Head => reqwest::Method::HEAD,
    }
}

/// Serializes, routes and encodes `request` for `endpoint`.
pub fn prepare<'e, T: serde::Serialize>(
    meta: &OperationMeta,
    request: &T,
    endpoint: &'e Endpoint,
) -> Result<Prepared<'e>, BuildError> {
    prepare_with_payload(meta, request, None, endpoint)
}

/// [`prepare`] for an operation whose body is bytes: `payload` is sent as is, as
/// `application/octet-stream` (shared, not copied: `Bytes` is reference-counted).
pub fn prepare_with_payload<'e, T: serde::Serialize>(
    meta: &OperationMeta,
    request: &T,
    payload: Option<bytes::Bytes>,
    endpoint: &'e Endpoint,
) -> Result<Prepared<'e>, BuildError> {
    prepare_routed(
        meta,
        params::route_request(meta, request)?,
        payload,
        endpoint,
    )
}

/// [`prepare_with_payload`] for parameters already routed ([`params::route_fields`],
/// [`Operation::route`](crate::Operation::route)): everything after routing, compiled once
/// rather than once per request type.
pub fn prepare_routed<'e>(
    meta: &OperationMeta,
    mut routed: params::Routed,
    payload: Option<bytes::Bytes>,
    endpoint: &'e Endpoint,
) -> Result<Prepared<'e>, BuildError> {
    let action = meta.action;

    let template = if meta.path.is_empty() { "/" } else { meta.path };
    // A few metadata templates carry fixed query parameters (`/logstores/{name}?type=log`):
    // they belong in the query, never in the signed path (styles reference §1.3).
    let template = match template.split_once('?') {
        Some((path, fixed)) => {
            for pair in fixed.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                routed.query.push((Cow::Owned(k.to_owned()), v.to_owned()));
            }
            path
        }
        None => template,
    };
    let path = fill_path(template, &routed.path);
    let missing: Vec<&'static str> = if path.contains('{') {
        meta.params
            .iter()
            .filter(|p| p.location == Location::Path && path.contains(&format!("{{{}}}", p.name)))
            .map(|p| p.name)
            .collect()
    } else {
        Vec::new()
    };
    if !missing.is_empty() {
        return Err(BuildError::MissingRequired {
            action,
            fields: missing,
        });
    }

    if !meta.method.may_carry_body() && !routed.form.is_empty() {
        // A GET has no body: its form parameters travel in the query, as the official SDK
        // sends them (dataworks `DesensitizeData` is GET-only with `formData` parameters).
        let form = std::mem::take(&mut routed.form);
        routed.query.extend(form);
    }
    encoding::sort_pairs(&mut routed.query);
    let canonical_query = encoding::canonical_query(&routed.query);

    if payload.is_some() && (routed.body.is_some() || !routed.form.is_empty()) {
        return Err(BuildError::Unsupported {
            action,
            name: action,
            what: "a byte body together with other body parameters",
        });
    }
    let body = if let Some(payload) = payload {
        Some((payload, OCTET_STREAM))
    } else if !routed.form.is_empty() {
        encoding::sort_pairs(&mut routed.form);
        Some((
            bytes::Bytes::from(encoding::form_body(&routed.form)),
            FORM_CONTENT_TYPE,
        ))
    } else {
        routed
            .body
            .take()
            .map(|(b, ct)| (bytes::Bytes::from(b), ct))
    };
    let payload_sha256 = match &body {
        Some((b, _)) => sign::sha256_hex(b),
        None => sign::EMPTY_PAYLOAD_SHA256.to_owned(),
    };

    let mut param_headers = Vec::with_capacity(routed.headers.len());
    for (name, value) in routed.headers {
        let header_meta = meta
            .params
            .iter()
            .find(|p| name.starts_with(p.name))
            .map_or(action, |p| p.name);
        let invalid = |reason| BuildError::InvalidValue {
            action,
            name: header_meta,
            reason,
        };
        let n = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
            .map_err(|_| invalid("not a valid header name"))?;
        let v = HeaderValue::from_str(&value).map_err(|_| invalid("not a valid header value"))?;
        param_headers.push((n, v));
    }

    let mut url = endpoint.url().clone();
    if path != "/" {
        url.set_path(&path);
    }
    if !canonical_query.is_empty() {
        // Already encoded with `PE`, whose output holds no character the query set escapes.
        url.set_query(Some(&canonical_query));
    }
    Ok(Prepared {
        method: meta.method,
        url,
        host: &endpoint.host,
        path,
        canonical_query,
        param_headers,
        body,
        payload_sha256,
        auth: meta.auth,
        token_sent: routed.token_sent,
        generated_token: routed.generated_token,
    })
}

/// `template` with every `{Name}` that has a value replaced by the value, `PE`-encoded;
/// other text, and `{Name}`s without a value, as they are. One pass over the template:
/// a `{Name}` is the last `{` before a `}` and what lies between (names hold no braces,
/// and encoded values none either, so no replacement can form or hide another).
fn fill_path(template: &'static str, values: &[(&'static str, String)]) -> Cow<'static, str> {
    if values.is_empty() || !template.contains('{') {
        return Cow::Borrowed(template);
    }
    if values.iter().any(|(n, _)| n.contains(['{', '}'])) {
        // Not a name the metadata writes; replaced one by one, as a plain text search.
        let mut path = Cow::Borrowed(template);
        for (name, value) in values {
            let encoded = encoding::percent_encode(value);
            path = Cow::Owned(path.replace(&format!("{{{name}}}"), &encoded));
        }
        return path;
    }
    let room: usize = values.iter().map(|(_, v)| 3 * v.len()).sum();
    let mut out = String::with_capacity(template.len() + room);
    let mut rest = template;
    while let Some(close) = rest.find('}') {
        let Some(open) = rest[..close].rfind('{') else {
            out.push_str(&rest[..=close]);
            rest = &rest[close + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => encoding::push_percent_encoded(&mut out, value),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `yyyy-MM-ddTHH:mm:ssZ` in UTC, as `x-acs-date` wants it.
pub fn acs_date(now: SystemTime) -> String {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    // Written digit by digit: `format!` costs several times more, on every attempt.
    let mut s = String::with_capacity(20);
    // Four digits, more only past year 9999 (as `{:04}` would print).
    push_digits(
        &mut s,
        year,
        year.checked_ilog10().map_or(1, |l| l + 1).max(4),
    );
    s.push('-');
    push_digits(&mut s, month, 2);
    s.push('-');
    push_digits(&mut s, day, 2);
    s.push('T');
    push_digits(&mut s, rem / 3600, 2);
    s.push(':');
    push_digits(&mut s, rem % 3600 / 60, 2);
    s.push(':');
    push_digits(&mut s, rem % 60, 2);
    s.push('Z');
    s
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u64.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm);
/// cheaper than a calendar library on the per-attempt path.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A fresh signature nonce: 32 lowercase hex characters, like the Go and Python cores.
pub fn nonce() -> String {
    crate::random::nonce()
}

/// Per-attempt inputs of an unsigned request ([`anonymous`]).
pub struct AnonymousInputs<'a> {
    /// The product version.
    pub service: &'a ServiceMeta,
    /// The operation name.
    pub action: &'static str,
    /// `user-agent`.
    pub user_agent: &'a HeaderValue,
    /// `x-acs-date`.
    pub date: &'a str,
    /// `x-acs-signature-nonce`.
    pub nonce: &'a str,
}

/// Per-attempt inputs.
pub struct AttemptInputs<'a> {
    /// The product version.
    pub service: &'a ServiceMeta,
    /// The operation name.
    pub action: &'static str,
    /// Credentials to sign with.
    pub credentials: &'a Credentials,
    /// `user-agent`.
    pub user_agent: &'a HeaderValue,
    /// `x-acs-date`.
    pub date: &'a str,
    /// `x-acs-signature-nonce`.
    pub nonce: &'a str,
}

impl<'a> AttemptInputs<'a> {
    fn common(&self) -> AnonymousInputs<'a> {
        AnonymousInputs {
            service: self.service,
            action: self.action,
            user_agent: self.user_agent,
            date: self.date,
            nonce: self.nonce,
        }
    }
}

// The fixed header names, made once: `HeaderName::from_static` validates its input on
// every call, and these are inserted on every attempt.
static X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
static X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
static X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
static X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
static X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-acs-content-sha256");
static X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-acs-security-token");
static X_ACS_ACCESSKEY_ID: HeaderName = HeaderName::from_static("x-acs-accesskey-id");

fn invalid_header(action: &'static str, what: &str) -> BuildError {
    BuildError::InvalidValue {
        action,
        name: static_header_label(what),
        reason: "contains characters not allowed in an HTTP header",
    }
}

/// Room for the `Authorization` value besides the AccessKey id: algorithm, labels,
/// signed-header names and the 64-digit signature. A longer one only makes the buffer grow.
const AUTHORIZATION_ROOM: usize = 320;

/// Signs one attempt and returns the request to send.
pub fn signed(
    prepared: &Prepared<'_>,
    inputs: &AttemptInputs<'_>,
) -> Result<reqwest::Request, BuildError> {
    build(prepared, &inputs.common(), Some(inputs.credentials))
}

/// One attempt of a call that is authenticated by its parameters rather than an AccessKey
/// (STS `AssumeRoleWithOIDC`): the same headers as [`signed`], without `Authorization`
/// and the token headers.
pub fn anonymous(
    prepared: &Prepared<'_>,
    inputs: &AnonymousInputs<'_>,
) -> Result<reqwest::Request, BuildError> {
    build(prepared, inputs, None)
}

fn build(
    prepared: &Prepared<'_>,
    inputs: &AnonymousInputs<'_>,
    creds: Option<&Credentials>,
) -> Result<reqwest::Request, BuildError> {
    let token = creds
        .and_then(Credentials::security_token)
        .map(|t| t.expose().as_str());
    let id = creds.map_or("", Credentials::access_key_id);
    // Every value of the attempt but the static ones, in one buffer (see `header_values`).
    let mut buffer = ValueBuffer::with_capacity(
        inputs.date.len()
            + inputs.nonce.len()
            + prepared.payload_sha256.len()
            + token.map_or(0, |t| t.len() + id.len())
            + id.len()
            + AUTHORIZATION_ROOM,
    );
    // (name, text as signed, value as sent)
    let mut common: Vec<(&'static HeaderName, &str, Value)> = Vec::with_capacity(8);
    common.extend([
        (&X_ACS_ACTION, inputs.action, Value::Static(inputs.action)),
        (
            &X_ACS_VERSION,
            inputs.service.version,
            Value::Static(inputs.service.version),
        ),
        (&X_ACS_DATE, inputs.date, buffer.copy(inputs.date)),
        (
            &X_ACS_SIGNATURE_NONCE,
            inputs.nonce,
            buffer.copy(inputs.nonce),
        ),
        (
            &X_ACS_CONTENT_SHA256,
            &prepared.payload_sha256,
            buffer.copy(&prepared.payload_sha256),
        ),
    ]);
    if let Some((_, content_type)) = &prepared.body {
        common.push((
            &reqwest::header::CONTENT_TYPE,
            content_type,
            Value::Static(content_type),
        ));
    }
    if let Some(token) = token {
        common.push((&X_ACS_SECURITY_TOKEN, token, buffer.copy(token)));
        common.push((&X_ACS_ACCESSKEY_ID, id, buffer.copy(id)));
    }

    // `host` is not set here: the HTTP client derives it from the URL, giving exactly the
    // `host[:port]` that is signed. Signed: `host`, `content-type`, the `x-acs-*` headers
    // and every header parameter (`x-fc-invocation-type`, `workspace`, ...), so a proxy
    // cannot change one unnoticed.
    let to_sign = std::iter::once(("host", prepared.host))
        .chain(common.iter().map(|(n, text, _)| (n.as_str(), *text)))
        .chain(
            prepared
                .param_headers
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
        );
    let line = sign::RequestLine {
        method: prepared.method.as_str(),
        canonical_uri: &prepared.path,
        canonical_query: &prepared.canonical_query,
        payload_sha256: &prepared.payload_sha256,
    };
    let authorization = creds.map(|creds| {
        buffer.write(|out| {
            sign::push_authorization(
                out,
                &line,
                to_sign,
                sign::Which::AllLowercase,
                id,
                creds.access_key_secret().expose(),
            );
        })
    });

    let values = buffer.finish();
    // Every header this attempt sends: `common`, the parameters', `accept`, `user-agent`,
    // `authorization` and `content-length`. (A map sized for more clears a larger table.)
    let mut headers = HeaderMap::with_capacity(common.len() + prepared.param_headers.len() + 4);
    for (name, _, value) in common {
        let mut value = values
            .get(&value)
            .map_err(|_| invalid_header(inputs.action, name.as_str()))?;
        value.set_sensitive(*name == X_ACS_SECURITY_TOKEN);
        headers.insert(name.clone(), value);
    }
    for (n, v) in &prepared.param_headers {
        headers.append(n.clone(), v.clone());
    }
    headers.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(reqwest::header::USER_AGENT, inputs.user_agent.clone());
    if let Some(authorization) = authorization {
        let mut auth = values
            .get(&authorization)
            .map_err(|_| invalid_header(inputs.action, "authorization"))?;
        auth.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, auth);
    }

    // Framing as the official SDKs send it (reference §2.3): a method that may carry a body
    // always carries `Content-Length` (`0` without one) and is never chunked; a body-less GET
    // or HEAD carries none. A `Bytes` body has a known length, which hyper sends as
    // `Content-Length`; it sends nothing for an absent body, so the empty case is explicit.
    let body = match &prepared.body {
        Some((body, _)) => Some(body.clone()),
        None if prepared.method.may_carry_body() => {
            headers.insert(
                reqwest::header::CONTENT_LENGTH,
                HeaderValue::from_static("0"),
            );
            Some(bytes::Bytes::new())
        }
        None => None,
    };
    let mut request = reqwest::Request::new(method(prepared.method), prepared.url.clone());
    *request.headers_mut() = headers;
    if let Some(body) = body {
        *request.body_mut() = Some(reqwest::Body::from(body));
    }
    Ok(request)
}

/// Labels for [`BuildError::InvalidValue`] about the fixed headers.
fn static_header_label(name: &str) -> &'static str {
    match name {
        "x-acs-security-token" => "x-acs-security-token",
        "x-acs-accesskey-id" => "x-acs-accesskey-id",
        "authorization" => "authorization (AccessKey id)",
        _ => "a request header",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SERVICE: ServiceMeta = ServiceMeta {
        product: "cs",
        version: "2015-12-15",
        endpoint_rule: crate::meta::EndpointRule::Central,
        endpoint_product_id: "cs",
        endpoints: &[],
    };

    /// The request an attempt sends for `method` with `body`, unsigned.
    fn attempt(method: Method, body: Option<&'static str>) -> reqwest::Request {
        let endpoint = crate::endpoint::parse_override("http://127.0.0.1:1").unwrap();
        let prepared = Prepared {
            method,
            url: endpoint.url().clone(),
            host: &endpoint.host,
            path: Cow::Borrowed("/"),
            canonical_query: String::new(),
            param_headers: Vec::new(),
            body: body.map(|b| (bytes::Bytes::from_static(b.as_bytes()), FORM_CONTENT_TYPE)),
            payload_sha256: sign::EMPTY_PAYLOAD_SHA256.to_owned(),
            auth: Auth::AccessKey,
            token_sent: false,
            generated_token: None,
        };
        let user_agent = HeaderValue::from_static("test");
        let inputs = AnonymousInputs {
            service: &SERVICE,
            action: "Test",
            user_agent: &user_agent,
            date: "2026-12-03T00:00:00Z",
            nonce: "n",
        };
        anonymous(&prepared, &inputs).unwrap()
    }

    fn content_length(request: &reqwest::Request) -> Option<&str> {
        request
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .map(|v| v.to_str().unwrap())
    }

    #[test]
    fn methods_that_may_carry_a_body_always_say_its_length() {
        for method in [Method::Post, Method::Put, Method::Patch, Method::Delete] {
            let request = attempt(method, None);
            assert_eq!(content_length(&request), Some("0"), "{method:?}");
            let body = request.body().and_then(reqwest::Body::as_bytes);
            assert_eq!(body, Some(&b""[..]), "{method:?}: a known, empty length");
        }
    }

    #[test]
    fn a_bodyless_get_or_head_carries_no_length() {
        for method in [Method::Get, Method::Head] {
            let request = attempt(method, None);
            assert_eq!(content_length(&request), None, "{method:?}");
            assert!(request.body().is_none(), "{method:?}");
        }
    }

    /// The one-pass fill agrees with replacing each `{Name}` in turn.
    #[test]
    fn paths_fill_as_plain_replacement_would() {
        let values = vec![
            ("a", "x y/中".to_owned()),
            ("bb", "{a}".to_owned()),
            ("c", String::new()),
        ];
        for template in [
            "/",
            "/{a}",
            "/p/{a}/q/{bb}%3Aapply/{a}",
            "/{{a}}/{a{bb}/}{c}}",
            "/{missing}/{a}/{",
            "}{a}{",
            "/{c}{c}{bb}",
        ] {
            let mut expected = template.to_owned();
            for (name, value) in &values {
                let encoded = encoding::percent_encode(value);
                expected = expected.replace(&format!("{{{name}}}"), &encoded);
            }
            assert_eq!(fill_path(template, &values), expected, "{template}");
        }
        assert_eq!(fill_path("/{a}", &[]), "/{a}");
    }

    #[test]
    fn a_body_has_a_known_length_never_a_stream() {
        let request = attempt(Method::Post, Some("a=1"));
        assert_eq!(
            request.body().and_then(reqwest::Body::as_bytes),
            Some(&b"a=1"[..]),
            "buffered, so hyper sends Content-Length, never chunks"
        );
    }
}
