//! Step 6 of the chain: `ALIBABA_CLOUD_CREDENTIALS_URI`, a URL answering a credentials JSON
//! document (reference §4.5), with the official 5 s connect and 10 s read timeouts.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, remote};
use crate::transport::LazyClient;
use std::time::Duration;

/// The variable naming the URI.
pub const CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

const NAME: &str = "credential_uri";
/// The credentials-go timeouts of this provider (reference §6): 5 s to connect, 10 s to
/// read. They equal the call defaults today but are a separate fact.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Credentials served by a URL.
#[derive(Debug)]
pub struct UriProvider {
    uri: String,
    http: LazyClient,
}

impl UriProvider {
    /// Reads credentials from `uri` at call time.
    pub fn new(uri: impl Into<String>) -> Self {
        UriProvider {
            uri: uri.into(),
            http: LazyClient::new(CONNECT_TIMEOUT, READ_TIMEOUT),
        }
    }

    fn fail(&self, reason: String) -> CredentialsError {
        CredentialsError::Fetch {
            provider: format!("credentials URI ({CREDENTIALS_URI})"),
            reason,
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = self.http.get().map_err(|e| self.fail(e))?;
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
