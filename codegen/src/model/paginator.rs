//! Paginators and waiters in Rust names: the wire-level plans of [`crate::paging`] and the
//! reviewed waiter table, mapped onto the fields of an operation's generated types.
//! A plan whose path does not land on a field of the expected type gives no paginator
//! (or waiter), with the reason; nothing is emitted that would not compile or would read
//! the wrong field.

use super::{CrateModel, OperationModel, ParamModel, ResponseModel, StructModel, Ty};
use crate::paging::{CursorPlan, NoPaging, PagingPlan, Total};
use crate::reviewed::Reviewed;
use crate::spec::{OperationSpec, ProductSpec};

/// A request field a paginator reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestField {
    /// Field of the request struct.
    pub ident: String,
    /// Its type (without the `Option`).
    pub ty: Ty,
    /// A plain field (required), not an `Option`.
    pub required: bool,
}

/// The path step into an array's first item, in reviewed paths and in
/// [`ResponsePath::idents`].
pub const FIRST_ITEM: &str = "[]";

/// A response field reached through optional fields: `o.data.as_ref()?.total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsePath {
    /// The field names, outermost first; every one is an `Option`. [`FIRST_ITEM`] after
    /// an array's field steps into its first item.
    pub idents: Vec<String>,
    /// The type of the last field (without the `Option`).
    pub ty: Ty,
}

/// How a paginator moves from page to page, in Rust names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorModel {
    /// A continuation token.
    Token {
        /// The request's token field.
        param: RequestField,
        /// The response's next-token field.
        next: ResponsePath,
    },
    /// A page number, counted from `first`.
    Page {
        /// The request's page-number field (`i32`, `i64` or `String`).
        param: RequestField,
        /// The first page's number.
        first: u64,
    },
}

/// One operation's paginator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginatorModel {
    /// The wire-level plan, for the documentation.
    pub plan: PagingPlan,
    /// The cursor.
    pub cursor: CursorModel,
    /// The page-size field, when there is one.
    pub page_size: Option<RequestField>,
    /// The items array (type `Vec<T>`), when one is identified.
    pub items: Option<ResponsePath>,
    /// The total the service reports (an integer or decimal text).
    pub total: Option<ResponsePath>,
    /// The idempotency-token field, cleared on every page after the first.
    pub idempotency_token: Option<String>,
}

/// A waiter: a method `wait_until_<name>` on a poll operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterModel {
    /// Method name (`wait_until_aps_job_finished`).
    pub method: String,
    /// The asynchronous operation whose work this waits for (`CreateAPSJob`).
    pub awaits: String,
    /// The status field of the poll operation's response (a `String`).
    pub status: ResponsePath,
    /// The RequestId field of the poll operation's response, when it has one.
    pub request_id: Option<ResponsePath>,
    /// Status values that mean success.
    pub success: Vec<String>,
    /// Status values that mean failure.
    pub failure: Vec<String>,
    /// A poll without a status means success (a deletion seen through a list).
    pub absent_is_success: bool,
    /// The documented interval, in milliseconds.
    pub interval_millis: Option<u64>,
    /// The documented maximum number of polls.
    pub max_tries: Option<u64>,
}

/// What an operation lacks for a waiter, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoWaiter {
    /// The asynchronous operation.
    pub action: String,
    /// A short stable label (`no-poll-operation`, `states-not-reviewed`, ...).
    pub label: &'static str,
    /// Details.
    pub detail: String,
}

/// Settles the paginators and waiters of every generated operation of `model`.
pub(super) fn attach(
    model: &mut CrateModel,
    product: &ProductSpec,
    specs: &[OperationSpec],
    reviewed: &Reviewed,
) {
    let by_action = |action: &str| specs.iter().find(|s| s.action == action);
    for index in 0..model.operations.len() {
        let Some(spec) = by_action(&model.operations[index].action) else {
            continue;
        };
        let review = reviewed.paging(&product.code, &product.version, &spec.action);
        let outcome = match crate::paging::plan(spec, &product.schemas, review) {
            None => continue,
            Some(Err(why)) => Err(why),
            Some(Ok(plan)) => paginator(model, &model.operations[index], plan),
        };
        match outcome {
            Ok(paginator) => model.operations[index].paginator = Some(paginator),
            Err(why) => model.no_paginator.push((spec.action.clone(), why)),
        }
    }
    for spec in specs {
        let Some(info) = &spec.asynchronous else {
            continue;
        };
        if !model.operations.iter().any(|o| o.action == spec.action) {
            continue;
        }
        let entry = reviewed.waiter(&product.code, &product.version, &spec.action);
        let poll = entry
            .and_then(|e| e.poll.clone())
            .or_else(|| info.poll.clone());
        let no = |label, detail: String| NoWaiter {
            action: spec.action.clone(),
            label,
            detail,
        };
        let Some(poll) = poll else {
            model.no_waiter.push(no(
                "no-poll-operation",
                "the metadata names no poll operation".into(),
            ));
            continue;
        };
        let Some(poll_index) = model.operations.iter().position(|o| o.action == poll) else {
            model.no_waiter.push(no(
                "poll-operation-missing",
                format!("`{poll}` is not a generated operation"),
            ));
            continue;
        };
        let Some(entry) = entry else {
            model.no_waiter.push(no(
                "states-not-reviewed",
                format!("no entry in specs/waiters.json for the states of `{poll}`"),
            ));
            continue;
        };
        let poll_op = &model.operations[poll_index];
        let wire: Vec<String> = entry
            .status
            .split('.')
            .flat_map(|step| match step.strip_suffix(FIRST_ITEM) {
                Some(field) => vec![field.to_owned(), FIRST_ITEM.to_owned()],
                None => vec![step.to_owned()],
            })
            .filter(|step| !step.is_empty())
            .collect();
        let status = match response_path(model, poll_op, &wire) {
            Some(path) if path.ty == Ty::String => path,
            _ => {
                model.no_waiter.push(no(
                    "bad-status-field",
                    format!(
                        "`{}` is not a text field of `{poll}`'s response",
                        entry.status
                    ),
                ));
                continue;
            }
        };
        let method = format!("wait_until_{}", entry.name);
        if poll_op.waiters.iter().any(|w| w.method == method) {
            model.no_waiter.push(no(
                "duplicate-name",
                format!("`{poll}` already has a waiter `{method}`"),
            ));
            continue;
        }
        let request_id =
            response_path(model, poll_op, &["RequestId".to_owned()]).filter(|p| p.ty == Ty::String);
        let interval_millis = info
            .interval_millis
            .or(info.interval_seconds.map(|s| s.saturating_mul(1000)))
            .filter(|&ms| ms > 0);
        let waiter = WaiterModel {
            method,
            awaits: spec.action.clone(),
            status,
            request_id,
            success: entry.success.clone(),
            failure: entry.failure.clone(),
            absent_is_success: entry.absent.as_deref() == Some("success"),
            interval_millis,
            max_tries: info.max_tries.filter(|&t| t > 0),
        };
        let link = (
            model.operations[poll_index].builder_type.clone(),
            waiter.method.clone(),
        );
        model.operations[poll_index].waiters.push(waiter);
        if let Some(op) = model
            .operations
            .iter_mut()
            .find(|o| o.action == spec.action)
        {
            op.awaited_by.push(link);
        }
    }
}

fn paginator(
    model: &CrateModel,
    op: &OperationModel,
    plan: PagingPlan,
) -> Result<PaginatorModel, NoPaging> {
    let missing = |what: &str| NoPaging::Unmapped(what.to_owned());
    let cursor = match &plan.cursor {
        CursorPlan::Token { param, next } => CursorModel::Token {
            param: request_field(op, param)
                .filter(|f| f.ty == Ty::String)
                .ok_or_else(|| missing(param))?,
            next: response_path(model, op, next)
                .filter(|p| p.ty == Ty::String)
                .ok_or_else(|| missing(&next.join(".")))?,
        },
        CursorPlan::Page { param, first, .. } => CursorModel::Page {
            param: request_field(op, param)
                .filter(|f| matches!(f.ty, Ty::I32 | Ty::I64 | Ty::String))
                .ok_or_else(|| missing(param))?,
            first: *first,
        },
    };
    let page_size = match &plan.page_size {
        Some(name) => Some(
            request_field(op, name)
                .filter(|f| matches!(f.ty, Ty::I32 | Ty::I64 | Ty::String))
                .ok_or_else(|| missing(name))?,
        ),
        None => None,
    };
    let items = match &plan.items {
        Some(path) => Some(
            response_path(model, op, path)
                .filter(|p| matches!(p.ty, Ty::Vec(_)))
                .ok_or_else(|| missing(&path.join(".")))?,
        ),
        None => None,
    };
    let total = match &plan.total {
        Some(Total::Field { path, .. }) => Some(
            response_path(model, op, path)
                .filter(|p| matches!(p.ty, Ty::I32 | Ty::I64 | Ty::String))
                .ok_or_else(|| missing(&path.join(".")))?,
        ),
        Some(Total::Header(_)) | None => None,
    };
    let idempotency_token = match &plan.idempotency_token {
        Some(name) => Some(request_field(op, name).ok_or_else(|| missing(name))?.ident),
        None => None,
    };
    Ok(PaginatorModel {
        plan,
        cursor,
        page_size,
        items,
        total,
        idempotency_token,
    })
}

/// The request field with wire name `wire` (a top-level parameter or a body member the
/// builder sets on its own).
fn request_field(op: &OperationModel, wire: &str) -> Option<RequestField> {
    let param: &ParamModel = op
        .params
        .iter()
        .find(|p| p.field.wire == wire && !p.payload)?;
    Some(RequestField {
        ident: param.field.ident.clone(),
        ty: param.field.ty.clone(),
        required: param.required,
    })
}

/// The response field at the wire path `path`, through fields of generated structs.
pub(super) fn response_path(
    model: &CrateModel,
    op: &OperationModel,
    path: &[String],
) -> Option<ResponsePath> {
    let mut current: &StructModel = match &op.response {
        ResponseModel::Struct(root) => root,
        ResponseModel::Shared(name) => find_struct(model, op, name)?,
        _ => return None,
    };
    let mut idents = Vec::with_capacity(path.len());
    let mut steps = path.iter().peekable();
    while let Some(step) = steps.next() {
        let field = current.fields.iter().find(|f| &f.wire == step)?;
        idents.push(field.ident.clone());
        let mut ty = &field.ty;
        // `[]`: into the array's first item.
        if steps.peek().is_some_and(|s| *s == FIRST_ITEM) {
            steps.next();
            let Ty::Vec(item) = ty else {
                return None;
            };
            idents.push(FIRST_ITEM.to_owned());
            ty = item;
        }
        if steps.peek().is_none() {
            return Some(ResponsePath {
                idents,
                ty: ty.clone(),
            });
        }
        let Ty::Named { name, .. } = ty else {
            return None;
        };
        current = find_struct(model, op, name)?;
    }
    None
}

fn find_struct<'a>(
    model: &'a CrateModel,
    op: &'a OperationModel,
    name: &str,
) -> Option<&'a StructModel> {
    op.response_structs
        .iter()
        .chain(&model.shared)
        .find(|s| s.name == name)
}
