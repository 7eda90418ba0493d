//! Step 3 of the chain: the aliyun CLI configuration `~/.aliyun/config.json` (reference §4.4).
//!
//! Path: `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`. Profile:
//! `ALIBABA_CLOUD_PROFILE`, else the file's `current`. Skipped entirely when
//! `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`. Supported modes: `AK`, `StsToken`, `EcsRamRole`;
//! the role-assuming and SSO modes are reported as unsupported.

use super::{Credentials, CredentialsError, Lookup, ProviderAttempt};
use crate::credentials::imds::ImdsProvider;
use crate::credentials::ini_file::PROFILE;
use crate::environment::Environment;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Path override variable.
pub const CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// Disables this provider when `true`.
pub const DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// The parts of the CLI configuration this SDK reads.
#[derive(Debug, Default, Deserialize)]
pub struct CliConfig {
    /// The profile in use.
    #[serde(default)]
    pub current: String,
    /// Every profile.
    #[serde(default)]
    pub profiles: Vec<CliProfile>,
}

/// One CLI profile.
#[derive(Default, Deserialize)]
pub struct CliProfile {
    /// Profile name.
    #[serde(default)]
    pub name: String,
    /// `AK`, `StsToken`, `EcsRamRole`, ...
    #[serde(default)]
    pub mode: String,
    /// AccessKey id.
    #[serde(default)]
    pub access_key_id: String,
    /// AccessKey secret.
    #[serde(default)]
    pub access_key_secret: crate::Sensitive<String>,
    /// STS token (`StsToken` mode).
    #[serde(default)]
    pub sts_token: crate::Sensitive<String>,
    /// RAM role of the instance (`EcsRamRole` mode).
    #[serde(default)]
    pub ram_role_name: String,
    /// Default region of the profile.
    #[serde(default)]
    pub region_id: String,
}

impl std::fmt::Debug for CliProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CliProfile")
            .field("name", &self.name)
            .field("mode", &self.mode)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("sts_token", &self.sts_token)
            .field("region_id", &self.region_id)
            .finish()
    }
}

/// The CLI configuration file path for this environment.
pub fn path(env: &Environment) -> Option<PathBuf> {
    match env.var(CONFIG_FILE) {
        Some(p) => Some(PathBuf::from(p)),
        None => env.home().map(|h| h.join(".aliyun").join("config.json")),
    }
}

/// Reads and parses the file; errors name the path and the JSON position.
pub fn read(path: &Path) -> Result<CliConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))
}

/// The profile this environment selects, with the name that was chosen.
pub fn selected_profile<'c>(
    env: &Environment,
    config: &'c CliConfig,
) -> Result<&'c CliProfile, String> {
    let name = env
        .var(PROFILE)
        .or(Some(config.current.as_str()).filter(|c| !c.is_empty()))
        .unwrap_or("default");
    config
        .profiles
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("no profile named `{name}`"))
}

pub(crate) fn lookup(env: &Environment) -> Lookup {
    if env.flag(DISABLED) {
        return Lookup::Skipped(ProviderAttempt {
            provider: "aliyun CLI config".to_owned(),
            outcome: format!("disabled by {DISABLED}=true"),
        });
    }
    let Some(path) = path(env) else {
        return Lookup::Skipped(ProviderAttempt {
            provider: "aliyun CLI config ~/.aliyun/config.json".to_owned(),
            outcome: "home directory unknown (HOME not set)".to_owned(),
        });
    };
    let provider = format!("aliyun CLI config {}", path.display());
    if !path.is_file() {
        return Lookup::Skipped(ProviderAttempt {
            provider,
            outcome: "file not found".to_owned(),
        });
    }
    let invalid = |reason: String| {
        Lookup::Skipped(
            CredentialsError::Invalid {
                provider: provider.clone(),
                reason,
            }
            .into_attempt(),
        )
    };
    let config = match read(&path) {
        Ok(c) => c,
        Err(e) => return invalid(e),
    };
    let profile = match selected_profile(env, &config) {
        Ok(p) => p,
        Err(e) => return invalid(e),
    };
    let name = &profile.name;
    let need = |value: &str, key: &str| {
        if value.is_empty() {
            Err(format!(
                "profile `{name}` (mode {}): `{key}` is empty",
                profile.mode
            ))
        } else {
            Ok(())
        }
    };
    let keys = || -> Result<Credentials, String> {
        need(&profile.access_key_id, "access_key_id")?;
        need(profile.access_key_secret.expose(), "access_key_secret")?;
        Ok(Credentials::new(
            profile.access_key_id.clone(),
            profile.access_key_secret.expose().clone(),
        ))
    };
    let result = match profile.mode.as_str() {
        "AK" => {
            keys().map(|c| Lookup::Found(c.with_provider_name("default/cli_profile/static_ak")))
        }
        "StsToken" => keys().and_then(|c| {
            need(profile.sts_token.expose(), "sts_token")?;
            Ok(Lookup::Found(
                c.with_security_token(profile.sts_token.expose().clone())
                    .with_provider_name("default/cli_profile/static_sts"),
            ))
        }),
        "EcsRamRole" => Ok(Lookup::Deferred(Arc::new(
            ImdsProvider::new()
                .with_role_name(Some(profile.ram_role_name.clone()).filter(|r| !r.is_empty())),
        ))),
        "" => Err(format!("profile `{name}` has no `mode`")),
        other => Err(format!(
            "profile `{name}`: mode `{other}` is not supported by this SDK yet (supported: AK, StsToken, EcsRamRole)"
        )),
    };
    result.unwrap_or_else(invalid)
}
