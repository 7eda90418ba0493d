//! The default provider chain, in the official order (reference §4.2).

use super::cache::CredentialsCache;
use super::imds::{self, ImdsProvider};
use super::sts::{self, OidcRoleProvider};
use super::uri::{self, UriProvider};
use super::{
    CredentialsError, CredentialsSource, Lookup, ProvideCredentials, ProviderAttempt, cli_config,
    env_vars, ini_file,
};
use crate::environment::Environment;
use std::sync::Arc;

/// OIDC role variables; the provider is active only when all three are set.
pub const OIDC_VARS: [&str; 3] = [sts::ROLE_ARN, sts::OIDC_PROVIDER_ARN, sts::OIDC_TOKEN_FILE];

/// Step 2: the OIDC role, assumed with STS at call time.
fn oidc(env: &Environment) -> Lookup {
    let outcome = match OidcRoleProvider::from_env(env) {
        Some(Ok(provider)) => return Lookup::Deferred(Arc::new(provider)),
        Some(Err(e)) => e.to_string(),
        None => "not configured".to_owned(),
    };
    Lookup::Skipped(ProviderAttempt {
        provider: format!("OIDC role ({})", OIDC_VARS.join(", ")),
        outcome,
    })
}

/// Resolves the chain for `env`.
///
/// The file and variable steps run now. If one of them yields credentials they are used
/// as is; if one names a call-time source (an OIDC or RAM role, an ECS RAM role profile)
/// that source is used.
/// Otherwise the network steps (instance metadata unless disabled, credentials URI when
/// set) are tried on the first call. With no step left, the error names every place looked.
pub(crate) fn resolve(env: &Environment) -> Result<CredentialsSource, CredentialsError> {
    let steps: [fn(&Environment) -> Lookup; 4] =
        [env_vars::lookup, oidc, cli_config::lookup, ini_file::lookup];
    let mut attempts = Vec::new();
    for step in steps {
        match step(env) {
            Lookup::Found(c) => return Ok(CredentialsSource::Static(Arc::new(c))),
            Lookup::Deferred(p) => {
                return Ok(CredentialsSource::Cached(Arc::new(CredentialsCache::new(
                    vec![p],
                    attempts,
                ))));
            }
            Lookup::Skipped(a) => attempts.push(a),
        }
    }
    let mut remote: Vec<Arc<dyn ProvideCredentials>> = Vec::new();
    if env.flag(imds::DISABLED) {
        attempts.push(ProviderAttempt {
            provider: "ECS RAM role via instance metadata".to_owned(),
            outcome: format!("disabled by {}=true", imds::DISABLED),
        });
    } else {
        remote.push(Arc::new(ImdsProvider::from_env(env)));
    }
    match env.var(uri::CREDENTIALS_URI) {
        Some(u) => remote.push(Arc::new(UriProvider::new(u))),
        None => attempts.push(ProviderAttempt {
            provider: format!("credentials URI ({})", uri::CREDENTIALS_URI),
            outcome: "not set".to_owned(),
        }),
    }
    if remote.is_empty() {
        return Err(CredentialsError::NotFound { attempts });
    }
    Ok(CredentialsSource::Cached(Arc::new(CredentialsCache::new(
        remote, attempts,
    ))))
}
