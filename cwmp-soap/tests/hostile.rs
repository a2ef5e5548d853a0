//! Hostile input: every case is a typed error, never a panic, a stack overflow or an
//! unbounded allocation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use cwmp_soap::decode::{ControlCharPolicy, DecodeError, Decoder, Limits, WarningKind, decode};

const INFORM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
<soap:Header><cwmp:ID soap:mustUnderstand="1">1</cwmp:ID></soap:Header>
<soap:Body><cwmp:Inform>
<DeviceId><Manufacturer>Acme &amp; Co</Manufacturer><OUI>00A0C9</OUI><ProductClass>Box</ProductClass><SerialNumber>S1</SerialNumber></DeviceId>
<Event soapenc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey/></EventStruct></Event>
<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]"><ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name><Value xsi:type="xsd:string">1.0</Value></ParameterValueStruct></ParameterList>
</cwmp:Inform></soap:Body></soap:Envelope>
"#;

fn wrap(body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

#[test]
fn the_reference_inform_decodes() {
    let env = decode(INFORM.as_bytes()).unwrap();
    assert_eq!(env.body.name(), "Inform");
}

#[test]
fn truncation_at_every_byte_is_an_error() {
    let bytes = INFORM.as_bytes();
    let end = INFORM.rfind("</soap:Envelope>").unwrap() + "</soap:Envelope>".len();
    for cut in 0..end {
        let r = decode(&bytes[..cut]);
        match r {
            Err(DecodeError::UnexpectedEof { .. } | DecodeError::NoRoot { .. }) => {}
            // A cut inside a multi-byte sequence is impossible here (ASCII), and a cut inside
            // `&amp;` leaves an unterminated reference.
            Err(DecodeError::Xml { .. }) => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    for cut in end..=bytes.len() {
        assert!(decode(&bytes[..cut]).is_ok(), "cut at {cut}");
    }
}

#[test]
fn a_million_nested_elements_hit_the_depth_limit_quickly() {
    let n = 1_000_000;
    let mut s = String::with_capacity(n * 7 + 200);
    s.push_str(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>"#);
    for _ in 0..n {
        s.push_str("<a>");
    }
    let t = Instant::now();
    let err = decode(s.as_bytes()).unwrap_err();
    assert!(
        matches!(err, DecodeError::TooDeep { limit: 64, .. }),
        "{err:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(2));
    // Balanced, within a raised depth limit: still no recursion on the input depth.
    let mut s = wrap("");
    s.truncate(s.find("</s:Body>").unwrap());
    s.push_str("<cwmp:X_Deep>");
    for _ in 0..100_000 {
        s.push_str("<a>");
    }
    for _ in 0..100_000 {
        s.push_str("</a>");
    }
    s.push_str("</cwmp:X_Deep></s:Body></s:Envelope>");
    let limits = Limits::new().with_max_depth(200_000);
    let env = Decoder::new()
        .with_limits(limits)
        .decode(s.as_bytes())
        .unwrap();
    assert_eq!(env.envelope.body.name(), "X_Deep");
}

#[test]
fn a_200_mb_body_is_refused_by_the_size_limit_at_once() {
    let big = vec![b' '; 200 * 1024 * 1024];
    let t = Instant::now();
    let err = decode(&big).unwrap_err();
    assert!(
        matches!(err, DecodeError::TooLarge { size, limit, offset: 0 } if size == big.len() && limit == 32 * 1024 * 1024),
        "{err:?}"
    );
    assert!(t.elapsed() < Duration::from_millis(100));
}

#[test]
fn element_count_limit() {
    let members = "<string>x</string>".repeat(2000);
    let xml = wrap(&format!(
        "<cwmp:GetParameterValues><ParameterNames>{members}</ParameterNames></cwmp:GetParameterValues>"
    ));
    let limits = Limits::new().with_max_elements(1000);
    let err = Decoder::new()
        .with_limits(limits)
        .decode(xml.as_bytes())
        .unwrap_err();
    assert!(
        matches!(err, DecodeError::TooManyElements { limit: 1000, .. }),
        "{err:?}"
    );
    let limits = Limits::new().with_max_array_members(100);
    let err = Decoder::new()
        .with_limits(limits)
        .decode(xml.as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, DecodeError::TooManyArrayMembers { limit: 100, path, .. } if path == "Envelope/Body/GetParameterValues/ParameterNames/string"),
        "{err:?}"
    );
}

#[test]
fn attribute_and_text_limits() {
    let attrs: String = (0..100).map(|i| format!(" a{i}=\"1\"")).collect();
    let xml = wrap(&format!("<cwmp:Reboot{attrs}><CommandKey/></cwmp:Reboot>"));
    let err = decode(xml.as_bytes()).unwrap_err();
    assert!(
        matches!(err, DecodeError::TooManyAttributes { limit: 64, .. }),
        "{err:?}"
    );

    let xml = wrap(&format!(
        "<cwmp:Reboot><CommandKey>{}</CommandKey></cwmp:Reboot>",
        "k".repeat(5000)
    ));
    let limits = Limits::new().with_max_text_len(4096);
    let err = Decoder::new()
        .with_limits(limits)
        .decode(xml.as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, DecodeError::TextTooLong { limit: 4096, len: 5000, path, .. } if path == "Envelope/Body/Reboot/CommandKey"),
        "{err:?}"
    );
}

#[test]
fn doctype_and_entity_declarations_are_refused_first() {
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>{}",
        wrap("<cwmp:Reboot><CommandKey>&b;</CommandKey></cwmp:Reboot>")
    );
    let err = decode(xml.as_bytes()).unwrap_err();
    assert!(matches!(err, DecodeError::Dtd { offset: 21 }), "{err:?}");
    let xml = format!("<!ENTITY a \"x\">{}", wrap("<cwmp:Reboot/>"));
    let err = decode(xml.as_bytes()).unwrap_err();
    assert!(matches!(err, DecodeError::Dtd { offset: 0 }), "{err:?}");
}

#[test]
fn only_predefined_entities_and_character_references() {
    let xml = wrap("<cwmp:Reboot><CommandKey>&xxe;</CommandKey></cwmp:Reboot>");
    let err = decode(xml.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, DecodeError::UnknownEntity { entity, path, .. } if entity == "xxe" && path == "Envelope/Body/Reboot/CommandKey"),
        "{err:?}"
    );
    let xml = wrap("<cwmp:Reboot><CommandKey>&#0;</CommandKey></cwmp:Reboot>");
    assert!(matches!(
        decode(xml.as_bytes()),
        Err(DecodeError::UnknownEntity { .. })
    ));
    let xml = wrap("<cwmp:Reboot><CommandKey>&#x41;&lt;&#66;</CommandKey></cwmp:Reboot>");
    let env = decode(xml.as_bytes()).unwrap();
    let cwmp_core::Body::Reboot(r) = env.body else {
        panic!()
    };
    assert_eq!(r.command_key, "A<B");
}

#[test]
fn invalid_utf8_and_nul_bytes() {
    let mut xml = wrap("<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>").into_bytes();
    let k = xml.windows(3).position(|w| w == b">k<").unwrap() + 1;
    xml[k] = 0xFF;
    assert!(matches!(decode(&xml), Err(DecodeError::InvalidUtf8 { offset }) if offset == k));
    xml[k] = 0;
    assert!(matches!(decode(&xml), Err(DecodeError::NulByte { offset }) if offset == k));
    xml[k] = 2;
    let err = Decoder::new()
        .with_control_chars(ControlCharPolicy::Error)
        .decode(&xml)
        .unwrap_err();
    assert!(matches!(err, DecodeError::ControlCharacter { byte: 2, offset } if offset == k));
    let d = Decoder::new().decode(&xml).unwrap();
    assert_eq!(d.warnings[0].kind, WarningKind::ControlCharacter);
}

#[test]
fn unbalanced_tags() {
    for body in [
        "<cwmp:Reboot><CommandKey>k</Command></cwmp:Reboot>",
        "<cwmp:Reboot><CommandKey>k</cwmp:Reboot>",
        "<cwmp:Reboot></CommandKey></cwmp:Reboot>",
    ] {
        let err = decode(wrap(body).as_bytes()).unwrap_err();
        assert!(matches!(err, DecodeError::Xml { .. }), "{body}: {err:?}");
    }
    let err = decode(b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>")
        .unwrap_err();
    assert!(matches!(err, DecodeError::UnexpectedEof { .. }), "{err:?}");
}

#[test]
fn duplicate_headers_and_bodies() {
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Header><cwmp:ID>1</cwmp:ID><cwmp:ID>2</cwmp:ID></s:Header><s:Body><cwmp:Reboot><CommandKey/></cwmp:Reboot></s:Body></s:Envelope>"#;
    assert!(
        matches!(decode(xml.as_bytes()), Err(DecodeError::DuplicateHeader { name, .. }) if name == "ID")
    );
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Header/><s:Header/><s:Body><cwmp:Reboot/></s:Body></s:Envelope>"#;
    assert!(
        matches!(decode(xml.as_bytes()), Err(DecodeError::DuplicateHeader { name, .. }) if name == "Header")
    );
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Body><cwmp:Reboot/></s:Body><s:Body><cwmp:Reboot/></s:Body></s:Envelope>"#;
    assert!(matches!(
        decode(xml.as_bytes()),
        Err(DecodeError::DuplicateBody { .. })
    ));
    let xml = wrap("<cwmp:Reboot/><cwmp:FactoryReset/>");
    assert!(
        matches!(decode(xml.as_bytes()), Err(DecodeError::MultipleMessages { name, .. }) if name == "FactoryReset")
    );
    let xml = wrap("");
    assert!(matches!(
        decode(xml.as_bytes()),
        Err(DecodeError::EmptyBody { .. })
    ));
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>"#;
    assert!(matches!(
        decode(xml.as_bytes()),
        Err(DecodeError::MissingBody { .. })
    ));
}

#[test]
fn wrong_roots_and_envelopes() {
    let e12 = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>"#;
    assert!(matches!(
        decode(e12.as_bytes()),
        Err(DecodeError::Soap12 { offset: 0 })
    ));
    let err = decode(b"<html><body/></html>").unwrap_err();
    assert!(
        matches!(&err, DecodeError::NotAnEnvelope { name, .. } if name == "html"),
        "{err:?}"
    );
    assert!(matches!(decode(b"   "), Err(DecodeError::NoRoot { .. })));
    assert!(matches!(decode(b""), Err(DecodeError::NoRoot { .. })));
    let trailing = format!("{}<x/>", wrap("<cwmp:Reboot/>"));
    assert!(matches!(
        decode(trailing.as_bytes()),
        Err(DecodeError::TrailingContent { .. })
    ));
    let bad_attr = wrap("<cwmp:Reboot a=b/>");
    assert!(decode(bad_attr.as_bytes()).is_err());
}

#[test]
fn bad_numbers_are_located_errors() {
    let xml = wrap(
        "<cwmp:ScheduleInform><DelaySeconds>-5</DelaySeconds><CommandKey/></cwmp:ScheduleInform>",
    );
    let err = decode(xml.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, DecodeError::InvalidValue { expected: "unsignedInt", text, path, .. } if text == "-5" && path == "Envelope/Body/ScheduleInform/DelaySeconds"),
        "{err:?}"
    );
    assert_eq!(
        err.path(),
        Some("Envelope/Body/ScheduleInform/DelaySeconds")
    );
    assert!(err.offset() > 0);
}

#[test]
fn must_understand_unknown_header_is_an_error() {
    let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Header><x:Session s:mustUnderstand="1">a</x:Session></s:Header><s:Body><cwmp:Reboot/></s:Body></s:Envelope>"#;
    assert!(matches!(
        decode(xml.as_bytes()),
        Err(DecodeError::MustUnderstand { name, namespace, .. }) if name == "Session" && namespace == "urn:x"
    ));
    let xml = xml.replace("mustUnderstand=\"1\"", "mustUnderstand=\"0\"");
    let d = Decoder::new().decode(xml.as_bytes()).unwrap();
    assert_eq!(d.warnings[0].kind, WarningKind::UnknownHeader);
}

/// Garbage and mutations of a valid message never panic.
#[test]
fn mutations_never_panic() {
    let base = INFORM.as_bytes();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut m = base.to_vec();
        let at = (seed as usize) % m.len();
        let b = (seed >> 32) as u8;
        match seed % 3 {
            0 => m[at] = b,
            1 => {
                m.insert(at, b);
            }
            _ => {
                m.remove(at);
            }
        }
        let _ = decode(&m);
        let _ = Decoder::strict().decode(&m);
    }
}

#[test]
fn nul_after_another_control_character_is_still_refused() {
    let xml = wrap("<cwmp:Reboot><CommandKey>a\u{1}b\u{0}c</CommandKey></cwmp:Reboot>");
    let nul = xml.find('\u{0}').unwrap();
    for policy in [ControlCharPolicy::Keep, ControlCharPolicy::Replace] {
        let err = Decoder::new()
            .with_control_chars(policy)
            .decode(xml.as_bytes())
            .unwrap_err();
        assert!(
            matches!(err, DecodeError::NulByte { offset } if offset == nul),
            "{err:?}"
        );
    }
}
