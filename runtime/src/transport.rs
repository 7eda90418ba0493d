//! The HTTP client and one exchange over it.
//!
//! One `reqwest::Client` per [`Config`](crate::Config) is shared by every service client
//! made from it, so connections are pooled and reused. TLS is rustls with the `ring`
//! provider; no OpenSSL anywhere.

use crate::error::TimeoutPhase;
use crate::response::RawResponse;
use crate::retry;
use reqwest::header::HeaderName;
use std::time::Duration;

/// Default connect timeout, as the official SDKs (reference §6).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default read timeout, as the official SDKs (reference §6).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds an HTTP client with the given timeouts. Redirects are not followed: a signed
/// request replayed to another host would not verify, and the 3xx is reported instead.
///
/// reqwest's own retry layer is turned off: the client's retry loop ([`crate::retry`]) is
/// the only one, so every attempt is bounded, re-signed with a fresh nonce, and visible in
/// tracing. (reqwest's default replays HTTP/2 refusals itself, and to be able to, copies
/// every request's headers and body before sending it.)
pub fn build_http_client(
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<reqwest::Client, reqwest::Error> {
    // reqwest is built without a bundled crypto provider; install ring as the process
    // default unless the application already installed one (then that one is used).
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
}

/// The HTTP clients of one [`Config`](crate::Config): the one its own timeouts make, and one
/// per other pair of timeouts that [`CallOptions`](crate::CallOptions) asked for, built on
/// first use. Timeouts belong to a reqwest client (the connect timeout to its connector), so
/// a call with other timeouts needs another client; calls with the same timeouts share it,
/// and with it their connections.
///
/// At most [`MAX_OTHER_CLIENTS`] others are kept, the oldest dropped first: an application
/// that derives timeouts per call (from a deadline, say) would otherwise keep one pool per
/// value for the life of the configuration. A dropped client lives on in the copies that
/// still use it.
#[derive(Debug)]
pub(crate) struct Clients {
    timeouts: Timeouts,
    default: reqwest::Client,
    others: std::sync::Mutex<Vec<(Timeouts, reqwest::Client)>>,
}

/// How many clients for other timeouts a configuration keeps.
pub(crate) const MAX_OTHER_CLIENTS: usize = 8;

/// Connect and read timeouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
}

impl Clients {
    /// The clients of a configuration with these timeouts; builds the first one now.
    pub(crate) fn new(timeouts: Timeouts) -> Result<Self, reqwest::Error> {
        Ok(Clients {
            timeouts,
            default: build_http_client(timeouts.connect, timeouts.read)?,
            others: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The client with `timeouts`: the configuration's own, or one built for them.
    pub(crate) fn with(&self, timeouts: Timeouts) -> Result<reqwest::Client, reqwest::Error> {
        if timeouts == self.timeouts {
            return Ok(self.default.clone());
        }
        // A poisoned lock only means another thread panicked while pushing; the list is
        // still a valid list.
        let mut others = self
            .others
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, client)) = others.iter().find(|(t, _)| *t == timeouts) {
            return Ok(client.clone());
        }
        let client = build_http_client(timeouts.connect, timeouts.read)?;
        if others.len() == MAX_OTHER_CLIENTS {
            others.remove(0);
        }
        others.push((timeouts, client.clone()));
        Ok(client)
    }

    /// The configuration's own client.
    pub(crate) fn default_client(&self) -> &reqwest::Client {
        &self.default
    }

    /// The configuration's own timeouts.
    pub(crate) fn timeouts(&self) -> Timeouts {
        self.timeouts
    }
}

/// An HTTP client built on its first use, for the credential providers that fetch over
/// HTTP (metadata service, credentials URI, STS): most processes never reach them, and
/// building a client loads the TLS roots. A failure to build is kept and reported by every
/// use, as the text of the builder error.
#[derive(Debug)]
pub(crate) struct LazyClient {
    connect_timeout: Duration,
    read_timeout: Duration,
    client: std::sync::OnceLock<Result<reqwest::Client, String>>,
}

impl LazyClient {
    /// A client with these timeouts, not built yet.
    pub(crate) const fn new(connect_timeout: Duration, read_timeout: Duration) -> Self {
        LazyClient {
            connect_timeout,
            read_timeout,
            client: std::sync::OnceLock::new(),
        }
    }

    /// The client, built now if this is the first use.
    pub(crate) fn get(&self) -> Result<&reqwest::Client, String> {
        self.client
            .get_or_init(|| {
                build_http_client(self.connect_timeout, self.read_timeout)
                    .map_err(|e| format!("cannot build HTTP client: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Why one exchange failed before a response was fully read.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    Timeout(TimeoutPhase, reqwest::Error),
    Connect(reqwest::Error),
    Connection(reqwest::Error),
    Other(reqwest::Error),
}

/// The underlying HTTP client error (its URL already stripped by `classify`).
impl std::fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExchangeError::Timeout(_, e)
            | ExchangeError::Connect(e)
            | ExchangeError::Connection(e)
            | ExchangeError::Other(e) => e.fmt(f),
        }
    }
}

impl ExchangeError {
    fn classify(e: reqwest::Error) -> Self {
        // The URL may carry query parameters; errors never show it.
        let e = e.without_url();
        if e.is_timeout() {
            let phase = if e.is_connect() {
                TimeoutPhase::Connect
            } else {
                TimeoutPhase::Read
            };
            ExchangeError::Timeout(phase, e)
        } else if e.is_connect() {
            ExchangeError::Connect(e)
        } else if e.is_request() || e.is_body() || e.is_decode() {
            ExchangeError::Connection(e)
        } else {
            ExchangeError::Other(e)
        }
    }
}

// Looked up by `HeaderName` on every response: a `&str` key is parsed on each lookup.
static REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-acs-request-id");
static FC_REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-fc-request-id");
static RETRY_AFTER_HEADER: HeaderName = HeaderName::from_static("x-acs-retry-after");

/// Sends one request and reads the whole response.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<RawResponse, ExchangeError> {
    let mut response = http
        .execute(request)
        .await
        .map_err(ExchangeError::classify)?;
    let status = response.status().as_u16();
    let header = |name: &HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // FC answers with its own request-id header (styles reference §2.4).
    let request_id_header = header(&REQUEST_ID_HEADER).or_else(|| header(&FC_REQUEST_ID_HEADER));
    let retry_after = header(&RETRY_AFTER_HEADER)
        .as_deref()
        .and_then(retry::parse_retry_after);
    // Taken, not copied: the response is consumed by reading its body.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(ExchangeError::classify)?;
    Ok(RawResponse {
        status,
        request_id_header,
        retry_after,
        body,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeouts(read_ms: u64) -> Timeouts {
        Timeouts {
            connect: DEFAULT_CONNECT_TIMEOUT,
            read: Duration::from_millis(read_ms),
        }
    }

    #[test]
    fn other_timeouts_get_clients_of_their_own_and_only_the_latest_are_kept() {
        let clients = Clients::new(timeouts(10_000)).unwrap();
        clients.with(timeouts(10_000)).unwrap();
        assert!(
            clients.others.lock().unwrap().is_empty(),
            "the default is not a copy"
        );
        for read_ms in 1..=MAX_OTHER_CLIENTS as u64 + 2 {
            clients.with(timeouts(read_ms)).unwrap();
            clients.with(timeouts(read_ms)).unwrap();
        }
        let kept: Vec<u64> = clients
            .others
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.read.as_millis() as u64)
            .collect();
        assert_eq!(kept, (3..=MAX_OTHER_CLIENTS as u64 + 2).collect::<Vec<_>>());
    }
}
