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
            ]);
            structs::optional_struct(model, &doc, Direction::Receive)
        }
        ResponseModel::Shared(schema) => {
            let name = rust::ident(&op.response_type);
            let schema = rust::ident(schema);
            let doc = docs::outer(&summary);
            quote! {
                #doc
                pub type #name = crate::types::#schema;
            }
        }
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
