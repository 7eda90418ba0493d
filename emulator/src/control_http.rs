//! HTTP control endpoints, for users of the binary (the library has the same calls as
//! methods of [`RunningEmulator`](crate::RunningEmulator)):
//!
//! | request | effect |
//! |---|---|
//! | `POST /__emulator/fail?action=A&code=C[&times=N][&version=V]` | the next N valid calls of A answer with the documented error C (status, code, message of the page's row) |
//! | `POST /__emulator/throttle[?times=N][&action=A][&retry_after_ms=M]` | the next N calls (of A) answer `Throttling.User` (400), with `x-acs-retry-after: M` when given |
//! | `POST /__emulator/mishap?kind=K[&ms=M][&times=N][&action=A]` | the next N calls (of A) are served and logged, then their answer suffers the transport mishap K: `reset` (connection closed with no answer), `delay` (the answer after M ms; `ms` is required for `delay` and refused otherwise), `html` (a 502 `text/html` proxy page), `truncated` (the body cut in half), `empty` (an empty body) |
//! | `POST /__emulator/list?action=A&items=N[&version=V][&last_token=empty\|absent][&max_page_size=M][&fail_on_page=K&code=C]` | from now on, valid calls of the paged operation A answer with the page of a list of N items their cursor names (page number and size, or token and max results; the paging the generator reads from the spec and `specs/paginators.json`): the items (`item-<index>` in an id-like field), the total, the next token (`t-<offset>`; on the last page `""`, or no field with `last_token=absent`), page echoes. `max_page_size` caps page sizes silently; the K-th page request (1-based) answers the documented error C. 400 when A does not page |
//! | `POST /__emulator/job?action=A&states=S1,S2,...[&status_path=P][&version=V]` | from now on, the i-th valid call of the poll operation A answers with state Si at the status field P (a dotted path of wire names, e.g. `APSJobDetail.Status`; default: the `specs/waiters.json` entry polled through A), the last state again after that |
//! | `POST /__emulator/reset` | forget pending faults, the call log, lists and jobs |
//! | `GET /__emulator/calls` | the call log (JSON array) |
//! | `GET /__emulator/operations` | the served operations (with their methods and path: `GET /clusters/{ClusterId}`) and their documented error codes |
//!
//! Answers are JSON: `{"ok": true, ...}`, or `{"Code": ..., "Message": ...}` with 400/404.

use serde_json::json;

use crate::mishap::Mishap;
use crate::pipeline::State;

/// Handles a control request; returns the status and JSON body.
pub(crate) fn handle(
    state: &State,
    method: &str,
    path: &str,
    query: &[(String, String)],
) -> (u16, String) {
    let endpoint = path
        .trim_start_matches(crate::server::CONTROL_PREFIX)
        .trim_end_matches('/');
    let result = match (method, endpoint) {
        ("POST", "fail") => fail(state, query),
        ("POST", "throttle") => throttle(state, query),
        ("POST", "mishap") => mishap(state, query),
        ("POST", "list") => list(state, query),
        ("POST", "job") => job(state, query),
        ("POST", "reset") => {
            state.reset();
            Ok(json!({"ok": true}))
        }
        ("GET", "calls") => Ok(json!(state.control.calls())),
        ("GET", "operations") => Ok(operations(state)),
        _ => {
            return (
                404,
                json!({
                    "Code": "InvalidApi.NotFound",
                    "Message": format!("No control endpoint {method} {path}. Try POST /__emulator/fail, POST /__emulator/throttle, POST /__emulator/mishap, POST /__emulator/list, POST /__emulator/job, POST /__emulator/reset, GET /__emulator/calls, GET /__emulator/operations."),
                })
                .to_string(),
            );
        }
    };
    match result {
        Ok(mut body) => {
            if body.is_object() {
                let (throttles, failures, mishaps) = state.control.pending();
                body["pending"] = json!({
                    "throttled_calls": throttles,
                    "failing_calls": failures,
                    "mishap_calls": mishaps,
                });
            }
            (200, body.to_string())
        }
        Err(error) => (
            400,
            json!({"Code": "InvalidParameter", "Message": error.to_string()}).to_string(),
        ),
    }
}

fn param<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn number<T: std::str::FromStr>(
    query: &[(String, String)],
    name: &str,
) -> Result<Option<T>, crate::ControlError> {
    param(query, name)
        .map(|v| {
            v.parse().map_err(|_| {
                crate::ControlError::BadRequest(format!(
                    "`{name}` must be a non-negative integer, got `{v}`"
                ))
            })
        })
        .transpose()
}

fn fail(
    state: &State,
    query: &[(String, String)],
) -> Result<serde_json::Value, crate::ControlError> {
    let action = required(query, "action")?;
    let code = required(query, "code")?;
    let times = number(query, "times")?.unwrap_or(1);
    let version = param(query, "version");
    let row = state.fail_next(action, version, code, times)?;
    Ok(json!({"ok": true, "action": action, "code": code, "status": row.status, "times": times}))
}

fn throttle(
    state: &State,
    query: &[(String, String)],
) -> Result<serde_json::Value, crate::ControlError> {
    let times = number(query, "times")?.unwrap_or(1);
    let retry_after_ms = number(query, "retry_after_ms")?;
    let action = param(query, "action");
    if let Some(action) = action {
        state.served_action(action)?;
    }
    state.control.throttle_next(action, times, retry_after_ms);
    Ok(json!({"ok": true, "times": times, "action": action, "retry_after_ms": retry_after_ms}))
}

fn mishap(
    state: &State,
    query: &[(String, String)],
) -> Result<serde_json::Value, crate::ControlError> {
    let kind = param(query, "kind").ok_or_else(|| {
        crate::ControlError::BadRequest(format!(
            "the query parameter `kind` is required: one of {}",
            crate::mishap::KINDS
        ))
    })?;
    let ms = number(query, "ms")?;
    let mishap = Mishap::parse(kind, ms).map_err(crate::ControlError::BadRequest)?;
    let times = number(query, "times")?.unwrap_or(1);
    let action = param(query, "action");
    if let Some(action) = action {
        state.served_action(action)?;
    }
    state.control.mishap_next(action, mishap, times);
    Ok(json!({"ok": true, "mishap": mishap, "times": times, "action": action}))
}

fn list(
    state: &State,
    query: &[(String, String)],
) -> Result<serde_json::Value, crate::ControlError> {
    let action = required(query, "action")?;
    let items = number(query, "items")?.ok_or_else(|| {
        crate::ControlError::BadRequest("the query parameter `items` is required".to_owned())
    })?;
    let mut list = crate::List::new(action, items);
    if let Some(version) = param(query, "version") {
        list = list.version(version);
    }
    if let Some(last) = param(query, "last_token") {
        list = list
            .last_token(crate::LastToken::parse(last).map_err(crate::ControlError::BadRequest)?);
    }
    if let Some(max) = number(query, "max_page_size")? {
        if max == 0 {
            return Err(crate::ControlError::BadRequest(
                "`max_page_size` must be at least 1".to_owned(),
            ));
        }
        list = list.max_page_size(max);
    }
    match (number::<u32>(query, "fail_on_page")?, param(query, "code")) {
        (Some(request), Some(code)) => list = list.fail_on_page(request, code),
        (None, None) => {}
        _ => {
            return Err(crate::ControlError::BadRequest(
                "`fail_on_page` and `code` go together".to_owned(),
            ));
        }
    }
    state.serve_list(&list)?;
    Ok(json!({
        "ok": true,
        "action": action,
        "items": items,
        "version": list.version,
        "last_token": param(query, "last_token").unwrap_or("empty"),
        "max_page_size": list.max_page_size,
        "fail_on_page": list.fail_on_page.as_ref().map(|(request, code)| json!({"request": request, "code": code})),
    }))
}

fn job(
    state: &State,
    query: &[(String, String)],
) -> Result<serde_json::Value, crate::ControlError> {
    let action = required(query, "action")?;
    let states: Vec<&str> = required(query, "states")?
        .split(',')
        .map(str::trim)
        .collect();
    let mut job = crate::Job::new(action).states(states.iter().copied());
    if let Some(path) = param(query, "status_path") {
        job = job.status_path(path);
    }
    if let Some(version) = param(query, "version") {
        job = job.version(version);
    }
    state.job(&job)?;
    Ok(json!({
        "ok": true,
        "action": action,
        "states": states,
        "status_path": job.status_path,
        "version": job.version,
    }))
}

fn required<'q>(query: &'q [(String, String)], name: &str) -> Result<&'q str, crate::ControlError> {
    param(query, name).ok_or_else(|| {
        crate::ControlError::BadRequest(format!("the query parameter `{name}` is required"))
    })
}

fn operations(state: &State) -> serde_json::Value {
    let mut list: Vec<serde_json::Value> = state
        .catalog
        .operations()
        .map(|op| {
            json!({
                "product": op.product,
                "version": op.version,
                "action": op.spec.action,
                "route": op.route_text(),
                "errors": op.spec.errors.iter().map(|row| &row.code).collect::<Vec<_>>(),
            })
        })
        .collect();
    list.sort_by(|a, b| {
        let key = |v: &serde_json::Value| {
            (
                v["product"].to_string(),
                v["version"].to_string(),
                v["action"].to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    json!(list)
}
