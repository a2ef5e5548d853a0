//! `cwmp dm ...`: data-model lookups and value checks.
//!
//! ```text
//! cwmp dm lookup   --model FILE [--model FILE...] PATH         definition as JSON
//! cwmp dm children --model FILE [--model FILE...] PATH         child definitions as JSON
//! cwmp dm check    --model FILE [--model FILE...] [--type XSD] PATH VALUE
//! ```
//!
//! Imports of a model file resolve relative to its directory. `check` prints `ok`, or
//! `fault <code> <message>` on stdout with exit status 1. Every other failure is one stderr
//! line starting `error:` and exit status 1.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cwmp_core::value::ValueType;
use cwmp_datamodel::types::{Facets, ListFacet, ObjectDef, ParameterDef};
use cwmp_datamodel::{Definition, Schema, SchemaBuilder};
use serde_json::{Map, Value, json};

#[derive(Parser, Debug)]
#[command(
    name = "cwmp dm",
    about = "BBF data-model lookups and value validation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the definition of PATH (instance numbers, `[alias]`, {i} and * accepted) as JSON.
    Lookup {
        /// A BBF data-model XML file (repeatable).
        #[arg(long = "model", required = true)]
        models: Vec<PathBuf>,
        path: String,
    },
    /// Print the definitions directly below the object PATH as a JSON array.
    Children {
        /// A BBF data-model XML file (repeatable).
        #[arg(long = "model", required = true)]
        models: Vec<PathBuf>,
        path: String,
    },
    /// Validate VALUE for the parameter PATH as a SetParameterValues would.
    Check {
        /// A BBF data-model XML file (repeatable).
        #[arg(long = "model", required = true)]
        models: Vec<PathBuf>,
        /// The xsd type the value is sent with, e.g. `xsd:unsignedInt`.
        #[arg(long = "type")]
        xsd_type: Option<String>,
        path: String,
        /// The value; one starting with `-` (such as `-1`) is taken as the value.
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
}

/// Runs `cwmp dm` with the arguments after `dm`.
pub fn run(args: &[String]) -> ExitCode {
    let cli: Cli = match crate::parse_args("cwmp dm", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match execute(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn load(models: &[PathBuf]) -> Result<Schema, String> {
    let mut b = SchemaBuilder::new();
    for m in models {
        b.add_file(m).map_err(|e| e.to_string())?;
    }
    b.build().map_err(|e| e.to_string())
}

fn execute(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Lookup { models, path } => {
            let schema = load(&models)?;
            let def = schema.lookup(&path).map_err(|e| e.to_string())?;
            let text =
                serde_json::to_string_pretty(&definition_json(def)).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Children { models, path } => {
            let schema = load(&models)?;
            let kids: Vec<Value> = schema
                .children(&path)
                .map_err(|e| e.to_string())?
                .map(definition_json)
                .collect();
            let text =
                serde_json::to_string_pretty(&Value::Array(kids)).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            models,
            xsd_type,
            path,
            value,
        } => {
            let schema = load(&models)?;
            // without --type the value is taken as the type the model defines
            let ty = match xsd_type.as_deref() {
                Some(t) => ValueType::from_xsd_name(t.rsplit(':').next().unwrap_or(t)),
                None => schema
                    .get(&path)
                    .and_then(|d| d.as_parameter())
                    .map(|p| p.syntax.base_type.clone())
                    .unwrap_or_default(),
            };
            match schema.check_set(&path, &cwmp_core::value::Value::new(ty, value.as_str())) {
                Ok(_) => {
                    println!("ok");
                    Ok(ExitCode::SUCCESS)
                }
                Err(fault) => {
                    println!(
                        "fault {} {}",
                        fault.code.get(),
                        fault.message.replace('\n', " ")
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

fn definition_json(def: Definition<'_>) -> Value {
    match def {
        Definition::Object(o) => object_json(o),
        Definition::Parameter(p) => parameter_json(p),
    }
}

fn opt<T: Into<Value>>(map: &mut Map<String, Value>, key: &str, v: Option<T>) {
    if let Some(v) = v {
        map.insert(key.to_owned(), v.into());
    }
}

fn object_json(o: &ObjectDef) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!("object"));
    m.insert("path".into(), json!(o.path.as_str()));
    m.insert("access".into(), json!(o.access.name()));
    m.insert("table".into(), json!(o.is_table()));
    m.insert("minEntries".into(), json!(o.min_entries));
    m.insert(
        "maxEntries".into(),
        o.max_entries.map_or(json!("unbounded"), |n| json!(n)),
    );
    opt(
        &mut m,
        "numEntriesParameter",
        o.num_entries_parameter.as_deref(),
    );
    opt(&mut m, "enableParameter", o.enable_parameter.as_deref());
    if !o.unique_keys.is_empty() {
        let keys: Vec<Value> = o
            .unique_keys
            .iter()
            .map(|k| {
                let params: Vec<&str> = k.parameters.iter().map(|p| &**p).collect();
                json!({"functional": k.functional, "parameters": params})
            })
            .collect();
        m.insert("uniqueKeys".into(), Value::Array(keys));
    }
    m.insert(
        "status".into(),
        json!(format!("{:?}", o.status).to_lowercase()),
    );
    opt(&mut m, "version", o.version.as_deref());
    Value::Object(m)
}

fn facets_json(f: &Facets) -> Value {
    let mut m = Map::new();
    if !f.sizes.is_empty() {
        let v: Vec<Value> = f
            .sizes
            .iter()
            .map(|s| json!({"minLength": s.min_length, "maxLength": s.max_length}))
            .collect();
        m.insert("size".into(), Value::Array(v));
    }
    if !f.ranges.is_empty() {
        let v: Vec<Value> = f
            .ranges
            .iter()
            .map(|r| json!({"minInclusive": r.min_inclusive.as_deref(), "maxInclusive": r.max_inclusive.as_deref(), "step": r.step.as_deref()}))
            .collect();
        m.insert("range".into(), Value::Array(v));
    }
    if !f.enumerations.is_empty() {
        let v: Vec<Value> = f
            .enumerations
            .iter()
            .map(|e| {
                if e.read_only || e.optional {
                    json!({"value": &*e.value, "readOnly": e.read_only, "optional": e.optional})
                } else {
                    json!(&*e.value)
                }
            })
            .collect();
        m.insert("enumeration".into(), Value::Array(v));
    }
    if !f.patterns.is_empty() {
        let v: Vec<Value> = f.patterns.iter().map(|p| json!(&*p.value)).collect();
        m.insert("pattern".into(), Value::Array(v));
    }
    opt(&mut m, "units", f.units.as_deref());
    if let Some(r) = &f.path_ref {
        m.insert(
            "pathRef".into(),
            json!({"refType": r.ref_type.as_deref(), "targetParent": r.target_parent.as_deref(), "targetType": r.target_type.as_deref(), "targetDataType": r.target_data_type.as_deref()}),
        );
    }
    if let Some(r) = &f.instance_ref {
        m.insert(
            "instanceRef".into(),
            json!({"refType": r.ref_type.as_deref(), "targetParent": r.target_parent.as_deref()}),
        );
    }
    if let Some(r) = &f.enumeration_ref {
        m.insert(
            "enumerationRef".into(),
            json!({"targetParam": r.target_param.as_deref(), "nullValue": r.null_value.as_deref()}),
        );
    }
    Value::Object(m)
}

fn list_json(l: &ListFacet) -> Value {
    let sizes: Vec<Value> = l
        .sizes
        .iter()
        .map(|s| json!({"minLength": s.min_length, "maxLength": s.max_length}))
        .collect();
    json!({"minItems": l.min_items, "maxItems": l.max_items, "nestedBrackets": l.nested_brackets.as_deref(), "size": sizes})
}

fn parameter_json(p: &ParameterDef) -> Value {
    let s = &p.syntax;
    let mut m = Map::new();
    m.insert("kind".into(), json!("parameter"));
    m.insert("path".into(), json!(p.path.as_str()));
    m.insert("type".into(), json!(s.base_type.xsd_name()));
    opt(&mut m, "dataType", s.data_type.as_deref());
    if s.type_chain.len() > 1 {
        let chain: Vec<&str> = s.type_chain.iter().map(|t| &**t).collect();
        m.insert("typeChain".into(), json!(chain));
    }
    m.insert("access".into(), json!(p.access.name()));
    m.insert("writable".into(), json!(p.access.is_writable()));
    if let Some(l) = &s.list {
        m.insert("list".into(), list_json(l));
    }
    m.insert("facets".into(), facets_json(&s.facets));
    if !s.inherited.is_empty() {
        m.insert(
            "inheritedFacets".into(),
            Value::Array(s.inherited.iter().map(|f| facets_json(f)).collect()),
        );
    }
    opt(&mut m, "maxLength", s.max_length());
    if let Some(d) = &s.default {
        m.insert(
            "default".into(),
            json!({"type": &*d.kind, "value": &*d.value}),
        );
    }
    m.insert("hidden".into(), json!(s.hidden));
    m.insert("secured".into(), json!(s.secured));
    m.insert("command".into(), json!(s.command));
    m.insert("forcedInform".into(), json!(p.forced_inform));
    m.insert(
        "activeNotify".into(),
        json!(lower_first(&format!("{:?}", p.active_notify))),
    );
    m.insert(
        "status".into(),
        json!(format!("{:?}", p.status).to_lowercase()),
    );
    opt(&mut m, "version", p.version.as_deref());
    Value::Object(m)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
