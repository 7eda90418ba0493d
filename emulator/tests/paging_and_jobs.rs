//! Lists served in pages and jobs moved through their states, set through the library API
//! and the HTTP control endpoints, and read with the generated clients one `.send()` per
//! page or poll (cursors given by hand, so these tests do not depend on the paginators and
//! waiters the generator emits).

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use alibabacloud_adb20211201 as adb;
use alibabacloud_emulator::{
    ControlError, Emulator, Job, LastToken, List, RunningEmulator, StartError,
};
use alibabacloud_fc20230330 as fc;
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::{Config, RetryConfig};

fn config(emulator: &RunningEmulator) -> Config {
    support::client_config(emulator, alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET)
        .retry(RetryConfig::disabled())
        .build()
        .expect("config")
}

fn instances(client: &rds::Client) -> rds::DescribeDbInstancesBuilder {
    client.describe_db_instances().region_id("cn-hangzhou")
}

/// The instance ids of one page of `DescribeDBInstances`.
fn ids(out: &rds::DescribeDbInstancesResponse) -> Vec<String> {
    out.items
        .as_ref()
        .and_then(|items| items.db_instance.as_ref())
        .map(|list| {
            list.iter()
                .map(|i| i.db_instance_id.clone().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

/// The first page number of rds `DescribeDBInstances` as the generator's paging plan has
/// it (the emulator serves the plan the generated paginator follows).
fn first_page() -> i32 {
    let specs = alibabacloud_emulator::default_specs_dir().expect("run inside the workspace");
    let tree = alibabacloud_codegen::load::load_tree(&specs).unwrap();
    let rds = tree
        .products
        .iter()
        .find(|p| p.product.code == "rds")
        .unwrap();
    let op = rds
        .operations
        .iter()
        .find(|op| op.action == "DescribeDBInstances")
        .unwrap();
    let review = tree
        .reviewed
        .paging("rds", &rds.product.version, "DescribeDBInstances");
    let forced = alibabacloud_codegen::reviewed::PagingOverride {
        rule: Some("page".to_owned()),
        ..review.cloned().unwrap_or_default()
    };
    match alibabacloud_codegen::paging::plan(op, &rds.product.schemas, Some(&forced)) {
        Some(Ok(plan)) => match plan.cursor {
            alibabacloud_codegen::paging::CursorPlan::Page { first, .. } => first as i32,
            other => panic!("not a page cursor: {other:?}"),
        },
        other => panic!("DescribeDBInstances does not page by number: {other:?}"),
    }
}

fn labels(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|i| format!("item-{i}")).collect()
}

#[tokio::test]
async fn a_page_rule_list_is_served_page_by_page() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeDBInstances", 25))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let mut seen = BTreeSet::new();
    let first = first_page();
    for (index, expected) in [(0, 0..10), (1, 10..20), (2, 20..25), (3, 25..25)] {
        let page = first + index;
        let out = instances(&rds)
            .page_number(page)
            .page_size(10)
            .send()
            .await
            .unwrap();
        assert_eq!(ids(&out), labels(expected.clone()), "page {page}");
        assert_eq!(out.total_record_count, Some(25));
        assert_eq!(out.page_number, Some(i64::from(page)));
        assert_eq!(
            out.page_record_count,
            Some((expected.end - expected.start) as i64)
        );
        seen.extend(ids(&out));
    }
    assert_eq!(seen.len(), 25, "every id distinct");
    // The spec's default page size (30) when the request names none.
    let out = instances(&rds).page_number(first).send().await.unwrap();
    assert_eq!(ids(&out).len(), 25);
    // No page before the first.
    let err = instances(&rds)
        .page_number(first - 1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().code(), "InvalidParameter");
}

#[tokio::test]
async fn a_token_rule_list_hands_out_tokens_and_ends_with_an_empty_or_absent_one() {
    let emulator = Emulator::builder().start().await.unwrap();
    let rds = rds::Client::new(&config(&emulator));
    // rds DescribeDBInstances pages by NextToken and MaxResults too.
    emulator
        .serve_list(List::new("DescribeDBInstances", 7))
        .unwrap();
    let mut token: Option<String> = None;
    let mut pages = Vec::new();
    for _ in 0..10 {
        let mut call = instances(&rds).max_results(3);
        if let Some(t) = &token {
            call = call.next_token(t);
        }
        let out = call.send().await.unwrap();
        pages.push(ids(&out));
        assert_eq!(out.total_record_count, Some(7));
        match out.next_token.as_deref() {
            Some("") => break,
            Some(next) => token = Some(next.to_owned()),
            None => panic!("the last token is empty by default, not absent"),
        }
    }
    assert_eq!(pages, [labels(0..3), labels(3..6), labels(6..7)]);

    // A token the emulator never handed out: the page's own error.
    let err = instances(&rds)
        .next_token("forged")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().code(), "Invalid.NextToken");

    // Function Compute (an ROA-style product): `nextToken`, no page-size parameter (10),
    // and a last page without the field.
    let fc = fc::Client::new(&config(&emulator));
    emulator
        .serve_list(List::new("ListFunctions", 12).last_token(LastToken::Absent))
        .unwrap();
    let first = fc.list_functions().send().await.unwrap();
    assert_eq!(first.functions.as_ref().map(Vec::len), Some(10));
    let next = first.next_token.clone().expect("a next token");
    let last = fc.list_functions().next_token(next).send().await.unwrap();
    assert_eq!(last.functions.as_ref().map(Vec::len), Some(2));
    assert_eq!(last.next_token, None);
    emulator
        .serve_list(List::new("ListFunctions", 3).last_token(LastToken::Empty))
        .unwrap();
    let only = fc.list_functions().send().await.unwrap();
    assert_eq!(only.next_token.as_deref(), Some(""));
}

#[tokio::test]
async fn a_string_typed_page_number_pages_too() {
    let emulator = Emulator::builder().start().await.unwrap();
    // adb DescribeAccountPrivileges types PageNumber and PageSize as strings.
    emulator
        .serve_list(List::new("DescribeAccountPrivileges", 10))
        .unwrap();
    let adb = adb::Client::new(&config(&emulator));
    let page = async |number: &str| {
        adb.describe_account_privileges()
            .region_id("cn-hangzhou")
            .db_cluster_id("am-1")
            .account_name("test")
            .page_number(number)
            .page_size("4")
            .send()
            .await
            .unwrap()
    };
    let mut all = Vec::new();
    for (number, len) in [("1", 4), ("2", 4), ("3", 2), ("4", 0)] {
        let out = page(number).await;
        let data = out.data.unwrap_or_default();
        assert_eq!(data.len(), len, "page {number}");
        assert_eq!(out.total_count, Some(10));
        assert_eq!(out.page_number, number.parse().ok());
        assert_eq!(out.page_size, Some(4));
        all.extend(
            data.into_iter()
                .map(|d| d.privilege_type.unwrap_or_default()),
        );
    }
    assert_eq!(all, labels(0..10));
}

#[tokio::test]
async fn a_capped_page_size_gives_short_pages_that_do_not_end_the_list() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeDBInstances", 10).max_page_size(4))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    // What a paginator must do: keep going until the total is reached, not stop on the
    // first page shorter than asked for.
    let mut all = Vec::new();
    let first = first_page();
    let mut page = first;
    for _ in 0..10 {
        let out = instances(&rds)
            .page_number(page)
            .page_size(10)
            .send()
            .await
            .unwrap();
        let got = ids(&out);
        assert!(got.len() <= 4);
        all.extend(got);
        if all.len() as i64 >= out.total_record_count.unwrap() {
            break;
        }
        page += 1;
    }
    assert_eq!((page - first, all), (2, labels(0..10)));
}

#[tokio::test]
async fn a_page_request_can_fail_with_a_documented_error() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeDBInstances", 5).fail_on_page(2, "InvalidExpired.Format"))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let first = instances(&rds).max_results(2).send().await.unwrap();
    let token = first.next_token.unwrap();
    let err = instances(&rds)
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        "InvalidExpired.Format"
    );
    // Only that request: the same page is served when asked again.
    let again = instances(&rds)
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&again), labels(2..4));

    assert!(matches!(
        emulator.serve_list(List::new("DescribeDBInstances", 5).fail_on_page(1, "Nope")),
        Err(ControlError::UndocumentedCode { .. })
    ));
}

#[tokio::test]
async fn lists_are_refused_for_operations_that_do_not_page() {
    let emulator = Emulator::builder().start().await.unwrap();
    let err = emulator
        .serve_list(List::new("CreateAPSJob", 3))
        .unwrap_err();
    assert!(
        matches!(&err, ControlError::NotPaged { action, .. } if action.contains("CreateAPSJob")),
        "{err}"
    );
    // A list operation the paging plan leaves ambiguous says why.
    let err = emulator
        .serve_list(List::new("DescribeDatabases", 3))
        .unwrap_err();
    assert!(err.to_string().contains("item-total"), "{err}");
    assert_eq!(
        emulator.serve_list(List::new("NoSuchAction", 3)),
        Err(ControlError::UnknownAction("NoSuchAction".into()))
    );
    // Served by several products' versions: the version must be named.
    let err = emulator
        .serve_list(List::new("ListTagResources", 3))
        .unwrap_err();
    assert!(err.to_string().contains("name the version"), "{err}");
    emulator
        .serve_list(List::new("ListTagResources", 3).version("2014-08-15"))
        .unwrap();
}

#[tokio::test]
async fn a_job_moves_through_its_states_as_it_is_polled() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .job(
            Job::new("DescribeApsJobDetail")
                .states(["Running", "Running", "Success"])
                .status_path("APSJobDetail.Status"),
        )
        .unwrap();
    let adb = adb::Client::new(&config(&emulator));
    let mut seen = Vec::new();
    for _ in 0..4 {
        let out = adb
            .describe_aps_job_detail()
            .aps_job_id("aps-1")
            .send()
            .await
            .unwrap();
        seen.push(out.aps_job_detail.unwrap().status.unwrap());
    }
    assert_eq!(seen, ["Running", "Running", "Success", "Success"]);

    for path in ["APSJobDetail.Nope", "APSJobDetail", "APSJobDetail..Status"] {
        let err = emulator
            .job(
                Job::new("DescribeApsJobDetail")
                    .states(["x"])
                    .status_path(path),
            )
            .unwrap_err();
        assert!(
            matches!(err, ControlError::NoStatus { .. }),
            "{path}: {err}"
        );
    }
    assert!(matches!(
        emulator.job(Job::new("DescribeApsJobDetail").status_path("APSJobDetail.Status")),
        Err(ControlError::BadRequest(_))
    ));
}

/// A spec tree of a few operations, with reviewed files, in a fresh temporary directory.
fn small_tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let specs = alibabacloud_emulator::default_specs_dir().expect("run inside the workspace");
    let dir = std::env::temp_dir().join(format!("emulator-paging-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let copy = |relative: &str| {
        let to = dir.join(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(specs.join(relative), to).unwrap();
    };
    for relative in [
        "adb/2021-12-01/product.json",
        "adb/2021-12-01/CreateAPSJob.json",
        "adb/2021-12-01/DescribeApsJobDetail.json",
        "rds/2014-08-15/product.json",
        "rds/2014-08-15/DescribeDBInstances.json",
    ] {
        copy(relative);
    }
    if specs.join("schema.json").is_file() {
        copy("schema.json");
    }
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn remove(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_reviewed_files_beside_the_specs_are_read() {
    let waiters = r#"{"operations": {"adb/2021-12-01/CreateAPSJob": {
        "name": "aps_job_finished", "status": "APSJobDetail.Status",
        "success": ["Success"], "failure": ["Failed"], "why": "test"}}}"#;
    let paginators = r#"{"operations": {"rds/2014-08-15/DescribeDBInstances": {
        "skip": "a test says so", "why": "test"}}}"#;
    let dir = small_tree(
        "reviewed",
        &[("waiters.json", waiters), ("paginators.json", paginators)],
    );
    let emulator = Emulator::builder().specs(&dir).start().await.unwrap();
    // No status path given: the waiter table's entry for CreateAPSJob, polled (by its
    // metadata) through DescribeApsJobDetail.
    emulator
        .job(Job::new("DescribeApsJobDetail").states(["Failed"]))
        .unwrap();
    let adb = adb::Client::new(&config(&emulator));
    let out = adb
        .describe_aps_job_detail()
        .aps_job_id("aps-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.aps_job_detail.unwrap().status.as_deref(),
        Some("Failed")
    );
    let err = emulator
        .serve_list(List::new("DescribeDBInstances", 3))
        .unwrap_err();
    assert!(err.to_string().contains("a test says so"), "{err}");
    drop(emulator);
    remove(&dir);

    let dir = small_tree("broken", &[("waiters.json", r#"{"operations": {"x": 1}}"#)]);
    let err = Emulator::builder().specs(&dir).start().await.unwrap_err();
    assert!(matches!(err, StartError::Load(_)), "{err}");
    assert!(
        err.to_string().contains("waiters.json: /operations/x"),
        "{err}"
    );
    remove(&dir);

    // Without a waiter table, a job needs its status path.
    let dir = small_tree("bare", &[]);
    let emulator = Emulator::builder().specs(&dir).start().await.unwrap();
    let err = emulator
        .job(Job::new("DescribeApsJobDetail").states(["Success"]))
        .unwrap_err();
    assert!(err.to_string().contains("waiters.json"), "{err}");
    drop(emulator);
    remove(&dir);
}

async fn post(url: String) -> (u16, serde_json::Value) {
    let response = support::http().post(url).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn the_http_list_endpoint_sets_a_list_and_refuses_bad_input() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let (status, body) = post(format!(
        "{url}/__emulator/list?action=DescribeDBInstances&items=5&version=2014-08-15&last_token=absent&max_page_size=2&fail_on_page=3&code=InvalidExpired.Format"
    ))
    .await;
    assert_eq!((status, &body["ok"]), (200, &true.into()), "{body}");
    let rds = rds::Client::new(&config(&emulator));
    let first = instances(&rds).max_results(10).send().await.unwrap();
    assert_eq!(ids(&first), labels(0..2));
    let second = instances(&rds)
        .next_token(first.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&second), labels(2..4));
    let err = instances(&rds)
        .next_token(second.next_token.clone().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        "InvalidExpired.Format"
    );
    let last = instances(&rds)
        .next_token(second.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!((ids(&last), last.next_token), (labels(4..5), None));

    for (query, says) in [
        ("action=DescribeDBInstances", "`items`"),
        ("items=3", "`action`"),
        ("action=DescribeDBInstances&items=many", "`items`"),
        (
            "action=DescribeDBInstances&items=3&last_token=none",
            "`last_token`",
        ),
        (
            "action=DescribeDBInstances&items=3&max_page_size=0",
            "`max_page_size`",
        ),
        (
            "action=DescribeDBInstances&items=3&fail_on_page=2",
            "go together",
        ),
        ("action=CreateAPSJob&items=3", "does not page"),
        ("action=NoSuchAction&items=3", "NoSuchAction"),
    ] {
        let (status, body) = post(format!("{url}/__emulator/list?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(
            body["Message"].as_str().unwrap().contains(says),
            "{query}: {body}"
        );
    }

    // A reset forgets the list: the sample's single instance again.
    let (status, _) = post(format!("{url}/__emulator/reset")).await;
    assert_eq!(status, 200);
    let out = instances(&rds).send().await.unwrap();
    assert_eq!(ids(&out), ["rm-uf6wjk5****"]);
}

#[tokio::test]
async fn the_http_job_endpoint_sets_a_job_and_refuses_bad_input() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let (status, body) = post(format!(
        "{url}/__emulator/job?action=DescribeApsJobDetail&states=Running,Success&status_path=APSJobDetail.Status&version=2021-12-01"
    ))
    .await;
    assert_eq!((status, &body["ok"]), (200, &true.into()), "{body}");
    assert_eq!(body["states"], serde_json::json!(["Running", "Success"]));
    let adb = adb::Client::new(&config(&emulator));
    let mut seen = Vec::new();
    for _ in 0..3 {
        let out = adb
            .describe_aps_job_detail()
            .aps_job_id("aps-1")
            .send()
            .await
            .unwrap();
        seen.push(out.aps_job_detail.unwrap().status.unwrap());
    }
    assert_eq!(seen, ["Running", "Success", "Success"]);

    for (query, says) in [
        ("states=Success", "`action`"),
        ("action=DescribeApsJobDetail", "`states`"),
        (
            "action=DescribeApsJobDetail&states=a,,b&status_path=APSJobDetail.Status",
            "no empty one",
        ),
        (
            "action=DescribeApsJobDetail&states=a&status_path=Nope",
            "not a field",
        ),
        ("action=NoSuchAction&states=a", "NoSuchAction"),
    ] {
        let (status, body) = post(format!("{url}/__emulator/job?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(
            body["Message"].as_str().unwrap().contains(says),
            "{query}: {body}"
        );
    }

    let (status, _) = post(format!("{url}/__emulator/reset")).await;
    assert_eq!(status, 200);
    let out = adb
        .describe_aps_job_detail()
        .aps_job_id("aps-1")
        .send()
        .await
        .unwrap();
    // The sample's own status again.
    assert_eq!(
        out.aps_job_detail.unwrap().status.as_deref(),
        Some("Running")
    );
}
