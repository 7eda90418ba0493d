//! Facts pages do not carry, merged from the spec the page was imported for.
//!
//! A page states names, types, required flags, descriptions, examples, samples and error
//! rows. Wire locations, flattening styles, methods, paths, bounds, formats and the
//! maintainer's discrepancy notes come from the metadata or from a person, so a re-import
//! keeps them from the existing spec (matched by parameter name, recursively). Flags the
//! importer infers (`sensitive`, `idempotency_token`, `json`) are kept when either side
//! sets them, so a maintainer can add one the page gives no hint of. Parameters and fields
//! the existing spec has but the page does not list (kept from the metadata, which the
//! official SDK follows) stay, after the page's own, so a re-import never drops one.

use crate::spec::{Field, OperationSpec};

/// `page` (an import) completed with what `existing` knows and the page cannot say.
pub fn merge_wire_facts(mut page: OperationSpec, existing: &OperationSpec) -> OperationSpec {
    page.schema = existing.schema.clone().or(page.schema);
    page.methods = existing.methods.clone();
    page.path = existing.path.clone();
    page.deprecated = existing.deprecated;
    page.operation_type = existing.operation_type;
    page.consumes = existing.consumes.clone();
    page.produces = existing.produces.clone();
    page.asynchronous = existing.asynchronous.clone();
    page.security = existing.security.clone();
    page.response_headers = existing.response_headers.clone();
    page.source.metadata = existing.source.metadata.clone().or(page.source.metadata);
    page.discrepancies = existing.discrepancies.clone();
    merge_list(&mut page.request, &existing.request);
    merge_field(&mut page.response, &existing.response);
    page
}

/// The page's entries completed from the known ones, then the known entries the page
/// lacks, in their existing order.
fn merge_list(page: &mut Vec<Field>, known: &[Field]) {
    for field in page.iter_mut() {
        if let Some(known) = known.iter().find(|known| known.name == field.name) {
            merge_field(field, known);
        }
    }
    for known in known {
        if !page.iter().any(|field| field.name == known.name) {
            page.push(known.clone());
        }
    }
}

fn merge_field(page: &mut Field, known: &Field) {
    page.location = known.location;
    page.style = known.style;
    page.reference = page.reference.take().or_else(|| known.reference.clone());
    page.sensitive |= known.sensitive;
    page.idempotency_token |= known.idempotency_token;
    page.json |= known.json;
    page.enumeration = known.enumeration.clone();
    page.minimum = known.minimum.clone();
    page.maximum = known.maximum.clone();
    page.exclusive_minimum = known.exclusive_minimum;
    page.exclusive_maximum = known.exclusive_maximum;
    page.min_length = known.min_length;
    page.max_length = known.max_length;
    page.min_items = known.min_items;
    page.max_items = known.max_items;
    page.pattern = known.pattern.clone();
    page.format = known.format.clone();
    page.default = known.default.clone();
    page.deprecated |= known.deprecated;
    if page.additional_properties.is_none() {
        page.additional_properties = known.additional_properties.clone();
    }
    if let (Some(items), Some(known_items)) = (page.items.as_deref_mut(), known.items.as_deref()) {
        merge_field(items, known_items);
    }
    if let (Some(properties), Some(known_properties)) =
        (page.properties.as_mut(), known.properties.as_ref())
    {
        merge_list(properties, known_properties);
    }
}
