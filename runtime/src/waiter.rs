//! Waiters: poll an operation until a resource or job reaches a state.
//!
//! A waiter calls a poll operation (a describe or get call) over and over, and after each
//! poll decides with its acceptors whether to stop:
//!
//! - on an output, [`WaitFor::output`] (or a [`StatusMatcher`]: the status field and the
//!   values that mean success and failure) gives an [`Observation`]: an [`Outcome`]
//!   ([`Outcome::Success`], [`Outcome::Failure`] or [`Outcome::Retry`]) with the status
//!   and RequestId it read;
//! - on an error, [`WaitFor::error`] (or [`error_codes`]: a table of service error codes)
//!   may turn it into an observation too (a `NotFound` code means a deletion succeeded, a
//!   code that a resource is still being created means retry); an error no acceptor
//!   matches ends the wait with [`WaitError::Poll`] at once.
//!
//! Success ends with [`Waited`]; failure with [`WaitError::Failed`], carrying the last
//! status and RequestId. Between polls the waiter sleeps [`WaitConfig::interval`]. It
//! gives up with [`WaitError::TimedOut`] (how long it waited, how many polls) after
//! [`WaitConfig::max_attempts`] polls, or when the next poll would start after the caller's
//! maximum wait ([`WaitConfig::max_wait`]); a poll still running at that deadline is
//! dropped. The first poll is sent at once.
//!
//! Generated `wait_until_<state>()` methods call [`wait_for_operation`] with their poll
//! operation, a `const` [`StatusMatcher`] and the interval and tries of the metadata
//! ([`poll_interval_from_metadata`]); the same functions let a caller wait on any
//! operation and condition by hand:
//!
//! ```no_run
//! # use alibabacloud_runtime as rt;
//! use rt::waiter::{self, Outcome, StatusMatcher, WaitConfig};
//! use std::time::Duration;
//!
//! // The acceptors, as data (an output read as a JSON value here; generated outputs are
//! // structs and their matcher reads a field).
//! const JOB_DONE: StatusMatcher<rt::Value> = StatusMatcher {
//!     status: |o| o["Status"].as_str(),
//!     request_id: Some(|o| o["RequestId"].as_str()),
//!     success: &["Succeeded"],
//!     failure: &["Failed", "Cancelled"],
//!     absent: Outcome::Retry,
//! };
//!
//! async fn wait_for_job<Op>(client: &rt::Client, describe_job: &Op) -> Result<(), Box<dyn std::error::Error>>
//! where
//!     Op: rt::Operation<Output = rt::Value>,
//! {
//!     let config = WaitConfig::new(waiter::poll_interval_from_metadata(5), Duration::from_secs(600))
//!         .with_max_attempts(120);
//!     let not_yet = [("Job.NotFound", Outcome::Retry)];
//!     let done = waiter::wait_for_operation(client, describe_job, &config, &JOB_DONE, &not_yet).await?;
//!     println!("{:?} after {} polls", done.status, done.polls);
//!     Ok(())
//! }
//! ```

use crate::client::Client;
use crate::error::SdkError;
use crate::operation::Operation;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// The interval of a waiter as the metadata gives it (`callbackInterval`).
///
/// The metadata mixes units: the values in use are small numbers of seconds (3 and 5) and
/// larger numbers of milliseconds (1000, 2000, ...). A value of at most 60 is read as
/// seconds, a larger one as milliseconds: no operation is polled every 3 ms, and none
/// every 17 minutes. 0 is no interval at all; the generator uses its default instead.
pub fn poll_interval_from_metadata(value: u64) -> Duration {
    if value <= 60 {
        Duration::from_secs(value)
    } else {
        Duration::from_millis(value)
    }
}

/// What one poll means for the wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The awaited state is reached: the wait ends with [`Waited`].
    Success,
    /// A state the awaited one can no longer be reached from: the wait ends with
    /// [`WaitError::Failed`].
    Failure,
    /// Not there yet: poll again after the interval.
    Retry,
}

/// What an acceptor read from one poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// What the poll means.
    pub outcome: Outcome,
    /// The status read (`"Running"`), or the error code for an error; reported by
    /// [`Waited`] and by errors.
    pub status: Option<String>,
    /// The poll's RequestId, when known.
    pub request_id: Option<String>,
}

impl Observation {
    /// An observation without a status or RequestId.
    pub fn new(outcome: Outcome) -> Self {
        Observation {
            outcome,
            status: None,
            request_id: None,
        }
    }
}

/// The acceptors of the usual waiter, as data: a status field read from the output and
/// the values of it that mean success and failure; any other value, or no value, means
/// retry. Values are compared exactly. Generated waiters supply one as a `const` from the
/// reviewed table of terminal states.
pub struct StatusMatcher<O> {
    /// Reads the status from an output.
    pub status: fn(&O) -> Option<&str>,
    /// Reads the RequestId from an output, where the output has one.
    pub request_id: Option<fn(&O) -> Option<&str>>,
    /// Values that mean the awaited state is reached.
    pub success: &'static [&'static str],
    /// Values that mean it never will be.
    pub failure: &'static [&'static str],
    /// What an output without a status means: [`Outcome::Retry`] usually; for a deletion
    /// polled through a list filtered by the resource's ID, an empty list (no status)
    /// means the resource is gone, [`Outcome::Success`].
    pub absent: Outcome,
}

impl<O> StatusMatcher<O> {
    /// The observation of one output.
    pub fn observe(&self, output: &O) -> Observation {
        let status = (self.status)(output);
        let outcome = match status {
            Some(s) if self.success.contains(&s) => Outcome::Success,
            Some(s) if self.failure.contains(&s) => Outcome::Failure,
            Some(_) => Outcome::Retry,
            None => self.absent,
        };
        Observation {
            outcome,
            status: status.map(str::to_owned),
            request_id: self
                .request_id
                .and_then(|read| read(output))
                .map(str::to_owned),
        }
    }
}

impl<O> Clone for StatusMatcher<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for StatusMatcher<O> {}

impl<O> fmt::Debug for StatusMatcher<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusMatcher")
            .field("success", &self.success)
            .field("failure", &self.failure)
            .finish()
    }
}

/// The acceptor of errors from a table of service error codes: a service error whose code
/// is listed means that code's [`Outcome`] (its code is reported as the status); any
/// other error is not matched and ends the wait.
pub fn error_codes<'a, E>(
    codes: &'a [(&'a str, Outcome)],
) -> impl Fn(&SdkError<E>) -> Option<Observation> + 'a {
    move |error| {
        let service = error.as_service_error()?;
        let (code, outcome) = codes.iter().find(|(code, _)| *code == service.code())?;
        Some(Observation {
            outcome: *outcome,
            status: Some((*code).to_owned()),
            request_id: service.request_id().map(str::to_owned),
        })
    }
}

/// How often and how long to poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitConfig {
    /// The sleep between two polls.
    pub interval: Duration,
    /// The longest the whole wait may take, polls included, from its start.
    pub max_wait: Duration,
    /// The most polls, the first included; `None` for no limit other than
    /// [`WaitConfig::max_wait`].
    pub max_attempts: Option<u32>,
}

impl WaitConfig {
    /// Polls every `interval`, for at most `max_wait`, without a limit on the polls.
    pub fn new(interval: Duration, max_wait: Duration) -> Self {
        WaitConfig {
            interval,
            max_wait,
            max_attempts: None,
        }
    }

    /// At most `attempts` polls, the first included (at least 1): the metadata's
    /// `maxCallbackTimes`.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }
}

/// A wait that reached the awaited state.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Waited<O> {
    /// The last poll's output; `None` when an error code meant success (a deletion's
    /// `NotFound`).
    pub output: Option<O>,
    /// The last status read.
    pub status: Option<String>,
    /// The last poll's RequestId.
    pub request_id: Option<String>,
    /// How many polls it took.
    pub polls: u32,
    /// How long it took.
    pub waited: Duration,
}

/// Which bound a wait ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitLimit {
    /// [`WaitConfig::max_attempts`] polls were made.
    MaxAttempts(u32),
    /// [`WaitConfig::max_wait`] would have been exceeded.
    MaxWait(Duration),
}

impl fmt::Display for WaitLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitLimit::MaxAttempts(n) => write!(f, "the limit of {n} poll(s) was reached"),
            WaitLimit::MaxWait(d) => write!(f, "the maximum wait of {d:?} would be exceeded"),
        }
    }
}

/// Renders `; last status X [RequestId: Y]` for the messages below.
struct Last<'a>(&'a Option<String>, &'a Option<String>);

impl fmt::Display for Last<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(status) => write!(f, "; last status {status:?}")?,
            None => f.write_str("; no status read")?,
        }
        if let Some(id) = self.1 {
            write!(f, " [RequestId: {id}]")?;
        }
        Ok(())
    }
}

/// Why a wait ended without the awaited state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// An acceptor matched a failure state.
    #[error(
        "the wait failed after {polls} poll(s) in {waited:?}{}",
        Last(status, request_id)
    )]
    Failed {
        /// The status (or error code) that meant failure.
        status: Option<String>,
        /// The RequestId of the poll that read it.
        request_id: Option<String>,
        /// How many polls were made.
        polls: u32,
        /// How long the wait took.
        waited: Duration,
    },
    /// The wait gave up: too many polls, or the maximum wait reached.
    #[error(
        "gave up waiting after {waited:?} and {polls} poll(s): {limit}{}",
        Last(last_status, request_id)
    )]
    TimedOut {
        /// How long it waited.
        waited: Duration,
        /// How many polls were made (a poll cut off at the deadline included).
        polls: u32,
        /// Which bound it ran into.
        limit: WaitLimit,
        /// The last status read, if any.
        last_status: Option<String>,
        /// The RequestId of the last poll that had one.
        request_id: Option<String>,
    },
    /// A poll failed with an error no acceptor matched.
    #[error("poll {polls} failed after {waited:?} of waiting: {source}")]
    Poll {
        /// The poll's error.
        source: E,
        /// How many polls were made, the failed one included.
        polls: u32,
        /// How long the wait took.
        waited: Duration,
    },
}

impl<E> WaitError<E> {
    /// The last status read, for a failure or a timeout.
    pub fn last_status(&self) -> Option<&str> {
        match self {
            WaitError::Failed { status, .. } => status.as_deref(),
            WaitError::TimedOut { last_status, .. } => last_status.as_deref(),
            WaitError::Poll { .. } => None,
        }
    }

    /// How many polls were made.
    pub fn polls(&self) -> u32 {
        match self {
            WaitError::Failed { polls, .. }
            | WaitError::TimedOut { polls, .. }
            | WaitError::Poll { polls, .. } => *polls,
        }
    }
}

/// The acceptors of a wait: what an output and an error mean.
pub struct WaitFor<Out, Err> {
    /// The observation of an output.
    pub output: Out,
    /// The observation of an error, or `None` when the error ends the wait.
    pub error: Err,
}

impl<Out, Err> fmt::Debug for WaitFor<Out, Err> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WaitFor { .. }")
    }
}

/// Polls with `poll` until an acceptor of `acceptors` says success or failure, or a bound
/// of `config` is reached. This is the whole waiting logic without a client, which is what
/// tests drive; [`wait_for_operation`] runs it with a client's call.
pub async fn wait<O, E, P, Fut, Out, Err>(
    config: &WaitConfig,
    mut poll: P,
    mut acceptors: WaitFor<Out, Err>,
) -> Result<Waited<O>, WaitError<E>>
where
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<O, E>>,
    Out: FnMut(&O) -> Observation,
    Err: FnMut(&E) -> Option<Observation>,
{
    let start = Instant::now();
    let deadline = start + config.max_wait;
    let mut polls = 0u32;
    let mut last_status = None;
    let mut last_request_id = None;
    loop {
        polls = polls.saturating_add(1);
        let answer = match tokio::time::timeout_at(deadline, poll()).await {
            Ok(answer) => answer,
            Err(_) => {
                return Err(WaitError::TimedOut {
                    waited: start.elapsed(),
                    polls,
                    limit: WaitLimit::MaxWait(config.max_wait),
                    last_status,
                    request_id: last_request_id,
                });
            }
        };
        let (seen, output) = match answer {
            Ok(output) => ((acceptors.output)(&output), Some(output)),
            Err(error) => match (acceptors.error)(&error) {
                Some(seen) => (seen, None),
                None => {
                    return Err(WaitError::Poll {
                        source: error,
                        polls,
                        waited: start.elapsed(),
                    });
                }
            },
        };
        tracing::debug!(poll = polls, outcome = ?seen.outcome, status = seen.status.as_deref(), "polled");
        last_status = seen.status;
        if seen.request_id.is_some() {
            last_request_id = seen.request_id;
        }
        match seen.outcome {
            Outcome::Success => {
                return Ok(Waited {
                    output,
                    status: last_status,
                    request_id: last_request_id,
                    polls,
                    waited: start.elapsed(),
                });
            }
            Outcome::Failure => {
                return Err(WaitError::Failed {
                    status: last_status,
                    request_id: last_request_id,
                    polls,
                    waited: start.elapsed(),
                });
            }
            Outcome::Retry => {}
        }
        let limit = if config.max_attempts.is_some_and(|max| polls >= max) {
            Some(WaitLimit::MaxAttempts(polls))
        } else if Instant::now() + config.interval >= deadline {
            Some(WaitLimit::MaxWait(config.max_wait))
        } else {
            None
        };
        if let Some(limit) = limit {
            return Err(WaitError::TimedOut {
                waited: start.elapsed(),
                polls,
                limit,
                last_status,
                request_id: last_request_id,
            });
        }
        tokio::time::sleep(config.interval).await;
        // A sleep that overran the deadline (a busy host) must not lead to a poll past it.
        if Instant::now() >= deadline {
            return Err(WaitError::TimedOut {
                waited: start.elapsed(),
                polls,
                limit: WaitLimit::MaxWait(config.max_wait),
                last_status,
                request_id: last_request_id,
            });
        }
    }
}

/// Polls operation `request` on `client` until `matcher` reads a success or failure
/// status, or an error code of `error_table` ([`error_codes`]) settles it; an error not in
/// the table ends the wait. What generated `wait_until_<state>()` methods call.
pub async fn wait_for_operation<Op: Operation>(
    client: &Client,
    request: &Op,
    config: &WaitConfig,
    matcher: &StatusMatcher<Op::Output>,
    error_table: &[(&str, Outcome)],
) -> Result<Waited<Op::Output>, WaitError<SdkError<Op::Error>>> {
    wait(
        config,
        || client.call(request),
        WaitFor {
            output: |output: &Op::Output| matcher.observe(output),
            error: error_codes(error_table),
        },
    )
    .await
}

/// The interval a generated waiter polls at when the metadata documents none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// A wait set up by a generated `wait_until_<state>(max_wait)`: await it to poll. It polls
/// the builder's request on its client at the documented interval (`callbackInterval`,
/// else [`DEFAULT_INTERVAL`]), for at most the documented number of polls and `max_wait`;
/// [`Waiting::interval`] and [`Waiting::max_attempts`] change those before it starts. A
/// missing client or required parameter ends the wait at once with
/// [`WaitError::Poll`]`(`[`SdkError::Build`]`)`.
#[must_use = "a wait does nothing until it is awaited"]
pub struct Waiting<Op: Operation> {
    client: Option<Client>,
    action: &'static str,
    request: Result<Op, crate::error::BuildError>,
    config: WaitConfig,
    matcher: StatusMatcher<Op::Output>,
}

impl<Op: Operation> Waiting<Op> {
    /// What generated code calls: the poll request as built, the documented interval in
    /// milliseconds and number of polls, the caller's `max_wait` and the acceptors.
    pub fn new(
        client: Option<Client>,
        action: &'static str,
        request: Result<Op, crate::error::BuildError>,
        documented: Documented,
        max_wait: Duration,
        matcher: StatusMatcher<Op::Output>,
    ) -> Self {
        let interval = documented
            .interval_millis
            .map_or(DEFAULT_INTERVAL, Duration::from_millis);
        let mut config = WaitConfig::new(interval, max_wait);
        if let Some(tries) = documented.max_attempts {
            config = config.with_max_attempts(tries);
        }
        Waiting {
            client,
            action,
            request,
            config,
            matcher,
        }
    }

    /// Polls every `interval` instead of the documented interval.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.config.interval = interval;
        self
    }

    /// At most `attempts` polls (at least 1) instead of the documented number.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config = self.config.with_max_attempts(attempts);
        self
    }

    /// How it will poll.
    pub fn config(&self) -> &WaitConfig {
        &self.config
    }
}

/// What the metadata documents about polling an asynchronous operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Documented {
    /// `callbackInterval`, in milliseconds ([`poll_interval_from_metadata`] applied).
    pub interval_millis: Option<u64>,
    /// `maxCallbackTimes`.
    pub max_attempts: Option<u32>,
}

impl<Op: Operation> fmt::Debug for Waiting<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiting")
            .field("action", &self.action)
            .field("config", &self.config)
            .field("matcher", &self.matcher)
            .finish()
    }
}

impl<Op> std::future::IntoFuture for Waiting<Op>
where
    Op: Operation + Send + Sync + 'static,
    Op::Output: Send + 'static,
    Op::Error: Send + 'static,
{
    type Output = Result<Waited<Op::Output>, WaitError<SdkError<Op::Error>>>;
    type IntoFuture = std::pin::Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let not_sent = |error| WaitError::Poll {
                source: SdkError::Build(error),
                polls: 0,
                waited: Duration::ZERO,
            };
            let client = self.client.ok_or(crate::error::BuildError::NoClient {
                action: self.action,
            });
            let client = client.map_err(not_sent)?;
            let request = self.request.map_err(not_sent)?;
            wait_for_operation(&client, &request, &self.config, &self.matcher, &[]).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ServiceError, ServiceErrorDetails};
    use std::cell::Cell;

    #[derive(Clone, Debug, PartialEq)]
    struct Job {
        status: Option<&'static str>,
        request_id: &'static str,
    }

    const JOB: StatusMatcher<Job> = StatusMatcher {
        status: |o| o.status,
        request_id: Some(|o| Some(o.request_id)),
        success: &["Succeeded"],
        failure: &["Failed", "Cancelled"],
        absent: Outcome::Retry,
    };

    fn job(status: &'static str, request_id: &'static str) -> Result<Job, SdkError<()>> {
        Ok(Job {
            status: Some(status),
            request_id,
        })
    }

    fn service_error(code: &str, request_id: &str) -> Result<Job, SdkError<()>> {
        Err(SdkError::Service(ServiceError {
            kind: (),
            details: Box::new(ServiceErrorDetails {
                status: 404,
                code: code.to_owned(),
                message: None,
                request_id: Some(request_id.to_owned()),
                host_id: None,
                recommend: None,
                access_denied_detail: None,
                retry_after: None,
                raw_body: String::new(),
                notes: Default::default(),
            }),
        }))
    }

    fn quick(max_attempts: u32) -> WaitConfig {
        WaitConfig::new(Duration::from_millis(1), Duration::from_secs(30))
            .with_max_attempts(max_attempts)
    }

    /// Waits on a scripted poll: each poll takes the next answer; a poll past the end of
    /// the script fails the test.
    async fn run(
        config: WaitConfig,
        script: Vec<Result<Job, SdkError<()>>>,
        codes: &[(&str, Outcome)],
    ) -> (Result<Waited<Job>, WaitError<SdkError<()>>>, usize) {
        let polls = Cell::new(0);
        let mut answers = script.into_iter();
        let result = wait(
            &config,
            || {
                polls.set(polls.get() + 1);
                std::future::ready(answers.next().expect("a poll past the end of the script"))
            },
            WaitFor {
                output: |o: &Job| JOB.observe(o),
                error: error_codes(codes),
            },
        )
        .await;
        (result, polls.get())
    }

    #[test]
    fn callback_interval_units() {
        assert_eq!(poll_interval_from_metadata(3), Duration::from_secs(3));
        assert_eq!(poll_interval_from_metadata(5), Duration::from_secs(5));
        assert_eq!(poll_interval_from_metadata(60), Duration::from_secs(60));
        assert_eq!(poll_interval_from_metadata(61), Duration::from_millis(61));
        assert_eq!(poll_interval_from_metadata(1000), Duration::from_secs(1));
        assert_eq!(
            poll_interval_from_metadata(2500),
            Duration::from_millis(2500)
        );
        assert_eq!(poll_interval_from_metadata(0), Duration::ZERO);
    }

    #[test]
    fn no_status_means_what_the_matcher_says() {
        let gone = StatusMatcher {
            absent: Outcome::Success,
            ..JOB
        };
        let empty = Job {
            status: None,
            request_id: "r",
        };
        assert_eq!(JOB.observe(&empty).outcome, Outcome::Retry);
        assert_eq!(gone.observe(&empty).outcome, Outcome::Success);
        let still_there = Job {
            status: Some("Deleting"),
            request_id: "r",
        };
        assert_eq!(gone.observe(&still_there).outcome, Outcome::Retry);
    }

    #[test]
    fn status_matcher() {
        let seen = JOB.observe(&Job {
            status: Some("Cancelled"),
            request_id: "r",
        });
        assert_eq!(seen.outcome, Outcome::Failure);
        assert_eq!(seen.status.as_deref(), Some("Cancelled"));
        assert_eq!(seen.request_id.as_deref(), Some("r"));
        // Exact comparison: another case is not a terminal value.
        let other = JOB.observe(&Job {
            status: Some("succeeded"),
            request_id: "r",
        });
        assert_eq!(other.outcome, Outcome::Retry);
        let none = JOB.observe(&Job {
            status: None,
            request_id: "r",
        });
        assert_eq!(
            none,
            Observation {
                request_id: Some("r".into()),
                ..Observation::new(Outcome::Retry)
            }
        );
    }

    #[tokio::test]
    async fn success_after_retries() {
        let script = vec![
            job("Pending", "r1"),
            job("Running", "r2"),
            job("Succeeded", "r3"),
        ];
        let (result, polls) = run(quick(10), script, &[]).await;
        let done = result.unwrap();
        assert_eq!(polls, 3);
        assert_eq!(done.polls, 3);
        assert_eq!(done.status.as_deref(), Some("Succeeded"));
        assert_eq!(done.request_id.as_deref(), Some("r3"));
        assert_eq!(done.output.unwrap().request_id, "r3");
    }

    #[tokio::test]
    async fn an_absent_status_is_retried() {
        let absent = Ok(Job {
            status: None,
            request_id: "r1",
        });
        let script = vec![absent, job("Succeeded", "r2")];
        let (result, polls) = run(quick(10), script, &[]).await;
        assert!(result.is_ok());
        assert_eq!(polls, 2);
    }

    #[tokio::test]
    async fn failure_carries_the_status_and_request_id() {
        let script = vec![job("Running", "r1"), job("Failed", "r2")];
        let (result, polls) = run(quick(10), script, &[]).await;
        let error = result.unwrap_err();
        assert_eq!(polls, 2);
        assert!(matches!(
            &error,
            WaitError::Failed { status: Some(s), request_id: Some(id), polls: 2, .. }
                if s == "Failed" && id == "r2"
        ));
        assert_eq!(error.last_status(), Some("Failed"));
        let message = error.to_string();
        assert!(
            message.contains("\"Failed\"") && message.contains("RequestId: r2"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn max_attempts_times_out() {
        let script = (0..4).map(|_| job("Running", "r")).collect();
        let (result, polls) = run(quick(4), script, &[]).await;
        let error = result.unwrap_err();
        assert_eq!(polls, 4);
        assert!(matches!(
            &error,
            WaitError::TimedOut { polls: 4, limit: WaitLimit::MaxAttempts(4), last_status: Some(s), .. }
                if s == "Running"
        ));
        let message = error.to_string();
        assert!(message.starts_with("gave up waiting after "), "{message}");
        assert!(
            message.contains("4 poll(s)") && message.contains("Running"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn max_wait_times_out_before_a_poll_past_it() {
        // Polls at 0, 20 and 40 ms; the next one would start at 60 ms, past the 50 ms bound.
        let config = WaitConfig::new(Duration::from_millis(20), Duration::from_millis(50));
        let script = (0..10).map(|_| job("Running", "r")).collect();
        let (result, polls) = run(config, script, &[]).await;
        match result.unwrap_err() {
            WaitError::TimedOut {
                waited,
                polls: n,
                limit,
                ..
            } => {
                assert_eq!(limit, WaitLimit::MaxWait(Duration::from_millis(50)));
                assert_eq!(n as usize, polls);
                assert!((1..=3).contains(&polls), "{polls} polls");
                // No poll after the deadline; the time itself depends on the host's load.
                assert!(waited < Duration::from_secs(5), "{waited:?}");
            }
            other => panic!("{other}"),
        }
    }

    #[tokio::test]
    async fn a_poll_running_at_the_deadline_is_cut_off() {
        let config = WaitConfig::new(Duration::from_millis(1), Duration::from_millis(20));
        let result = wait(
            &config,
            std::future::pending::<Result<Job, SdkError<()>>>,
            WaitFor {
                output: |o: &Job| JOB.observe(o),
                error: |_: &SdkError<()>| None,
            },
        )
        .await;
        let error = result.unwrap_err();
        assert!(matches!(
            error,
            WaitError::TimedOut {
                polls: 1,
                limit: WaitLimit::MaxWait(_),
                last_status: None,
                ..
            }
        ));
        assert!(error.to_string().contains("1 poll(s)"));
    }

    #[tokio::test]
    async fn error_codes_mean_retry_success_or_failure() {
        let codes = [
            ("InvalidJob.NotReady", Outcome::Retry),
            ("InvalidJob.NotFound", Outcome::Success),
            ("Job.Aborted", Outcome::Failure),
        ];
        // Retry, then success by code: no output.
        let script = vec![
            service_error("InvalidJob.NotReady", "r1"),
            job("Running", "r2"),
            service_error("InvalidJob.NotFound", "r3"),
        ];
        let (result, polls) = run(quick(10), script, &codes).await;
        let done = result.unwrap();
        assert_eq!(polls, 3);
        assert_eq!(done.output, None);
        assert_eq!(done.status.as_deref(), Some("InvalidJob.NotFound"));
        assert_eq!(done.request_id.as_deref(), Some("r3"));

        // Failure by code: the code is the status.
        let (result, _) = run(quick(10), vec![service_error("Job.Aborted", "r9")], &codes).await;
        let error = result.unwrap_err();
        assert_eq!(error.last_status(), Some("Job.Aborted"));
        assert!(error.to_string().contains("RequestId: r9"));
    }

    #[tokio::test]
    async fn an_unmatched_error_ends_the_wait() {
        let codes = [("InvalidJob.NotReady", Outcome::Retry)];
        let script = vec![job("Running", "r1"), service_error("Forbidden", "r2")];
        let (result, polls) = run(quick(10), script, &codes).await;
        assert_eq!(polls, 2);
        match result.unwrap_err() {
            WaitError::Poll { source, polls, .. } => {
                assert_eq!(polls, 2);
                assert_eq!(source.request_id(), Some("r2"));
            }
            other => panic!("{other}"),
        }
    }

    #[tokio::test]
    async fn hand_written_acceptors() {
        // Any condition: a closure over the output and one over the error.
        let mut n = 0;
        let result: Result<Waited<u32>, WaitError<&str>> = wait(
            &quick(10),
            || {
                n += 1;
                std::future::ready(if n == 2 { Err("busy") } else { Ok(n) })
            },
            WaitFor {
                output: |count: &u32| {
                    Observation::new(if *count >= 3 {
                        Outcome::Success
                    } else {
                        Outcome::Retry
                    })
                },
                error: |e: &&str| (*e == "busy").then(|| Observation::new(Outcome::Retry)),
            },
        )
        .await;
        let done = result.unwrap();
        assert_eq!((done.output, done.polls), (Some(3), 3));
    }
}
