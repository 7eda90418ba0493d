//! The future a generated builder's `send()` returns.
//!
//! A named, generic future instead of an `async fn send` in every generated builder: an
//! `async fn` is a state machine per operation that the compiler checks, lays out and
//! generates code for in the library crate whether or not a program ever sends that
//! operation. [`Sending`] is one generic type; its state is the client and the built
//! request, and the call itself is started (and compiled) only where a program awaits it.
//! See `codegen/COMPILE_TIME.md` for what this saves per operation.

use crate::client::Client;
use crate::error::{BuildError, SdkError};
use crate::operation::Operation;
use crate::paginate::PageFuture;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The boxed call, once started.
type Call<O> = PageFuture<<O as Operation>::Output, SdkError<<O as Operation>::Error>>;

/// A call of operation `O` that has not finished: await it for the output or the error.
///
/// Returned by a builder's `send()`. The request was built when `send()` was called; a
/// missing required parameter or a builder without a client is the first thing awaiting it
/// returns ([`SdkError::Build`]), before anything is sent. Like every future it does nothing
/// until awaited.
#[must_use = "a call does nothing until it is awaited"]
pub struct Sending<O: Operation> {
    state: State<O>,
}

enum State<O: Operation> {
    /// Not polled yet.
    Ready {
        client: Option<Client>,
        request: Result<O, BuildError>,
    },
    /// Polled at least once: the call in flight.
    Running(Call<O>),
    /// Finished (or being polled).
    Done,
}

impl<O: Operation> Sending<O> {
    /// The call of `request` through `client`, started when first polled. `client` is the
    /// builder's; `None` (a builder not made by a client) fails with
    /// [`BuildError::NoClient`].
    pub fn new(client: Option<Client>, request: Result<O, BuildError>) -> Self {
        Sending {
            state: State::Ready { client, request },
        }
    }
}

// Nothing is pinned in place: the request is moved into the boxed call before that is
// polled.
impl<O: Operation> Unpin for Sending<O> {}

impl<O: Operation + 'static> Future for Sending<O> {
    type Output = Result<O::Output, SdkError<O::Error>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Ready { client, request } => {
                    let Some(client) = client else {
                        return Poll::Ready(Err(SdkError::Build(BuildError::NoClient {
                            action: O::META.action,
                        })));
                    };
                    let request = match request {
                        Ok(request) => request,
                        Err(error) => return Poll::Ready(Err(SdkError::Build(error))),
                    };
                    this.state = State::Running(client.call_owned(request));
                }
                State::Running(mut call) => {
                    let polled = call.as_mut().poll(cx);
                    if polled.is_pending() {
                        this.state = State::Running(call);
                    }
                    return polled;
                }
                State::Done => panic!("`Sending` polled after it finished"),
            }
        }
    }
}

impl<O: Operation> fmt::Debug for Sending<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready { .. } => "ready",
            State::Running(_) => "running",
            State::Done => "done",
        };
        f.debug_struct("Sending")
            .field("action", &O::META.action)
            .field("state", &state)
            .finish()
    }
}
