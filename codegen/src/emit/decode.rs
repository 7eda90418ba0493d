//! Response decoding without `#[derive(Deserialize)]`.
//!
//! serde's derive expands to a field enum, a visitor with `visit_map` and `visit_seq`, and a
//! wrapper type per `deserialize_with` field: several hundred lines per struct that the
//! compiler type-checks, borrow-checks and compiles again for every response struct of every
//! operation. Measured on the synthetic crate, that was most of the per-operation compile
//! time. Here each struct gets one short, non-generic `rt::Record::from_fields` that names
//! its fields; the one-pass, lenient reader (`rt::decode::Fields`) lives once in the runtime.
//! The `Deserialize` impl that lets users read a response from stored JSON is one line that
//! hands over to the runtime, and is compiled only where a user calls it.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust;
use crate::model::{FieldModel, StructModel};

/// `impl rt::Record` and `impl Deserialize` for a struct of optional fields.
pub fn deserialize_impl(model: &StructModel) -> TokenStream {
    let name = rust::ident(&model.name);
    let fields = model.fields.iter().map(field_init);
    // A struct without fields still checks that the value is an object.
    let parameter = if model.fields.is_empty() {
        quote!(_fields)
    } else {
        quote!(fields)
    };
    quote! {
        impl rt::Record for #name {
            fn from_fields(#parameter: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
                Ok(Self { #(#fields)* })
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::decode::deserialize(deserializer)
            }
        }
    }
}

fn field_init(field: &FieldModel) -> TokenStream {
    let ident = rust::ident(&field.ident);
    let wire = &field.wire;
    quote!(#ident: fields.get(#wire)?,)
}
