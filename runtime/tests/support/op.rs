//! A hand-written operation shaped like a generated one: query and form parameters of
//! every flattening style, an idempotency token and a secret.
//!
//! Written as `codegen` writes operations today (compare
//! `generated/alibabacloud-rds20140815/src/operations/create_replication_link.rs`), so that
//! the tests and the call benchmark take the path a generated call takes: requests and
//! their nested structs list their fields to `rt::ser::Param` (`Serialize` hands over to
//! `rt::ser::serialize`) and route them with `rt::params::route_fields`, not the default
//! `Operation::route` of a serde-derived struct; responses read their fields with
//! `Fields::reader`.

use alibabacloud_runtime::{
    self as rt, ErrorKind, Location, Method, OperationMeta, ParamMeta, Sensitive, ServiceMeta,
    Style,
};

pub static SERVICE: ServiceMeta = ServiceMeta {
    product: "dataworks-public",
    version: "2020-05-18",
    endpoint_rule: rt::EndpointRule::Regional,
    endpoint_product_id: "dataworks-public",
    endpoints: &[("cn-hangzhou", "dataworks.cn-hangzhou.aliyuncs.com")],
};

#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    pub key: String,
    pub value: Option<String>,
}

impl rt::ser::Param for Tag {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("Tag")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("Key", &self.key);
        visit.field("Value", &self.value);
    }
}

impl serde::Serialize for Tag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub group_name: String,
    pub weight: i32,
}

impl rt::ser::Param for Rule {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("Rule")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("GroupName", &self.group_name);
        visit.field("Weight", &self.weight);
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
}

/// Sent with the `flat` style: `Filter.Name=…&Filter.Values.1=…`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

impl rt::ser::Param for Filter {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("Filter")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("Name", &self.name);
        visit.field("Values", &self.values);
    }
}

impl serde::Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreateTaskRequest {
    pub region_id: String,
    pub project_id: i64,
    pub dry_run: Option<bool>,
    pub task_content: String,
    pub password: Option<Sensitive<String>>,
    pub client_token: Option<String>,
    pub tags: Option<Vec<Tag>>,
    pub rules: Option<Vec<Rule>>,
    pub instance_ids: Option<Vec<String>>,
    pub ratio: Option<f64>,
    pub filter: Option<Filter>,
}

impl rt::ser::Param for CreateTaskRequest {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("CreateTaskRequest")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("RegionId", &self.region_id);
        visit.field("ProjectId", &self.project_id);
        visit.field("DryRun", &self.dry_run);
        visit.field("TaskContent", &self.task_content);
        visit.field("Password", &self.password);
        visit.field("ClientToken", &self.client_token);
        visit.field("Tag", &self.tags);
        visit.field("Rules", &self.rules);
        visit.field("InstanceIds", &self.instance_ids);
        visit.field("Ratio", &self.ratio);
        visit.field("Filter", &self.filter);
    }
}

impl serde::Serialize for CreateTaskRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
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

impl rt::Record for CreateTaskData {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        let mut out = Self {
            task_id: None,
            status: None,
        };
        let mut reader = fields.reader();
        reader.read("TaskId", &mut out.task_id);
        reader.read("Status", &mut out.status);
        match reader.into_error() {
            None => Ok(out),
            Some(error) => Err(error),
        }
    }
}

impl<'de> serde::Deserialize<'de> for CreateTaskData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        rt::decode::deserialize(deserializer)
    }
}

impl rt::Record for CreateTaskResponse {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        let mut out = Self {
            request_id: None,
            success: None,
            code: None,
            data: None,
        };
        let mut reader = fields.reader();
        reader.read("RequestId", &mut out.request_id);
        reader.read("Success", &mut out.success);
        reader.read("Code", &mut out.code);
        reader.read("Data", &mut out.data);
        match reader.into_error() {
            None => Ok(out),
            Some(error) => Err(error),
        }
    }
}

impl<'de> serde::Deserialize<'de> for CreateTaskResponse {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        rt::decode::deserialize(deserializer)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateTaskError {
    InvalidParameter,
    ThrottlingUser,
    Unhandled,
}

impl ErrorKind for CreateTaskError {
    const CODES: &'static [&'static str] = &["InvalidParameter", "Throttling.User"];
    const DOCUMENTED: &'static [Self] = &[Self::InvalidParameter, Self::ThrottlingUser];
    const UNHANDLED: Self = Self::Unhandled;
    fn position(&self) -> usize {
        *self as usize
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
    fn route(&self) -> Result<rt::params::Routed, rt::BuildError> {
        rt::params::route_fields(Self::META, self)
    }
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
#[derive(Clone, Debug, PartialEq)]
pub struct StartJobRequest {
    pub region_id: String,
    pub aps_job_id: String,
}

impl rt::ser::Param for StartJobRequest {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("StartJobRequest")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("RegionId", &self.region_id);
        visit.field("ApsJobId", &self.aps_job_id);
    }
}

impl serde::Serialize for StartJobRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
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
    fn route(&self) -> Result<rt::params::Routed, rt::BuildError> {
        rt::params::route_fields(Self::META, self)
    }
}

pub fn small_request() -> StartJobRequest {
    StartJobRequest {
        region_id: "cn-hangzhou".into(),
        aps_job_id: "aps-bj1xxxxxx".into(),
    }
}
