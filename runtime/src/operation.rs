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

/// Implemented by every generated per-operation error enum.
pub trait ErrorKind: Sized + Send + Sync + std::fmt::Debug + 'static {
    /// Maps a service error code to a variant; exact match first, unknown codes are kept
    /// verbatim in the enum's fallback variant.
    fn from_code(code: &str) -> Self;
    /// The code this variant stands for.
    fn code(&self) -> &str;
}

/// Where `code` is in `codes` (exact match, first wins), for a generated `from_code`: one
/// loop here instead of a string comparison per documented code in every operation.
pub fn code_position(codes: &[&str], code: &str) -> Option<usize> {
    codes.iter().position(|documented| *documented == code)
}

#[cfg(test)]
mod tests {
    use super::code_position;

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
