//! Which operations page, and how: the token rule and the page rule, read from an
//! operation's spec and settled, where the spec alone is ambiguous, by the reviewed
//! overrides file (`specs/paginators.json`, [`crate::reviewed`]).
//!
//! The plan is in wire names (paths through the response's objects), so that both the
//! generator (which maps it onto Rust fields) and the emulator (which serves pages through
//! it) read it the same way.
//!
//! - **Token rule**: a continuation-token request parameter (`NextToken`, `NextPageToken`,
//!   `pageToken`, `continuation-token`, ...) and exactly one such field in the response.
//! - **Page rule**: a page-number and a page-size parameter and exactly one item-total
//!   field in the response (or the `X-Total-Count` header).
//!
//! Items are the single array under the object that holds the token or the total
//! (`X[]`, ECS-style `X.Y[]`, or deeper through objects). A page rule needs them (a page
//! number cannot end on anything else); a token rule without them still pages, without
//! `.items()`.

use std::collections::BTreeMap;
use std::fmt;

use crate::reviewed::PagingOverride;
use crate::spec::{Field, FieldType, Location, OperationSpec};

/// How one operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingPlan {
    /// Where the cursor is read and written.
    pub cursor: CursorPlan,
    /// The page-size request parameter (`PageSize`, `MaxResults`), when there is one.
    pub page_size: Option<String>,
    /// Path of wire names from the response root to the items array, when one is known.
    pub items: Option<Vec<String>>,
    /// Where the response reports the total number of items, when it does.
    pub total: Option<Total>,
    /// The idempotency-token request parameter (`ClientToken`) cleared on later pages.
    pub idempotency_token: Option<String>,
}

/// The cursor of a [`PagingPlan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorPlan {
    /// A continuation token.
    Token {
        /// The request parameter.
        param: String,
        /// Path of the response field holding the next token.
        next: Vec<String>,
    },
    /// A page number.
    Page {
        /// The request parameter.
        param: String,
        /// The first page's number: 0 where the parameter documents it, else 1.
        first: u64,
        /// The parameter is typed as a string (sent as decimal text).
        text: bool,
    },
}

/// Where a response reports its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Total {
    /// A body field, by path; `text` when it is typed as a string.
    Field {
        /// Path of wire names from the response root.
        path: Vec<String>,
        /// Typed as a string.
        text: bool,
    },
    /// A response header (`X-Total-Count`), which the typed outputs do not carry: the
    /// paginator ends on an empty page instead.
    Header(String),
}

/// Why an operation gets no paginator (only for operations that look like lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPaging {
    /// Settled by the reviewed overrides file, with its reason.
    Reviewed(String),
    /// A token parameter, but no single token field in the response.
    NoNextToken,
    /// Several token fields in the response.
    SeveralNextTokens(Vec<String>),
    /// A page number without a page-size parameter.
    NoPageSize,
    /// A page number and size, but no item-total field in the response.
    NoTotal,
    /// Several item-total fields.
    SeveralTotals(Vec<String>),
    /// A page number and a total, but several candidate item arrays.
    AmbiguousItems(Vec<String>),
    /// A page number and a total, but no item array under the object holding the total.
    NoItems,
    /// The response body is not an object.
    NotAnObject,
    /// A cursor or item path the overrides file names does not exist.
    BadOverride(String),
    /// The idempotency token is a required parameter, so it cannot be cleared per page.
    RequiredIdempotencyToken,
    /// A field of the plan is not a field of the generated types (a body member that
    /// clashes with another parameter's name, a type the cursor cannot carry).
    Unmapped(String),
}

impl NoPaging {
    /// A short stable label, for the catalog report's counts.
    pub fn label(&self) -> &'static str {
        match self {
            NoPaging::Reviewed(_) => "reviewed",
            NoPaging::NoNextToken => "no-next-token",
            NoPaging::SeveralNextTokens(_) => "several-next-tokens",
            NoPaging::NoPageSize => "no-page-size",
            NoPaging::NoTotal => "no-total",
            NoPaging::SeveralTotals(_) => "several-totals",
            NoPaging::AmbiguousItems(_) => "ambiguous-items",
            NoPaging::NoItems => "no-items",
            NoPaging::NotAnObject => "not-an-object",
            NoPaging::BadOverride(_) => "bad-override",
            NoPaging::RequiredIdempotencyToken => "required-idempotency-token",
            NoPaging::Unmapped(_) => "unmapped-field",
        }
    }
}

impl fmt::Display for NoPaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoPaging::Reviewed(why) => write!(f, "reviewed: {why}"),
            NoPaging::NoNextToken => f.write_str("a token parameter but no next-token field"),
            NoPaging::SeveralNextTokens(p) => {
                write!(f, "several next-token fields: {}", p.join(", "))
            }
            NoPaging::NoPageSize => f.write_str("a page number without a page-size parameter"),
            NoPaging::NoTotal => f.write_str("a page number without an item-total field"),
            NoPaging::SeveralTotals(p) => write!(f, "several item-total fields: {}", p.join(", ")),
            NoPaging::AmbiguousItems(p) => write!(f, "several item arrays: {}", p.join(", ")),
            NoPaging::NoItems => f.write_str("no item array beside the total"),
            NoPaging::NotAnObject => f.write_str("the response is not an object"),
            NoPaging::BadOverride(why) => write!(f, "the override does not fit: {why}"),
            NoPaging::RequiredIdempotencyToken => {
                f.write_str("a required idempotency token cannot be renewed per page")
            }
            NoPaging::Unmapped(what) => {
                write!(
                    f,
                    "`{what}` is not a field of the generated types that fits"
                )
            }
        }
    }
}

/// Request parameters that carry a continuation token.
const TOKEN_PARAMS: &[&str] = &[
    "NextToken",
    "nextToken",
    "next_token",
    "NextPageToken",
    "nextPageToken",
    "PageToken",
    "pageToken",
    "ContinuationToken",
    "continuation-token",
];
/// Response fields that return the next token.
const NEXT_TOKEN_FIELDS: &[&str] = &[
    "NextToken",
    "nextToken",
    "next_token",
    "NextPageToken",
    "nextPageToken",
    "NextpageToken",
    "PageToken",
    "pageToken",
    "NextContinuationToken",
];
/// Request parameters that carry a page number.
const PAGE_PARAMS: &[&str] = &[
    "PageNumber",
    "pageNumber",
    "page_number",
    "CurrentPage",
    "currentPage",
    "PageNo",
    "pageNo",
    "PageNum",
    "pageNum",
    "page_num",
    "PageIndex",
    "pageIndex",
    "page_index",
    "Page",
    "page",
];
/// Request parameters that carry a page size.
const SIZE_PARAMS: &[&str] = &[
    "PageSize",
    "pageSize",
    "page_size",
    "MaxResults",
    "maxResults",
    "MaxResult",
    "MaxItems",
];
/// Response fields that count every item of the listing (not pages, not bytes).
const TOTAL_FIELDS: &[&str] = &[
    "TotalCount",
    "totalCount",
    "total_count",
    "Total",
    "total",
    "TotalRecordCount",
    "totalRecordCount",
    "TotalNum",
    "totalNum",
    "TotalItems",
    "totalItems",
    "TotalItem",
    "totalItem",
    "TotalElements",
    "totalElements",
    "TotalItemNum",
    "TotalCounts",
    "TotalResults",
    "TotalRecords",
    "totalRecords",
    "TotalRecord",
    "TotalNumber",
    "TotalCnt",
];
/// How deep below the holder of the cursor an items array is looked for.
const ITEMS_DEPTH: usize = 3;

/// Whether an operation looks like a list at all: a token or page-number parameter.
pub fn looks_paged(op: &OperationSpec, schemas: &BTreeMap<String, Field>) -> bool {
    request_names(op, schemas).iter().any(|(name, _)| {
        TOKEN_PARAMS.contains(&name.as_str()) || PAGE_PARAMS.contains(&name.as_str())
    })
}

/// The paging plan of `op`, or why it has none. `None` when the operation is not a list
/// (no token or page-number parameter) and no override says otherwise.
pub fn plan(
    op: &OperationSpec,
    schemas: &BTreeMap<String, Field>,
    review: Option<&PagingOverride>,
) -> Option<Result<PagingPlan, NoPaging>> {
    if let Some(PagingOverride {
        skip: Some(why), ..
    }) = review
    {
        return Some(Err(NoPaging::Reviewed(why.clone())));
    }
    let params = request_names(op, schemas);
    let token_param = params
        .iter()
        .find(|(n, _)| TOKEN_PARAMS.contains(&n.as_str()));
    let page_param = params
        .iter()
        .find(|(n, _)| PAGE_PARAMS.contains(&n.as_str()));
    if token_param.is_none() && page_param.is_none() {
        return None;
    }
    Some(plan_list(
        op,
        schemas,
        review,
        &params,
        token_param,
        page_param,
    ))
}

fn plan_list(
    op: &OperationSpec,
    schemas: &BTreeMap<String, Field>,
    review: Option<&PagingOverride>,
    params: &[(String, Param)],
    token_param: Option<&(String, Param)>,
    page_param: Option<&(String, Param)>,
) -> Result<PagingPlan, NoPaging> {
    let root = resolve(&op.response, schemas);
    if root.ty != Some(FieldType::Object) || root.properties.is_none() {
        return Err(NoPaging::NotAnObject);
    }
    let fields = object_fields(root, schemas);
    let idempotency_token = match params.iter().find(|(_, p)| p.idempotency_token) {
        Some((_, p)) if p.required => return Err(NoPaging::RequiredIdempotencyToken),
        Some((name, _)) => Some(name.clone()),
        None => None,
    };
    // The first name of the list that is a parameter: the list is in order of preference.
    let size = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| params.iter().find(|(n, _)| n == name))
            .map(|(n, _)| n.clone())
    };

    // The token rule first: a token the service hands back is the safer cursor.
    let token_result = token_param.map(|(param, _)| {
        let next: Vec<&Scalar> = fields
            .iter()
            .filter(|f| NEXT_TOKEN_FIELDS.contains(&f.name()) && f.ty == FieldType::String)
            .collect();
        match next.as_slice() {
            [one] => Ok((param.clone(), one.path.clone())),
            [] => Err(NoPaging::NoNextToken),
            several => Err(NoPaging::SeveralNextTokens(
                several.iter().map(|f| f.path.join(".")).collect(),
            )),
        }
    });
    let use_token = match (&token_result, review.and_then(|r| r.rule.as_deref())) {
        (_, Some("page")) => false,
        (Some(Ok(_)), _) => true,
        (Some(Err(_)), _) if page_param.is_none() => true,
        _ => false,
    };
    if use_token {
        let (param, next) = token_result.expect("use_token implies a token parameter")?;
        let holder = &next[..next.len() - 1];
        let total = single_total(op, &fields, review.and_then(|r| r.total.as_deref()))
            .ok()
            .flatten();
        let items = match review.and_then(|r| r.items.as_ref()) {
            Some(path) => reviewed_items(root, schemas, path)?,
            None => single_items(root, schemas, holder).ok(),
        };
        return Ok(PagingPlan {
            cursor: CursorPlan::Token { param, next },
            // `limit` counts as a page size only here, where no offset goes with it.
            page_size: size(&[
                "MaxResults",
                "maxResults",
                "MaxResult",
                "MaxItems",
                "PageSize",
                "pageSize",
                "page_size",
                "limit",
                "Limit",
            ]),
            total: items.as_ref().and(total),
            items,
            idempotency_token,
        });
    }

    let (param, page) = page_param.ok_or(NoPaging::NoNextToken)?;
    let page_size = size(SIZE_PARAMS).ok_or(NoPaging::NoPageSize)?;
    let total = single_total(op, &fields, review.and_then(|r| r.total.as_deref()))?
        .ok_or(NoPaging::NoTotal)?;
    let holder: Vec<String> = match &total {
        Total::Field { path, .. } => path[..path.len() - 1].to_vec(),
        Total::Header(_) => Vec::new(),
    };
    let items = match review.and_then(|r| r.items.as_ref()) {
        Some(path) => reviewed_items(root, schemas, path)?.ok_or(NoPaging::NoItems)?,
        None => single_items(root, schemas, &holder)?,
    };
    Ok(PagingPlan {
        cursor: CursorPlan::Page {
            param: param.clone(),
            first: review
                .and_then(|r| r.first_page)
                .unwrap_or_else(|| first_page(page)),
            text: page.ty == FieldType::String,
        },
        page_size: Some(page_size),
        items: Some(items),
        total: Some(total),
        idempotency_token,
    })
}

/// A request parameter as paging sees it.
#[derive(Debug, Clone)]
struct Param {
    ty: FieldType,
    required: bool,
    idempotency_token: bool,
    default: Option<String>,
    description: Option<String>,
}

/// The request parameters paging can set: top-level query, form, header and path
/// parameters, and the members of an object body (which the generated builders set one by
/// one). Scalars only.
fn request_names(op: &OperationSpec, schemas: &BTreeMap<String, Field>) -> Vec<(String, Param)> {
    let mut out = Vec::new();
    for field in &op.request {
        let resolved = resolve(field, schemas);
        let Some(name) = &field.name else { continue };
        if field.location == Some(Location::Body) {
            if resolved.ty == Some(FieldType::Object) {
                for member in resolved.properties.iter().flatten() {
                    let m = resolve(member, schemas);
                    if let (Some(n), Some(ty)) = (&member.name, m.ty) {
                        out.push((n.clone(), param(member, m, ty)));
                    }
                }
            }
            continue;
        }
        if field.location == Some(Location::Host) {
            continue;
        }
        if let Some(ty) = resolved.ty {
            out.push((name.clone(), param(field, resolved, ty)));
        }
    }
    out.retain(|(_, p)| {
        matches!(
            p.ty,
            FieldType::String | FieldType::Integer | FieldType::Long
        ) || p.idempotency_token
    });
    out
}

fn param(field: &Field, resolved: &Field, ty: FieldType) -> Param {
    Param {
        ty,
        required: field.required,
        idempotency_token: field.idempotency_token || resolved.idempotency_token,
        default: resolved.default.clone(),
        description: field.description.clone(),
    }
}

/// The first page's number: what the parameter's default says, else what its description
/// says ("Pages start from 1", "starts from 0"), else 1. A `minimum` of 0 alone is not
/// taken as numbering from 0: rds `DescribeDBInstances` declares it and documents pages
/// from 1 (starting a 1-based listing at 0 would serve page 1 twice).
fn first_page(page: &Param) -> u64 {
    match page.default.as_deref().map(str::trim) {
        Some("0") => return 0,
        Some("1") => return 1,
        _ => {}
    }
    let text = page
        .description
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace("**", "")
        .replace('`', "");
    let says = |number: char| {
        [
            "starts from ",
            "start from ",
            "starting from ",
            "starts at ",
            "start at ",
            "begins with ",
            "begin with ",
            "begins from ",
            "first page is ",
        ]
        .iter()
        .any(|phrase| {
            text.match_indices(phrase).any(|(at, _)| {
                let mut rest = text[at + phrase.len()..].chars();
                rest.next() == Some(number) && !rest.next().is_some_and(|c| c.is_ascii_digit())
            })
        }) || text.contains(&format!("{number} indicates the first page"))
            || text.contains(&format!("{number} represents the first page"))
    };
    if says('1') {
        1
    } else if says('0') {
        0
    } else {
        1
    }
}

/// A scalar response field reached through objects only, by path.
#[derive(Debug, Clone)]
struct Scalar {
    path: Vec<String>,
    ty: FieldType,
}

impl Scalar {
    fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }
}

/// Every scalar field of the response reached through objects (not arrays), with paths.
fn object_fields(root: &Field, schemas: &BTreeMap<String, Field>) -> Vec<Scalar> {
    let mut out = Vec::new();
    walk_scalars(root, schemas, &mut Vec::new(), &mut out, 0);
    out
}

fn walk_scalars(
    object: &Field,
    schemas: &BTreeMap<String, Field>,
    path: &mut Vec<String>,
    out: &mut Vec<Scalar>,
    depth: usize,
) {
    if depth > 6 {
        return;
    }
    for property in object.properties.iter().flatten() {
        let Some(name) = &property.name else { continue };
        let resolved = resolve(property, schemas);
        path.push(name.clone());
        match resolved.ty {
            Some(FieldType::Object) => walk_scalars(resolved, schemas, path, out, depth + 1),
            Some(ty @ (FieldType::String | FieldType::Integer | FieldType::Long)) => {
                out.push(Scalar {
                    path: path.clone(),
                    ty,
                });
            }
            _ => {}
        }
        path.pop();
    }
}

/// The one item-total field or header, `None` when there is none; `reviewed` names it
/// where there are several.
fn single_total(
    op: &OperationSpec,
    fields: &[Scalar],
    reviewed: Option<&str>,
) -> Result<Option<Total>, NoPaging> {
    let totals: Vec<&Scalar> = match reviewed {
        Some(dotted) => {
            let found: Vec<&Scalar> = fields
                .iter()
                .filter(|f| f.path.join(".") == dotted)
                .collect();
            if found.is_empty() {
                return Err(NoPaging::BadOverride(format!(
                    "`{dotted}` is not a number or text field of the response"
                )));
            }
            found
        }
        None => fields
            .iter()
            .filter(|f| TOTAL_FIELDS.contains(&f.name()))
            .collect(),
    };
    match totals.as_slice() {
        [one] => Ok(Some(Total::Field {
            path: one.path.clone(),
            text: one.ty == FieldType::String,
        })),
        [] => Ok(op
            .response_headers
            .iter()
            .filter_map(|h| h.name.as_deref())
            .find(|h| h.eq_ignore_ascii_case("X-Total-Count"))
            .map(|h| Total::Header(h.to_owned()))),
        several => Err(NoPaging::SeveralTotals(
            several.iter().map(|f| f.path.join(".")).collect(),
        )),
    }
}

/// The single array under the object at `holder` (through objects, at most
/// [`ITEMS_DEPTH`] deep).
fn single_items(
    root: &Field,
    schemas: &BTreeMap<String, Field>,
    holder: &[String],
) -> Result<Vec<String>, NoPaging> {
    let Some(object) = object_at(root, schemas, holder) else {
        return Err(NoPaging::NoItems);
    };
    let mut found = Vec::new();
    walk_arrays(object, schemas, &mut holder.to_vec(), &mut found, 0);
    // A total kept in an object of its own (`PageInfo.Total`) sits beside the list: look
    // one level up, the holder itself excluded.
    if found.is_empty()
        && let Some((own, parent)) = holder.split_last()
        && let Some(object) = object_at(root, schemas, parent)
    {
        walk_arrays(object, schemas, &mut parent.to_vec(), &mut found, 0);
        found.retain(|path| path.get(parent.len()) != Some(own));
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(NoPaging::NoItems),
        _ => Err(NoPaging::AmbiguousItems(
            found.iter().map(|p| p.join(".")).collect(),
        )),
    }
}

fn walk_arrays(
    object: &Field,
    schemas: &BTreeMap<String, Field>,
    path: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
    depth: usize,
) {
    if depth >= ITEMS_DEPTH {
        return;
    }
    for property in object.properties.iter().flatten() {
        let Some(name) = &property.name else { continue };
        let resolved = resolve(property, schemas);
        path.push(name.clone());
        match resolved.ty {
            Some(FieldType::Array) => out.push(path.clone()),
            Some(FieldType::Object) if resolved.properties.is_some() => {
                walk_arrays(resolved, schemas, path, out, depth + 1);
            }
            _ => {}
        }
        path.pop();
    }
}

/// The items path an override names (dotted), checked to be an array; `Ok(None)` for an
/// empty path (the override says there is no items array).
fn reviewed_items(
    root: &Field,
    schemas: &BTreeMap<String, Field>,
    dotted: &str,
) -> Result<Option<Vec<String>>, NoPaging> {
    if dotted.is_empty() {
        return Ok(None);
    }
    let path: Vec<String> = dotted.split('.').map(str::to_owned).collect();
    let (last, parents) = path.split_last().expect("split of a non-empty string");
    let array = object_at(root, schemas, parents)
        .and_then(|o| {
            o.properties
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(last))
        })
        .map(|p| resolve(p, schemas));
    match array {
        Some(field) if field.ty == Some(FieldType::Array) => Ok(Some(path)),
        _ => Err(NoPaging::BadOverride(format!(
            "`{dotted}` is not an array of the response"
        ))),
    }
}

/// The object at `path` below `root`, through objects only.
fn object_at<'a>(
    root: &'a Field,
    schemas: &'a BTreeMap<String, Field>,
    path: &[String],
) -> Option<&'a Field> {
    let mut object = resolve(root, schemas);
    for step in path {
        let property = object
            .properties
            .iter()
            .flatten()
            .find(|p| p.name.as_deref() == Some(step))?;
        object = resolve(property, schemas);
        if object.ty != Some(FieldType::Object) {
            return None;
        }
    }
    Some(object)
}

/// Follows `$ref`s to the field that has a type (bounded, so a cycle of references in the
/// schemas cannot hang the caller).
pub fn resolve<'a>(field: &'a Field, schemas: &'a BTreeMap<String, Field>) -> &'a Field {
    let mut field = field;
    for _ in 0..16 {
        match field.reference.as_deref().and_then(|r| schemas.get(r)) {
            Some(target) => field = target,
            None => break,
        }
    }
    field
}
