#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Every parameter of the real CPE dumps in `corpus/devicemodels` resolves against the loaded
//! models, or is vendor-specific, or is explained; counts are printed per root.

mod common;

use std::collections::BTreeMap;

use cwmp_datamodel::{Definition, PathRef, Resolution, Schema, Segment};

/// Splits CSV text into records (RFC 4180 quoting; quoted fields may hold newlines).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => rec.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut rec));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        out.push(rec);
    }
    out
}

#[derive(Default, Debug)]
struct Counts {
    /// The path has a definition of the same kind (object/parameter).
    resolved: usize,
    /// A vendor-specific (`X_...`) segment; includes malformed vendor names.
    vendor: usize,
    /// Of `vendor`: names the path grammar rejects (`X_HW_...AssociatedDevice.1.11kSupported`).
    vendor_malformed: usize,
    /// Under `<root>.Services.<Name>.` of a service model the corpus does not have
    /// (VoiceService:1 `VoiceProfile`, StorageService:1).
    service_not_loaded: usize,
    /// A USP-only object (`Device.LocalAgent.`), absent from every CWMP model.
    usp_only: usize,
    /// The parent object is defined, the leaf is not: a parameter or object of another model
    /// version, or an undeclared (non-`X_`) vendor addition.
    leaf_not_in_version: usize,
    /// The parent object is not defined either: an object of another model version, or an
    /// undeclared vendor object.
    object_not_in_version: usize,
    /// Resolved, but the dump says object where the model says parameter or the reverse.
    kind_mismatch: usize,
    /// Not a valid path and not vendor-specific.
    invalid: usize,
    /// Reported values checked against their definition.
    values_checked: usize,
    /// Of those, values the definition does not accept.
    values_invalid: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.resolved += o.resolved;
        self.vendor += o.vendor;
        self.vendor_malformed += o.vendor_malformed;
        self.service_not_loaded += o.service_not_loaded;
        self.usp_only += o.usp_only;
        self.leaf_not_in_version += o.leaf_not_in_version;
        self.object_not_in_version += o.object_not_in_version;
        self.kind_mismatch += o.kind_mismatch;
        self.invalid += o.invalid;
        self.values_checked += o.values_checked;
        self.values_invalid += o.values_invalid;
    }
    fn other(&self) -> usize {
        self.service_not_loaded
            + self.usp_only
            + self.leaf_not_in_version
            + self.object_not_in_version
    }
}

fn classify(
    schema: &Schema,
    path: &str,
    is_object: bool,
    value: Option<&str>,
    c: &mut Counts,
    examples: &mut BTreeMap<String, usize>,
) {
    match schema.classify(path) {
        Resolution::Defined(d) => {
            if matches!(d, Definition::Object(_)) == is_object {
                c.resolved += 1;
                if let (Definition::Parameter(p), Some(v)) = (d, value) {
                    c.values_checked += 1;
                    if let Err(f) = p.syntax.validate(v) {
                        c.values_invalid += 1;
                        *examples
                            .entry(format!("value: {} {}: {}", f.code.get(), p.path, f.message))
                            .or_default() += 1;
                    }
                }
            } else {
                c.kind_mismatch += 1;
                *examples
                    .entry(format!("kind mismatch: {path}"))
                    .or_default() += 1;
            }
        }
        Resolution::VendorSpecific => c.vendor += 1,
        Resolution::Invalid => {
            if path.split('.').any(|s| s.starts_with("X_")) {
                c.vendor += 1;
                c.vendor_malformed += 1;
            } else {
                c.invalid += 1;
                *examples.entry(format!("invalid: {path}")).or_default() += 1;
            }
        }
        Resolution::Undefined | Resolution::OtherRoot => {
            let p = PathRef::parse(path).unwrap();
            let segs: Vec<Segment<'_>> = p.segments().collect();
            let key = p.definition_key().to_string();
            if let (Some(Segment::Name("Services")), Some(Segment::Name(svc))) =
                (segs.get(1), segs.get(2))
            {
                let root = p.as_str().split('.').next().unwrap();
                let svc_row = format!("{root}.Services.{svc}.{{i}}.");
                let in_loaded_v2 =
                    schema.get(&svc_row).is_some() && !key.contains(".VoiceProfile.");
                if !in_loaded_v2 {
                    c.service_not_loaded += 1;
                    return;
                }
            }
            if p.as_str().starts_with("Device.LocalAgent.") {
                c.usp_only += 1;
                return;
            }
            let parent_defined = p.parent().is_some_and(|q| schema.lookup_path(q).is_some());
            if parent_defined {
                c.leaf_not_in_version += 1;
                *examples.entry(format!("leaf: {key}")).or_default() += 1;
            } else {
                c.object_not_in_version += 1;
            }
        }
    }
}

#[test]
fn every_dump_parameter_resolves_or_is_vendor() {
    let Some(dir) = common::corpus() else { return };
    let dm = dir.join("datamodels");
    let schema = Schema::builder()
        .add_file(dm.join("tr-181-2-17-0-cwmp-full.xml"))
        .unwrap()
        .add_file(dm.join("tr-098-1-8-0-full.xml"))
        .unwrap()
        .add_file(dm.join("tr-104-2-0-2-cwmp-full.xml"))
        .unwrap()
        .build()
        .unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("devicemodels"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut per_root: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut examples: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut file_counts: BTreeMap<&str, Counts> = BTreeMap::new();
        let records = csv_records(&text);
        let vcol = records
            .first()
            .and_then(|h| h.iter().position(|c| c == "Value"));
        for rec in records.into_iter().skip(1) {
            let (Some(name), Some(obj)) = (rec.first(), rec.get(1)) else {
                continue;
            };
            let root = if name == "Device" || name.starts_with("Device.") {
                "Device"
            } else if name == "InternetGatewayDevice" || name.starts_with("InternetGatewayDevice.")
            {
                "InternetGatewayDevice"
            } else {
                continue; // genieacs bookkeeping (DeviceID., Events.)
            };
            let is_object = obj == "true";
            let path = if is_object {
                format!("{name}.")
            } else {
                name.clone()
            };
            let value = if is_object {
                None
            } else {
                vcol.and_then(|i| rec.get(i))
            };
            classify(
                &schema,
                &path,
                is_object,
                value.map(String::as_str),
                file_counts.entry(root).or_default(),
                &mut examples,
            );
        }
        for (root, c) in file_counts {
            println!(
                "{} [{root}]: resolved {} / vendor {} / other {}",
                f.file_name().unwrap().to_string_lossy(),
                c.resolved,
                c.vendor,
                c.other()
            );
            per_root.entry(root).or_default().add(&c);
        }
    }
    for (root, c) in &per_root {
        println!(
            "{root}: resolved {} / vendor-specific {} (malformed {}) / other {} = service model not in corpus {} + USP-only {} + leaf not in this version {} + object not in this version {}; kind mismatches {}, invalid {}",
            c.resolved,
            c.vendor,
            c.vendor_malformed,
            c.other(),
            c.service_not_loaded,
            c.usp_only,
            c.leaf_not_in_version,
            c.object_not_in_version,
            c.kind_mismatch,
            c.invalid
        );
        println!(
            "{root}: reported values checked {}, not accepted by the definition {}",
            c.values_checked, c.values_invalid
        );
    }
    for (k, n) in examples
        .iter()
        .filter(|(k, _)| !k.starts_with("leaf") && !k.starts_with("value"))
    {
        println!("  {n:>4}  {k}");
    }
    let leaves = examples
        .iter()
        .filter(|(k, _)| k.starts_with("leaf"))
        .count();
    println!("  {leaves} distinct leaf definitions not in the loaded versions, e.g.:");
    for (k, n) in examples
        .iter()
        .filter(|(k, _)| k.starts_with("leaf"))
        .take(15)
    {
        println!("  {n:>4}  {k}");
    }
    let values: Vec<_> = examples
        .iter()
        .filter(|(k, _)| k.starts_with("value"))
        .collect();
    println!("  {} distinct value rejections, e.g.:", values.len());
    for (k, n) in values.iter().filter(|(k, _)| k.contains(" 9007 ")).take(40) {
        println!("  {n:>4}  {k}");
    }
    for (root, c) in &per_root {
        assert!(c.resolved > 1000, "{root}: too few resolved");
        assert_eq!(c.kind_mismatch, 0, "{root}: object/parameter disagreement");
        assert_eq!(c.invalid, 0, "{root}: unexplained invalid standard paths");
    }
}
