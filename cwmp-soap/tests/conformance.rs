//! Conformance over every message of `../shared/corpus/messages`: lenient decoding succeeds
//! (except `bogus_inform_1.xml`, which must fail); re-encoding at the decoded version gives a
//! message that decodes, without warnings, to the same model and re-encodes to the same bytes;
//! and that message passes `validate-xsd`, except where the content itself breaks a schema facet
//! (listed below with the reason) — those re-encode unchanged, and strict decoding reports them.
//! Envelope-level faults of the corpus (missing arrayType, xsi:type on arrays, an RPC in a
//! namespace older than the RPC, text inside empty elements, wrong child order, wrapper-form DU
//! operations) are repaired by re-encoding.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod encode_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cwmp_core::{CwmpVersion, Envelope};
use cwmp_soap::EncodeOptions;
use cwmp_soap::decode::Decoder;
use encode_support::*;

/// Corpus files whose *content* breaks a schema facet, so that even the re-encoded message
/// fails `validate-xsd`, with the reason. Paths relative to corpus/messages.
const FACET_VIOLATIONS: &[(&str, &str)] = &[
    (
        "anonymised/acs_ex/inform_noheader1.xml",
        "OUI of 5 characters (length 6)",
    ),
    (
        "anonymised/freeacs-ont/Inform.xml",
        "EventStruct CommandKey of 34 characters (maxLength 32)",
    ),
    (
        "real/cytco/BCM_Serials_Inform.xml",
        "lower-case OUI 00a859 (pattern [0-9A-F]{6})",
    ),
    (
        "synthetic/acs_ex/autonomousdustatechangecomplete1.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/acs_ex/dustatechangecomplete1.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/clj-tr069/AddObject.xml",
        "ObjectName Barfoo without its trailing dot",
    ),
    (
        "synthetic/clj-tr069/AutonomousTransferComplete.xml",
        "FileType 'test type' outside the TransferFileType patterns",
    ),
    (
        "synthetic/clj-tr069/DeleteObject.xml",
        "ObjectName Foobar without its trailing dot",
    ),
    (
        "synthetic/clj-tr069/DeleteObjectResponse.xml",
        "Status 2 (enumeration 0, 1)",
    ),
    (
        "synthetic/clj-tr069/Download.xml",
        "FileType 'filetype' outside the DownloadFileType patterns",
    ),
    (
        "synthetic/clj-tr069/DownloadResponse.xml",
        "Status 2 (enumeration 0, 1)",
    ),
    (
        "synthetic/clj-tr069/Inform.xml",
        "OUI of 4 characters (length 6)",
    ),
    (
        "synthetic/clj-tr069/SetParameterValuesResponse.xml",
        "Status 2 (enumeration 0, 1)",
    ),
    (
        "synthetic/jdalberg-cwmp/add_object_2.xml",
        "ObjectName Device.Test without its trailing dot",
    ),
    (
        "synthetic/jdalberg-cwmp/autonomous_dustate_change_complete_1.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/jdalberg-cwmp/change_du_state_1.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/jdalberg-cwmp/change_du_state_2.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/jdalberg-cwmp/change_du_state_3.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/jdalberg-cwmp/du_state_change_complete_1.xml",
        "UUID some-uuid (DeploymentUnitUUID pattern)",
    ),
    (
        "synthetic/jdalberg-cwmp/upload_1.xml",
        "Upload FileType '1 Firmware Upgrade Image' outside the UploadFileType patterns",
    ),
    (
        "synthetic/jdalberg-cwmp/upload_2.xml",
        "Upload FileType '1 Firmware Upgrade Image' outside the UploadFileType patterns",
    ),
];

/// The file that must not decode at all.
const MUST_FAIL: &str = "bogus_inform_1.xml";

/// The envelope as the encoder writes it at `version`: NoMoreRequests is never written, and
/// header elements newer than the version are dropped (see the encoder's docs).
fn as_written(mut env: Envelope<'_>, version: CwmpVersion) -> Envelope<'_> {
    let h = &mut env.header;
    h.no_more_requests = None;
    if version < CwmpVersion::V1_3 {
        h.session_timeout = None;
    }
    if version < CwmpVersion::V1_4 {
        h.supported_cwmp_versions = None;
        h.use_cwmp_version = None;
    }
    env
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
}

#[test]
fn corpus_decodes_reencodes_stably_and_validates() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("corpus/messages");
    let mut files = Vec::new();
    collect(&root, &mut files);
    assert!(files.len() > 100, "{} files", files.len());
    let dir = temp_dir("conformance");
    let mut written = Vec::new();
    let mut rel_names = Vec::new();
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut repairs = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let input = std::fs::read(path).unwrap();
        let decoded = Decoder::new().decode(&input);
        if path.file_name().is_some_and(|n| n == MUST_FAIL) {
            assert!(decoded.is_err(), "{rel} must not decode");
            continue;
        }
        let decoded = decoded.unwrap_or_else(|e| panic!("{rel}: {e}"));
        let options = EncodeOptions::for_version(decoded.version);
        let first = options.to_vec(&decoded.envelope);
        let again = Decoder::new().decode(&first).unwrap_or_else(|e| {
            panic!(
                "{rel}: re-encoded message does not decode: {e}\n{}",
                String::from_utf8_lossy(&first)
            )
        });
        // Re-encoding introduces no deviation: what remains is content the encoder passes
        // through (a malformed dateTime, a value not matching its type ...), already reported
        // on the original.
        let kinds = |d: &cwmp_soap::Decoded<'_>| {
            d.warnings
                .iter()
                .map(|w| w.kind)
                .collect::<std::collections::HashSet<_>>()
        };
        let (before, after) = (kinds(&decoded), kinds(&again));
        assert!(
            after.is_subset(&before),
            "{rel}: new warnings on our output: {:?}",
            after.difference(&before).collect::<Vec<_>>()
        );
        let repaired: Vec<String> = before.difference(&after).map(|k| k.to_string()).collect();
        if !repaired.is_empty() {
            repairs.push(format!("{rel}: {}", repaired.join("; ")));
        }
        // The version may read lower (cwmp-1-4 namespace -> cwmp-1-2 without 1.3/1.4
        // headers), never the namespace written.
        assert_eq!(
            again.namespace,
            Some(
                options
                    .effective_version(&decoded.envelope.body)
                    .namespace()
            ),
            "{rel}"
        );
        let expected = as_written(
            decoded.envelope.clone(),
            options.effective_version(&decoded.envelope.body),
        );
        if again.envelope != expected {
            problems.push(format!(
                "{rel}: model changed:\n  {:?}\n  {:?}",
                expected, again.envelope
            ));
            continue;
        }
        let second = options.to_vec(&again.envelope);
        assert_eq!(second, first, "{rel}: not a fixed point");
        let group = rel.rsplit_once('/').map_or("", |(g, _)| g).to_owned();
        groups.entry(group).or_default().0 += 1;
        let out = dir.join(rel.replace('/', "__"));
        std::fs::write(&out, &first).unwrap();
        written.push(out);
        rel_names.push(rel);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if !have_xmllint() {
        return;
    }
    let lines = validate_xsd(&shared, &written);
    assert_eq!(lines.len(), written.len());
    let mut unexpected = Vec::new();
    for (rel, line) in rel_names.iter().zip(&lines) {
        let facet = FACET_VIOLATIONS.iter().find(|(f, _)| f == rel);
        match (line.starts_with("ok "), facet) {
            (true, None) => {
                let group = rel.rsplit_once('/').map_or("", |(g, _)| g).to_owned();
                groups.entry(group).or_default().1 += 1;
            }
            (false, Some(_)) => {
                // The content breaks a facet: strict decoding of our output reports it too.
                let bytes = std::fs::read(dir.join(rel.replace('/', "__"))).unwrap();
                if Decoder::strict().decode(&bytes).is_ok() {
                    unexpected.push(format!(
                        "{rel}: strict decoding accepts the facet violation"
                    ));
                }
            }
            (true, Some((_, why))) => unexpected.push(format!("{rel}: listed ({why}) but valid")),
            (false, None) => unexpected.push(format!("{rel}: {line}")),
        }
    }
    eprintln!("repaired by re-encoding:\n{}", repairs.join("\n"));
    eprintln!("per group (re-encoded, schema-valid): {groups:?}");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    std::fs::remove_dir_all(&dir).ok();
}
