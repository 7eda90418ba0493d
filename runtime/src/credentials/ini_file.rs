//! Step 4 of the chain: the credentials INI file (reference §4.3).
//!
//! Path: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials` (credentials-go),
//! else `~/.alibabacloud/credentials.ini` (credentials-python): the official libraries
//! disagree on the default name, so both are tried. Profile: `ALIBABA_CLOUD_PROFILE`, else
//! `default`.
//!
//! Supported `type`s: `access_key`, `ecs_ram_role`, `ram_role_arn` (STS `AssumeRole` signed
//! with the profile's AccessKey) and `oidc_role_arn` (STS `AssumeRoleWithOIDC`); the role
//! types also honour `ALIBABA_CLOUD_STS_REGION`, `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` and
//! `ALIBABA_CLOUD_ROLE_SESSION_NAME`, and `role_session_name` may be left out (a
//! `credentials-rust-<unix seconds>` name is used). The legacy `rsa_key_pair` is reported
//! as unsupported.

use super::{Credentials, CredentialsError, Lookup, ProviderAttempt};
use crate::credentials::imds::ImdsProvider;
use crate::credentials::sts::{AssumeRoleProvider, OidcRoleProvider, RoleSession};
use crate::environment::Environment;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Path override variable.
pub const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// Profile name variable (shared with the CLI provider).
pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";

/// A parsed INI file: section name → key → value.
pub type Sections = BTreeMap<String, BTreeMap<String, String>>;

/// Parses the INI dialect of the official libraries: `[section]`, `key = value`, whole-line
/// comments starting with `#` or `;`, and inline ` #` comments stripped from values.
/// Errors name the line.
pub fn parse(text: &str) -> Result<Sections, String> {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| format!("line {line_no}: section header without closing `]`"))?
                .trim();
            if name.is_empty() {
                return Err(format!("line {line_no}: empty section name"));
            }
            sections.entry(name.to_owned()).or_default();
            current = Some(name.to_owned());
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {line_no}: expected `key = value` or `[section]`"))?;
        let section = current
            .as_ref()
            .ok_or_else(|| format!("line {line_no}: key outside of any [section]"))?;
        let value = match value.find(" #") {
            Some(at) => &value[..at],
            None => value,
        };
        sections
            .entry(section.clone())
            .or_default()
            .insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(sections)
}

fn candidate_paths(env: &Environment) -> Vec<PathBuf> {
    if let Some(p) = env.var(CREDENTIALS_FILE) {
        return vec![PathBuf::from(p)];
    }
    match env.home() {
        Some(home) => vec![
            home.join(".alibabacloud").join("credentials"),
            home.join(".alibabacloud").join("credentials.ini"),
        ],
        None => Vec::new(),
    }
}

/// Looks for the file and reads the selected profile.
pub(crate) fn lookup(env: &Environment) -> Lookup {
    let paths = candidate_paths(env);
    if paths.is_empty() {
        return Lookup::Skipped(ProviderAttempt {
            provider: "credentials file ~/.alibabacloud/credentials".to_owned(),
            outcome: "home directory unknown (HOME not set)".to_owned(),
        });
    }
    let Some(path) = paths.iter().find(|p| p.is_file()) else {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Lookup::Skipped(ProviderAttempt {
            provider: format!("credentials file {}", shown.join(" or ")),
            outcome: "file not found".to_owned(),
        });
    };
    let profile = env.var(PROFILE).unwrap_or("default");
    match read_profile(env, path, profile) {
        Ok(found) => found,
        Err(e) => Lookup::Skipped(e.into_attempt()),
    }
}

fn read_profile(env: &Environment, path: &Path, profile: &str) -> Result<Lookup, CredentialsError> {
    let provider = format!("credentials file {} profile [{profile}]", path.display());
    let invalid = |reason: String| CredentialsError::Invalid {
        provider: provider.clone(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| invalid(format!("cannot read: {e}")))?;
    let sections = parse(&text).map_err(invalid)?;
    let section = sections
        .get(profile)
        .ok_or_else(|| invalid(format!("no [{profile}] section")))?;
    let get = |key: &str| {
        section
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let require = |key: &str| get(key).ok_or_else(|| invalid(format!("missing `{key}`")));
    let access_key = || -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(
            require("access_key_id")?,
            require("access_key_secret")?,
        ))
    };
    let role_session = || -> Result<RoleSession, CredentialsError> {
        Ok(RoleSession::new(require("role_arn")?)
            .with_session_name(get("role_session_name").unwrap_or_default())
            .with_policy(get("policy").unwrap_or_default())
            .with_env_defaults(env))
    };
    // Errors of the role providers name STS; here they are about this profile.
    let in_profile = |e: CredentialsError| match e {
        CredentialsError::Invalid { reason, .. } => invalid(reason),
        other => other,
    };
    let kind = require("type")?;
    match kind {
        "access_key" => Ok(Lookup::Found(
            access_key()?.with_provider_name("default/profile/static_ak"),
        )),
        "ecs_ram_role" => Ok(Lookup::Deferred(Arc::new(
            ImdsProvider::new().with_role_name(get("role_name").map(str::to_owned)),
        ))),
        "ram_role_arn" => {
            let provider = AssumeRoleProvider::new(role_session()?, access_key()?)
                .map_err(in_profile)?
                .with_provider_name("default/profile/ram_role_arn");
            Ok(Lookup::Deferred(Arc::new(provider)))
        }
        "oidc_role_arn" => {
            let provider = OidcRoleProvider::new(
                role_session()?,
                require("oidc_provider_arn")?,
                require("oidc_token_file_path")?,
            )
            .map_err(in_profile)?
            .with_provider_name("default/profile/oidc_role_arn");
            Ok(Lookup::Deferred(Arc::new(provider)))
        }
        "rsa_key_pair" => Err(invalid(
            "type `rsa_key_pair` (legacy) is not supported by this SDK (supported: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn)"
                .to_owned(),
        )),
        other => Err(invalid(format!("unknown type `{other}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_comments_and_inline_comments() {
        let s = parse(
            "# top\n[default]\ntype = access_key\naccess_key_id = foo # note\n; c\n[p2]\nx=y\n",
        )
        .unwrap();
        assert_eq!(s["default"]["type"], "access_key");
        assert_eq!(s["default"]["access_key_id"], "foo");
        assert_eq!(s["p2"]["x"], "y");
    }

    #[test]
    fn parse_errors_name_the_line() {
        assert_eq!(
            parse("[a]\nnot a pair\n").unwrap_err(),
            "line 2: expected `key = value` or `[section]`"
        );
        assert_eq!(
            parse("k = v\n").unwrap_err(),
            "line 1: key outside of any [section]"
        );
        assert_eq!(
            parse("[oops\n").unwrap_err(),
            "line 1: section header without closing `]`"
        );
    }

    fn provider_debug(ini: &str, profile: &str, env: &Environment) -> Result<String, String> {
        let path = std::env::temp_dir().join(format!(
            "alibabacloud-ini-{}.ini",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&path, ini).unwrap();
        let result = read_profile(env, &path, profile);
        let _ = std::fs::remove_file(&path);
        match result {
            Ok(Lookup::Deferred(p)) => Ok(format!("{p:?}")),
            Ok(other) => panic!("expected a call-time provider, got {other:?}"),
            Err(e) => Err(e.to_string()),
        }
    }

    const ROLES: &str = "[role]\ntype = ram_role_arn\naccess_key_id = ini-src-id\naccess_key_secret = ini-secret-never-shown\nrole_arn = acs:ram::1:role/ini\nrole_session_name = ini-session\npolicy = {\"Version\":\"1\"}\n\n[oidc]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/ini-oidc\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = /var/token\n\n[no-arn]\ntype = ram_role_arn\naccess_key_id = i\naccess_key_secret = s\n";

    #[test]
    fn ram_role_arn_profile_assumes_its_role() {
        let env = Environment::empty().with_var(crate::credentials::sts::STS_REGION, "cn-hangzhou");
        let text = provider_debug(ROLES, "role", &env).unwrap();
        for expected in [
            "AssumeRoleProvider",
            "role_arn: \"acs:ram::1:role/ini\"",
            "session_name: \"ini-session\"",
            "duration_seconds: 3600",
            "endpoint: \"https://sts.cn-hangzhou.aliyuncs.com\"",
            "access_key_id: \"ini-src-id\"",
            "provider_name: \"default/profile/ram_role_arn\"",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        assert!(!text.contains("ini-secret-never-shown"), "{text}");
        let e = provider_debug(ROLES, "no-arn", &env).unwrap_err();
        assert!(e.ends_with("profile [no-arn]: missing `role_arn`"), "{e}");
    }

    #[test]
    fn oidc_role_arn_profile_reads_its_token_file() {
        let text = provider_debug(ROLES, "oidc", &Environment::empty()).unwrap();
        for expected in [
            "OidcRoleProvider",
            "role_arn: \"acs:ram::1:role/ini-oidc\"",
            "oidc_provider_arn: \"acs:ram::1:oidc-provider/p\"",
            "token_file: \"/var/token\"",
            "endpoint: \"https://sts.aliyuncs.com\"",
            "provider_name: \"default/profile/oidc_role_arn\"",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        let e = provider_debug(
            "[k]\ntype = rsa_key_pair\npublic_key_id = x\n",
            "k",
            &Environment::empty(),
        )
        .unwrap_err();
        assert!(
            e.contains("`rsa_key_pair` (legacy) is not supported"),
            "{e}"
        );
    }
}
