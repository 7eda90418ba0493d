//! Unit tests of the page importer on small hand-made pages; the five seed pages are
//! imported and compared with the committed specs in `codegen/tests/page_import.rs`.

use super::*;

const OPTIONS: PageOptions<'static> = PageOptions {
    file_name: "page.txt",
    action: None,
};

/// A small flattened page; `{errors}` is replaced by the error-table lines.
fn flattened(errors: &str) -> String {
    format!(
        "All Products\nSearch\n\nECS:DoThing\n\nLast Updated:Jan 02, 2025\n\nDoes a thing.\n\n\
Request parameters\n\nParameterTypeRequiredDescriptionExample\nRegionIdstringYes\n\nThe region.\n\ncn-hangzhou\n\
AdminPasswordstringNo\n\nThe password.\n\n******\n\
ClientTokenstringNo\n\nIdempotence token.\n\nabc\n\
FilterstringNo\n\nA filter.\n\n[\"a\"]\n\
ModeintegerNo\n\nThe mode. Valid values:\n\n  • 1: one\n  • 2: two\n1\n\n\
Response parameters\n\nParameterTypeDescriptionExample\nobject\n\nThe response parameters.\n\n\
RequestIdstring\n\nThe request ID.\n\nABC\nItemsarray<object>\n\nThe items.\n\n\
object\n\nOne item.\n\nIdlong\n\nThe item ID.\n\n7\nCountinteger\n\nHow many.\n\n1\n\n\
Examples\n\nSample success responses\n\nJSONformat\n\n{{\n  \"RequestId\": \"ABC\",\n  \"Items\": [{{\"Id\": 7}}],\n  \"Count\": 1\n}}\n\n\
Error codes\n\n{errors}\n\nFor a list of error codes, visit the Service error codes.\n"
    )
}

#[test]
fn reads_a_flattened_page() {
    let page = flattened(
        "HTTP status codeError codeError messageDescription\n400Bad.ThingThe thing is bad.-",
    );
    let imported = import_page(&page, OPTIONS).unwrap();
    let spec = &imported.spec;
    assert_eq!(imported.layout, Layout::Flattened);
    assert_eq!(spec.action, "DoThing");
    assert_eq!(spec.summary, "Does a thing.");
    let source = spec.source.page.as_ref().unwrap();
    assert_eq!(source.title.as_deref(), Some("ECS:DoThing"));
    assert_eq!(source.last_updated.as_deref(), Some("Jan 02, 2025"));
    let names: Vec<_> = spec
        .request
        .iter()
        .map(|f| f.name.as_deref().unwrap())
        .collect();
    assert_eq!(
        names,
        ["RegionId", "AdminPassword", "ClientToken", "Filter", "Mode"]
    );
    assert!(spec.request[0].required);
    assert!(spec.request[1].sensitive && !spec.request[0].sensitive);
    assert!(spec.request[2].idempotency_token);
    assert!(spec.request[3].json);
    assert_eq!(spec.request[4].ty, Some(FieldType::Integer));
    assert_eq!(
        spec.request[4].description.as_deref(),
        Some("The mode. Valid values:\n\n- 1: one\n- 2: two")
    );
    assert_eq!(spec.request[4].example.as_deref(), Some("1"));

    // Nesting comes from the sample: Id belongs to the items of Items, Count to the root.
    let root = spec.response.properties.as_ref().unwrap();
    assert_eq!(
        spec.response.description.as_deref(),
        Some("The response parameters.")
    );
    assert_eq!(
        root.iter()
            .map(|f| f.name.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["RequestId", "Items", "Count"]
    );
    let items = root[1].items.as_ref().unwrap();
    assert_eq!(items.description.as_deref(), Some("One item."));
    let item_fields = items.properties.as_ref().unwrap();
    assert_eq!(item_fields.len(), 1);
    assert_eq!(item_fields[0].name.as_deref(), Some("Id"));
    assert_eq!(item_fields[0].ty, Some(FieldType::Long));

    assert_eq!(spec.samples.len(), 1);
    assert!(spec.samples[0].body.starts_with("{\n  \"RequestId\""));
    assert_eq!(spec.errors.len(), 1);
    assert_eq!(spec.errors[0].code, "Bad.Thing");
    assert_eq!(spec.errors[0].description, None);
}

#[test]
fn empty_page_is_an_error_on_line_one() {
    for text in ["", "\n\n  \n"] {
        let err = import_page(text, OPTIONS).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.reason.contains("empty"), "{err}");
    }
}

#[test]
fn page_of_another_kind_is_rejected() {
    let err = import_page("# Release notes\n\nVersion 2 adds things.\n", OPTIONS).unwrap_err();
    assert!(err.reason.contains("not an API reference page"), "{err}");
}

#[test]
fn truncated_pages_name_the_line() {
    let page = flattened(
        "HTTP status codeError codeError messageDescription\n400Bad.ThingThe thing is bad.-",
    );
    // Cut inside the request table: no response section follows.
    let cut = page.split("AdminPasswordstringNo").next().unwrap();
    let err = import_page(cut, OPTIONS).unwrap_err();
    assert!(err.reason.contains("truncated"), "{err}");
    assert_eq!(err.line, cut.lines().count());

    // Cut inside the sample: the JSON never closes.
    let cut = page.split("\"Count\": 1").next().unwrap();
    let err = import_page(cut, OPTIONS);
    assert!(err.is_err());

    // Cut inside an error row.
    let page = flattened(
        "HTTP status codeError codeError messageDescription\n400Bad.ThingThe thing is bad.-\n400",
    );
    let err = import_page(&page, OPTIONS).unwrap_err();
    assert!(err.reason.contains("truncated"), "{err}");
    assert_eq!(err.line, page.lines().position(|l| l == "400").unwrap() + 1);
    let page = flattened("HTTP status codeError codeError messageDescription\n400Bad");
    let err = import_page(&page, OPTIONS).unwrap_err();
    let expected = page.lines().position(|l| l == "400Bad").unwrap() + 1;
    assert_eq!(err.line, expected, "{err}");
}

#[test]
fn unknown_type_is_an_error_not_a_description() {
    let page = flattened("").replace("FilterstringNo", "FiltertimestampNo");
    let err = import_page(&page, OPTIONS).unwrap_err();
    assert!(err.reason.contains("type"), "{err}");
    assert_eq!(
        err.line,
        page.lines().position(|l| l == "FiltertimestampNo").unwrap() + 1
    );
}

#[test]
fn page_without_title_needs_an_action() {
    let page = flattened("")
        .replace("ECS:DoThing\n", "")
        .replace("Last Updated:Jan 02, 2025\n", "");
    let err = import_page(&page, OPTIONS).unwrap_err();
    assert!(err.reason.contains("no title line"), "{err}");
    let imported = import_page(
        &page,
        PageOptions {
            action: Some("DoThing"),
            ..OPTIONS
        },
    )
    .unwrap();
    assert_eq!(imported.spec.action, "DoThing");
    assert_eq!(imported.spec.summary, "Does a thing.");
    assert_eq!(imported.spec.source.page.as_ref().unwrap().title, None);
}

#[test]
fn conflicting_action_is_an_error() {
    let err = import_page(
        &flattened(""),
        PageOptions {
            action: Some("Other"),
            ..OPTIONS
        },
    )
    .unwrap_err();
    assert!(err.reason.contains("`DoThing`"), "{err}");
}

const PIPE: &str = "Creates a thing.\nDebugging\nRequest parameters\n\
Parameter | Type | Required | Description | Example |\n---|---|---|---|---|\n\
Name | string | Yes | The name. | n1 |\n\
Spec | string | No | The spec. The following are supported:\n- a: first\n| {\"a\":1} |\n\
Response parameters\nExamples\nSample success responses\nJSON\nformat\n\
{\n\"Success\": true,\n\"Data\": {\n\"Id\": 3,\n\"Tags\": []\n}\n}\n\
Error codes\nHTTP status code | Error code | Error message |\n---|---|---|\n\
400 | Invalid.Name | The name is invalid. |\n";

#[test]
fn reads_a_pipe_page_with_a_multi_line_cell_and_an_empty_response_table() {
    let imported = import_page(
        PIPE,
        PageOptions {
            action: Some("CreateThing"),
            ..OPTIONS
        },
    )
    .unwrap();
    assert_eq!(imported.layout, Layout::PipeTable);
    let spec = &imported.spec;
    assert_eq!(spec.request.len(), 2);
    assert_eq!(
        spec.request[1].description.as_deref(),
        Some("The spec. The following are supported:\n- a: first")
    );
    assert_eq!(spec.request[1].example.as_deref(), Some("{\"a\":1}"));
    assert!(spec.request[1].json);
    let root = spec.response.properties.as_ref().unwrap();
    assert_eq!(root[0].ty, Some(FieldType::Boolean));
    let data = root[1].properties.as_ref().unwrap();
    assert_eq!(data[0].ty, Some(FieldType::Long));
    assert_eq!(data[0].example.as_deref(), Some("3"));
    assert_eq!(data[1].items.as_ref().unwrap().ty, Some(FieldType::Any));
    // The inference and the empty array are both reported.
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.message.contains("response table is empty"))
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.message.contains("`Tags` is empty"))
    );
    assert_eq!(spec.errors[0].code, "Invalid.Name");
    assert_eq!(spec.errors[0].description, None);
}

#[test]
fn truncated_pipe_row_is_an_error() {
    let cut = PIPE.replace("| {\"a\":1} |\n", "");
    let err = import_page(
        &cut,
        PageOptions {
            action: Some("CreateThing"),
            ..OPTIONS
        },
    )
    .unwrap_err();
    assert!(err.reason.contains("never completes"), "{err}");
    assert_eq!(
        err.line,
        cut.lines().position(|l| l.starts_with("Spec |")).unwrap() + 1
    );
}

#[test]
fn stray_pipe_in_a_cell_is_reported_not_guessed() {
    let page = PIPE.replace("| The name. |", "| The name (a|b). |");
    let err = import_page(
        &page,
        PageOptions {
            action: Some("CreateThing"),
            ..OPTIONS
        },
    )
    .unwrap_err();
    assert!(err.reason.contains("cannot tell"), "{err}");
}

#[test]
fn to_json_is_pretty_with_a_final_newline() {
    let imported = import_page(&flattened(""), OPTIONS).unwrap();
    let text = to_json(&imported.spec);
    assert!(
        text.starts_with("{\n  \"$schema\": \"../../schema.json\",\n  \"action\": \"DoThing\"")
    );
    assert!(text.ends_with("}\n"));
}
