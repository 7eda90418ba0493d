//! Transport mishaps: what can go wrong between the service and the client, after the
//! service has done its work. The call is served as usual (verified, validated, faults
//! consumed, logged); the mishap then decides what reaches the client instead of, or
//! after, the answer. That is the case a client cannot tell apart from "never arrived", and
//! the one idempotency tokens exist for: a retried create must not create twice.

use std::fmt;
use std::time::Duration;

/// One transport mishap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mishap {
    /// The connection is closed with no answer at all (the client sees the connection end
    /// before a response).
    Reset,
    /// The normal answer, sent after this delay: past the client's read timeout, a timeout.
    Delay(Duration),
    /// HTTP 502 with a small `text/html` page, as a proxy in front of the service answers;
    /// no `x-acs-request-id` (the proxy has none).
    Html,
    /// The normal answer (status and headers) with its body cut in half: for a valid call,
    /// half of the operation's sample JSON.
    Truncated,
    /// The normal answer (status and headers) with an empty body.
    Empty,
}

/// The kinds accepted by [`Mishap::parse`], for messages.
pub(crate) const KINDS: &str = "reset, delay, html, truncated, empty";

impl Mishap {
    /// Reads the `kind` (and `ms`, for `delay` only) of the HTTP control endpoint.
    pub(crate) fn parse(kind: &str, ms: Option<u64>) -> Result<Mishap, String> {
        let mishap = match kind {
            "reset" => Mishap::Reset,
            "delay" => {
                let Some(ms) = ms else {
                    return Err(
                        "kind=delay needs `ms`, the delay in milliseconds (e.g. &ms=2000)"
                            .to_owned(),
                    );
                };
                return Ok(Mishap::Delay(Duration::from_millis(ms)));
            }
            "html" => Mishap::Html,
            "truncated" => Mishap::Truncated,
            "empty" => Mishap::Empty,
            other => {
                return Err(format!(
                    "unknown mishap kind `{other}`; expected one of {KINDS}"
                ));
            }
        };
        if ms.is_some() {
            return Err(format!(
                "`ms` applies to kind=delay only, not to kind={kind}"
            ));
        }
        Ok(mishap)
    }
}

/// `reset`, `delay 2000 ms`, `html`, `truncated`, `empty`: the names of the HTTP endpoint.
impl fmt::Display for Mishap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mishap::Reset => f.write_str("reset"),
            Mishap::Delay(d) => write!(f, "delay {} ms", d.as_millis()),
            Mishap::Html => f.write_str("html"),
            Mishap::Truncated => f.write_str("truncated"),
            Mishap::Empty => f.write_str("empty"),
        }
    }
}

/// In the call log (JSON), a mishap is its display name.
impl serde::Serialize for Mishap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The page of [`Mishap::Html`], shaped like a reverse proxy's.
pub(crate) const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>alibabacloud-emulator (emulated proxy)</center>\r\n</body>\r\n</html>\r\n";

/// The first half of `body`, cut on a character boundary so the answer stays valid UTF-8
/// (the JSON is broken, not the encoding).
pub(crate) fn first_half(body: &str) -> &str {
    &body[..body.floor_char_boundary(body.len() / 2)]
}

/// [`first_half`] of a body that may not be text (bytes are cut in the middle).
pub(crate) fn first_half_bytes(body: &[u8]) -> &[u8] {
    match std::str::from_utf8(body) {
        Ok(text) => first_half(text).as_bytes(),
        Err(_) => &body[..body.len() / 2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_bad_input_is_explained() {
        assert_eq!(Mishap::parse("reset", None), Ok(Mishap::Reset));
        assert_eq!(
            Mishap::parse("delay", Some(1500)),
            Ok(Mishap::Delay(Duration::from_millis(1500)))
        );
        assert_eq!(Mishap::parse("html", None), Ok(Mishap::Html));
        assert_eq!(Mishap::parse("truncated", None), Ok(Mishap::Truncated));
        assert_eq!(Mishap::parse("empty", None), Ok(Mishap::Empty));

        let unknown = Mishap::parse("Reset", None).unwrap_err();
        assert!(unknown.contains("unknown mishap kind `Reset`"), "{unknown}");
        assert!(unknown.contains(KINDS), "{unknown}");
        let no_ms = Mishap::parse("delay", None).unwrap_err();
        assert!(no_ms.contains("needs `ms`"), "{no_ms}");
        let stray_ms = Mishap::parse("html", Some(5)).unwrap_err();
        assert!(stray_ms.contains("kind=delay only"), "{stray_ms}");
    }

    #[test]
    fn display_names_round_trip_through_parse() {
        for mishap in [
            Mishap::Reset,
            Mishap::Html,
            Mishap::Truncated,
            Mishap::Empty,
        ] {
            assert_eq!(Mishap::parse(&mishap.to_string(), None), Ok(mishap));
        }
        assert_eq!(
            Mishap::Delay(Duration::from_millis(250)).to_string(),
            "delay 250 ms"
        );
        assert_eq!(
            serde_json::to_string(&Mishap::Delay(Duration::from_secs(2))).unwrap(),
            "\"delay 2000 ms\""
        );
    }

    #[test]
    fn the_first_half_is_cut_on_a_character_boundary() {
        assert_eq!(first_half(r#"{"A":"BC"}"#), r#"{"A":"#);
        assert_eq!(first_half(""), "");
        // 4 bytes: 'a' then '中' (3 bytes); half is 2, inside '中', so back to 1.
        assert_eq!(first_half("a中"), "a");
        let json = r#"{"RequestId":"ID","Name":"名前"}"#;
        let half = first_half(json);
        assert!(json.starts_with(half) && half.len() <= json.len() / 2);
        assert!(serde_json::from_str::<serde_json::Value>(half).is_err());
    }
}
