//! The error enum of an operation: one variant per documented code, plus `Unhandled`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rust};
use crate::model::{ErrorVariant, OperationModel, UNHANDLED_VARIANT};

/// The enum and its `rt::ErrorKind` impl.
///
/// The enum is fieldless and `Copy`: its impl is two tables and a position, and the runtime
/// maps codes to variants and back (`rt::ErrorKind::from_code`, `code`). A `match` arm per
/// code, or a `String` in `Unhandled`, made the error enums the largest items of the crates
/// that document many codes (rds: 63 per operation; see `codegen/COMPILE_TIME.md`).
pub fn emit(op: &OperationModel) -> TokenStream {
    let name = rust::ident(&op.error_type);
    let unhandled = rust::ident(UNHANDLED_VARIANT);
    let doc = docs::outer(&format!(
        "Error codes documented for {}. Match on the variant; the error's \
         [`code`](rt::ServiceError::code) is the code as sent, also for `{UNHANDLED_VARIANT}`.",
        docs::client_link(&op.action, &op.module)
    ));
    let variants = op.errors.iter().map(|variant| {
        let doc = docs::outer(&variant_doc(variant));
        let ident = rust::ident(&variant.ident);
        quote!(#doc #ident,)
    });
    let codes = op.errors.iter().map(|variant| &variant.code);
    let idents = op.errors.iter().map(|variant| rust::ident(&variant.ident));
    // Without documented variants the enum has one variant and a cast to `usize` is still
    // its position (0, past the empty tables).
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code this operation's page does not document; the error's
            /// [`code`](rt::ServiceError::code) has it.
            #unhandled,
        }

        impl rt::ErrorKind for #name {
            const CODES: &'static [&'static str] = &[#(#codes),*];
            const DOCUMENTED: &'static [Self] = &[#(Self::#idents),*];
            const UNHANDLED: Self = Self::#unhandled;

            fn position(&self) -> usize {
                *self as usize
            }
        }
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
