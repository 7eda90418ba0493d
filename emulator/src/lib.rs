//! A local emulator of every operation described by the specs under `specs/`, or by
//! Alibaba's catalog imported on the fly ([`EmulatorBuilder::catalog`]).
//!
//! It loads the same spec files the generated clients are generated from (through
//! `alibabacloud_codegen::load`, or `alibabacloud_codegen::import::catalog` for the
//! catalog), so the client and the emulator cannot disagree with the pages. For every
//! operation signed with ACS3-HMAC-SHA256 (RPC, ROA, FC, V3, AliGenie) it:
//!
//! * routes by `x-acs-action` + `x-acs-version` (unknown: `InvalidApi.NotFound`, 404); an
//!   operation with a path template (ROA and the styles riding on it) must also be called
//!   with one of its methods on a path matching its template (else `InvalidApi.NotFound`),
//!   and a request without `x-acs-action` is routed by its method and path alone;
//! * verifies the ACS3-HMAC-SHA256 signature against its test keys with its own verifier
//!   (`IncompleteSignature`, `InvalidAccessKeyId.NotFound`, `SignatureDoesNotMatch`,
//!   `InvalidTimeStamp.*`, `SignatureNonceUsed`, `InvalidSecurityToken.*`), over the
//!   canonical URI exactly as sent; operations whose only scheme is `Anonymous` are
//!   served unsigned;
//! * validates the parameters against the spec: required ones present (`MissingParameter`,
//!   or the page's own `Missing<Name>` code), values of the right type and in the right
//!   place: query string, form body, path segment, header, or the JSON body checked
//!   against its schema (`InvalidParameter`, 400). Unknown parameters are tolerated, as
//!   Alibaba's gateway does, and listed in the call log;
//! * answers with the page's first JSON sample response, verbatim but for a fresh request
//!   id, with the root the spec declares (JSON object or array, text, bytes, or an empty
//!   204); errors are spelled as the product spells them (`Code` or `code`).
//!
//! Faults for testing error handling: a documented error or throttling on the next N calls,
//! through [`RunningEmulator::fail_next`] / [`RunningEmulator::throttle_next`], and
//! transport mishaps (a reset connection, a slow answer, a proxy's HTML page, a truncated or
//! empty body) through [`RunningEmulator::mishap_next`] / [`RunningEmulator::transport_fault`];
//! or through the HTTP control endpoints under `/__emulator/` (see the README).
//!
//! For paginators and waiters: a list of N items served in pages through any paged
//! operation ([`RunningEmulator::serve_list`], `POST /__emulator/list`), honouring page
//! number and size or token and max results as the generator's paging plan reads them;
//! and a job moved through its states as it is polled ([`RunningEmulator::job`],
//! `POST /__emulator/job`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = alibabacloud_emulator::Emulator::builder().start().await?;
//! let endpoint = emulator.base_url(); // e.g. http://127.0.0.1:41234
//! emulator.fail_next("CreateReplicationLink", "IncorrectDBInstanceState", 1)?;
//! // The next call is served, but its connection is closed before the answer.
//! emulator.mishap_next(alibabacloud_emulator::Mishap::Reset, 1);
//! # let _ = endpoint;
//! # Ok(())
//! # }
//! ```

mod answer;
mod api_error;
mod catalog;
mod control;
mod control_http;
mod from_catalog;
mod jobs;
mod json_path;
mod keys;
mod listing;
mod mishap;
mod pipeline;
mod replay;
mod sample;
mod server;
pub mod signature;
mod specs;
mod template;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use catalog::CatalogError;
pub use control::{Call, CallParam, RandomFaults};
pub use jobs::Job;
pub use keys::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, TestKey};
pub use listing::{LastToken, List};
pub use mishap::Mishap;
pub use validate::Place;

use alibabacloud_codegen::reviewed::Reviewed;
use alibabacloud_codegen::spec::ErrorRow;
use pipeline::State;

/// Names the spec tree to serve when none is given ([`EmulatorBuilder::specs`], `--specs`).
pub const SPECS_ENV: &str = "ALIBABA_CLOUD_EMULATOR_SPECS";

/// The spec tree served when none is given, found when the emulator starts (never fixed
/// when it is compiled, so a binary built in one clone serves the tree it is started in):
/// `$ALIBABA_CLOUD_EMULATOR_SPECS`, else the `specs/` of the workspace holding the current
/// directory (the first directory at or above it with a `Cargo.toml` declaring
/// `[workspace]` beside `specs/`). `None` when there is neither.
pub fn default_specs_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(SPECS_ENV) {
        return Some(PathBuf::from(dir));
    }
    let current = std::env::current_dir().ok()?;
    current
        .ancestors()
        .find(|dir| is_workspace_with_specs(dir))
        .map(|dir| dir.join("specs"))
}

fn is_workspace_with_specs(dir: &Path) -> bool {
    dir.join("specs").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
}

/// Entry point: `Emulator::builder()...start().await`.
#[derive(Debug, Clone, Copy)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: the specs of [`default_specs_dir`] (found when the
    /// emulator starts), the default test key
    /// ([`DEFAULT_ACCESS_KEY_ID`] / [`DEFAULT_ACCESS_KEY_SECRET`]), a port the OS chooses.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            specs: PathBuf::new(),
            specs_chosen: false,
            catalog: None,
            only: Vec::new(),
            keys: Vec::new(),
            port: 0,
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    specs: PathBuf,
    specs_chosen: bool,
    catalog: Option<PathBuf>,
    only: Vec<String>,
    keys: Vec<TestKey>,
    port: u16,
}

impl EmulatorBuilder {
    /// The spec tree to serve (`specs/` layout: `<product>/<version>/*.json`).
    pub fn specs(mut self, dir: impl Into<PathBuf>) -> Self {
        self.specs = dir.into();
        self.specs_chosen = true;
        self
    }

    /// Serve Alibaba's catalog (`<dir>/<product>/<version>/api-docs.json`, e.g.
    /// `../shared/catalog`), imported when the emulator starts, instead of the workspace's
    /// specs (in addition to them when [`EmulatorBuilder::specs`] is called too). Every
    /// product version is served unless [`EmulatorBuilder::only`] names some.
    pub fn catalog(mut self, dir: impl Into<PathBuf>) -> Self {
        self.catalog = Some(dir.into());
        self
    }

    /// Serve only this product version (`cs/2015-12-15`); call again for more. With a
    /// catalog, a name the catalog does not have fails the start.
    pub fn only(mut self, product_version: impl Into<String>) -> Self {
        self.only.push(product_version.into());
        self
    }

    /// Accept this static key pair. The first key given replaces the default one; further
    /// calls add keys.
    pub fn credentials(self, access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.key(TestKey::new(access_key_id, secret))
    }

    /// Accept this key (static or STS, see [`TestKey::with_security_token`]).
    pub fn key(mut self, key: TestKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Listen on this loopback port (0, the default, lets the OS choose).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Loads the specs, binds `127.0.0.1:<port>` and starts serving on the current tokio
    /// runtime. The emulator stops when the returned handle is dropped.
    pub async fn start(self) -> Result<RunningEmulator, StartError> {
        let use_specs = self.catalog.is_none() || self.specs_chosen;
        let specs_dir = if self.specs_chosen || !use_specs {
            self.specs
        } else {
            default_specs_dir()
                .ok_or_else(|| StartError::NoSpecs(std::env::current_dir().unwrap_or_default()))?
        };
        // The reviewed files beside the specs say how lists page and where jobs keep their
        // status; a catalog served alone uses the workspace's, when there is one.
        let (mut products, reviewed) = if use_specs {
            specs::load(&specs_dir)?
        } else {
            let reviewed = match default_specs_dir() {
                Some(dir) => Reviewed::load(&dir)
                    .map_err(|errors| StartError::Reviewed(errors.to_string()))?,
                None => Reviewed::default(),
            };
            (Vec::new(), reviewed)
        };
        if !self.only.is_empty() {
            products.retain(|p| {
                let name = format!("{}/{}", p.product.code, p.product.version);
                self.only.contains(&name)
            });
        }
        let imported = match &self.catalog {
            Some(dir) => from_catalog::import(dir, &self.only)?,
            None => Vec::new(),
        };
        let catalog = catalog::Catalog::build(
            products
                .iter()
                .map(specs::input)
                .chain(imported.iter().map(from_catalog::Imported::input)),
        )
        .map_err(StartError::Catalog)?;
        if catalog.is_empty() {
            return Err(StartError::NoOperations(
                self.catalog.filter(|_| !use_specs).unwrap_or(specs_dir),
            ));
        }
        let keys = if self.keys.is_empty() {
            vec![TestKey::default()]
        } else {
            self.keys
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))
            .await
            .map_err(|source| StartError::Bind {
                port: self.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            port: self.port,
            source,
        })?;
        let state = Arc::new(State {
            catalog,
            keys,
            control: control::Control::default(),
            nonces: replay::NonceStore::default(),
            reviewed,
            listings: listing::Listings::default(),
            jobs: jobs::Jobs::default(),
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, Arc::clone(&state), stopped));
        Ok(RunningEmulator {
            addr,
            state,
            stop: Some(stop),
            task,
        })
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The spec tree does not load; one line per problem (file, JSON pointer, reason).
    #[error("the specs do not load:\n{0}")]
    Load(String),
    /// A spec loads but cannot be served (e.g. a sample response that is not JSON).
    #[error("the specs cannot be served:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Catalog(Vec<CatalogError>),
    /// The spec tree (or catalog) has no operation the emulator can serve.
    #[error("no operation to serve found under {}", .0.display())]
    NoOperations(PathBuf),
    /// No spec tree was given and none was found from the current directory (see
    /// [`default_specs_dir`]).
    #[error(
        "no spec tree to serve: none was given and no directory at or above {} holds a workspace Cargo.toml beside specs/; pass --specs <DIR> (EmulatorBuilder::specs) or set {SPECS_ENV}",
        .0.display()
    )]
    NoSpecs(PathBuf),
    /// The reviewed files (`paginators.json`, `waiters.json`) of the workspace's specs, read
    /// for a catalog served alone, do not load; one line per problem (file, JSON pointer,
    /// reason). Beside a spec tree served, they are part of [`StartError::Load`].
    #[error("the reviewed paginators or waiters do not load:\n{0}")]
    Reviewed(String),
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A control request the emulator cannot honour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No served operation has this action name (and version, when given).
    #[error("no operation `{0}` is served by this emulator")]
    UnknownAction(String),
    /// The operation's page does not document this error code.
    #[error("`{code}` is not a documented error of {action}; its page documents: {documented}")]
    UndocumentedCode {
        /// The action.
        action: String,
        /// The code asked for.
        code: String,
        /// The documented codes, comma-separated (`none` when the page has no table).
        documented: String,
    },
    /// A malformed control request (HTTP endpoints).
    #[error("{0}")]
    BadRequest(String),
    /// A list was asked of an operation that does not page (or whose paging is ambiguous).
    #[error("{action} does not page: {why}")]
    NotPaged {
        /// The action (with its product and version).
        action: String,
        /// Why, as the generator's paging plan says.
        why: String,
    },
    /// A job was asked of an operation whose status field cannot be found or used.
    #[error("no job can be served through {action}: {why}")]
    NoStatus {
        /// The action (with its product and version).
        action: String,
        /// Why.
        why: String,
    },
}

impl State {
    /// Fails unless some served operation has this action name.
    pub(crate) fn served_action(&self, action: &str) -> Result<(), ControlError> {
        if self.catalog.by_action(action).next().is_none() {
            return Err(ControlError::UnknownAction(action.to_owned()));
        }
        Ok(())
    }

    /// The operations named `action` (of `version`, when given) that a list or a job is
    /// set on: those of one version, so that the caller must name it when several are
    /// served (several products may share that version).
    pub(crate) fn operations_of(
        &self,
        action: &str,
        version: Option<&str>,
    ) -> Result<Vec<Arc<catalog::Operation>>, ControlError> {
        let mut candidates: Vec<Arc<catalog::Operation>> = self
            .catalog
            .by_action(action)
            .filter(|op| version.is_none_or(|v| v == op.version))
            .cloned()
            .collect();
        candidates.sort_by(|a, b| (&a.product, &a.version).cmp(&(&b.product, &b.version)));
        let Some(first) = candidates.first() else {
            return Err(ControlError::UnknownAction(match version {
                Some(v) => format!("{action} (version {v})"),
                None => action.to_owned(),
            }));
        };
        if candidates.iter().any(|op| op.version != first.version) {
            let served: Vec<String> = candidates
                .iter()
                .map(|op| format!("{} {}", op.product, op.version))
                .collect();
            return Err(ControlError::BadRequest(format!(
                "`{action}` is served by several API versions ({}); name the version",
                served.join(", ")
            )));
        }
        Ok(candidates)
    }

    /// Serves `list` in pages through its operation from now on.
    pub(crate) fn serve_list(&self, list: &List) -> Result<(), ControlError> {
        let ops = self.operations_of(&list.action, list.version.as_deref())?;
        let mut configured = Vec::with_capacity(ops.len());
        for op in ops {
            let paging =
                listing::Paging::of(&op, &self.reviewed).map_err(|why| ControlError::NotPaged {
                    action: format!("{} ({} {})", op.spec.action, op.product, op.version),
                    why,
                })?;
            let fail_on = match &list.fail_on_page {
                Some((request, code)) => Some((
                    *request,
                    self.documented_error(&op.spec.action, Some(&op.version), code)?
                        .1,
                )),
                None => None,
            };
            configured.push((op, paging, fail_on));
        }
        // Only once every operation of the name pages, so that a refusal changes nothing.
        for (op, paging, fail_on) in configured {
            self.listings.configure(&op, paging, list, fail_on);
        }
        Ok(())
    }

    /// Moves `job` through its states from now on.
    pub(crate) fn job(&self, job: &Job) -> Result<(), ControlError> {
        if job.states.is_empty() || job.states.iter().any(String::is_empty) {
            return Err(ControlError::BadRequest(
                "a job needs at least one state, and no empty one".to_owned(),
            ));
        }
        let ops = self.operations_of(&job.action, job.version.as_deref())?;
        let mut configured = Vec::with_capacity(ops.len());
        for op in ops {
            let refuse = |why: String| ControlError::NoStatus {
                action: format!("{} ({} {})", op.spec.action, op.product, op.version),
                why,
            };
            if op.answer.json_object(&op.spec, &op.schemas).is_none() {
                return Err(refuse("its answer is not a JSON object".to_owned()));
            }
            let dotted = match &job.status_path {
                Some(path) => path.clone(),
                None => jobs::table_status_path(&op, &self.reviewed, &self.catalog).ok_or_else(
                    || {
                        refuse(format!(
                            "no entry of the waiter table ({}) is polled through it; name the status path",
                            alibabacloud_codegen::reviewed::WAITERS_FILE
                        ))
                    },
                )?,
            };
            let path = jobs::check_status_path(&op, &dotted).map_err(refuse)?;
            configured.push((op, path));
        }
        for (op, path) in configured {
            self.jobs.configure(&op, path, job.states.clone());
        }
        Ok(())
    }

    /// The page's error row for `code` of `action` (and `version`), and the error to answer.
    fn documented_error(
        &self,
        action: &str,
        version: Option<&str>,
        code: &str,
    ) -> Result<(ErrorRow, api_error::ApiError), ControlError> {
        let mut candidates: Vec<&Arc<catalog::Operation>> = self
            .catalog
            .by_action(action)
            .filter(|op| version.is_none_or(|v| v == op.version))
            .collect();
        candidates.sort_by(|a, b| (&a.product, &a.version).cmp(&(&b.product, &b.version)));
        let Some(first) = candidates.first() else {
            return Err(ControlError::UnknownAction(match version {
                Some(v) => format!("{action} (version {v})"),
                None => action.to_owned(),
            }));
        };
        let Some(row) = candidates.iter().find_map(|op| op.error_row(code)) else {
            let documented: Vec<&str> = first.spec.errors.iter().map(|r| r.code.as_str()).collect();
            return Err(ControlError::UndocumentedCode {
                action: action.to_owned(),
                code: code.to_owned(),
                documented: if documented.is_empty() {
                    "none".to_owned()
                } else {
                    documented.join(", ")
                },
            });
        };
        let error = api_error::ApiError::new(
            row.status,
            row.code.clone(),
            row.message.clone().unwrap_or_else(|| row.code.clone()),
        );
        Ok((row.clone(), error))
    }

    /// Looks up `code` in the page's error table of `action` and queues it.
    pub(crate) fn fail_next(
        &self,
        action: &str,
        version: Option<&str>,
        code: &str,
        times: u32,
    ) -> Result<ErrorRow, ControlError> {
        let (row, error) = self.documented_error(action, version, code)?;
        self.control.fail_next(action, version, error, times);
        Ok(row)
    }
}

/// Throttling to apply: `Throttle::next(2).action("CreateAPSJob").retry_after(..)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    times: u32,
    action: Option<String>,
    retry_after: Option<Duration>,
}

impl Throttle {
    /// Throttle the next `times` calls (of any action).
    pub fn next(times: u32) -> Self {
        Self {
            times,
            action: None,
            retry_after: None,
        }
    }

    /// Only calls of this action.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Send `x-acs-retry-after` (milliseconds) with each throttled answer; without it the
    /// client recognises throttling by the code alone and uses its own backoff.
    pub fn retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }
}

/// A transport mishap to apply:
/// `TransportFault::next(Mishap::Reset, 2).action("CreateAPSJob")`.
///
/// Each call hit is still served as usual (signature verified, parameters validated,
/// throttling and documented errors consumed, logged with [`Call::mishap`] set); the mishap
/// then replaces or delays the answer on the wire. So a reset after a create leaves the
/// client unable to tell whether it happened, as a real network failure does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportFault {
    mishap: Mishap,
    times: u32,
    action: Option<String>,
}

impl TransportFault {
    /// `mishap` on the next `times` calls (of any action).
    pub fn next(mishap: Mishap, times: u32) -> Self {
        Self {
            mishap,
            times,
            action: None,
        }
    }

    /// Only calls of this action (read from `x-acs-action`).
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }
}

/// A running emulator; stops serving when dropped (or on [`RunningEmulator::shutdown`]).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningEmulator {
    /// The address it listens on (always `127.0.0.1`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: give this to the client as its endpoint URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Number of operations served.
    pub fn operation_count(&self) -> usize {
        self.state.catalog.len()
    }

    /// Product versions that are not served (a signature of their own: OSS, PDS, SLS,
    /// hcs-mgw), with why.
    pub fn skipped_products(&self) -> &[String] {
        self.state.catalog.skipped()
    }

    /// Operations whose first sample could not be served as it is (a catalog imported on the
    /// fly only; a spec tree refuses to start instead): they answer with a response
    /// synthesized from the schema. One line each, `file: reason`.
    pub fn synthesized_answers(&self) -> Vec<String> {
        self.state
            .catalog
            .notes()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The next `times` valid calls of `action` answer with the documented error `code`:
    /// the HTTP status, code and message of the page's error row.
    pub fn fail_next(&self, action: &str, code: &str, times: u32) -> Result<(), ControlError> {
        self.state.fail_next(action, None, code, times).map(drop)
    }

    /// The next `times` calls (any action) answer `Throttling.User` (HTTP 400).
    pub fn throttle_next(&self, times: u32) {
        self.throttle(Throttle::next(times));
    }

    /// Throttling with options (one action only, `x-acs-retry-after`).
    pub fn throttle(&self, throttle: Throttle) {
        let retry_after_ms = throttle
            .retry_after
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.state.control.throttle_next(
            throttle.action.as_deref(),
            throttle.times,
            retry_after_ms,
        );
    }

    /// The next `times` calls (any action) suffer `mishap` on the way back to the client;
    /// see [`TransportFault`].
    pub fn mishap_next(&self, mishap: Mishap, times: u32) {
        self.state.control.mishap_next(None, mishap, times);
    }

    /// From now on, faults drawn at random for every call (after any queued ones), until
    /// [`RunningEmulator::reset`] or `None`; see [`RandomFaults`].
    pub fn random_faults(&self, faults: Option<RandomFaults>) {
        self.state.control.random_faults(faults);
    }

    /// A transport mishap with options (one action only). Fails when no served operation
    /// has that action name, so a typo does not leave the fault waiting forever.
    pub fn transport_fault(&self, fault: TransportFault) -> Result<(), ControlError> {
        if let Some(action) = &fault.action {
            self.state.served_action(action)?;
        }
        self.state
            .control
            .mishap_next(fault.action.as_deref(), fault.mishap, fault.times);
        Ok(())
    }

    /// Serves a list of items in pages through a paged operation, from now on: each valid
    /// call answers with the page its cursor (page number and size, or token and maximum
    /// results) names, the total where the response has one, and the next token where the
    /// operation pages by token. Fails when no served operation has that action (and
    /// version), when several versions have it and none is named, when it does not page
    /// (the reason the generator's paging plan gives), or when the error of
    /// [`List::fail_on_page`] is not documented.
    ///
    /// Each item is the operation's sample item (or one synthesized from the item schema)
    /// with an identifying string field (id-like, else name-like, else the first) set to
    /// `item-<index>`, zero-based over the whole list; next tokens are opaque (`t-<offset>`),
    /// and a token the emulator did not hand out answers `InvalidParameter` (400).
    pub fn serve_list(&self, list: List) -> Result<(), ControlError> {
        self.state.serve_list(&list)
    }

    /// Moves an asynchronous job through its states as its poll operation is called: the
    /// i-th valid call answers with the i-th state at the status field (the last one again
    /// after that). Fails when no served operation has that action, when the status path
    /// is not a scalar field of its response, or when none is given and the waiter table
    /// has no entry polled through it.
    pub fn job(&self, job: Job) -> Result<(), ControlError> {
        self.state.job(&job)
    }

    /// Forgets pending faults, the call log, the lists and the jobs.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Every call served so far (the most recent 10,000), oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.state.control.calls()
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The task ends by itself once signalled; an abort error cannot happen here.
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
