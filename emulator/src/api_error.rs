//! Errors as Alibaba's gateway sends them: an HTTP status and a JSON body
//! `{RequestId, HostId, Code, Message, Recommend}` (reference §3.2).
//!
//! The codes and statuses of the gateway-level errors the emulator raises itself follow
//! the reference's table of common codes (§3.3); documented per-operation errors come from
//! the spec's error rows instead.

use serde::Serialize;

/// An error the emulator answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Alibaba error code (`SignatureDoesNotMatch`).
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Milliseconds for an `x-acs-retry-after` header (throttling only).
    pub retry_after_ms: Option<u64>,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            retry_after_ms: None,
        }
    }

    /// `InvalidApi.NotFound` (404): no operation for this action and version.
    pub fn api_not_found(action: &str, version: &str) -> Self {
        Self::new(
            404,
            "InvalidApi.NotFound",
            format!(
                "Specified api is not found, please check your url and method. (action `{action}`, version `{version}` is not in the emulator's specs)"
            ),
        )
    }

    /// `InvalidApi.NotFound` (404) for a non-RPC request whose method or path is not the
    /// operation's: Alibaba's gateway routes those by method and path.
    pub fn route_not_found(method: &str, path: &str, op: &crate::catalog::Operation) -> Self {
        Self::new(
            404,
            "InvalidApi.NotFound",
            format!(
                "Specified api is not found, please check your url and method. ({} {} version {} is `{}`; received `{method} {path}`)",
                op.spec.action,
                op.product,
                op.version,
                op.route_text()
            ),
        )
    }

    /// `InvalidApi.NotFound` (404) for a request naming no action whose method and path
    /// match no served template.
    pub fn path_not_found(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "InvalidApi.NotFound",
            format!(
                "Specified api is not found, please check your url and method. (no served operation is `{method} {path}`, and the request has no x-acs-action header)"
            ),
        )
    }

    /// `MissingParameter` (400) for a header the protocol requires.
    pub fn missing_header(name: &str) -> Self {
        Self::new(
            400,
            "MissingParameter",
            format!(
                "The request header `{name}` that is mandatory for processing this request is not supplied."
            ),
        )
    }

    /// `UnsupportedHTTPMethod` (400).
    pub fn unsupported_method(method: &str, action: &str, allowed: &str) -> Self {
        Self::new(
            400,
            "UnsupportedHTTPMethod",
            format!("The HTTP method {method} is not supported by {action}; allowed: {allowed}."),
        )
    }

    /// `IncompleteSignature` (400): the Authorization header is absent or malformed, or
    /// a header the emulator's policy requires is not signed.
    pub fn incomplete_signature(reason: &str) -> Self {
        Self::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Alibaba Cloud standards: {reason}"),
        )
    }

    /// `InvalidAccessKeyId.NotFound` (404).
    pub fn access_key_not_found() -> Self {
        Self::new(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        )
    }

    /// `SignatureDoesNotMatch` (400, as in the POP client-error list).
    pub fn signature_does_not_match(detail: &str) -> Self {
        Self::new(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature does not match our calculation. {detail}"),
        )
    }

    /// `InvalidTimeStamp.Format` (400).
    pub fn timestamp_format(value: &str) -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Format",
            format!(
                "Specified time stamp `{value}` is not in the format yyyy-MM-ddTHH:mm:ssZ (UTC)."
            ),
        )
    }

    /// `InvalidTimeStamp.Expired` (400): more than 15 minutes away from the server clock.
    pub fn timestamp_expired(value: &str) -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value `{value}` is expired: it must be within 15 minutes of the server time."
            ),
        )
    }

    /// `SignatureNonceUsed` (400).
    pub fn nonce_used() -> Self {
        Self::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        )
    }

    /// `InvalidSecurityToken.MismatchWithAccessKey` (400) and friends.
    pub fn security_token(code_suffix: &str, message: &str) -> Self {
        Self::new(400, format!("InvalidSecurityToken.{code_suffix}"), message)
    }

    /// `Throttling.User` (400): the configured throttling fault.
    pub fn throttled(retry_after_ms: Option<u64>) -> Self {
        Self {
            retry_after_ms,
            ..Self::new(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            )
        }
    }

    /// The JSON body, with the request's id, the host that "handled" it and a
    /// troubleshooting link shaped like Alibaba's.
    pub fn body(&self, request_id: &str, host: &str, product: &str) -> String {
        self.body_spelled(request_id, host, product, Spelling::Pascal)
    }

    /// [`ApiError::body`] with the member names of `spelling` (`Code` or `code`, ...).
    pub fn body_spelled(
        &self,
        request_id: &str,
        host: &str,
        product: &str,
        spelling: Spelling,
    ) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Pascal<'a> {
            request_id: &'a str,
            host_id: &'a str,
            code: &'a str,
            message: &'a str,
            recommend: String,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Camel<'a> {
            request_id: &'a str,
            host_id: &'a str,
            code: &'a str,
            message: &'a str,
            recommend: String,
        }
        let recommend = format!(
            "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q={}&product={}&requestId={}",
            crate::signature::percent_encode(&self.code),
            crate::signature::percent_encode(product),
            request_id
        );
        let text = match spelling {
            Spelling::Pascal => serde_json::to_string(&Pascal {
                request_id,
                host_id: host,
                code: &self.code,
                message: &self.message,
                recommend,
            }),
            Spelling::Camel => serde_json::to_string(&Camel {
                request_id,
                host_id: host,
                code: &self.code,
                message: &self.message,
                recommend,
            }),
        };
        text.unwrap_or_else(|_| unreachable!("a struct of strings always serialises"))
    }
}

/// How a product spells the members of its error bodies (styles reference §1.10): RPC and
/// most ROA services `Code`/`Message`/`RequestId`, some ROA services `code`/`message`/
/// `requestId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spelling {
    /// `RequestId`, `HostId`, `Code`, `Message`, `Recommend`.
    #[default]
    Pascal,
    /// `requestId`, `hostId`, `code`, `message`, `recommend`.
    Camel,
}

impl Spelling {
    /// The spelling an error sample shows: `Camel` when it has `code`, `message` or
    /// `requestId` and not their Pascal-case forms; `None` when it shows neither.
    pub fn of_sample(body: &str) -> Option<Spelling> {
        let serde_json::Value::Object(members) = serde_json::from_str(body).ok()? else {
            return None;
        };
        let has = |key: &str| members.contains_key(key);
        if has("Code") || has("Message") || has("RequestId") {
            Some(Spelling::Pascal)
        } else if has("code") || has("message") || has("requestId") {
            Some(Spelling::Camel)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_alibabas_five_fields() {
        let body = ApiError::signature_does_not_match("x").body("RID-1", "adb.aliyuncs.com", "adb");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["RequestId"], "RID-1");
        assert_eq!(value["HostId"], "adb.aliyuncs.com");
        assert_eq!(value["Code"], "SignatureDoesNotMatch");
        assert!(
            value["Message"]
                .as_str()
                .unwrap()
                .starts_with("Specified signature does not match our calculation.")
        );
        assert_eq!(
            value["Recommend"],
            "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=SignatureDoesNotMatch&product=adb&requestId=RID-1"
        );
        assert_eq!(value.as_object().unwrap().len(), 5);
    }

    #[test]
    fn lowercase_spelling_follows_the_samples() {
        let body = ApiError::new(404, "ErrorClusterNotFound", "gone").body_spelled(
            "RID",
            "cs.aliyuncs.com",
            "cs",
            Spelling::Camel,
        );
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["code"], "ErrorClusterNotFound");
        assert_eq!(value["message"], "gone");
        assert_eq!(value["requestId"], "RID");
        assert!(value.get("Code").is_none());
        assert_eq!(
            Spelling::of_sample(r#"{"code":"X","message":"m","requestId":"r"}"#),
            Some(Spelling::Camel)
        );
        assert_eq!(
            Spelling::of_sample(r#"{"Code":"X","RequestId":"r"}"#),
            Some(Spelling::Pascal)
        );
        assert_eq!(Spelling::of_sample("[1]"), None);
    }

    #[test]
    fn throttling_carries_retry_after() {
        let err = ApiError::throttled(Some(250));
        assert_eq!(
            (err.status, err.code.as_str(), err.retry_after_ms),
            (400, "Throttling.User", Some(250))
        );
    }
}
