//! The `user-agent` header, in the official SDKs' shape (reference §6):
//! `AlibabaCloud (<os>; <arch>) Rust/<rustc> Core/<runtime version> alibabacloud-rust-sdk/<runtime version>`,
//! followed by any user-supplied suffix (`ALIBABA_CLOUD_USER_AGENT` or
//! [`ConfigBuilder::user_agent`](crate::ConfigBuilder::user_agent)).

/// Version of this runtime crate.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The compiler that built this crate, or `unknown`.
pub const RUSTC_VERSION: &str = env!("ALIBABACLOUD_RUSTC_VERSION");

/// The base user agent, without suffix.
pub fn base() -> String {
    format!(
        "AlibabaCloud ({}; {}) Rust/{RUSTC_VERSION} Core/{RUNTIME_VERSION} alibabacloud-rust-sdk/{RUNTIME_VERSION}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The full user agent with an optional suffix appended after a space.
pub fn with_suffix(suffix: Option<&str>) -> String {
    match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{} {s}", base()),
        None => base(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sdk_and_version() {
        let ua = with_suffix(Some(" my-app/1.0 "));
        assert!(ua.starts_with(&format!(
            "AlibabaCloud ({}; {}) Rust/",
            std::env::consts::OS,
            std::env::consts::ARCH
        )));
        assert!(ua.contains(&format!(
            "Core/{RUNTIME_VERSION} alibabacloud-rust-sdk/{RUNTIME_VERSION}"
        )));
        assert!(ua.ends_with(" my-app/1.0"));
        assert_eq!(with_suffix(Some("")), base());
        assert_ne!(RUSTC_VERSION, "");
    }
}
