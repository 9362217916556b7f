//! JSON Schemas of the data files, generated from the types in [`model`](super::model) so that
//! editors (through taplo) check a data file while it is typed. `data/schemas/` holds them,
//! written by `mdbook-compare schema`; a test fails when they fall behind the types.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use super::model::{Benchmark, CategoriesFile, Dimension, LanguagesFile, QuickTakesFile};
use crate::diagnostic::{Diagnostic, Location, describe_io_error};
use crate::paths::{self, Replaced};

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

/// `mdbook-compare schema DIR`: writes the JSON Schemas of the data files into `dir` (see
/// [`write_all`]). Returns one line per file written, or the report of what stopped it before
/// anything was written.
pub fn schema(dir: &Path) -> Result<Vec<String>, String> {
    write_all(dir).map_err(|diagnostic| diagnostic.render(false))
}

/// Writes every schema into `dir`, creating it when needed, and returns one line per file
/// saying what was written. Only regular files are written, each whole (a temporary file renamed
/// over the name): a symbolic link at a schema's name is replaced, never followed. `dir` may not
/// be a symbolic link, nor lead out of the current folder through one.
pub(crate) fn write_all(dir: &Path) -> Result<Vec<String>, Box<Diagnostic>> {
    // Without a trailing `/`, which would make the system follow a link at the last part.
    let dir: PathBuf = dir.components().collect();
    let dir = dir.as_path();
    let shown = dir.display().to_string();
    let refuse = |message: String, at: String| {
        Box::new(Diagnostic::error(message, Location::Path(at)).with_help(
            "write the schemas into a real folder: remove the link (or pass another folder) \
                 and run `mdbook-compare schema` again",
        ))
    };
    if fs::symlink_metadata(dir).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(refuse(
            format!("`{shown}` is a symbolic link: nothing was written"),
            shown,
        ));
    }
    if let Some(link) = link_out_of_current_folder(dir) {
        return Err(refuse(
            format!(
                "`{shown}` leads out of the current folder through the symbolic link `{}`: \
                 nothing was written",
                link.display()
            ),
            link.display().to_string(),
        ));
    }
    let cannot = |err: &io::Error, at: String| {
        Box::new(Diagnostic::error(
            format!("cannot write: {}", describe_io_error(err)),
            Location::Path(at),
        ))
    };
    fs::create_dir_all(dir).map_err(|err| cannot(&err, shown.clone()))?;
    let mut written = Vec::new();
    for schema in all() {
        let path = dir.join(schema.name);
        let at = path.display().to_string();
        let replaced =
            paths::write_whole(&path, &schema.json).map_err(|err| cannot(&err, at.clone()))?;
        written.push(match replaced {
            Replaced::Link => format!(
                "wrote {at} (a symbolic link was there: it was replaced, what it pointed at is untouched)"
            ),
            Replaced::Nothing | Replaced::File => format!("wrote {at}"),
        });
    }
    Ok(written)
}

/// The symbolic link through which `dir`, a folder inside the current folder, leads out of it
/// (a path relative to the current folder). A `dir` outside the current folder is the caller's
/// explicit choice and is not looked into.
fn link_out_of_current_folder(dir: &Path) -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    let absolute = paths::normalize(&current.join(dir))?;
    let relative = absolute.strip_prefix(&current).ok()?;
    paths::link_out(&current, relative)
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
