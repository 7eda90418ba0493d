//! Step 4 of the chain: the credentials INI file (reference §4.3).
//!
//! Path: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials` (credentials-go),
//! else `~/.alibabacloud/credentials.ini` (credentials-python): the official libraries
//! disagree on the default name, so both are tried. Profile: `ALIBABA_CLOUD_PROFILE`, else
//! `default`.

use super::{Credentials, CredentialsError, Lookup, ProviderAttempt};
use crate::credentials::imds::ImdsProvider;
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
    match read_profile(path, profile) {
        Ok(found) => found,
        Err(e) => Lookup::Skipped(e.into_attempt()),
    }
}

fn read_profile(path: &Path, profile: &str) -> Result<Lookup, CredentialsError> {
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
    let kind = get("type").ok_or_else(|| invalid("missing `type`".to_owned()))?;
    match kind {
        "access_key" => {
            let id = get("access_key_id")
                .ok_or_else(|| invalid("missing `access_key_id`".to_owned()))?;
            let secret = get("access_key_secret")
                .ok_or_else(|| invalid("missing `access_key_secret`".to_owned()))?;
            Ok(Lookup::Found(
                Credentials::new(id, secret).with_provider_name("default/profile/static_ak"),
            ))
        }
        "ecs_ram_role" => Ok(Lookup::Deferred(Arc::new(
            ImdsProvider::new().with_role_name(get("role_name").map(str::to_owned)),
        ))),
        "ram_role_arn" | "oidc_role_arn" | "rsa_key_pair" => Err(invalid(format!(
            "type `{kind}` is not supported by this SDK yet (supported: access_key, ecs_ram_role)"
        ))),
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
}
