//! Step 6 of the chain: `ALIBABA_CLOUD_CREDENTIALS_URI`, a URL answering a credentials JSON
//! document (reference §4.5), with the official 5 s connect and 10 s read timeouts.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, remote};
use std::sync::OnceLock;
use std::time::Duration;

/// The variable naming the URI.
pub const CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

const NAME: &str = "credential_uri";

/// Credentials served by a URL.
#[derive(Debug)]
pub struct UriProvider {
    uri: String,
    http: OnceLock<Result<reqwest::Client, String>>,
}

impl UriProvider {
    /// Reads credentials from `uri` at call time.
    pub fn new(uri: impl Into<String>) -> Self {
        UriProvider {
            uri: uri.into(),
            http: OnceLock::new(),
        }
    }

    fn fail(&self, reason: String) -> CredentialsError {
        CredentialsError::Fetch {
            provider: format!("credentials URI ({CREDENTIALS_URI})"),
            reason,
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = self
            .http
            .get_or_init(|| {
                crate::transport::build_http_client(Duration::from_secs(5), Duration::from_secs(10))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| self.fail(format!("cannot build HTTP client: {e}")))?;
        // The URI itself may embed a token, so errors are stripped of it.
        let resp = http
            .get(&self.uri)
            .send()
            .await
            .map_err(|e| self.fail(e.without_url().to_string()))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(self.fail(format!("HTTP {status}")));
        }
        let body = resp
            .bytes()
            .await
            .map_err(|e| self.fail(e.without_url().to_string()))?;
        remote::parse(NAME, &body, false).map_err(|e| self.fail(e.to_string()))
    }
}

impl ProvideCredentials for UriProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}
