//! When to try again, and how long to wait (reference §3.4, §6).
//!
//! Retried: throttling (a `Throttling*` code, or any error carrying `x-acs-retry-after`),
//! 5xx, and connection failures and timeouts. Not retried: other 4xx, decode errors of 2xx
//! bodies, build and credentials errors (a role-assuming provider retries its own STS
//! requests by these rules before it reports one). Each attempt is re-signed with a fresh
//! date and nonce; the request body and any generated idempotency token are reused, so a
//! retried create never creates twice.
//!
//! Defaults: 3 attempts in all (the official `maxAttempts` default), exponential backoff
//! from 200 ms with equal jitter, capped at 20 s; a server's `x-acs-retry-after` wins,
//! capped at 120 s (the official `maxDelay`).

use crate::response::Failure;
use std::time::Duration;

/// Retry settings of a [`Config`](crate::Config).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    base_delay: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryConfig {
    /// The defaults: 3 attempts, 200 ms base delay, 20 s backoff cap, 120 s server-delay cap.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt only.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Total attempts, first one included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delay before the first retry; doubled for each further retry.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Upper bound of the computed backoff.
    pub fn with_max_backoff(mut self, cap: Duration) -> Self {
        self.max_backoff = cap;
        self
    }

    /// Upper bound of a delay requested by the server with `x-acs-retry-after`.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Total attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry). `random` is a uniform
    /// sample in `[0, 1)`. The exponential delay `c = min(cap, base·2^(retry-1))` is jittered
    /// as `c/2 + random·c/2` ("equal jitter"), so retries spread out but never collapse to 0.
    /// A server delay replaces the computed one.
    pub fn delay(&self, retry: u32, server_delay: Option<Duration>, random: f64) -> Duration {
        if let Some(d) = server_delay {
            return d.min(self.max_retry_after);
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let c = self.base_delay.saturating_mul(factor).min(self.max_backoff);
        let half = c / 2;
        half + half.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// An attempt that did not succeed: why, and whether another attempt may.
pub(crate) struct Failed<E> {
    pub(crate) error: E,
    pub(crate) retryable: bool,
    /// The wait the server asked for (`x-acs-retry-after`); it replaces the backoff.
    pub(crate) server_delay: Option<Duration>,
}

impl<E> Failed<E> {
    /// A failure no other attempt can mend (a request that cannot be built, an answer
    /// without what it must carry).
    pub(crate) fn fatal(error: E) -> Self {
        Failed {
            error,
            retryable: false,
            server_delay: None,
        }
    }
}

/// The failure that ended the attempts, and how many were made.
pub(crate) struct GaveUp<E> {
    pub(crate) error: E,
    pub(crate) attempts: u32,
}

/// The attempts of one request under a policy: their count, whether a failed one is worth
/// another, and the wait before it. The runtime's one retry loop, used by calls and by the
/// STS requests of role-assuming credentials:
///
/// ```text
/// let mut attempts = Attempts::new(policy);
/// loop {
///     let n = attempts.start();
///     match attempt(n).await {                       // signs afresh each time
///         Ok(value) => return Ok(value),
///         Err(failed) => attempts.wait_to_retry(failed).await?,
///     }
/// }
/// ```
///
/// The loop itself stays with the caller: a driver taking the attempt as an async closure
/// would be shorter to call, but the futures of calls and of credential providers must be
/// `Send`, and rustc (1.95) cannot prove that for an async closure whose future borrows
/// from the caller ("implementation of `Send` is not general enough").
pub(crate) struct Attempts<'p> {
    policy: &'p RetryConfig,
    made: u32,
}

impl<'p> Attempts<'p> {
    pub(crate) fn new(policy: &'p RetryConfig) -> Self {
        Attempts { policy, made: 0 }
    }

    /// Counts a new attempt and returns its number, from 1.
    pub(crate) fn start(&mut self) -> u32 {
        self.made += 1;
        self.made
    }

    /// After a failed attempt: the failure back as [`GaveUp`] when it is not worth another
    /// attempt or none is left; otherwise waits [`RetryConfig::delay`] (the server's delay
    /// when it asked for one) and returns, for the caller to try again.
    pub(crate) async fn wait_to_retry<E>(&self, failed: Failed<E>) -> Result<(), GaveUp<E>> {
        if !failed.retryable || self.made >= self.policy.max_attempts() {
            return Err(GaveUp {
                error: failed.error,
                attempts: self.made,
            });
        }
        let delay = self
            .policy
            .delay(self.made, failed.server_delay, jitter_sample());
        tracing::debug!(
            attempt = self.made,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        Ok(())
    }
}

/// `true` for HTTP answers worth another attempt.
pub fn is_retryable_status(status: u16, code: Option<&str>, retry_after: Option<Duration>) -> bool {
    status >= 500 || retry_after.is_some() || code.is_some_and(is_throttling_code)
}

/// Whether an answer that failed (`failure`, read from a response whose
/// `x-acs-retry-after` was `retry_after`) is worth another attempt, and the delay the server
/// asked for. Shared by calls and by the STS requests of role-assuming credentials.
pub(crate) fn decide<E>(
    failure: &Failure<E>,
    retry_after: Option<Duration>,
) -> (bool, Option<Duration>) {
    match failure {
        Failure::Service(e) => (
            is_retryable_status(e.status(), Some(e.code()), e.retry_after()),
            e.retry_after(),
        ),
        Failure::Decode(e) => (
            is_retryable_status(e.status(), None, retry_after),
            retry_after,
        ),
    }
}

/// `Throttling`, `Throttling.User`, `Throttling.Api`, ... (matched as a prefix, case-insensitively).
pub fn is_throttling_code(code: &str) -> bool {
    code.len() >= 10 && code.as_bytes()[..10].eq_ignore_ascii_case(b"throttling")
}

/// Parses `x-acs-retry-after`: a positive integer number of milliseconds.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// A uniform sample in `[0, 1)` for jitter.
pub fn jitter_sample() -> f64 {
    crate::random::unit_sample()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert!(is_retryable_status(500, None, None));
        assert!(is_retryable_status(503, Some("ServiceUnavailable"), None));
        assert!(is_retryable_status(400, Some("Throttling.User"), None));
        assert!(is_retryable_status(400, Some("throttling"), None));
        assert!(is_retryable_status(
            403,
            Some("X"),
            Some(Duration::from_millis(5))
        ));
        assert!(!is_retryable_status(400, Some("InvalidParameter"), None));
        assert!(!is_retryable_status(404, Some("Throttl"), None));
        assert!(!is_retryable_status(403, None, None));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("0"), None);
        assert_eq!(parse_retry_after("-3"), None);
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let r = RetryConfig::new();
        assert_eq!(r.delay(1, None, 0.0), Duration::from_millis(100));
        assert_eq!(r.delay(1, None, 0.999_999).as_millis(), 199);
        assert_eq!(r.delay(2, None, 0.0), Duration::from_millis(200));
        assert_eq!(r.delay(3, None, 0.5), Duration::from_millis(600));
        assert_eq!(r.delay(40, None, 1.0), Duration::from_secs(20));
        assert_eq!(
            r.delay(1, Some(Duration::from_secs(3)), 0.0),
            Duration::from_secs(3)
        );
        assert_eq!(
            r.delay(1, Some(Duration::from_secs(999)), 0.0),
            Duration::from_secs(120)
        );
        assert_eq!(RetryConfig::new().with_max_attempts(0).max_attempts(), 1);
    }

    /// Drives `outcomes` (one per attempt, `None` = success) through the loop the way the
    /// client and STS do; returns the attempts made and the error that ended them.
    async fn drive(policy: RetryConfig, outcomes: &[Option<bool>]) -> (u32, Option<usize>) {
        let mut attempts = Attempts::new(&policy);
        loop {
            let n = attempts.start();
            let failed = match outcomes[n as usize - 1] {
                None => return (n, None),
                Some(retryable) => Failed {
                    error: n as usize,
                    retryable,
                    server_delay: None,
                },
            };
            if let Err(last) = attempts.wait_to_retry(failed).await {
                return (last.attempts, Some(last.error));
            }
        }
    }

    #[tokio::test]
    async fn attempts_stop_at_success_at_a_final_failure_or_at_the_limit() {
        let policy = RetryConfig::new().with_base_delay(Duration::ZERO);
        let retryable = Some(true);
        let fatal = Some(false);
        assert_eq!(
            drive(policy, &[retryable, retryable, None]).await,
            (3, None)
        );
        assert_eq!(drive(policy, &[retryable, fatal, None]).await, (2, Some(2)));
        assert_eq!(
            drive(policy, &[retryable, retryable, retryable, None]).await,
            (3, Some(3))
        );
        assert_eq!(
            drive(policy.with_max_attempts(5), &[retryable; 5]).await,
            (5, Some(5))
        );
        assert_eq!(
            drive(RetryConfig::disabled(), &[retryable]).await,
            (1, Some(1))
        );
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let samples: Vec<f64> = (0..64).map(|_| jitter_sample()).collect();
        assert!(samples.iter().all(|s| (0.0..1.0).contains(s)));
        assert!(samples.windows(2).any(|w| w[0] != w[1]));
    }
}
