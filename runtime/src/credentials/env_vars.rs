//! Step 1 of the chain: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and,
//! optionally, `ALIBABA_CLOUD_SECURITY_TOKEN` (reference §4.1).

use super::{Credentials, Lookup, ProviderAttempt};
use crate::environment::Environment;

/// Access key id variable.
pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Access key secret variable.
pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// STS token variable.
pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

const PROVIDER: &str =
    "environment variables ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET";

/// Reads the credentials variables. Both the id and the secret must be non-empty.
pub(crate) fn lookup(env: &Environment) -> Lookup {
    match (env.var(ACCESS_KEY_ID), env.var(ACCESS_KEY_SECRET)) {
        (Some(id), Some(secret)) => {
            let mut c = Credentials::new(id, secret);
            if let Some(token) = env.var(SECURITY_TOKEN) {
                c = c.with_security_token(token);
            }
            Lookup::Found(c.with_provider_name("default/env"))
        }
        (id, secret) => Lookup::Skipped(ProviderAttempt {
            provider: PROVIDER.to_owned(),
            outcome: match (id, secret) {
                (Some(_), None) => format!("{ACCESS_KEY_SECRET} is not set"),
                (None, Some(_)) => format!("{ACCESS_KEY_ID} is not set"),
                _ => "not set".to_owned(),
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_keys_give_credentials_with_optional_token() {
        let env = Environment::empty()
            .with_var(ACCESS_KEY_ID, "id")
            .with_var(ACCESS_KEY_SECRET, "sk");
        let Lookup::Found(c) = lookup(&env) else {
            panic!("expected credentials")
        };
        assert_eq!(c.access_key_id(), "id");
        assert_eq!(c.access_key_secret().expose(), "sk");
        assert!(c.security_token().is_none());

        let Lookup::Found(c) = lookup(&env.with_var(SECURITY_TOKEN, "tok")) else {
            panic!("expected credentials")
        };
        assert_eq!(c.security_token().map(|t| t.expose().as_str()), Some("tok"));
        assert_eq!(c.provider_name(), "default/env");
    }

    #[test]
    fn half_configured_is_reported_not_used() {
        let env = Environment::empty()
            .with_var(ACCESS_KEY_ID, "id")
            .with_var(ACCESS_KEY_SECRET, "");
        let Lookup::Skipped(a) = lookup(&env) else {
            panic!("expected skip")
        };
        assert!(a.outcome.contains(ACCESS_KEY_SECRET), "{a}");
    }
}
