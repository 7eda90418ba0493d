//! Step 3 of the chain: the aliyun CLI configuration `~/.aliyun/config.json` (reference §4.4).
//!
//! Path: `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`. Profile:
//! `ALIBABA_CLOUD_PROFILE`, else the file's `current`. Skipped entirely when
//! `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`. Supported modes: `AK`, `StsToken`, `EcsRamRole`,
//! and the role-assuming `RamRoleArn`, `ChainableRamRoleArn` (source credentials from the
//! profile named by `source_profile`, resolved the same way) and `OIDC`, which ask STS at
//! call time (`expired_seconds`, `policy`, `external_id`, `sts_region`, `enable_vpc`
//! honoured). The SSO, OAuth and External modes are reported as unsupported.

use super::{Credentials, CredentialsError, Lookup, ProviderAttempt};
use crate::credentials::imds::ImdsProvider;
use crate::credentials::ini_file::PROFILE;
use crate::credentials::sts::{AssumeRoleProvider, OidcRoleProvider, RoleSession};
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

impl CliConfig {
    /// The profile called `name`, if there is one.
    pub fn profile(&self, name: &str) -> Option<&CliProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}

/// One CLI profile. `Debug` is derived: the secrets are `Sensitive`, which prints
/// `<redacted>`.
#[derive(Debug, Default, Deserialize)]
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
    /// Role to assume (`RamRoleArn`, `ChainableRamRoleArn`, `OIDC`).
    #[serde(default)]
    pub ram_role_arn: String,
    /// Role session name; a `credentials-rust-<unix seconds>` name when empty.
    #[serde(default)]
    pub ram_session_name: String,
    /// Session duration in seconds; 0 means 3600.
    #[serde(default)]
    pub expired_seconds: u64,
    /// Region of the STS endpoint.
    #[serde(default)]
    pub sts_region: String,
    /// Use the VPC STS endpoint.
    #[serde(default)]
    pub enable_vpc: bool,
    /// Policy narrowing the assumed role.
    #[serde(default)]
    pub policy: String,
    /// External id of the role's trust policy (`RamRoleArn`, `ChainableRamRoleArn`).
    #[serde(default)]
    pub external_id: String,
    /// The profile whose credentials assume the role (`ChainableRamRoleArn`).
    #[serde(default)]
    pub source_profile: String,
    /// OIDC identity provider (`OIDC`).
    #[serde(default)]
    pub oidc_provider_arn: String,
    /// File holding the OIDC token (`OIDC`).
    #[serde(default)]
    pub oidc_token_file: String,
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
        .profile(name)
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
    resolve_profile(env, &config, profile, &mut Vec::new()).unwrap_or_else(invalid)
}

/// What a profile yields: credentials, or a provider to ask at call time. `visiting` holds
/// the profiles already on the way here through `source_profile`, to refuse loops.
fn resolve_profile(
    env: &Environment,
    config: &CliConfig,
    profile: &CliProfile,
    visiting: &mut Vec<String>,
) -> Result<Lookup, String> {
    let name = &profile.name;
    visiting.push(name.clone());
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
    let session = || -> Result<RoleSession, String> {
        need(&profile.ram_role_arn, "ram_role_arn")?;
        Ok(RoleSession::new(profile.ram_role_arn.clone())
            .with_session_name(profile.ram_session_name.clone())
            .with_duration_seconds(profile.expired_seconds)
            .with_policy(profile.policy.clone())
            .with_sts_region(profile.sts_region.clone())
            .with_vpc(profile.enable_vpc)
            .with_env_defaults(env))
    };
    // The role providers' own errors name STS; here they are about this profile.
    let in_profile = |e: CredentialsError| {
        let reason = match e {
            CredentialsError::Invalid { reason, .. } | CredentialsError::Fetch { reason, .. } => {
                reason
            }
            other => other.to_string(),
        };
        format!("profile `{name}` (mode {}): {reason}", profile.mode)
    };
    let assume_role = |provider: AssumeRoleProvider| {
        Lookup::Deferred(Arc::new(
            provider
                .with_external_id(profile.external_id.clone())
                .with_provider_name("default/cli_profile/ram_role_arn"),
        ))
    };
    match profile.mode.as_str() {
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
        "RamRoleArn" => {
            let provider = AssumeRoleProvider::new(session()?, keys()?).map_err(in_profile)?;
            Ok(assume_role(provider))
        }
        "ChainableRamRoleArn" => {
            let source_name = &profile.source_profile;
            need(source_name, "source_profile")?;
            if visiting.contains(source_name) {
                return Err(format!(
                    "profile `{name}`: source_profile loops: {} -> {source_name}",
                    visiting.join(" -> ")
                ));
            }
            let source_profile = config.profile(source_name).ok_or_else(|| {
                format!("profile `{name}`: source_profile `{source_name}` does not exist")
            })?;
            let provider = match resolve_profile(env, config, source_profile, visiting)? {
                Lookup::Found(c) => AssumeRoleProvider::new(session()?, c),
                Lookup::Deferred(p) => AssumeRoleProvider::from_provider(session()?, p),
                Lookup::Skipped(a) => return Err(a.to_string()),
            }
            .map_err(in_profile)?;
            Ok(assume_role(provider))
        }
        "OIDC" => {
            need(&profile.oidc_provider_arn, "oidc_provider_arn")?;
            need(&profile.oidc_token_file, "oidc_token_file")?;
            let provider = OidcRoleProvider::new(
                session()?,
                profile.oidc_provider_arn.clone(),
                profile.oidc_token_file.clone(),
            )
            .map_err(in_profile)?
            .with_provider_name("default/cli_profile/oidc_role_arn");
            Ok(Lookup::Deferred(Arc::new(provider)))
        }
        "" => Err(format!("profile `{name}` has no `mode`")),
        other => Err(format!(
            "profile `{name}`: mode `{other}` is not supported by this SDK yet (supported: AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `json` to a fresh temporary file and returns an environment selecting
    /// `profile` from it.
    struct TempConfig(std::path::PathBuf);

    impl TempConfig {
        fn new(json: &str) -> TempConfig {
            let path = std::env::temp_dir().join(format!(
                "alibabacloud-cli-config-{}.json",
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::write(&path, json).unwrap();
            TempConfig(path)
        }

        fn env(&self, profile: &str) -> Environment {
            Environment::empty()
                .with_var(CONFIG_FILE, self.0.display().to_string())
                .with_var(PROFILE, profile)
        }
    }

    impl Drop for TempConfig {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    const ROLES: &str = r#"{
      "current": "ak",
      "profiles": [
        {"name": "ak", "mode": "AK", "access_key_id": "src-id", "access_key_secret": "src-secret-never-shown"},
        {"name": "role", "mode": "RamRoleArn", "access_key_id": "role-src-id", "access_key_secret": "role-secret-never-shown",
         "ram_role_arn": "acs:ram::1:role/first", "ram_session_name": "s1", "expired_seconds": 1200,
         "sts_region": "cn-shanghai", "enable_vpc": true, "policy": "{\"Version\":\"1\"}", "external_id": "ext-1"},
        {"name": "chained-ak", "mode": "ChainableRamRoleArn", "source_profile": "ak", "ram_role_arn": "acs:ram::1:role/second"},
        {"name": "chained-role", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": "acs:ram::1:role/third", "sts_region": "cn-beijing"},
        {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/a"},
        {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/b"},
        {"name": "dangling", "mode": "ChainableRamRoleArn", "source_profile": "nobody", "ram_role_arn": "acs:ram::1:role/d"},
        {"name": "short", "mode": "RamRoleArn", "access_key_id": "i", "access_key_secret": "short-secret-never-shown", "ram_role_arn": "acs:ram::1:role/s", "expired_seconds": 600},
        {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/oidc", "oidc_provider_arn": "acs:ram::1:oidc-provider/k8s", "oidc_token_file": "/var/run/secrets/token"},
        {"name": "oidc-no-file", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/oidc", "oidc_provider_arn": "acs:ram::1:oidc-provider/k8s"},
        {"name": "sso", "mode": "CloudSSO"}
      ]
    }"#;

    /// The provider a profile defers to, as its `Debug` shows it.
    fn deferred(env: &Environment) -> String {
        match lookup(env) {
            Lookup::Deferred(p) => format!("{p:?}"),
            other => panic!("expected a call-time provider, got {other:?}"),
        }
    }

    fn skipped(env: &Environment) -> String {
        match lookup(env) {
            Lookup::Skipped(a) => a.outcome,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn ram_role_arn_profile_assumes_its_role_with_its_keys() {
        let file = TempConfig::new(ROLES);
        let text = deferred(&file.env("role"));
        for expected in [
            "AssumeRoleProvider",
            "role_arn: \"acs:ram::1:role/first\"",
            "session_name: \"s1\"",
            "duration_seconds: 1200",
            "endpoint: \"https://sts-vpc.cn-shanghai.aliyuncs.com\"",
            "external_id: Some(\"ext-1\")",
            "Static(Credentials { access_key_id: \"role-src-id\"",
            "provider_name: \"default/cli_profile/ram_role_arn\"",
            "policy: Some(\"{\\\"Version\\\":\\\"1\\\"}\")",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        assert!(!text.contains("role-secret-never-shown"), "{text}");
    }

    #[test]
    fn chainable_profile_takes_its_source_from_another_profile() {
        let file = TempConfig::new(ROLES);
        let text = deferred(&file.env("chained-ak"));
        assert!(text.contains("acs:ram::1:role/second"), "{text}");
        assert!(
            text.contains("Static(Credentials { access_key_id: \"src-id\""),
            "{text}"
        );
        assert!(
            text.contains("endpoint: \"https://sts.aliyuncs.com\""),
            "{text}"
        );
        assert!(!text.contains("src-secret-never-shown"), "{text}");

        // A role-assuming source is itself asked at call time.
        let text = deferred(&file.env("chained-role"));
        let outer = text.find("acs:ram::1:role/third").expect("outer role");
        let inner = text
            .find("Provider(AssumeRoleProvider")
            .expect("inner provider");
        assert!(outer < inner, "{text}");
        assert!(text[inner..].contains("acs:ram::1:role/first"), "{text}");
        assert!(
            text.contains("endpoint: \"https://sts.cn-beijing.aliyuncs.com\""),
            "{text}"
        );
        assert!(!text.contains("role-secret-never-shown"), "{text}");
    }

    #[test]
    fn chainable_loops_and_missing_sources_are_errors() {
        let file = TempConfig::new(ROLES);
        let reason = skipped(&file.env("loop-a"));
        assert!(
            reason.contains("source_profile loops: loop-a -> loop-b -> loop-a"),
            "{reason}"
        );
        let reason = skipped(&file.env("dangling"));
        assert!(
            reason.contains("source_profile `nobody` does not exist"),
            "{reason}"
        );
    }

    #[test]
    fn oidc_profile_reads_its_token_file_at_call_time() {
        let file = TempConfig::new(ROLES);
        let text = deferred(&file.env("oidc"));
        for expected in [
            "OidcRoleProvider",
            "acs:ram::1:role/oidc",
            "oidc_provider_arn: \"acs:ram::1:oidc-provider/k8s\"",
            "token_file: \"/var/run/secrets/token\"",
            "provider_name: \"default/cli_profile/oidc_role_arn\"",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        let reason = skipped(&file.env("oidc-no-file"));
        assert!(reason.contains("`oidc_token_file` is empty"), "{reason}");
    }

    #[test]
    fn bad_duration_and_unsupported_modes_are_reported_without_secrets() {
        let file = TempConfig::new(ROLES);
        let reason = skipped(&file.env("short"));
        assert!(
            reason.contains("profile `short` (mode RamRoleArn): session duration 600 s is below the STS minimum of 900 s"),
            "{reason}"
        );
        assert!(!reason.contains("short-secret-never-shown"), "{reason}");
        let reason = skipped(&file.env("sso"));
        assert!(
            reason.contains("mode `CloudSSO` is not supported"),
            "{reason}"
        );
    }
}
