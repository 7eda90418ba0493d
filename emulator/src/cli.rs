//! Command-line options of the `alibabacloud-emulator` binary.

use std::path::PathBuf;

/// What the binary was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print the usage text.
    Help,
    /// Serve.
    Serve(Options),
}

/// Options of `serve`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// `--port` (0: the OS chooses).
    pub port: u16,
    /// `--specs`.
    pub specs: Option<PathBuf>,
    /// `--catalog`.
    pub catalog: Option<PathBuf>,
    /// `--only` (repeatable, or comma-separated).
    pub only: Vec<String>,
    /// `--access-key-id`.
    pub access_key_id: Option<String>,
    /// `--access-key-secret`.
    pub access_key_secret: Option<String>,
    /// `--security-token`.
    pub security_token: Option<String>,
}

/// Secrets are not printed.
impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("port", &self.port)
            .field("specs", &self.specs)
            .field("catalog", &self.catalog)
            .field("only", &self.only)
            .field("access_key_id", &self.access_key_id)
            .field(
                "access_key_secret",
                &self.access_key_secret.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Environment variables read when the matching flag is absent.
pub const ENV_PORT: &str = "ALIBABA_CLOUD_EMULATOR_PORT";
/// See [`ENV_PORT`].
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_EMULATOR_ACCESS_KEY_ID";
/// See [`ENV_PORT`].
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_EMULATOR_ACCESS_KEY_SECRET";
/// See [`ENV_PORT`].
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_EMULATOR_SECURITY_TOKEN";

/// Usage text.
pub const USAGE: &str = "\
alibabacloud-emulator: a local emulator of every operation in the specs (or in Alibaba's catalog)

USAGE:
    cargo run -p alibabacloud-emulator -- [OPTIONS]

OPTIONS:
    --port <PORT>                 port on 127.0.0.1 (default 0: the OS chooses)   [env ALIBABA_CLOUD_EMULATOR_PORT]
    --specs <DIR>                 spec tree to serve (default: the specs/ of the workspace holding the current
                                  directory, unless --catalog is given)   [env ALIBABA_CLOUD_EMULATOR_SPECS]
    --catalog <DIR>               serve Alibaba's catalog (<DIR>/<product>/<version>/api-docs.json, e.g. ../shared/catalog),
                                  imported at start-up; every product version unless --only names some
    --only <PRODUCT/VERSION>      serve only this product version (cs/2015-12-15); repeatable or comma-separated
    --access-key-id <ID>          accepted AccessKey ID (default test-access-key-id)   [env ALIBABA_CLOUD_EMULATOR_ACCESS_KEY_ID]
    --access-key-secret <SECRET>  its secret (default test-access-key-secret)   [env ALIBABA_CLOUD_EMULATOR_ACCESS_KEY_SECRET]
    --security-token <TOKEN>      make the key an STS key requiring this token   [env ALIBABA_CLOUD_EMULATOR_SECURITY_TOKEN]
    -h, --help                    print this text

The first line on stdout is `alibabacloud-emulator listening on http://127.0.0.1:<PORT>`.
Control endpoints: POST /__emulator/fail?action=A&code=C&times=N, POST /__emulator/throttle?times=N,
POST /__emulator/mishap?kind=reset|delay|html|truncated|empty[&ms=M]&times=N,
POST /__emulator/reset, GET /__emulator/calls, GET /__emulator/operations.
";

/// Parses the arguments (without the program name); `env` looks up an environment variable.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut options = Options::default();
    let mut port = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => port = Some(value()?),
            "--specs" => options.specs = Some(PathBuf::from(value()?)),
            "--catalog" => options.catalog = Some(PathBuf::from(value()?)),
            "--only" => {
                let list = value()?;
                let names: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect();
                if let Some(bad) = names.iter().find(|name| name.split('/').count() != 2) {
                    return Err(format!(
                        "--only takes <product>/<version> (e.g. cs/2015-12-15), not `{bad}`"
                    ));
                }
                options.only.extend(names);
            }
            "--access-key-id" => options.access_key_id = Some(value()?),
            "--access-key-secret" => options.access_key_secret = Some(value()?),
            "--security-token" => options.security_token = Some(value()?),
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    let port = port.or_else(|| env(ENV_PORT));
    if let Some(port) = port {
        options.port = port
            .parse()
            .map_err(|_| format!("the port must be a number from 0 to 65535, got `{port}`"))?;
    }
    options.access_key_id = options.access_key_id.or_else(|| env(ENV_ACCESS_KEY_ID));
    options.access_key_secret = options
        .access_key_secret
        .or_else(|| env(ENV_ACCESS_KEY_SECRET));
    options.security_token = options.security_token.or_else(|| env(ENV_SECURITY_TOKEN));
    if options.access_key_id.is_some() != options.access_key_secret.is_some() {
        return Err("--access-key-id and --access-key-secret go together".to_owned());
    }
    if options.security_token.is_some() && options.access_key_id.is_none() {
        return Err("--security-token needs --access-key-id and --access-key-secret".to_owned());
    }
    Ok(Command::Serve(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_and_flags() {
        assert_eq!(
            parse(args(&[]), no_env).unwrap(),
            Command::Serve(Options::default())
        );
        let Command::Serve(options) = parse(
            args(&[
                "--port",
                "8080",
                "--specs=/tmp/s",
                "--access-key-id",
                "AK",
                "--access-key-secret=SK",
                "--security-token",
                "T",
            ]),
            no_env,
        )
        .unwrap() else {
            panic!("expected serve")
        };
        assert_eq!(options.port, 8080);
        assert_eq!(options.specs, Some(PathBuf::from("/tmp/s")));
        assert_eq!(options.access_key_id.as_deref(), Some("AK"));
        assert_eq!(options.access_key_secret.as_deref(), Some("SK"));
        assert_eq!(options.security_token.as_deref(), Some("T"));
        assert!(!format!("{options:?}").contains("SK\""), "{options:?}");
        let Command::Serve(options) = parse(
            args(&[
                "--catalog",
                "../shared/catalog",
                "--only",
                "cs/2015-12-15,fc/2023-03-30",
                "--only=sae/2019-05-06",
            ]),
            no_env,
        )
        .unwrap() else {
            panic!("expected serve")
        };
        assert_eq!(options.catalog, Some(PathBuf::from("../shared/catalog")));
        assert_eq!(
            options.only,
            ["cs/2015-12-15", "fc/2023-03-30", "sae/2019-05-06"]
        );
        assert_eq!(
            parse(args(&["--port", "1", "-h"]), no_env).unwrap(),
            Command::Help
        );
    }

    #[test]
    fn environment_fills_missing_flags() {
        let env = |name: &str| match name {
            ENV_PORT => Some("9000".to_owned()),
            ENV_ACCESS_KEY_ID => Some("EAK".to_owned()),
            ENV_ACCESS_KEY_SECRET => Some("ESK".to_owned()),
            _ => None,
        };
        let Command::Serve(options) = parse(args(&["--port", "1"]), env).unwrap() else {
            panic!("expected serve")
        };
        assert_eq!(options.port, 1);
        assert_eq!(options.access_key_id.as_deref(), Some("EAK"));
    }

    #[test]
    fn mistakes_are_explained() {
        for (list, needle) in [
            (&["--port"][..], "--port needs a value"),
            (&["--port", "70000"][..], "from 0 to 65535"),
            (&["--bogus"][..], "unknown argument `--bogus`"),
            (&["--access-key-id", "AK"][..], "go together"),
            (&["--security-token", "T"][..], "needs --access-key-id"),
            (&["--only", "cs"][..], "<product>/<version>"),
        ] {
            let err = parse(args(list), no_env).unwrap_err();
            assert!(err.contains(needle), "{list:?}: {err}");
        }
    }
}
