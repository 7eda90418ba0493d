//! Settings for some calls that differ from their [`Config`](crate::Config)'s.

use crate::retry::RetryConfig;
use std::time::Duration;

/// Per-call settings: what the official SDKs take as `RuntimeOptions` on each call, and
/// which win over the client's configuration (reference §6). A field left unset keeps the
/// configuration's value.
///
/// Applied with the generated clients' `with_options` (or
/// [`Client::with_options`](crate::Client::with_options)), which returns a copy of the
/// client whose calls use them:
///
/// ```
/// use alibabacloud_runtime::{CallOptions, RetryConfig};
/// use std::time::Duration;
///
/// // A slow operation: wait longer for its answer, and never repeat it.
/// let options = CallOptions::new()
///     .read_timeout(Duration::from_secs(60))
///     .retry(RetryConfig::disabled());
/// # let _ = options;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) idempotent_operations: Option<&'static [&'static str]>,
}

impl CallOptions {
    /// No change: every setting as the configuration has it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Connect timeout for these calls.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Read timeout for these calls: the longest wait for any part of the response.
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Retry settings for these calls.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Retries these calls after failures that leave it unknown whether the service
    /// applied the request, even for operations that are not safe to repeat (see
    /// [`RetryConfig::with_retry_non_idempotent`]); the other retry settings stay.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    /// Marks these operations (action names of the client's product) safe to repeat, so
    /// they are retried as reads are (see [`RetryConfig::with_idempotent_operations`]); the
    /// other retry settings stay.
    #[must_use]
    pub fn idempotent_operations(mut self, actions: &'static [&'static str]) -> Self {
        self.idempotent_operations = Some(actions);
        self
    }

    /// The retry settings of calls made with these options on a client whose settings are
    /// `current`.
    pub(crate) fn retry_over(&self, current: RetryConfig) -> RetryConfig {
        let mut retry = self.retry.unwrap_or(current);
        if let Some(on) = self.retry_non_idempotent {
            retry = retry.with_retry_non_idempotent(on);
        }
        if let Some(actions) = self.idempotent_operations {
            retry = retry.with_idempotent_operations(actions);
        }
        retry
    }
}
