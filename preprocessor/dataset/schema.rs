//! JSON Schemas of the data files, generated from the types in [`model`](super::model) so that
//! editors (through taplo) check a data file while it is typed. `data/schemas/` holds them,
//! written by `mdbook-compare schema`; a test fails when they fall behind the types.

use std::io;
use std::path::Path;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use super::model::{Benchmark, CategoriesFile, Dimension, LanguagesFile, QuickTakesFile};

/// One generated schema: its file name under `data/schemas/` and its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaFile {
    /// File name, e.g. `dimension.json`.
    pub(crate) name: &'static str,
    /// Pretty-printed JSON, ending in a newline.
    pub(crate) json: String,
}

/// The schema of every kind of data file, in a stable order.
pub(crate) fn all() -> Vec<SchemaFile> {
    vec![
        file::<LanguagesFile>("languages.json"),
        file::<CategoriesFile>("categories.json"),
        file::<Dimension>("dimension.json"),
        file::<Benchmark>("benchmark.json"),
        file::<QuickTakesFile>("quick-takes.json"),
    ]
}

/// Writes every schema into `dir`, creating it when needed.
pub(crate) fn write_all(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for schema in all() {
        std::fs::write(dir.join(schema.name), schema.json)?;
    }
    Ok(())
}

/// The schema of `T` as a file. Draft 7 is the newest draft that taplo (and so the TOML editor
/// extensions built on it) reads.
fn file<T: JsonSchema>(name: &'static str) -> SchemaFile {
    let schema: Schema = SchemaSettings::draft07()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema serializes to JSON");
    json.push('\n');
    SchemaFile { name, json }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_reject_unknown_keys() {
        for schema in all() {
            let value: serde_json::Value = serde_json::from_str(&schema.json).unwrap();
            assert_eq!(
                value["additionalProperties"],
                serde_json::Value::Bool(false),
                "{}",
                schema.name
            );
        }
    }
}
