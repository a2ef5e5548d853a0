//! Every encoder output is schema-valid: one realistic instance of each of the 54 RPCs and the
//! Fault, encoded for every CWMP version where the RPC exists (and, beyond that, RPCs newer than
//! the requested version, which the encoder writes in the RPC's own namespace), in every option
//! combination that keeps the schema form, all checked by `../shared/tools/validate-xsd` in one
//! call.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod encode_support;

use std::collections::BTreeMap;

use cwmp_core::CwmpVersion;
use cwmp_soap::{BoolFormat, DateTimeFraction, EncodeOptions};
use encode_support::*;

#[test]
fn every_message_in_every_version_passes_validate_xsd() {
    let Some(shared) = shared_dir() else { return };
    if !have_xmllint() {
        return;
    }
    let dir = temp_dir("xsd");
    let mut files = Vec::new();
    let mut per_version: BTreeMap<String, usize> = BTreeMap::new();
    let names = all_names();
    assert_eq!(names.len(), 55);
    for &(name, since) in &names {
        let env = sample(name);
        for version in CwmpVersion::ALL {
            let variants: Vec<(&str, EncodeOptions)> = vec![
                ("default", EncodeOptions::for_version(version)),
                (
                    "digits-strip-nodecl",
                    EncodeOptions::for_version(version)
                        .with_xml_declaration(false)
                        .with_booleans(BoolFormat::Digits)
                        .with_datetime_fraction(DateTimeFraction::Strip),
                ),
                (
                    "millis",
                    EncodeOptions::for_version(version)
                        .with_datetime_fraction(DateTimeFraction::Millis),
                ),
            ];
            for (tag, options) in variants {
                let mut out = Vec::new();
                options.encode(&env, &mut out);
                let path = dir.join(format!("{}_{name}_{tag}.xml", version.as_str()));
                std::fs::write(&path, &out).unwrap();
                files.push(path);
                let key = if version >= since {
                    version.as_str().to_owned()
                } else {
                    format!("{} (RPC since {})", version.as_str(), since.as_str())
                };
                *per_version.entry(key).or_default() += 1;
            }
        }
    }
    let lines = validate_xsd(&shared, &files);
    assert_eq!(lines.len(), files.len(), "{lines:#?}");
    let failures: Vec<&String> = lines.iter().filter(|l| !l.starts_with("ok ")).collect();
    assert!(
        failures.is_empty(),
        "{} of {} invalid:\n{failures:#?}",
        failures.len(),
        files.len()
    );
    eprintln!("validate-xsd ok for {} files: {per_version:?}", files.len());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn newer_rpcs_are_written_in_their_own_namespace_and_headers_follow_the_schema() {
    let opts = EncodeOptions::for_version(CwmpVersion::V1_0);
    let xml = String::from_utf8(opts.to_vec(&sample("ChangeDUState"))).unwrap();
    assert!(xml.contains(r#"xmlns:cwmp="urn:dslforum-org:cwmp-1-2""#));
    let xml = String::from_utf8(opts.to_vec(&sample("GetAllQueuedTransfers"))).unwrap();
    assert!(xml.contains(r#"xmlns:cwmp="urn:dslforum-org:cwmp-1-1""#));

    // The Inform's 1.3/1.4 headers are dropped where the schema does not declare them.
    let inform = sample("Inform");
    for (version, timeout, supported) in [
        (CwmpVersion::V1_0, false, false),
        (CwmpVersion::V1_1, false, false),
        (CwmpVersion::V1_2, false, false),
        (CwmpVersion::V1_3, true, false),
        (CwmpVersion::V1_4, true, true),
    ] {
        let xml = String::from_utf8(EncodeOptions::for_version(version).to_vec(&inform)).unwrap();
        assert_eq!(
            xml.contains(
                r#"<cwmp:SessionTimeout soap-env:mustUnderstand="0">60</cwmp:SessionTimeout>"#
            ),
            timeout,
            "{version}"
        );
        assert_eq!(
            xml.contains(r#"<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.1,1.2,1.3,1.4</cwmp:SupportedCWMPVersions>"#),
            supported,
            "{version}"
        );
        assert!(!xml.contains("NoMoreRequests"));
        assert!(
            xml.contains(r#"<cwmp:ID soap-env:mustUnderstand="1">id-Inform-&amp;-1</cwmp:ID>"#)
        );
    }
    let xml =
        String::from_utf8(EncodeOptions::default().to_vec(&sample("InformResponse"))).unwrap();
    assert!(
        xml.contains(
            r#"<cwmp:UseCWMPVersion soap-env:mustUnderstand="1">1.4</cwmp:UseCWMPVersion>"#
        )
    );
    let xml = String::from_utf8(EncodeOptions::default().to_vec(&sample("Reboot"))).unwrap();
    assert!(
        xml.contains(r#"<cwmp:HoldRequests soap-env:mustUnderstand="1">false</cwmp:HoldRequests>"#)
    );
}
