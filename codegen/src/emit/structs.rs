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
        Direction::Send | Direction::Both => quote!(#[derive(Clone, Debug, Default, PartialEq)]),
        Direction::Receive => quote! {
            #[derive(Clone, Debug, Default, PartialEq)]
            #[non_exhaustive]
        },
    };
    let deserialize =
        (direction != Direction::Send).then(|| super::decode::deserialize_impl(model));
    let serialize = (direction != Direction::Receive).then(|| {
        serialize_impls(
            &model.name,
            model
                .fields
                .iter()
                .map(|field| (field.wire.as_str(), field.ident.as_str())),
        )
    });
    let fields = model.fields.iter().map(optional_field);
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#fields)*
        }
        #serialize
        #deserialize
    }
}

fn optional_field(field: &FieldModel) -> TokenStream {
    let doc = docs::outer(&docs::field(&field.wire, &field.doc));
    let ident = rust::ident(&field.ident);
    let ty = rust::optional(field);
    quote! {
        #doc
        pub #ident: #ty,
    }
}

/// How a sent struct serializes: `rt::ser::Param`, which lists its fields by wire name to
/// the runtime (routing and serializing are compiled there, once), and a `Serialize` that
/// hands itself to `rt::ser::serialize` (generic, so compiled only where a caller uses it).
/// They replace `#[derive(Serialize)]` with `rename` and `skip_serializing_if =
/// "Option::is_none"` on every field, with the same output; every field the runtime sees
/// as `None` is skipped, as the derive skipped it.
pub fn serialize_impls<'a>(
    name: &str,
    fields: impl Iterator<Item = (&'a str, &'a str)>,
) -> TokenStream {
    let ident = rust::ident(name);
    let visits: Vec<TokenStream> = fields
        .map(|(wire, field)| {
            let field = rust::ident(field);
            quote!(visit.field(#wire, &self.#field);)
        })
        .collect();
    let fields = (!visits.is_empty()).then(|| {
        quote! {
            fn fields(&self, visit: &mut dyn rt::ser::Visit) {
                #(#visits)*
            }
        }
    });
    quote! {
        impl rt::ser::Param for #ident {
            fn shape(&self) -> rt::ser::Shape<'_> {
                rt::ser::Shape::Struct(#name)
            }
            #fields
        }
        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                rt::ser::serialize(self, serializer)
            }
        }
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
