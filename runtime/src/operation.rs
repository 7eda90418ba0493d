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
