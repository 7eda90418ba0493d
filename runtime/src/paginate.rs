//! Paginators: every page of a list operation as a [`Stream`], without writing the loop.
//!
//! A paginator is generic; what differs between operations is a few plain functions that
//! the generated code supplies as one `const` [`Paging`] per operation: where the cursor
//! is read from a page and written into the next request ([`Cursor::Token`] or
//! [`Cursor::Page`]), how many items a page holds, the total the service reports, and how
//! to clear the request's idempotency token.
//!
//! # When the stream ends
//!
//! After each page, the first rule that applies ends the stream (the page itself is
//! always yielded):
//!
//! | rule | applies to |
//! |---|---|
//! | the page holds no items ([`Paging::items`] says 0) | both cursors |
//! | the items seen since the first page reach the total ([`Paging::total`]) | both cursors |
//! | the next token is absent, empty, or the token the page was requested with | [`Cursor::Token`] |
//! | the page's item count is unknown (no [`Paging::items`]): nothing says whether another page exists | [`Cursor::Page`] |
//! | the next page number would overflow | [`Cursor::Page`] |
//!
//! A page shorter than the page size asked for never ends the stream: services cap page
//! sizes silently, so a short page says nothing about the next one. Page numbers start at
//! the page the caller set on the first request, or else at [`Cursor::Page`]'s `first`
//! (0 or 1, as the operation documents). An error is yielded and then ends the stream.
//!
//! # Idempotency tokens
//!
//! The first page is sent as the caller built it. Every later page is built from the
//! request of the page before with [`Paging::clear_idempotency_token`] applied, so a
//! `ClientToken` the caller set is never replayed on another page: the runtime generates
//! a fresh one for each page's call (and reuses it only across that call's retries, see
//! [`ParamMeta::idempotency_token`](crate::ParamMeta::idempotency_token)).
//!
//! # Laziness
//!
//! Nothing is sent until the stream is polled, and each page is requested only when the
//! previous one has been taken: dropping the stream stops the listing.
//!
//! ```no_run
//! # use alibabacloud_runtime as rt;
//! # #[derive(Clone, serde::Serialize)] struct ListThings { #[serde(rename = "NextToken")] next_token: Option<String> }
//! # #[derive(Default)] struct ListThingsResponse { next_token: Option<String>, things: Option<Vec<String>> }
//! // What the generator emits per operation: plain functions, no trait impl.
//! const PAGING: rt::paginate::Paging<ListThings, ListThingsResponse> = rt::paginate::Paging {
//!     cursor: rt::paginate::Cursor::Token {
//!         get: |r| r.next_token.as_deref(),
//!         set: |r, token| r.next_token = Some(token),
//!         next: |o| o.next_token.as_deref(),
//!     },
//!     items: Some(|o| o.things.as_ref().map_or(0, Vec::len)),
//!     total: None,
//!     clear_idempotency_token: None,
//!     page_size: None,
//! };
//! # async fn demo(list: impl FnMut(ListThings) -> std::future::Ready<Result<ListThingsResponse, String>> + Send + 'static) -> Result<(), String> {
//! // With a client: `rt::paginate::paginate(&client, request, PAGING)`; here any call.
//! let mut things = rt::paginate::Pages::new(ListThings { next_token: None }, PAGING, list)
//!     .items_with(|page| page.things.unwrap_or_default());
//! while let Some(thing) = things.next().await {
//!     println!("{}", thing?);
//! }
//! # Ok(()) }
//! ```

use crate::client::Client;
use crate::error::SdkError;
use crate::operation::Operation;
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A boxed page request in flight.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

/// Sends one page's request: a [`Client`] ([`ClientCall`], for generated paginators) or
/// any function ([`FnCall`], from [`Pages::new`]).
///
/// A generic parameter rather than a boxed closure, so that building a paginator (the
/// generated `into_paginator()`, compiled in the product's crate) coerces nothing to a
/// trait object: the call path is compiled only where the stream is polled, in the
/// program that uses it, and a crate with hundreds of paginators stays cheap to compile.
pub trait PageCall<R> {
    /// A page.
    type Output;
    /// What a failed page request gives.
    type Error;
    /// Sends `request`.
    fn call(&mut self, request: R) -> PageFuture<Self::Output, Self::Error>;
}

/// Sends each page through a [`Client`], as [`Operation`] `R`.
#[derive(Clone, Debug)]
pub struct ClientCall {
    client: Client,
}

impl<Op> PageCall<Op> for ClientCall
where
    Op: Operation + Send + Sync + 'static,
    Op::Output: Send + 'static,
    Op::Error: Send + 'static,
{
    type Output = Op::Output;
    type Error = SdkError<Op::Error>;

    fn call(&mut self, request: Op) -> PageFuture<Op::Output, SdkError<Op::Error>> {
        self.client.clone().call_owned(request)
    }
}

/// Sends each page with a function (boxed), for [`Pages::new`].
pub struct FnCall<R, O, E>(Box<dyn FnMut(R) -> PageFuture<O, E> + Send>);

impl<R, O, E> PageCall<R> for FnCall<R, O, E> {
    type Output = O;
    type Error = E;

    fn call(&mut self, request: R) -> PageFuture<O, E> {
        (self.0)(request)
    }
}

impl<R, O, E> fmt::Debug for FnCall<R, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnCall")
    }
}

/// How one operation pages: the per-operation data a paginator needs, as plain function
/// pointers so that generated code supplies it as a `const`. `R` is the request type, `O`
/// the output (page) type.
pub struct Paging<R, O> {
    /// Where the cursor is read from a page and written into the next request.
    pub cursor: Cursor<R, O>,
    /// The number of items on a page, where the operation's one items array is known (an
    /// absent array counts as 0). A page with no items ends the stream, and the count feeds
    /// the total rule. Required for [`Cursor::Page`] to go past the first page.
    pub items: Option<fn(&O) -> usize>,
    /// The total number of items the service reports on a page (`TotalCount`,
    /// `TotalRecordCount`, ...), when it does. Once the items seen reach it the stream
    /// ends; only used together with [`Paging::items`].
    pub total: Option<fn(&O) -> Option<u64>>,
    /// Clears the request's idempotency token (`ClientToken`) so that the runtime
    /// generates a fresh one for each page after the first; `None` when the operation has
    /// no such parameter.
    pub clear_idempotency_token: Option<fn(&mut R)>,
    /// Sets the page size (`PageSize`, `MaxResults`) on a request, for
    /// [`Pages::page_size`]; `None` when the operation has no such parameter. A size the
    /// parameter's type cannot hold is clamped to its largest value.
    pub page_size: Option<fn(&mut R, u32)>,
}

/// Where a page's cursor lives.
pub enum Cursor<R, O> {
    /// A continuation token (`NextToken`, `NextPageToken`, `pageToken`, ...): read from each
    /// page, sent with the next request.
    Token {
        /// The token a request carries (a caller may start from one).
        get: fn(&R) -> Option<&str>,
        /// Sets the token on a request.
        set: fn(&mut R, String),
        /// The next token a page returns.
        next: fn(&O) -> Option<&str>,
    },
    /// A page number (`PageNumber`, `pageNum`, `CurrentPage`, ...), incremented per page.
    Page {
        /// The first page's number as the operation counts (0 or 1).
        first: u64,
        /// The page number a request carries (a caller may start from a later page). A
        /// string-typed page number is parsed here.
        get: fn(&R) -> Option<u64>,
        /// Sets the page number on a request (and formats it, for a string-typed one);
        /// `false` when the number does not fit the parameter's type, which ends the
        /// stream rather than asking for a page twice.
        set: fn(&mut R, u64) -> bool,
    },
}

impl<R, O> Clone for Cursor<R, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, O> Copy for Cursor<R, O> {}

impl<R, O> Clone for Paging<R, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, O> Copy for Paging<R, O> {}

impl<R, O> fmt::Debug for Cursor<R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Token { .. } => f.write_str("Token"),
            Cursor::Page { first, .. } => f.debug_struct("Page").field("first", first).finish(),
        }
    }
}

impl<R, O> fmt::Debug for Paging<R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paging")
            .field("cursor", &self.cursor)
            .field("items", &self.items.is_some())
            .field("total", &self.total.is_some())
            .field(
                "clear_idempotency_token",
                &self.clear_idempotency_token.is_some(),
            )
            .field("page_size", &self.page_size.is_some())
            .finish()
    }
}

impl<R, O> Paging<R, O> {
    /// The request of the page after `page`, which was requested with `sent`; `None` when
    /// `page` is the last one. `seen` counts the items of every page so far, this one
    /// included.
    fn next_request(&self, mut sent: R, page: &O, seen: u64) -> Option<R> {
        let count = self.items.map(|items| items(page));
        if count == Some(0) {
            return None;
        }
        if let (Some(_), Some(total)) = (count, self.total.and_then(|total| total(page)))
            && seen >= total
        {
            return None;
        }
        match self.cursor {
            Cursor::Token { get, set, next } => {
                let token = next(page).filter(|t| !t.is_empty())?;
                if get(&sent) == Some(token) {
                    return None;
                }
                let token = token.to_owned();
                set(&mut sent, token);
            }
            Cursor::Page { first, get, set } => {
                count?;
                let number = get(&sent).unwrap_or(first).checked_add(1)?;
                if !set(&mut sent, number) {
                    return None;
                }
            }
        }
        if let Some(clear) = self.clear_idempotency_token {
            clear(&mut sent);
        }
        Some(sent)
    }
}

/// Where a paginator stands.
enum State<R, O, E> {
    /// The next page's request, not sent yet.
    Next(R),
    /// A page's request in flight, kept to build the request after it.
    InFlight { pending: PageFuture<O, E>, sent: R },
    /// The last page, or an error, was yielded.
    Done,
    /// The first request could not be built: this error is yielded, then the stream ends.
    Failed(Option<E>),
}

/// A [`Stream`] of the pages of a list operation, each `Result<O, E>`; see the
/// [module](self) for when it ends. Built by [`paginate`] for a client, or by
/// [`Pages::new`] for any function that sends a request.
pub struct Pages<R, O, E, C = FnCall<R, O, E>> {
    paging: Paging<R, O>,
    /// `None` for a paginator that failed before its first page.
    call: Option<C>,
    state: State<R, O, E>,
    seen: u64,
    pages: u64,
}

/// The paginator of operation `Op` on a [`Client`]: a stream of its pages, each the
/// operation's output or its typed error.
pub type Paginator<Op> =
    Pages<Op, <Op as Operation>::Output, SdkError<<Op as Operation>::Error>, ClientCall>;

/// A paginator over `client` that starts with the request `first` and pages as `paging`
/// says. Generated builders' `into_paginator()` call this with their operation's `const`
/// [`Paging`].
pub fn paginate<Op>(client: &Client, first: Op, paging: Paging<Op, Op::Output>) -> Paginator<Op>
where
    Op: Operation + Clone,
{
    Pages::with_call(
        first,
        paging,
        ClientCall {
            client: client.clone(),
        },
    )
}

/// What a generated builder's `into_paginator()` calls: a paginator over the builder's
/// client from its built first request; a missing client or required parameter comes out
/// of the stream as its one error ([`SdkError::Build`]).
pub fn paginate_built<Op>(
    client: Option<Client>,
    action: &'static str,
    first: Result<Op, crate::error::BuildError>,
    paging: Paging<Op, Op::Output>,
) -> Paginator<Op>
where
    Op: Operation + Clone,
{
    let Some(client) = client else {
        return Pages::failed(
            SdkError::Build(crate::error::BuildError::NoClient { action }),
            paging,
        );
    };
    match first {
        Ok(first) => paginate(&client, first, paging),
        Err(error) => Pages::failed(SdkError::Build(error), paging),
    }
}

// Nothing is ever pinned in place: the request futures are boxed.
impl<R, O, E, C> Unpin for Pages<R, O, E, C> {}

impl<R, O, E> Pages<R, O, E> {
    /// A paginator that sends each page's request with `call`, starting with `first`.
    /// This is the whole paging logic without a client, which is what tests drive; a
    /// [`Cursor::Page`] paginator sets the first page number on `first` when the caller
    /// left it unset.
    pub fn new<F, Fut>(first: R, paging: Paging<R, O>, mut call: F) -> Self
    where
        F: FnMut(R) -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, E>> + Send + 'static,
    {
        Pages::with_call(
            first,
            paging,
            FnCall(Box::new(move |request| Box::pin(call(request)))),
        )
    }
}

impl<R, O, E, C> Pages<R, O, E, C> {
    /// A paginator that sends each page's request through `call`, starting with `first`.
    pub fn with_call(mut first: R, paging: Paging<R, O>, call: C) -> Self {
        if let Cursor::Page {
            first: number,
            get,
            set,
        } = paging.cursor
            && get(&first).is_none()
        {
            set(&mut first, number);
        }
        Pages {
            paging,
            call: Some(call),
            state: State::Next(first),
            seen: 0,
            pages: 0,
        }
    }

    /// A paginator that yields `error` and ends: what a generated `into_paginator()`
    /// returns when its builder cannot build the first request (a required parameter
    /// missing), so that the error comes out of the stream like any other.
    pub fn failed(error: E, paging: Paging<R, O>) -> Self {
        Pages {
            paging,
            call: None,
            state: State::Failed(Some(error)),
            seen: 0,
            pages: 0,
        }
    }

    /// Sets the page size of every request (`PageSize`, `MaxResults`), where the
    /// operation has one; otherwise does nothing. The service may still cap it: the
    /// stream never takes a shorter page for the last one.
    #[must_use]
    pub fn page_size(mut self, size: u32) -> Self {
        if let (Some(set), State::Next(request)) = (self.paging.page_size, &mut self.state) {
            set(request, size);
        }
        self
    }

    /// A stream of the items of every page, in order, taken out of each page by `take`.
    /// Generated paginators have [`Pages::items`] instead, which knows where the items
    /// are. An error is yielded and ends the stream, as for pages.
    pub fn items_with<T>(self, take: fn(O) -> Vec<T>) -> Items<R, O, E, T, C> {
        Items {
            pages: self,
            take,
            buffer: Vec::new().into_iter(),
        }
    }

    /// How many pages have been received so far.
    pub fn pages_received(&self) -> u64 {
        self.pages
    }
}

impl<R, O, E, C> Pages<R, O, E, C>
where
    R: Clone,
    C: PageCall<R, Output = O, Error = E>,
{
    /// The next page: `None` once the stream has ended. The same as
    /// `StreamExt::next`, without depending on a futures utility crate.
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<R, O, E, C> Stream for Pages<R, O, E, C>
where
    R: Clone,
    C: PageCall<R, Output = O, Error = E>,
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => return Poll::Ready(error.map(Err)),
                State::Next(request) => {
                    // Only a failed paginator has no call, and it never gets here.
                    let Some(call) = this.call.as_mut() else {
                        return Poll::Ready(None);
                    };
                    let sent = request.clone();
                    let pending = call.call(request);
                    this.state = State::InFlight { pending, sent };
                }
                State::InFlight { mut pending, sent } => {
                    return match pending.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::InFlight { pending, sent };
                            Poll::Pending
                        }
                        // The state stays `Done`: an error ends the stream.
                        Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                        Poll::Ready(Ok(page)) => {
                            this.pages += 1;
                            let count = this.paging.items.map_or(0, |items| items(&page));
                            this.seen = this.seen.saturating_add(count as u64);
                            if let Some(next) = this.paging.next_request(sent, &page, this.seen) {
                                this.state = State::Next(next);
                            }
                            Poll::Ready(Some(Ok(page)))
                        }
                    };
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            _ => (1, None),
        }
    }
}

impl<R, O, E, C> fmt::Debug for Pages<R, O, E, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Next(_) => "next page not requested yet",
            State::InFlight { .. } => "page requested",
            State::Done => "done",
            State::Failed(_) => "failed before the first page",
        };
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("state", &state)
            .field("pages", &self.pages)
            .field("items_seen", &self.seen)
            .finish()
    }
}

/// An operation whose pages hold one identified items array: what lets its paginator
/// give [`Pages::items`]. Generated for every such operation.
pub trait PagedItems: Operation {
    /// One item (the array's element type).
    type Item;
    /// Takes the items out of a page (an absent array is no items).
    fn items(page: Self::Output) -> Vec<Self::Item>;
}

impl<Op: PagedItems> Pages<Op, Op::Output, SdkError<Op::Error>, ClientCall>
where
    Op: Clone,
{
    /// A stream of the items of every page, in order; an error is yielded and ends the
    /// stream, as for pages.
    pub fn items(self) -> Items<Op, Op::Output, SdkError<Op::Error>, Op::Item, ClientCall> {
        self.items_with(Op::items)
    }
}

/// A [`Stream`] of the items of every page ([`Pages::items`]), each `Result<T, E>`.
pub struct Items<R, O, E, T, C = FnCall<R, O, E>> {
    pages: Pages<R, O, E, C>,
    take: fn(O) -> Vec<T>,
    buffer: std::vec::IntoIter<T>,
}

// Nothing is ever pinned in place: the pages stream is `Unpin` and the items are owned.
impl<R, O, E, T, C> Unpin for Items<R, O, E, T, C> {}

impl<R: Clone, O, E, T, C: PageCall<R, Output = O, Error = E>> Items<R, O, E, T, C> {
    /// The next item: `None` once the last page's items are out, or after an error.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<R: Clone, O, E, T, C: PageCall<R, Output = O, Error = E>> Stream for Items<R, O, E, T, C> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer = (this.take)(page).into_iter(),
            }
        }
    }
}

impl<R, O, E, T, C> fmt::Debug for Items<R, O, E, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Req {
        token: Option<String>,
        page: Option<u64>,
        client_token: Option<String>,
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Page {
        next: Option<String>,
        items: Option<Vec<u32>>,
        total: Option<u64>,
    }

    fn page(next: Option<&str>, items: &[u32]) -> Page {
        Page {
            next: next.map(str::to_owned),
            items: Some(items.to_vec()),
            total: None,
        }
    }

    fn numbered(items: &[u32], total: Option<u64>) -> Page {
        Page {
            next: None,
            items: Some(items.to_vec()),
            total,
        }
    }

    const TOKEN: Paging<Req, Page> = Paging {
        cursor: Cursor::Token {
            get: |r| r.token.as_deref(),
            set: |r, t| r.token = Some(t),
            next: |o| o.next.as_deref(),
        },
        items: Some(|o| o.items.as_ref().map_or(0, Vec::len)),
        total: None,
        clear_idempotency_token: Some(|r| r.client_token = None),
        page_size: None,
    };

    const PAGE_1: Paging<Req, Page> = Paging {
        cursor: Cursor::Page {
            first: 1,
            get: |r| r.page,
            set: |r, n| {
                r.page = Some(n);
                true
            },
        },
        items: Some(|o| o.items.as_ref().map_or(0, Vec::len)),
        total: Some(|o| o.total),
        clear_idempotency_token: None,
        page_size: None,
    };

    type Script = Vec<Result<Page, &'static str>>;
    /// The requests the fake service received.
    type Log = Arc<Mutex<Vec<Req>>>;

    /// A fake service answering from `script` in order and recording every request; a
    /// request past the script fails the test.
    fn fake(
        first: Req,
        paging: Paging<Req, Page>,
        script: Script,
    ) -> (Pages<Req, Page, &'static str>, Log) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        let mut answers = script.into_iter();
        let pages = Pages::new(first, paging, move |request: Req| {
            log.lock().unwrap().push(request);
            let answer = answers.next().expect("a request past the end of the list");
            std::future::ready(answer)
        });
        (pages, sent)
    }

    async fn run(
        first: Req,
        paging: Paging<Req, Page>,
        script: Script,
    ) -> (Vec<Result<Page, &'static str>>, Vec<Req>) {
        let (mut pages, sent) = fake(first, paging, script);
        let mut out = Vec::new();
        while let Some(p) = pages.next().await {
            out.push(p);
        }
        assert!(pages.next().await.is_none(), "an ended stream stays ended");
        let sent = sent.lock().unwrap().clone();
        (out, sent)
    }

    fn tokens(sent: &[Req]) -> Vec<Option<&str>> {
        sent.iter().map(|r| r.token.as_deref()).collect()
    }

    fn numbers(sent: &[Req]) -> Vec<Option<u64>> {
        sent.iter().map(|r| r.page).collect()
    }

    #[tokio::test]
    async fn token_absent_ends() {
        let script = vec![
            Ok(page(Some("a"), &[1, 2])),
            Ok(page(Some("b"), &[3])),
            Ok(page(None, &[4])),
        ];
        let (out, sent) = run(Req::default(), TOKEN, script).await;
        assert_eq!(out.len(), 3);
        assert_eq!(tokens(&sent), [None, Some("a"), Some("b")]);
    }

    #[tokio::test]
    async fn empty_token_ends() {
        let script = vec![Ok(page(Some("a"), &[1])), Ok(page(Some(""), &[2]))];
        let (out, sent) = run(Req::default(), TOKEN, script).await;
        assert_eq!(out.len(), 2);
        assert_eq!(tokens(&sent), [None, Some("a")]);
    }

    #[tokio::test]
    async fn token_equal_to_the_one_sent_ends() {
        let script = vec![Ok(page(Some("a"), &[1])), Ok(page(Some("a"), &[2]))];
        let (out, sent) = run(Req::default(), TOKEN, script).await;
        assert_eq!(out.len(), 2);
        assert_eq!(tokens(&sent), [None, Some("a")]);

        // A caller starting from a token the service answers again.
        let first = Req {
            token: Some("x".into()),
            ..Req::default()
        };
        let (out, sent) = run(first, TOKEN, vec![Ok(page(Some("x"), &[1]))]).await;
        assert_eq!(out.len(), 1);
        assert_eq!(tokens(&sent), [Some("x")]);
    }

    #[tokio::test]
    async fn empty_page_ends_even_with_a_token() {
        let script = vec![Ok(page(Some("a"), &[1])), Ok(page(Some("b"), &[]))];
        let (out, sent) = run(Req::default(), TOKEN, script).await;
        assert_eq!(out.len(), 2);
        assert_eq!(sent.len(), 2);

        // An absent items array is an empty page too.
        let absent = Page {
            next: Some("b".into()),
            items: None,
            total: None,
        };
        let (out, _) = run(Req::default(), TOKEN, vec![Ok(absent)]).await;
        assert_eq!(out.len(), 1);
    }

    #[tokio::test]
    async fn token_pages_without_an_item_count_follow_the_token() {
        let paging = Paging {
            items: None,
            ..TOKEN
        };
        let script = vec![
            Ok(page(Some("a"), &[])),
            Ok(page(Some("b"), &[])),
            Ok(page(None, &[])),
        ];
        let (out, sent) = run(Req::default(), paging, script).await;
        assert_eq!(out.len(), 3);
        assert_eq!(tokens(&sent), [None, Some("a"), Some("b")]);
    }

    #[tokio::test]
    async fn total_reached_ends() {
        let script = vec![
            Ok(numbered(&[1, 2, 3], Some(5))),
            Ok(numbered(&[4, 5], Some(5))),
        ];
        let (out, sent) = run(Req::default(), PAGE_1, script).await;
        assert_eq!(out.len(), 2);
        assert_eq!(numbers(&sent), [Some(1), Some(2)]);

        // A total of zero: one page.
        let (out, sent) = run(Req::default(), PAGE_1, vec![Ok(numbered(&[], Some(0)))]).await;
        assert_eq!((out.len(), sent.len()), (1, 1));

        // The total rule applies to token cursors as well.
        let paging = Paging {
            total: Some(|o: &Page| o.total),
            ..TOKEN
        };
        let full = Page {
            next: Some("more".into()),
            items: Some(vec![1, 2]),
            total: Some(2),
        };
        let (out, sent) = run(Req::default(), paging, vec![Ok(full)]).await;
        assert_eq!((out.len(), sent.len()), (1, 1));
    }

    #[tokio::test]
    async fn a_short_page_never_ends() {
        // Page size 10 asked, the service caps at 3: every page is short.
        let script = vec![
            Ok(numbered(&[1, 2, 3], Some(8))),
            Ok(numbered(&[4, 5, 6], Some(8))),
            Ok(numbered(&[7, 8], Some(8))),
        ];
        let (out, sent) = run(Req::default(), PAGE_1, script).await;
        assert_eq!(out.len(), 3);
        assert_eq!(numbers(&sent), [Some(1), Some(2), Some(3)]);

        // Without a total, only the empty page ends it.
        let script = vec![
            Ok(numbered(&[1, 2, 3], None)),
            Ok(numbered(&[4], None)),
            Ok(numbered(&[], None)),
        ];
        let (out, sent) = run(Req::default(), PAGE_1, script).await;
        assert_eq!(out.len(), 3);
        assert_eq!(numbers(&sent), [Some(1), Some(2), Some(3)]);
    }

    #[tokio::test]
    async fn page_numbers_start_where_the_operation_says() {
        let paging = Paging {
            cursor: Cursor::Page {
                first: 0,
                get: |r: &Req| r.page,
                set: |r: &mut Req, n| {
                    r.page = Some(n);
                    true
                },
            },
            ..PAGE_1
        };
        let script = vec![Ok(numbered(&[1], Some(2))), Ok(numbered(&[2], Some(2)))];
        let (_, sent) = run(Req::default(), paging, script).await;
        assert_eq!(numbers(&sent), [Some(0), Some(1)]);

        // A page number the caller set wins.
        let first = Req {
            page: Some(4),
            ..Req::default()
        };
        let script = vec![Ok(numbered(&[1], None)), Ok(numbered(&[], None))];
        let (_, sent) = run(first, PAGE_1, script).await;
        assert_eq!(numbers(&sent), [Some(4), Some(5)]);
    }

    #[tokio::test]
    async fn page_numbers_without_an_item_count_stop_after_one_page() {
        let paging = Paging {
            items: None,
            ..PAGE_1
        };
        let (out, sent) = run(Req::default(), paging, vec![Ok(numbered(&[1], Some(9)))]).await;
        assert_eq!((out.len(), sent.len()), (1, 1));
    }

    #[tokio::test]
    async fn page_number_overflow_ends() {
        let first = Req {
            page: Some(u64::MAX),
            ..Req::default()
        };
        let (out, sent) = run(first, PAGE_1, vec![Ok(numbered(&[1], None))]).await;
        assert_eq!((out.len(), sent.len()), (1, 1));
    }

    #[tokio::test]
    async fn the_client_token_is_never_replayed() {
        let first = Req {
            client_token: Some("caller-token".into()),
            ..Req::default()
        };
        let script = vec![
            Ok(page(Some("a"), &[1])),
            Ok(page(Some("b"), &[2])),
            Ok(page(None, &[3])),
        ];
        let (_, sent) = run(first, TOKEN, script).await;
        let client_tokens: Vec<_> = sent.iter().map(|r| r.client_token.as_deref()).collect();
        // Cleared after the first page: the runtime generates one per later page's call.
        assert_eq!(client_tokens, [Some("caller-token"), None, None]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_then_ends() {
        let script = vec![
            Ok(page(Some("a"), &[1])),
            Err("Throttling"),
            Ok(page(None, &[3])),
        ];
        let (out, sent) = run(Req::default(), TOKEN, script).await;
        assert_eq!(out, [Ok(page(Some("a"), &[1])), Err("Throttling")]);
        assert_eq!(sent.len(), 2);

        let (out, sent) = run(Req::default(), PAGE_1, vec![Err("Forbidden")]).await;
        assert_eq!((out, sent.len()), (vec![Err("Forbidden")], 1));
    }

    #[tokio::test]
    async fn items_flatten_pages_and_end_on_error() {
        let script = vec![
            Ok(page(Some("a"), &[1, 2])),
            Ok(page(Some("b"), &[3])),
            Ok(page(None, &[4, 5])),
        ];
        let (pages, _) = fake(Req::default(), TOKEN, script);
        let items = pages.items_with(|p| p.items.unwrap_or_default());
        assert_eq!(items.try_collect().await, Ok(vec![1, 2, 3, 4, 5]));

        let script = vec![Ok(page(Some("a"), &[1, 2])), Err("Boom")];
        let (pages, _) = fake(Req::default(), TOKEN, script);
        let mut items = pages.items_with(|p| p.items.unwrap_or_default());
        assert_eq!(items.next().await, Some(Ok(1)));
        assert_eq!(items.next().await, Some(Ok(2)));
        assert_eq!(items.next().await, Some(Err("Boom")));
        assert_eq!(items.next().await, None);
    }

    #[tokio::test]
    async fn pages_are_requested_only_when_asked_for() {
        let script = vec![Ok(page(Some("a"), &[1])), Ok(page(None, &[2]))];
        let (mut pages, sent) = fake(Req::default(), TOKEN, script);
        assert!(sent.lock().unwrap().is_empty());
        assert!(pages.next().await.is_some());
        assert_eq!(sent.lock().unwrap().len(), 1);
        assert_eq!(pages.pages_received(), 1);
        let rest = pages.try_collect().await.unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(sent.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_pending_page_is_polled_again() {
        // A call that is not ready at once (a real HTTP call): the stream waits for it.
        let calls = Arc::new(Mutex::new(0u32));
        let counter = calls.clone();
        let pages = Pages::new(Req::default(), TOKEN, move |r: Req| {
            *counter.lock().unwrap() += 1;
            async move {
                tokio::task::yield_now().await;
                Ok::<_, &'static str>(match r.token.as_deref() {
                    None => page(Some("a"), &[1]),
                    _ => page(None, &[2]),
                })
            }
        });
        let all = pages.try_collect().await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(*calls.lock().unwrap(), 2);
    }

    #[test]
    fn paginators_are_send() {
        fn is_send<T: Send>(_: &T) {}
        let (pages, _) = fake(Req::default(), TOKEN, vec![]);
        is_send(&pages);
        let _ = format!("{pages:?}");
    }

    #[tokio::test]
    async fn a_failed_paginator_yields_its_error_once_and_sends_nothing() {
        let mut pages: Pages<Req, Page, &'static str> = Pages::failed("missing RegionId", TOKEN);
        assert_eq!(pages.next().await, Some(Err("missing RegionId")));
        assert_eq!(pages.next().await, None);
    }

    #[tokio::test]
    async fn page_size_is_set_on_every_request() {
        let sized = Paging {
            page_size: Some(|r: &mut Req, n| r.client_token = Some(format!("size {n}"))),
            clear_idempotency_token: None,
            ..TOKEN
        };
        let script = vec![Ok(page(Some("a"), &[1])), Ok(page(None, &[2]))];
        let (pages, sent) = fake(Req::default(), sized, script);
        let mut pages = pages.page_size(50);
        while pages.next().await.is_some() {}
        let sent = sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 2);
        assert!(
            sent.iter()
                .all(|r| r.client_token.as_deref() == Some("size 50"))
        );
    }

    #[tokio::test]
    async fn a_page_number_the_parameter_cannot_hold_ends_instead_of_repeating() {
        let capped = Paging {
            cursor: Cursor::Page {
                first: 1,
                get: |r: &Req| r.page,
                set: |r: &mut Req, n| {
                    if n > 2 {
                        return false;
                    }
                    r.page = Some(n);
                    true
                },
            },
            total: None,
            ..PAGE_1
        };
        let script = vec![Ok(numbered(&[1], None)), Ok(numbered(&[2], None))];
        let (out, sent) = run(Req::default(), capped, script).await;
        assert_eq!(out.len(), 2);
        assert_eq!(numbers(&sent), [Some(1), Some(2)]);
    }
}
