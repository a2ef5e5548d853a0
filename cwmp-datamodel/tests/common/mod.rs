//! Locating the shared corpus (`../shared/corpus` from the workspace root, or `$CWMP_SHARED`).
#![allow(dead_code)]

use std::path::PathBuf;

/// The corpus directory, or `None` (with a printed note) when it is absent outside CI.
/// Under `CI=true` a missing corpus is a failure.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("CWMP_SHARED") {
        Some(s) => PathBuf::from(s).join("corpus"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
    };
    if dir.join("datamodels").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "corpus not found at {} (CI=true: a missing corpus is a failure)",
            dir.display()
        );
    }
    eprintln!("note: corpus not found at {}; skipping", dir.display());
    None
}

pub fn datamodel(name: &str) -> Option<PathBuf> {
    corpus().map(|c| c.join("datamodels").join(name))
}

use cwmp_core::fault::Fault;
use cwmp_core::value::{Value, ValueType};
use cwmp_datamodel::{ParameterDef, Schema, ValueFault};

/// A value of the xsd type `ty` (`xsd:unsignedInt`), or, without one, of the type the schema
/// defines for `name` (as a tool that takes untyped text does).
pub fn typed(s: &Schema, name: &str, ty: Option<&str>, text: &str) -> Value<'static> {
    let ty = match ty {
        Some(t) => ValueType::from_xsd_name(t.rsplit(':').next().unwrap_or(t)).into_owned(),
        None => s
            .get(name)
            .and_then(|d| d.as_parameter())
            .map(|p| p.syntax.base_type.clone())
            .unwrap_or_default(),
    };
    Value::new(ty, text.to_owned())
}

/// [`Schema::check_set`] of `text` typed as [`typed`] gives.
pub fn check_set<'s>(
    s: &'s Schema,
    name: &str,
    ty: Option<&str>,
    text: &str,
) -> Result<&'s ParameterDef, ValueFault> {
    s.check_set(name, &typed(s, name, ty, text))
}

/// [`Schema::check_set_parameter_values`] of `(name, type, text)` triples typed as [`typed`]
/// gives.
pub fn check_spv<'a, const N: usize>(
    s: &Schema,
    params: [(&'a str, Option<&str>, &str); N],
) -> Result<(), Fault<'a>> {
    let values: Vec<Value<'static>> = params.iter().map(|(n, t, v)| typed(s, n, *t, v)).collect();
    s.check_set_parameter_values(params.iter().map(|p| p.0).zip(values.iter()))
}
