//! The two traits every generated operation implements.

use crate::error::BuildError;
use crate::meta::OperationMeta;
use crate::params::{self, Routed};

/// Implemented by every generated request type: the request's serde form plus the static
/// description of where each field goes.
pub trait Operation: serde::Serialize + Send + Sync {
    /// The decoded success response.
    type Output: crate::output::Output + Send;
    /// The operation's documented error codes.
    type Error: ErrorKind;
    /// Static description of the operation.
    const META: &'static OperationMeta;

    /// The byte body of an operation whose body is raw bytes (FC `InvokeFunction`, OCR
    /// images), sent as `application/octet-stream`. Such a body is not a serialized field:
    /// it is handed over as reference-counted [`bytes::Bytes`], so a large payload is never
    /// copied. `None` for every other operation.
    fn payload(&self) -> Option<bytes::Bytes> {
        None
    }

    /// The request's parameters, routed to where [`Operation::META`] says they go.
    ///
    /// The default serializes the request through serde ([`params::route_request`]), code
    /// compiled for each request type. Generated requests list their fields instead
    /// ([`crate::ser::Param`]) and route them with [`params::route_fields`], compiled once.
    ///
    /// # Errors
    ///
    /// [`BuildError`] when a value cannot be sent where its parameter goes.
    fn route(&self) -> Result<Routed, BuildError> {
        params::route_request(Self::META, self)
    }
}

/// Implemented by every generated per-operation error enum: fieldless and `Copy`, one
/// variant per documented code in the order of [`CODES`](Self::CODES), then the variant for
/// codes the page does not document. The code as sent is always on the error itself
/// ([`ServiceError::code`](crate::ServiceError::code)), so no variant carries it.
///
/// The enum is data (two tables and a position); looking a code up and back is done here,
/// once, rather than by a `match` arm per documented code in every operation (rds documents
/// 63 codes per operation).
pub trait ErrorKind: Copy + Send + Sync + std::fmt::Debug + 'static {
    /// Every documented code, exactly as the service sends it, in the order of
    /// [`DOCUMENTED`](Self::DOCUMENTED).
    const CODES: &'static [&'static str];
    /// The variant of each code of [`CODES`](Self::CODES), at the same position.
    const DOCUMENTED: &'static [Self];
    /// The variant for a code that [`CODES`](Self::CODES) does not list.
    const UNHANDLED: Self;

    /// This variant's position in [`DOCUMENTED`](Self::DOCUMENTED) (its discriminant);
    /// `CODES.len()` or more for [`UNHANDLED`](Self::UNHANDLED).
    fn position(&self) -> usize;

    /// The variant of a service error code: exact match (codes differ only in case on some
    /// pages), [`UNHANDLED`](Self::UNHANDLED) for a code not documented.
    fn from_code(code: &str) -> Self {
        code_position(Self::CODES, code)
            .and_then(|position| Self::DOCUMENTED.get(position).copied())
            .unwrap_or(Self::UNHANDLED)
    }

    /// The documented code this variant stands for; `None` for
    /// [`UNHANDLED`](Self::UNHANDLED), whose code is only on the error.
    fn code(&self) -> Option<&'static str> {
        Self::CODES.get(self.position()).copied()
    }
}

/// Where `code` is in `codes` (exact match, first wins).
fn code_position(codes: &[&str], code: &str) -> Option<usize> {
    codes.iter().position(|documented| *documented == code)
}

#[cfg(test)]
mod tests {
    use super::{ErrorKind, code_position};

    /// Shaped as `codegen` writes an error enum.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Kind {
        ThrottlingUser,
        PayNoCreditCard,
        PayNoCreditCard2,
        Unhandled,
    }

    impl ErrorKind for Kind {
        const CODES: &'static [&'static str] =
            &["Throttling.User", "Pay.NoCreditCard", "pay.noCreditCard"];
        const DOCUMENTED: &'static [Self] = &[
            Self::ThrottlingUser,
            Self::PayNoCreditCard,
            Self::PayNoCreditCard2,
        ];
        const UNHANDLED: Self = Self::Unhandled;
        fn position(&self) -> usize {
            *self as usize
        }
    }

    #[test]
    fn a_code_maps_to_its_variant_and_back_and_an_undocumented_one_to_unhandled() {
        for (code, kind) in Kind::CODES.iter().zip(Kind::DOCUMENTED) {
            assert_eq!(Kind::from_code(code), *kind);
            assert_eq!(kind.code(), Some(*code));
        }
        // Case matters: both spellings are documented, each is its own variant.
        assert_eq!(Kind::from_code("pay.noCreditCard"), Kind::PayNoCreditCard2);
        assert_eq!(Kind::from_code("Throttling"), Kind::Unhandled);
        assert_eq!(Kind::from_code(""), Kind::Unhandled);
        assert_eq!(Kind::Unhandled.code(), None);
    }

    #[test]
    fn a_code_is_found_by_exact_match_and_the_first_wins() {
        let codes = ["Throttling.User", "InvalidId.NotFound", "Throttling.User"];
        assert_eq!(code_position(&codes, "InvalidId.NotFound"), Some(1));
        assert_eq!(code_position(&codes, "Throttling.User"), Some(0));
        // Codes are compared as sent: case matters (rds documents both `Pay.NoCreditCard`
        // and `pay.noCreditCard`).
        assert_eq!(code_position(&codes, "throttling.user"), None);
        assert_eq!(code_position(&codes, ""), None);
        assert_eq!(code_position(&[], "Throttling.User"), None);
    }
}
