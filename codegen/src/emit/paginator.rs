//! An operation's paginator and waiters: a `const` of plain functions that read and write
//! its fields, and thin builder methods over the runtime's generic `rt::paginate` and
//! `rt::waiter`, which hold all the behaviour.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::{
    CursorModel, FIRST_ITEM, OperationModel, PaginatorModel, RequestField, ResponsePath, Ty,
    WaiterModel,
};
use crate::paging::{CursorPlan, Total};

/// The paginator items of `op` (nothing when it has no paginator).
pub fn paginator(op: &OperationModel) -> TokenStream {
    let Some(p) = &op.paginator else {
        return TokenStream::new();
    };
    let request = rust::ident(&op.request_type);
    let response = rust::ident(&op.response_type);
    let builder = rust::ident(&op.builder_type);
    let action = &op.action;
    // Each role is a named function in a private module rather than a closure in the
    // constant: a closure is inferred from the field's type, checked as part of the
    // constant and reached through a fn-pointer shim; a function is checked alone.
    let mut roles = Roles::default();
    let cursor = cursor(&p.cursor, &request, &response, &mut roles);
    let items = p.items.as_ref().map_or(quote!(None), |items| {
        let walk = walk(&items.idents, Root::Borrowed);
        roles.add(
            "items",
            quote!((o: &super::#response) -> usize),
            quote!(if #walk { v.len() } else { 0 }),
        )
    });
    let total = match (&p.items, &p.total) {
        (Some(_), Some(total)) => {
            let walk = walk(&total.idents, Root::Borrowed);
            let parse = number_ref(&total.ty);
            roles.add(
                "total",
                quote!((o: &super::#response) -> Option<u64>),
                quote!(if #walk { #parse } else { None }),
            )
        }
        _ => quote!(None),
    };
    let clear = p.idempotency_token.as_ref().map_or(quote!(None), |ident| {
        let ident = rust::ident(ident);
        roles.add(
            "clear_idempotency_token",
            quote!((r: &mut super::#request)),
            quote!(r.#ident = None;),
        )
    });
    let page_size = p.page_size.as_ref().map_or(quote!(None), |field| {
        let ident = rust::ident(&field.ident);
        let value = match field.ty {
            Ty::I32 => quote!(i32::try_from(n).unwrap_or(i32::MAX)),
            Ty::I64 => quote!(i64::from(n)),
            _ => quote!(n.to_string()),
        };
        let value = wrap(field, value);
        roles.add(
            "page_size",
            quote!((r: &mut super::#request, n: u32)),
            quote!(r.#ident = #value;),
        )
    });
    let functions = &roles.functions;
    let items_impl = p.items.as_ref().map(|items| {
        let Ty::Vec(item) = &items.ty else {
            return TokenStream::new();
        };
        let item = rust::ty(item);
        let body = match items.idents.as_slice() {
            [field] => {
                let field = rust::ident(field);
                quote!(o.#field.unwrap_or_default())
            }
            path => {
                let walk = walk(path, Root::Owned);
                quote!(if #walk { v } else { Vec::new() })
            }
        };
        quote! {
            impl rt::paginate::PagedItems for #request {
                type Item = #item;
                fn items(o: #response) -> Vec<#item> {
                    #body
                }
            }
        }
    });
    let doc = docs::outer(&paginator_doc(op, p));
    quote! {
        /// How the operation pages, for [`rt::paginate`].
        const PAGING: rt::paginate::Paging<#request, #response> = rt::paginate::Paging {
            cursor: #cursor,
            items: #items,
            total: #total,
            clear_idempotency_token: #clear,
            page_size: #page_size,
        };

        /// The fields [`PAGING`] reads and writes.
        mod paging {
            #(#functions)*
        }

        #items_impl

        impl #builder {
            #doc
            pub fn into_paginator(mut self) -> rt::paginate::Paginator<#request> {
                rt::paginate::paginate_built(self.client.take(), #action, self.build(), PAGING)
            }
        }
    }
}

/// What `into_paginator` documents: the rule it follows, in the operation's wire names.
fn paginator_doc(op: &OperationModel, p: &PaginatorModel) -> String {
    let cursor = match &p.plan.cursor {
        CursorPlan::Token { param, next } => format!(
            "Each page's `{}` is sent as the next request's `{param}`; the stream ends when it is absent, empty or the token just sent",
            next.join(".")
        ),
        CursorPlan::Page { param, first, .. } => format!(
            "`{param}` counts pages from {first} (or from the page you set); the stream ends on an empty page"
        ),
    };
    let total = match &p.plan.total {
        Some(Total::Field { path, .. }) if p.items.is_some() => {
            format!(", or once the items seen reach `{}`", path.join("."))
        }
        _ => String::new(),
    };
    let items = match &p.plan.items {
        Some(path) if p.items.is_some() => format!(
            "[`items()`](rt::paginate::Pages::items) streams the `{}` of every page.",
            path.join(".")
        ),
        _ => "No single items array is identified, so there is no `items()`.".to_owned(),
    };
    let size = p.plan.page_size.as_ref().map_or(String::new(), |size| {
        format!(" [`page_size(n)`](rt::paginate::Pages::page_size) sets `{size}` on every page.")
    });
    let token = if p.idempotency_token.is_some() {
        " A `ClientToken` you set goes with the first page only; later pages get fresh ones."
    } else {
        ""
    };
    docs::paragraphs([
        format!(
            "Every page of `{}`, as a stream of [`{}`] (`Result`s): nothing is sent until it is polled.",
            op.action, op.response_type
        ),
        format!("{cursor}{total}; a short page never ends it. {items}{size}{token}"),
        "An error (a missing required parameter included) is yielded and ends the stream."
            .to_owned(),
    ])
}

/// The functions of [`paginator`]'s `paging` module, each named by its role.
#[derive(Default)]
struct Roles {
    functions: Vec<TokenStream>,
}

impl Roles {
    /// Adds `fn role signature { body }` and returns `Some(paging::role)` for the constant.
    fn add(&mut self, role: &str, signature: TokenStream, body: TokenStream) -> TokenStream {
        let path = self.function(role, signature, body);
        quote!(Some(#path))
    }

    /// Adds `fn role signature { body }` and returns `paging::role`.
    fn function(&mut self, role: &str, signature: TokenStream, body: TokenStream) -> TokenStream {
        let name = rust::ident(role);
        self.functions.push(quote! {
            pub(super) fn #name #signature {
                #body
            }
        });
        quote!(paging::#name)
    }
}

fn cursor(
    cursor: &CursorModel,
    request: &proc_macro2::Ident,
    response: &proc_macro2::Ident,
    roles: &mut Roles,
) -> TokenStream {
    match cursor {
        CursorModel::Token { param, next } => {
            let ident = rust::ident(&param.ident);
            let get = if param.required {
                quote!(Some(r.#ident.as_str()))
            } else {
                quote!(r.#ident.as_deref())
            };
            let set = wrap(param, quote!(t));
            let next = by_str(next);
            let get = roles.function("token", quote!((r: &super::#request) -> Option<&str>), get);
            let set = roles.function(
                "set_token",
                quote!((r: &mut super::#request, t: String)),
                quote!(r.#ident = #set;),
            );
            let next = roles.function(
                "next_token",
                quote!((o: &super::#response) -> Option<&str>),
                next,
            );
            quote!(rt::paginate::Cursor::Token { get: #get, set: #set, next: #next })
        }
        CursorModel::Page { param, first } => {
            let ident = rust::ident(&param.ident);
            let get = match (&param.ty, param.required) {
                (Ty::String, true) => quote!(r.#ident.trim().parse().ok()),
                (Ty::String, false) => {
                    quote!(if let Some(n) = &r.#ident { n.trim().parse().ok() } else { None })
                }
                (_, true) => quote!(u64::try_from(r.#ident).ok()),
                (_, false) => {
                    quote!(if let Some(n) = r.#ident { u64::try_from(n).ok() } else { None })
                }
            };
            let set = match param.ty {
                Ty::String => {
                    let value = wrap(param, quote!(n.to_string()));
                    quote! {
                        r.#ident = #value;
                        true
                    }
                }
                _ => {
                    let int = rust::ty(&param.ty);
                    let value = wrap(param, quote!(n));
                    quote! {
                        match #int::try_from(n) {
                            Ok(n) => {
                                r.#ident = #value;
                                true
                            }
                            Err(_) => false,
                        }
                    }
                }
            };
            let get = roles.function("page", quote!((r: &super::#request) -> Option<u64>), get);
            let set = roles.function(
                "set_page",
                quote!((r: &mut super::#request, n: u64) -> bool),
                set,
            );
            quote!(rt::paginate::Cursor::Page { first: #first, get: #get, set: #set })
        }
    }
}

/// `value` as the field holds it: `Some(value)` for an optional field.
fn wrap(field: &RequestField, value: TokenStream) -> TokenStream {
    if field.required {
        value
    } else {
        quote!(Some(#value))
    }
}

/// Whether a path is walked from a borrowed `o: &Response` or an owned `o: Response`.
#[derive(Clone, Copy)]
enum Root {
    Borrowed,
    Owned,
}

/// The `if let` chain that walks a response path from `o` and binds its last step to `v`:
/// `let Some(v) = &o.items && let Some(v) = &v.db_instance`. Plain patterns rather than
/// `Option::and_then` with a closure per step, which made a closure and a generic instance
/// per step in every paginated operation.
fn walk(idents: &[String], root: Root) -> TokenStream {
    let steps = idents.iter().enumerate().map(|(i, ident)| {
        let from = if i == 0 { quote!(o) } else { quote!(v) };
        if ident == FIRST_ITEM {
            return quote!(let Some(v) = #from.first());
        }
        let ident = rust::ident(ident);
        match root {
            Root::Borrowed => quote!(let Some(v) = &#from.#ident),
            Root::Owned => quote!(let Some(v) = #from.#ident),
        }
    });
    quote!(#(#steps)&&*)
}

/// `Option<&str>` of a text response path, from `o: &Response`.
fn by_str(path: &ResponsePath) -> TokenStream {
    let (last, parents) = path
        .idents
        .split_last()
        .expect("a response path names a field");
    let last = rust::ident(last);
    if parents.is_empty() {
        return quote!(o.#last.as_deref());
    }
    let walk = walk(parents, Root::Borrowed);
    quote!(if #walk { v.#last.as_deref() } else { None })
}

/// `Option<u64>` of `v: &T` (an integer or decimal text).
fn number_ref(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(v.trim().parse().ok()),
        _ => quote!(u64::try_from(*v).ok()),
    }
}

/// The waiters polling through `op` (nothing when it has none).
pub fn waiters(op: &OperationModel) -> TokenStream {
    if op.waiters.is_empty() {
        return TokenStream::new();
    }
    let builder = rust::ident(&op.builder_type);
    let request = rust::ident(&op.request_type);
    let response = rust::ident(&op.response_type);
    let action = &op.action;
    let methods = op.waiters.iter().map(|w| {
        let method = rust::ident(&w.method);
        let status = by_str(&w.status);
        let request_id = w.request_id.as_ref().map_or(quote!(None), |id| {
            let chain = by_str(id);
            quote!(Some(|o| #chain))
        });
        let success = &w.success;
        let failure = &w.failure;
        let interval = option_u64(w.interval_millis);
        let absent = if w.absent_is_success {
            quote!(rt::waiter::Outcome::Success)
        } else {
            quote!(rt::waiter::Outcome::Retry)
        };
        let tries = match w.max_tries {
            Some(t) => {
                let t = u32::try_from(t).unwrap_or(u32::MAX);
                quote!(Some(#t))
            }
            None => quote!(None),
        };
        let doc = docs::outer(&waiter_doc(op, w));
        quote! {
            #doc
            pub fn #method(mut self, max_wait: std::time::Duration) -> rt::waiter::Waiting<#request> {
                const MATCHER: rt::waiter::StatusMatcher<#response> = rt::waiter::StatusMatcher {
                    status: |o| #status,
                    request_id: #request_id,
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                    absent: #absent,
                };
                const DOCUMENTED: rt::waiter::Documented = rt::waiter::Documented {
                    interval_millis: #interval,
                    max_attempts: #tries,
                };
                rt::waiter::Waiting::new(
                    self.client.take(),
                    #action,
                    self.build(),
                    DOCUMENTED,
                    max_wait,
                    MATCHER,
                )
            }
        }
    });
    quote! {
        impl #builder {
            #(#methods)*
        }
    }
}

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn waiter_doc(op: &OperationModel, w: &WaiterModel) -> String {
    let list = |values: &[String]| {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let interval = match w.interval_millis {
        Some(ms) => format!("every {} ms, as documented", ms),
        None => "every 5 s (none is documented)".to_owned(),
    };
    let tries = w.max_tries.map_or(String::new(), |t| {
        format!(", at most {t} times (documented)")
    });
    let failure = if w.failure.is_empty() {
        String::new()
    } else {
        format!(
            "; {} ends it with [`rt::waiter::WaitError::Failed`], carrying the status and RequestId",
            list(&w.failure)
        )
    };
    let until = match (w.success.is_empty(), w.absent_is_success) {
        (false, true) => format!("{} or absent (the resource is gone)", list(&w.success)),
        (true, _) => "absent (the resource is gone)".to_owned(),
        (false, false) => list(&w.success),
    };
    docs::paragraphs([
        format!(
            "Waits for the work a `{}` call started: polls `{}` {interval}{tries} and for at most `max_wait`, until its status is {until}{failure}.",
            w.awaits,
            op.action,
        ),
        "Await the returned [`rt::waiter::Waiting`] (after [`interval`](rt::waiter::Waiting::interval) or [`max_attempts`](rt::waiter::Waiting::max_attempts) to change those). Any other status polls again; an error ends the wait with [`rt::waiter::WaitError::Poll`], and running out of time or polls with [`rt::waiter::WaitError::TimedOut`], which says how long it waited. For another condition, use [`rt::waiter::wait_for_operation`] by hand.".to_owned(),
        "The states come from the reviewed table `specs/waiters.json`.".to_owned(),
    ])
}
