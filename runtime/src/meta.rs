//! Static metadata that generated crates emit as plain data: which service, which
//! operation, and where each request field travels on the wire.
//!
//! Everything here is `const`-constructible so a generated operation is a `static`
//! table rather than code.

/// One product version (for example adb 2021-12-01).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceMeta {
    /// Lowercase product code (`"adb"`, `"rds"`, `"dataworks-public"`), used in the user agent and tracing.
    pub product: &'static str,
    /// API version sent as `x-acs-version` (`"2021-12-01"`).
    pub version: &'static str,
    /// The host template used when the region is not in [`ServiceMeta::endpoints`].
    pub endpoint_rule: EndpointRule,
    /// Product id used by the fallback host template (`"dataworks-public"`).
    pub endpoint_product_id: &'static str,
    /// `(region, host)` pairs, sorted by region so lookups can binary-search.
    pub endpoints: &'static [(&'static str, &'static str)],
}

/// The fallback host template for a region missing from the endpoint map (reference §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointRule {
    /// `<product>.<region>.aliyuncs.com`; an empty region is an error.
    Regional,
    /// `<product>.aliyuncs.com`, whatever the region.
    Central,
}

/// One operation of a product version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationMeta {
    /// Operation name as sent in `x-acs-action` (`"CreateAPSJob"`).
    pub action: &'static str,
    /// HTTP method; the generator picks POST whenever the operation allows it.
    pub method: Method,
    /// Request path; `"/"` for RPC operations. `{Name}` segments are filled from
    /// [`Location::Path`] parameters; the template's literal text is already encoded as the
    /// official SDKs send it (`…/{Id}%3Aapply`). A `?k=v&k2` tail of the template (the
    /// metadata writes a few fixed query parameters that way) is sent in the query.
    pub path: &'static str,
    /// Every request field, in struct field order, keyed by wire name.
    pub params: &'static [ParamMeta],
    /// How the request is authenticated.
    pub auth: Auth,
    /// What the operation does, as the metadata's `operationType` says; the retry policy
    /// ([`retry::judge`](crate::retry::judge)) repeats only what is safe to repeat.
    pub operation_type: OperationType,
}

/// What an operation does to the service's state (the metadata's `operationType`), which
/// decides whether repeating its request after an ambiguous failure is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationType {
    /// Reads only (`read`): repeating it is always safe.
    Read,
    /// Changes state (`write`).
    Write,
    /// Reads and changes state (`readAndWrite`).
    ReadAndWrite,
    /// The metadata does not say; treated as a write.
    Unspecified,
}

impl OperationType {
    /// Whether repeating a request of this type can never change more than the first one
    /// did: only [`OperationType::Read`].
    pub const fn is_read_only(self) -> bool {
        matches!(self, OperationType::Read)
    }
}

/// How a request is authenticated (the metadata's `security`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// Signed with the configuration's AccessKey (ACS3-HMAC-SHA256): every operation that
    /// accepts `AK`.
    AccessKey,
    /// Sent unsigned, without credentials: operations whose only scheme is `Anonymous`
    /// (the official SDKs' `authType 'Anonymous'`); they authenticate by their own
    /// parameters, such as a bearer token in a header parameter.
    Anonymous,
}

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
}

impl Method {
    /// The uppercase method name, as signed and sent.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }

    /// Whether requests of this method may carry a body, and so always carry
    /// `Content-Length` (`0` when empty) on the wire (reference §2.3).
    pub const fn may_carry_body(self) -> bool {
        matches!(
            self,
            Method::Post | Method::Put | Method::Patch | Method::Delete
        )
    }
}

/// Where and how one request field is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamMeta {
    /// Wire name, equal to the field's serde name (`"SourceEndpointInstanceID"`).
    pub name: &'static str,
    /// Where the value goes.
    pub location: Location,
    /// How a complex value is flattened (reference §2.4).
    pub style: Style,
    /// `true` for tokens such as `ClientToken`: when the caller leaves the field unset the
    /// runtime generates a UUID once per call and reuses it on every retry.
    pub idempotency_token: bool,
}

/// Wire location of a parameter (the metadata's `in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// URL query string; part of the canonical query string.
    Query,
    /// `application/x-www-form-urlencoded` body field (metadata `formData`).
    Form,
    /// The whole body (the metadata's `in: body`): an object, array or any value as compact
    /// JSON, a string as is (both `application/json; charset=utf-8`). A byte body is not a
    /// serialized field: see [`Operation::payload`](crate::Operation::payload).
    Body,
    /// One member of a JSON object body: an object body's properties are fields of the
    /// request, so each has its own setter; the runtime puts them back together into one
    /// compact JSON object, in field order.
    BodyField,
    /// A `{Name}` segment of the path.
    Path,
    /// An HTTP header named after the parameter.
    Header,
    /// Part of the host name. Not supported yet: a call with such a value fails with
    /// [`BuildError::Unsupported`](crate::BuildError::Unsupported).
    Host,
}

/// Flattening style of a complex parameter (the metadata's `style`, reference §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// Scalars as is; a complex value without a style is flattened like [`Style::RepeatList`],
    /// which is what the official utilities do.
    Plain,
    /// One key per element, 1-based, path joined with `.`: `Tag.1.Key=a`.
    RepeatList,
    /// Objects flattened by path: `Obj.Sub.X=1`.
    Flat,
    /// The whole value serialized as one compact JSON string.
    Json,
    /// Array elements joined with `,`.
    Simple,
    /// Array elements joined with a space.
    SpaceDelimited,
    /// Array elements joined with `|`.
    PipeDelimited,
    /// XML bodies. Not supported yet: a call with such a value fails with
    /// [`BuildError::Unsupported`](crate::BuildError::Unsupported).
    Xml,
}
