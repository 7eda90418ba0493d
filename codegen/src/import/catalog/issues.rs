//! What the importer could not carry over faithfully, named by kind and by JSON pointer.
//!
//! The metadata is imported leniently: a malformed value never stops a product. Each place
//! where something was repaired, skipped or approximated becomes an [`Issue`], so that the
//! run can print a count by kind and a maintainer can find every case.

use std::fmt;

/// Kind of an import issue. The names are stable (they appear in reports and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueKind {
    /// The file is not valid JSON or its structure is broken; the product is skipped.
    UnreadableDocument,
    /// `info.product`, `info.version` or `info.style` is missing or unknown.
    BadInfo,
    /// A schema `type` the importer does not know; imported as `any`.
    UnknownType,
    /// A schema with neither `type` nor `$ref`; imported as `any`.
    MissingType,
    /// A `format` that does not fit its type; the type is kept, the format recorded.
    UnknownFormat,
    /// A parameter `style` the format cannot say; the parameter is kept without it.
    UnknownStyle,
    /// A parameter location (`in`) the format cannot say; the parameter is skipped.
    UnknownLocation,
    /// An HTTP method the format cannot say (`options`); the method is skipped.
    UnknownMethod,
    /// An operation that lists no usable method; `post` is assumed.
    NoMethods,
    /// A `$ref` that names no schema of the product; imported as `any`.
    UnresolvedRef,
    /// `ref` written without its dollar; read as `$ref`.
    BareRef,
    /// An `array` without `items`; the items are imported as `any`.
    MissingItems,
    /// A parameter listed twice; the first is kept.
    DuplicateParameter,
    /// An operation or named schema defined twice; the first is kept.
    DuplicateDefinition,
    /// A parameter or property whose name is empty or has no ASCII letter or digit, so it
    /// cannot become a Rust identifier (`_`); skipped.
    UnusableName,
    /// A value of the wrong JSON type (a non-boolean `required`, a non-numeric bound).
    MalformedValue,
    /// `responseDemo` is not the JSON list it should be; no samples imported.
    MalformedResponseDemo,
    /// A sample whose `type` is neither `json` nor `xml`; skipped.
    UnknownSampleType,
    /// A sample labelled `json` whose body does not parse; skipped as a fixture.
    InvalidJsonSample,
    /// An error table keyed by something that is not an HTTP status (100..=599); rows
    /// skipped.
    MalformedErrorStatus,
    /// An error row without a code; skipped.
    MissingErrorCode,
    /// An operation without summary or title; the description or action stands in.
    MissingSummary,
    /// A region listed twice with different hosts; the first is kept.
    DuplicateRegion,
    /// A region with an empty host; skipped.
    EmptyEndpoint,
    /// A schema key the importer neither understands nor knows to be irrelevant.
    UnknownSchemaKey,
    /// No 2xx response schema; the response is an empty object.
    NoResponseSchema,
    /// The response root is a scalar other than a string (a number, a boolean), which no
    /// official SDK reads as a body. Kept as the metadata says; the loader refuses it.
    NonObjectResponse,
    /// A response part the format cannot say (non-2xx schemas, response headers).
    UnrepresentedResponse,
    /// An integer response field whose own sample holds a larger number (widened to
    /// `long`) or a fraction (widened to `double`), so the sample and the service decode.
    SampleWidenedType,
    /// A polling callback into another product or version; kept verbatim.
    ForeignCallback,
    /// A path template that writes a placeholder as `[name]` instead of `{name}` (airec);
    /// repaired to `{name}` when `name` is a path parameter.
    BracketPlaceholder,
    /// An `in: path` parameter the path template does not contain, so no SDK can send it;
    /// skipped.
    PathParameterNotInTemplate,
}

impl IssueKind {
    /// Stable kebab-case name, as printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            IssueKind::UnreadableDocument => "unreadable-document",
            IssueKind::BadInfo => "bad-info",
            IssueKind::UnknownType => "unknown-type",
            IssueKind::MissingType => "missing-type",
            IssueKind::UnknownFormat => "unknown-format",
            IssueKind::UnknownStyle => "unknown-style",
            IssueKind::UnknownLocation => "unknown-location",
            IssueKind::UnknownMethod => "unknown-method",
            IssueKind::NoMethods => "no-methods",
            IssueKind::UnresolvedRef => "unresolved-ref",
            IssueKind::BareRef => "bare-ref",
            IssueKind::MissingItems => "missing-items",
            IssueKind::DuplicateParameter => "duplicate-parameter",
            IssueKind::DuplicateDefinition => "duplicate-definition",
            IssueKind::UnusableName => "unusable-name",
            IssueKind::MalformedValue => "malformed-value",
            IssueKind::MalformedResponseDemo => "malformed-response-demo",
            IssueKind::UnknownSampleType => "unknown-sample-type",
            IssueKind::InvalidJsonSample => "invalid-json-sample",
            IssueKind::MalformedErrorStatus => "malformed-error-status",
            IssueKind::MissingErrorCode => "missing-error-code",
            IssueKind::MissingSummary => "missing-summary",
            IssueKind::DuplicateRegion => "duplicate-region",
            IssueKind::EmptyEndpoint => "empty-endpoint",
            IssueKind::UnknownSchemaKey => "unknown-schema-key",
            IssueKind::NoResponseSchema => "no-response-schema",
            IssueKind::NonObjectResponse => "non-object-response",
            IssueKind::UnrepresentedResponse => "unrepresented-response",
            IssueKind::SampleWidenedType => "sample-widened-type",
            IssueKind::ForeignCallback => "foreign-callback",
            IssueKind::BracketPlaceholder => "bracket-placeholder",
            IssueKind::PathParameterNotInTemplate => "path-parameter-not-in-template",
        }
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing the importer repaired, skipped or approximated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Issue {
    /// What kind of thing.
    pub kind: IssueKind,
    /// JSON pointer into the `api-docs.json` (RFC 6901), e.g. `/apis/CreateX/parameters/2`.
    pub pointer: String,
    /// What was found and what the importer did.
    pub detail: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.kind, self.pointer, self.detail)
    }
}

/// Collects issues while walking one document, with the current JSON pointer.
#[derive(Debug, Default)]
pub(super) struct Recorder {
    pub(super) issues: Vec<Issue>,
}

impl Recorder {
    pub(super) fn record(&mut self, kind: IssueKind, pointer: &str, detail: impl Into<String>) {
        self.issues.push(Issue {
            kind,
            pointer: pointer.to_owned(),
            detail: detail.into(),
        });
    }
}

/// Appends one reference token to a JSON pointer, escaped per RFC 6901.
pub(super) fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("/apis", "a/b~c"), "/apis/a~1b~0c");
        assert_eq!(child("", "apis"), "/apis");
    }
}
