//! The test keys the emulator accepts.

use std::fmt;

/// Default AccessKey ID of the emulator (and of its examples and tests).
pub const DEFAULT_ACCESS_KEY_ID: &str = "test-access-key-id";
/// Default AccessKey secret of the emulator.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "test-access-key-secret";

/// A key pair the emulator accepts, optionally an STS one (then the request must carry the
/// same `x-acs-security-token`).
#[derive(Clone, PartialEq, Eq)]
pub struct TestKey {
    access_key_id: String,
    secret: String,
    security_token: Option<String>,
}

impl TestKey {
    /// A static key pair.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            security_token: None,
        }
    }

    /// An STS key: requests must also send this token in `x-acs-security-token`.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }

    pub(crate) fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl Default for TestKey {
    fn default() -> Self {
        Self::new(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    }
}

/// The secret and the token never appear in Debug output.
impl fmt::Debug for TestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let key = TestKey::new("AK", "very-secret").with_security_token("tok-secret");
        let debug = format!("{key:?}");
        assert!(debug.contains("AK"));
        assert!(
            !debug.contains("very-secret") && !debug.contains("tok-secret"),
            "{debug}"
        );
    }
}
