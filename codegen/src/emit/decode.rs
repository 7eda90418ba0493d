//! Response decoding without `#[derive(Deserialize)]`.
//!
//! serde's derive expands to a field enum, a visitor with `visit_map` and `visit_seq`, and a
//! wrapper type per `deserialize_with` field: several hundred lines per struct that the
//! compiler type-checks and borrow-checks for every response struct of every operation.
//! Measured on the synthetic crate, that was most of the per-operation compile time. Here
//! each struct gets one short `deserialize` that reads its fields out of a JSON object
//! (`rt::Value`), and the generic work lives once per crate in `src/decode.rs`, instantiated
//! per field type rather than per field.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust;
use crate::model::{FieldModel, StructModel};

/// `src/decode.rs`: the crate's field reader.
pub fn module() -> TokenStream {
    quote! {
        //! Reads response objects field by field (see the generator's `emit::decode`): one
        //! small `Deserialize` impl per struct instead of serde's derive, which costs much
        //! more to compile per field.
        use alibabacloud_runtime as rt;

        /// The fields of one JSON object, taken out one by one.
        pub(crate) struct Fields(rt::Value);

        impl Fields {
            /// Reads an object; `null` reads as an object without fields.
            pub(crate) fn of<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match <rt::Value as serde::Deserialize>::deserialize(deserializer)? {
                    rt::Value::Null => Ok(Self(rt::Value::Object(Default::default()))),
                    value @ rt::Value::Object(_) => Ok(Self(value)),
                    _ => Err(serde::de::Error::custom("expected a JSON object")),
                }
            }

            /// Removes a field; absent reads as `null`.
            fn take(&mut self, name: &str) -> rt::Value {
                match &mut self.0 {
                    rt::Value::Object(map) => map.remove(name).unwrap_or(rt::Value::Null),
                    _ => rt::Value::Null,
                }
            }

            /// A scalar (or array of scalars) field, decoded leniently: numbers in string
            /// fields, `"True"` for booleans (see `rt::decode`).
            pub(crate) fn lenient<T: rt::Lenient, E: serde::de::Error>(&mut self, name: &str) -> Result<Option<T>, E> {
                rt::decode::lenient(self.take(name)).map_err(|error| E::custom(format_args!("{name}: {error}")))
            }

            /// Any other field (nested objects, maps, secrets); `null` or absent is `None`.
            pub(crate) fn field<T: serde::de::DeserializeOwned, E: serde::de::Error>(&mut self, name: &str) -> Result<Option<T>, E> {
                match self.take(name) {
                    rt::Value::Null => Ok(None),
                    value => T::deserialize(value).map(Some).map_err(|error| E::custom(format_args!("{name}: {error}"))),
                }
            }
        }
    }
}

/// `impl Deserialize` for a struct of optional fields.
pub fn deserialize_impl(model: &StructModel) -> TokenStream {
    let name = rust::ident(&model.name);
    let body = if model.fields.is_empty() {
        // Still checks that the value is an object.
        quote! {
            crate::decode::Fields::of(deserializer)?;
            Ok(Self {})
        }
    } else {
        let fields = model.fields.iter().map(field_init);
        quote! {
            let mut fields = crate::decode::Fields::of(deserializer)?;
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
