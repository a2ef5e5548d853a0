//! Hand-written inputs at the edges of the decoder's fast paths (the XML declaration read
//! directly, SOAP Fault children read through the fast path, `ParameterValueStruct` tags matched
//! as literals): the fast and the general path give the same result, success or error.
#![allow(clippy::unwrap_used, clippy::panic)]

use cwmp_soap::Decoder;

const HEAD: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>"#;
const TAIL: &str = "</s:Body></s:Envelope>";

fn gpv(list: &str) -> String {
    format!(
        r#"{HEAD}<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[2]">{list}</ParameterList></cwmp:GetParameterValuesResponse>{TAIL}"#
    )
}

fn fault(inner: &str) -> String {
    format!("{HEAD}<s:Fault>{inner}</s:Fault>{TAIL}")
}

fn agree(doc: &str) {
    for strict in [false, true] {
        let d = if strict {
            Decoder::strict()
        } else {
            Decoder::new()
        };
        let fast = d.clone().decode(doc.as_bytes());
        let general = d.with_fast_paths(false).decode(doc.as_bytes());
        assert_eq!(fast, general, "strict {strict}: {doc}");
    }
}

#[test]
fn declaration_forms() {
    let body = format!("{HEAD}<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>{TAIL}");
    for prolog in [
        r#"<?xml version="1.0"?>"#,
        "<?xml version=\"1.0\"?>\n",
        "<?xml\tversion='1.0' encoding='UTF-8' ?>",
        "<?xml?>",
        "<?xml-stylesheet href='a'?>",
        "<?xml version='1.0'?>\u{FEFF}",
        "<?xml version='1.0'?>\u{FEFF}\u{FEFF}",
        " <?xml version='1.0'?>",
        "<?xml version='1.0'",
        "<?xml version='1.0'?><!-- c -->",
        "<?xml version='1.0' ?><?xml version='1.0'?>",
    ] {
        let doc = format!("{prolog}{body}");
        agree(&doc);
        agree(&format!("\u{FEFF}{doc}"));
    }
}

#[test]
fn fault_children() {
    let detail = "<detail><cwmp:Fault><FaultCode>9002</FaultCode><FaultString>x</FaultString></cwmp:Fault></detail>";
    for inner in [
        format!("<faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>{detail}"),
        format!(
            "\n  <faultcode>Client</faultcode>\n  <faultstring>CWMP fault</faultstring>\n  {detail}\n"
        ),
        format!("text<faultcode>Client</faultcode> more <faultstring>s</faultstring>{detail}"),
        format!("<faultcode>Client</faultcode>  <x/>  tail &amp; more{detail}"),
        format!(
            "<faultcode a=\">\">Client</faultcode><!-- c --><faultstring>s</faultstring>{detail}"
        ),
        "<faultcode>Server</faultcode><faultstring>plain</faultstring>".to_owned(),
        "only text &lt;here&gt; <![CDATA[<x>]]>".to_owned(),
        "<faultcode>Client</faultcode><faultstring>s</faultstring><detail/>".to_owned(),
        "<faultcode>Client</faultcode><faultstring>s".to_owned(),
    ] {
        agree(&fault(&inner));
    }
}

#[test]
fn parameter_value_struct_tags() {
    let plain = "<ParameterValueStruct><Name>A.B</Name><Value xsi:type=\"xsd:string\">v</Value></ParameterValueStruct>";
    for second in [
        plain.to_owned(),
        "<ParameterValueStruct ><Name >A.C</Name ><Value  xsi:type=\"xsd:string\">w</Value></ParameterValueStruct >".to_owned(),
        "<ParameterValueStruct>\n<Name>A.C</Name>\n<Value xsi:type=\"xsd:string\">w</Value>\n</ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name>A.C</Name><Value xsi:type=\"xsd:str>ing\">w</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name>A.C</Name><Value xsi:type=\"xsd:string\"/></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name>A.C</Name><Value xsi:type=\"xsd:string\" /></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name a=\">\">A.C</Name><Value>w</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct x=\"1\"><Name>A.C</Name><Value>w</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name>A.C</Name><Value>w</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Name>A&amp;C</Name><Value xsi:type=\"xsd:string\">a&lt;b</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStruct><Names>A.C</Names><Value>w</Value></ParameterValueStruct>".to_owned(),
        "<ParameterValueStructs><Name>A.C</Name><Value>w</Value></ParameterValueStructs>".to_owned(),
        "<ParameterValueStruct><Name>A.C</Name><Value xsi:type=\"xsd:string\">w</Value>".to_owned(),
    ] {
        agree(&gpv(&format!("{plain}{second}")));
    }
}
