//! Turning an HTTP response into the operation's output or a typed error.

use crate::decode::lenient;
use crate::error::{
    AccessDeniedDetail, DecodeError, MAX_RAW_BODY, ServiceError, ServiceErrorDetails,
};
use crate::operation::ErrorKind;
use crate::redact;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The code given to a service error whose body has no `Code`.
pub const UNKNOWN_CODE: &str = "Unknown";

/// What the transport read, before interpretation.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The `x-acs-request-id` header.
    pub request_id_header: Option<String>,
    /// The `x-acs-retry-after` header (milliseconds).
    pub retry_after: Option<Duration>,
    /// The whole body.
    pub body: bytes::Bytes,
}

/// A failed response.
#[derive(Debug)]
pub enum Failure<E> {
    /// The service reported an error.
    Service(ServiceError<E>),
    /// The body is not the expected JSON.
    Decode(DecodeError),
}

/// The common fields of error bodies (and of a 2xx body reporting `"Success": false`).
#[derive(Deserialize)]
struct Envelope {
    #[serde(
        rename = "RequestId",
        alias = "requestId",
        default,
        deserialize_with = "lenient"
    )]
    request_id: Option<String>,
    #[serde(
        rename = "HostId",
        alias = "hostId",
        default,
        deserialize_with = "lenient"
    )]
    host_id: Option<String>,
    #[serde(rename = "Code", alias = "code", default, deserialize_with = "lenient")]
    code: Option<String>,
    #[serde(
        rename = "Message",
        alias = "message",
        default,
        deserialize_with = "lenient"
    )]
    message: Option<String>,
    #[serde(rename = "Recommend", default, deserialize_with = "lenient")]
    recommend: Option<String>,
    /// Kept loose: an odd shape here must not hide the rest of the error.
    #[serde(rename = "AccessDeniedDetail", default)]
    access_denied_detail: Option<serde_json::Value>,
}

/// The one envelope field a 2xx answer needs: the output is decoded on its own, so the
/// success path does not copy the envelope's strings.
#[derive(Deserialize)]
struct SuccessFlag {
    #[serde(rename = "Success", default, deserialize_with = "lenient")]
    success: Option<bool>,
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
            access_denied_detail: envelope
                .access_denied_detail
                .and_then(|v| serde_json::from_value::<AccessDeniedDetail>(v).ok()),
            retry_after: raw.retry_after,
            raw_body: raw_body(&raw.body),
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
pub fn interpret<O: DeserializeOwned, E: ErrorKind>(raw: &RawResponse) -> Result<O, Failure<E>> {
    check(raw).map_err(Failure::with_kind)?;
    decode_output(raw).map_err(Failure::Decode)
}

/// Everything of [`interpret`] that does not depend on the operation: `Ok` for a 2xx JSON
/// object that does not say `"Success": false`, whose output is then read by
/// [`decode_output`]; otherwise the failure, with a service error not yet given its variant
/// ([`Failure::with_kind`]). Kept apart so the retry loop is compiled once, not per operation.
pub fn check(raw: &RawResponse) -> Result<(), Failure<()>> {
    // serde would read a struct from a JSON array too; every documented body is an object.
    let is_object = raw.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !is_object {
        let e: serde_json::Error = serde::de::Error::custom("expected a JSON object");
        return Err(not_json(raw, &e));
    }
    if !(200..300).contains(&raw.status) {
        return Err(match serde_json::from_slice::<Envelope>(&raw.body) {
            Ok(envelope) => Failure::Service(service_error(raw, envelope)),
            Err(e) => not_json(raw, &e),
        });
    }
    // The official SDKs ignore a 2xx "Success": false; callers then read garbage as success.
    // Only an explicit false counts: "Success": true with an odd Code is a documented success.
    match serde_json::from_slice::<SuccessFlag>(&raw.body) {
        Ok(SuccessFlag {
            success: Some(false),
        }) => Err(match serde_json::from_slice::<Envelope>(&raw.body) {
            Ok(envelope) => Failure::Service(service_error(raw, envelope)),
            Err(e) => not_json(raw, &e),
        }),
        Ok(_) => Ok(()),
        Err(e) => Err(not_json(raw, &e)),
    }
}

/// Decodes the output of a response that passed [`check`].
pub fn decode_output<O: DeserializeOwned>(raw: &RawResponse) -> Result<O, DecodeError> {
    serde_json::from_slice::<O>(&raw.body).map_err(|e| {
        decode_error(
            raw,
            format!("the body does not match the response type: {e}"),
        )
    })
}

/// The decode error of a body that is not a JSON object (or not valid JSON at all).
fn not_json<E>(raw: &RawResponse, e: &serde_json::Error) -> Failure<E> {
    Failure::Decode(decode_error(
        raw,
        format!("{} ({e})", describe_empty(&raw.body)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Err {
        Throttling,
        Unhandled(String),
    }
    impl ErrorKind for Err {
        fn from_code(code: &str) -> Self {
            match code {
                "Throttling" => Err::Throttling,
                o => Err::Unhandled(o.to_owned()),
            }
        }
        fn code(&self) -> &str {
            match self {
                Err::Throttling => "Throttling",
                Err::Unhandled(c) => c,
            }
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Out {
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
        #[serde(rename = "Code", default, deserialize_with = "lenient")]
        code: Option<String>,
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            request_id_header: None,
            retry_after: None,
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
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
        assert_eq!(e.kind(), &Err::Unhandled("Forbidden.RAM".into()));
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
        let Err(Failure::Decode(e)) = interpret::<Out, Err>(&raw(200, r#"{"RequestId":5}"#)) else {
            panic!()
        };
        assert!(e.reason().contains("response type"), "{}", e.reason());
    }
}
