//! Asynchronous jobs that move through their states as they are polled: the i-th valid
//! call of the poll operation answers with the i-th state at the status field (the last
//! state again once they run out), so that a waiter can be tested through every outcome
//! (success after K polls, a failure state, a state that never ends).
//!
//! The status field is the one the waiter table (`specs/waiters.json`) names for the
//! operations polled through this one, unless the user names it.

use std::collections::HashMap;
use std::sync::Mutex;

use alibabacloud_codegen::reviewed::Reviewed;
use alibabacloud_codegen::spec::FieldType;
use serde_json::Value;

use crate::catalog::{Catalog, Operation};
use crate::json_path;

/// A job to move through its states:
/// `Job::new("DescribeApsJobDetail").states(["Running", "Running", "Success"])`, given to
/// [`RunningEmulator::job`](crate::RunningEmulator::job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub(crate) action: String,
    pub(crate) version: Option<String>,
    pub(crate) states: Vec<String>,
    pub(crate) status_path: Option<String>,
}

impl Job {
    /// A job polled through `action` (the poll operation, not the one that starts it).
    pub fn new(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            version: None,
            states: Vec::new(),
            status_path: None,
        }
    }

    /// The status each poll answers: the i-th poll gets the i-th value, and every poll
    /// after the last value gets it again.
    pub fn states<I, S>(mut self, states: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.states = states.into_iter().map(Into::into).collect();
        self
    }

    /// The status field of the poll operation's response, as a dotted path of wire names
    /// (`APSJobDetail.Status`). Without it, the waiter table's entry for the operations
    /// this one polls says.
    pub fn status_path(mut self, path: impl Into<String>) -> Self {
        self.status_path = Some(path.into());
        self
    }

    /// Only the operation of this API version.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }
}

/// One configured job and how many polls it has answered.
#[derive(Debug, Clone)]
struct Progress {
    path: Vec<String>,
    states: Vec<String>,
    polls: usize,
}

type Key = (String, String, String);

fn key(op: &Operation) -> Key {
    (
        op.product.clone(),
        op.version.clone(),
        op.spec.action.clone(),
    )
}

/// The configured jobs, by poll operation.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    jobs: Mutex<HashMap<Key, Progress>>,
}

impl Jobs {
    /// Answers polls of `op` with `states` at `path` from now on (replacing any earlier job
    /// of it, and starting again from the first state).
    pub(crate) fn configure(&self, op: &Operation, path: Vec<String>, states: Vec<String>) {
        let progress = Progress {
            path,
            states,
            polls: 0,
        };
        crate::control::lock(&self.jobs).insert(key(op), progress);
    }

    /// Whether polls of `op` are answered with a job's states.
    pub(crate) fn has(&self, op: &Operation) -> bool {
        crate::control::lock(&self.jobs).contains_key(&key(op))
    }

    /// Forgets every job.
    pub(crate) fn reset(&self) {
        crate::control::lock(&self.jobs).clear();
    }

    /// Puts this poll's state into `body`; does nothing when no job is configured for `op`.
    pub(crate) fn serve(&self, op: &Operation, body: &mut Value) {
        let (path, state) = {
            let mut jobs = crate::control::lock(&self.jobs);
            let Some(progress) = jobs.get_mut(&key(op)) else {
                return;
            };
            let index = progress.polls.min(progress.states.len().saturating_sub(1));
            progress.polls = progress.polls.saturating_add(1);
            let Some(state) = progress.states.get(index) else {
                return;
            };
            (progress.path.clone(), state.clone())
        };
        let field = json_path::field_at(&op.spec.response, &op.schemas, &path);
        json_path::set(body, &path, json_path::typed(field, &state));
    }
}

/// The status path the waiter table gives for polls of `op`: an entry of the same product
/// version whose poll operation is `op`, named by the entry or by the asynchronous
/// operation's metadata.
pub(crate) fn table_status_path(
    op: &Operation,
    reviewed: &Reviewed,
    catalog: &Catalog,
) -> Option<String> {
    let prefix = format!("{}/{}/", op.product, op.version);
    reviewed.waiters.iter().find_map(|(key, entry)| {
        let started_by = key.strip_prefix(&prefix)?;
        let polled_by = match &entry.poll {
            Some(poll) => Some(poll.clone()),
            None => catalog
                .by_action(started_by)
                .find(|o| o.product == op.product && o.version == op.version)
                .and_then(|o| o.spec.asynchronous.as_ref())
                .and_then(|a| a.poll.clone()),
        };
        (polled_by.as_deref() == Some(op.spec.action.as_str())).then(|| entry.status.clone())
    })
}

/// Checks that `dotted` names a scalar field of `op`'s response, through objects.
pub(crate) fn check_status_path(op: &Operation, dotted: &str) -> Result<Vec<String>, String> {
    let path = json_path::split(dotted);
    if path.iter().any(String::is_empty) {
        return Err(format!("the status path `{dotted}` has an empty step"));
    }
    match json_path::field_at(&op.spec.response, &op.schemas, &path).map(|f| f.ty) {
        Some(Some(FieldType::Object | FieldType::Array)) => Err(format!(
            "`{dotted}` of {}'s response is not a scalar field",
            op.spec.action
        )),
        Some(_) => Ok(path),
        None => Err(format!(
            "`{dotted}` is not a field of {}'s response (a dotted path of wire names through objects)",
            op.spec.action
        )),
    }
}
