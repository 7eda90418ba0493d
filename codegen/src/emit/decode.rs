//! Response decoding without `#[derive(Deserialize)]`.
//!
//! serde's derive expands to a field enum, a visitor with `visit_map` and `visit_seq`, and a
//! wrapper type per `deserialize_with` field: several hundred lines per struct that the
//! compiler type-checks and borrow-checks for every response struct of every operation.
//! Measured on the synthetic crate, that was most of the per-operation compile time. Here
//! each struct gets one short `deserialize` that reads its fields out of a JSON object
//! (`rt::Value`) through `rt::decode::Fields`, so the reader itself lives
//! once in the runtime and is instantiated per field type rather than per field.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust;
use crate::model::{FieldModel, StructModel};

/// `impl Deserialize` for a struct of optional fields.
pub fn deserialize_impl(model: &StructModel) -> TokenStream {
    let name = rust::ident(&model.name);
    let body = if model.fields.is_empty() {
        // Still checks that the value is an object.
        quote! {
            rt::decode::Fields::of(deserializer)?;
            Ok(Self {})
        }
    } else {
        let fields = model.fields.iter().map(field_init);
        quote! {
            let mut fields = rt::decode::Fields::of(deserializer)?;
            Ok(Self { #(#fields)* })
        }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #body
            }
        }
    }
}

fn field_init(field: &FieldModel) -> TokenStream {
    let ident = rust::ident(&field.ident);
    let wire = &field.wire;
    if field.ty.is_lenient() {
        quote!(#ident: fields.lenient(#wire)?,)
    } else {
        quote!(#ident: fields.field(#wire)?,)
    }
}
