//! Error messages name the cause a user can fix, and say the byte offset once.
#![allow(clippy::unwrap_used, clippy::panic)]

use cwmp_soap::decode::{DecodeError, Decoder};

fn error(xml: &str) -> DecodeError {
    match Decoder::new().decode(xml.as_bytes()) {
        Err(e) => e,
        Ok(d) => panic!("decoded: {:?}", d.envelope),
    }
}

fn once(message: &str, offset: usize) {
    let needle = format!("byte {offset}");
    assert_eq!(message.matches(&needle).count(), 1, "{message}");
    assert_eq!(message.matches("byte").count(), 1, "{message}");
}

#[test]
fn an_unquoted_attribute_value_says_so() {
    let e = error(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><X a=1/></s:Body></s:Envelope>"#,
    );
    assert!(
        matches!(e, DecodeError::MalformedAttribute { reason, offset: 72, .. } if reason == "an attribute value not in quotes"),
        "{e:?}"
    );
    let m = e.to_string();
    assert!(m.contains("not in quotes"), "{m}");
    once(&m, 72);
}

#[test]
fn an_undeclared_prefix_names_the_prefix() {
    let e = error(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><X_Foo><vnd:Arg>1</vnd:Arg></X_Foo></s:Body></s:Envelope>"#,
    );
    assert!(
        matches!(&e, DecodeError::UndeclaredPrefix { prefix, .. } if prefix == "vnd"),
        "{e:?}"
    );
    let m = e.to_string();
    assert!(m.contains("\"vnd\""), "{m}");
    once(&m, e.offset());
}
