//! Every way a call can fail, separated by what the caller can do about it.
//!
//! No `Display` here ever prints credentials or request parameters: transport errors are
//! stripped of their URL (which may carry query parameters), and bodies are bounded and
//! passed through [`crate::redact`].

use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use std::fmt;
use std::time::Duration;

/// The error of [`Client::call`](crate::Client::call), generic over the operation's error enum.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built; nothing was sent.
    #[error("could not build the request: {0}")]
    Build(#[from] BuildError),
    /// No usable credentials for the attempt. Nothing was sent when it was the first; when
    /// a later attempt's refresh failed, earlier attempts were sent and the error carries the
    /// generated idempotency token ([`SdkError::idempotency_token`]).
    #[error("no usable credentials: {0}")]
    Credentials(CredentialsFailure),
    /// Connecting or waiting for the response took longer than configured.
    #[error("{0}")]
    Timeout(#[from] TimeoutError),
    /// The connection failed (refused, reset, TLS, ...).
    #[error("{0}")]
    Transport(#[from] TransportError),
    /// The service answered with an error.
    #[error("{0}")]
    Service(ServiceError<E>),
    /// The service answered something that is not the expected JSON.
    #[error("{0}")]
    Decode(#[from] DecodeError),
}

impl<E> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The RequestId of the failed call, when the service answered at all.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::Decode(e) => e.request_id(),
            _ => None,
        }
    }

    /// The idempotency token the runtime generated for the call (the caller left the
    /// operation's `ClientToken` unset) and sent with every attempt. Calling the operation
    /// again with this token set is safe: the service applies the request at most once.
    /// `None` when the caller set the token, the operation has none, or nothing was sent.
    pub fn idempotency_token(&self) -> Option<&str> {
        self.notes()?.idempotency_token.as_deref()
    }

    /// Why the call ended before its last allowed attempt although the failure is one
    /// that reads are retried after: [`NotRetried::MayHaveBeenApplied`] when the request
    /// may have been applied and the operation is not safe to repeat.
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.notes()?.not_retried
    }

    fn notes(&self) -> Option<&CallNotes> {
        match self {
            SdkError::Timeout(e) => Some(&e.notes),
            SdkError::Transport(e) => Some(&e.notes),
            SdkError::Service(e) => Some(&e.details.notes),
            SdkError::Decode(e) => Some(&e.notes),
            SdkError::Credentials(e) => Some(&e.notes),
            SdkError::Build(_) => None,
        }
    }
}

/// Why a call was not retried although reads are retried after such a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// The service may have applied the request (the connection broke after it was sent,
    /// no answer came within the read timeout, a 5xx, or an unreadable 2xx answer), and the
    /// operation is not safe to repeat: it is not a read and no idempotency token was
    /// sent. Repeating it could apply it twice; check its effect first (a describe or list
    /// call), then call again if it was not applied.
    MayHaveBeenApplied,
}

/// What a failed call's error reports beyond its failure: the idempotency token the
/// runtime generated, and why the attempts stopped early.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallNotes {
    pub(crate) idempotency_token: Option<String>,
    pub(crate) not_retried: Option<NotRetried>,
}

/// Appended to the failure's message: nothing when there is nothing to note.
impl fmt::Display for CallNotes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.not_retried == Some(NotRetried::MayHaveBeenApplied) {
            f.write_str(
                "; not retried: the request may have been applied and the operation is not \
                 safe to repeat (not a read, no idempotency token); check whether it took \
                 effect before calling it again",
            )?;
        }
        if let Some(token) = &self.idempotency_token {
            write!(
                f,
                "; idempotency token {token} (calling again with it set applies the request at most once)"
            )?;
        }
        Ok(())
    }
}

/// Credentials that could not be had for an attempt, with what the call noted by then.
#[derive(Debug, thiserror::Error)]
#[error("{source}{notes}")]
pub struct CredentialsFailure {
    source: CredentialsError,
    pub(crate) notes: CallNotes,
}

impl CredentialsFailure {
    /// Why no credentials could be had.
    pub fn error(&self) -> &CredentialsError {
        &self.source
    }
}

impl std::ops::Deref for CredentialsFailure {
    type Target = CredentialsError;

    fn deref(&self) -> &CredentialsError {
        &self.source
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(source: CredentialsError) -> Self {
        SdkError::Credentials(CredentialsFailure {
            source,
            notes: CallNotes::default(),
        })
    }
}

impl<E> From<ServiceError<E>> for SdkError<E> {
    fn from(e: ServiceError<E>) -> Self {
        SdkError::Service(e)
    }
}

/// The request could not be built from the input, before any network I/O.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Required fields were not set; every missing one is named.
    #[error("{action}: missing required field(s): {}", fields.join(", "))]
    MissingRequired {
        /// The operation.
        action: &'static str,
        /// Wire names of every missing field.
        fields: Vec<&'static str>,
    },
    /// `send()` was called on a builder that was not created from a client.
    #[error(
        "{action}: the builder has no client; create it with a client method such as `client.<operation>()`"
    )]
    NoClient {
        /// The operation.
        action: &'static str,
    },
    /// The request value could not be serialized.
    #[error("{action}: could not serialize the request: {reason}")]
    Serialize {
        /// The operation.
        action: &'static str,
        /// Why.
        reason: String,
    },
    /// The request serialized a field that its operation metadata does not describe
    /// (a generator bug; reported rather than sent somewhere arbitrary).
    #[error("{action}: field `{name}` has no parameter metadata")]
    UnknownParameter {
        /// The operation.
        action: &'static str,
        /// The serde name of the field.
        name: String,
    },
    /// A parameter uses a location or style the runtime does not support yet.
    #[error("{action}: parameter `{name}`: {what} is not supported yet")]
    Unsupported {
        /// The operation.
        action: &'static str,
        /// Wire name of the parameter.
        name: &'static str,
        /// What is unsupported.
        what: &'static str,
    },
    /// A value cannot be sent as an HTTP header or path segment.
    #[error("{action}: parameter `{name}` has a value that cannot be sent: {reason}")]
    InvalidValue {
        /// The operation.
        action: &'static str,
        /// Wire name of the parameter.
        name: &'static str,
        /// Why (never the value itself, which may be secret).
        reason: &'static str,
    },
    /// No endpoint could be chosen.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
}

impl BuildError {
    /// [`BuildError::MissingRequired`] naming each of `names` whose `set` is false (a
    /// generated builder's `build`, which calls this only when one is missing).
    pub fn missing_required(action: &'static str, names: &[&'static str], set: &[bool]) -> Self {
        BuildError::MissingRequired {
            action,
            fields: names
                .iter()
                .zip(set)
                .filter(|(_, set)| !**set)
                .map(|(name, _)| *name)
                .collect(),
        }
    }
}

/// Which wait ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Establishing the connection.
    Connect,
    /// Waiting for (part of) the response.
    Read,
}

/// A connect or read timeout, after the last attempt.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {} timed out (limit {limit:?}) after {attempts} attempt(s){notes}", match phase { TimeoutPhase::Connect => "connecting", TimeoutPhase::Read => "reading the response" })]
pub struct TimeoutError {
    pub(crate) action: &'static str,
    pub(crate) phase: TimeoutPhase,
    pub(crate) limit: Duration,
    pub(crate) attempts: u32,
    pub(crate) notes: CallNotes,
    #[source]
    pub(crate) source: Option<reqwest::Error>,
}

impl TimeoutError {
    /// Which wait ran out.
    pub fn phase(&self) -> TimeoutPhase {
        self.phase
    }
    /// The configured limit that was exceeded.
    pub fn limit(&self) -> Duration {
        self.limit
    }
    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// The idempotency token the runtime generated and sent (see
    /// [`SdkError::idempotency_token`]).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.notes.idempotency_token.as_deref()
    }
    /// Why the call was not retried (see [`SdkError::not_retried`]).
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.notes.not_retried
    }
}

/// What kind of connection failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be established.
    Connect,
    /// The connection broke while sending the request or reading the response.
    Connection,
    /// Anything else reqwest reports (builder, redirect, ...).
    Other,
}

/// The connection failed, after the last attempt.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {} after {attempts} attempt(s): {source}{notes}", match kind { TransportErrorKind::Connect => "could not connect", TransportErrorKind::Connection => "the connection failed", TransportErrorKind::Other => "the HTTP request failed" })]
pub struct TransportError {
    pub(crate) action: &'static str,
    pub(crate) kind: TransportErrorKind,
    pub(crate) attempts: u32,
    pub(crate) notes: CallNotes,
    /// Stripped of its URL, which may carry query parameters.
    #[source]
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// The idempotency token the runtime generated and sent (see
    /// [`SdkError::idempotency_token`]).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.notes.idempotency_token.as_deref()
    }
    /// Why the call was not retried (see [`SdkError::not_retried`]).
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.notes.not_retried
    }
}

/// RAM's explanation of a permission denial (`AccessDeniedDetail` in the error body).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct AccessDeniedDetail {
    /// The denied action, e.g. `adb:CreateAPSJob`.
    #[serde(rename = "AuthAction", default)]
    pub auth_action: Option<String>,
    /// `SubUser`, `AssumedRoleUser`, ...
    #[serde(rename = "AuthPrincipalType", default)]
    pub auth_principal_type: Option<String>,
    /// Account owning the principal.
    #[serde(rename = "AuthPrincipalOwnerId", default)]
    pub auth_principal_owner_id: Option<String>,
    /// Display name of the principal.
    #[serde(rename = "AuthPrincipalDisplayName", default)]
    pub auth_principal_display_name: Option<String>,
    /// Which kind of policy denied.
    #[serde(rename = "PolicyType", default)]
    pub policy_type: Option<String>,
    /// `ImplicitDeny` or `ExplicitDeny`.
    #[serde(rename = "NoPermissionType", default)]
    pub no_permission_type: Option<String>,
    /// Decode with RAM `DecodeDiagnosticMessage`.
    #[serde(rename = "EncodedDiagnosticMessage", default)]
    pub encoded_diagnostic_message: Option<String>,
}

/// An error answered by the service: an HTTP error status with a JSON error body, or a 2xx
/// body that says `"Success": false`.
#[derive(Clone, Debug)]
pub struct ServiceError<E> {
    pub(crate) kind: E,
    /// Boxed so that `Result<Output, SdkError<E>>` stays small.
    pub(crate) details: Box<ServiceErrorDetails>,
}

/// Everything but the variant of a [`ServiceError`].
#[derive(Clone, Debug)]
pub(crate) struct ServiceErrorDetails {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) host_id: Option<String>,
    pub(crate) recommend: Option<String>,
    pub(crate) access_denied_detail: Option<AccessDeniedDetail>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) raw_body: String,
    pub(crate) notes: CallNotes,
}

impl ServiceError<()> {
    /// The same error with its variant of the operation's error enum, read from the code.
    pub(crate) fn with_kind<E: crate::operation::ErrorKind>(self) -> ServiceError<E> {
        ServiceError {
            kind: E::from_code(&self.details.code),
            details: self.details,
        }
    }
}

impl SdkError<()> {
    /// The same error with any service error given its variant of the operation's enum.
    pub(crate) fn with_kind<E: crate::operation::ErrorKind>(self) -> SdkError<E> {
        match self {
            SdkError::Build(e) => SdkError::Build(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Service(e) => SdkError::Service(e.with_kind()),
            SdkError::Decode(e) => SdkError::Decode(e),
        }
    }
}

impl<E> ServiceError<E> {
    /// The operation's error variant for [`code`](Self::code).
    pub fn kind(&self) -> &E {
        &self.kind
    }
    /// Consumes the error, returning the variant.
    pub fn into_kind(self) -> E {
        self.kind
    }
    /// HTTP status of the response (2xx for a `"Success": false` body).
    pub fn status(&self) -> u16 {
        self.details.status
    }
    /// The error code as the service sent it (`"Unknown"` when the body had none).
    pub fn code(&self) -> &str {
        &self.details.code
    }
    /// Human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.details.message.as_deref()
    }
    /// RequestId, from the body or the `x-acs-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.details.request_id.as_deref()
    }
    /// The endpoint host that handled the request.
    pub fn host_id(&self) -> Option<&str> {
        self.details.host_id.as_deref()
    }
    /// Troubleshooting URL.
    pub fn recommend(&self) -> Option<&str> {
        self.details.recommend.as_deref()
    }
    /// Details of a RAM permission denial.
    pub fn access_denied_detail(&self) -> Option<&AccessDeniedDetail> {
        self.details.access_denied_detail.as_ref()
    }
    /// The delay the service asked for with `x-acs-retry-after`.
    pub fn retry_after(&self) -> Option<Duration> {
        self.details.retry_after
    }
    /// The response body, truncated to [`MAX_RAW_BODY`] bytes.
    pub fn raw_body(&self) -> &str {
        &self.details.raw_body
    }
    /// The idempotency token the runtime generated and sent (see
    /// [`SdkError::idempotency_token`]).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.details.notes.idempotency_token.as_deref()
    }
    /// Why the call was not retried (see [`SdkError::not_retried`]).
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.details.notes.not_retried
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.details;
        write!(f, "service error {} (HTTP {})", d.code, d.status)?;
        if let Some(m) = &d.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &d.request_id {
            write!(f, " [RequestId: {id}]")?;
        }
        d.notes.fmt(f)
    }
}

impl<E: fmt::Debug> std::error::Error for ServiceError<E> {}

/// How much of an error body [`ServiceError::raw_body`] keeps.
pub const MAX_RAW_BODY: usize = 64 * 1024;

/// The response was not the expected JSON.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("could not decode the response (HTTP {status}{}): {reason}; body starts: {snippet:?}{notes}", request_id.as_deref().map(|id| format!(", RequestId: {id}")).unwrap_or_default())]
pub struct DecodeError {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) reason: String,
    pub(crate) snippet: String,
    pub(crate) notes: CallNotes,
}

impl DecodeError {
    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// RequestId, when the header or a fragment of the body carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// Why decoding failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// The start of the body, bounded and with secret-looking values redacted.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }
    /// The idempotency token the runtime generated and sent (see
    /// [`SdkError::idempotency_token`]).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.notes.idempotency_token.as_deref()
    }
    /// Why the call was not retried (see [`SdkError::not_retried`]).
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.notes.not_retried
    }
}
