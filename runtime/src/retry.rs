//! When to try again, and how long to wait (reference §3.4, §6).
//!
//! One function decides ([`judge`]), from the operation's metadata
//! ([`OperationMeta::operation_type`]), whether an idempotency token went with the request,
//! how the attempt failed ([`FailureKind`]) and the retry settings ([`RetryConfig`]):
//!
//! | failure | safe to repeat: a `read` operation, a request with an idempotency token, an operation marked idempotent, or [`RetryConfig::with_retry_non_idempotent`] | any other operation (`write`, `readAndWrite`, unspecified) |
//! |---|---|---|
//! | no connection: connect error, refused, DNS, TLS handshake, connect timeout | retried | retried |
//! | a throttling code (`Throttling*`) | retried | retried |
//! | reset after the request went out, read timeout | retried | **not retried**: may have been applied |
//! | 5xx, or `x-acs-retry-after` without a throttling code | retried | **not retried**: may have been applied (5xx) / not retried (4xx) |
//! | a 2xx answer that cannot be read | not retried | **not retried**: may have been applied |
//! | other 4xx, build and credentials errors | not retried | not retried |
//!
//! A call the policy stops because its request may have been applied ends at once, with an
//! error that says so ([`SdkError::not_retried`](crate::SdkError::not_retried)) and carries
//! the idempotency token the runtime generated, if any. Each attempt is re-signed with a
//! fresh date and nonce; the request body and any generated idempotency token are reused,
//! so a retried create with a token never creates twice.
//!
//! Defaults: 3 attempts in all (the official `maxAttempts` default), exponential backoff
//! from 200 ms with equal jitter, capped at 20 s; a server's `x-acs-retry-after` wins,
//! capped at 120 s (the official `maxDelay`).

use crate::meta::OperationMeta;
use crate::response::Failure;
use crate::transport::ExchangeError;
use std::time::Duration;

/// Retry settings of a [`Config`](crate::Config).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    base_delay: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
    idempotent_operations: &'static [&'static str],
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            retry_non_idempotent: false,
            idempotent_operations: &[],
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

    /// Retries operations that are not safe to repeat (`write`, `readAndWrite` or
    /// unspecified, without an idempotency token) after failures that leave it unknown
    /// whether the service applied the request (a reset after sending, a read timeout, a
    /// 5xx), as it retries reads. Off by default: such a retry may apply the request twice
    /// (a second instance, a second job). Turn it on only where a duplicate is harmless.
    #[must_use]
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Marks operations, by action name (`"ModifySecurityIps"`), as safe to repeat
    /// although their metadata does not say they are (a write that sets a value rather than
    /// adding one): they are retried as reads are. Action names are the client's product's;
    /// set this on a client's options ([`CallOptions`](crate::CallOptions), applied with
    /// `with_options`) to keep the list to one product.
    #[must_use]
    pub fn with_idempotent_operations(mut self, actions: &'static [&'static str]) -> Self {
        self.idempotent_operations = actions;
        self
    }

    /// Total attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether operations that are not safe to repeat are retried anyway.
    pub fn retry_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The operations marked safe to repeat.
    pub fn idempotent_operations(&self) -> &'static [&'static str] {
        self.idempotent_operations
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

/// `true` for HTTP answers worth another attempt of a request that is safe to repeat
/// (see [`judge`] for the others).
pub fn is_retryable_status(status: u16, code: Option<&str>, retry_after: Option<Duration>) -> bool {
    status >= 500 || retry_after.is_some() || code.is_some_and(is_throttling_code)
}

/// How an attempt failed, as far as retrying it matters: whether the request can have
/// reached the service, and what the service said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// No connection was made (connect error, refused, DNS, TLS handshake, connect
    /// timeout): the request was never sent, so it cannot have been applied.
    NotConnected,
    /// The service refused the call with a throttling code (`Throttling*`), which it sends
    /// before doing any work.
    Throttled,
    /// The connection broke after the request may have been sent (a reset).
    ConnectionLost,
    /// No (complete) answer within the read timeout.
    ReadTimeout,
    /// A 5xx answer.
    ServerError,
    /// A 4xx answer without a throttling code that asked to retry later
    /// (`x-acs-retry-after`).
    RetryAfter,
    /// A 2xx answer that could not be read.
    Unreadable,
    /// An answer or failure another attempt would not change (other 4xx, an HTTP client
    /// error).
    Final,
}

impl FailureKind {
    /// The kind of a failed exchange (no answer read).
    pub(crate) fn of_exchange(e: &ExchangeError) -> Self {
        match e {
            ExchangeError::Connect(_)
            | ExchangeError::Timeout(crate::error::TimeoutPhase::Connect, _) => {
                FailureKind::NotConnected
            }
            ExchangeError::Timeout(crate::error::TimeoutPhase::Read, _) => FailureKind::ReadTimeout,
            ExchangeError::Connection(_) => FailureKind::ConnectionLost,
            ExchangeError::Other(_) => FailureKind::Final,
        }
    }

    /// The kind of an answer that failed (`failure`, read from a response whose
    /// `x-acs-retry-after` was `retry_after`).
    pub(crate) fn of_answer<E>(failure: &Failure<E>, retry_after: Option<Duration>) -> Self {
        let (status, code, retry_after) = match failure {
            Failure::Service(e) => (e.status(), Some(e.code()), e.retry_after().or(retry_after)),
            Failure::Decode(e) => (e.status(), None, retry_after),
        };
        Self::of_status(status, code, retry_after)
    }

    /// The kind of an answer with this status, error code and `x-acs-retry-after`.
    pub fn of_status(status: u16, code: Option<&str>, retry_after: Option<Duration>) -> Self {
        if code.is_some_and(is_throttling_code) {
            FailureKind::Throttled
        } else if status >= 500 {
            FailureKind::ServerError
        } else if retry_after.is_some() {
            FailureKind::RetryAfter
        } else if (200..300).contains(&status) {
            FailureKind::Unreadable
        } else {
            FailureKind::Final
        }
    }

    /// Whether the service can have applied the request although the attempt failed.
    pub fn may_have_been_applied(self) -> bool {
        matches!(
            self,
            FailureKind::ConnectionLost
                | FailureKind::ReadTimeout
                | FailureKind::ServerError
                | FailureKind::Unreadable
        )
    }
}

/// What the retry policy decided after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Try again, if attempts remain.
    Retry,
    /// Stop: another attempt would not change the answer.
    Stop,
    /// Stop: the request may have been applied, and the operation is not safe to repeat.
    StopMayHaveBeenApplied,
}

impl Verdict {
    /// Whether another attempt may be made.
    pub fn is_retry(self) -> bool {
        self == Verdict::Retry
    }
}

/// The retry policy: whether an attempt of `operation` that failed as `failure` may be
/// repeated. `token_sent` says whether an idempotency token went with the request (the
/// caller's or one the runtime generated), which makes any repeat safe.
///
/// Safe to repeat: a `read` operation, a request with an idempotency token, an operation
/// in [`RetryConfig::idempotent_operations`], or any operation when
/// [`RetryConfig::retry_non_idempotent`] is set. Those are retried after throttling, 5xx,
/// `x-acs-retry-after`, connection failures and timeouts. Any other operation is retried
/// only when the request cannot have been applied ([`FailureKind::NotConnected`],
/// [`FailureKind::Throttled`]); after a failure that leaves it unknown
/// ([`FailureKind::may_have_been_applied`]) the verdict is
/// [`Verdict::StopMayHaveBeenApplied`].
pub fn judge(
    operation: &OperationMeta,
    token_sent: bool,
    failure: FailureKind,
    policy: &RetryConfig,
) -> Verdict {
    let safe_to_repeat = operation.operation_type.is_read_only()
        || token_sent
        || policy.retry_non_idempotent
        || policy.idempotent_operations.contains(&operation.action);
    match failure {
        FailureKind::NotConnected | FailureKind::Throttled => Verdict::Retry,
        FailureKind::Final => Verdict::Stop,
        FailureKind::Unreadable if safe_to_repeat => Verdict::Stop,
        FailureKind::ConnectionLost
        | FailureKind::ReadTimeout
        | FailureKind::ServerError
        | FailureKind::RetryAfter
            if safe_to_repeat =>
        {
            Verdict::Retry
        }
        FailureKind::RetryAfter => Verdict::Stop,
        FailureKind::ConnectionLost
        | FailureKind::ReadTimeout
        | FailureKind::ServerError
        | FailureKind::Unreadable => Verdict::StopMayHaveBeenApplied,
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
    use crate::meta::OperationType;

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

    fn op(operation_type: OperationType) -> OperationMeta {
        OperationMeta {
            action: "CreateThing",
            method: crate::meta::Method::Post,
            path: "/",
            params: &[],
            auth: crate::meta::Auth::AccessKey,
            operation_type,
        }
    }

    const EVERY_KIND: [FailureKind; 8] = [
        FailureKind::NotConnected,
        FailureKind::Throttled,
        FailureKind::ConnectionLost,
        FailureKind::ReadTimeout,
        FailureKind::ServerError,
        FailureKind::RetryAfter,
        FailureKind::Unreadable,
        FailureKind::Final,
    ];

    /// What a request that is safe to repeat gets: retried after everything but an
    /// unreadable 2xx and a final answer.
    fn safe_verdict(kind: FailureKind) -> Verdict {
        match kind {
            FailureKind::Unreadable | FailureKind::Final => Verdict::Stop,
            _ => Verdict::Retry,
        }
    }

    #[test]
    fn reads_are_retried_after_every_transient_failure() {
        let policy = RetryConfig::new();
        for kind in EVERY_KIND {
            assert_eq!(
                judge(&op(OperationType::Read), false, kind, &policy),
                safe_verdict(kind),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_sent_idempotency_token_makes_any_operation_safe_to_repeat() {
        let policy = RetryConfig::new();
        for operation_type in [
            OperationType::Write,
            OperationType::ReadAndWrite,
            OperationType::Unspecified,
        ] {
            for kind in EVERY_KIND {
                assert_eq!(
                    judge(&op(operation_type), true, kind, &policy),
                    safe_verdict(kind),
                    "{operation_type:?} {kind:?}"
                );
            }
        }
    }

    #[test]
    fn other_operations_are_retried_only_when_the_request_cannot_have_been_applied() {
        let policy = RetryConfig::new();
        for operation_type in [
            OperationType::Write,
            OperationType::ReadAndWrite,
            OperationType::Unspecified,
        ] {
            let judged = |kind| judge(&op(operation_type), false, kind, &policy);
            // Never sent, or refused before any work: retried.
            assert_eq!(judged(FailureKind::NotConnected), Verdict::Retry);
            assert_eq!(judged(FailureKind::Throttled), Verdict::Retry);
            // Maybe applied: stopped at once, saying so.
            for kind in [
                FailureKind::ConnectionLost,
                FailureKind::ReadTimeout,
                FailureKind::ServerError,
                FailureKind::Unreadable,
            ] {
                assert_eq!(
                    judged(kind),
                    Verdict::StopMayHaveBeenApplied,
                    "{operation_type:?} {kind:?}"
                );
            }
            // A refusal (4xx) is final either way.
            assert_eq!(judged(FailureKind::RetryAfter), Verdict::Stop);
            assert_eq!(judged(FailureKind::Final), Verdict::Stop);
        }
    }

    #[test]
    fn opting_in_or_marking_the_operation_makes_writes_retried_like_reads() {
        let write = op(OperationType::Write);
        let anyway = RetryConfig::new().with_retry_non_idempotent(true);
        let marked = RetryConfig::new().with_idempotent_operations(&["Other", "CreateThing"]);
        let marked_other = RetryConfig::new().with_idempotent_operations(&["CreateThingX"]);
        for kind in EVERY_KIND {
            assert_eq!(judge(&write, false, kind, &anyway), safe_verdict(kind));
            assert_eq!(judge(&write, false, kind, &marked), safe_verdict(kind));
        }
        assert_eq!(
            judge(&write, false, FailureKind::ServerError, &marked_other),
            Verdict::StopMayHaveBeenApplied
        );
        // Per-call options override only what they set.
        let options = crate::CallOptions::new().retry_non_idempotent(true);
        let over = options.retry_over(RetryConfig::new().with_max_attempts(5));
        assert!(over.retry_non_idempotent());
        assert_eq!(over.max_attempts(), 5);
        let off = crate::CallOptions::new()
            .retry_non_idempotent(false)
            .retry_over(anyway);
        assert!(!off.retry_non_idempotent());
    }

    #[test]
    fn failure_kinds_of_answers() {
        let kind = FailureKind::of_status;
        let ms = Some(Duration::from_millis(5));
        assert_eq!(
            kind(400, Some("Throttling.User"), None),
            FailureKind::Throttled
        );
        assert_eq!(kind(503, Some("Throttling"), ms), FailureKind::Throttled);
        assert_eq!(
            kind(503, Some("ServiceUnavailable"), None),
            FailureKind::ServerError
        );
        assert_eq!(kind(500, None, ms), FailureKind::ServerError);
        assert_eq!(kind(403, Some("X"), ms), FailureKind::RetryAfter);
        assert_eq!(kind(200, None, None), FailureKind::Unreadable);
        assert_eq!(
            kind(400, Some("InvalidParameter"), None),
            FailureKind::Final
        );
        assert_eq!(kind(404, None, None), FailureKind::Final);
        for k in EVERY_KIND {
            assert_eq!(
                k.may_have_been_applied(),
                matches!(
                    k,
                    FailureKind::ConnectionLost
                        | FailureKind::ReadTimeout
                        | FailureKind::ServerError
                        | FailureKind::Unreadable
                )
            );
        }
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
