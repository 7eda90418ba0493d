//! Small pieces of Rust syntax shared by the emitters: identifiers, types, formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{FieldModel, Ty};
use crate::spec::{HttpMethod, Location, ParamStyle};

/// An identifier token from a name chosen by [`crate::names`] (which may be raw: `r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a value (without the `Option` optional fields add).
pub fn ty(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::Bool => quote!(bool),
        Ty::F64 => quote!(f64),
        Ty::Value => quote!(rt::Value),
        Ty::Bytes => quote!(rt::Bytes),
        Ty::Vec(item) => {
            let item = self::ty(item);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = self::ty(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Ty::Sensitive(inner) => {
            let inner = self::ty(inner);
            quote!(rt::Sensitive<#inner>)
        }
        Ty::Named {
            name,
            shared,
            boxed,
        } => {
            let name = ident(name);
            let path = if *shared {
                quote!(crate::types::#name)
            } else {
                quote!(#name)
            };
            if *boxed { quote!(Box<#path>) } else { path }
        }
    }
}

/// `Option<T>` of a field's type.
pub fn optional(field: &FieldModel) -> TokenStream {
    let ty = ty(&field.ty);
    quote!(Option<#ty>)
}

/// `rt::Method::Post` and friends.
pub fn method(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(rt::Method::Get),
        HttpMethod::Post => quote!(rt::Method::Post),
        HttpMethod::Put => quote!(rt::Method::Put),
        HttpMethod::Delete => quote!(rt::Method::Delete),
        HttpMethod::Patch => quote!(rt::Method::Patch),
        HttpMethod::Head => quote!(rt::Method::Head),
    }
}

/// `rt::Location::Form` and friends.
pub fn location(location: Location) -> TokenStream {
    match location {
        Location::Query => quote!(rt::Location::Query),
        Location::FormData => quote!(rt::Location::Form),
        Location::Body => quote!(rt::Location::Body),
        Location::Path => quote!(rt::Location::Path),
        Location::Header => quote!(rt::Location::Header),
        Location::Host => quote!(rt::Location::Host),
    }
}

/// `rt::Style::Plain` and friends; no style is plain.
pub fn style(style: Option<ParamStyle>) -> TokenStream {
    match style {
        None => quote!(rt::Style::Plain),
        Some(ParamStyle::RepeatList) => quote!(rt::Style::RepeatList),
        Some(ParamStyle::Flat) => quote!(rt::Style::Flat),
        Some(ParamStyle::Json) => quote!(rt::Style::Json),
        Some(ParamStyle::Simple) => quote!(rt::Style::Simple),
        Some(ParamStyle::SpaceDelimited) => quote!(rt::Style::SpaceDelimited),
        Some(ParamStyle::PipeDelimited) => quote!(rt::Style::PipeDelimited),
        Some(ParamStyle::Xml) => quote!(rt::Style::Xml),
    }
}

/// Formats a file with prettyplease, after a `//` header line naming where it comes from.
///
/// The tokens come from the generator itself, so a parse failure is a generator bug, not a
/// property of the input; it is reported with the offending file's header.
pub fn format_file(header: &str, tokens: TokenStream) -> String {
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        Err(error) => panic!("generator bug: {header}: generated tokens do not parse: {error}"),
    };
    format!("// {header}\n{}", prettyplease::unparse(&file))
}
