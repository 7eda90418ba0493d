//! Where a hand-transcribed page spec exists, its facts win over the metadata's.
//!
//! [`merge_operation`] keeps every fact of the page spec and fills only what pages never
//! carry (flattening styles, formats, nested shapes of complex parameters, async polling,
//! authentication schemes, content types, error samples). Each disagreement with the
//! metadata becomes a [`Discrepancy`] (other source `catalog api-docs.json`) unless the spec
//! already records one for the same subject. Entries this module wrote on an earlier import
//! (their resolution starts with [`RESOLUTION`]) are recomputed, so re-importing is
//! idempotent and a metadata change shows up in the diff; hand-written entries are kept.
//!
//! Texts are compared as plain words (markdown, `Note` call-outs, case and punctuation
//! aside), since pages render as text what the metadata holds as markdown.

use crate::spec::{Discrepancy, Field, OperationSpec, ProductSpec, SampleFormat};

/// `other_source` of the discrepancies this module records.
pub const CATALOG_SOURCE: &str = "catalog api-docs.json";

/// Start of the `resolution` of every discrepancy this module writes where the page wins.
pub const RESOLUTION: &str = "Follows the page (recorded by the catalog import).";

/// The `resolution` of a parameter or field that only the metadata has: it is a real part
/// of the service (the official SDK, generated from the same metadata, sends or reads it),
/// so the spec keeps it, placed and typed as the metadata says.
pub const KEPT_FROM_METADATA: &str = "Kept from the metadata (recorded by the catalog import): the page does not list it, but the metadata, and so the official SDK, has it.";

/// Whether a discrepancy is one this module wrote, and so recomputes on every import.
fn written_by_import(d: &Discrepancy) -> bool {
    d.other_source == CATALOG_SOURCE
        && (d.resolution.starts_with(RESOLUTION) || d.resolution == KEPT_FROM_METADATA)
}

/// The page spec with the metadata's wire facts filled in and every disagreement recorded.
pub fn merge_operation(page: &OperationSpec, imported: &OperationSpec) -> OperationSpec {
    let mut merged = page.clone();
    // What an earlier import added from the metadata is not the page's: it is dropped here
    // and added again from the metadata as it is now, so a re-import is idempotent.
    let added_before: Vec<String> = merged
        .discrepancies
        .iter()
        .filter(|d| d.other_source == CATALOG_SOURCE && d.resolution == KEPT_FROM_METADATA)
        .map(|d| d.subject.clone())
        .collect();
    merged.discrepancies.retain(|d| !written_by_import(d));
    if merged.source.metadata.is_none() {
        merged.source.metadata = imported.source.metadata.clone();
    }
    let mut found = Found {
        covered: merged
            .discrepancies
            .iter()
            .map(|d| d.subject.clone())
            .collect(),
        new: Vec::new(),
        added_before,
    };

    found.text("summary", Some(&page.summary), Some(&imported.summary));
    found.text(
        "description",
        page.description.as_deref(),
        imported.description.as_deref(),
    );
    let mut page_methods = page.methods.clone();
    let mut metadata_methods = imported.methods.clone();
    page_methods.sort();
    metadata_methods.sort();
    if page_methods != metadata_methods {
        found.record(
            "methods",
            Some(format!("{:?}", page.methods)),
            Some(format!("{:?}", imported.methods)),
        );
    }
    if page.path != imported.path {
        found.record("path", Some(page.path.clone()), Some(imported.path.clone()));
    }
    if page.deprecated != imported.deprecated {
        found.record(
            "deprecated",
            Some(page.deprecated.to_string()),
            Some(imported.deprecated.to_string()),
        );
    }
    // Pages never say it: the metadata's is the spec's.
    merged.operation_type = imported.operation_type;
    if merged.asynchronous.is_none() {
        merged.asynchronous = imported.asynchronous.clone();
    }
    if merged.security.is_empty() {
        merged.security = imported.security.clone();
    }
    if merged.consumes.is_empty() {
        merged.consumes = imported.consumes.clone();
    }
    if merged.produces.is_empty() {
        merged.produces = imported.produces.clone();
    }
    if merged.response_headers.is_empty() {
        merged.response_headers = imported.response_headers.clone();
    }

    merge_list(
        "request",
        &mut merged.request,
        &imported.request,
        &mut found,
    );
    merge_field(
        "response",
        &mut merged.response,
        &imported.response,
        &mut found,
    );
    merge_samples(&mut merged, imported, &mut found);
    compare_errors(page, imported, &mut found);

    merged.discrepancies.extend(found.new);
    merged
}

/// The existing product file with what only the metadata has added (regions it lacks,
/// named schemas, the metadata source), and one line per disagreement, for the report.
pub fn merge_product(existing: &ProductSpec, imported: &ProductSpec) -> (ProductSpec, Vec<String>) {
    let mut merged = existing.clone();
    let mut differences = Vec::new();
    let mut compare = |what: &str, ours: String, theirs: String| {
        if ours != theirs {
            differences.push(format!(
                "{what}: product.json has {ours}, the metadata {theirs}"
            ));
        }
    };
    compare("code", existing.code.clone(), imported.code.clone());
    compare(
        "version",
        existing.version.clone(),
        imported.version.clone(),
    );
    compare(
        "style",
        format!("{:?}", existing.style),
        format!("{:?}", imported.style),
    );
    compare(
        "endpoints.product_id",
        existing.endpoints.product_id.clone(),
        imported.endpoints.product_id.clone(),
    );
    for (region, host) in &imported.endpoints.regions {
        match existing.endpoints.regions.get(region) {
            Some(ours) if ours != host => differences.push(format!(
                "region {region}: product.json has {ours}, the metadata {host} (kept {ours})"
            )),
            Some(_) => {}
            None => {
                differences.push(format!(
                    "region {region}: only the metadata has it ({host}); added"
                ));
                merged
                    .endpoints
                    .regions
                    .insert(region.clone(), host.clone());
            }
        }
    }
    for region in existing.endpoints.regions.keys() {
        if !imported.endpoints.regions.contains_key(region) {
            differences.push(format!("region {region}: only product.json has it; kept"));
        }
    }
    for (name, schema) in &imported.schemas {
        merged
            .schemas
            .entry(name.clone())
            .or_insert_with(|| schema.clone());
    }
    for source in &imported.sources {
        if !merged.sources.contains(source) {
            merged.sources.push(source.clone());
        }
    }
    if merged.metadata_code.is_none() {
        merged.metadata_code = imported.metadata_code.clone();
    }
    (merged, differences)
}

/// Disagreements found so far, in the order they were found, and the subjects the spec
/// already settles.
struct Found {
    /// Subjects of the spec's own discrepancies: a subject covers itself and everything
    /// under it (`response` covers `response/Data/Status`).
    covered: Vec<String>,
    new: Vec<Discrepancy>,
    /// Subjects an earlier import added from the metadata (`request/TargetAddress`).
    added_before: Vec<String>,
}

impl Found {
    /// Whether the spec already records a decision about `subject`.
    fn is_covered(&self, subject: &str) -> bool {
        self.covered.iter().any(|c| {
            subject == c
                || subject
                    .strip_prefix(c.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    fn record(&mut self, subject: &str, page: Option<String>, other: Option<String>) {
        self.record_as(subject, page, other, RESOLUTION);
    }

    fn record_as(
        &mut self,
        subject: &str,
        page: Option<String>,
        other: Option<String>,
        resolution: &str,
    ) {
        if self.is_covered(subject) {
            return;
        }
        self.new.push(Discrepancy {
            subject: subject.to_owned(),
            page,
            other,
            other_source: CATALOG_SOURCE.to_owned(),
            resolution: resolution.to_owned(),
        });
    }

    /// Texts that differ in their words.
    fn text(&mut self, subject: &str, page: Option<&str>, other: Option<&str>) {
        let page_words = page.map(words).unwrap_or_default();
        let other_words = other.map(words).unwrap_or_default();
        if page_words != other_words {
            self.record(subject, page.map(str::to_owned), other.map(str::to_owned));
        }
    }

    fn exact<T: PartialEq + std::fmt::Debug>(&mut self, subject: &str, page: &T, other: &T) {
        if page != other {
            self.record(subject, Some(render(page)), Some(render(other)));
        }
    }

    /// A fact the page may lack: filled from the metadata when the page has none (unless
    /// the spec already settled the subject), recorded when both have it and disagree.
    fn fill<T: Clone + PartialEq + std::fmt::Debug>(
        &mut self,
        subject: &str,
        page: &mut Option<T>,
        other: &Option<T>,
    ) {
        match (page.as_ref(), other) {
            (None, Some(_)) if !self.is_covered(subject) => page.clone_from(other),
            (Some(ours), Some(theirs)) if ours != theirs => {
                self.record(subject, Some(render(ours)), Some(render(theirs)));
            }
            _ => {}
        }
    }

    /// [`Found::fill`] for documentation texts, compared by their words.
    fn fill_text(&mut self, subject: &str, page: &mut Option<String>, other: &Option<String>) {
        match (page.as_deref(), other.as_deref()) {
            (None, Some(_)) if !self.is_covered(subject) => page.clone_from(other),
            (Some(_), Some(_)) => self.text(subject, page.as_deref(), other.as_deref()),
            _ => {}
        }
    }
}

/// `Some("x")` → `x`, `true` → `true`, `None` → `none`: values as a reviewer reads them.
fn render<T: std::fmt::Debug>(value: &T) -> String {
    let text = format!("{value:?}");
    let text = text
        .strip_prefix("Some(")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(&text);
    text.trim_matches('"').to_owned()
}

/// The words of a text, lowercased, without markdown or the `Note` of call-outs; links
/// keep their label.
fn words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    // `[label](target)` → `label`.
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find("](")
            .and_then(|mid| after[mid..].find(')').map(|end| (mid, mid + end)))
        {
            Some((mid, end)) => {
                plain.push_str(&after[..mid]);
                rest = &after[end + 1..];
            }
            None => {
                plain.push('[');
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w != "note")
        .collect()
}

/// Parameters or properties matched by name: the page's entries keep their order and what
/// the page states; entries only the metadata has are appended in the metadata's order,
/// as the metadata describes them, and recorded.
fn merge_list(subject: &str, page: &mut Vec<Field>, metadata: &[Field], found: &mut Found) {
    page.retain(|f| {
        let path = format!("{subject}/{}", f.name.as_deref().unwrap_or_default());
        !found.added_before.contains(&path)
    });
    for field in page.iter_mut() {
        let name = field.name.clone().unwrap_or_default();
        let path = format!("{subject}/{name}");
        match metadata
            .iter()
            .find(|m| m.name.as_deref() == Some(name.as_str()))
        {
            Some(theirs) => merge_field(&path, field, theirs, found),
            None => found.record(&path, Some("present".to_owned()), Some("absent".to_owned())),
        }
    }
    for theirs in metadata {
        let name = theirs.name.as_deref().unwrap_or_default();
        if !page.iter().any(|f| f.name.as_deref() == Some(name)) {
            found.record_as(
                &format!("{subject}/{name}"),
                None,
                Some(summarize(theirs)),
                KEPT_FROM_METADATA,
            );
            page.push(theirs.clone());
        }
    }
}

/// One parameter, property or response root.
fn merge_field(path: &str, page: &mut Field, metadata: &Field, found: &mut Found) {
    let sub = |key: &str| format!("{path}/{key}");
    found.fill(&sub("in"), &mut page.location, &metadata.location);
    found.fill(&sub("style"), &mut page.style, &metadata.style);
    found.fill(&sub("type"), &mut page.ty, &metadata.ty);
    found.fill(&sub("$ref"), &mut page.reference, &metadata.reference);
    found.fill(&sub("format"), &mut page.format, &metadata.format);
    found.exact(&sub("required"), &page.required, &metadata.required);
    found.fill_text(
        &sub("description"),
        &mut page.description,
        &metadata.description,
    );
    found.fill(&sub("example"), &mut page.example, &metadata.example);
    found.fill(&sub("enum"), &mut page.enumeration, &metadata.enumeration);
    found.fill(&sub("minimum"), &mut page.minimum, &metadata.minimum);
    found.fill(&sub("maximum"), &mut page.maximum, &metadata.maximum);
    found.fill(
        &sub("min_length"),
        &mut page.min_length,
        &metadata.min_length,
    );
    found.fill(
        &sub("max_length"),
        &mut page.max_length,
        &metadata.max_length,
    );
    found.fill(&sub("min_items"), &mut page.min_items, &metadata.min_items);
    found.fill(&sub("max_items"), &mut page.max_items, &metadata.max_items);
    found.fill(&sub("pattern"), &mut page.pattern, &metadata.pattern);
    found.fill(&sub("default"), &mut page.default, &metadata.default);
    if page.minimum == metadata.minimum {
        page.exclusive_minimum |= metadata.exclusive_minimum;
    }
    if page.maximum == metadata.maximum {
        page.exclusive_maximum |= metadata.exclusive_maximum;
    }
    found.exact(&sub("deprecated"), &page.deprecated, &metadata.deprecated);
    if metadata.sensitive && !page.sensitive {
        found.record(
            &sub("sensitive"),
            Some("false".to_owned()),
            Some("true".to_owned()),
        );
    }
    // Nested shapes: the page's where it has one, else the metadata's.
    match (&mut page.properties, &metadata.properties) {
        (Some(ours), Some(theirs)) => merge_list(path, ours, theirs, found),
        (None, Some(theirs)) if page.ty == metadata.ty => page.properties = Some(theirs.clone()),
        _ => {}
    }
    match (&mut page.items, &metadata.items) {
        (Some(ours), Some(theirs)) => merge_field(&sub("items"), ours, theirs, found),
        (None, Some(theirs)) if page.ty == metadata.ty => page.items = Some(theirs.clone()),
        _ => {}
    }
    if page.additional_properties.is_none() && page.ty == metadata.ty {
        page.additional_properties = metadata.additional_properties.clone();
    }
}

/// A metadata-only parameter or field, in one line.
fn summarize(field: &Field) -> String {
    let mut parts = Vec::new();
    if let Some(location) = field.location {
        parts.push(format!("in {}", render(&location).to_lowercase()));
    }
    match (&field.ty, &field.reference) {
        (Some(ty), _) => parts.push(render(ty).to_lowercase()),
        (None, Some(reference)) => parts.push(format!("$ref {reference}")),
        (None, None) => {}
    }
    parts.push(
        if field.required {
            "required"
        } else {
            "optional"
        }
        .to_owned(),
    );
    parts.join(", ")
}

/// The page's samples stay the fixtures. JSON success samples that say something else are
/// recorded; the metadata's error samples, which pages lack, are added.
fn merge_samples(merged: &mut OperationSpec, imported: &OperationSpec, found: &mut Found) {
    let parse = |body: &str| serde_json::from_str::<serde_json::Value>(body).ok();
    let page_json: Vec<_> = merged
        .samples
        .iter()
        .filter(|s| s.format == SampleFormat::Json && !s.error)
        .filter_map(|s| parse(&s.body))
        .collect();
    for sample in imported
        .samples
        .iter()
        .filter(|s| s.format == SampleFormat::Json && !s.error)
    {
        if let Some(value) = parse(&sample.body)
            && !page_json.is_empty()
            && !page_json.contains(&value)
        {
            found.record(
                "samples",
                Some("the page's sample response".to_owned()),
                Some(sample.body.clone()),
            );
        }
    }
    for sample in imported.samples.iter().filter(|s| s.error) {
        if !merged.samples.contains(sample) {
            merged.samples.push(sample.clone());
        }
    }
}

/// Error rows compared by (status, code); every row is kept as the page has it.
fn compare_errors(page: &OperationSpec, imported: &OperationSpec, found: &mut Found) {
    let key = |row: &crate::spec::ErrorRow| (row.status, row.code.clone());
    for row in &imported.errors {
        if !page.errors.iter().any(|r| key(r) == key(row)) {
            found.record(
                &format!("errors/{}/{}", row.status, row.code),
                None,
                Some(row.message.clone().unwrap_or_default()),
            );
        }
    }
    for row in &page.errors {
        if !imported.errors.iter().any(|r| key(r) == key(row)) {
            found.record(
                &format!("errors/{}/{}", row.status, row.code),
                Some("present".to_owned()),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ignore_markdown_and_note_callouts() {
        assert_eq!(
            words("The region ID.\n\n>  You can call the [DescribeRegions](~~143074~~) operation."),
            words("The region ID.\n\nNote You can call the DescribeRegions operation.")
        );
        assert_ne!(
            words("The ID of the DR instance."),
            words("The ID of the instance.")
        );
        assert_eq!(words("*   **true**: yes"), ["true", "yes"]);
        assert_eq!(words("an [unclosed link"), ["an", "unclosed", "link"]);
    }

    #[test]
    fn render_reads_like_the_value() {
        assert_eq!(render(&Some("x")), "x");
        assert_eq!(render(&None::<String>), "None");
        assert_eq!(render(&true), "true");
    }
}
