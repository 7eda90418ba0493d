//! Which operations page and how (`codegen::paging`), and the reviewed files that settle
//! the ambiguous ones (`codegen::reviewed`).

use std::collections::BTreeMap;

use alibabacloud_codegen::paging::{CursorPlan, NoPaging, PagingPlan, Total, plan};
use alibabacloud_codegen::reviewed::{PagingOverride, Reviewed};
use alibabacloud_codegen::spec::{Field, OperationSpec};
use serde_json::{Value, json};

/// An operation with these request parameters (query) and response properties.
fn op(request: Value, response: Value) -> OperationSpec {
    let mut request = request;
    for param in request.as_array_mut().unwrap() {
        param["in"] = json!("query");
    }
    serde_json::from_value(json!({
        "action": "ListThings",
        "summary": "Lists things.",
        "source": {},
        "methods": ["post"],
        "request": request,
        "response": { "type": "object", "properties": response },
    }))
    .unwrap()
}

fn param(name: &str, ty: &str) -> Value {
    json!({ "name": name, "type": ty })
}

fn array(name: &str) -> Value {
    json!({ "name": name, "type": "array", "items": { "type": "object", "properties": [param("Id", "string")] } })
}

fn object(name: &str, properties: Value) -> Value {
    json!({ "name": name, "type": "object", "properties": properties })
}

fn planned(op: &OperationSpec, review: Option<&PagingOverride>) -> Result<PagingPlan, NoPaging> {
    plan(op, &BTreeMap::<String, Field>::new(), review).expect("a list operation")
}

fn path(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_owned).collect()
}

#[test]
fn the_token_rule_reads_the_next_token_and_prefers_max_results_for_the_page_size() {
    let op = op(
        json!([
            param("PageSize", "integer"),
            param("NextToken", "string"),
            param("MaxResults", "integer")
        ]),
        json!([
            param("NextToken", "string"),
            param("RequestId", "string"),
            array("Things")
        ]),
    );
    let plan = planned(&op, None).unwrap();
    assert_eq!(
        plan.cursor,
        CursorPlan::Token {
            param: "NextToken".into(),
            next: path("NextToken")
        }
    );
    assert_eq!(plan.page_size.as_deref(), Some("MaxResults"));
    assert_eq!(plan.items, Some(path("Things")));
}

#[test]
fn the_page_rule_needs_a_size_a_total_and_one_items_array() {
    let op = op(
        json!([param("PageNumber", "integer"), param("PageSize", "integer")]),
        json!([
            param("TotalCount", "integer"),
            object("Items", json!([array("Item")])),
            param("RequestId", "string"),
        ]),
    );
    let plan = planned(&op, None).unwrap();
    assert_eq!(
        plan.cursor,
        CursorPlan::Page {
            param: "PageNumber".into(),
            first: 1,
            text: false
        }
    );
    assert_eq!(plan.items, Some(path("Items.Item")));
    assert_eq!(
        plan.total,
        Some(Total::Field {
            path: path("TotalCount"),
            text: false
        })
    );
}

#[test]
fn pages_start_at_zero_where_the_parameter_says_so_and_text_page_numbers_are_marked() {
    let mut number = param("PageNo", "string");
    number["description"] = json!("The page number. Pages start from 0.");
    let op = op(
        json!([number, param("PageSize", "string")]),
        json!([param("Total", "string"), array("List")]),
    );
    let plan = planned(&op, None).unwrap();
    assert_eq!(
        plan.cursor,
        CursorPlan::Page {
            param: "PageNo".into(),
            first: 0,
            text: true
        }
    );
    assert_eq!(
        plan.total,
        Some(Total::Field {
            path: path("Total"),
            text: true
        })
    );

    let mut zero_default = param("PageNumber", "integer");
    zero_default["default"] = json!("0");
    let op = self::op(
        json!([zero_default, param("PageSize", "integer")]),
        json!([param("TotalCount", "integer"), array("List")]),
    );
    assert!(matches!(
        planned(&op, None).unwrap().cursor,
        CursorPlan::Page { first: 0, .. }
    ));

    // rds DescribeDBInstances: minimum 0, pages documented from 1 (and 10 is not 1).
    let mut documented = param("PageNumber", "integer");
    documented["minimum"] = json!("0");
    documented["description"] = json!("The page number. Pages start from 1. Default value: **1**.");
    let op = self::op(
        json!([documented, param("PageSize", "integer")]),
        json!([param("TotalCount", "integer"), array("List")]),
    );
    assert!(matches!(
        planned(&op, None).unwrap().cursor,
        CursorPlan::Page { first: 1, .. }
    ));
    let mut ten = param("PageNumber", "integer");
    ten["description"] = json!("Counting starts from 10 for legacy reasons.");
    let op = self::op(
        json!([ten, param("PageSize", "integer")]),
        json!([param("TotalCount", "integer"), array("List")]),
    );
    assert!(matches!(
        planned(&op, None).unwrap().cursor,
        CursorPlan::Page { first: 1, .. }
    ));
}

#[test]
fn a_total_kept_in_an_object_of_its_own_finds_the_list_beside_it() {
    let op = op(
        json!([param("Page", "integer"), param("PageSize", "integer")]),
        json!([
            object(
                "PageInfo",
                json!([param("Total", "integer"), param("Page", "integer")])
            ),
            object("InviteInfoList", json!([array("InviteInfo")])),
        ]),
    );
    assert_eq!(
        planned(&op, None).unwrap().items,
        Some(path("InviteInfoList.InviteInfo"))
    );
}

#[test]
fn ambiguity_is_not_guessed_and_the_overrides_file_settles_it() {
    let op = op(
        json!([param("PageNumber", "integer"), param("PageSize", "integer")]),
        json!([
            param("TotalCount", "integer"),
            array("Items"),
            array("DetectionItems")
        ]),
    );
    assert_eq!(
        planned(&op, None),
        Err(NoPaging::AmbiguousItems(vec![
            "Items".into(),
            "DetectionItems".into()
        ]))
    );
    let review = PagingOverride {
        items: Some("Items".into()),
        why: "reviewed".into(),
        ..PagingOverride::default()
    };
    assert_eq!(
        planned(&op, Some(&review)).unwrap().items,
        Some(path("Items"))
    );
    let wrong = PagingOverride {
        items: Some("TotalCount".into()),
        why: "reviewed".into(),
        ..PagingOverride::default()
    };
    assert!(matches!(
        planned(&op, Some(&wrong)),
        Err(NoPaging::BadOverride(_))
    ));

    let two_totals = self::op(
        json!([param("PageNumber", "integer"), param("PageSize", "integer")]),
        json!([
            param("TotalCount", "integer"),
            object(
                "Data",
                json!([param("TotalCount", "integer"), array("List")])
            ),
        ]),
    );
    assert!(matches!(
        planned(&two_totals, None),
        Err(NoPaging::SeveralTotals(_))
    ));
    let review = PagingOverride {
        total: Some("Data.TotalCount".into()),
        why: "reviewed".into(),
        ..PagingOverride::default()
    };
    let plan = planned(&two_totals, Some(&review)).unwrap();
    assert_eq!(plan.items, Some(path("Data.List")));
}

#[test]
fn both_cursors_prefer_the_token_unless_reviewed_otherwise() {
    let op = op(
        json!([
            param("PageNumber", "integer"),
            param("PageSize", "integer"),
            param("NextToken", "string"),
            param("MaxResults", "integer"),
        ]),
        json!([
            param("NextToken", "string"),
            param("TotalRecordCount", "integer"),
            array("Items")
        ]),
    );
    assert!(matches!(
        planned(&op, None).unwrap().cursor,
        CursorPlan::Token { .. }
    ));
    let review = PagingOverride {
        rule: Some("page".into()),
        why: "reviewed".into(),
        ..PagingOverride::default()
    };
    let plan = planned(&op, Some(&review)).unwrap();
    assert!(matches!(plan.cursor, CursorPlan::Page { .. }));
    assert_eq!(plan.page_size.as_deref(), Some("PageSize"));
}

#[test]
fn lists_that_cannot_page_safely_say_why() {
    let no_total = op(
        json!([param("PageNumber", "integer"), param("PageSize", "integer")]),
        json!([array("Items")]),
    );
    assert_eq!(planned(&no_total, None), Err(NoPaging::NoTotal));
    let no_size = op(
        json!([param("PageNumber", "integer")]),
        json!([param("TotalCount", "integer"), array("Items")]),
    );
    assert_eq!(planned(&no_size, None), Err(NoPaging::NoPageSize));
    let no_next = op(
        json!([param("NextToken", "string")]),
        json!([array("Items")]),
    );
    assert_eq!(planned(&no_next, None), Err(NoPaging::NoNextToken));
    let skipped = PagingOverride {
        skip: Some("the token is a timestamp".into()),
        why: "reviewed".into(),
        ..PagingOverride::default()
    };
    assert_eq!(
        planned(&no_next, Some(&skipped)),
        Err(NoPaging::Reviewed("the token is a timestamp".into()))
    );
    let not_a_list = op(
        json!([param("InstanceId", "string")]),
        json!([array("Items")]),
    );
    assert_eq!(plan(&not_a_list, &BTreeMap::new(), None), None);
}

#[test]
fn a_client_token_is_named_so_that_later_pages_renew_it() {
    let mut token = param("ClientToken", "string");
    token["idempotency_token"] = json!(true);
    let op = op(
        json!([token, param("NextToken", "string")]),
        json!([param("NextToken", "string"), array("Items")]),
    );
    assert_eq!(
        planned(&op, None).unwrap().idempotency_token.as_deref(),
        Some("ClientToken")
    );
}

#[test]
fn broken_reviewed_files_name_the_file_the_pointer_and_the_reason() {
    let dir = std::env::temp_dir().join(format!("paging-reviewed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("paginators.json"),
        r#"{"operations": {"rds/2014-08-15/DescribeDBInstances": {"rule": "pages", "why": "x"}, "bad-key": {"why": "x"}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("waiters.json"),
        r#"{"operations": {"adb/2021-12-01/CreateAPSJob": {"name": "x", "status": "S", "success": [], "why": "x", "colour": 1}}}"#,
    )
    .unwrap();
    let errors = Reviewed::load(&dir).unwrap_err().to_string();
    assert!(
        errors.contains("paginators.json: /operations/rds~12014-08-15~1DescribeDBInstances/rule: must be \"token\" or \"page\""),
        "{errors}"
    );
    assert!(
        errors.contains("paginators.json: /operations/bad-key: keys are"),
        "{errors}"
    );
    assert!(
        errors.contains(
            "waiters.json: /operations/adb~12021-12-01~1CreateAPSJob/colour: unknown field `colour`"
        ),
        "{errors}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // Missing files are empty ones.
    assert_eq!(Reviewed::load(&dir).unwrap(), Reviewed::default());
}

#[test]
fn the_committed_reviewed_files_load() {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let reviewed = Reviewed::load(&specs).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        reviewed
            .paging("rds", "2014-08-15", "DescribeDBInstances")
            .is_some()
    );
    assert!(
        reviewed
            .waiter("emr", "2021-03-20", "CreateCluster")
            .is_some()
    );
}
