//! A successful call's output together with what the runtime knows about the call.

/// The output of a successful call, with the idempotency token the runtime generated for it
/// and the attempts it took. Returned by [`Client::call_with_details`](crate::Client::call_with_details)
/// and the generated clients' `call_with_details`; [`Client::call`](crate::Client::call) and
/// the builders' `send()` return the output alone.
///
/// Dereferences to the output, so its fields read as they do on the output itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered<T> {
    pub(crate) output: T,
    pub(crate) idempotency_token: Option<String>,
    pub(crate) attempts: u32,
}

impl<T> Answered<T> {
    /// The decoded output.
    pub fn output(&self) -> &T {
        &self.output
    }

    /// The decoded output, without the rest.
    pub fn into_output(self) -> T {
        self.output
    }

    /// The idempotency token the runtime generated for the call and sent with every
    /// attempt, when the caller left the operation's token (`ClientToken`) unset; `None`
    /// when the caller set it or the operation has none. Errors carry it too
    /// ([`SdkError::idempotency_token`](crate::SdkError::idempotency_token)).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.idempotency_token.as_deref()
    }

    /// How many attempts the call took (1 without retries).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<T> std::ops::Deref for Answered<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.output
    }
}
