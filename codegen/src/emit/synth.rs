//! Synthetic specs for measuring the generator and the generated code at scale: a product of
//! N operations, each shaped like a mid-size catalog operation (nested objects, arrays of
//! objects, a repeat-list and a flat parameter, a sensitive field, an idempotency token and
//! an error table with dotted and case-colliding codes).
//!
//! Five flat seed operations cannot show how compile time grows with operations; this can.
//! The specs go through the real loader, so they are valid by the same rules as `specs/`.

use std::path::Path;

use crate::load::{LoadErrors, parse_operation, parse_product};
use crate::spec::{OperationSpec, ProductSpec};

/// Package name of the synthetic crate.
pub const CRATE_NAME: &str = "alibabacloud-synth";

const PRODUCT: &str = r#"{
  "code": "synth",
  "version": "2000-01-01",
  "title": "Synthetic",
  "style": "RPC",
  "crate_name": "alibabacloud-synth",
  "endpoints": {
    "rule": "regional",
    "product_id": "synth",
    "regions": { "cn-hangzhou": "synth.cn-hangzhou.aliyuncs.com" }
  }
}"#;

const OPERATION: &str = r#"{
  "action": "@ACTION@",
  "summary": "Describes the instances of synthetic operation @ACTION@.",
  "description": "Pages through instances. See [DescribeRegions] and https://example.com/docs.",
  "source": { "metadata": "synthetic" },
  "methods": ["get", "post"],
  "request": [
    { "name": "RegionId", "type": "string", "in": "query", "required": true, "description": "The region ID.", "example": "cn-hangzhou" },
    { "name": "DBInstanceId", "type": "string", "in": "query", "required": true, "description": "The instance ID.", "example": "rm-uf6wjk5xxxxxxx" },
    { "name": "PageSize", "type": "integer", "in": "query", "description": "Entries per page.", "example": "30" },
    { "name": "PageNumber", "type": "integer", "in": "query", "description": "Page number.", "example": "1" },
    { "name": "Engine", "type": "string", "in": "query", "enum": ["MySQL", "PostgreSQL"], "description": "The engine." },
    { "name": "Password", "type": "string", "in": "formData", "sensitive": true, "description": "The password." },
    { "name": "ClientToken", "type": "string", "in": "query", "idempotency_token": true, "description": "Idempotency token." },
    { "name": "DryRun", "type": "boolean", "in": "query", "description": "Only check the request." },
    { "name": "Tag", "type": "array", "in": "query", "style": "repeatList", "description": "Tags.",
      "items": { "type": "object", "properties": [
        { "name": "Key", "type": "string", "description": "Tag key." },
        { "name": "Value", "type": "string", "description": "Tag value." } ] } },
    { "name": "Filter", "type": "object", "in": "query", "style": "flat", "description": "A filter.",
      "properties": [
        { "name": "Name", "type": "string", "description": "Field name." },
        { "name": "Values", "type": "array", "items": { "type": "string" }, "description": "Values." } ] }
  ],
  "response": { "type": "object", "properties": [
    { "name": "RequestId", "type": "string", "description": "The request ID." },
    { "name": "TotalCount", "type": "integer", "description": "Total entries." },
    { "name": "PageNumber", "type": "integer", "description": "Page number." },
    { "name": "NextToken", "type": "string", "description": "Next page token." },
    { "name": "Items", "type": "object", "description": "The instances.", "properties": [
      { "name": "DBInstance", "type": "array", "description": "One instance.", "items": { "type": "object", "properties": [
        { "name": "DBInstanceId", "type": "string", "description": "Instance ID." },
        { "name": "Engine", "type": "string", "description": "Engine." },
        { "name": "Status", "type": "string", "description": "Status." },
        { "name": "CreateTime", "type": "string", "description": "Creation time." },
        { "name": "Port", "type": "integer", "description": "Port." },
        { "name": "Tags", "type": "object", "description": "Tags.", "properties": [
          { "name": "Tag", "type": "array", "items": { "type": "object", "properties": [
            { "name": "Key", "type": "string" }, { "name": "Value", "type": "string" } ] } } ] } ] } } ] }
  ] },
  "samples": [ { "format": "json", "body": "{\"RequestId\":\"R\",\"TotalCount\":1,\"PageNumber\":1,\"Items\":{\"DBInstance\":[{\"DBInstanceId\":\"rm-1\",\"Port\":\"3306\",\"Tags\":{\"Tag\":[{\"Key\":\"k\",\"Value\":\"v\"}]}}]}}" } ],
  "errors": [
    { "status": 400, "code": "InvalidParameter", "message": "A parameter is invalid." },
    { "status": 400, "code": "Pay.NoCreditCard", "message": "No credit card." },
    { "status": 400, "code": "pay.noCreditCard", "message": "Account not bound to credit card." },
    { "status": 400, "code": "IncorrectDBInstanceState", "message": "The instance state is incorrect." },
    { "status": 400, "code": "IncorrectDBInstanceState", "message": "The instance state is incorrect (again)." },
    { "status": 403, "code": "Forbidden.RAM", "message": "No permission." },
    { "status": 404, "code": "InvalidDBInstanceId.NotFound", "message": "The instance does not exist." },
    { "status": 404, "code": "InvalidRegionId.NotFound", "message": "The region does not exist." },
    { "status": 500, "code": "InternalError", "message": "An internal error occurred." },
    { "status": 503, "code": "ServiceUnavailable", "message": "The service is unavailable." }
  ]
}"#;

/// The synthetic product and `operations` operations (`SynthOp0001`, ...), sorted by action.
pub fn specs(operations: usize) -> Result<(ProductSpec, Vec<OperationSpec>), LoadErrors> {
    let product = parse_product(Path::new("synthetic/product.json"), PRODUCT)?;
    let mut ops = Vec::with_capacity(operations);
    for index in 1..=operations {
        let action = format!("SynthOp{index:05}");
        let file = format!("synthetic/{action}.json");
        ops.push(parse_operation(
            Path::new(&file),
            &OPERATION.replace("@ACTION@", &action),
        )?);
    }
    Ok((product, ops))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_specs_are_valid_and_generate_every_operation() {
        let (product, ops) = specs(3).unwrap_or_else(|errors| panic!("{errors}"));
        let generated = super::super::generate(&product, &ops, &Default::default());
        assert_eq!(generated.crate_name, CRATE_NAME);
        assert_eq!(generated.operations, 3);
        assert!(
            generated.unsupported.is_empty(),
            "{:?}",
            generated.unsupported
        );
        assert!(
            generated
                .files
                .iter()
                .any(|f| f.path == "src/operations/synth_op00003.rs")
        );
    }
}
