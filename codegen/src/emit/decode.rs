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
    // A struct without fields still checks that the value is an object.
    let body = if model.fields.is_empty() {
        quote!(Ok(Self {}))
    } else {
        // Each field is read into its place in a default value: one call per field, where
        // `field: fields.get(..)?` built each one into a temporary with its own early
        // return and unwinding cleanup.
        let reads = model.fields.iter().map(field_read);
        let nones = model.fields.iter().map(|field| {
            let ident = rust::ident(&field.ident);
            quote!(#ident: None,)
        });
        quote! {
            let mut out = Self { #(#nones)* };
            let mut reader = fields.reader();
            #(#reads)*
            match reader.into_error() {
                None => Ok(out),
                Some(error) => Err(error),
            }
        }
    };
    let parameter = if model.fields.is_empty() {
        quote!(_fields)
    } else {
        quote!(fields)
    };
    quote! {
        impl rt::Record for #name {
            fn from_fields(#parameter: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
                #body
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::decode::deserialize(deserializer)
            }
        }
    }
}

fn field_read(field: &FieldModel) -> TokenStream {
    let ident = rust::ident(&field.ident);
    let wire = &field.wire;
    quote!(reader.read(#wire, &mut out.#ident);)
}
