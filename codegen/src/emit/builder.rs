//! The fluent builder of an operation: one setter per parameter, `build` (which names every
//! missing required parameter at once) and `send`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::{OperationModel, ParamModel, Ty};

/// The builder struct and its methods.
pub fn emit(op: &OperationModel) -> TokenStream {
    let name = rust::ident(&op.builder_type);
    let request = rust::ident(&op.request_type);
    let doc = docs::outer(&format!(
        "Builder for [`{}`]; returned by the client method of {}.",
        op.request_type,
        docs::client_link(&op.action, &op.module)
    ));
    let storage = op.params.iter().map(|param| {
        let ident = rust::ident(&param.field.ident);
        let ty = rust::optional(&param.field);
        quote!(#ident: #ty,)
    });
    let setters = op.params.iter().map(setter);
    let build = build(op);
    // With no parameters the update syntax would have nothing to fill (`needless_update`).
    let rest = (!op.params.is_empty()).then(|| quote!(..Self::default()));
    quote! {
        #doc
        #[derive(Clone, Debug, Default)]
        pub struct #name {
            client: Option<rt::Client>,
            #(#storage)*
        }

        impl #name {
            /// A builder that `send` will send through `client`.
            pub(crate) fn with_client(client: rt::Client) -> Self {
                Self { client: Some(client), #rest }
            }

            #(#setters)*

            #build

            /// Builds the request and returns the call, which starts when awaited; it
            /// resolves to the operation's output or an error.
            ///
            /// # Errors
            ///
            /// [`rt::SdkError::Build`] when a required parameter is missing or the builder
            /// was not made by a [`Client`](crate::Client) (nothing is sent); otherwise
            /// whatever the call returns: a service error decoded into the operation's
            /// error enum, a transport, timeout or decode error.
            pub fn send(mut self) -> rt::Sending<#request> {
                rt::Sending::new(self.client.take(), self.build())
            }
        }
    }
}

fn setter(param: &ParamModel) -> TokenStream {
    let field = &param.field;
    let doc = docs::outer(&docs::field(&field.wire, &field.doc));
    let ident = rust::ident(&field.ident);
    let (arg, value) = match &field.ty {
        Ty::String => (quote!(impl Into<String>), quote!(value.into())),
        // `Vec<u8>`, `&'static [u8]`, `String` or shared `Bytes`, without a copy for the last.
        Ty::Bytes => (quote!(impl Into<rt::Bytes>), quote!(value.into())),
        Ty::Sensitive(inner) if **inner == Ty::String => (
            quote!(impl Into<String>),
            quote!(rt::Sensitive::from(value.into())),
        ),
        Ty::Sensitive(inner) => {
            let inner = rust::ty(inner);
            (inner, quote!(rt::Sensitive::from(value)))
        }
        other => (rust::ty(other), quote!(value)),
    };
    quote! {
        #doc
        #[must_use]
        pub fn #ident(mut self, value: #arg) -> Self {
            self.#ident = Some(#value);
            self
        }
    }
}

/// `build`: checks every required parameter, then moves the values into the request.
fn build(op: &OperationModel) -> TokenStream {
    let request = rust::ident(&op.request_type);
    let action = &op.action;
    let required: Vec<&ParamModel> = op.params.iter().filter(|param| param.required).collect();
    let inits = op.params.iter().map(|param| {
        let ident = rust::ident(&param.field.ident);
        if param.required {
            quote!(#ident,)
        } else {
            quote!(#ident: self.#ident,)
        }
    });
    let errors_doc = if required.is_empty() {
        quote! {
            /// # Errors
            ///
            /// Never: this operation has no required parameter. The `Result` keeps the
            /// signature the same as every other operation's.
        }
    } else {
        quote! {
            /// # Errors
            ///
            /// [`rt::BuildError::MissingRequired`] naming every required parameter not set.
        }
    };
    let check = match required.as_slice() {
        [] => quote!(),
        [only] => {
            let ident = rust::ident(&only.field.ident);
            let wire = &only.field.wire;
            quote! {
                let Some(#ident) = self.#ident else {
                    return Err(rt::BuildError::MissingRequired { action: #action, fields: vec![#wire] });
                };
            }
        }
        many => {
            let idents: Vec<_> = many
                .iter()
                .map(|param| rust::ident(&param.field.ident))
                .collect();
            let wires = many.iter().map(|param| &param.field.wire);
            // The list of missing names is made by the runtime, in code compiled once.
            quote! {
                let set = [#(self.#idents.is_some()),*];
                let (#(Some(#idents)),*) = (#(self.#idents),*) else {
                    return Err(rt::BuildError::missing_required(#action, &[#(#wires),*], &set));
                };
            }
        }
    };
    quote! {
        /// Checks the required parameters and returns the request.
        ///
        #errors_doc
        pub fn build(self) -> Result<#request, rt::BuildError> {
            #check
            Ok(#request { #(#inits)* })
        }
    }
}
