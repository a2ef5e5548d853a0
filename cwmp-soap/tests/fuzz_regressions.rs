//! Regressions found by the fuzz targets in `fuzz/` (one test per finding, named for it).
//! Each input is the minimised crash; the comment names the target that found it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_core::{Body, CwmpVersion, Envelope};
use cwmp_soap::{ControlCharPolicy, Decoder, EncodeOptions};

fn unknown_namespace(env: &Envelope<'_>) -> String {
    match &env.body {
        Body::Unknown(m) => m.namespace.to_string(),
        other => panic!("expected an unknown method, got {other:?}"),
    }
}

/// `structured_roundtrip`: an unknown method in a namespace whose URI needs escaping
/// (`&`, `<`) came back with the escapes still in it (`&amp;`): the namespace URI of the body
/// element was taken from the raw attribute bytes, not unescaped like every other value.
#[test]
fn unknown_method_namespace_is_unescaped() {
    let xml = br#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><X_Foo xmlns="http://example.com/x?a=1&amp;b=&lt;2&gt;"/></soap-env:Body></soap-env:Envelope>"#;
    let env = cwmp_soap::decode(xml).unwrap();
    assert_eq!(unknown_namespace(&env), "http://example.com/x?a=1&b=<2>");

    // and so the structured round trip holds
    let mut out = Vec::new();
    EncodeOptions::for_version(CwmpVersion::V1_4).encode(&env, &mut out);
    assert_eq!(cwmp_soap::decode(&out).unwrap(), env);
}

/// `roundtrip`: with `ControlCharPolicy::Replace` the model must carry no control character,
/// but the namespace URI of an unknown method kept a raw U+0001 and NUL; the encoder then
/// (by design) wrote U+FFFD and decode(encode(m)) != m.
#[test]
fn control_char_policy_replace_covers_the_unknown_method_namespace() {
    let xml = b"<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Body><X_Foo xmlns=\"urn:a\x01\x00b\"/></soap-env:Body></soap-env:Envelope>";
    let decoder = Decoder::new().with_control_chars(ControlCharPolicy::Replace);
    let Ok(d) = decoder.decode(xml) else {
        return; // refusing the message is fine too
    };
    let ns = unknown_namespace(&d.envelope);
    assert!(!ns.chars().any(|c| c.is_control()), "{ns:?}");
    let mut out = Vec::new();
    EncodeOptions::for_version(CwmpVersion::V1_4).encode(&d.envelope, &mut out);
    assert_eq!(decoder.decode(&out).unwrap().envelope, d.envelope);
}

/// `roundtrip`: an `xsi:type` whose prefix is bound to a namespace other than XML Schema but
/// whose local name is a known type (`x:string` with `xmlns:x="urn:not-xsd"`) decodes as
/// `ValueType::Other("string")`; the encoder writes every type as `xsd:<name>`, so the value
/// comes back as `ValueType::String` and decode(encode(m)) != m. `Other` must not hold a
/// name that is a known xsd type once written (keep the foreign namespace visible, or read it
/// as the known type with a warning).
#[test]
#[ignore = "open finding, reported to the cwmp-soap decoder owner"]
fn xsi_type_in_a_foreign_namespace_round_trips() {
    let xml = br#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:not-xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Body><cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>A.B</Name><Value xsi:type="x:string">v</Value></ParameterValueStruct></ParameterList><ParameterKey></ParameterKey></cwmp:SetParameterValues></soap-env:Body></soap-env:Envelope>"#;
    let env = cwmp_soap::decode(xml).unwrap();
    let mut out = Vec::new();
    EncodeOptions::for_version(CwmpVersion::V1_4).encode(&env, &mut out);
    let again = cwmp_soap::decode(&out).unwrap();
    assert_eq!(again, env, "{}", String::from_utf8_lossy(&out));
}

/// `roundtrip`: the lenient decoder accepted a body element whose name is not an XML name
/// (`cwmp:Sc$heduleDownloadResponse`; `$` is not a name character, so the document is not
/// well-formed) and kept it as an unknown method; the encoder, which by design writes only
/// XML names, replaced the `$` by `_`, so decode(encode(m)) != m. Either refuse the message
/// or keep only names the encoder can write.
#[test]
#[ignore = "open finding, reported to the cwmp-soap decoder owner"]
fn unknown_method_name_that_is_not_an_xml_name() {
    let xml = br#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Body><cwmp:Sc$heduleDownloadResponse/></soap-env:Body></soap-env:Envelope>"#;
    let Ok(env) = cwmp_soap::decode(xml) else {
        return; // refusing the ill-formed name is a fix
    };
    let mut out = Vec::new();
    EncodeOptions::for_version(CwmpVersion::V1_4).encode(&env, &mut out);
    let again = cwmp_soap::decode(&out).unwrap();
    assert_eq!(again, env, "{}", String::from_utf8_lossy(&out));
}
