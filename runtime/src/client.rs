//! The service client: one call = prepare once, then sign, send and interpret per attempt.

use crate::call_options::CallOptions;
use crate::config::{Config, ConfigError};
use crate::decode::Fields;
use crate::endpoint::{self, Endpoint, EndpointError};
use crate::error::{
    BuildError, DecodeError, SdkError, TimeoutError, TransportError, TransportErrorKind,
};
use crate::meta::ServiceMeta;
use crate::operation::Operation;
use crate::request::{self, AttemptInputs};
use crate::response::{self, Failure, RawResponse};
use crate::retry::{self, RetryConfig};
use crate::transport::{self, ExchangeError, Timeouts};
use std::fmt;
use std::sync::Arc;
use tracing::Instrument;

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
                    retry: options.retry.unwrap_or(current.retry),
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

    /// Calls an operation: builds and signs the request, sends it with retries, and decodes
    /// the answer into the operation's output or a typed error.
    ///
    /// Only what depends on the operation is generic (serializing the input, decoding the
    /// output, naming the error variant); credentials, signing, retries and transport run in
    /// one non-generic `execute`, compiled once for all operations rather than per operation.
    pub async fn call<O: Operation>(&self, input: &O) -> Result<O::Output, SdkError<O::Error>> {
        let meta = O::META;
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
            let prepared = request::prepare(meta, input, endpoint)?;
            let mut output = None;
            self.execute(meta.action, &prepared, &span, &mut |raw, fields| {
                output = Some(response::decode_output::<O::Output>(raw, fields)?);
                Ok(())
            })
            .await
            .map_err(SdkError::with_kind)?;
            Ok(output.expect("execute succeeds only after the output was decoded"))
        };
        call.instrument(span.clone()).await
    }

    /// The part of a call that does not depend on the operation: the attempts, under the
    /// client's retry policy ([`retry::Attempts`]). `accept` decodes the output of a
    /// successful answer; its failure is a decode error like any other (and so retried only
    /// when the answer asked for it with `x-acs-retry-after`).
    async fn execute(
        &self,
        action: &'static str,
        prepared: &request::Prepared<'_>,
        span: &tracing::Span,
        accept: &mut (dyn FnMut(&RawResponse, &Fields<'_>) -> Result<(), DecodeError> + Send),
    ) -> Result<(), SdkError<()>> {
        let mut attempts = retry::Attempts::new(&self.inner.settings.retry);
        loop {
            let attempt = attempts.start();
            let failed = match self.attempt(action, prepared, span, attempt, accept).await {
                Ok(()) => return Ok(()),
                Err(failed) => failed,
            };
            attempts
                .wait_to_retry(failed)
                .await
                .map_err(|last| self.final_error(action, last.attempts, last.error))?;
        }
    }

    /// One attempt: credentials, date, nonce, signature, exchange, and the judgement of the
    /// answer ([`retry::decide`]).
    async fn attempt(
        &self,
        action: &'static str,
        prepared: &request::Prepared<'_>,
        span: &tracing::Span,
        attempt: u32,
        accept: &mut (dyn FnMut(&RawResponse, &Fields<'_>) -> Result<(), DecodeError> + Send),
    ) -> Result<(), retry::Failed<AttemptError>> {
        let inner = &*self.inner;
        let config = &*inner.config.inner;
        let not_sent = |e: SdkError<()>| retry::Failed::fatal(AttemptError::NotSent(e));
        span.record("attempt", attempt);
        let credentials = config
            .credentials
            .get()
            .await
            .map_err(|e| not_sent(e.into()))?;
        let date = request::acs_date(std::time::SystemTime::now());
        let nonce = request::nonce();
        let http_request = request::signed(
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
        .map_err(|e| not_sent(e.into()))?;
        let raw = match transport::exchange(&inner.settings.http, http_request).await {
            Ok(raw) => raw,
            Err(e) => {
                let retryable = e.is_retryable();
                tracing::debug!(attempt, retryable, error = %e, "exchange failed");
                return Err(retry::Failed {
                    error: AttemptError::Exchange(e),
                    retryable,
                    server_delay: None,
                });
            }
        };
        span.record("status", raw.status);
        let failure = match response::check(&raw)
            .and_then(|fields| accept(&raw, &fields).map_err(Failure::Decode))
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
        let (retryable, server_delay) = retry::decide(&failure, raw.retry_after);
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
            retryable,
            "call failed"
        );
        Err(retry::Failed {
            error: AttemptError::Response(failure),
            retryable,
            server_delay,
        })
    }

    fn final_error(
        &self,
        action: &'static str,
        attempts: u32,
        failure: AttemptError,
    ) -> SdkError<()> {
        let timeouts = &self.inner.settings.timeouts;
        match failure {
            AttemptError::NotSent(e) => e,
            AttemptError::Response(Failure::Service(e)) => SdkError::Service(e),
            AttemptError::Response(Failure::Decode(e)) => SdkError::Decode(e),
            AttemptError::Exchange(ExchangeError::Timeout(phase, source)) => {
                SdkError::Timeout(TimeoutError {
                    action,
                    phase,
                    limit: match phase {
                        crate::error::TimeoutPhase::Connect => timeouts.connect,
                        crate::error::TimeoutPhase::Read => timeouts.read,
                    },
                    attempts,
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
                    source,
                })
            }
        }
    }
}
