//! `apis.<Action>` becomes an operation spec: methods, path, parameters with their wire
//! location and flattening style, the response schema, samples, errors and async polling.

use serde_json::Value;

use super::errors::error_rows;
use super::issues::{IssueKind, Recorder, child};
use super::raw::{RawApi, RawParam, RawStaticInfo};
use super::samples::samples;
use super::schema::{SchemaContext, convert, flag, scalar_text, text, usable_name};
use crate::spec::{
    AsyncInfo, Field, FieldType, HttpMethod, Location, OperationSpec, OperationType, ParamStyle,
    Source,
};

/// Who the operation belongs to, for resolving polling callbacks and naming the source.
pub(super) struct Owner<'a> {
    pub(super) metadata_code: &'a str,
    pub(super) version: &'a str,
    pub(super) source: &'a str,
}

/// Converts one operation.
pub(super) fn operation(
    action: &str,
    api: &RawApi,
    owner: &Owner<'_>,
    cx: &mut SchemaContext<'_>,
) -> OperationSpec {
    let pointer = child("/apis", action);
    let description = text(
        api.description.as_ref(),
        &pointer,
        "description",
        cx.recorder,
    );
    let mut spec = OperationSpec {
        schema: None,
        action: action.to_owned(),
        summary: summary(action, api, description.as_deref(), &pointer, cx.recorder),
        description,
        source: Source {
            page: None,
            metadata: Some(owner.source.to_owned()),
        },
        methods: methods(&api.methods, &pointer, cx.recorder),
        path: text(api.path.as_ref(), &pointer, "path", cx.recorder)
            .unwrap_or_else(|| "/".to_owned()),
        deprecated: flag(api.deprecated.as_ref(), &pointer, "deprecated", cx.recorder),
        operation_type: operation_type(api.operation_type.as_ref(), &pointer, cx.recorder),
        consumes: strings(&api.consumes, &child(&pointer, "consumes"), cx.recorder),
        produces: strings(&api.produces, &child(&pointer, "produces"), cx.recorder),
        asynchronous: api
            .static_info
            .as_ref()
            .and_then(|info| asynchronous(info, owner, &pointer, cx.recorder)),
        security: security(api),
        request: parameters(&api.parameters, &pointer, cx),
        response: response(api, &pointer, cx),
        response_headers: response_headers(api, &pointer, cx),
        samples: samples(api.response_demo.as_ref(), &pointer, cx.recorder),
        errors: error_rows(api.error_codes.as_ref(), &pointer, cx.recorder),
        discrepancies: Vec::new(),
    };
    let (path, request) = repair_path(
        std::mem::take(&mut spec.path),
        std::mem::take(&mut spec.request),
        &pointer,
        cx.recorder,
    );
    spec.path = path;
    spec.request = request;
    spec
}

/// `summary`, else `title`, else the description's first line, else the action name.
fn summary(
    action: &str,
    api: &RawApi,
    description: Option<&str>,
    pointer: &str,
    recorder: &mut Recorder,
) -> String {
    if let Some(summary) = text(api.summary.as_ref(), pointer, "summary", recorder) {
        return summary;
    }
    if let Some(title) = text(api.title.as_ref(), pointer, "title", recorder) {
        return title;
    }
    let fallback = description
        .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or(action)
        .to_owned();
    recorder.record(
        IssueKind::MissingSummary,
        pointer,
        format!("no summary or title; using {fallback:?}"),
    );
    fallback
}

fn methods(values: &[Value], pointer: &str, recorder: &mut Recorder) -> Vec<HttpMethod> {
    let mut methods = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        let method = match value.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("get") => HttpMethod::Get,
            Some("post") => HttpMethod::Post,
            Some("put") => HttpMethod::Put,
            Some("delete") => HttpMethod::Delete,
            Some("patch") => HttpMethod::Patch,
            Some("head") => HttpMethod::Head,
            _ => {
                recorder.record(
                    IssueKind::UnknownMethod,
                    &child(&child(pointer, "methods"), &index.to_string()),
                    format!("method {value} cannot be said in a spec; skipped"),
                );
                continue;
            }
        };
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    if methods.is_empty() {
        recorder.record(
            IssueKind::NoMethods,
            pointer,
            "no usable method; assuming post",
        );
        methods.push(HttpMethod::Post);
    }
    methods
}

fn strings(values: &[Value], pointer: &str, recorder: &mut Recorder) -> Vec<String> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| scalar_text(Some(v), pointer, &i.to_string(), recorder))
        .collect()
}

/// `operationType`: `read`, `write` or `readAndWrite`; anything else is recorded and left
/// out (the runtime then treats the operation as a write).
fn operation_type(
    value: Option<&Value>,
    pointer: &str,
    recorder: &mut Recorder,
) -> Option<OperationType> {
    match value? {
        Value::String(s) if s == "read" => Some(OperationType::Read),
        Value::String(s) if s == "write" => Some(OperationType::Write),
        Value::String(s) if s == "readAndWrite" => Some(OperationType::ReadAndWrite),
        Value::Null => None,
        other => {
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, "operationType"),
                format!("operationType {other} is not read, write or readAndWrite; left out"),
            );
            None
        }
    }
}

/// Scheme names of `security`, unless it is the usual `AK` alone.
fn security(api: &RawApi) -> Vec<String> {
    let names: Vec<String> = api
        .security
        .iter()
        .flat_map(|entry| entry.0.iter().map(|(name, _)| name.clone()))
        .collect();
    if names.is_empty() || names == ["AK"] {
        Vec::new()
    } else {
        names
    }
}

fn asynchronous(
    info: &RawStaticInfo,
    owner: &Owner<'_>,
    pointer: &str,
    recorder: &mut Recorder,
) -> Option<AsyncInfo> {
    if info.return_type.as_deref() != Some("asynchronous") {
        return None;
    }
    let pointer = child(pointer, "staticInfo");
    let poll = info.callback.as_deref().map(|callback| {
        let parts: Vec<&str> = callback.split("::").collect();
        match parts.as_slice() {
            [product, version, action]
                if product.eq_ignore_ascii_case(owner.metadata_code)
                    && *version == owner.version =>
            {
                (*action).to_owned()
            }
            _ => {
                recorder.record(
                    IssueKind::ForeignCallback,
                    &child(&pointer, "callback"),
                    format!("`{callback}` is not an action of this product version; kept verbatim"),
                );
                callback.to_owned()
            }
        }
    });
    let number = |value: Option<&Value>, key: &str, recorder: &mut Recorder| {
        let value = value?;
        let parsed = value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()));
        if parsed.is_none() {
            recorder.record(
                IssueKind::MalformedValue,
                &child(&pointer, key),
                format!("{value} is not a count; ignored"),
            );
        }
        parsed
    };
    // `callbackInterval` is milliseconds (3000, 5000, ...), except for the ten operations
    // that write 3 or 5: no service is polled every 3 ms, so a small integer is seconds.
    let interval = number(
        info.callback_interval.as_ref(),
        "callbackInterval",
        recorder,
    );
    let (interval_seconds, interval_millis) = match interval {
        Some(value) if value <= SECONDS_UP_TO => (Some(value), None),
        other => (None, other),
    };
    Some(AsyncInfo {
        poll,
        interval_seconds,
        interval_millis,
        max_tries: number(
            info.max_callback_times.as_ref(),
            "maxCallbackTimes",
            recorder,
        ),
    })
}

/// The largest `callbackInterval` read as seconds rather than milliseconds (the runtime's
/// `waiter::poll_interval_from_metadata` draws the same line).
const SECONDS_UP_TO: u64 = 60;

fn location(name: &str) -> Option<Location> {
    Some(match name {
        "query" => Location::Query,
        "formData" => Location::FormData,
        "body" => Location::Body,
        "path" => Location::Path,
        "header" => Location::Header,
        "host" => Location::Host,
        _ => return None,
    })
}

fn style(name: &str) -> Option<ParamStyle> {
    Some(match name {
        "repeatList" => ParamStyle::RepeatList,
        "flat" => ParamStyle::Flat,
        "json" => ParamStyle::Json,
        "simple" => ParamStyle::Simple,
        "spaceDelimited" => ParamStyle::SpaceDelimited,
        "pipeDelimited" => ParamStyle::PipeDelimited,
        "xml" => ParamStyle::Xml,
        _ => return None,
    })
}

fn parameters(params: &[RawParam], pointer: &str, cx: &mut SchemaContext<'_>) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::with_capacity(params.len());
    for (index, param) in params.iter().enumerate() {
        let pointer = child(&child(pointer, "parameters"), &index.to_string());
        let name = param.name.trim();
        if !usable_name(name) {
            cx.recorder.record(
                IssueKind::UnusableName,
                &pointer,
                format!("parameter name {name:?} cannot become a Rust identifier; skipped"),
            );
            continue;
        }
        if fields.iter().any(|f| f.name.as_deref() == Some(name)) {
            cx.recorder.record(
                IssueKind::DuplicateParameter,
                &pointer,
                format!("`{name}` listed again; the first is kept"),
            );
            continue;
        }
        let Some(location) = location(&param.location) else {
            cx.recorder.record(
                IssueKind::UnknownLocation,
                &child(&pointer, "in"),
                format!(
                    "location `{}` cannot be said in a spec; parameter `{name}` skipped",
                    param.location
                ),
            );
            continue;
        };
        let mut field = convert(&param.schema, Some(name), &child(&pointer, "schema"), cx);
        field.location = Some(location);
        field.style = param.style.as_deref().and_then(|s| {
            let parsed = style(s);
            if parsed.is_none() {
                cx.recorder.record(
                    IssueKind::UnknownStyle,
                    &child(&pointer, "style"),
                    format!("style `{s}` cannot be said in a spec; `{name}` kept without a style"),
                );
            }
            parsed
        });
        field.idempotency_token =
            name.eq_ignore_ascii_case("ClientToken") && field.ty == Some(FieldType::String);
        fields.push(field);
    }
    fields
}

/// The `200` schema, else the first other 2xx; a 2xx without schema (`204`) is an empty
/// object. What the spec cannot say (error-status schemas, headers) is recorded.
fn response(api: &RawApi, pointer: &str, cx: &mut SchemaContext<'_>) -> Field {
    let pointer = child(pointer, "responses");
    let success = api
        .responses
        .0
        .iter()
        .find(|(status, _)| status == "200")
        .or_else(|| {
            api.responses
                .0
                .iter()
                .find(|(status, _)| status.starts_with('2'))
        });
    let mut unrepresented: Vec<String> = Vec::new();
    for (status, response) in &api.responses.0 {
        let is_success = success.is_some_and(|(chosen, _)| chosen == status);
        if response.schema.is_some() && !is_success {
            unrepresented.push(format!("schema of `{status}`"));
        }
        let has_headers = response.headers.as_ref().is_some_and(|h| !h.0.is_empty());
        if has_headers && !is_success {
            unrepresented.push(format!("headers of `{status}`"));
        }
    }
    if !unrepresented.is_empty() {
        cx.recorder.record(
            IssueKind::UnrepresentedResponse,
            &pointer,
            format!("not carried: {}", unrepresented.join(", ")),
        );
    }
    let empty_object = || Field {
        ty: Some(FieldType::Object),
        properties: Some(Vec::new()),
        ..Field::default()
    };
    match success {
        Some((status, response)) => match &response.schema {
            Some(schema) => {
                let pointer = child(&child(&pointer, status), "schema");
                let root = convert(schema, None, &pointer, cx);
                let read_as_body = |ty: FieldType| {
                    matches!(
                        ty,
                        FieldType::Object
                            | FieldType::Array
                            | FieldType::String
                            | FieldType::Binary
                            | FieldType::Any
                    )
                };
                if root.ty.is_some_and(|ty| !read_as_body(ty)) {
                    cx.recorder.record(
                        IssueKind::NonObjectResponse,
                        &pointer,
                        format!("the response is {:?}, not an object; kept", root.ty),
                    );
                }
                root
            }
            // An ROA operation without a schema answers with no body the SDK reads
            // (`bodyType 'none'`); an RPC one still answers a JSON object.
            None if api.path.is_some() => Field::default(),
            None => empty_object(),
        },
        None => {
            cx.recorder.record(
                IssueKind::NoResponseSchema,
                &pointer,
                "no 2xx response; the response is an empty object",
            );
            empty_object()
        }
    }
}

/// The headers the success response documents, each a field named after its header.
fn response_headers(api: &RawApi, pointer: &str, cx: &mut SchemaContext<'_>) -> Vec<Field> {
    let Some((status, response)) = api
        .responses
        .0
        .iter()
        .find(|(status, _)| status.starts_with('2'))
    else {
        return Vec::new();
    };
    let Some(headers) = &response.headers else {
        return Vec::new();
    };
    let pointer = child(&child(&child(pointer, "responses"), status), "headers");
    headers
        .0
        .iter()
        .map(|(name, header)| {
            let at = child(&child(&pointer, name), "schema");
            let mut field = match &header.schema {
                Some(schema) => convert(schema, None, &at, cx),
                None => Field {
                    ty: Some(FieldType::String),
                    ..Field::default()
                },
            };
            field.name = Some(name.clone());
            if field.ty.is_none() && field.reference.is_none() {
                field.ty = Some(FieldType::String);
            }
            field
        })
        .collect()
}

/// The path template and path parameters made consistent (styles reference §1.3): a
/// `[name]` placeholder of a path parameter becomes `{name}`; a path parameter the template
/// does not contain is skipped, since no SDK can send it. Both are reported.
fn repair_path(
    mut path: String,
    mut request: Vec<Field>,
    pointer: &str,
    recorder: &mut Recorder,
) -> (String, Vec<Field>) {
    let path_names: Vec<String> = request
        .iter()
        .filter(|p| p.location == Some(Location::Path))
        .filter_map(|p| p.name.clone())
        .collect();
    for name in &path_names {
        let bracketed = format!("[{name}]");
        if !path.contains(&format!("{{{name}}}")) && path.contains(&bracketed) {
            recorder.record(
                IssueKind::BracketPlaceholder,
                &child(pointer, "path"),
                format!("`{bracketed}` read as `{{{name}}}`"),
            );
            path = path.replace(&bracketed, &format!("{{{name}}}"));
        }
    }
    request.retain(|p| {
        let name = p.name.as_deref().unwrap_or_default();
        let missing = p.location == Some(Location::Path) && !path.contains(&format!("{{{name}}}"));
        if missing {
            recorder.record(
                IssueKind::PathParameterNotInTemplate,
                &child(pointer, "parameters"),
                format!(
                    "`{name}` is `in: path`, but the template `{path}` has no `{{{name}}}`; skipped"
                ),
            );
        }
        !missing
    });
    (path, request)
}
