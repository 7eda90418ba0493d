//! Runtime of the generated Alibaba Cloud clients.
//!
//! Generated crates hold types, names and static metadata; everything that behaves lives
//! here, once: configuration and credentials ([`Config`], [`Credentials`]), endpoint
//! resolution ([`endpoint`]), routing and flattening of parameters ([`params`]), signature
//! V3 ([`sign`]), transport with timeouts and retries ([`transport`], [`retry`]), and
//! decoding of answers into outputs or typed errors ([`decode`], [`SdkError`]), and the
//! loops around calls: every page of a list ([`paginate`]) and polling until a state
//! ([`waiter`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use alibabacloud_runtime::{Config, Credentials};
//! // From the environment: the official credentials chain, ALIBABA_CLOUD_REGION_ID, ...
//! let config = Config::from_env()?;
//! // Or explicit, e.g. against a local emulator:
//! let config = Config::builder()
//!     .credentials(Credentials::new("YourAccessKeyId", "YourAccessKeySecret"))
//!     .region("cn-hangzhou")
//!     .endpoint_url("http://127.0.0.1:8080")
//!     .build()?;
//! # let _ = config; Ok(()) }
//! ```

mod answered;
mod call_options;
pub mod client;
pub mod config;
pub mod credentials;
pub mod decode;
pub mod encoding;
pub mod endpoint;
pub mod environment;
pub mod error;
mod flatten_serializer;
mod header_values;
pub mod meta;
pub mod operation;
pub mod output;
pub mod paginate;
pub mod params;
pub mod random;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
mod route_serializer;
pub mod sending;
pub mod sensitive;
pub mod ser;
pub mod sign;
pub mod transport;
pub mod user_agent;
pub mod waiter;

pub use answered::Answered;
pub use bytes::Bytes;
pub use call_options::CallOptions;
pub use client::Client;
pub use config::{Config, ConfigBuilder, ConfigError};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use decode::{FromJson, Record};
pub use endpoint::{Endpoint, EndpointError};
pub use environment::Environment;
pub use error::{
    AccessDeniedDetail, BuildError, CredentialsFailure, DecodeError, NotRetried, SdkError,
    ServiceError, TimeoutError, TimeoutPhase, TransportError, TransportErrorKind,
};
pub use meta::{
    Auth, EndpointRule, Location, Method, OperationMeta, OperationType, ParamMeta, ServiceMeta,
    Style,
};
pub use operation::{ErrorKind, Operation};
pub use output::{Binary, Empty, Output, Root};
pub use paginate::{Cursor, Paginator, Paging};
pub use retry::RetryConfig;
pub use sending::Sending;
pub use sensitive::Sensitive;
pub use serde_json::Value;
