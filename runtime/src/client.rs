//! The service client: one call = prepare once, then sign, send and interpret per attempt.

use crate::answered::Answered;
use crate::call_options::CallOptions;
use crate::config::{Config, ConfigError};
use crate::decode::Fields;
use crate::endpoint::{self, Endpoint, EndpointError};
use crate::error::{
    BuildError, CallNotes, DecodeError, NotRetried, SdkError, TimeoutError, TransportError,
    TransportErrorKind,
};
use crate::meta::{Auth, OperationMeta, ServiceMeta};
use crate::operation::Operation;
use crate::output::{Output, Root};
use crate::request::{self, AttemptInputs};
use crate::response::{self, Failure, RawResponse};
use crate::retry::{self, FailureKind, RetryConfig, Verdict};
use crate::transport::{self, ExchangeError, Timeouts};
use std::fmt;
use std::sync::Arc;
use tracing::Instrument;

/// Decodes a successful answer into the call's output (kept by the caller's closure): the
/// raw response, and its JSON members when the output is an object.
type Accept<'a> =
    dyn FnMut(&RawResponse, Option<&Fields<'_>>) -> Result<(), DecodeError> + Send + 'a;

struct Inner {
    config: Config,
    service: &'static ServiceMeta,
    /// Resolved once: the override, or the region map and fallback rule.
    endpoint: Result<Endpoint, EndpointError>,
    /// The configuration's transport settings, or those of [`Client::with_options`].
    settings: Settings,
}

/// What a client's calls are sent with.
struct Settings {
    http: reqwest::Client,
    timeouts: Timeouts,
    retry: RetryConfig,
}

/// A client for one product version. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("product", &self.inner.service.product)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .field("timeouts", &self.inner.settings.timeouts)
            .field("retry", &self.inner.settings.retry)
            .finish()
    }
}

/// What ended an attempt.
enum AttemptError {
    /// An answer that is an error, or that could not be read as the output.
    Response(Failure<()>),
    /// No answer: the exchange failed.
    Exchange(ExchangeError),
    /// No request: credentials or the signed request could not be had (never retried).
    NotSent(SdkError<()>),
}

impl Client {
    /// A client for `service` with `config`. Endpoint resolution happens here; an unusable
    /// endpoint (no region for a regional product) is reported by each call.
    pub fn new(config: &Config, service: &'static ServiceMeta) -> Client {
        let endpoint = match &config.inner.endpoint {
            Some(e) => Ok(e.clone()),
            None => endpoint::resolve(service, config.inner.region.as_deref()),
        };
        let c = &*config.inner;
        Client {
            inner: Arc::new(Inner {
                config: config.clone(),
                service,
                endpoint,
                settings: Settings {
                    http: c.http.default_client().clone(),
                    timeouts: c.http.timeouts(),
                    retry: c.retry,
                },
            }),
        }
    }

    /// A copy of this client whose calls use `options` where they set something, and this
    /// client's settings elsewhere (the official SDKs' per-call `RuntimeOptions`, which win
    /// over the configuration). Copies with the same timeouts share one HTTP client and so
    /// its connections; other timeouts get an HTTP client of their own, built on first use
    /// and kept by the [`Config`] for the next copy that asks for them (the eight latest
    /// pairs). Building one sets up TLS, so a copy is best made once and reused, not made
    /// per call.
    ///
    /// # Errors
    ///
    /// [`ConfigError::HttpClient`] when an HTTP client for new timeouts cannot be built (its
    /// TLS set-up failed, as it would have for the configuration).
    pub fn with_options(&self, options: &CallOptions) -> Result<Client, ConfigError> {
        let inner = &*self.inner;
        let current = &inner.settings;
        let timeouts = Timeouts {
            connect: options.connect_timeout.unwrap_or(current.timeouts.connect),
            read: options.read_timeout.unwrap_or(current.timeouts.read),
        };
        let http = if timeouts == current.timeouts {
            current.http.clone()
        } else {
            inner
                .config
                .inner
                .http
                .with(timeouts)
                .map_err(|e| ConfigError::HttpClient(e.to_string()))?
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config: inner.config.clone(),
                service: inner.service,
                endpoint: inner.endpoint.clone(),
                settings: Settings {
                    http,
                    timeouts,
                    retry: options.retry_over(current.retry),
                },
            }),
        })
    }

    /// The product version this client calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint calls go to.
    pub fn endpoint(&self) -> Result<&Endpoint, &EndpointError> {
        self.inner.endpoint.as_ref()
    }

    /// [`Client::call`] of an owned `request`, boxed: the one future that a builder's
    /// `send()` ([`crate::Sending`]) and each page of a paginator
    /// ([`crate::paginate::ClientCall`]) await. Boxed where it is first polled, so that
    /// only a program that awaits an operation compiles its call path.
    pub(crate) fn call_owned<O: Operation + 'static>(
        self,
        request: O,
    ) -> crate::paginate::PageFuture<O::Output, SdkError<O::Error>> {
        Box::pin(async move { self.call(&request).await })
    }

    /// Calls an operation: builds and signs the request, sends it with retries, and decodes
    /// the answer into the operation's output or a typed error.
    ///
    /// Only what depends on the operation is generic (serializing the input, decoding the
    /// output, naming the error variant); credentials, signing, retries and transport run in
    /// one non-generic `execute`, compiled once for all operations rather than per operation.
    pub async fn call<O: Operation>(&self, input: &O) -> Result<O::Output, SdkError<O::Error>> {
        self.call_with_details(input)
            .await
            .map(Answered::into_output)
    }

    /// [`Client::call`], returning the output with the idempotency token the runtime
    /// generated for the call (when the caller left the operation's token unset) and the
    /// number of attempts ([`Answered`]).
    pub async fn call_with_details<O: Operation>(
        &self,
        input: &O,
    ) -> Result<Answered<O::Output>, SdkError<O::Error>> {
        // The generic part is this shell: the input's routing, the output's decoding and the
        // error's variant. The span, the preparation and the attempts are in `call_prepared`,
        // one future for every operation.
        let mut output = None;
        let called = self
            .call_prepared(
                O::META,
                &|| input.route(),
                &|| input.payload(),
                <O::Output as Output>::ROOT,
                &mut |raw, fields| {
                    output = Some(response::decode_output::<O::Output>(raw, fields)?);
                    Ok(())
                },
            )
            .await;
        match (called, output) {
            (Ok((idempotency_token, attempts)), Some(output)) => Ok(Answered {
                output,
                idempotency_token,
                attempts,
            }),
            (Ok(_), None) => unreachable!("a call succeeds only after the output was decoded"),
            (Err(e), _) => Err(e.with_kind()),
        }
    }

    /// A call without its types: the span, the preparation of the request (`route` and
    /// `payload` give its parameters and byte body) and the attempts; `accept` decodes the
    /// output. Returns the generated idempotency token and the number of attempts.
    async fn call_prepared(
        &self,
        meta: &'static OperationMeta,
        route: &(dyn Fn() -> Result<crate::params::Routed, BuildError> + Sync),
        payload: &(dyn Fn() -> Option<bytes::Bytes> + Sync),
        root: Root,
        accept: &mut Accept<'_>,
    ) -> Result<(Option<String>, u32), SdkError<()>> {
        let span = tracing::info_span!(
            "alibabacloud.call",
            product = self.inner.service.product,
            action = meta.action,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let call = async {
            let endpoint = self
                .inner
                .endpoint
                .as_ref()
                .map_err(|e| BuildError::Endpoint(e.clone()))?;
            // Prepared once: the body and any generated idempotency token are the same for
            // every attempt; only the date, nonce and signature change.
            let prepared = request::prepare_routed(meta, route()?, payload(), endpoint)?;
            let attempts = self.execute(meta, &prepared, root, &span, accept).await?;
            Ok((prepared.generated_token, attempts))
        };
        call.instrument(span.clone()).await
    }

    /// The part of a call that does not depend on the operation: the attempts, under the
    /// client's retry policy ([`retry::Attempts`], [`retry::judge`]). `accept` decodes the
    /// output of a successful answer; its failure is a decode error like any other. Returns
    /// the number of attempts made.
    async fn execute(
        &self,
        operation: &'static OperationMeta,
        prepared: &request::Prepared<'_>,
        root: Root,
        span: &tracing::Span,
        accept: &mut Accept<'_>,
    ) -> Result<u32, SdkError<()>> {
        let mut attempts = retry::Attempts::new(&self.inner.settings.retry);
        loop {
            let attempt = attempts.start();
            let failed = match self
                .attempt(operation, prepared, root, span, attempt, accept)
                .await
            {
                Ok(()) => return Ok(attempt),
                Err(failed) => failed,
            };
            attempts.wait_to_retry(failed).await.map_err(|last| {
                let (error, verdict) = last.error;
                let notes = CallNotes {
                    idempotency_token: prepared.generated_token.clone(),
                    not_retried: (verdict == Verdict::StopMayHaveBeenApplied)
                        .then_some(NotRetried::MayHaveBeenApplied),
                };
                self.final_error(operation.action, last.attempts, error, notes)
            })?;
        }
    }

    /// One attempt: credentials, date, nonce, signature, exchange, and the judgement of the
    /// failure ([`retry::judge`]).
    async fn attempt(
        &self,
        operation: &'static OperationMeta,
        prepared: &request::Prepared<'_>,
        root: Root,
        span: &tracing::Span,
        attempt: u32,
        accept: &mut Accept<'_>,
    ) -> Result<(), retry::Failed<(AttemptError, Verdict)>> {
        let inner = &*self.inner;
        let config = &*inner.config.inner;
        let action = operation.action;
        let policy = &inner.settings.retry;
        let not_sent =
            |e: SdkError<()>| retry::Failed::fatal((AttemptError::NotSent(e), Verdict::Stop));
        span.record("attempt", attempt);
        let date = request::acs_date(std::time::SystemTime::now());
        let nonce = request::nonce();
        let http_request = match prepared.auth {
            Auth::AccessKey => {
                let credentials = config
                    .credentials
                    .get()
                    .await
                    .map_err(|e| not_sent(e.into()))?;
                request::signed(
                    prepared,
                    &AttemptInputs {
                        service: inner.service,
                        action,
                        credentials: &credentials,
                        user_agent: &config.user_agent,
                        date: &date,
                        nonce: &nonce,
                    },
                )
            }
            // No credentials are resolved or sent: the operation authenticates by its own
            // parameters.
            Auth::Anonymous => request::anonymous(
                prepared,
                &request::AnonymousInputs {
                    service: inner.service,
                    action,
                    user_agent: &config.user_agent,
                    date: &date,
                    nonce: &nonce,
                },
            ),
        }
        .map_err(|e| not_sent(e.into()))?;
        let raw = match transport::exchange(&inner.settings.http, http_request).await {
            Ok(raw) => raw,
            Err(e) => {
                let kind = FailureKind::of_exchange(&e);
                let verdict = retry::judge(operation, prepared.token_sent, kind, policy);
                tracing::debug!(attempt, ?kind, ?verdict, error = %e, "exchange failed");
                return Err(retry::Failed {
                    error: (AttemptError::Exchange(e), verdict),
                    retryable: verdict.is_retry(),
                    server_delay: None,
                });
            }
        };
        span.record("status", raw.status);
        let failure = match response::check(&raw, root)
            .and_then(|fields| accept(&raw, fields.as_ref()).map_err(Failure::Decode))
        {
            Ok(()) => {
                if let Some(id) = &raw.request_id_header {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!(attempt, status = raw.status, "call succeeded");
                return Ok(());
            }
            Err(failure) => failure,
        };
        let kind = FailureKind::of_answer(&failure, raw.retry_after);
        let verdict = retry::judge(operation, prepared.token_sent, kind, policy);
        let server_delay = match &failure {
            Failure::Service(e) => e.retry_after(),
            Failure::Decode(_) => raw.retry_after,
        };
        let request_id = match &failure {
            Failure::Service(e) => e.request_id(),
            Failure::Decode(e) => e.request_id(),
        };
        if let Some(id) = request_id {
            span.record("request_id", id);
        }
        tracing::debug!(
            attempt,
            status = raw.status,
            request_id,
            ?kind,
            ?verdict,
            "call failed"
        );
        Err(retry::Failed {
            error: (AttemptError::Response(failure), verdict),
            retryable: verdict.is_retry(),
            server_delay,
        })
    }

    fn final_error(
        &self,
        action: &'static str,
        attempts: u32,
        failure: AttemptError,
        notes: CallNotes,
    ) -> SdkError<()> {
        let timeouts = &self.inner.settings.timeouts;
        match failure {
            // A later attempt's credentials failed: earlier attempts were sent, with the
            // token the caller needs to call again safely.
            AttemptError::NotSent(SdkError::Credentials(mut e)) if attempts > 1 => {
                e.notes = notes;
                SdkError::Credentials(e)
            }
            AttemptError::NotSent(e) => e,
            AttemptError::Response(Failure::Service(mut e)) => {
                e.details.notes = notes;
                SdkError::Service(e)
            }
            AttemptError::Response(Failure::Decode(mut e)) => {
                e.notes = notes;
                SdkError::Decode(e)
            }
            AttemptError::Exchange(ExchangeError::Timeout(phase, source)) => {
                SdkError::Timeout(TimeoutError {
                    action,
                    phase,
                    limit: match phase {
                        crate::error::TimeoutPhase::Connect => timeouts.connect,
                        crate::error::TimeoutPhase::Read => timeouts.read,
                    },
                    attempts,
                    notes,
                    source: Some(source),
                })
            }
            AttemptError::Exchange(e) => {
                let (kind, source) = match e {
                    ExchangeError::Connect(s) => (TransportErrorKind::Connect, s),
                    ExchangeError::Connection(s) => (TransportErrorKind::Connection, s),
                    ExchangeError::Other(s) | ExchangeError::Timeout(_, s) => {
                        (TransportErrorKind::Other, s)
                    }
                };
                SdkError::Transport(TransportError {
                    action,
                    kind,
                    attempts,
                    notes,
                    source,
                })
            }
        }
    }
}
