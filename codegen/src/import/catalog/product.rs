//! `info` and `endpoints[]` become the product file: code, version, style, crate name and
//! the region → host map with the official SDKs' fallback rule.

use std::collections::BTreeMap;

use super::issues::{Issue, IssueKind, Recorder, child};
use super::raw::{RawEndpoint, RawInfo};
use crate::spec::{ApiStyle, EndpointRule, Endpoints, Field, ProductSpec};

/// The metadata's style name as the spec's.
pub(super) fn style(name: &str) -> Option<ApiStyle> {
    Some(match name {
        "RPC" => ApiStyle::Rpc,
        "ROA" => ApiStyle::Roa,
        "V3" => ApiStyle::V3,
        "FC" => ApiStyle::Fc,
        "OSS" => ApiStyle::Oss,
        "PDS" => ApiStyle::Pds,
        "AliGenie" => ApiStyle::AliGenie,
        _ => return None,
    })
}

/// Crate name of a product version, as Alibaba's own SDKs name theirs
/// (`alibabacloud-adb20211201`): lowercase code, version without dashes, and any character
/// a package name cannot hold (`ssp_1.0`) replaced by `_`.
pub fn crate_name(code: &str, version: &str) -> String {
    let raw = format!(
        "alibabacloud-{}{}",
        code.to_ascii_lowercase(),
        version.replace('-', "")
    );
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The product file. Fails (with the issue to report) when `info` cannot identify the
/// product, since nothing else can then be named.
pub(super) fn product_spec(
    info: &RawInfo,
    endpoints: &[RawEndpoint],
    title: Option<&str>,
    schemas: BTreeMap<String, Field>,
    source: &str,
    recorder: &mut Recorder,
) -> Result<ProductSpec, Issue> {
    let bad_info = |detail: String| Issue {
        kind: IssueKind::BadInfo,
        pointer: "/info".to_owned(),
        detail,
    };
    let metadata_code = info.product.trim();
    let version = info.version.trim();
    if metadata_code.is_empty() || version.is_empty() {
        return Err(bad_info("`product` or `version` is empty".to_owned()));
    }
    let style = style(info.style.trim()).ok_or_else(|| {
        bad_info(format!(
            "style `{}` is not one the spec format knows",
            info.style
        ))
    })?;
    let code = metadata_code.to_ascii_lowercase();
    Ok(ProductSpec {
        schema: None,
        metadata_code: (metadata_code != code).then(|| metadata_code.to_owned()),
        version: version.to_owned(),
        title: title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(metadata_code)
            .to_owned(),
        style,
        crate_name: crate_name(&code, version),
        endpoints: Endpoints {
            rule: EndpointRule::Regional,
            product_id: code.clone(),
            regions: regions(endpoints, recorder),
        },
        code,
        schemas,
        sources: vec![source.to_owned()],
    })
}

/// `endpoints[]` as a sorted map; a region listed twice keeps its first host.
fn regions(endpoints: &[RawEndpoint], recorder: &mut Recorder) -> BTreeMap<String, String> {
    let mut regions = BTreeMap::new();
    for (index, endpoint) in endpoints.iter().enumerate() {
        let pointer = child("/endpoints", &index.to_string());
        let region = endpoint.region_id.trim();
        let host = endpoint.endpoint.trim();
        if region.is_empty() || host.is_empty() {
            recorder.record(
                IssueKind::EmptyEndpoint,
                &pointer,
                "region or host empty; skipped",
            );
            continue;
        }
        match regions.get(region) {
            Some(first) if first != host => recorder.record(
                IssueKind::DuplicateRegion,
                &pointer,
                format!("{region} listed again with {host}; keeping {first}"),
            ),
            Some(_) => {}
            None => {
                regions.insert(region.to_owned(), host.to_owned());
            }
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_the_official_sdks() {
        assert_eq!(crate_name("adb", "2021-12-01"), "alibabacloud-adb20211201");
        assert_eq!(crate_name("Rds", "2014-08-15"), "alibabacloud-rds20140815");
        assert_eq!(
            crate_name("dataworks-public", "2020-05-18"),
            "alibabacloud-dataworks-public20200518"
        );
        assert_eq!(
            crate_name("aligenie", "ssp_1.0"),
            "alibabacloud-aligeniessp_1_0"
        );
    }
}
