//! Step 5 of the chain: the ECS instance RAM role, from the instance metadata service
//! (reference §4.5): IMDSv2 token first, falling back to v1 unless
//! `ALIBABA_CLOUD_IMDSV1_DISABLED=true`; role name from `ALIBABA_CLOUD_ECS_METADATA` or
//! asked from the service; connect and read timeouts of 1 s as in credentials-go.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, remote};
use crate::environment::Environment;
use crate::transport::LazyClient;
use std::time::Duration;

/// Role name variable.
pub const ROLE_NAME: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// Disables the provider when `true`.
pub const DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// Requires IMDSv2 when `true`.
pub const V1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// The metadata service.
pub const DEFAULT_ENDPOINT: &str = "http://100.100.100.200";

const NAME: &str = "ecs_ram_role";
const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Credentials of the instance's RAM role.
#[derive(Debug)]
pub struct ImdsProvider {
    endpoint: String,
    role_name: Option<String>,
    v1_disabled: bool,
    http: LazyClient,
}

impl Default for ImdsProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ImdsProvider {
    /// The provider for `http://100.100.100.200`, role name looked up at call time.
    pub fn new() -> Self {
        ImdsProvider {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            role_name: None,
            v1_disabled: false,
            // The credentials-go timeouts of the metadata service (reference §6): 1 s, 1 s.
            http: LazyClient::new(Duration::from_secs(1), Duration::from_secs(1)),
        }
    }

    /// Configured from `ALIBABA_CLOUD_ECS_METADATA` and `ALIBABA_CLOUD_IMDSV1_DISABLED`.
    pub fn from_env(env: &Environment) -> Self {
        Self::new()
            .with_role_name(env.var(ROLE_NAME).map(str::to_owned))
            .with_v1_disabled(env.flag(V1_DISABLED))
    }

    /// Uses a fixed role name instead of asking the service.
    pub fn with_role_name(mut self, role: Option<String>) -> Self {
        if role.is_some() {
            self.role_name = role;
        }
        self
    }

    /// Requires an IMDSv2 token.
    pub fn with_v1_disabled(mut self, disabled: bool) -> Self {
        self.v1_disabled = disabled;
        self
    }

    /// Another metadata endpoint (tests, emulators).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    fn fail(&self, reason: String) -> CredentialsError {
        CredentialsError::Fetch {
            provider: format!("ECS RAM role via instance metadata {}", self.endpoint),
            reason,
        }
    }

    fn http(&self) -> Result<&reqwest::Client, CredentialsError> {
        self.http.get().map_err(|e| self.fail(e))
    }

    async fn get_text(&self, path: &str, token: Option<&str>) -> Result<Vec<u8>, CredentialsError> {
        let mut req = self.http()?.get(format!("{}{path}", self.endpoint));
        if let Some(t) = token {
            req = req.header(TOKEN_HEADER, t);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| self.fail(format!("GET {path}: {}", e.without_url())))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(self.fail(format!("GET {path}: HTTP {status}")));
        }
        let body = resp
            .bytes()
            .await
            .map_err(|e| self.fail(format!("GET {path}: {}", e.without_url())))?;
        Ok(body.to_vec())
    }

    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let result = async {
            let resp = self
                .http()?
                .put(format!("{}/latest/api/token", self.endpoint))
                .header(TOKEN_TTL_HEADER, "21600")
                .send()
                .await
                .map_err(|e| self.fail(format!("IMDSv2 token: {}", e.without_url())))?;
            if !resp.status().is_success() {
                return Err(self.fail(format!("IMDSv2 token: HTTP {}", resp.status())));
            }
            resp.text()
                .await
                .map_err(|e| self.fail(format!("IMDSv2 token: {}", e.without_url())))
        }
        .await;
        match result {
            Ok(token) => Ok(Some(token.trim().to_owned())),
            Err(e) if self.v1_disabled => Err(e),
            // IMDSv1 fallback, as the official libraries do unless v1 is disabled.
            Err(_) => Ok(None),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token().await?;
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let body = self.get_text(CREDENTIALS_PATH, token.as_deref()).await?;
                let role = String::from_utf8_lossy(&body).trim().to_owned();
                if role.is_empty() {
                    return Err(self.fail("the instance has no RAM role attached".to_owned()));
                }
                role
            }
        };
        let body = self
            .get_text(&format!("{CREDENTIALS_PATH}{role}"), token.as_deref())
            .await?;
        remote::parse(NAME, &body, true).map_err(|e| self.fail(e.to_string()))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}
