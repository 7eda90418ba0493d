//! The resolved model on small specs: names, types, collisions and what is reported.

use super::*;
use crate::spec::{Endpoints, ErrorRow, Sample, SampleFormat, Source};

fn product(style: ApiStyle) -> ProductSpec {
    ProductSpec {
        schema: None,
        code: "demo".to_owned(),
        metadata_code: None,
        version: "2024-01-01".to_owned(),
        title: "Demo".to_owned(),
        style,
        crate_name: "alibabacloud-demo20240101".to_owned(),
        endpoints: Endpoints {
            rule: EndpointRule::Regional,
            product_id: "demo".to_owned(),
            regions: BTreeMap::from([("cn-hangzhou".to_owned(), "demo.aliyuncs.com".to_owned())]),
        },
        schemas: BTreeMap::new(),
        sources: Vec::new(),
    }
}

fn field(name: &str, ty: FieldType) -> Field {
    Field {
        name: Some(name.to_owned()),
        ty: Some(ty),
        ..Field::default()
    }
}

fn param(name: &str, ty: FieldType, location: Location) -> Field {
    Field {
        location: Some(location),
        ..field(name, ty)
    }
}

fn object(name: Option<&str>, properties: Vec<Field>) -> Field {
    Field {
        name: name.map(str::to_owned),
        ty: Some(FieldType::Object),
        properties: Some(properties),
        ..Field::default()
    }
}

fn operation(action: &str, request: Vec<Field>, response: Vec<Field>) -> OperationSpec {
    OperationSpec {
        schema: None,
        action: action.to_owned(),
        summary: format!("Does {action}."),
        description: None,
        source: Source {
            page: None,
            metadata: None,
        },
        methods: vec![HttpMethod::Get, HttpMethod::Post],
        path: "/".to_owned(),
        deprecated: false,
        operation_type: None,
        consumes: Vec::new(),
        produces: Vec::new(),
        asynchronous: None,
        security: Vec::new(),
        request,
        response: object(None, response),
        response_headers: Vec::new(),
        samples: Vec::new(),
        errors: Vec::new(),
        discrepancies: Vec::new(),
    }
}

fn row(status: u16, code: &str) -> ErrorRow {
    ErrorRow {
        status,
        code: code.to_owned(),
        message: Some(format!("message of {code}")),
        description: None,
    }
}

fn resolve(ops: &[OperationSpec]) -> CrateModel {
    CrateModel::resolve(&product(ApiStyle::Rpc), ops)
}

#[test]
fn operation_names_and_method() {
    let model = resolve(&[operation("CreateAPSJob", vec![], vec![])]);
    let op = &model.operations[0];
    assert_eq!(op.module, "create_aps_job");
    assert_eq!(op.request_type, "CreateApsJobRequest");
    assert_eq!(op.builder_type, "CreateApsJobBuilder");
    assert_eq!(op.response_type, "CreateApsJobResponse");
    assert_eq!(op.error_type, "CreateApsJobError");
    assert_eq!(op.method, HttpMethod::Post, "POST whenever it is allowed");
    assert_eq!(model.lib_name(), "alibabacloud_demo20240101");
}

#[test]
fn get_only_operations_keep_get() {
    let mut op = operation("DescribeThings", vec![], vec![]);
    op.methods = vec![HttpMethod::Get];
    assert_eq!(resolve(&[op]).operations[0].method, HttpMethod::Get);
}

#[test]
fn parameters_map_types_required_and_flags() {
    let mut password = param(
        "SourceEndpointPassword",
        FieldType::String,
        Location::FormData,
    );
    password.sensitive = true;
    let mut token = param("ClientToken", FieldType::String, Location::Query);
    token.idempotency_token = true;
    token.required = true;
    let mut region = param("RegionId", FieldType::String, Location::Query);
    region.required = true;
    let ops = [operation(
        "Op",
        vec![
            region,
            param(
                "SourceEndpointInstanceID",
                FieldType::String,
                Location::FormData,
            ),
            param("Size", FieldType::Integer, Location::Query),
            param("Bytes", FieldType::Long, Location::Query),
            param("Enabled", FieldType::Boolean, Location::Query),
            param("Ratio", FieldType::Float, Location::Query),
            param("Price", FieldType::Double, Location::Query),
            param("Amount", FieldType::Number, Location::Query),
            param("Anything", FieldType::Any, Location::Query),
            password,
            token,
        ],
        vec![],
    )];
    let model = resolve(&ops);
    let params = &model.operations[0].params;
    let summary: Vec<(&str, &Ty, bool)> = params
        .iter()
        .map(|p| (p.field.ident.as_str(), &p.field.ty, p.required))
        .collect();
    let sensitive = Ty::Sensitive(Box::new(Ty::String));
    assert_eq!(
        summary,
        vec![
            ("region_id", &Ty::String, true),
            ("source_endpoint_instance_id", &Ty::String, false),
            ("size", &Ty::I32, false),
            ("bytes", &Ty::I64, false),
            ("enabled", &Ty::Bool, false),
            ("ratio", &Ty::F64, false),
            ("price", &Ty::F64, false),
            ("amount", &Ty::F64, false),
            ("anything", &Ty::Value, false),
            ("source_endpoint_password", &sensitive, false),
            // A required token is still optional for the caller: the runtime fills it.
            ("client_token", &Ty::String, false),
        ]
    );
    assert!(params[10].idempotency_token);
    assert_eq!(params[1].location, Location::FormData);
}

#[test]
fn nested_objects_arrays_and_maps_get_structs_named_after_their_parents() {
    let tags = Field {
        items: Some(Box::new(object(
            None,
            vec![field("Key", FieldType::String)],
        ))),
        style: Some(ParamStyle::RepeatList),
        ..param("Tag", FieldType::Array, Location::Query)
    };
    let ids = Field {
        items: Some(Box::new(field("", FieldType::String))),
        ..param("Ids", FieldType::Array, Location::Query)
    };
    let labels = Field {
        additional_properties: Some(Box::new(field("", FieldType::Integer))),
        ..field("Labels", FieldType::Object)
    };
    let data = object(
        Some("Data"),
        vec![
            object(Some("Inner"), vec![field("Deep", FieldType::Long)]),
            labels,
        ],
    );
    let model = resolve(&[operation("CreateDISyncTask", vec![tags, ids], vec![data])]);
    let op = &model.operations[0];
    let named = |name: &str| Ty::Named {
        name: name.to_owned(),
        shared: false,
        boxed: false,
    };
    assert_eq!(
        op.params[0].field.ty,
        Ty::Vec(Box::new(named("CreateDiSyncTaskRequestTag")))
    );
    assert_eq!(op.params[0].style, Some(ParamStyle::RepeatList));
    assert_eq!(op.params[1].field.ty, Ty::Vec(Box::new(Ty::String)));
    let request_structs: Vec<&str> = op.request_structs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(request_structs, ["CreateDiSyncTaskRequestTag"]);
    let response_structs: Vec<&str> = op
        .response_structs
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        response_structs,
        [
            "CreateDiSyncTaskResponseDataInner",
            "CreateDiSyncTaskResponseData"
        ]
    );
    let data = &op.response_structs[1];
    // Response integers are 64-bit: services exceed the documented 32 bits.
    assert_eq!(data.fields[1].ty, Ty::Map(Box::new(Ty::I64)));
}

#[test]
fn empty_objects_are_free_form_values() {
    let model = resolve(&[operation("Op", vec![], vec![object(Some("Extra"), vec![])])]);
    let ResponseModel::Struct(response) = &model.operations[0].response else {
        panic!("a struct response");
    };
    assert_eq!(response.fields[0].ty, Ty::Value);
}

#[test]
fn field_collisions_keywords_and_reserved_builder_names() {
    let ops = [operation(
        "Op",
        vec![
            param("DBName", FieldType::String, Location::Query),
            param("DbName", FieldType::String, Location::Query),
            param("Type", FieldType::String, Location::Query),
            param("Self", FieldType::String, Location::Query),
            param("Build", FieldType::String, Location::Query),
            param("Client", FieldType::String, Location::Query),
            param("3DES", FieldType::String, Location::Query),
        ],
        vec![],
    )];
    let model = resolve(&ops);
    let idents: Vec<&str> = model.operations[0]
        .params
        .iter()
        .map(|p| p.field.ident.as_str())
        .collect();
    assert_eq!(
        idents,
        [
            "db_name",
            "db_name_2",
            "r#type",
            "self_",
            "build_2",
            "client_2",
            "_3des"
        ]
    );
}

#[test]
fn operations_differing_only_in_case_get_distinct_names() {
    let model = resolve(&[
        operation("DescribeDBInstances", vec![], vec![]),
        operation("DescribeDbInstances", vec![], vec![]),
        operation("New", vec![], vec![]),
    ]);
    let names: Vec<(&str, &str)> = model
        .operations
        .iter()
        .map(|op| (op.module.as_str(), op.request_type.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("describe_db_instances", "DescribeDbInstancesRequest"),
            ("describe_db_instances_2", "DescribeDbInstances2Request"),
            // `Client::new` is the constructor.
            ("new_2", "NewRequest"),
        ]
    );
}

#[test]
fn nested_types_never_shadow_operation_types() {
    // `Get` has a request object `Foo` → `GetRequestFoo`, which is operation
    // `GetRequestFoo`'s base; and `GetRequestFoo`'s `Builder` collides with ... nothing,
    // since operations claim their four names before any nested type.
    let nested = Field {
        location: Some(Location::Query),
        style: Some(ParamStyle::Json),
        ..object(Some("Foo"), vec![field("A", FieldType::String)])
    };
    let builder_field = Field {
        location: Some(Location::Query),
        style: Some(ParamStyle::Json),
        ..object(Some("Builder"), vec![field("A", FieldType::String)])
    };
    let model = resolve(&[
        operation("Get", vec![nested], vec![]),
        operation("GetRequestFoo", vec![], vec![]),
        operation("X", vec![builder_field], vec![]),
        operation("XRequest", vec![], vec![]),
    ]);
    let op = |action: &str| {
        model
            .operations
            .iter()
            .find(|op| op.action == action)
            .unwrap()
    };
    assert_eq!(op("GetRequestFoo").builder_type, "GetRequestFooBuilder");
    assert_eq!(
        op("Get").request_structs[0].name,
        "GetRequestFoo",
        "free: no op owns it"
    );
    // `X`'s nested `Builder` object would be `XRequestBuilder`, the builder of `XRequest`.
    assert_eq!(op("XRequest").builder_type, "XRequestBuilder");
    assert_eq!(op("X").request_structs[0].name, "XRequestBuilder2");
}

#[test]
fn error_codes_dots_case_collisions_and_duplicates() {
    let mut op = operation("CreateReplicationLink", vec![], vec![]);
    op.errors = vec![
        row(400, "pay.noCreditCard"),
        row(400, "BasicInfoUncompleted"),
        row(400, "Pay.NoCreditCard"),
        row(400, "BasicInfoUncompleted"),
        row(400, "Unhandled"),
        row(404, "InvalidDBInstanceId.NotFound"),
    ];
    let model = resolve(&[op]);
    let variants: Vec<(&str, &str, usize)> = model.operations[0]
        .errors
        .iter()
        .map(|v| (v.ident.as_str(), v.code.as_str(), v.rows.len()))
        .collect();
    assert_eq!(
        variants,
        [
            // Page order is kept for listing; names do not depend on it: the byte-smaller
            // code keeps the plain name.
            ("PayNoCreditCard2", "pay.noCreditCard", 1),
            ("BasicInfoUncompleted", "BasicInfoUncompleted", 2),
            ("PayNoCreditCard", "Pay.NoCreditCard", 1),
            ("Unhandled2", "Unhandled", 1),
            (
                "InvalidDbInstanceIdNotFound",
                "InvalidDBInstanceId.NotFound",
                1
            ),
        ]
    );
}

#[test]
fn error_names_do_not_depend_on_row_order() {
    let names = |codes: &[&str]| {
        let mut op = operation("Op", vec![], vec![]);
        op.errors = codes.iter().map(|code| row(400, code)).collect();
        let model = resolve(&[op]);
        let mut pairs: Vec<(String, String)> = model.operations[0]
            .errors
            .iter()
            .map(|v| (v.code.clone(), v.ident.clone()))
            .collect();
        pairs.sort();
        pairs
    };
    let forward = names(&[
        "Pay.NoCreditCard",
        "pay.noCreditCard",
        "PayNoCreditCard2",
        "A.B",
    ]);
    let backward = names(&[
        "A.B",
        "PayNoCreditCard2",
        "pay.noCreditCard",
        "Pay.NoCreditCard",
    ]);
    assert_eq!(forward, backward);
    // A code whose own name is `PayNoCreditCard2` keeps it; the case twin moves on.
    assert!(forward.contains(&("PayNoCreditCard2".to_owned(), "PayNoCreditCard2".to_owned())));
    assert!(forward.contains(&("pay.noCreditCard".to_owned(), "PayNoCreditCard3".to_owned())));
}

#[test]
fn shared_schemas_become_types_and_cycles_are_boxed() {
    let mut product = product(ApiStyle::Rpc);
    let node = object(
        None,
        vec![
            field("Name", FieldType::String),
            Field {
                name: Some("Parent".to_owned()),
                reference: Some("Node".to_owned()),
                ..Field::default()
            },
            Field {
                name: Some("Children".to_owned()),
                ty: Some(FieldType::Array),
                items: Some(Box::new(Field {
                    reference: Some("Node".to_owned()),
                    ..Field::default()
                })),
                ..Field::default()
            },
        ],
    );
    product.schemas.insert("Node".to_owned(), node);
    product
        .schemas
        .insert("Id".to_owned(), field("", FieldType::Long));
    let op = operation(
        "GetTree",
        vec![Field {
            name: Some("RootId".to_owned()),
            reference: Some("Id".to_owned()),
            location: Some(Location::Query),
            ..Field::default()
        }],
        vec![Field {
            name: Some("Root".to_owned()),
            reference: Some("Node".to_owned()),
            ..Field::default()
        }],
    );
    let model = CrateModel::resolve(&product, &[op]);
    assert!(model.unsupported.is_empty(), "{:?}", model.unsupported);
    assert_eq!(model.shared.len(), 1);
    let node = &model.shared[0];
    assert_eq!(node.name, "Node");
    let boxed = Ty::Named {
        name: "Node".to_owned(),
        shared: true,
        boxed: true,
    };
    assert_eq!(node.fields[1].ty, boxed, "a direct self reference is boxed");
    let unboxed = Ty::Named {
        name: "Node".to_owned(),
        shared: true,
        boxed: false,
    };
    assert_eq!(
        node.fields[2].ty,
        Ty::Vec(Box::new(unboxed)),
        "a Vec needs no Box"
    );
    let op = &model.operations[0];
    assert_eq!(
        op.params[0].field.ty,
        Ty::I64,
        "an alias schema is mapped in place"
    );
    let ResponseModel::Struct(response) = &op.response else {
        panic!()
    };
    assert_eq!(
        response.fields[0].ty,
        Ty::Named {
            name: "Node".to_owned(),
            shared: true,
            boxed: false
        }
    );
}

#[test]
fn unsupported_constructs_are_reported_and_the_operation_left_out() {
    let mut product = product(ApiStyle::Rpc);
    product.schemas.insert(
        "File".to_owned(),
        object(None, vec![field("Data", FieldType::Binary)]),
    );
    let xml = Field {
        style: Some(ParamStyle::Xml),
        ..param("Doc", FieldType::String, Location::Query)
    };
    let mixed = Field {
        additional_properties: Some(Box::new(field("", FieldType::String))),
        ..object(Some("Mixed"), vec![field("A", FieldType::String)])
    };
    let mut bearer = operation("Bearer", vec![], vec![]);
    bearer.security = vec!["BearerToken".to_owned()];
    let mut scalar_root = operation("ScalarRoot", vec![], vec![]);
    scalar_root.response = field("", FieldType::Integer);
    let ops = [
        bearer,
        operation(
            "FormUpload",
            vec![param("Content", FieldType::Binary, Location::FormData)],
            vec![],
        ),
        operation(
            "Good",
            vec![param("A", FieldType::String, Location::Query)],
            vec![],
        ),
        operation(
            "HostParam",
            vec![param("Region", FieldType::String, Location::Host)],
            vec![],
        ),
        operation("Mixed", vec![], vec![mixed]),
        operation("NoLocation", vec![field("A", FieldType::String)], vec![]),
        operation(
            "Refs",
            vec![Field {
                name: Some("Upload".to_owned()),
                reference: Some("File".to_owned()),
                location: Some(Location::Body),
                ..Field::default()
            }],
            vec![Field {
                name: Some("Gone".to_owned()),
                reference: Some("Missing".to_owned()),
                ..Field::default()
            }],
        ),
        scalar_root,
        operation("Xml", vec![xml], vec![]),
    ];
    let model = CrateModel::resolve(&product, &ops);
    let generated: Vec<&str> = model
        .operations
        .iter()
        .map(|op| op.action.as_str())
        .collect();
    assert_eq!(generated, ["Good"]);
    let reported: Vec<(UnsupportedKind, Option<&str>, &str)> = model
        .unsupported
        .iter()
        .map(|u| (u.kind, u.action.as_deref(), u.detail.as_str()))
        .collect();
    assert_eq!(
        reported,
        [
            (
                UnsupportedKind::Binary,
                None,
                "schemas/File/Data: type binary"
            ),
            (
                UnsupportedKind::Security,
                Some("Bearer"),
                "security BearerToken"
            ),
            (
                UnsupportedKind::Binary,
                Some("FormUpload"),
                "request/Content: type binary"
            ),
            (
                UnsupportedKind::Location,
                Some("HostParam"),
                "request/Region: in host"
            ),
            (
                UnsupportedKind::MixedObject,
                Some("Mixed"),
                "response/Mixed: both properties and additional_properties"
            ),
            (
                UnsupportedKind::Location,
                Some("NoLocation"),
                "request/A: no location"
            ),
            (
                UnsupportedKind::Reference,
                Some("Refs"),
                "request/Upload: $ref File is unsupported"
            ),
            (
                UnsupportedKind::Reference,
                Some("Refs"),
                "response/Gone: $ref Missing is not defined"
            ),
            (
                UnsupportedKind::ResponseShape,
                Some("ScalarRoot"),
                "response: type integer"
            ),
            (
                UnsupportedKind::ParamStyle,
                Some("Xml"),
                "request/Doc: style xml"
            ),
        ]
    );
    assert!(
        model.shared.is_empty(),
        "the broken schema is not generated"
    );
    assert_eq!(
        model.unsupported[1].to_string(),
        "security demo/2024-01-01 Bearer: security BearerToken"
    );
}

/// What the non-RPC styles need: an unsigned operation, the roots the official SDKs read
/// (array, text, bytes, none), a byte body, an object body whose properties become fields
/// (unless a name clashes), and a template's literal characters encoded.
#[test]
fn roa_shapes_are_generated() {
    let mut anonymous = operation("Anonymous", vec![], vec![]);
    anonymous.security = vec!["Anonymous".to_owned()];
    let mut array_root = operation("ArrayRoot", vec![], vec![]);
    array_root.response = Field {
        items: Some(Box::new(object(None, vec![field("Id", FieldType::String)]))),
        ..field("", FieldType::Array)
    };
    let mut text_root = operation("TextRoot", vec![], vec![]);
    text_root.response = field("", FieldType::String);
    let mut no_body = operation("NoBody", vec![], vec![]);
    no_body.response = Field::default();
    let mut upload = operation(
        "Upload",
        vec![param("body", FieldType::Binary, Location::Body)],
        vec![],
    );
    upload.response = field("", FieldType::Binary);
    let body = |name: &str| Field {
        name: Some("body".to_owned()),
        location: Some(Location::Body),
        ..object(
            None,
            vec![
                field("name", FieldType::String),
                field(name, FieldType::Long),
            ],
        )
    };
    let mut members = operation(
        "Members",
        vec![
            param("ClusterId", FieldType::String, Location::Path),
            body("count"),
        ],
        vec![],
    );
    members.path = "/clusters/{ClusterId}:scale".to_owned();
    let clash = operation(
        "Clash",
        vec![
            param("count", FieldType::Long, Location::Query),
            body("count"),
        ],
        vec![],
    );
    let mut whole_path = operation("WholePath", vec![], vec![]);
    whole_path.path = "/api/v1/resources/*".to_owned();
    let ops = [
        anonymous, array_root, clash, members, no_body, text_root, upload, whole_path,
    ];
    let model = CrateModel::resolve(&product(ApiStyle::Roa), &ops);
    let reported: Vec<(UnsupportedKind, Option<&str>)> = model
        .unsupported
        .iter()
        .map(|u| (u.kind, u.action.as_deref()))
        .collect();
    assert_eq!(
        reported,
        [(UnsupportedKind::Location, Some("WholePath"))],
        "a `*` path is the caller's, not the template's"
    );
    let op = |action: &str| {
        model
            .operations
            .iter()
            .find(|o| o.action == action)
            .unwrap()
    };

    assert!(op("Anonymous").anonymous);
    assert!(!op("Members").anonymous);
    assert!(matches!(
        &op("ArrayRoot").response,
        ResponseModel::Collection(Ty::Vec(_))
    ));
    assert_eq!(op("TextRoot").response, ResponseModel::Text);
    assert_eq!(op("NoBody").response, ResponseModel::Empty);
    assert_eq!(op("Upload").response, ResponseModel::Bytes);
    let payload = &op("Upload").params[0];
    assert!(payload.payload && payload.field.ty == Ty::Bytes);

    let members = op("Members");
    assert_eq!(members.path, "/clusters/{ClusterId}%3Ascale");
    let wires: Vec<(&str, bool, bool)> = members
        .params
        .iter()
        .map(|p| (p.field.wire.as_str(), p.body_member, p.required))
        .collect();
    assert_eq!(
        wires,
        [
            ("ClusterId", false, true),
            ("name", true, false),
            ("count", true, false)
        ],
        "a path value is always required; the body's properties are fields"
    );
    let clash: Vec<(&str, bool)> = op("Clash")
        .params
        .iter()
        .map(|p| (p.field.wire.as_str(), p.body_member))
        .collect();
    assert_eq!(
        clash,
        [("count", false), ("body", false)],
        "the body stays one field"
    );
}

#[test]
fn products_with_their_own_signature_are_reported_per_operation() {
    let ops = [
        operation("A", vec![], vec![]),
        operation("B", vec![], vec![]),
    ];
    let mut oss = product(ApiStyle::Oss);
    oss.code = "oss".to_owned();
    let mut sls = product(ApiStyle::Roa);
    sls.code = "sls".to_owned();
    for (product, detail) in [
        (oss, "OSS: its own signature (OSS4-HMAC-SHA256) and hosts"),
        (
            sls,
            "SLS: its own signature (LOG / SLS4-HMAC-SHA256) and project hosts",
        ),
    ] {
        let model = CrateModel::resolve(&product, &ops);
        assert!(model.operations.is_empty());
        assert_eq!(model.unsupported.len(), 2);
        assert!(
            model
                .unsupported
                .iter()
                .all(|u| u.kind == UnsupportedKind::ApiStyle && u.detail == detail)
        );
    }
    for style in [
        ApiStyle::Roa,
        ApiStyle::Fc,
        ApiStyle::V3,
        ApiStyle::AliGenie,
    ] {
        let model = CrateModel::resolve(&product(style), &ops);
        assert_eq!(model.operations.len(), 2, "{style:?}: one wire protocol");
    }
}

#[test]
fn json_samples_only_and_never_error_samples() {
    let mut op = operation("Op", vec![], vec![]);
    op.samples = vec![
        Sample {
            format: SampleFormat::Json,
            body: "{}".to_owned(),
            error: false,
        },
        Sample {
            format: SampleFormat::Xml,
            body: "<a/>".to_owned(),
            error: false,
        },
        Sample {
            format: SampleFormat::Json,
            body: "{\"Code\":\"X\"}".to_owned(),
            error: true,
        },
    ];
    assert_eq!(resolve(&[op]).operations[0].json_samples, ["{}"]);
}

#[test]
fn resolution_is_deterministic() {
    let mut op = operation(
        "Op",
        vec![param("A", FieldType::String, Location::Query)],
        vec![],
    );
    op.errors = vec![row(400, "a.b"), row(400, "A.B")];
    assert_eq!(resolve(std::slice::from_ref(&op)), resolve(&[op]));
}
