//! `errorCodes` (`{"<http status>": [{errorCode, errorMessage, description?}]}`) becomes the
//! spec's error table, statuses and rows in file order, duplicates kept (as on the pages).

use serde_json::Value;

use super::issues::{IssueKind, Recorder, child};
use super::raw::{Ordered, RawErrorRow};
use super::schema::{scalar_text, text};
use crate::spec::ErrorRow;

/// The error rows of one operation; `pointer` is the operation's.
pub(super) fn error_rows(
    table: Option<&Ordered<Vec<RawErrorRow>>>,
    pointer: &str,
    recorder: &mut Recorder,
) -> Vec<ErrorRow> {
    let Some(table) = table else {
        return Vec::new();
    };
    let pointer = child(pointer, "errorCodes");
    let mut rows = Vec::new();
    for (status_text, raw_rows) in &table.0 {
        let status_pointer = child(&pointer, status_text);
        let status = status_text
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|s| (100..=599).contains(s));
        let Some(status) = status else {
            recorder.record(
                IssueKind::MalformedErrorStatus,
                &status_pointer,
                format!(
                    "`{status_text}` is not an HTTP status (100..=599); its {} row(s) skipped",
                    raw_rows.len()
                ),
            );
            continue;
        };
        for (index, raw) in raw_rows.iter().enumerate() {
            let row_pointer = child(&status_pointer, &index.to_string());
            let code = scalar_text(raw.code.as_ref(), &row_pointer, "errorCode", recorder)
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty());
            let Some(code) = code else {
                recorder.record(
                    IssueKind::MissingErrorCode,
                    &row_pointer,
                    "row without a code skipped",
                );
                continue;
            };
            rows.push(ErrorRow {
                status,
                code,
                message: message(raw.message.as_ref(), &row_pointer, recorder),
                description: text(
                    raw.description.as_ref(),
                    &row_pointer,
                    "description",
                    recorder,
                )
                .filter(|d| d != "-"),
            });
        }
    }
    rows
}

fn message(value: Option<&Value>, pointer: &str, recorder: &mut Recorder) -> Option<String> {
    text(value, pointer, "errorMessage", recorder).filter(|m| m != "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_file_order_and_duplicates_and_bad_statuses_are_recorded() {
        let table: Ordered<Vec<RawErrorRow>> = serde_json::from_str(
            r#"{"400":[{"errorCode":"Pay.NoCreditCard","errorMessage":"m1"},{"errorCode":"pay.noCreditCard","errorMessage":"m2","description":"-"},{"errorCode":"Pay.NoCreditCard","errorMessage":"m1"}],
                "4xx":[{"errorCode":"A"}],
                "600":[{"errorCode":"C"}],
                "999999":[{"errorCode":"B"}],
                "500":[{"errorCode":"","errorMessage":"x"},{"errorCode":"InternalError","errorMessage":"","description":" The server failed. "}]}"#,
        )
        .unwrap();
        let mut recorder = Recorder::default();
        let rows = error_rows(Some(&table), "/apis/Op", &mut recorder);
        let got: Vec<(u16, &str, Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| {
                (
                    r.status,
                    r.code.as_str(),
                    r.message.as_deref(),
                    r.description.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (400, "Pay.NoCreditCard", Some("m1"), None),
                (400, "pay.noCreditCard", Some("m2"), None),
                (400, "Pay.NoCreditCard", Some("m1"), None),
                (500, "InternalError", None, Some("The server failed.")),
            ]
        );
        let kinds: Vec<IssueKind> = recorder.issues.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                // `4xx`, `600` and `999999`: not statuses, each recorded.
                IssueKind::MalformedErrorStatus,
                IssueKind::MalformedErrorStatus,
                IssueKind::MalformedErrorStatus,
                IssueKind::MissingErrorCode
            ]
        );
        assert_eq!(recorder.issues[3].pointer, "/apis/Op/errorCodes/500/0");
    }
}
