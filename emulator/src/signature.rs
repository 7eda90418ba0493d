//! An independent verifier of ACS3-HMAC-SHA256 (signature V3).
//!
//! Written from the protocol reference (`alibaba-cloud-api.md` §1), not from the runtime's
//! signer: the point of the emulator is to catch a signer that is wrong, which a shared
//! implementation could never do. The functions here are pure (strings in, strings out) so
//! that the published vectors can be checked without any HTTP in between; `verify` glues
//! them to what a server receives.
//!
//! Two facts from §1.10 shape the design:
//! * CanonicalHeaders is rebuilt from the `SignedHeaders` list the client sent, because the
//!   official Python core signs every header it sends (`accept`, `user-agent` too);
//! * the query is form-decoded (`+` is a space) and then re-encoded with `PE`, because the
//!   wire uses form encoding while the canonical string uses `%20`.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// The only algorithm V3 defines.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers the emulator insists are signed (the reference's suggested emulator policy).
pub const REQUIRED_SIGNED_HEADERS: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// Everything except the unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped (§1.2).
const PE_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `PE(s)`: UTF-8 bytes percent-encoded with uppercase hex, unreserved characters kept.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, PE_ESCAPED).to_string()
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The `Credential=` value: the AccessKey ID.
    pub access_key_id: String,
    /// The `SignedHeaders=` value exactly as received (it is part of the canonical request).
    pub signed_headers: String,
    /// The `Signature=` value, lowercase hex.
    pub signature: String,
}

impl Authorization {
    /// The signed header names, in the order received.
    pub fn signed_header_names(&self) -> impl Iterator<Item = &str> {
        self.signed_headers.split(';')
    }
}

/// Parses `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`.
///
/// The error says what is wrong in words a client author can act on; it is sent back as
/// the message of an `IncompleteSignature` error.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let Some((algorithm, rest)) = value.trim().split_once(' ') else {
        return Err(format!(
            "the Authorization header must be `{ALGORITHM} Credential=...,SignedHeaders=...,Signature=...`"
        ));
    };
    if algorithm != ALGORITHM {
        return Err(format!(
            "unsupported signature algorithm `{algorithm}`; expected `{ALGORITHM}`"
        ));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let Some((key, val)) = part.trim().split_once('=') else {
            return Err(format!(
                "malformed Authorization component `{}`",
                part.trim()
            ));
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => return Err(format!("unknown Authorization component `{other}`")),
        };
        if slot.replace(val.to_owned()).is_some() {
            return Err(format!("Authorization component `{key}` appears twice"));
        }
    }
    let credential = credential.filter(|c| !c.is_empty());
    let signed_headers = signed_headers.filter(|s| !s.is_empty());
    let signature = signature.filter(|s| !s.is_empty());
    let (Some(access_key_id), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(
            "the Authorization header must carry non-empty Credential, SignedHeaders and Signature"
                .to_owned(),
        );
    };
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("Signature must be 64 hexadecimal characters".to_owned());
    }
    Ok(Authorization {
        access_key_id,
        signed_headers,
        signature,
    })
}

/// `CanonicalQueryString` from already-decoded query pairs: sorted by name (then value) in
/// byte order, each side encoded with `PE`, joined with `&`; an empty value stays `Name=`.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `CanonicalHeaders` for the signed names: each `name:value\n`, sorted by name, where the
/// values of a repeated header are trimmed, sorted and joined with `,` (§1.3, vector 2).
///
/// `headers` holds every header received (any case); a signed name that was not received
/// is an error, since no signature over it can be checked.
pub fn canonical_headers<'a>(
    signed_names: impl IntoIterator<Item = &'a str>,
    headers: &[(String, String)],
) -> Result<String, String> {
    let mut names: Vec<String> = signed_names
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect();
    names.sort();
    names.dedup();
    let mut out = String::new();
    for name in names {
        let mut values: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
            .map(|(_, v)| v.trim())
            .collect();
        if values.is_empty() {
            return Err(format!(
                "the signed header `{name}` is not present in the request"
            ));
        }
        values.sort_unstable();
        out.push_str(&name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// The inputs of a canonical request, already extracted from what was received.
#[derive(Debug, Clone)]
pub struct CanonicalInput<'a> {
    /// HTTP method as received (uppercased here).
    pub method: &'a str,
    /// The request path; empty means `/`.
    pub path: &'a str,
    /// Decoded query pairs.
    pub query: &'a [(String, String)],
    /// Every header received, any case.
    pub headers: &'a [(String, String)],
    /// The `SignedHeaders` value exactly as received.
    pub signed_headers: &'a str,
    /// `hex(sha256(body))`.
    pub payload_hash: &'a str,
}

/// The canonical request of §1.3 (note the empty line after the last header entry).
pub fn canonical_request(input: &CanonicalInput<'_>) -> Result<String, String> {
    let path = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    let headers = canonical_headers(input.signed_headers.split(';'), input.headers)?;
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        path,
        canonical_query(input.query),
        headers,
        input.signed_headers,
        input.payload_hash
    ))
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

fn mac(secret: &str, string_to_sign: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    mac
}

/// Lowercase hex HMAC-SHA256 of the string to sign, keyed by the raw secret.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    hex::encode(mac(secret, string_to_sign).finalize().into_bytes())
}

/// Whether `claimed` (hex) is the signature of `string_to_sign` under `secret`, compared in
/// constant time.
pub fn signature_matches(secret: &str, string_to_sign: &str, claimed: &str) -> bool {
    match hex::decode(claimed) {
        Ok(bytes) => mac(secret, string_to_sign).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

/// Headers of the emulator's policy that the client left out of `SignedHeaders`.
///
/// `x-acs-security-token` must be signed when it is sent, and `content-type` when there is
/// a body, since leaving them unsigned would let a proxy change them unnoticed.
pub fn unsigned_required_headers(
    auth: &Authorization,
    has_security_token: bool,
    has_body: bool,
) -> Vec<&'static str> {
    let signed: Vec<String> = auth
        .signed_header_names()
        .map(str::to_ascii_lowercase)
        .collect();
    let is_signed = |name: &str| signed.iter().any(|s| s == name);
    let mut missing: Vec<&'static str> = REQUIRED_SIGNED_HEADERS
        .into_iter()
        .filter(|name| !is_signed(name))
        .collect();
    if has_security_token && !is_signed("x-acs-security-token") {
        missing.push("x-acs-security-token");
    }
    if has_body && !is_signed("content-type") {
        missing.push("content-type");
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn vector1_headers(date: &str, nonce: &str) -> Vec<(String, String)> {
        pairs(&[
            ("Host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", EMPTY_HASH),
            ("x-acs-date", date),
            ("x-acs-signature-nonce", nonce),
            ("x-acs-version", "2014-05-26"),
            // Sent but not signed by Go/TS/the page: must not enter the canonical request.
            ("accept", "application/json"),
        ])
    }

    const VECTOR1_SIGNED: &str =
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

    #[test]
    fn vector_1_fixed_parameter_values() {
        let query = pairs(&[
            ("RegionId", "cn-shanghai"),
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
        ]);
        let headers = vector1_headers("2023-10-26T10:22:32Z", "3156853299f313e23d1673dc12e1703d");
        let canonical = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            signed_headers: VECTOR1_SIGNED,
            payload_hash: &sha256_hex(b""),
        })
        .unwrap();
        let expected = "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(canonical, expected);
        let sts = string_to_sign(&canonical);
        assert_eq!(
            sts,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        let sig = signature("YourAccessKeySecret", &sts);
        assert_eq!(
            sig,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert!(signature_matches("YourAccessKeySecret", &sts, &sig));
        assert!(!signature_matches("WrongSecret", &sts, &sig));

        let auth = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        )
        .unwrap();
        assert_eq!(auth.access_key_id, "YourAccessKeyId");
        assert_eq!(auth.signed_headers, VECTOR1_SIGNED);
        assert_eq!(auth.signature, sig);
        assert!(unsigned_required_headers(&auth, false, false).is_empty());
    }

    #[test]
    fn vector_1b_other_date_and_nonce() {
        let query = pairs(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let headers = vector1_headers("2023-10-26T09:01:01Z", "d410180a5abf7fe235dd9b74aca91fc0");
        let canonical = canonical_request(&CanonicalInput {
            method: "post",
            path: "/",
            query: &query,
            headers: &headers,
            signed_headers: VECTOR1_SIGNED,
            payload_hash: EMPTY_HASH,
        })
        .unwrap();
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015"
        );
        assert_eq!(
            signature("YourAccessKeySecret", &string_to_sign(&canonical)),
            "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
        );
    }

    #[test]
    fn vector_2_empty_method_empty_value_and_repeated_header() {
        let query = pairs(&[("test", "ok"), ("empty", "")]);
        let headers = pairs(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]);
        let canonical = canonical_request(&CanonicalInput {
            method: "",
            path: "",
            query: &query,
            headers: &headers,
            signed_headers: "x-acs-test",
            payload_hash: "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
        })
        .unwrap();
        assert_eq!(
            canonical,
            "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
        );
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "de5b11a1e2e756c1d859871395fe0b6d47f2564e88a5477eb586c03c6fc105ff"
        );
        assert_eq!(
            signature("secret", &string_to_sign(&canonical)),
            "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
        );
    }

    #[test]
    fn vector_3_form_body_and_sts() {
        let body = "ApsJobName=orders+sync%2A~&DbList=%7B%22EntireInstance%22%3Atrue%7D&DestinationEndpointInstanceID=amv-xxxxx&RegionId=cn-shanghai&SourceEndpointInstanceID=pc-xxxxx";
        let hash = sha256_hex(body.as_bytes());
        assert_eq!(
            hash,
            "dc7a8c962790c92088e12d5add867df2a996457c4c22d63df993966f7ab5444d"
        );
        let headers = pairs(&[
            ("host", "adb.aliyuncs.com"),
            ("x-acs-action", "CreateAPSJob"),
            ("x-acs-version", "2021-12-01"),
            ("x-acs-date", "2025-01-02T03:04:05Z"),
            ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-acs-security-token", "STS.testtoken"),
            ("x-acs-accesskey-id", "STS.testid"),
            ("x-acs-content-sha256", &hash),
        ]);
        let signed = "content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version";
        let canonical = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &[],
            headers: &headers,
            signed_headers: signed,
            payload_hash: &hash,
        })
        .unwrap();
        assert!(canonical.starts_with("POST\n/\n\ncontent-type:"));
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "9d6838e1ecab75964433775171607c51764d1af1f3c68a179fa90133f405fbc5"
        );
        assert_eq!(
            signature("testsecret", &string_to_sign(&canonical)),
            "0338c480f0a8d7e092ced203efa2ec49dcec477caecd12c5cf1fb14e2782af9b"
        );
        let auth = Authorization {
            access_key_id: "STS.testid".into(),
            signed_headers: signed.into(),
            signature: "0".repeat(64),
        };
        assert!(unsigned_required_headers(&auth, true, true).is_empty());
    }

    #[test]
    fn vector_4_query_encoding_edge_cases() {
        // As a server receives them: form-decoded from the wire.
        let query = pairs(&[
            ("TaskName", "a b+c/d~e*f中"),
            ("SourcePort", "5432"),
            ("DryRun", "true"),
            ("DBInstanceId", "pgm-bp1trqb4p1xd****"),
        ]);
        assert_eq!(
            canonical_query(&query),
            "DBInstanceId=pgm-bp1trqb4p1xd%2A%2A%2A%2A&DryRun=true&SourcePort=5432&TaskName=a%20b%2Bc%2Fd~e%2Af%E4%B8%AD"
        );
        let headers = pairs(&[
            ("host", "rds.aliyuncs.com"),
            ("x-acs-action", "CreateReplicationLink"),
            ("x-acs-version", "2014-08-15"),
            ("x-acs-date", "2025-01-02T03:04:05Z"),
            ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
            ("x-acs-content-sha256", EMPTY_HASH),
        ]);
        let canonical = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            signed_headers: VECTOR1_SIGNED,
            payload_hash: EMPTY_HASH,
        })
        .unwrap();
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "0da65ee2fd784d615456789620836eca58aa639e92bc19092b0c10af06e56605"
        );
        assert_eq!(
            signature("testsecret", &string_to_sign(&canonical)),
            "bc48811e5a11d4a370cf61ecfed4e80980e2b3b85e875ef2b2225cf1cbd4ff25"
        );
    }

    #[test]
    fn python_style_signing_of_every_header_verifies() {
        // The Python core signs accept and user-agent too; the verifier must follow the
        // received list rather than a fixed set.
        let headers = pairs(&[
            ("host", "rds.aliyuncs.com"),
            ("accept", "application/json"),
            ("user-agent", "AlibabaCloud (Linux; x86_64) Python/3.11.4"),
            ("x-acs-action", "CreateReplicationLink"),
        ]);
        let canonical = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &[],
            headers: &headers,
            signed_headers: "accept;host;user-agent;x-acs-action",
            payload_hash: EMPTY_HASH,
        })
        .unwrap();
        assert!(canonical.contains("\naccept:application/json\nhost:rds.aliyuncs.com\nuser-agent:AlibabaCloud (Linux; x86_64) Python/3.11.4\nx-acs-action:CreateReplicationLink\n\naccept;host;user-agent;x-acs-action\n"));
    }

    #[test]
    fn signed_header_that_was_not_sent_is_reported() {
        let err = canonical_headers(["host", "x-acs-date"], &pairs(&[("host", "h")])).unwrap_err();
        assert!(err.contains("x-acs-date"), "{err}");
    }

    #[test]
    fn policy_names_each_unsigned_header() {
        let auth = parse_authorization(&format!(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-action,Signature={}",
            "a".repeat(64)
        ))
        .unwrap();
        assert_eq!(
            unsigned_required_headers(&auth, true, true),
            [
                "x-acs-version",
                "x-acs-date",
                "x-acs-signature-nonce",
                "x-acs-content-sha256",
                "x-acs-security-token",
                "content-type"
            ]
        );
    }

    #[test]
    fn malformed_authorization_headers_are_rejected_with_a_reason() {
        let sig = "b".repeat(64);
        let cases = [
            ("", "must be"),
            ("ACS3-HMAC-SHA256", "must be"),
            (
                "ACS3-HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=x",
                "unsupported signature algorithm",
            ),
            (
                "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host",
                "non-empty",
            ),
            (
                "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=x",
                "non-empty",
            ),
            (
                "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=xyz",
                "64 hexadecimal",
            ),
            (
                "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=x",
                "twice",
            ),
            (
                "ACS3-HMAC-SHA256 Credential=a,Foo=b",
                "unknown Authorization component",
            ),
            (
                "ACS3-HMAC-SHA256 Credential",
                "malformed Authorization component",
            ),
        ];
        for (header, reason) in cases {
            let err = parse_authorization(header).unwrap_err();
            assert!(err.contains(reason), "{header:?}: {err}");
        }
        // Spaces after the commas are tolerated.
        let ok = parse_authorization(&format!(
            "ACS3-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature={sig}"
        ))
        .unwrap();
        assert_eq!(ok.signed_headers, "host");
    }

    #[test]
    fn percent_encoding_follows_section_1_2() {
        assert_eq!(
            percent_encode("a b*+/=&!'()~中-_."),
            "a%20b%2A%2B%2F%3D%26%21%27%28%29~%E4%B8%AD-_."
        );
    }
}
