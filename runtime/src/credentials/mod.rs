//! Credentials: the value itself, where it comes from, and the official provider chain.
//!
//! Sources, in the official default-chain order (reference §4.2):
//! 1. environment variables ([`env_vars`]),
//! 2. the OIDC role (RRSA) of `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
//!    `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, assumed with STS ([`sts`]),
//! 3. the aliyun CLI profile file `~/.aliyun/config.json` ([`cli_config`]),
//! 4. the credentials INI file `~/.alibabacloud/credentials` ([`ini_file`]),
//! 5. the ECS instance RAM role from the metadata service ([`imds`]),
//! 6. the credentials URI ([`uri`]).
//!
//! Steps 1–4 only read files and variables, so they are resolved when the configuration is
//! built. What needs the network (a role assumed with STS, the metadata service, the
//! credentials URI) is asked on the first call, then cached until shortly before it
//! expires ([`cache`]).

pub mod cache;
pub mod chain;
pub mod cli_config;
pub mod env_vars;
pub mod imds;
pub mod ini_file;
mod remote;
pub mod sts;
pub mod uri;

use crate::sensitive::Sensitive;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Sensitive<String>,
    security_token: Option<Sensitive<String>>,
    expires_at: Option<SystemTime>,
    provider: String,
}

impl Credentials {
    /// Static AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: Sensitive::new(access_key_secret.into()),
            security_token: None,
            expires_at: None,
            provider: "static_ak".to_owned(),
        }
    }

    /// Adds an STS security token (sent as `x-acs-security-token`).
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Sensitive::new(token.into()));
        if self.provider == "static_ak" {
            self.provider = "static_sts".to_owned();
        }
        self
    }

    /// Sets when these credentials stop being valid; cached credentials are refreshed
    /// shortly before.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// Names the source, e.g. `default/env` (shown in `Debug`, useful when diagnosing a chain).
    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider = name.into();
        self
    }

    /// The AccessKey ID (not a secret: it is sent in the `Authorization` header).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Sensitive<String> {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Sensitive<String>> {
        self.security_token.as_ref()
    }

    /// When these credentials expire, if they do.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Which source produced these credentials.
    pub fn provider_name(&self) -> &str {
        &self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .field("expires_at", &self.expires_at)
            .field("provider", &self.provider)
            .finish()
    }
}

/// One place the chain looked, and what it found there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderAttempt {
    /// The source, e.g. `environment variables ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET`
    /// or a file path.
    pub provider: String,
    /// Why it gave nothing.
    pub outcome: String,
}

impl fmt::Display for ProviderAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.outcome)
    }
}

/// No usable credentials.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Every provider of the chain was tried; each place and its outcome is listed.
    #[error("unable to get credentials from any of the providers in the chain; looked in: {}", attempts.iter().map(|a| format!("[{a}]")).collect::<Vec<_>>().join(", "))]
    NotFound {
        /// Every place looked, in chain order.
        attempts: Vec<ProviderAttempt>,
    },
    /// A source exists but is unusable (malformed file, missing key, unsupported kind).
    #[error("{provider}: {reason}")]
    Invalid {
        /// The source (file path with profile, variable names, ...).
        provider: String,
        /// Why.
        reason: String,
    },
    /// A remote source (metadata service, credentials URI) could not be read.
    #[error("{provider}: {reason}")]
    Fetch {
        /// The source.
        provider: String,
        /// Why.
        reason: String,
    },
}

impl CredentialsError {
    /// The places looked, when the whole chain came up empty.
    pub fn attempts(&self) -> &[ProviderAttempt] {
        match self {
            CredentialsError::NotFound { attempts } => attempts,
            _ => &[],
        }
    }

    fn into_attempt(self) -> ProviderAttempt {
        match self {
            CredentialsError::Invalid { provider, reason }
            | CredentialsError::Fetch { provider, reason } => ProviderAttempt {
                provider,
                outcome: reason,
            },
            e @ CredentialsError::NotFound { .. } => ProviderAttempt {
                provider: "nested chain".to_owned(),
                outcome: e.to_string(),
            },
        }
    }
}

/// The future returned by [`ProvideCredentials::provide`].
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials that must be asked at call time (network sources, or your own).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Short name of the source, used in errors (`"ecs_ram_role"`).
    fn name(&self) -> &str;
    /// Fetches fresh credentials.
    fn provide(&self) -> CredentialsFuture<'_>;
}

/// Where a configuration gets its credentials from.
#[derive(Clone, Debug)]
pub(crate) enum CredentialsSource {
    /// Known up front.
    Static(Arc<Credentials>),
    /// Asked at call time and cached.
    Cached(Arc<cache::CredentialsCache>),
}

impl CredentialsSource {
    pub(crate) async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        match self {
            CredentialsSource::Static(c) => Ok(c.clone()),
            CredentialsSource::Cached(cache) => cache.get().await,
        }
    }
}

/// What one step of the chain found.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// Credentials ready to use.
    Found(Credentials),
    /// A source to ask at call time (e.g. a profile naming an ECS RAM role).
    Deferred(Arc<dyn ProvideCredentials>),
    /// Nothing configured here; the reason is reported if the whole chain fails.
    Skipped(ProviderAttempt),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_or_token() {
        let c =
            Credentials::new("LTAI-id", "very-secret-sk").with_security_token("sts-token-value");
        let dbg = format!("{c:?}");
        assert!(dbg.contains("LTAI-id"));
        assert!(!dbg.contains("very-secret-sk"));
        assert!(!dbg.contains("sts-token-value"));
        assert!(dbg.contains(crate::sensitive::REDACTED));
        assert_eq!(c.provider_name(), "static_sts");
    }

    #[test]
    fn not_found_names_every_place() {
        let e = CredentialsError::NotFound {
            attempts: vec![
                ProviderAttempt {
                    provider: "env".into(),
                    outcome: "not set".into(),
                },
                ProviderAttempt {
                    provider: "/home/u/.aliyun/config.json".into(),
                    outcome: "file not found".into(),
                },
            ],
        };
        let s = e.to_string();
        assert!(s.contains("[env: not set]"), "{s}");
        assert!(
            s.contains("[/home/u/.aliyun/config.json: file not found]"),
            "{s}"
        );
    }
}
