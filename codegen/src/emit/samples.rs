//! `tests/samples.rs`: every documented JSON sample response decodes into its response type,
//! and every field the sample carries (non-null) arrives as `Some`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::rust;
use crate::model::{CrateModel, ResponseModel};

/// The test file, or `None` when no operation has a JSON sample.
pub fn emit(model: &CrateModel) -> Option<TokenStream> {
    let lib = Ident::new(&model.lib_name(), Span::call_site());
    let tests: Vec<TokenStream> = model
        .operations
        .iter()
        .flat_map(|op| {
            let lib = lib.clone();
            op.json_samples.iter().enumerate().map(move |(index, body)| {
                let test = Ident::new(
                    &format!("{}_sample_{}_decodes", crate::names::bare(&op.module), index + 1),
                    Span::call_site(),
                );
                let response = rust::ident(&op.response_type);
                let checks = match &op.response {
                    ResponseModel::Struct(model) => model
                        .fields
                        .iter()
                        .map(|field| {
                            let ident = rust::ident(&field.ident);
                            let wire = &field.wire;
                            quote! {
                                assert_eq!(decoded.#ident.is_some(), carries(&sample, #wire), #wire);
                            }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                if checks.is_empty() {
                    return quote! {
                        #[test]
                        fn #test() {
                            let decoded = alibabacloud_runtime::decode::from_str::<#lib::#response>(#body);
                            assert!(decoded.is_ok(), "{decoded:?}");
                        }
                    };
                }
                quote! {
                    #[test]
                    fn #test() {
                        let body = #body;
                        let sample: serde_json::Value = serde_json::from_str(body).expect("the sample is JSON");
                        // Read the way the client reads an answer.
                        let decoded: #lib::#response = alibabacloud_runtime::decode::from_str(body).expect("the sample decodes");
                        #(#checks)*
                    }
                }
            })
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    // Only emitted when a test uses it, so it is never dead code.
    let uses_carries = model.operations.iter().any(|op| {
        !op.json_samples.is_empty()
            && matches!(&op.response, ResponseModel::Struct(model) if !model.fields.is_empty())
    });
    let carries = uses_carries.then(|| {
        quote! {
            /// The sample has a non-null value for `wire`.
            fn carries(sample: &serde_json::Value, wire: &str) -> bool {
                sample.get(wire).is_some_and(|value| !value.is_null())
            }
        }
    });
    Some(quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The documented sample responses decode into the response types, and every field a
        //! sample carries arrives.

        #carries
        #(#tests)*
    })
}
