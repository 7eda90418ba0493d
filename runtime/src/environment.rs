//! A snapshot of the process environment (variables and home directory).
//!
//! Providers read this snapshot instead of `std::env`, so tests can describe an environment
//! explicitly and run in parallel without mutating the process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Environment variables and the home directory, as seen by configuration and credential
/// providers.
#[derive(Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl Environment {
    /// An empty environment: no variables, no home directory.
    pub fn empty() -> Self {
        Self::default()
    }

    /// A snapshot of this process: every variable that is valid UTF-8, and the home
    /// directory from `HOME` (or `USERPROFILE` on Windows).
    pub fn from_process() -> Self {
        let vars: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let home = ["HOME", "USERPROFILE"]
            .iter()
            .find_map(|k| vars.get(*k).filter(|v| !v.is_empty()).map(PathBuf::from));
        Environment { vars, home }
    }

    /// Sets a variable (builder style).
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Sets the home directory (builder style).
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// A variable's value, treating an empty value as unset (as the official libraries do).
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `true` when the variable is `true` (case-insensitive).
    pub fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }
}

/// Variable names only: values may be secrets.
impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("home", &self.home)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_count_as_unset_and_debug_hides_values() {
        let env = Environment::empty()
            .with_var("A", "")
            .with_var("B", "TRUE")
            .with_var("SECRET", "s3cr3t-value");
        assert_eq!(env.var("A"), None);
        assert!(env.flag("B"));
        assert!(!env.flag("A"));
        let dbg = format!("{env:?}");
        assert!(dbg.contains("SECRET"));
        assert!(!dbg.contains("s3cr3t-value"));
    }
}
