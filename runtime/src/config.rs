//! Client configuration: credentials, region, endpoint override, timeouts, retries, user
//! agent, and the shared HTTP client.

use crate::credentials::cache::CredentialsCache;
use crate::credentials::{
    Credentials, CredentialsError, CredentialsSource, ProvideCredentials, chain, cli_config,
};
use crate::endpoint::{self, Endpoint, EndpointError};
use crate::environment::Environment;
use crate::retry::RetryConfig;
use crate::transport;
use crate::user_agent;
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Region variable read by [`Config::from_env`].
pub const REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";
/// Endpoint override variable read by [`Config::from_env`] (tests, local emulators).
pub const ENDPOINT: &str = "ALIBABA_CLOUD_ENDPOINT";
/// User-agent suffix variable read by [`Config::from_env`].
pub const USER_AGENT: &str = "ALIBABA_CLOUD_USER_AGENT";

/// The configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were given to the builder.
    #[error("no credentials: call ConfigBuilder::credentials(..) or use Config::from_env()")]
    MissingCredentials,
    /// The credentials chain found nothing usable.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The endpoint override is unusable.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The user agent suffix cannot be sent as a header.
    #[error("the user agent suffix contains characters not allowed in an HTTP header")]
    InvalidUserAgent,
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}

pub(crate) struct Inner {
    pub(crate) credentials: CredentialsSource,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) retry: RetryConfig,
    pub(crate) user_agent: HeaderValue,
    /// The HTTP clients; the first one's timeouts are the configuration's.
    pub(crate) http: transport::Clients,
}

/// Shared configuration for service clients. Cheap to clone; clients made from one
/// `Config` share its connection pool.
#[derive(Clone)]
pub struct Config {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Config")
            .field("credentials", &i.credentials)
            .field("region", &i.region)
            .field("endpoint", &i.endpoint)
            .field("connect_timeout", &i.http.timeouts().connect)
            .field("read_timeout", &i.http.timeouts().read)
            .field("retry", &i.retry)
            .field("user_agent", &i.user_agent)
            .finish()
    }
}

impl Config {
    /// A builder with explicit settings and no environment lookups.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Configuration from this process's environment: credentials from the official default
    /// chain, region from `ALIBABA_CLOUD_REGION_ID` (else the selected aliyun CLI profile's
    /// `region_id`), endpoint override from `ALIBABA_CLOUD_ENDPOINT`, user-agent suffix from
    /// `ALIBABA_CLOUD_USER_AGENT`.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_environment(&Environment::from_process())
    }

    /// [`Config::from_env`] over an explicit environment snapshot.
    pub fn from_environment(env: &Environment) -> Result<Config, ConfigError> {
        Self::builder_from_environment(env)?.build()
    }

    /// A builder pre-filled from `env` as [`Config::from_env`] does, to adjust before building.
    pub fn builder_from_environment(env: &Environment) -> Result<ConfigBuilder, ConfigError> {
        let mut builder = ConfigBuilder {
            credentials: Some(chain::resolve(env)?),
            ..ConfigBuilder::default()
        };
        builder.region = env
            .var(REGION_ID)
            .map(str::to_owned)
            .or_else(|| cli_region(env));
        builder.endpoint_url = env.var(ENDPOINT).map(str::to_owned);
        builder.user_agent = env.var(USER_AGENT).map(str::to_owned);
        Ok(builder)
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint override, if any.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// Connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.http.timeouts().connect
    }

    /// Read timeout.
    pub fn read_timeout(&self) -> Duration {
        self.inner.http.timeouts().read
    }

    /// Retry settings.
    pub fn retry(&self) -> RetryConfig {
        self.inner.retry
    }

    /// The `user-agent` header value sent with each call.
    pub fn user_agent(&self) -> &str {
        self.inner.user_agent.to_str().unwrap_or_default()
    }

    /// Resolves credentials as a call would (asking network sources if needed).
    pub async fn resolve_credentials(&self) -> Result<Arc<Credentials>, CredentialsError> {
        self.inner.credentials.get().await
    }
}

fn cli_region(env: &Environment) -> Option<String> {
    let path = cli_config::path(env)?;
    let config = cli_config::read(&path).ok()?;
    let profile = cli_config::selected_profile(env, &config).ok()?;
    Some(profile.region_id.clone()).filter(|r| !r.is_empty())
}

/// Builder of [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    credentials: Option<CredentialsSource>,
    region: Option<String>,
    endpoint_url: Option<String>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    user_agent: Option<String>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Fixed credentials (AccessKey, optionally with an STS token).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(Arc::new(credentials)));
        self
    }

    /// A source asked at call time, cached until shortly before expiry.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let provider: Arc<dyn ProvideCredentials> = Arc::new(provider);
        self.credentials = Some(CredentialsSource::Cached(Arc::new(CredentialsCache::new(
            vec![provider],
            Vec::new(),
        ))));
        self
    }

    /// Region, e.g. `cn-hangzhou`; picks the host from the product's endpoint map.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every call to this endpoint instead: `https://host[:port]`, a bare host, or
    /// `http://` to loopback (tests, local emulators).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Read timeout: the longest wait for any part of the response (default 10 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Retry settings (default: 3 attempts, see [`RetryConfig`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Text appended to the user agent, after a space.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    /// Validates and builds the configuration, including its HTTP client.
    pub fn build(self) -> Result<Config, ConfigError> {
        let credentials = self.credentials.ok_or(ConfigError::MissingCredentials)?;
        let endpoint = self
            .endpoint_url
            .as_deref()
            .map(endpoint::parse_override)
            .transpose()?;
        let user_agent =
            HeaderValue::from_str(&user_agent::with_suffix(self.user_agent.as_deref()))
                .map_err(|_| ConfigError::InvalidUserAgent)?;
        let http = transport::Clients::new(transport::Timeouts {
            connect: self
                .connect_timeout
                .unwrap_or(transport::DEFAULT_CONNECT_TIMEOUT),
            read: self.read_timeout.unwrap_or(transport::DEFAULT_READ_TIMEOUT),
        })
        .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(Config {
            inner: Arc::new(Inner {
                credentials,
                region: self.region.filter(|r| !r.is_empty()),
                endpoint,
                retry: self.retry.unwrap_or_default(),
                user_agent,
                http,
            }),
        })
    }
}
