//! `Cargo.toml` of a generated crate.

use crate::model::CrateModel;

/// The manifest: a workspace member depending on the runtime and serde.
pub fn emit(model: &CrateModel, header: &str) -> String {
    let description = format!(
        "Alibaba Cloud {} API {} client (generated).",
        model.title.replace('\\', "\\\\").replace('"', "\\\""),
        model.version
    );
    let dev = if model
        .operations
        .iter()
        .any(|op| !op.json_samples.is_empty())
    {
        "\n[dev-dependencies]\nserde_json.workspace = true\n"
    } else {
        ""
    };
    format!(
        "# {header}\n\
         [package]\n\
         name = \"{name}\"\n\
         description = \"{description}\"\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         version.workspace = true\n\
         repository.workspace = true\n\
         \n\
         [dependencies]\n\
         alibabacloud-runtime.workspace = true\n\
         serde.workspace = true\n\
         {dev}",
        name = model.crate_name,
    )
}

/// `manifest` with one more dev-dependency line, in a `[dev-dependencies]` table that is
/// added when there is none (the table is always the manifest's last).
pub fn with_dev_dependency(manifest: &str, line: &str) -> String {
    if manifest.contains("\n[dev-dependencies]\n") {
        format!("{manifest}{line}\n")
    } else {
        format!("{manifest}\n[dev-dependencies]\n{line}\n")
    }
}
