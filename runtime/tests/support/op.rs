//! A hand-written operation shaped like a generated one: query and form parameters of
//! every flattening style, an idempotency token and a secret.

use alibabacloud_runtime::{
    self as rt, ErrorKind, Location, Method, OperationMeta, ParamMeta, Sensitive, ServiceMeta,
    Style,
};
use serde::Serialize;

pub static SERVICE: ServiceMeta = ServiceMeta {
    product: "dataworks-public",
    version: "2020-05-18",
    endpoint_rule: rt::EndpointRule::Regional,
    endpoint_product_id: "dataworks-public",
    endpoints: &[("cn-hangzhou", "dataworks.cn-hangzhou.aliyuncs.com")],
};

#[derive(Clone, Debug, Serialize)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    #[serde(rename = "GroupName")]
    pub group_name: String,
    #[serde(rename = "Weight")]
    pub weight: i32,
}

/// Sent with the `flat` style: `Filter.Name=…&Filter.Values.1=…`.
#[derive(Clone, Debug, Serialize)]
pub struct Filter {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Values")]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateTaskRequest {
    #[serde(rename = "RegionId")]
    pub region_id: String,
    #[serde(rename = "ProjectId")]
    pub project_id: i64,
    #[serde(rename = "DryRun", skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[serde(rename = "TaskContent")]
    pub task_content: String,
    #[serde(rename = "Password", skip_serializing_if = "Option::is_none")]
    pub password: Option<Sensitive<String>>,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "Tag", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(rename = "Rules", skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<Rule>>,
    #[serde(rename = "InstanceIds", skip_serializing_if = "Option::is_none")]
    pub instance_ids: Option<Vec<String>>,
    #[serde(rename = "Ratio", skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    #[serde(rename = "Filter", skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateTaskData {
    pub task_id: Option<i64>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateTaskResponse {
    pub request_id: Option<String>,
    pub success: Option<bool>,
    pub code: Option<String>,
    pub data: Option<CreateTaskData>,
}

// Decoded the way generated crates decode (`codegen/src/emit/decode.rs`), so that tests and
// benchmarks pay what a generated response costs.
impl rt::Record for CreateTaskData {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        Ok(Self {
            task_id: fields.get("TaskId")?,
            status: fields.get("Status")?,
        })
    }
}

impl rt::Record for CreateTaskResponse {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        Ok(Self {
            request_id: fields.get("RequestId")?,
            success: fields.get("Success")?,
            code: fields.get("Code")?,
            data: fields.get("Data")?,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreateTaskError {
    InvalidParameter,
    ThrottlingUser,
    Unhandled(String),
}

impl ErrorKind for CreateTaskError {
    fn from_code(code: &str) -> Self {
        match code {
            "InvalidParameter" => Self::InvalidParameter,
            "Throttling.User" => Self::ThrottlingUser,
            other => Self::Unhandled(other.to_owned()),
        }
    }
    fn code(&self) -> &str {
        match self {
            Self::InvalidParameter => "InvalidParameter",
            Self::ThrottlingUser => "Throttling.User",
            Self::Unhandled(c) => c,
        }
    }
}

const fn param(name: &'static str, location: Location, style: Style) -> ParamMeta {
    ParamMeta {
        name,
        location,
        style,
        idempotency_token: false,
    }
}

impl rt::Operation for CreateTaskRequest {
    type Output = CreateTaskResponse;
    type Error = CreateTaskError;
    const META: &'static OperationMeta = &OperationMeta {
        action: "CreateDISyncTask",
        auth: alibabacloud_runtime::Auth::AccessKey,
        operation_type: alibabacloud_runtime::OperationType::ReadAndWrite,
        method: Method::Post,
        path: "/",
        params: &[
            param("RegionId", Location::Query, Style::Plain),
            param("ProjectId", Location::Query, Style::Plain),
            param("DryRun", Location::Query, Style::Plain),
            param("TaskContent", Location::Form, Style::Plain),
            param("Password", Location::Form, Style::Plain),
            ParamMeta {
                name: "ClientToken",
                location: Location::Query,
                style: Style::Plain,
                idempotency_token: true,
            },
            param("Tag", Location::Query, Style::RepeatList),
            param("Rules", Location::Form, Style::Json),
            param("InstanceIds", Location::Query, Style::Simple),
            param("Ratio", Location::Form, Style::Plain),
            param("Filter", Location::Query, Style::Flat),
        ],
    };
}

pub const TASK_CONTENT: &str =
    r#"{"type":"job","steps":[{"name":"Reader","parameter":{"where":"a > 1 & b = 'x y'"}}]}"#;

pub fn request() -> CreateTaskRequest {
    CreateTaskRequest {
        region_id: "cn-hangzhou".into(),
        project_id: 10000,
        dry_run: Some(false),
        task_content: TASK_CONTENT.into(),
        password: Some(Sensitive::from("p@ss word+1".to_owned())),
        client_token: None,
        tags: Some(vec![
            Tag {
                key: "env".into(),
                value: Some("prod".into()),
            },
            Tag {
                key: "team".into(),
                value: None,
            },
        ]),
        rules: Some(vec![Rule {
            group_name: "g 1".into(),
            weight: 3,
        }]),
        instance_ids: Some(vec!["i-1".into(), "i-2".into()]),
        ratio: Some(0.5),
        filter: Some(Filter {
            name: "zone id".into(),
            values: vec!["cn-hangzhou-a".into(), "cn-hangzhou-b".into()],
        }),
    }
}

/// A small operation like StartApsJob: two form fields.
#[derive(Clone, Debug, Serialize)]
pub struct StartJobRequest {
    #[serde(rename = "RegionId")]
    pub region_id: String,
    #[serde(rename = "ApsJobId")]
    pub aps_job_id: String,
}

impl rt::Operation for StartJobRequest {
    type Output = CreateTaskResponse;
    type Error = CreateTaskError;
    const META: &'static OperationMeta = &OperationMeta {
        action: "StartApsJob",
        auth: alibabacloud_runtime::Auth::AccessKey,
        operation_type: alibabacloud_runtime::OperationType::Write,
        method: Method::Post,
        path: "/",
        params: &[
            param("RegionId", Location::Form, Style::Plain),
            param("ApsJobId", Location::Form, Style::Plain),
        ],
    };
}

pub fn small_request() -> StartJobRequest {
    StartJobRequest {
        region_id: "cn-hangzhou".into(),
        aps_job_id: "aps-bj1xxxxxx".into(),
    }
}
