//! The request struct of an operation, its `rt::Operation` impl (the static wire metadata),
//! and the structs of its nested request objects.

use proc_macro2::TokenStream;
use quote::quote;

use super::structs::{self, Direction};
use super::{docs, rust};
use crate::model::{OperationModel, ParamModel};
use crate::spec::OperationType;

/// The request struct, its `Operation` impl and nested request structs.
pub fn emit(op: &OperationModel) -> TokenStream {
    let name = rust::ident(&op.request_type);
    let doc = docs::outer(&docs::paragraphs([
        format!(
            "Request of {}: {}",
            docs::client_link(&op.action, &op.module),
            docs::escape(&op.summary)
        ),
        format!(
            "Build it with [`{}`]; required parameters are plain fields, optional ones `Option`s.",
            op.builder_type
        ),
    ]));
    let fields = op.params.iter().map(field);
    let meta = meta(op);
    // Only an operation with a byte body says anything beyond the default `None`.
    let payload = op.params.iter().find(|p| p.payload).map(|param| {
        let ident = rust::ident(&param.field.ident);
        let value = if param.required {
            quote!(Some(self.#ident.clone()))
        } else {
            quote!(self.#ident.clone())
        };
        quote! {
            fn payload(&self) -> Option<rt::Bytes> {
                #value
            }
        }
    });
    let output = rust::ident(&op.response_type);
    let error = rust::ident(&op.error_type);
    let nested = op.request_structs.iter().map(|model| {
        let doc = structs::nested_doc(model, &format!("[`{}`]", op.request_type));
        structs::optional_struct(model, &doc, Direction::Send)
    });
    // The byte body is handed over by `payload`, never serialized.
    let serialize = structs::serialize_impls(
        &op.request_type,
        op.params
            .iter()
            .filter(|param| !param.payload)
            .map(|param| (param.field.wire.as_str(), param.field.ident.as_str())),
    );
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl rt::Operation for #name {
            type Output = #output;
            type Error = #error;
            const META: &'static rt::OperationMeta = &#meta;
            #payload
            fn route(&self) -> Result<rt::params::Routed, rt::BuildError> {
                rt::params::route_fields(Self::META, self)
            }
        }

        #serialize

        #(#nested)*
    }
}

fn field(param: &ParamModel) -> TokenStream {
    let field = &param.field;
    let doc = docs::outer(&docs::field(&field.wire, &field.doc));
    let ident = rust::ident(&field.ident);
    let ty = if param.required {
        rust::ty(&field.ty)
    } else {
        rust::optional(field)
    };
    quote! {
        #doc
        pub #ident: #ty,
    }
}

/// `rt::OperationMeta { .. }`: one `ParamMeta` per field, in field order.
fn meta(op: &OperationModel) -> TokenStream {
    let action = &op.action;
    let method = rust::method(op.method);
    let path = &op.path;
    let auth = if op.anonymous {
        quote!(rt::Auth::Anonymous)
    } else {
        quote!(rt::Auth::AccessKey)
    };
    let operation_type = match op.operation_type {
        Some(OperationType::Read) => quote!(rt::OperationType::Read),
        Some(OperationType::Write) => quote!(rt::OperationType::Write),
        Some(OperationType::ReadAndWrite) => quote!(rt::OperationType::ReadAndWrite),
        None => quote!(rt::OperationType::Unspecified),
    };
    let params = op.params.iter().filter(|param| !param.payload).map(|param| {
        let name = &param.field.wire;
        let location = if param.body_member {
            quote!(rt::Location::BodyField)
        } else {
            rust::location(param.location)
        };
        let style = rust::style(param.style);
        let token = param.idempotency_token;
        quote! {
            rt::ParamMeta { name: #name, location: #location, style: #style, idempotency_token: #token }
        }
    });
    quote! {
        rt::OperationMeta {
            action: #action,
            method: #method,
            path: #path,
            params: &[#(#params),*],
            auth: #auth,
            operation_type: #operation_type,
        }
    }
}
