//! Lists served in pages: a user asks for N items behind a paged operation, and each valid
//! call of it answers with the page its cursor names, so that a paginator can be tested
//! against something that behaves like a service (short last page, empty page past the
//! end, a total, a next token that ends one way or the other, a silent page-size cap, an
//! error in the middle of a stream).
//!
//! Where an operation pages, and how, is not decided here: `alibabacloud_codegen::paging`
//! reads it from the spec and the reviewed overrides file, exactly as the generator does,
//! so the emulator serves the cursor the generated paginator sends. An operation with both
//! a token and a page number (rds `DescribeDBInstances`) is served through either, as the
//! service is: the request's own parameters say which.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use alibabacloud_codegen::paging::{self, CursorPlan, PagingPlan, Total};
use alibabacloud_codegen::reviewed::{PagingOverride, Reviewed};
use alibabacloud_codegen::spec::{Field, FieldType, Location};
use serde_json::Value;

use crate::answer::synthesize;
use crate::api_error::ApiError;
use crate::catalog::Operation;
use crate::json_path;
use crate::validate::resolve;

/// The page size a request gets when it names none and the spec gives no default.
const DEFAULT_PAGE_SIZE: u64 = 10;
/// Next tokens are opaque to clients; the emulator's encode the next item's offset.
const TOKEN_PREFIX: &str = "t-";

/// A list to serve in pages: `List::new("DescribeDBInstances", 25)`, given to
/// [`RunningEmulator::serve_list`](crate::RunningEmulator::serve_list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub(crate) action: String,
    pub(crate) items: u64,
    pub(crate) version: Option<String>,
    pub(crate) last_token: LastToken,
    pub(crate) max_page_size: Option<u64>,
    pub(crate) fail_on_page: Option<(u32, String)>,
}

impl List {
    /// `items` items behind every call of `action` (any served version, unless
    /// [`List::version`] names one).
    pub fn new(action: impl Into<String>, items: u64) -> Self {
        Self {
            action: action.into(),
            items,
            version: None,
            last_token: LastToken::Empty,
            max_page_size: None,
            fail_on_page: None,
        }
    }

    /// Only the operation of this API version (needed when several served products have
    /// an operation of that name).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// What the last page of a token-rule listing returns as its next token.
    pub fn last_token(mut self, last: LastToken) -> Self {
        self.last_token = last;
        self
    }

    /// The service silently caps page sizes at `size`: pages are shorter than asked for, as
    /// real services' are (a paginator must not stop on a short page).
    pub fn max_page_size(mut self, size: u64) -> Self {
        self.max_page_size = Some(size);
        self
    }

    /// The `request`-th page request (1-based, counted from this call) answers with the
    /// documented error `code` instead of a page; the requests after it are served again.
    pub fn fail_on_page(mut self, request: u32, code: impl Into<String>) -> Self {
        self.fail_on_page = Some((request, code.into()));
        self
    }
}

/// What the last page of a token-rule listing says about the next token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LastToken {
    /// The next-token field is there, empty (`""`): what most services do.
    #[default]
    Empty,
    /// The next-token field is left out.
    Absent,
}

impl LastToken {
    /// `empty` or `absent` (the HTTP control endpoint's spelling).
    pub(crate) fn parse(text: &str) -> Result<LastToken, String> {
        match text {
            "empty" => Ok(LastToken::Empty),
            "absent" => Ok(LastToken::Absent),
            other => Err(format!(
                "`last_token` must be `empty` or `absent`, got `{other}`"
            )),
        }
    }
}

/// A continuation-token cursor, in wire names.
#[derive(Debug, Clone)]
struct TokenCursor {
    param: String,
    next: Vec<String>,
    size: Option<String>,
}

/// A page-number cursor, in wire names.
#[derive(Debug, Clone)]
struct PageCursor {
    param: String,
    first: u64,
    size: Option<String>,
}

/// How one operation pages, both cursors where it has both.
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    token: Option<TokenCursor>,
    page: Option<PageCursor>,
    /// The cursor a request naming neither gets (the one the generator chose).
    token_first: bool,
    items: Option<Vec<String>>,
    total: Option<Total>,
}

impl Paging {
    /// How `op` pages, as the generator sees it; the reason when it does not.
    pub(crate) fn of(op: &Operation, reviewed: &Reviewed) -> Result<Paging, String> {
        let review = reviewed.paging(&op.product, &op.version, &op.spec.action);
        let primary = match paging::plan(&op.spec, &op.schemas, review) {
            None => {
                return Err("it has no page-number or continuation-token parameter".to_owned());
            }
            Some(Err(why)) => return Err(why.to_string()),
            Some(Ok(plan)) => plan,
        };
        // The other cursor, when the operation has one that plans too: the rule forced
        // the other way, keeping the reviewed items path.
        let token_first = matches!(primary.cursor, CursorPlan::Token { .. });
        let forced = PagingOverride {
            rule: Some(if token_first { "page" } else { "token" }.to_owned()),
            ..review.cloned().unwrap_or_default()
        };
        let other = paging::plan(&op.spec, &op.schemas, Some(&forced))
            .and_then(Result::ok)
            .filter(|plan| matches!(plan.cursor, CursorPlan::Token { .. }) != token_first);
        let mut out = Paging {
            token: None,
            page: None,
            token_first,
            items: primary
                .items
                .clone()
                .or_else(|| other.as_ref().and_then(|o| o.items.clone())),
            total: primary
                .total
                .clone()
                .or_else(|| other.as_ref().and_then(|o| o.total.clone())),
        };
        for plan in std::iter::once(primary).chain(other) {
            out.add_cursor(plan);
        }
        Ok(out)
    }

    fn add_cursor(&mut self, plan: PagingPlan) {
        match plan.cursor {
            CursorPlan::Token { param, next } => {
                self.token = Some(TokenCursor {
                    param,
                    next,
                    size: plan.page_size,
                });
            }
            CursorPlan::Page { param, first, .. } => {
                self.page = Some(PageCursor {
                    param,
                    first,
                    size: plan.page_size,
                });
            }
        }
    }
}

/// One configured listing and how far it has been read.
#[derive(Debug, Clone)]
struct Listing {
    paging: Paging,
    items: u64,
    last_token: LastToken,
    max_page_size: Option<u64>,
    /// The 1-based request that fails, and with what.
    fail_on: Option<(u32, ApiError)>,
    requests: u32,
}

/// `(product, version, action)`: two products can share an action and a version.
type Key = (String, String, String);

fn key(op: &Operation) -> Key {
    (
        op.product.clone(),
        op.version.clone(),
        op.spec.action.clone(),
    )
}

/// The configured listings, by operation.
#[derive(Debug, Default)]
pub(crate) struct Listings {
    lists: Mutex<HashMap<Key, Listing>>,
}

/// What the request asked for, read through its parameters by wire name.
pub(crate) type Params<'a> = dyn Fn(&str) -> Option<String> + 'a;

impl Listings {
    /// Serves `list` through `op` from now on (replacing any earlier list of it).
    pub(crate) fn configure(
        &self,
        op: &Operation,
        paging: Paging,
        list: &List,
        fail_on: Option<(u32, ApiError)>,
    ) {
        let listing = Listing {
            paging,
            items: list.items,
            last_token: list.last_token,
            max_page_size: list.max_page_size,
            fail_on,
            requests: 0,
        };
        crate::control::lock(&self.lists).insert(key(op), listing);
    }

    /// Whether calls of `op` are answered with pages.
    pub(crate) fn has(&self, op: &Operation) -> bool {
        crate::control::lock(&self.lists).contains_key(&key(op))
    }

    /// Forgets every listing.
    pub(crate) fn reset(&self) {
        crate::control::lock(&self.lists).clear();
    }

    /// Puts the page the request names into `body` (the operation's usual answer) and any
    /// header it needs into `headers`; does nothing when no list is configured for `op`.
    pub(crate) fn serve(
        &self,
        op: &Operation,
        params: &Params<'_>,
        body: &mut Value,
        headers: &mut Vec<(String, String)>,
    ) -> Result<(), ApiError> {
        let listing = {
            let mut lists = crate::control::lock(&self.lists);
            let Some(listing) = lists.get_mut(&key(op)) else {
                return Ok(());
            };
            listing.requests = listing.requests.saturating_add(1);
            if let Some((request, error)) = &listing.fail_on
                && *request == listing.requests
            {
                return Err(error.clone());
            }
            listing.clone()
        };
        let window = window(op, &listing, params)?;
        fill(op, &listing, &window, body, headers);
        Ok(())
    }
}

/// The part of the list one request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    start: u64,
    end: u64,
    size: u64,
    /// The page number served, when the request paged by number.
    page: Option<u64>,
}

fn invalid(message: String) -> ApiError {
    ApiError::new(400, "InvalidParameter", message)
}

/// A token the emulator did not hand out: the page's own error for it where it documents
/// one (rds `Invalid.NextToken`), else `InvalidParameter`.
fn bad_token(op: &Operation, param: &str, text: &str) -> ApiError {
    let lower = param.to_ascii_lowercase();
    op.spec
        .errors
        .iter()
        .find(|row| row.code.to_ascii_lowercase().contains(&lower))
        .map(|row| {
            let message = row.message.clone().unwrap_or_else(|| row.code.clone());
            ApiError::new(row.status, row.code.clone(), message)
        })
        .unwrap_or_else(|| invalid(format!("The specified {param} `{text}` is not valid.")))
}

/// Reads the cursor and page size of the request.
fn window(op: &Operation, listing: &Listing, params: &Params<'_>) -> Result<Window, ApiError> {
    let paging = &listing.paging;
    let token = paging
        .token
        .as_ref()
        .and_then(|t| params(&t.param).filter(|v| !v.is_empty()).map(|v| (t, v)));
    let page = paging
        .page
        .as_ref()
        .and_then(|p| params(&p.param).map(|v| (p, v)));
    // A token wins; then a page number; a request naming neither starts where the
    // generator's cursor starts.
    let by_token = token.is_some() || (page.is_none() && paging.token_first);

    let size_params = if by_token {
        [
            paging.token.as_ref().and_then(|t| t.size.as_deref()),
            paging.page.as_ref().and_then(|p| p.size.as_deref()),
        ]
    } else {
        [
            paging.page.as_ref().and_then(|p| p.size.as_deref()),
            paging.token.as_ref().and_then(|t| t.size.as_deref()),
        ]
    };
    let asked = size_params
        .iter()
        .flatten()
        .find_map(|name| params(name).map(|v| (*name, v)));
    let size = match asked {
        Some((name, text)) => match text.trim().parse::<u64>() {
            Ok(size) if size > 0 => size,
            _ => {
                return Err(invalid(format!(
                    "The specified {name} `{text}` is not valid: a page size is a positive integer."
                )));
            }
        },
        None => size_params
            .iter()
            .flatten()
            .find_map(|name| spec_default(op, name))
            .unwrap_or(DEFAULT_PAGE_SIZE),
    };
    let size = listing
        .max_page_size
        .map_or(size, |cap| size.min(cap.max(1)));

    let (start, page) = if by_token {
        match token {
            None => (0, None),
            Some((cursor, text)) => {
                let offset = text
                    .strip_prefix(TOKEN_PREFIX)
                    .and_then(|n| n.parse::<u64>().ok())
                    .filter(|n| *n <= listing.items);
                match offset {
                    Some(offset) => (offset, None),
                    None => return Err(bad_token(op, &cursor.param, &text)),
                }
            }
        }
    } else {
        let Some(cursor) = &paging.page else {
            return Err(invalid(format!("{} pages by token only.", op.spec.action)));
        };
        let number = match &page {
            None => cursor.first,
            Some((_, text)) => match text.trim().parse::<u64>() {
                Ok(n) if n >= cursor.first => n,
                _ => {
                    return Err(invalid(format!(
                        "The specified {} `{text}` is not valid: pages are numbered from {}.",
                        cursor.param, cursor.first
                    )));
                }
            },
        };
        ((number - cursor.first).saturating_mul(size), Some(number))
    };
    let start = start.min(listing.items);
    Ok(Window {
        start,
        end: start.saturating_add(size).min(listing.items),
        size,
        page,
    })
}

/// The `default` of the request parameter `name` (top level, or a member of an object
/// body), as a page size.
fn spec_default(op: &Operation, name: &str) -> Option<u64> {
    request_param(op, name)
        .and_then(|field| field.default.as_deref())
        .and_then(|d| d.trim().parse().ok())
        .filter(|d| *d > 0)
}

fn request_param<'a>(op: &'a Operation, name: &str) -> Option<&'a Field> {
    let schemas = &op.schemas;
    op.spec.request.iter().find_map(|field| {
        let resolved = resolve(field, schemas);
        if field.location == Some(Location::Body) && resolved.ty == Some(FieldType::Object) {
            resolved
                .properties
                .iter()
                .flatten()
                .find(|m| m.name.as_deref() == Some(name))
                .map(|m| resolve(m, schemas))
        } else {
            (field.name.as_deref() == Some(name)).then_some(resolved)
        }
    })
}

/// Writes the window's items, the total, the next token and the page echoes into `body`.
fn fill(
    op: &Operation,
    listing: &Listing,
    window: &Window,
    body: &mut Value,
    headers: &mut Vec<(String, String)>,
) {
    let paging = &listing.paging;
    let root = &op.spec.response;
    let schemas = &op.schemas;
    if let Some(path) = &paging.items {
        let item_schema = json_path::field_at(root, schemas, path).and_then(|a| a.items.as_deref());
        let template = json_path::get(body, path)
            .and_then(|array| array.get(0))
            .cloned()
            .or_else(|| item_schema.map(|schema| synthesize(schema, schemas)))
            .unwrap_or(Value::Null);
        let items = (window.start..window.end)
            .map(|index| item(&template, item_schema, schemas, index))
            .collect();
        json_path::set(body, path, Value::Array(items));
    }
    match &paging.total {
        Some(Total::Field { path, text }) => {
            let total = if *text {
                Value::String(listing.items.to_string())
            } else {
                Value::from(listing.items)
            };
            json_path::set(body, path, total);
        }
        Some(Total::Header(name)) => headers.push((name.clone(), listing.items.to_string())),
        None => {}
    }
    if let Some(token) = &paging.token {
        if window.end < listing.items {
            let next = format!("{TOKEN_PREFIX}{}", window.end);
            json_path::set(body, &token.next, Value::String(next));
        } else {
            match listing.last_token {
                LastToken::Empty => json_path::set(body, &token.next, Value::String(String::new())),
                LastToken::Absent => json_path::remove(body, &token.next),
            }
        }
    }
    // Echoes: response fields spelled like the request's paging parameters.
    let mut echoes: Vec<(&str, String)> = Vec::new();
    for size in [
        paging.token.as_ref().and_then(|t| t.size.as_deref()),
        paging.page.as_ref().and_then(|p| p.size.as_deref()),
    ]
    .into_iter()
    .flatten()
    {
        echoes.push((size, window.size.to_string()));
    }
    if let (Some(cursor), Some(number)) = (&paging.page, window.page) {
        echoes.push((&cursor.param, number.to_string()));
    }
    let count = (window.end - window.start).to_string();
    echoes.push(("PageRecordCount", count.clone()));
    echoes.push(("pageRecordCount", count));
    for (name, value) in echoes {
        for path in scalar_paths(root, schemas, name) {
            let field = json_path::field_at(root, schemas, &path);
            json_path::set(body, &path, json_path::typed(field, &value));
        }
    }
}

/// The item at `index`: the template with one identifying field set to `item-<index>`
/// (an id-like string member, else a name-like one, else the first string member); a
/// string item is the text itself, an integer item the index.
fn item(
    template: &Value,
    schema: Option<&Field>,
    schemas: &BTreeMap<String, Field>,
    index: u64,
) -> Value {
    let label = format!("item-{index}");
    let Some(schema) = schema.map(|s| resolve(s, schemas)) else {
        return Value::String(label);
    };
    match schema.ty {
        Some(FieldType::String) => Value::String(label),
        Some(FieldType::Integer | FieldType::Long) => Value::from(index),
        Some(FieldType::Object) => {
            let strings: Vec<&str> = schema
                .properties
                .iter()
                .flatten()
                .filter(|p| resolve(p, schemas).ty == Some(FieldType::String))
                .filter_map(|p| p.name.as_deref())
                .collect();
            let id_like =
                |n: &str| n.ends_with("Id") || n.ends_with("ID") || n.ends_with("_id") || n == "id";
            let name_like = |n: &str| n.ends_with("Name") || n.ends_with("name");
            let chosen = strings
                .iter()
                .find(|n| id_like(n))
                .or_else(|| strings.iter().find(|n| name_like(n)))
                .or_else(|| strings.first());
            let mut item = if template.is_object() {
                template.clone()
            } else {
                synthesize(schema, schemas)
            };
            if let (Some(name), Some(object)) = (chosen, item.as_object_mut()) {
                object.insert((*name).to_owned(), Value::String(label));
            }
            item
        }
        _ => template.clone(),
    }
}

/// Paths of the scalar response fields named `name`, through objects (not arrays).
fn scalar_paths(root: &Field, schemas: &BTreeMap<String, Field>, name: &str) -> Vec<Vec<String>> {
    fn walk(
        object: &Field,
        schemas: &BTreeMap<String, Field>,
        name: &str,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) {
        if path.len() > 4 {
            return;
        }
        for property in object.properties.iter().flatten() {
            let Some(member) = &property.name else {
                continue;
            };
            let resolved = resolve(property, schemas);
            path.push(member.clone());
            match resolved.ty {
                Some(FieldType::Object) => walk(resolved, schemas, name, path, out),
                Some(FieldType::String | FieldType::Integer | FieldType::Long)
                    if member == name =>
                {
                    out.push(path.clone());
                }
                _ => {}
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(
        resolve(root, schemas),
        schemas,
        name,
        &mut Vec::new(),
        &mut out,
    );
    out
}
