//! The error enum of an operation: one variant per documented code, plus `Unhandled`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::{ErrorVariant, OperationModel, UNHANDLED_VARIANT};

/// The enum and its `rt::ErrorKind` impl.
pub fn emit(op: &OperationModel) -> TokenStream {
    let name = rust::ident(&op.error_type);
    let unhandled = rust::ident(UNHANDLED_VARIANT);
    let doc = docs::outer(&format!(
        "Error codes documented for {}. Match on the variant; `rt::ErrorKind::code` gives \
         the code as sent.",
        docs::client_link(&op.action, &op.module)
    ));
    let variants = op.errors.iter().map(|variant| {
        let doc = docs::outer(&variant_doc(variant));
        let ident = rust::ident(&variant.ident);
        quote!(#doc #ident,)
    });
    let codes: Vec<&String> = op.errors.iter().map(|variant| &variant.code).collect();
    let idents: Vec<_> = op
        .errors
        .iter()
        .map(|variant| rust::ident(&variant.ident))
        .collect();
    // Without documented codes a `match` would have a single arm, which clippy rightly
    // calls a `let`.
    let error_kind = if op.errors.is_empty() {
        quote! {
            impl rt::ErrorKind for #name {
                fn from_code(code: &str) -> Self {
                    Self::#unhandled(code.to_owned())
                }

                fn code(&self) -> &str {
                    let Self::#unhandled(code) = self;
                    code
                }
            }
        }
    } else {
        // `from_code` finds the code's position in one table, in the runtime, and matches
        // integers: a `match` with a string arm per code compiles to a comparison call and
        // branches per arm, in every operation (rds documents 63 codes per operation on
        // average; see `codegen/COMPILE_TIME.md`).
        let positions = (0..op.errors.len()).map(proc_macro2::Literal::usize_unsuffixed);
        quote! {
            impl #name {
                /// Every documented code, in the order of the variants.
                const CODES: &'static [&'static str] = &[#(#codes),*];
            }

            impl rt::ErrorKind for #name {
                fn from_code(code: &str) -> Self {
                    match rt::operation::code_position(Self::CODES, code) {
                        #(Some(#positions) => Self::#idents,)*
                        _ => Self::#unhandled(code.to_owned()),
                    }
                }

                fn code(&self) -> &str {
                    match self {
                        #(Self::#idents => #codes,)*
                        Self::#unhandled(code) => code,
                    }
                }
            }
        }
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code this operation's page does not document, kept verbatim.
            #unhandled(String),
        }

        #error_kind
    }
}

/// "`Code` (HTTP 400): message" then the description; every row when the page repeats one.
fn variant_doc(variant: &ErrorVariant) -> String {
    let code = docs::code(&variant.code);
    let text = |value: Option<&str>| {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(docs::escape)
    };
    match variant.rows.as_slice() {
        [row] => {
            let head = match text(row.message.as_deref()) {
                Some(message) => format!("{code} (HTTP {}): {message}", row.status),
                None => format!("{code} (HTTP {})", row.status),
            };
            docs::paragraphs([head, text(row.description.as_deref()).unwrap_or_default()])
        }
        rows => {
            let items: Vec<String> = rows
                .iter()
                .map(|row| {
                    let parts: Vec<String> = [
                        text(row.message.as_deref()),
                        text(row.description.as_deref()),
                    ]
                    .into_iter()
                    .flatten()
                    .map(|part| part.replace('\n', " "))
                    .collect();
                    if parts.is_empty() {
                        format!("- HTTP {}", row.status)
                    } else {
                        format!("- HTTP {}: {}", row.status, parts.join(" "))
                    }
                })
                .collect();
            format!(
                "{code}, listed {} times on the page:\n\n{}",
                rows.len(),
                items.join("\n")
            )
        }
    }
}
