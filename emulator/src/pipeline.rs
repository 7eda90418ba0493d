//! What the emulator does with one API request, independent of HTTP plumbing:
//! route → authenticate → throttle → validate → documented error → sample response.
//!
//! Each step answers with the Alibaba-shaped error of reference §3.3 when it fails, and
//! every request (whatever its outcome) gets its entry for the call log, which the server
//! records once it knows whether a transport mishap changed the answer.

use std::sync::Arc;
use std::time::Instant;

use time::OffsetDateTime;
use time::macros::format_description;

use alibabacloud_codegen::reviewed::Reviewed;
use alibabacloud_codegen::spec::{ApiStyle, Location};

use crate::answer::{self, Answer};
use crate::api_error::{ApiError, Spelling};
use crate::catalog::{Catalog, Operation, PathRoute};
use crate::control::{Call, CallParam, Control};
use crate::jobs::Jobs;
use crate::keys::TestKey;
use crate::listing::{Listings, Params};
use crate::replay::NonceStore;
use crate::signature::{self, CanonicalInput};
use crate::validate::{self, Received};

/// How far `x-acs-date` may be from the emulator's clock (Alibaba: 15 minutes).
const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// Shared state of a running emulator.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) catalog: Catalog,
    pub(crate) keys: Vec<TestKey>,
    pub(crate) control: Control,
    pub(crate) nonces: NonceStore,
    /// The reviewed paging overrides and waiter table beside the specs.
    pub(crate) reviewed: Reviewed,
    /// Lists served in pages, by operation.
    pub(crate) listings: Listings,
    /// Jobs moved through their states by polls, by poll operation.
    pub(crate) jobs: Jobs,
}

impl State {
    /// Forgets pending faults, the call log, the lists and the jobs.
    pub(crate) fn reset(&self) {
        self.control.reset();
        self.listings.reset();
        self.jobs.reset();
    }
}

/// A request as received, decoded enough to be checked.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    /// Form-decoded query pairs.
    pub(crate) query: Vec<(String, String)>,
    /// Every header, names as received.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: &'a [u8],
}

impl Request<'_> {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) request_id: String,
    pub(crate) retry_after_ms: Option<u64>,
    /// `None`: no `content-type` (an empty answer).
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Vec<u8>,
    /// Function Compute also names the request id in `x-fc-request-id`.
    pub(crate) fc: bool,
    /// Further headers of a success (a list's `X-Total-Count`).
    pub(crate) headers: Vec<(String, String)>,
}

/// A fresh RequestId in Alibaba's shape (an uppercase UUID).
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4()
        .hyphenated()
        .to_string()
        .to_ascii_uppercase()
}

/// Serves one API request: the answer, and the call's entry for the log (not yet recorded).
pub(crate) fn handle(state: &State, request: &Request<'_>) -> (Reply, Call) {
    let request_id = new_request_id();
    let host = request.header("host").unwrap_or("127.0.0.1").to_owned();
    let action = request
        .header("x-acs-action")
        .unwrap_or_default()
        .to_owned();
    let version = request
        .header("x-acs-version")
        .unwrap_or_default()
        .to_owned();
    let mut call = Call {
        action: action.clone(),
        version: version.clone(),
        status: 200,
        code: None,
        request_id: request_id.clone(),
        mishap: None,
        params: Vec::new(),
        unknown: Vec::new(),
    };

    let outcome = serve(state, request, &action, &version, &host, &mut call);
    let (op, result) = match outcome {
        Served::Unrouted(error) => (None, Err(error)),
        Served::Routed(op, result) => (Some(op), result),
    };
    let fc = op.as_ref().is_some_and(|op| op.style == ApiStyle::Fc);
    let reply = match result {
        Ok((answer, headers)) => {
            let rendered = answer.render(&request_id);
            Reply {
                status: rendered.status,
                content_type: rendered.content_type,
                body: rendered.body,
                request_id,
                retry_after_ms: None,
                fc,
                headers,
            }
        }
        Err(error) => {
            call.code = Some(error.code.clone());
            let (product, spelling) = op.as_ref().map_or((String::new(), Spelling::Pascal), |op| {
                (op.product.clone(), op.spelling)
            });
            Reply {
                status: error.status,
                content_type: Some(answer::JSON),
                body: error
                    .body_spelled(&request_id, &host, &product, spelling)
                    .into_bytes(),
                request_id,
                retry_after_ms: error.retry_after_ms,
                fc,
                headers: Vec::new(),
            }
        }
    };
    call.status = reply.status;
    (reply, call)
}

/// A success's answer and its further headers.
type Success = (Answer, Vec<(String, String)>);

enum Served {
    Unrouted(ApiError),
    Routed(Arc<Operation>, Result<Success, ApiError>),
}

fn serve(
    state: &State,
    request: &Request<'_>,
    action: &str,
    version: &str,
    host: &str,
    call: &mut Call,
) -> Served {
    let at_root = request.path.is_empty() || request.path == "/";
    if action.is_empty() {
        if at_root {
            return Served::Unrouted(ApiError::missing_header("x-acs-action"));
        }
        // No action named: the method and the path decide (non-RPC styles).
        let version = (!version.is_empty()).then_some(version);
        return match state.catalog.route_path(
            request.method,
            request.path,
            version,
            host,
            &request.query,
        ) {
            PathRoute::Found(op, params) => {
                let op = Arc::clone(op);
                call.action = op.spec.action.clone();
                call.version = op.version.clone();
                let result = serve_operation(state, request, &op, params, call);
                Served::Routed(op, result)
            }
            PathRoute::WrongMethod(op) => Served::Routed(
                Arc::clone(op),
                Err(ApiError::route_not_found(request.method, request.path, op)),
            ),
            PathRoute::NotFound => {
                Served::Unrouted(ApiError::path_not_found(request.method, request.path))
            }
        };
    }
    if version.is_empty() {
        return Served::Unrouted(ApiError::missing_header("x-acs-version"));
    }
    let Some(op) = state
        .catalog
        .route_request(action, version, host, request.path)
        .cloned()
    else {
        return Served::Unrouted(ApiError::api_not_found(action, version));
    };
    // Non-RPC: the action names the operation, and the method and path must be its own.
    let params = match &op.template {
        None => Vec::new(),
        Some(template) => match template.matches(request.path) {
            Some(params) if op.allows(request.method) => params,
            _ => {
                let error = ApiError::route_not_found(request.method, request.path, &op);
                return Served::Routed(op, Err(error));
            }
        },
    };
    let result = serve_operation(state, request, &op, params, call);
    Served::Routed(op, result)
}

fn serve_operation(
    state: &State,
    request: &Request<'_>,
    op: &Operation,
    path: Vec<(String, String)>,
    call: &mut Call,
) -> Result<Success, ApiError> {
    if !op.allows(request.method) {
        return Err(ApiError::unsupported_method(
            request.method,
            &op.spec.action,
            &op.allowed_methods(),
        ));
    }
    let body = decode_body(request, op)?;
    let raw_body = body.raw.then_some(request.body);
    record_params(call, op, request, &body.form, &path, raw_body);
    if !op.anonymous {
        authenticate(state, request)?;
    }
    if let Some(throttled) = state.control.take_throttle(&op.spec.action, &op.version) {
        return Err(throttled);
    }
    let received = Received {
        query: &request.query,
        form: &body.form,
        headers: &request.headers,
        path: &path,
        raw_body,
    };
    let attributed = validate::validate(&op.spec, &op.schemas, &received)
        .map_err(|problem| problem.to_api_error(&op.spec))?;
    call.unknown = attributed
        .iter()
        .filter(|a| a.owner.is_none())
        .map(|a| a.key.to_owned())
        .collect();
    if let Some(failure) = state.control.take_failure(&op.spec.action, &op.version) {
        return Err(failure);
    }
    let params = |name: &str| param_value(&received, name);
    shaped_answer(state, op, &params)
}

/// The operation's answer, with the page of a configured list and the state of a
/// configured job written into it.
fn shaped_answer(state: &State, op: &Operation, params: &Params<'_>) -> Result<Success, ApiError> {
    let mut headers = Vec::new();
    if !state.listings.has(op) && !state.jobs.has(op) {
        return Ok((op.answer.clone(), headers));
    }
    let Some(mut body) = op.answer.json_object(&op.spec, &op.schemas) else {
        return Ok((op.answer.clone(), headers));
    };
    state.listings.serve(op, params, &mut body, &mut headers)?;
    state.jobs.serve(op, &mut body);
    Ok((op.answer.with_body(&body), headers))
}

/// The text of request parameter `name` wherever it arrived: query, form, path, header,
/// or a member of a JSON body.
fn param_value(received: &Received<'_>, name: &str) -> Option<String> {
    let pair = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    pair(received.query)
        .or_else(|| pair(received.form))
        .or_else(|| pair(received.path))
        .or_else(|| {
            received
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        })
        .or_else(|| {
            let body: serde_json::Value = serde_json::from_slice(received.raw_body?).ok()?;
            match body.get(name)? {
                serde_json::Value::String(text) => Some(text.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            }
        })
}

struct Body {
    form: Vec<(String, String)>,
    raw: bool,
}

/// Parameters travel in the query and in a form body; a body of another type is only
/// meaningful for an operation with a `body`-located parameter (the whole body).
fn decode_body(request: &Request<'_>, op: &Operation) -> Result<Body, ApiError> {
    if request.body.is_empty() {
        return Ok(Body {
            form: Vec::new(),
            raw: false,
        });
    }
    let takes_raw_body = op
        .spec
        .request
        .iter()
        .any(|p| p.location == Some(alibabacloud_codegen::spec::Location::Body));
    let content_type = request.header("content-type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        let form =
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(request.body).map_err(|err| {
                ApiError::new(
                    400,
                    "InvalidParameter",
                    format!("The form body could not be decoded: {err}."),
                )
            })?;
        return Ok(Body { form, raw: false });
    }
    if takes_raw_body {
        return Ok(Body {
            form: Vec::new(),
            raw: true,
        });
    }
    Err(ApiError::new(
        400,
        "InvalidParameter",
        format!(
            "The request body has content type `{content_type}`, but the parameters of {} go in the query string or an application/x-www-form-urlencoded body.",
            op.spec.action
        ),
    ))
}

/// How much of a body the call log shows.
const LOGGED_BODY_BYTES: usize = 4096;

/// Fills the call log's parameters, redacting the values of sensitive parameters.
fn record_params(
    call: &mut Call,
    op: &Operation,
    request: &Request<'_>,
    form: &[(String, String)],
    path: &[(String, String)],
    raw_body: Option<&[u8]>,
) {
    let sensitive_param = |name: &str| {
        op.spec
            .request
            .iter()
            .any(|p| p.sensitive && p.name.as_deref() == Some(name))
    };
    let entry = |name: &str, place: validate::Place, value: &str, sensitive: bool| CallParam {
        name: name.to_owned(),
        place,
        value: if sensitive {
            "<redacted>".to_owned()
        } else {
            value.to_owned()
        },
    };
    let mut params: Vec<CallParam> = path
        .iter()
        .map(|(name, value)| entry(name, validate::Place::Path, value, sensitive_param(name)))
        .collect();
    let places = request
        .query
        .iter()
        .map(|p| (p, validate::Place::Query))
        .chain(form.iter().map(|p| (p, validate::Place::Form)));
    params.extend(places.map(|((name, value), place)| {
        let sensitive =
            validate::owner_of(&op.spec, &op.schemas, name).is_some_and(|owner| owner.sensitive);
        entry(name, place, value, sensitive)
    }));
    for param in &op.spec.request {
        let Some(name) = param.name.as_deref() else {
            continue;
        };
        match param.location {
            Some(Location::Header) => {
                if let Some(value) = request.header(name) {
                    params.push(entry(name, validate::Place::Header, value, param.sensitive));
                }
            }
            Some(Location::Body) => {
                if let Some(body) = raw_body {
                    let shown = match std::str::from_utf8(body) {
                        Ok(text) if body.len() <= LOGGED_BODY_BYTES => text.to_owned(),
                        _ => format!("<{} bytes>", body.len()),
                    };
                    params.push(entry(name, validate::Place::Body, &shown, param.sensitive));
                }
            }
            _ => {}
        }
    }
    call.params = params;
}

/// Verifies the V3 signature (reference §1) and the replay protections around it.
fn authenticate(state: &State, request: &Request<'_>) -> Result<(), ApiError> {
    let Some(header) = request.header("authorization") else {
        return Err(ApiError::incomplete_signature(
            "the Authorization header is missing",
        ));
    };
    let auth = signature::parse_authorization(header)
        .map_err(|reason| ApiError::incomplete_signature(&reason))?;
    let token = request.header("x-acs-security-token");
    let unsigned =
        signature::unsigned_required_headers(&auth, token.is_some(), !request.body.is_empty());
    if !unsigned.is_empty() {
        return Err(ApiError::incomplete_signature(&format!(
            "these headers must be sent and listed in SignedHeaders: {}",
            unsigned.join(", ")
        )));
    }
    let Some(key) = state
        .keys
        .iter()
        .find(|k| k.access_key_id() == auth.access_key_id)
    else {
        return Err(ApiError::access_key_not_found());
    };

    let date = request.header("x-acs-date").unwrap_or_default();
    check_date(date, OffsetDateTime::now_utc())?;

    let payload_hash = signature::sha256_hex(request.body);
    let claimed_hash = request.header("x-acs-content-sha256").unwrap_or_default();
    if !claimed_hash.eq_ignore_ascii_case(&payload_hash) {
        return Err(ApiError::signature_does_not_match(
            "The x-acs-content-sha256 header is not the SHA-256 of the body received.",
        ));
    }
    let canonical = signature::canonical_request(&CanonicalInput {
        method: request.method,
        path: request.path,
        query: &request.query,
        headers: &request.headers,
        signed_headers: &auth.signed_headers,
        payload_hash: &payload_hash,
    })
    .map_err(|reason| ApiError::incomplete_signature(&reason))?;
    let string_to_sign = signature::string_to_sign(&canonical);
    if !signature::signature_matches(key.secret(), &string_to_sign, &auth.signature) {
        return Err(ApiError::signature_does_not_match(&format!(
            "Server string to sign is: {}",
            string_to_sign.replace('\n', "\\n")
        )));
    }

    if let Some(expected) = key.security_token() {
        match token {
            None => {
                return Err(ApiError::security_token(
                    "Malformed",
                    "This AccessKey is an STS key: the x-acs-security-token header is required.",
                ));
            }
            Some(sent) if sent != expected => {
                return Err(ApiError::security_token(
                    "MismatchWithAccessKey",
                    "The security token does not belong to this AccessKey.",
                ));
            }
            Some(_) => {}
        }
    }

    let nonce = request.header("x-acs-signature-nonce").unwrap_or_default();
    if !state.nonces.first_use(nonce, Instant::now()) {
        return Err(ApiError::nonce_used());
    }
    Ok(())
}

fn check_date(value: &str, now: OffsetDateTime) -> Result<(), ApiError> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let date = time::PrimitiveDateTime::parse(value, format)
        .map_err(|_| ApiError::timestamp_format(value))?
        .assume_utc();
    if (now - date).abs() > MAX_CLOCK_SKEW {
        return Err(ApiError::timestamp_expired(value));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_must_be_well_formed_and_recent() {
        let now = datetime!(2025-01-02 03:04:05 UTC);
        check_date("2025-01-02T03:04:05Z", now).unwrap();
        check_date("2025-01-02T03:18:05Z", now).unwrap();
        check_date("2025-01-02T02:50:05Z", now).unwrap();
        assert_eq!(
            check_date("2025-01-02T03:19:06Z", now).unwrap_err().code,
            "InvalidTimeStamp.Expired"
        );
        assert_eq!(
            check_date("2025-01-02T02:49:04Z", now).unwrap_err().code,
            "InvalidTimeStamp.Expired"
        );
        for bad in [
            "",
            "2025-01-02 03:04:05",
            "2025-01-02T03:04:05.123Z",
            "2025-01-02T03:04:05+08:00",
        ] {
            assert_eq!(
                check_date(bad, now).unwrap_err().code,
                "InvalidTimeStamp.Format",
                "{bad}"
            );
        }
    }

    #[test]
    fn request_ids_look_like_alibabas() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '-')
        );
        assert_ne!(id, new_request_id());
    }
}
