//! The response type of an operation and the structs of its nested response objects.

use proc_macro2::TokenStream;
use quote::quote;

use super::structs::{self, Direction};
use super::{docs, rust};
use crate::model::{OperationModel, ResponseModel};

/// The response struct (or alias of a named schema) and nested response structs.
pub fn emit(op: &OperationModel) -> TokenStream {
    let summary = format!(
        "Response of {}. Every field is optional, since services omit fields; unknown fields \
         are ignored.",
        docs::client_link(&op.action, &op.module)
    );
    let main = match &op.response {
        ResponseModel::Struct(model) => {
            let doc = docs::paragraphs([
                summary,
                model
                    .description
                    .as_deref()
                    .map(docs::escape)
                    .unwrap_or_default(),
                headers_doc(op),
            ]);
            structs::optional_struct(model, &doc, Direction::Receive)
        }
        ResponseModel::Shared(schema) => {
            let schema = rust::ident(schema);
            alias(op, &summary, quote!(crate::types::#schema))
        }
        ResponseModel::Collection(ty) => alias(
            op,
            &format!(
                "Response of {}: a JSON array, or an object read as a map by key.",
                docs::client_link(&op.action, &op.module)
            ),
            rust::ty(ty),
        ),
        ResponseModel::Any => alias(
            op,
            &format!(
                "Response of {}: any JSON value.",
                docs::client_link(&op.action, &op.module)
            ),
            quote!(rt::Value),
        ),
        ResponseModel::Text => alias(
            op,
            &format!(
                "Response of {}: the body as text.",
                docs::client_link(&op.action, &op.module)
            ),
            quote!(String),
        ),
        ResponseModel::Bytes => alias(
            op,
            &format!(
                "Response of {}: the body as bytes, with the response headers.",
                docs::client_link(&op.action, &op.module)
            ),
            quote!(rt::Binary),
        ),
        ResponseModel::Empty => alias(
            op,
            &format!(
                "Response of {}: the service documents no body; the status and request id \
                 remain.",
                docs::client_link(&op.action, &op.module)
            ),
            quote!(rt::Empty),
        ),
    };
    let nested = op.response_structs.iter().map(|model| {
        let doc = structs::nested_doc(model, &format!("[`{}`]", op.response_type));
        structs::optional_struct(model, &doc, Direction::Receive)
    });
    quote! {
        #main
        #(#nested)*
    }
}

/// `pub type <Response> = <target>;` with its documentation.
fn alias(op: &OperationModel, doc: &str, target: TokenStream) -> TokenStream {
    let name = rust::ident(&op.response_type);
    let doc = docs::outer(&docs::paragraphs([doc.to_owned(), headers_doc(op)]));
    quote! {
        #doc
        pub type #name = #target;
    }
}

/// The response headers the operation documents, as a paragraph of the response type's
/// documentation (a byte answer returns them all in `rt::Binary::headers`).
fn headers_doc(op: &OperationModel) -> String {
    if op.response_headers.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = op
        .response_headers
        .iter()
        .map(|(name, description)| match description {
            Some(text) => format!("- `{name}`: {}", docs::escape(text)),
            None => format!("- `{name}`"),
        })
        .collect();
    format!(
        "Response headers the service documents:\n\n{}",
        lines.join("\n")
    )
}
