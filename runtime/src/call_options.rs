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
}
