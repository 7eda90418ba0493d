//! Path templates of the non-RPC styles (ROA, FC, path-bearing V3, AliGenie): matching a
//! request's path, exactly as it arrived, against `/clusters/{ClusterId}/nodepools`.
//!
//! The path is split at `/` **before** anything is decoded, so a `/` inside a value (sent
//! as `%2F`, styles reference §1.3) stays inside its segment; each segment is then
//! percent-decoded and matched against the template's segment, whose literal characters
//! are compared decoded too (ververica's `{id}:apply` matches `<id>%3Aapply` and
//! `<id>:apply`). A `?k=v` tail of a template is query, not path (§1.3); a `*` segment
//! (cloudcontrol) takes the rest of the path; `[Name]` is read as `{Name}` (the airec
//! defect of §1.3).

use percent_encoding::percent_decode_str;

/// One piece of a template segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param(String),
}

/// One `/`-separated segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Parts(Vec<Part>),
    /// `*`: the rest of the path, whatever its segments.
    Rest,
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The path part of the template, as the spec writes it (for messages).
    pub path: String,
    segments: Vec<Segment>,
    /// The `?…` tail: query pairs every request of the operation carries (`type=log`; a
    /// bare key has an empty value).
    pub query: Vec<(String, String)>,
    /// Literal characters of the path, so that the most specific of several matching
    /// templates can win (`/clusters/tags` over `/clusters/{ClusterId}`).
    specificity: usize,
}

impl PathTemplate {
    /// Parses `template` (`/clusters/{ClusterId}`, maybe with a `?…` tail).
    pub fn parse(template: &str) -> PathTemplate {
        let (path, tail) = match template.split_once('?') {
            Some((path, tail)) => (path, Some(tail)),
            None => (template, None),
        };
        let query = tail
            .map(|tail| {
                tail.split('&')
                    .filter(|item| !item.is_empty())
                    .map(|item| match item.split_once('=') {
                        Some((k, v)) => (k.to_owned(), v.to_owned()),
                        None => (item.to_owned(), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let segments: Vec<Segment> = path.split('/').map(parse_segment).collect();
        let specificity = segments
            .iter()
            .map(|segment| match segment {
                Segment::Rest => 0,
                Segment::Parts(parts) => parts
                    .iter()
                    .map(|part| match part {
                        Part::Literal(text) => text.len() + 1,
                        Part::Param(_) => 1,
                    })
                    .sum(),
            })
            .sum();
        PathTemplate {
            path: path.to_owned(),
            segments,
            query,
            specificity,
        }
    }

    /// How specific the template is (more literal text: more specific).
    pub fn specificity(&self) -> usize {
        self.specificity
    }

    /// Matches the raw path of a request (`/clusters/c-1%2Fx`, never decoded before). On a
    /// match, the path parameters with their decoded values, in template order.
    pub fn matches(&self, raw_path: &str) -> Option<Vec<(String, String)>> {
        let raw: Vec<&str> = raw_path.split('/').collect();
        let mut params = Vec::new();
        for (index, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Rest => {
                    // The whole rest of the path is the value (cloudcontrol's requestPath).
                    let rest = raw.get(index..)?.join("/");
                    params.push(("*".to_owned(), decode(&rest)));
                    return Some(params);
                }
                Segment::Parts(parts) => {
                    let value = decode(raw.get(index)?);
                    if !match_parts(parts, &value, &mut params) {
                        return None;
                    }
                }
            }
        }
        (raw.len() == self.segments.len()).then_some(params)
    }
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

fn parse_segment(text: &str) -> Segment {
    if text == "*" {
        return Segment::Rest;
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let close = match c {
            '{' => '}',
            '[' => ']',
            _ => {
                literal.push(c);
                continue;
            }
        };
        match text[start + 1..].find(close) {
            Some(len) if len > 0 => {
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Param(text[start + 1..start + 1 + len].to_owned()));
                while chars.peek().is_some_and(|(i, _)| *i <= start + 1 + len) {
                    chars.next();
                }
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Segment::Parts(parts)
}

/// Matches one decoded segment; a parameter takes everything up to the next literal part
/// (the shortest such prefix first, trying longer ones if the rest does not match).
fn match_parts(parts: &[Part], value: &str, params: &mut Vec<(String, String)>) -> bool {
    match parts.split_first() {
        None => value.is_empty(),
        Some((Part::Literal(text), rest)) => value
            .strip_prefix(text.as_str())
            .is_some_and(|tail| match_parts(rest, tail, params)),
        Some((Part::Param(name), rest)) => {
            let Some(Part::Literal(next)) = rest.first() else {
                // Last part (or two parameters in a row: the first takes nothing).
                let (taken, tail) = if rest.is_empty() {
                    (value, "")
                } else {
                    ("", value)
                };
                params.push((name.clone(), taken.to_owned()));
                if match_parts(rest, tail, params) {
                    return true;
                }
                params.pop();
                return false;
            };
            for (at, _) in value.match_indices(next.as_str()) {
                params.push((name.clone(), value[..at].to_owned()));
                if match_parts(rest, &value[at..], params) {
                    return true;
                }
                params.pop();
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn values_are_decoded_after_splitting_so_slashes_stay_inside() {
        let t = PathTemplate::parse("/clusters/{ClusterId}");
        assert_eq!(
            t.matches("/clusters/c-a%20b%2Fc%3Ad%2Be~f%E4%B8%AD"),
            Some(params(&[("ClusterId", "c-a b/c:d+e~f中")]))
        );
        assert_eq!(
            t.matches("/clusters/c82e%2A%2A"),
            Some(params(&[("ClusterId", "c82e**")]))
        );
        assert_eq!(t.matches("/clusters/a/b"), None);
        assert_eq!(t.matches("/clusters"), None);
        assert_eq!(t.matches("/clusters/"), Some(params(&[("ClusterId", "")])));
        assert_eq!(t.matches("/cluster/x"), None);
    }

    #[test]
    fn literals_around_parameters_and_query_tails() {
        let t = PathTemplate::parse("/api/v2/namespaces/{namespace}/jobs/{jobId}:stop");
        assert_eq!(
            t.matches("/api/v2/namespaces/ns/jobs/j%3A1%3Astop"),
            Some(params(&[("namespace", "ns"), ("jobId", "j:1")]))
        );
        assert_eq!(t.matches("/api/v2/namespaces/ns/jobs/j1:start"), None);
        let t = PathTemplate::parse("/logstores/{logstore}?type=log&x");
        assert_eq!(
            t.query,
            params(&[("type", "log"), ("x", "")]),
            "the tail is query"
        );
        assert_eq!(t.path, "/logstores/{logstore}");
        assert!(t.matches("/logstores/a").is_some());
        let t = PathTemplate::parse("/v2/openapi/instances/[instanceId]/offlineStorages");
        assert_eq!(
            t.matches("/v2/openapi/instances/i-1/offlineStorages"),
            Some(params(&[("instanceId", "i-1")]))
        );
    }

    #[test]
    fn a_star_takes_the_rest_and_specificity_prefers_literals() {
        let t = PathTemplate::parse("/api/v1/providers/{provider}/resources/*");
        assert_eq!(
            t.matches("/api/v1/providers/Aliyun/resources/ECS/i-1"),
            Some(params(&[("provider", "Aliyun"), ("*", "ECS/i-1")]))
        );
        let tags = PathTemplate::parse("/clusters/tags");
        let detail = PathTemplate::parse("/clusters/{ClusterId}");
        assert!(tags.specificity() > detail.specificity());
    }
}
