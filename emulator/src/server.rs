//! The HTTP/1 server: accepts connections on a loopback listener and hands each request to
//! the control endpoints or to the API pipeline, then applies any transport mishap to the
//! answer on its way out.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::api_error::ApiError;
use crate::control_http;
use crate::mishap::{self, Mishap};
use crate::pipeline::{self, State};

/// Largest request body accepted; RPC form bodies are small, and a bound keeps a stray
/// upload from exhausting memory.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Where the control endpoints live; RPC operations are all served at `/`.
pub(crate) const CONTROL_PREFIX: &str = "/__emulator/";

/// The service's error for [`Mishap::Reset`]: hyper then closes the connection without
/// writing any response, so the client sees the connection end before an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection closed on purpose (transport mishap: reset)")]
struct ResetOnPurpose;

/// Accepts connections until `shutdown` fires; open connections are aborted when the
/// connection set is dropped on the way out.
pub(crate) async fn serve(
    listener: TcpListener,
    state: Arc<State>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let state = Arc::clone(&state);
                    connections.spawn(async move {
                        let service = service_fn(move |request| {
                            let state = Arc::clone(&state);
                            async move { respond(&state, request).await }
                        });
                        // A client that goes away mid-request is not the emulator's problem,
                        // and a reset is the emulator's own doing.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn respond(
    state: &State,
    request: hyper::Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ResetOnPurpose> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let error = ApiError::new(
                413,
                "InvalidParameter",
                format!("The request body is larger than {MAX_BODY_BYTES} bytes, or was cut off."),
            );
            let request_id = pipeline::new_request_id();
            return Ok(json_response(
                413,
                error.body(&request_id, "127.0.0.1", ""),
                &request_id,
                None,
            ));
        }
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
        .unwrap_or_default();
    let path = parts.uri.path();

    if path.starts_with(CONTROL_PREFIX) || path == CONTROL_PREFIX.trim_end_matches('/') {
        let (status, body) = control_http::handle(state, parts.method.as_str(), path, &query);
        return Ok(json_response(
            status,
            body,
            &pipeline::new_request_id(),
            None,
        ));
    }

    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let request = pipeline::Request {
        method: parts.method.as_str(),
        path,
        query,
        headers,
        body: &body,
    };
    // Taken before the call is served, so that the call consumes the mishap whatever the
    // pipeline makes of it.
    let mishap = state.control.take_mishap(
        request.header("x-acs-action").unwrap_or_default(),
        request.header("x-acs-version").unwrap_or_default(),
    );
    let (reply, mut call) = pipeline::handle(state, &request);
    call.mishap = mishap;
    // Recorded before any delay, so the log shows the call as soon as it was served.
    state.control.record(call);
    let reply = match mishap {
        None => reply,
        Some(Mishap::Reset) => return Err(ResetOnPurpose),
        Some(Mishap::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            reply
        }
        Some(Mishap::Html) => return Ok(bad_gateway_page()),
        Some(Mishap::Truncated) => pipeline::Reply {
            body: mishap::first_half_bytes(&reply.body).to_vec(),
            ..reply
        },
        Some(Mishap::Empty) => pipeline::Reply {
            body: Vec::new(),
            ..reply
        },
    };
    Ok(api_response(reply))
}

fn api_response(reply: pipeline::Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Some(content_type) = reply.content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Ok(value) = HeaderValue::from_str(&reply.request_id) {
        if reply.fc {
            headers.insert(HeaderName::from_static("x-fc-request-id"), value.clone());
        }
        headers.insert(HeaderName::from_static("x-acs-request-id"), value);
    }
    if let Some(ms) = reply.retry_after_ms {
        headers.insert(
            HeaderName::from_static("x-acs-retry-after"),
            HeaderValue::from(ms),
        );
    }
    for (name, value) in &reply.headers {
        // Names come from the spec; one that is not a valid header name is left out
        // rather than failing the answer.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}

/// What a reverse proxy answers when the service behind it fails: no Alibaba headers.
fn bad_gateway_page() -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(
        mishap::BAD_GATEWAY_PAGE.as_bytes(),
    )));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn json_response(
    status: u16,
    body: String,
    request_id: &str,
    retry_after_ms: Option<u64>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-acs-request-id"), value);
    }
    if let Some(ms) = retry_after_ms {
        headers.insert(
            HeaderName::from_static("x-acs-retry-after"),
            HeaderValue::from(ms),
        );
    }
    response
}
