//! `src/lib.rs` (crate docs, re-exports, `SERVICE`, the `Client` with one method per
//! operation) and `src/operations/mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::CrateModel;
use crate::spec::EndpointRule;

/// The crate root.
pub fn lib(model: &CrateModel) -> TokenStream {
    let crate_doc = docs::inner(&docs::paragraphs([
        format!(
            "Client for {} (product {}, API version {}), generated from the specs in `specs/{}/{}`.",
            docs::escape(&model.title),
            docs::code(&model.code),
            docs::code(&model.version),
            model.code,
            model.version
        ),
        "Create a [`Client`] from an [`alibabacloud_runtime::Config`], call an operation's \
         method to get its builder, set the parameters and `send().await`:"
            .to_owned(),
        format!(
            "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
             let config = alibabacloud_runtime::Config::from_env()?;\n\
             let client = {}::Client::new(&config);\n\
             # let _ = client;\n# Ok(())\n# }}\n```",
            model.lib_name()
        ),
        "Timeouts and retries come from the `Config`; for some calls only, \
         [`Client::with_options`] gives a copy of the client with other ones \
         ([`alibabacloud_runtime::CallOptions`])."
            .to_owned(),
        format!("Operations ({}):", model.operations.len()),
        model
            .operations
            .iter()
            .map(|op| {
                format!(
                    "- {}: {}",
                    docs::client_link(&op.action, &op.module),
                    docs::escape(op.summary.lines().next().unwrap_or_default())
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    ]));
    let types_mod = (!model.shared.is_empty()).then(|| {
        quote! {
            /// Types of the product's named schemas, shared by several operations.
            #[rustfmt::skip]
            pub mod types;
        }
    });
    let reexports = model.operations.iter().map(|op| {
        let module = rust::ident(&op.module);
        let names = [
            &op.request_type,
            &op.builder_type,
            &op.response_type,
            &op.error_type,
        ]
        .map(|name| rust::ident(name));
        quote!(pub use operations::#module::{#(#names),*};)
    });
    let product = &model.code;
    let version = &model.version;
    let rule = match model.endpoint_rule {
        EndpointRule::Regional => quote!(rt::EndpointRule::Regional),
        EndpointRule::Central => quote!(rt::EndpointRule::Central),
    };
    let product_id = &model.endpoint_product_id;
    let endpoints = model
        .endpoints
        .iter()
        .map(|(region, host)| quote!((#region, #host)));
    let methods = model.operations.iter().map(|op| {
        let method = rust::ident(&op.module);
        let builder = rust::ident(&op.builder_type);
        let doc = docs::outer(&docs::paragraphs([
            format!("`{}`: {}", op.action, docs::escape(&op.summary)),
            format!(
                "Set the parameters on the returned [`{}`], then call `send().await`.",
                op.builder_type
            ),
        ]));
        quote! {
            #doc
            pub fn #method(&self) -> #builder {
                #builder::with_client(self.inner.clone())
            }
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #crate_doc

        use alibabacloud_runtime as rt;

        #[rustfmt::skip]
        pub mod operations;
        #types_mod

        #(#reexports)*

        /// Identity and endpoints of this product version, as the runtime needs them.
        pub static SERVICE: rt::ServiceMeta = rt::ServiceMeta {
            product: #product,
            version: #version,
            endpoint_rule: #rule,
            endpoint_product_id: #product_id,
            endpoints: &[#(#endpoints),*],
        };

        /// Client of this product version: one method per operation, each returning the
        /// operation's builder. Cheap to clone; clones share connections.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: rt::Client,
        }

        impl Client {
            /// A client for this product version with the given configuration (credentials,
            /// region, endpoint override, timeouts, retries).
            pub fn new(config: &rt::Config) -> Self {
                Self { inner: rt::Client::new(config, &SERVICE) }
            }

            /// A copy of this client whose calls use `options` (timeouts, retries) where they
            /// set something; see [`rt::Client::with_options`].
            ///
            /// # Errors
            ///
            /// [`rt::ConfigError::HttpClient`] when an HTTP client for new timeouts cannot be
            /// built.
            pub fn with_options(&self, options: &rt::CallOptions) -> Result<Self, rt::ConfigError> {
                Ok(Self { inner: self.inner.with_options(options)? })
            }

            /// Sends a request made with one of this crate's builders (`build()` instead of
            /// `send()`), and returns its output together with the idempotency token the
            /// runtime generated for it, if any, and the number of attempts
            /// ([`rt::Answered`], which dereferences to the output).
            ///
            /// # Errors
            ///
            /// As `send()`: a service error decoded into the operation's error enum, a
            /// transport, timeout or decode error, each carrying the generated token
            /// ([`rt::SdkError::idempotency_token`]).
            pub async fn call_with_details<O: rt::Operation>(
                &self,
                request: &O,
            ) -> Result<rt::Answered<O::Output>, rt::SdkError<O::Error>> {
                self.inner.call_with_details(request).await
            }

            #(#methods)*
        }
    }
}

/// `src/operations/mod.rs`: one module per operation.
pub fn operations_mod(model: &CrateModel) -> TokenStream {
    let modules = model.operations.iter().map(|op| {
        let module = rust::ident(&op.module);
        let doc = docs::outer(&format!(
            "`{}`: {}",
            op.action,
            docs::escape(op.summary.lines().next().unwrap_or_default())
        ));
        quote! {
            #doc
            pub mod #module;
        }
    });
    quote! {
        //! One module per operation: request, builder, response and error types.
        #(#modules)*
    }
}
