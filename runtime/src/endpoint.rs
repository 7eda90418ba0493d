//! Choosing the host for a call (reference §5.1): explicit override, then the product's
//! region map, then the product's fallback rule.

use crate::meta::{EndpointRule, ServiceMeta};

/// Where a call goes: scheme, host (with port when not the default) and base path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `https` or `http` (loopback only).
    pub scheme: &'static str,
    /// Host as signed in the `host` header: includes `:port` for a non-default port.
    pub host: String,
    /// `scheme://host/`, parsed once so that each call only sets its path and query.
    url: reqwest::Url,
}

impl Endpoint {
    fn new(scheme: &'static str, host: String) -> Result<Endpoint, EndpointError> {
        let url = reqwest::Url::parse(&format!("{scheme}://{host}/")).map_err(|_| {
            EndpointError::InvalidUrl {
                url: format!("{scheme}://{host}"),
                reason: "not a valid host[:port]",
            }
        })?;
        Ok(Endpoint { scheme, host, url })
    }

    /// `scheme://host`.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    /// `scheme://host/` as a parsed URL.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }
}

/// No endpoint could be chosen, or the override is unusable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The region is needed by the product's regional rule but was not configured.
    #[error(
        "RegionId is empty, please set a valid RegionId (product `{product}` resolves hosts by region; set Config::builder().region(..) or ALIBABA_CLOUD_REGION_ID, or an endpoint_url)"
    )]
    EmptyRegion {
        /// The product code.
        product: &'static str,
    },
    /// The `endpoint_url` override cannot be used.
    #[error("invalid endpoint_url {url:?}: {reason}")]
    InvalidUrl {
        /// The override as given.
        url: String,
        /// Why.
        reason: &'static str,
    },
}

/// Resolves the host for `service` in `region`, without an override.
pub fn resolve(service: &ServiceMeta, region: Option<&str>) -> Result<Endpoint, EndpointError> {
    let region = region.unwrap_or("");
    if let Ok(i) = service
        .endpoints
        .binary_search_by(|(r, _)| (*r).cmp(region))
    {
        return Endpoint::new("https", service.endpoints[i].1.to_owned());
    }
    // The maps are short; a linear scan guards against a map the generator failed to sort.
    if let Some((_, host)) = service.endpoints.iter().find(|(r, _)| *r == region) {
        return Endpoint::new("https", (*host).to_owned());
    }
    let product = service.endpoint_product_id.to_ascii_lowercase();
    let host = match service.endpoint_rule {
        EndpointRule::Regional if region.is_empty() => {
            return Err(EndpointError::EmptyRegion {
                product: service.product,
            });
        }
        EndpointRule::Regional => format!("{product}.{region}.aliyuncs.com"),
        EndpointRule::Central => format!("{product}.aliyuncs.com"),
    };
    Endpoint::new("https", host)
}

/// Parses an `endpoint_url` override: `https://host[:port]`, a bare host (HTTPS), or
/// `http://` to a loopback address (tests, local emulators). Plain HTTP elsewhere is refused:
/// it would send signed requests and security tokens in clear text.
pub fn parse_override(url: &str) -> Result<Endpoint, EndpointError> {
    let invalid = |reason| EndpointError::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    let trimmed = url.trim();
    let (scheme, rest) = if let Some(rest) = trimmed.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = trimmed.strip_prefix("http://") {
        ("http", rest)
    } else if trimmed.contains("://") {
        return Err(invalid(
            "scheme must be https (or http to a loopback address)",
        ));
    } else {
        ("https", trimmed)
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(invalid("no host"));
    }
    if authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(invalid(
            "expected scheme://host[:port] with no path, query or user info",
        ));
    }
    let parsed = reqwest::Url::parse(&format!("{scheme}://{authority}/"))
        .map_err(|_| invalid("not a valid host[:port]"))?;
    if scheme == "http" {
        let host = parsed.host_str().unwrap_or("");
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Err(invalid(
                "plain http is only allowed to loopback (127.0.0.1, ::1, localhost)",
            ));
        }
    }
    // `Url` drops a port equal to the scheme's default; that is what the host header carries.
    let host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return Err(invalid("no host")),
    };
    Endpoint::new(scheme, host)
}

#[cfg(test)]
mod tests {
    use super::*;

    static RDS: ServiceMeta = ServiceMeta {
        product: "rds",
        version: "2014-08-15",
        endpoint_rule: EndpointRule::Regional,
        endpoint_product_id: "rds",
        endpoints: &[
            ("ap-southeast-1", "rds.ap-southeast-1.aliyuncs.com"),
            ("cn-hangzhou", "rds.aliyuncs.com"),
        ],
    };

    #[test]
    fn map_hit_wins() {
        assert_eq!(
            resolve(&RDS, Some("cn-hangzhou")).unwrap().host,
            "rds.aliyuncs.com"
        );
        assert_eq!(
            resolve(&RDS, Some("ap-southeast-1")).unwrap().base_url(),
            "https://rds.ap-southeast-1.aliyuncs.com"
        );
    }

    #[test]
    fn regional_fallback_uses_lowercased_product_id() {
        let dw = ServiceMeta {
            product: "dataworks-public",
            endpoint_product_id: "Dataworks-Public",
            endpoints: &[],
            ..RDS
        };
        assert_eq!(
            resolve(&dw, Some("me-central-1")).unwrap().host,
            "dataworks-public.me-central-1.aliyuncs.com"
        );
    }

    #[test]
    fn central_fallback_ignores_region() {
        let central = ServiceMeta {
            endpoint_rule: EndpointRule::Central,
            ..RDS
        };
        assert_eq!(
            resolve(&central, Some("xx-nowhere-9")).unwrap().host,
            "rds.aliyuncs.com"
        );
        assert_eq!(resolve(&central, None).unwrap().host, "rds.aliyuncs.com");
    }

    #[test]
    fn empty_region_is_an_error_for_regional_rule() {
        let e = resolve(&RDS, None).unwrap_err();
        assert_eq!(e, EndpointError::EmptyRegion { product: "rds" });
        assert!(e.to_string().contains("RegionId is empty"));
        assert!(resolve(&RDS, Some("")).is_err());
    }

    #[test]
    fn override_forms() {
        let e = parse_override("http://127.0.0.1:8080").unwrap();
        assert_eq!((e.scheme, e.host.as_str()), ("http", "127.0.0.1:8080"));
        assert_eq!(
            parse_override("http://localhost:9/").unwrap().host,
            "localhost:9"
        );
        assert_eq!(parse_override("http://[::1]:80").unwrap().host, "[::1]");
        assert_eq!(
            parse_override("rds.example.com").unwrap().base_url(),
            "https://rds.example.com"
        );
        assert_eq!(
            parse_override("https://h.example:443").unwrap().host,
            "h.example"
        );
        assert_eq!(
            parse_override("https://h.example:8443").unwrap().host,
            "h.example:8443"
        );
    }

    #[test]
    fn override_rejections() {
        for bad in [
            "http://example.com",
            "http://10.0.0.1:80",
            "ftp://x",
            "",
            "https://",
            "https://h/path",
            "https://u:p@h",
        ] {
            assert!(parse_override(bad).is_err(), "{bad} should be rejected");
        }
    }
}
