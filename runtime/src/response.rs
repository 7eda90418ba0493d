//! Turning an HTTP response into the operation's output or a typed error.

use crate::decode::{self, Fields};
use crate::error::{
    AccessDeniedDetail, DecodeError, MAX_RAW_BODY, ServiceError, ServiceErrorDetails,
};
use crate::operation::ErrorKind;
use crate::output::{Output, Root};
use crate::redact;
use std::time::Duration;

/// The code given to a service error whose body has no `Code`.
pub const UNKNOWN_CODE: &str = "Unknown";

/// What the transport read, before interpretation.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The request id from the headers: `x-acs-request-id`, else a product's own
    /// (`x-fc-request-id`).
    pub request_id_header: Option<String>,
    /// The `x-acs-retry-after` header (milliseconds).
    pub retry_after: Option<Duration>,
    /// The whole body.
    pub body: bytes::Bytes,
    /// Every response header (what a byte output returns besides its body).
    pub headers: reqwest::header::HeaderMap,
}

/// A failed response.
#[derive(Debug)]
pub enum Failure<E> {
    /// The service reported an error.
    Service(ServiceError<E>),
    /// The body is not the expected JSON.
    Decode(DecodeError),
}

/// The common fields of error bodies (and of a 2xx body reporting `"Success": false`),
/// read from the body's members with the spellings services use.
struct Envelope {
    request_id: Option<String>,
    host_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<AccessDeniedDetail>,
}

impl Envelope {
    fn read(fields: &Fields<'_>) -> Result<Self, decode::Error> {
        Ok(Envelope {
            // Either spelling (RPC and most ROA services write `Code`, some ROA ones `code`;
            // FC documents `errorCode`), as the official SDKs read them and beyond.
            request_id: fields.get_any(&["RequestId", "requestId", "RequestID"])?,
            host_id: fields.get_any(&["HostId", "hostId"])?,
            code: fields.get_any(&["Code", "code", "ErrorCode", "errorCode"])?,
            message: fields.get_any(&["Message", "message", "ErrorMessage", "errorMessage"])?,
            recommend: fields.get("Recommend")?,
            // Kept loose: an odd shape here must not hide the rest of the error.
            access_denied_detail: fields
                .raw("AccessDeniedDetail")
                .and_then(|raw| serde_json::from_str(raw).ok()),
        })
    }
}

/// Finds `"RequestId":"…"` in a body that is not valid JSON (truncated, say).
fn scan_request_id(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok().or_else(|| {
        // Truncation can cut a multi-byte character; the prefix is still worth scanning.
        std::str::from_utf8(&body[..body.len().saturating_sub(3)]).ok()
    })?;
    let at = text.find("\"RequestId\"")? + "\"RequestId\"".len();
    let rest = text[at..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let id = &rest[..rest.find('"')?];
    (!id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| id.to_owned())
}

fn decode_error(raw: &RawResponse, reason: String) -> DecodeError {
    DecodeError {
        status: raw.status,
        request_id: raw
            .request_id_header
            .clone()
            .or_else(|| scan_request_id(&raw.body)),
        reason,
        snippet: redact::snippet(&raw.body),
        notes: Default::default(),
    }
}

fn raw_body(body: &[u8]) -> String {
    let bounded = &body[..body.len().min(MAX_RAW_BODY)];
    String::from_utf8_lossy(bounded).into_owned()
}

/// The service error of an error body, before the operation's error enum is known.
fn service_error(raw: &RawResponse, envelope: Envelope) -> ServiceError<()> {
    let code = envelope.code.unwrap_or_else(|| UNKNOWN_CODE.to_owned());
    ServiceError {
        kind: (),
        details: Box::new(ServiceErrorDetails {
            status: raw.status,
            code,
            message: envelope.message,
            request_id: envelope
                .request_id
                .or_else(|| raw.request_id_header.clone()),
            host_id: envelope.host_id,
            recommend: envelope.recommend,
            access_denied_detail: envelope.access_denied_detail,
            retry_after: raw.retry_after,
            raw_body: raw_body(&raw.body),
            notes: Default::default(),
        }),
    }
}

fn describe_empty(body: &[u8]) -> &'static str {
    if body.iter().all(u8::is_ascii_whitespace) {
        "the body is empty"
    } else {
        "the body is not a JSON object"
    }
}

impl Failure<()> {
    /// Gives a service error its variant of the operation's error enum.
    pub fn with_kind<E: ErrorKind>(self) -> Failure<E> {
        match self {
            Failure::Service(e) => Failure::Service(e.with_kind()),
            Failure::Decode(e) => Failure::Decode(e),
        }
    }
}

/// Interprets a response: 2xx decodes into `O` unless the body says `"Success": false`;
/// anything else is a service error when the body is a JSON error document, or a decode
/// error when it is not. This is [`check`] followed by [`decode_output`].
pub fn interpret<O: Output, E: ErrorKind>(raw: &RawResponse) -> Result<O, Failure<E>> {
    let fields = check(raw, O::ROOT).map_err(Failure::with_kind)?;
    decode_output(raw, fields.as_ref()).map_err(Failure::Decode)
}

/// Everything of [`interpret`] that does not depend on the operation: the body's members
/// for a 2xx JSON object that does not say `"Success": false`, whose output is then read
/// from them by [`decode_output`]; otherwise the failure, with a service error not yet given
/// its variant ([`Failure::with_kind`]). Kept apart so the retry loop is compiled once, not
/// per operation. The body is scanned once, for the envelope and the output alike.
///
/// A success whose output is not an object ([`Root`]) is any 2xx (the official SDKs look no
/// further than the status): its body is the output's own business, and no `Fields` are
/// returned.
pub fn check(raw: &RawResponse, root: Root) -> Result<Option<Fields<'_>>, Failure<()>> {
    if root != Root::Object && (200..300).contains(&raw.status) {
        return Ok(None);
    }
    // Every documented body is an object; `null` and arrays are not answers.
    let is_object = raw.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !is_object {
        return Err(not_json(raw, "expected a JSON object"));
    }
    let fields = Fields::parse(&raw.body).map_err(|e| not_json(raw, &e.to_string()))?;
    let failed = if (200..300).contains(&raw.status) {
        // The official SDKs ignore a 2xx "Success": false; callers then read garbage as
        // success. Only an explicit false counts: "Success": true with an odd Code is a
        // documented success.
        let success = fields
            .get::<bool>("Success")
            .map_err(|e| Failure::Decode(mismatch(raw, &e)))?;
        success == Some(false)
    } else {
        true
    };
    if !failed {
        return Ok(Some(fields));
    }
    match Envelope::read(&fields) {
        Ok(envelope) => Err(Failure::Service(service_error(raw, envelope))),
        Err(e) => Err(Failure::Decode(mismatch(raw, &e))),
    }
}

/// Decodes the output of a response that passed [`check`], from the members it returned
/// (for an object output) or the body itself.
pub fn decode_output<O: Output>(
    raw: &RawResponse,
    fields: Option<&Fields<'_>>,
) -> Result<O, DecodeError> {
    O::read(raw, fields).map_err(|e| mismatch(raw, &e))
}

/// The decode error of a body that is not a JSON object (or not valid JSON at all).
fn not_json<E>(raw: &RawResponse, e: &str) -> Failure<E> {
    Failure::Decode(decode_error(
        raw,
        format!("{} ({e})", describe_empty(&raw.body)),
    ))
}

/// The decode error of a JSON object whose fields (envelope or output) have unreadable
/// types.
fn mismatch(raw: &RawResponse, e: &decode::Error) -> DecodeError {
    decode_error(
        raw,
        format!("the body does not match the response type: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Record;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Err {
        Throttling,
        Unhandled,
    }
    impl ErrorKind for Err {
        const CODES: &'static [&'static str] = &["Throttling"];
        const DOCUMENTED: &'static [Self] = &[Err::Throttling];
        const UNHANDLED: Self = Err::Unhandled;
        fn position(&self) -> usize {
            *self as usize
        }
    }

    #[derive(Debug, PartialEq)]
    struct Out {
        request_id: Option<String>,
        code: Option<String>,
        count: Option<i64>,
    }

    impl Record for Out {
        fn from_fields(fields: &Fields<'_>) -> Result<Self, decode::Error> {
            Ok(Out {
                request_id: fields.get("RequestId")?,
                code: fields.get("Code")?,
                count: fields.get("Count")?,
            })
        }
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            request_id_header: None,
            retry_after: None,
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            headers: Default::default(),
        }
    }

    #[test]
    fn success_true_with_odd_code_stays_success() {
        let out: Out = interpret::<Out, Err>(&raw(
            200,
            r#"{"RequestId":"r1","Success":true,"Code":"InvalidInput"}"#,
        ))
        .unwrap();
        assert_eq!(out.code.as_deref(), Some("InvalidInput"));
    }

    #[test]
    fn success_false_becomes_service_error() {
        let Err(Failure::Service(e)) = interpret::<Out, Err>(&raw(
            200,
            r#"{"RequestId":"r2","Success":"False","Code":"Throttling","Message":"slow down"}"#,
        )) else {
            panic!("expected a service error")
        };
        assert_eq!(
            (e.status(), e.code(), e.request_id()),
            (200, "Throttling", Some("r2"))
        );
        assert_eq!(e.kind(), &Err::Throttling);
        assert_eq!(e.message(), Some("slow down"));
        assert!(e.raw_body().contains("slow down"));
    }

    #[test]
    fn error_body_fields_are_exposed() {
        let body = r#"{"RequestId":"r3","HostId":"rds.aliyuncs.com","Code":"Forbidden.RAM","Message":"no","Recommend":"https://x","AccessDeniedDetail":{"AuthAction":"rds:X","NoPermissionType":"ImplicitDeny"}}"#;
        let Err(Failure::Service(e)) = interpret::<Out, Err>(&raw(403, body)) else {
            panic!()
        };
        assert_eq!(e.kind(), &Err::Unhandled);
        assert_eq!(e.host_id(), Some("rds.aliyuncs.com"));
        assert_eq!(e.recommend(), Some("https://x"));
        let d = e.access_denied_detail().unwrap();
        assert_eq!(d.auth_action.as_deref(), Some("rds:X"));
        assert_eq!(d.no_permission_type.as_deref(), Some("ImplicitDeny"));
    }

    #[test]
    fn lowercase_spellings_and_missing_code() {
        let Err(Failure::Service(e)) =
            interpret::<Out, Err>(&raw(400, r#"{"requestId":"r4","code":"Throttling"}"#))
        else {
            panic!()
        };
        assert_eq!((e.code(), e.request_id()), ("Throttling", Some("r4")));
        let Err(Failure::Service(e)) = interpret::<Out, Err>(&raw(500, r#"{"RequestId":"r5"}"#))
        else {
            panic!()
        };
        assert_eq!(e.code(), UNKNOWN_CODE);
    }

    #[test]
    fn garbage_is_a_decode_error_with_request_id_when_recoverable() {
        for (status, body) in [
            (502, "<html><body>Bad Gateway</body></html>"),
            (200, r#"{"RequestId":"ABC-123","Data":{"x":"#),
            (200, ""),
            (200, "[1,2]"),
            (200, "null"),
        ] {
            let mut r = raw(status, body);
            let Err(Failure::Decode(e)) = interpret::<Out, Err>(&r) else {
                panic!("{body}")
            };
            assert_eq!(e.status(), status);
            if body.contains("ABC-123") {
                assert_eq!(e.request_id(), Some("ABC-123"));
            }
            r.request_id_header = Some("HDR-1".into());
            let Err(Failure::Decode(e)) = interpret::<Out, Err>(&r) else {
                panic!()
            };
            assert_eq!(e.request_id(), Some("HDR-1"));
        }
    }

    #[test]
    fn wrong_types_in_2xx_body_are_decode_errors() {
        let Err(Failure::Decode(e)) =
            interpret::<Out, Err>(&raw(200, r#"{"RequestId":"r6","Count":"many"}"#))
        else {
            panic!()
        };
        assert!(
            e.reason().contains("response type: Count:"),
            "{}",
            e.reason()
        );
        assert_eq!(e.request_id(), Some("r6"));
        // An unreadable `Success` is not a success either.
        let Err(Failure::Decode(e)) =
            interpret::<Out, Err>(&raw(200, r#"{"RequestId":"r7","Success":"maybe"}"#))
        else {
            panic!()
        };
        assert!(e.reason().contains("Success:"), "{}", e.reason());
    }
}
