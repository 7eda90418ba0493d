//! The credentials chain over explicit environments and temporary home directories: each
//! source, the official order, the error naming every place looked, the network sources
//! over loopback, caching, and secrets never shown.

mod support;

use alibabacloud_runtime::credentials::imds::ImdsProvider;
use alibabacloud_runtime::credentials::{CredentialsFuture, ProvideCredentials};
use alibabacloud_runtime::sensitive::REDACTED;
use alibabacloud_runtime::{Config, ConfigError, Credentials, CredentialsError, Environment};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};
use support::{Reply, TestServer};

/// A temporary directory removed on drop.
struct TempHome(PathBuf);

impl TempHome {
    fn new() -> TempHome {
        let dir = std::env::temp_dir().join(format!(
            "alibabacloud-runtime-test-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempHome(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CLI_CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "cli-default-id", "access_key_secret": "cli-default-secret", "region_id": "cn-beijing"},
    {"name": "work", "mode": "AK", "access_key_id": "cli-work-id", "access_key_secret": "cli-work-secret", "region_id": "cn-shanghai"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token"},
    {"name": "role", "mode": "CloudSSO", "access_key_id": "x", "access_key_secret": "role-secret-never-shown"}
  ],
  "meta_path": ""
}"#;

const INI: &str = "[default]\ntype = access_key\naccess_key_id = ini-default-id\naccess_key_secret = ini-default-secret\n\n[project]\ntype = access_key\naccess_key_id = ini-project-id # inline comment\naccess_key_secret = ini-project-secret\n";

/// No network sources: the IMDS provider is disabled so resolution stays offline.
fn offline(home: &TempHome) -> Environment {
    Environment::empty()
        .with_home(home.path())
        .with_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
}

async fn resolve(env: &Environment) -> Result<Arc<Credentials>, ConfigError> {
    let config = Config::from_environment(env)?;
    Ok(config.resolve_credentials().await?)
}

async fn resolved_id(env: &Environment) -> String {
    resolve(env)
        .await
        .expect("credentials found")
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn environment_variables_come_first() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    home.write(".alibabacloud/credentials", INI);
    let env = offline(&home)
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
        .with_var("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token");
    let c = resolve(&env).await.unwrap();
    assert_eq!(c.access_key_id(), "env-id");
    assert_eq!(c.access_key_secret().expose(), "env-secret");
    assert_eq!(c.security_token().unwrap().expose(), "env-token");
    assert_eq!(c.provider_name(), "default/env");
}

#[tokio::test]
async fn cli_profile_comes_before_the_ini_file() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    home.write(".alibabacloud/credentials", INI);
    // `current` selects the profile...
    assert_eq!(resolved_id(&offline(&home)).await, "cli-work-id");
    // ...unless ALIBABA_CLOUD_PROFILE names another.
    let sts = resolve(&offline(&home).with_var("ALIBABA_CLOUD_PROFILE", "sts"))
        .await
        .unwrap();
    assert_eq!(sts.access_key_id(), "STS.cli");
    assert_eq!(sts.security_token().unwrap().expose(), "cli-sts-token");
    // Disabling the CLI provider falls through to the INI file.
    let env = offline(&home).with_var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    assert_eq!(resolved_id(&env).await, "ini-default-id");
}

#[tokio::test]
async fn cli_config_path_override_and_region() {
    let home = TempHome::new();
    let elsewhere = home.write("custom/cli.json", CLI_CONFIG);
    let env = offline(&home).with_var("ALIBABA_CLOUD_CONFIG_FILE", elsewhere.display().to_string());
    let config = Config::from_environment(&env).unwrap();
    assert_eq!(
        config.region(),
        Some("cn-shanghai"),
        "region from the selected CLI profile"
    );
    assert_eq!(
        config.resolve_credentials().await.unwrap().access_key_id(),
        "cli-work-id"
    );
    let env = env.with_var("ALIBABA_CLOUD_REGION_ID", "eu-central-1");
    assert_eq!(
        Config::from_environment(&env).unwrap().region(),
        Some("eu-central-1")
    );
}

#[tokio::test]
async fn unsupported_cli_mode_is_reported_and_skipped_without_its_secret() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let env = offline(&home).with_var("ALIBABA_CLOUD_PROFILE", "role");
    let err = resolve(&env).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("mode `CloudSSO` is not supported"), "{text}");
    assert!(!text.contains("role-secret-never-shown"), "{text}");
    // With an INI file present the chain moves on to it (profile `role` is missing there
    // too, so name the INI profile explicitly through a second file).
    home.write(
        ".alibabacloud/credentials",
        "[role]\ntype = access_key\naccess_key_id = ini-role-id\naccess_key_secret = s\n",
    );
    assert_eq!(resolved_id(&env).await, "ini-role-id");
}

#[tokio::test]
async fn ini_file_profiles_paths_and_errors() {
    let home = TempHome::new();
    home.write(".alibabacloud/credentials", INI);
    assert_eq!(resolved_id(&offline(&home)).await, "ini-default-id");
    let c = resolve(&offline(&home).with_var("ALIBABA_CLOUD_PROFILE", "project"))
        .await
        .unwrap();
    assert_eq!(
        c.access_key_id(),
        "ini-project-id",
        "inline comment stripped"
    );
    assert_eq!(c.provider_name(), "default/profile/static_ak");

    // The Python library's default name is found too.
    let py = TempHome::new();
    py.write(".alibabacloud/credentials.ini", INI);
    assert_eq!(resolved_id(&offline(&py)).await, "ini-default-id");

    // An explicit path overrides both.
    let other = home.write(
        "elsewhere.ini",
        "[default]\ntype = access_key\naccess_key_id = override-id\naccess_key_secret = s\n",
    );
    let env = offline(&home).with_var(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        other.display().to_string(),
    );
    assert_eq!(resolved_id(&env).await, "override-id");

    // A malformed file is named with its line.
    let bad = home.write(
        "bad.ini",
        "[default]\ntype = access_key\nthis line is wrong\n",
    );
    let env = offline(&home).with_var("ALIBABA_CLOUD_CREDENTIALS_FILE", bad.display().to_string());
    let text = resolve(&env).await.unwrap_err().to_string();
    assert!(
        text.contains(&bad.display().to_string()) && text.contains("line 3"),
        "{text}"
    );
}

#[tokio::test]
async fn nothing_found_names_every_place_looked_in_order() {
    let home = TempHome::new();
    let env = offline(&home).with_var("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/x");
    let err = Config::from_environment(&env).unwrap_err();
    let ConfigError::Credentials(CredentialsError::NotFound { attempts }) = &err else {
        panic!("{err:?}")
    };
    let places: Vec<&str> = attempts.iter().map(|a| a.provider.as_str()).collect();
    assert!(
        places[0].contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{places:?}"
    );
    assert!(places[1].starts_with("OIDC role"), "{places:?}");
    assert!(
        places[2].contains(
            &home
                .path()
                .join(".aliyun/config.json")
                .display()
                .to_string()
        ),
        "{places:?}"
    );
    assert!(
        places[3].contains(
            &home
                .path()
                .join(".alibabacloud/credentials")
                .display()
                .to_string()
        ),
        "{places:?}"
    );
    assert!(places[3].contains("credentials.ini"), "{places:?}");
    assert!(places[4].contains("instance metadata"), "{places:?}");
    assert!(
        places[5].contains("ALIBABA_CLOUD_CREDENTIALS_URI"),
        "{places:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{text}"
    );
    assert!(text.contains("file not found"), "{text}");

    // A fully configured OIDC role is used, and its token file read at call time: here it
    // is missing, and the error names it.
    let env = env
        .with_var(
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        )
        .with_var("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/nonexistent/oidc/token");
    let config = Config::from_environment(&env).unwrap();
    let text = config.resolve_credentials().await.unwrap_err().to_string();
    assert!(
        text.contains("STS AssumeRoleWithOIDC of acs:ram::1:role/x")
            && text.contains("cannot read the OIDC token file /nonexistent/oidc/token"),
        "{text}"
    );
}

fn credentials_doc(id: &str, expiration: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{id}","AccessKeySecret":"remote-secret","SecurityToken":"remote-token","Expiration":"{expiration}","LastUpdated":"2024-01-01T00:00:00Z"}}"#
    )
}

#[tokio::test]
async fn credentials_uri_is_asked_at_call_time() {
    let server = TestServer::start(|r, _| match r.path.as_str() {
        "/creds" => Reply::json(200, &credentials_doc("STS.uri", "2099-01-01T00:00:00Z")),
        _ => Reply::json(404, "{}"),
    })
    .await;
    let home = TempHome::new();
    let env = offline(&home).with_var(
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        format!("{}/creds", server.url()),
    );
    let config = Config::from_environment(&env).unwrap();
    let c = config.resolve_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "STS.uri");
    assert_eq!(c.security_token().unwrap().expose(), "remote-token");
    // Cached: a second resolution does not ask again.
    config.resolve_credentials().await.unwrap();
    assert_eq!(server.requests().len(), 1);

    // A failing URI ends the chain with every place named, and no secret.
    let failing =
        TestServer::start(|_, _| Reply::json(500, r#"{"AccessKeySecret":"leak?"}"#)).await;
    let env = offline(&home).with_var(
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        format!("{}/creds", failing.url()),
    );
    let err = resolve(&env).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("HTTP 500") && text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{text}"
    );
    assert!(!text.contains("leak?"), "{text}");
}

#[tokio::test]
async fn imds_v2_token_role_lookup_and_credentials() {
    let server = TestServer::start(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/latest/api/token")
            if r.header("x-aliyun-ecs-metadata-token-ttl-seconds") == Some("21600") =>
        {
            Reply::Respond(200, vec![], b"imds-token-1".to_vec())
        }
        ("GET", "/latest/meta-data/ram/security-credentials/") => {
            Reply::Respond(200, vec![], b"EcsRole\n".to_vec())
        }
        ("GET", "/latest/meta-data/ram/security-credentials/EcsRole") => {
            Reply::json(200, &credentials_doc("STS.ecs", "2099-01-01T00:00:00Z"))
        }
        _ => Reply::json(404, "{}"),
    })
    .await;
    let provider = ImdsProvider::new().with_endpoint(server.url());
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), "STS.ecs");
    assert!(c.expires_at().is_some());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert!(
        reqs[1..]
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token") == Some("imds-token-1"))
    );
}

#[tokio::test]
async fn imds_falls_back_to_v1_unless_disabled() {
    let server = TestServer::start(|r, _| match r.path.as_str() {
        "/latest/api/token" => Reply::json(403, "{}"),
        "/latest/meta-data/ram/security-credentials/Named" => {
            Reply::json(200, &credentials_doc("STS.v1", "2099-01-01T00:00:00Z"))
        }
        _ => Reply::json(404, "{}"),
    })
    .await;
    let named = || {
        ImdsProvider::new()
            .with_endpoint(server.url())
            .with_role_name(Some("Named".into()))
    };
    let c = named().provide().await.unwrap();
    assert_eq!(c.access_key_id(), "STS.v1");
    assert!(
        server.requests()[1]
            .header("x-aliyun-ecs-metadata-token")
            .is_none()
    );
    let err = named().with_v1_disabled(true).provide().await.unwrap_err();
    assert!(err.to_string().contains("IMDSv2 token: HTTP 403"), "{err}");

    let bad = TestServer::start(|_, _| Reply::json(200, r#"{"Code":"Failed"}"#)).await;
    let err = ImdsProvider::new()
        .with_endpoint(bad.url())
        .with_role_name(Some("R".into()))
        .provide()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"Failed\""), "{err}");
}

/// A provider that counts its calls and hands out credentials valid for `validity`.
#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicUsize>,
    validity: Duration,
}

impl ProvideCredentials for Counting {
    fn name(&self) -> &str {
        "counting"
    }
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            Ok(Credentials::new(format!("id-{n}"), "s")
                .with_security_token("t")
                .with_expiry(SystemTime::now() + self.validity))
        })
    }
}

#[tokio::test]
async fn cached_credentials_refresh_near_expiry() {
    let calls = Arc::new(AtomicUsize::new(0));
    let config = Config::builder()
        .credentials_provider(Counting {
            calls: calls.clone(),
            validity: Duration::from_secs(3600),
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            config.resolve_credentials().await.unwrap().access_key_id(),
            "id-0"
        );
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "long-lived credentials are cached"
    );

    let calls = Arc::new(AtomicUsize::new(0));
    let config = Config::builder()
        .credentials_provider(Counting {
            calls: calls.clone(),
            validity: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    config.resolve_credentials().await.unwrap();
    assert_eq!(
        config.resolve_credentials().await.unwrap().access_key_id(),
        "id-1"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "inside the 180 s margin: refreshed"
    );
}

#[test]
fn debug_and_display_never_show_secrets() {
    let creds =
        Credentials::new("visible-id", "the-secret-value").with_security_token("the-token-value");
    let config = Config::builder()
        .credentials(creds.clone())
        .region("cn-hangzhou")
        .build()
        .unwrap();
    for text in [
        format!("{creds:?}"),
        format!("{config:?}"),
        format!("{:?}", Config::builder().credentials(creds.clone())),
    ] {
        assert!(!text.contains("the-secret-value"), "{text}");
        assert!(!text.contains("the-token-value"), "{text}");
        assert!(text.contains(REDACTED), "{text}");
    }
    let env = Environment::empty().with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the-secret-value");
    assert!(!format!("{env:?}").contains("the-secret-value"));
}

#[test]
fn from_environment_reads_endpoint_and_user_agent() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "a")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "b")
        .with_var("ALIBABA_CLOUD_ENDPOINT", "http://127.0.0.1:9999")
        .with_var("ALIBABA_CLOUD_USER_AGENT", "my-app/2");
    let config = Config::from_environment(&env).unwrap();
    assert_eq!(
        config.endpoint().unwrap().base_url(),
        "http://127.0.0.1:9999"
    );
    assert!(
        config.user_agent().ends_with(" my-app/2"),
        "{}",
        config.user_agent()
    );
    assert_eq!(config.connect_timeout(), Duration::from_secs(5));
    assert_eq!(config.read_timeout(), Duration::from_secs(10));
    let env = env.with_var("ALIBABA_CLOUD_ENDPOINT", "http://example.com");
    assert!(matches!(
        Config::from_environment(&env),
        Err(ConfigError::Endpoint(_))
    ));
}
