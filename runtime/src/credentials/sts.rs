//! Role-assuming providers: STS `AssumeRole`, signed with source credentials
//! (`ram_role_arn`, CLI `RamRoleArn` / `ChainableRamRoleArn`), and STS
//! `AssumeRoleWithOIDC`, anonymous, with a rotating token file (`oidc_role_arn`, RRSA,
//! CLI `OIDC`, chain step 2).
//!
//! Both answer short-lived STS credentials with an `Expiration`; the
//! [`cache`](super::cache) asks again shortly before it. The requests are RPC calls of STS
//! 2015-04-01 built like any generated operation (form parameters, signature V3), from a
//! hand-written [`OperationMeta`], and retried by the same rules as calls (throttling, 5xx,
//! connection failures; 3 attempts with backoff; [`RoleSession::with_retry`] changes it).

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, remote};
use crate::endpoint::{self, Endpoint};
use crate::environment::Environment;
use crate::meta::{EndpointRule, Location, Method, OperationMeta, ParamMeta, ServiceMeta, Style};
use crate::request::{self, AnonymousInputs, AttemptInputs};
use crate::response::{self, Failure};
use crate::retry::{self, FailureKind, RetryConfig};
use crate::sensitive::Sensitive;
use crate::transport::{self, LazyClient};
use reqwest::header::HeaderValue;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Region of the STS endpoint (`sts.<region>.aliyuncs.com`).
pub const STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// `true` selects the VPC STS endpoint (`sts-vpc.<region>.aliyuncs.com`).
pub const VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// Session name used when the configuration gives none.
pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// Role of the OIDC provider (chain step 2).
pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// OIDC identity provider of the OIDC provider (chain step 2).
pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// File holding the OIDC token (chain step 2); re-read on every refresh, since it rotates.
pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";

/// Session duration asked for when the configuration gives none.
pub const DEFAULT_DURATION_SECONDS: u64 = 3600;
/// The shortest session STS grants.
pub const MIN_DURATION_SECONDS: u64 = 900;
/// The STS endpoint without a region.
pub const DEFAULT_STS_HOST: &str = "sts.aliyuncs.com";

static STS: ServiceMeta = ServiceMeta {
    product: "sts",
    version: "2015-04-01",
    endpoint_rule: EndpointRule::Central,
    endpoint_product_id: "sts",
    endpoints: &[],
};

const fn form(name: &'static str) -> ParamMeta {
    ParamMeta {
        name,
        location: Location::Form,
        style: Style::Plain,
        idempotency_token: false,
    }
}

static ASSUME_ROLE: OperationMeta = OperationMeta {
    action: "AssumeRole",
    auth: crate::meta::Auth::AccessKey,
    // Repeating it issues another set of temporary credentials; nothing is applied twice.
    operation_type: crate::meta::OperationType::Read,
    method: Method::Post,
    path: "/",
    params: &[
        form("RoleArn"),
        form("RoleSessionName"),
        form("DurationSeconds"),
        form("Policy"),
        form("ExternalId"),
    ],
};

static ASSUME_ROLE_WITH_OIDC: OperationMeta = OperationMeta {
    action: "AssumeRoleWithOIDC",
    auth: crate::meta::Auth::Anonymous,
    operation_type: crate::meta::OperationType::Read,
    method: Method::Post,
    path: "/",
    params: &[
        form("RoleArn"),
        form("OIDCProviderArn"),
        form("OIDCToken"),
        form("RoleSessionName"),
        form("DurationSeconds"),
        form("Policy"),
    ],
};

// No `Debug`: these are built per request and carry the OIDC token.
#[derive(Serialize)]
struct AssumeRoleInput<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration_seconds: u64,
    #[serde(rename = "Policy", skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(rename = "ExternalId", skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
}

#[derive(Serialize)]
struct AssumeRoleWithOidcInput<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "OIDCProviderArn")]
    oidc_provider_arn: &'a str,
    #[serde(rename = "OIDCToken")]
    oidc_token: &'a Sensitive<String>,
    #[serde(rename = "RoleSessionName")]
    session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration_seconds: u64,
    #[serde(rename = "Policy", skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
}

/// What both role providers ask STS for: the role, the session's name and duration, an
/// optional policy narrowing it, and the STS endpoint to ask. Empty strings count as unset,
/// as empty values do in the official configuration files.
#[derive(Clone, Debug, Default)]
pub struct RoleSession {
    role_arn: String,
    session_name: String,
    duration_seconds: u64,
    policy: String,
    sts_region: String,
    vpc: bool,
    sts_endpoint: String,
    retry: RetryConfig,
}

impl RoleSession {
    /// A session of `role_arn` (`acs:ram::<account>:role/<name>`), for 3600 s, through
    /// `sts.aliyuncs.com`.
    pub fn new(role_arn: impl Into<String>) -> Self {
        RoleSession {
            role_arn: role_arn.into(),
            ..RoleSession::default()
        }
    }

    /// The session name (`RoleSessionName`); default `credentials-rust-<unix seconds>`.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// How long the credentials last; 0 means the default 3600 s, less than 900 is refused.
    pub fn with_duration_seconds(mut self, seconds: u64) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// A policy document narrowing the role's permissions for this session.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = policy.into();
        self
    }

    /// Asks `sts.<region>.aliyuncs.com` instead of `sts.aliyuncs.com`.
    pub fn with_sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = region.into();
        self
    }

    /// With a region, asks the VPC endpoint `sts-vpc.<region>.aliyuncs.com`.
    pub fn with_vpc(mut self, vpc: bool) -> Self {
        self.vpc = vpc;
        self
    }

    /// Sends the STS requests to this endpoint instead (`https://host[:port]`, a bare host,
    /// or `http://` to loopback for tests and emulators); region and VPC are then ignored.
    pub fn with_sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = url.into();
        self
    }

    /// How STS requests are retried; by default as calls are ([`RetryConfig::default`]:
    /// throttling, 5xx and connection failures, 3 attempts).
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Fills what is still unset from `ALIBABA_CLOUD_ROLE_SESSION_NAME`,
    /// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`, as the official
    /// role providers do.
    pub fn with_env_defaults(mut self, env: &Environment) -> Self {
        if self.session_name.is_empty() {
            self.session_name = env.var(ROLE_SESSION_NAME).unwrap_or_default().to_owned();
        }
        if self.sts_region.is_empty() {
            self.sts_region = env.var(STS_REGION).unwrap_or_default().to_owned();
        }
        self.vpc |= env.flag(VPC_ENDPOINT_ENABLED);
        self
    }

    /// The endpoint STS requests go to.
    fn endpoint(&self) -> Result<Endpoint, String> {
        let url = if !self.sts_endpoint.is_empty() {
            self.sts_endpoint.clone()
        } else if self.sts_region.is_empty() {
            DEFAULT_STS_HOST.to_owned()
        } else {
            let prefix = if self.vpc { "sts-vpc" } else { "sts" };
            format!("{prefix}.{}.aliyuncs.com", self.sts_region)
        };
        endpoint::parse_override(&url).map_err(|e| format!("STS endpoint: {e}"))
    }

    fn settle(self) -> Result<Settled, String> {
        if self.role_arn.is_empty() {
            return Err("the role ARN is empty".to_owned());
        }
        let duration_seconds = match self.duration_seconds {
            0 => DEFAULT_DURATION_SECONDS,
            d if d < MIN_DURATION_SECONDS => {
                return Err(format!(
                    "session duration {d} s is below the STS minimum of {MIN_DURATION_SECONDS} s"
                ));
            }
            d => d,
        };
        let endpoint = self.endpoint()?;
        let session_name = if self.session_name.is_empty() {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("credentials-rust-{now}")
        } else {
            self.session_name
        };
        Ok(Settled {
            role_arn: self.role_arn,
            session_name,
            duration_seconds,
            policy: Some(self.policy).filter(|p| !p.is_empty()),
            endpoint,
            retry: self.retry,
        })
    }
}

/// A validated [`RoleSession`].
struct Settled {
    role_arn: String,
    session_name: String,
    duration_seconds: u64,
    policy: Option<String>,
    endpoint: Endpoint,
    retry: RetryConfig,
}

impl Settled {
    /// A failed refresh of this session by STS `action`, naming the role and the endpoint.
    fn fetch_error(&self, action: &str, reason: String) -> CredentialsError {
        CredentialsError::Fetch {
            provider: format!(
                "STS {action} of {} at {}",
                self.role_arn,
                self.endpoint.base_url()
            ),
            reason,
        }
    }
}

impl fmt::Debug for Settled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settled")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("policy", &self.policy)
            .field("endpoint", &self.endpoint.base_url())
            .field("retry", &self.retry)
            .finish()
    }
}

/// The STS client of a provider: the call defaults (reference §6), built on first use.
fn sts_client() -> LazyClient {
    LazyClient::new(
        transport::DEFAULT_CONNECT_TIMEOUT,
        transport::DEFAULT_READ_TIMEOUT,
    )
}

/// Where the source credentials of `AssumeRole` come from.
#[derive(Debug)]
enum Source {
    /// An AccessKey (optionally with an STS token).
    Static(Credentials),
    /// Another provider, asked on every refresh (a chained role, an ECS role, ...).
    Provider(Arc<dyn ProvideCredentials>),
}

/// Credentials of a RAM role, assumed with STS `AssumeRole` signed by source credentials.
pub struct AssumeRoleProvider {
    session: Settled,
    external_id: Option<String>,
    source: Source,
    provider_name: String,
    http: LazyClient,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("session", &self.session)
            .field("external_id", &self.external_id)
            .field("source", &self.source)
            .field("provider_name", &self.provider_name)
            .finish_non_exhaustive()
    }
}

const RAM_ROLE_ARN: &str = "ram_role_arn";
const OIDC_ROLE_ARN: &str = "oidc_role_arn";

fn invalid(what: &str, reason: String) -> CredentialsError {
    CredentialsError::Invalid {
        provider: what.to_owned(),
        reason,
    }
}

impl AssumeRoleProvider {
    /// Assumes the role of `session` with a fixed AccessKey (or STS credentials).
    pub fn new(session: RoleSession, source: Credentials) -> Result<Self, CredentialsError> {
        Self::with_source(session, Source::Static(source))
    }

    /// Assumes the role of `session` with credentials asked from `source` on every refresh.
    pub fn from_provider(
        session: RoleSession,
        source: Arc<dyn ProvideCredentials>,
    ) -> Result<Self, CredentialsError> {
        Self::with_source(session, Source::Provider(source))
    }

    fn with_source(session: RoleSession, source: Source) -> Result<Self, CredentialsError> {
        Ok(AssumeRoleProvider {
            session: session.settle().map_err(|e| invalid("STS AssumeRole", e))?,
            external_id: None,
            source,
            provider_name: RAM_ROLE_ARN.to_owned(),
            http: sts_client(),
        })
    }

    /// The external id the role's trust policy asks for (`ExternalId`).
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into()).filter(|e| !e.is_empty());
        self
    }

    /// Names the source in the credentials it gives (e.g. `default/cli_profile/ram_role_arn`).
    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider_name = name.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason| self.session.fetch_error(ASSUME_ROLE.action, reason);
        let asked;
        let source = match &self.source {
            Source::Static(c) => c,
            Source::Provider(p) => {
                asked = p
                    .provide()
                    .await
                    .map_err(|e| fail(format!("source credentials: {e}")))?;
                &asked
            }
        };
        let s = &self.session;
        let input = AssumeRoleInput {
            role_arn: &s.role_arn,
            session_name: &s.session_name,
            duration_seconds: s.duration_seconds,
            policy: s.policy.as_deref(),
            external_id: self.external_id.as_deref(),
        };
        call(
            &self.http,
            &ASSUME_ROLE,
            &input,
            s,
            Some(source),
            &self.provider_name,
        )
        .await
        .map_err(fail)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn name(&self) -> &str {
        RAM_ROLE_ARN
    }

    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// Credentials of a RAM role, assumed with STS `AssumeRoleWithOIDC` and an OIDC token read
/// from a file (RRSA on Kubernetes). The call itself carries no AccessKey.
pub struct OidcRoleProvider {
    session: Settled,
    oidc_provider_arn: String,
    token_file: PathBuf,
    provider_name: String,
    http: LazyClient,
}

impl fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleProvider")
            .field("session", &self.session)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("provider_name", &self.provider_name)
            .finish_non_exhaustive()
    }
}

impl OidcRoleProvider {
    /// Assumes the role of `session` as the identity provider `oidc_provider_arn`, with the
    /// token in `token_file` (read again on every refresh).
    pub fn new(
        session: RoleSession,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Result<Self, CredentialsError> {
        let what = "STS AssumeRoleWithOIDC";
        let oidc_provider_arn = oidc_provider_arn.into();
        let token_file = token_file.into();
        if oidc_provider_arn.is_empty() {
            return Err(invalid(what, "the OIDC provider ARN is empty".to_owned()));
        }
        if token_file.as_os_str().is_empty() {
            return Err(invalid(
                what,
                "the OIDC token file path is empty".to_owned(),
            ));
        }
        Ok(OidcRoleProvider {
            session: session.settle().map_err(|e| invalid(what, e))?,
            oidc_provider_arn,
            token_file,
            provider_name: OIDC_ROLE_ARN.to_owned(),
            http: sts_client(),
        })
    }

    /// The provider of chain step 2, when `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set;
    /// `None` otherwise.
    pub fn from_env(env: &Environment) -> Option<Result<Self, CredentialsError>> {
        let (role, idp, file) = (
            env.var(ROLE_ARN)?,
            env.var(OIDC_PROVIDER_ARN)?,
            env.var(OIDC_TOKEN_FILE)?,
        );
        let session = RoleSession::new(role).with_env_defaults(env);
        Some(Self::new(session, idp, file).map(|p| p.with_provider_name("default/oidc_role_arn")))
    }

    /// Names the source in the credentials it gives (e.g. `default/oidc_role_arn`).
    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider_name = name.into();
        self
    }

    /// The token as it is now: the file is rotated by the platform.
    fn read_token(&self) -> Result<Sensitive<String>, String> {
        let path = self.token_file.display();
        // A small local file; reading it blocks no longer than a metadata lookup would.
        let text = std::fs::read_to_string(&self.token_file)
            .map_err(|e| format!("cannot read the OIDC token file {path}: {e}"))?;
        // A trailing newline (an editor's, or `echo`'s) is not part of a JWT.
        let token = text.trim();
        if token.is_empty() {
            return Err(format!("the OIDC token file {path} is empty"));
        }
        Ok(Sensitive::new(token.to_owned()))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason| {
            self.session
                .fetch_error(ASSUME_ROLE_WITH_OIDC.action, reason)
        };
        let token = self.read_token().map_err(fail)?;
        let s = &self.session;
        let input = AssumeRoleWithOidcInput {
            role_arn: &s.role_arn,
            oidc_provider_arn: &self.oidc_provider_arn,
            oidc_token: &token,
            session_name: &s.session_name,
            duration_seconds: s.duration_seconds,
            policy: s.policy.as_deref(),
        };
        call(
            &self.http,
            &ASSUME_ROLE_WITH_OIDC,
            &input,
            s,
            None,
            &self.provider_name,
        )
        .await
        .map_err(fail)
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn name(&self) -> &str {
        OIDC_ROLE_ARN
    }

    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// One STS call: `input` prepared for `operation`, then per attempt signed with
/// `credentials` (anonymous without), sent, and its answer read by [`exchange`].
///
/// Attempts follow the session's [`RetryConfig`] (by default the call defaults):
/// throttling, 5xx and connection failures are tried again with backoff (a server's
/// `x-acs-retry-after` wins), each attempt with a fresh date and nonce; other errors end
/// the call at once.
async fn call(
    http: &LazyClient,
    operation: &'static OperationMeta,
    input: &impl Serialize,
    session: &Settled,
    credentials: Option<&Credentials>,
    provider_name: &str,
) -> Result<Credentials, String> {
    let http = http.get()?;
    // Made per call: STS is asked once a session, not once a request.
    let user_agent = &HeaderValue::from_str(&crate::user_agent::base())
        .map_err(|_| "the user agent is not a valid header value".to_owned())?;
    let prepared =
        request::prepare(operation, input, &session.endpoint).map_err(|e| e.to_string())?;
    let action = operation.action;
    let policy = &session.retry;
    let mut attempts = retry::Attempts::new(policy);
    loop {
        let attempt = attempts.start();
        let date = request::acs_date(SystemTime::now());
        let nonce = request::nonce();
        let http_request = match credentials {
            Some(credentials) => request::signed(
                &prepared,
                &AttemptInputs {
                    service: &STS,
                    action,
                    credentials,
                    user_agent,
                    date: &date,
                    nonce: &nonce,
                },
            ),
            None => request::anonymous(
                &prepared,
                &AnonymousInputs {
                    service: &STS,
                    action,
                    user_agent,
                    date: &date,
                    nonce: &nonce,
                },
            ),
        }
        .map_err(|e| e.to_string())?;
        let failed = match exchange(http, http_request, operation, policy, provider_name).await {
            Ok(credentials) => return Ok(credentials),
            Err(failed) => failed,
        };
        // The reason names status, Code, Message and RequestId, never a secret.
        tracing::debug!(
            action,
            attempt,
            reason = %failed.error,
            retryable = failed.retryable,
            "STS request failed"
        );
        attempts.wait_to_retry(failed).await.map_err(|last| {
            if last.attempts > 1 {
                format!(
                    "{} (attempt {} of {})",
                    last.error,
                    last.attempts,
                    policy.max_attempts()
                )
            } else {
                last.error
            }
        })?;
    }
}

/// Sends one STS request and reads the credentials it answers, or the STS error. The answer
/// is checked like any call's ([`response::check`]: error envelope, `"Success": false`,
/// bodies that are not JSON) and judged by the same retry rules. Reasons name the status,
/// Code, Message and RequestId, never the body (it holds the secret).
async fn exchange(
    http: &reqwest::Client,
    http_request: reqwest::Request,
    operation: &'static OperationMeta,
    policy: &RetryConfig,
    provider_name: &str,
) -> Result<Credentials, retry::Failed<String>> {
    let action = operation.action;
    let raw = transport::exchange(http, http_request)
        .await
        .map_err(|e| retry::Failed {
            error: format!("{action}: {e}"),
            retryable: retry::judge(operation, false, FailureKind::of_exchange(&e), policy)
                .is_retry(),
            server_delay: None,
        })?;
    let fields = response::check(&raw, crate::output::Root::Object).map_err(|failure| {
        let kind = FailureKind::of_answer(&failure, raw.retry_after);
        let retryable = retry::judge(operation, false, kind, policy).is_retry();
        let server_delay = match &failure {
            Failure::Service(e) => e.retry_after(),
            Failure::Decode(_) => raw.retry_after,
        };
        let reason = match failure {
            Failure::Service(e) => format!(
                "{action} failed: HTTP {}, Code {}, Message {:?}, RequestId {}",
                e.status(),
                e.code(),
                e.message().unwrap_or_default(),
                e.request_id().unwrap_or("(none)"),
            ),
            Failure::Decode(e) => format!(
                "{action} failed: HTTP {}, RequestId {} ({})",
                e.status(),
                e.request_id().unwrap_or("(none)"),
                e.reason(),
            ),
        };
        retry::Failed {
            error: reason,
            retryable,
            server_delay,
        }
    })?;
    let fields = fields.expect("an object answer has members");
    let request_id = fields
        .get::<String>("RequestId")
        .ok()
        .flatten()
        .or(raw.request_id_header.clone())
        .unwrap_or_else(|| "(none)".to_owned());
    let Some(credentials) = fields.raw("Credentials") else {
        return Err(retry::Failed::fatal(format!(
            "{action}: the answer has no Credentials object (HTTP {}, RequestId {request_id})",
            raw.status
        )));
    };
    remote::parse(provider_name, credentials.as_bytes(), false)
        .map_err(|e| retry::Failed::fatal(format!("{action}: {e} (RequestId {request_id})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(session: RoleSession) -> String {
        session.settle().unwrap().endpoint.base_url()
    }

    #[test]
    fn sts_endpoint_follows_region_vpc_and_override() {
        assert_eq!(host(RoleSession::new("r")), "https://sts.aliyuncs.com");
        assert_eq!(
            host(RoleSession::new("r").with_sts_region("cn-shanghai")),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            host(
                RoleSession::new("r")
                    .with_sts_region("cn-shanghai")
                    .with_vpc(true)
            ),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        // VPC without a region: the central endpoint, as credentials-go does.
        assert_eq!(
            host(RoleSession::new("r").with_vpc(true)),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            host(
                RoleSession::new("r")
                    .with_sts_region("cn-shanghai")
                    .with_sts_endpoint("http://127.0.0.1:8080")
            ),
            "http://127.0.0.1:8080"
        );
        let env = Environment::empty()
            .with_var(STS_REGION, "eu-central-1")
            .with_var(VPC_ENDPOINT_ENABLED, "TRUE")
            .with_var(ROLE_SESSION_NAME, "from-env");
        let settled = RoleSession::new("r")
            .with_env_defaults(&env)
            .settle()
            .unwrap();
        assert_eq!(
            settled.endpoint.base_url(),
            "https://sts-vpc.eu-central-1.aliyuncs.com"
        );
        assert_eq!(settled.session_name, "from-env");
        // Explicit settings win over the environment.
        let settled = RoleSession::new("r")
            .with_session_name("mine")
            .with_sts_region("cn-beijing")
            .with_env_defaults(&env)
            .settle()
            .unwrap();
        assert_eq!(settled.session_name, "mine");
        assert_eq!(
            settled.endpoint.base_url(),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
    }

    #[test]
    fn defaults_and_validation() {
        let s = RoleSession::new("acs:ram::1:role/r").settle().unwrap();
        assert_eq!(s.duration_seconds, DEFAULT_DURATION_SECONDS);
        assert!(
            s.session_name.starts_with("credentials-rust-")
                && s.session_name["credentials-rust-".len()..]
                    .parse::<u64>()
                    .is_ok(),
            "{}",
            s.session_name
        );
        assert_eq!(s.policy, None);
        let e = RoleSession::new("r")
            .with_duration_seconds(899)
            .settle()
            .unwrap_err();
        assert_eq!(
            e,
            "session duration 899 s is below the STS minimum of 900 s"
        );
        assert_eq!(
            RoleSession::new("r")
                .with_duration_seconds(900)
                .settle()
                .unwrap()
                .duration_seconds,
            900
        );
        assert_eq!(
            RoleSession::new("").settle().unwrap_err(),
            "the role ARN is empty"
        );
        let e = AssumeRoleProvider::new(
            RoleSession::new("r").with_sts_endpoint("http://example.com"),
            Credentials::new("a", "b"),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("STS AssumeRole: STS endpoint:"),
            "{e}"
        );
        let e = OidcRoleProvider::new(RoleSession::new("r"), "", "/t").unwrap_err();
        assert!(e.to_string().contains("OIDC provider ARN is empty"), "{e}");
    }

    #[test]
    fn oidc_from_env_needs_all_three_variables() {
        let env = Environment::empty()
            .with_var(ROLE_ARN, "acs:ram::1:role/r")
            .with_var(OIDC_PROVIDER_ARN, "acs:ram::1:oidc-provider/p");
        assert!(OidcRoleProvider::from_env(&env).is_none());
        let p = OidcRoleProvider::from_env(&env.with_var(OIDC_TOKEN_FILE, "/var/run/token"))
            .unwrap()
            .unwrap();
        assert_eq!(p.provider_name, "default/oidc_role_arn");
        assert_eq!(p.token_file, PathBuf::from("/var/run/token"));
        assert_eq!(p.session.role_arn, "acs:ram::1:role/r");
    }

    #[test]
    fn debug_shows_no_secret() {
        let p = AssumeRoleProvider::new(
            RoleSession::new("acs:ram::1:role/r"),
            Credentials::new("source-id", "source-secret-value")
                .with_security_token("source-token-value"),
        )
        .unwrap()
        .with_external_id("ext");
        let text = format!("{p:?}");
        assert!(text.contains("source-id") && text.contains("acs:ram::1:role/r"));
        assert!(!text.contains("source-secret-value"), "{text}");
        assert!(!text.contains("source-token-value"), "{text}");
    }
}
