//! The JSON document both remote sources (metadata service, credentials URI) answer with.

use super::{Credentials, CredentialsError};
use crate::sensitive::Sensitive;
use serde::Deserialize;
use std::time::SystemTime;

#[derive(Deserialize)]
struct RemoteCredentials {
    #[serde(rename = "Code", default)]
    code: Option<String>,
    #[serde(rename = "AccessKeyId", default)]
    access_key_id: Option<String>,
    #[serde(rename = "AccessKeySecret", default)]
    access_key_secret: Option<Sensitive<String>>,
    #[serde(rename = "SecurityToken", default)]
    security_token: Option<Sensitive<String>>,
    #[serde(rename = "Expiration", default)]
    expiration: Option<String>,
}

/// Parses a credentials document. `require_success_code` is set for the metadata service,
/// whose documents carry `"Code": "Success"`. Errors never quote the body: it holds secrets.
pub(crate) fn parse(
    provider: &str,
    body: &[u8],
    require_success_code: bool,
) -> Result<Credentials, CredentialsError> {
    let fail = |reason: String| CredentialsError::Fetch {
        provider: provider.to_owned(),
        reason,
    };
    let doc: RemoteCredentials = serde_json::from_slice(body)
        .map_err(|e| fail(format!("response is not a credentials document: {e}")))?;
    if require_success_code && doc.code.as_deref() != Some("Success") {
        return Err(fail(format!(
            "response Code is {:?}, expected \"Success\"",
            doc.code.unwrap_or_default()
        )));
    }
    let id = doc.access_key_id.filter(|v| !v.is_empty());
    let secret = doc.access_key_secret.filter(|v| !v.expose().is_empty());
    let token = doc.security_token.filter(|v| !v.expose().is_empty());
    let (Some(id), Some(secret), Some(token)) = (id, secret, token) else {
        return Err(fail(
            "response lacks AccessKeyId, AccessKeySecret or SecurityToken".to_owned(),
        ));
    };
    let mut c = Credentials::new(id, secret.into_inner())
        .with_security_token(token.into_inner())
        .with_provider_name(provider);
    if let Some(exp) = doc.expiration.filter(|e| !e.is_empty()) {
        c = c.with_expiry(parse_expiration(&exp).map_err(fail)?);
    }
    Ok(c)
}

/// `yyyy-MM-ddTHH:mm:ssZ` (RFC 3339 in UTC).
pub(crate) fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(SystemTime::from)
        .map_err(|e| format!("Expiration {text:?} is not an RFC 3339 time: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_document_and_its_expiry() {
        let c = parse(
            "ecs_ram_role",
            br#"{"Code":"Success","AccessKeyId":"STS.id","AccessKeySecret":"sk","SecurityToken":"tok","Expiration":"2030-01-02T03:04:05Z","LastUpdated":"x"}"#,
            true,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "STS.id");
        assert_eq!(c.security_token().unwrap().expose(), "tok");
        let exp = c.expires_at().unwrap();
        assert_eq!(
            exp.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            1_893_553_445
        );
    }

    #[test]
    fn failures_never_quote_the_secret() {
        let e = parse(
            "x",
            br#"{"Code":"Failed","AccessKeySecret":"topsecret"}"#,
            true,
        )
        .unwrap_err();
        assert!(e.to_string().contains("Failed"));
        assert!(!e.to_string().contains("topsecret"));
        let e = parse(
            "x",
            br#"{"AccessKeyId":"a","AccessKeySecret":"topsecret"}"#,
            false,
        )
        .unwrap_err();
        assert!(!e.to_string().contains("topsecret"));
        let e = parse("x", b"<html>", false).unwrap_err();
        assert!(e.to_string().contains("not a credentials document"));
    }
}
