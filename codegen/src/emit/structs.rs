//! Structs whose fields are all optional: nested request objects, responses and their
//! nested objects, and the named schemas of `src/types.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::{FieldModel, StructModel};

/// Which way a struct crosses the wire, which decides derives and serde attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent only: `Serialize`, unset fields skipped, constructible by callers.
    Send,
    /// Received only: `Deserialize`, missing fields `None`, `#[non_exhaustive]`.
    Receive,
    /// Named schemas, used both ways.
    Both,
}

/// A struct of optional fields with its docs.
pub fn optional_struct(model: &StructModel, doc: &str, direction: Direction) -> TokenStream {
    let name = rust::ident(&model.name);
    let doc = docs::outer(doc);
    // `Deserialize` is written by `decode`, not derived: see there for why.
    let derives = match direction {
        Direction::Send => quote!(#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]),
        Direction::Receive => quote! {
            #[derive(Clone, Debug, Default, PartialEq)]
            #[non_exhaustive]
        },
        Direction::Both => quote!(#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]),
    };
    let deserialize =
        (direction != Direction::Send).then(|| super::decode::deserialize_impl(model));
    let fields = model
        .fields
        .iter()
        .map(|field| optional_field(field, direction));
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#fields)*
        }
        #deserialize
    }
}

fn optional_field(field: &FieldModel, direction: Direction) -> TokenStream {
    let doc = docs::outer(&docs::field(&field.wire, &field.doc));
    let ident = rust::ident(&field.ident);
    let ty = rust::optional(field);
    let wire = &field.wire;
    // Only `Serialize` is derived, so only sent structs carry serde attributes; received
    // ones name their wire fields in their `Deserialize` impl.
    let serde = match direction {
        Direction::Send | Direction::Both => {
            quote!(#[serde(rename = #wire, skip_serializing_if = "Option::is_none")])
        }
        Direction::Receive => quote!(),
    };
    quote! {
        #doc
        #serde
        pub #ident: #ty,
    }
}

/// Doc of a nested struct: what it is part of, and the object's own description.
pub fn nested_doc(model: &StructModel, owner: &str) -> String {
    docs::paragraphs([
        format!("The {} object of {owner}.", docs::code(&model.origin)),
        model
            .description
            .as_deref()
            .map(docs::escape)
            .unwrap_or_default(),
    ])
}
