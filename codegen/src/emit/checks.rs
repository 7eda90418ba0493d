//! `tests/builders.rs`: for every operation, `build()` on an empty builder names every
//! required parameter at once (and nothing else), and secrets set on a builder never show
//! in its `Debug` output.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::rust;
use crate::model::{CrateModel, OperationModel, Ty};

/// The test file, or `None` when no operation has a required or sensitive parameter.
pub fn emit(model: &CrateModel) -> Option<TokenStream> {
    let lib = Ident::new(&model.lib_name(), Span::call_site());
    let tests: Vec<TokenStream> = model
        .operations
        .iter()
        .flat_map(|op| [missing_required(&lib, op), redaction(&lib, op)])
        .flatten()
        .collect();
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! Builders name every missing required parameter, and keep secrets out of `Debug`.
        use alibabacloud_runtime as rt;
        #(#tests)*
    })
}

fn test_name(op: &OperationModel, what: &str) -> Ident {
    Ident::new(
        &format!("{}_{what}", crate::names::bare(&op.module)),
        Span::call_site(),
    )
}

fn missing_required(lib: &Ident, op: &OperationModel) -> Option<TokenStream> {
    let required: Vec<&String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| &p.field.wire)
        .collect();
    if required.is_empty() {
        return None;
    }
    let test = test_name(op, "build_names_every_missing_required_parameter");
    let builder = rust::ident(&op.builder_type);
    let action = &op.action;
    Some(quote! {
        #[test]
        fn #test() {
            match #lib::#builder::default().build() {
                Err(rt::BuildError::MissingRequired { action, fields }) => {
                    assert_eq!(action, #action);
                    assert_eq!(fields, [#(#required),*]);
                }
                other => panic!("expected MissingRequired, got {other:?}"),
            }
        }
    })
}

fn redaction(lib: &Ident, op: &OperationModel) -> Option<TokenStream> {
    let secrets: Vec<_> = op
        .params
        .iter()
        .filter(|p| matches!(&p.field.ty, Ty::Sensitive(inner) if **inner == Ty::String))
        .map(|p| rust::ident(&p.field.ident))
        .collect();
    if secrets.is_empty() {
        return None;
    }
    let test = test_name(op, "debug_redacts_secrets");
    let builder = rust::ident(&op.builder_type);
    let values: Vec<String> = (1..=secrets.len())
        .map(|n| format!("secret-value-{n}"))
        .collect();
    Some(quote! {
        #[test]
        fn #test() {
            let builder = #lib::#builder::default() #(.#secrets(#values))*;
            let text = format!("{builder:?}");
            assert!(text.contains(rt::sensitive::REDACTED), "{text}");
            #(assert!(!text.contains(#values), "{text}");)*
        }
    })
}
