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
        agree_with(&d, doc, &format!("strict {strict}"));
    }
}

/// Checks that `d` and the general path (`d` without its fast paths) decode `doc` the same,
/// success or error (`what` names the decoder in a failure); says whether it was an error.
fn agree_with(d: &Decoder, doc: &str, what: &str) -> bool {
    let fast = d.decode(doc.as_bytes());
    let general = d.clone().with_fast_paths(false).decode(doc.as_bytes());
    assert_eq!(fast, general, "{what}: {doc}");
    fast.is_err()
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
        "",
        "<!-- c -->",
        "<?pi x?>",
        "\n",
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

/// `agree` under tight limits and every control-character policy as well.
fn agree_everywhere(doc: &str) {
    agree(doc);
    for limits in [
        cwmp_soap::Limits::new().with_max_elements(9),
        cwmp_soap::Limits::new().with_max_depth(5),
        cwmp_soap::Limits::new().with_max_text_len(3),
    ] {
        agree_with(
            &Decoder::new().with_limits(limits),
            doc,
            &format!("{limits:?}"),
        );
    }
    for policy in [
        cwmp_soap::decode::ControlCharPolicy::Replace,
        cwmp_soap::decode::ControlCharPolicy::Error,
    ] {
        agree_with(
            &Decoder::new().with_control_chars(policy),
            doc,
            &format!("{policy:?}"),
        );
    }
}

/// Struct fields read as literal leaves (`<Name>text</Name>` with the name the schema expects
/// next), and every form next to it that must go the general way.
#[test]
fn struct_fields_as_literals() {
    let plain = "<ParameterInfoStruct><Name>A.B</Name><Writable>1</Writable></ParameterInfoStruct>";
    let gpn = |list: &str| {
        format!(
            r#"{HEAD}<cwmp:GetParameterNamesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[2]">{list}</ParameterList></cwmp:GetParameterNamesResponse>{TAIL}"#
        )
    };
    let members = [
        plain,
        "<ParameterInfoStruct>\n  <Name>A.C</Name>\n  <Writable>false</Writable>\n</ParameterInfoStruct>",
        "<ParameterInfoStruct><Writable>0</Writable><Name>A.C</Name></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name><Name>A.D</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name><Writable>0</Writable><Writable>1</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name >A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name a=\"1\">A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name/><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name></Name><Writable></Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Names>A.C</Names><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Nam>A.C</Nam><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><cwmp:Name>A.C</cwmp:Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A&amp;C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name><![CDATA[A<C]]></Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A<!-- c -->C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name ><Writable>0</Writable ></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Nam><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Names><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C<Writable>0</Writable></Name></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A\u{1}C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.Ctoolong</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><!-- c --><Name>A.C</Name><?pi x?><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct>text<Name>A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct>=Name>A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct> Name>A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name>xWritable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Other>x</Other><Name>A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct xmlns=\"urn:x\"><Name>A.C</Name><Writable>0</Writable></ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name><Writable>0</Writable>",
        "<ParameterInfoStruct><Name>A.C</Name><Writable>0</Writ",
        "<ParameterInfoStruct><Name>A.C",
        "<ParameterInfoStruct/>",
        "<ParameterInfoStruct>text</ParameterInfoStruct>",
        "<ParameterInfoStruct></ParameterInfoStruct>",
        "<ParameterInfoStruct >\n<Name>A.C</Name></ParameterInfoStruct >",
        "<ParameterInfoStructs><Name>A.C</Name></ParameterInfoStructs>",
        "<ParameterInfoStruct><Name>A.C</Name></ParameterInfoStruct><ParameterInfoStruct>",
        "<ParameterInfoStruct><Name>A.C</Name></ParameterInfoStructX>",
        "<Name>A.C</Name><Writable>0</Writable>",
    ];
    for second in members {
        agree_everywhere(&gpn(&format!("{plain}{second}")));
        agree_everywhere(&gpn(second));
    }
    let spvf = |inner: &str| {
        fault(&format!(
            "<faultcode>Client</faultcode><faultstring>f</faultstring><detail><cwmp:Fault><FaultCode>9003</FaultCode><FaultString>s</FaultString>{inner}</cwmp:Fault></detail>"
        ))
    };
    let inform = |device: &str| {
        format!(
            "{HEAD}<cwmp:Inform>{device}<Event soap-enc:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-05-01T12:00:00Z</CurrentTime><RetryCount>0</RetryCount><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[0]\"></ParameterList></cwmp:Inform>{TAIL}"
        )
    };
    for device in [
        "<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00A0C9</OUI><ProductClass>HGW</ProductClass><SerialNumber>SN1</SerialNumber></DeviceId>",
        "<DeviceId>\n <Manufacturer>Acme</Manufacturer>\n <OUI>00A0C9</OUI>\n</DeviceId >",
        "<DeviceId>text</DeviceId>",
        "<DeviceId><Manufacturer>Acme</Manufacturer><Manufacturer>B</Manufacturer></DeviceId>",
        "<DeviceId><OUI>00A0C9</OUI><Manufacturer>Acme</Manufacturer></DeviceId>",
        "<DeviceId><Manufacturer>Acme</Manufacturer></DeviceID>",
        "<DeviceId/>",
    ] {
        agree_everywhere(&inform(device));
    }
    for inner in [
        "<SetParameterValuesFault><ParameterName>A.B</ParameterName><FaultCode>9007</FaultCode><FaultString>x</FaultString></SetParameterValuesFault>",
        "<SetParameterValuesFault><ParameterName>A.B</ParameterName><FaultCode>9007</FaultCode><FaultString>x</FaultString></SetParameterValuesFault><SetParameterValuesFault><ParameterName>A.C</ParameterName><FaultCode> 9008 </FaultCode><FaultString/></SetParameterValuesFault>",
        "<SetParameterValuesFault><FaultCode>9007</FaultCode><ParameterName>A.B</ParameterName></SetParameterValuesFault>",
        "<SetParameterValuesFault><ParameterName>A.B</ParameterName><FaultCode>x</FaultCode></SetParameterValuesFault>",
        "<SetParameterValuesFault>\r\n\t<ParameterName>A.B</ParameterName>\r\n\t<FaultCode>9007</FaultCode>\r\n</SetParameterValuesFault>",
    ] {
        agree_everywhere(&spvf(inner));
    }
}

/// Many `Value` attribute texts, more than the attribute cache holds and some sharing a slot of
/// its hint table, repeated in turns: the `ParameterValueStruct`s read whole (cache hits) and
/// those read field by field give the same message.
#[test]
fn many_value_attribute_texts() {
    let types = [
        "xsd:string",
        "xsd:int",
        "xsd:unsignedInt",
        "xsd:boolean",
        "xsd:dateTime",
        "xsd:base64",
        "xsd:long",
        "xsd:unsignedLong",
        "xsd:hexBinary",
        "xsd:anySimpleType",
        "xsd:strinG",
        "xsd:stringg",
        "xsd:tring",
        "xsd:sstring",
        "xsd:x",
        "xsd:y",
        "xsd:z",
        "xsd:int ",
        " xsd:int",
        "xsd:decimal",
    ];
    let mut list = String::new();
    let rounds = types.iter().chain(types.iter().rev()).chain(types.iter());
    for (k, ty) in rounds.enumerate() {
        list.push_str(&format!(
            "<ParameterValueStruct><Name>A.{k}</Name><Value xsi:type=\"{ty}\">1</Value></ParameterValueStruct>"
        ));
    }
    agree(&gpv(&list));
}

/// What follows the Envelope: nothing but whitespace is skipped without reading events;
/// anything else is read as before.
#[test]
fn after_the_envelope() {
    let doc = format!("{HEAD}<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>{TAIL}");
    for tail in [
        "",
        "\n",
        " \t\r\n ",
        "<!-- c -->",
        "\n<?pi x?>\n",
        "x",
        " \u{FEFF}",
        "\u{FEFF}",
        "<a/>",
        "</s:Envelope>",
        "<!DOCTYPE x>",
        "&amp;",
        "\u{1}",
    ] {
        agree(&format!("{doc}{tail}"));
        agree(&format!("<?xml version=\"1.0\"?>{doc}{tail}"));
    }
}

/// Root start tags at the edges of the scanner that splits the root's attributes while it
/// looks for the end of the tag: quotes and `>` in values and names, whitespace around `=`,
/// no whitespace between attributes, an empty-element root, duplicate, malformed and too many
/// attributes, references in namespace URIs, a BOM after the declaration.
#[test]
fn root_tags() {
    let env = r#"xmlns:s="http://schemas.xmlsoap.org/soap/envelope/""#;
    let cwmp = r#"xmlns:cwmp="urn:dslforum-org:cwmp-1-0""#;
    let rest =
        "<s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body></s:Envelope>";
    let many: String = (0..9).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let attrs = [
        format!(" {env} {cwmp}"),
        format!(" {env}{cwmp}"),
        format!("\n\t{env}\r\n {cwmp} "),
        format!(" {env} {cwmp} /"),
        format!(" xmlns:s = 'http://schemas.xmlsoap.org/soap/envelope/' {cwmp}"),
        format!(" {env} {cwmp} x=\"a>b\" y='\"'"),
        format!(" {env} {cwmp} x>y=\"1\""),
        format!(" {env} {cwmp} x\"y=\"1\""),
        format!(" {env} {cwmp} x'y=\"1\""),
        format!(" {env} {cwmp} x"),
        format!(" {env} {cwmp} x="),
        format!(" {env} {cwmp} x=1"),
        format!(" {env} {cwmp} x=\"1"),
        format!(" {env} {cwmp} =\"1\""),
        format!(" {env} {cwmp} x/=\"1\""),
        format!(" {env} {cwmp} //"),
        format!(" {env} {cwmp} {cwmp}"),
        format!(" {env} {cwmp}{many}"),
        format!(" {env} xmlns:cwmp=\"urn:dslforum-org&#58;cwmp-1-2\""),
        format!(" {env} xmlns=\"urn:x\" {cwmp}"),
        format!(" {env} {cwmp} s:mustUnderstand=\"1\" xsi:type=\"x\""),
        format!(" {env} {cwmp} a\u{1}b=\"1\""),
        format!(" {env} {cwmp} x=\"<\""),
        format!(" {env} xmlns:=\"urn:x\" {cwmp}"),
        format!(" {env} xmlns: c=\"urn:x\" {cwmp}"),
        format!(" {env} xmlns:>c=\"urn:x\" {cwmp}"),
        format!(" {env} xmlns:'c=\"urn:x\" {cwmp}"),
        format!(" {env} xmlns:c= \"urn:x\" {cwmp}"),
        format!(" {env} xmlns:c =urn:x {cwmp}"),
        format!(" {env} xmlns:"),
        format!(" {env} xmlns:c"),
        String::new(),
        " ".to_owned(),
    ];
    for a in &attrs {
        for prolog in [
            "",
            "<?xml version='1.0'?>",
            " ",
            "<!-- c -->",
            "<?xml version='1.0'?>\u{FEFF}",
        ] {
            agree(&format!("{prolog}<s:Envelope{a}>{rest}"));
            agree(&format!("{prolog}<s:Envelope{a}/>"));
            agree(&format!("{prolog}<s:Envelope{a}>"));
            agree(&format!("{prolog}<s:Envelope{a}"));
        }
    }
}

/// The root's split attributes under tight attribute, depth and element limits.
#[test]
fn root_tags_under_limits() {
    let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0" x="1"><s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body></s:Envelope>"#;
    for limits in [
        cwmp_soap::Limits::new().with_max_attributes(1),
        cwmp_soap::Limits::new().with_max_attributes(2),
        cwmp_soap::Limits::new().with_max_attributes(3),
        cwmp_soap::Limits::new().with_max_depth(0),
        cwmp_soap::Limits::new().with_max_elements(0),
    ] {
        let failed = agree_with(
            &Decoder::new().with_limits(limits),
            doc,
            &format!("{limits:?}"),
        );
        assert!(failed || limits.max_attributes == 3, "{limits:?}");
    }
}

/// Text-only elements whose text holds references, read without quick-xml's events when every
/// `&` is closed by a `;` before the next `&` and the end tag follows; everything next to that
/// form (an unclosed reference, markup, an unknown entity, a wrong end tag) goes the general
/// way. Under tight limits and every control-character policy as well.
#[test]
fn text_with_references() {
    let texts = [
        "a&amp;b",
        "&lt;x&gt;",
        "&#60;&#x3E;",
        "tail&amp;",
        "&amp;&amp;",
        " spaced &quot;q&quot; ",
        "&unknown;",
        "a & b;",
        "&amp",
        "a&amp;b&",
        "&&amp;",
        "a&amp;<!-- c -->b",
        "a&amp;<![CDATA[x]]>",
        "a&#0;b",
        "a&amp;\u{1}b",
        "",
    ];
    for t in texts {
        let pvs = format!(
            "<ParameterValueStruct><Name>A.B</Name><Value xsi:type=\"xsd:string\">{t}</Value></ParameterValueStruct>"
        );
        agree_everywhere(&gpv(&pvs));
        let reboot = format!("{HEAD}<cwmp:Reboot><CommandKey>{t}</CommandKey></cwmp:Reboot>{TAIL}");
        agree_everywhere(&reboot);
        for end in ["</CommandKey >", "</CommandKeys>", "</CommandKey", ""] {
            let doc = format!("{HEAD}<cwmp:Reboot><CommandKey>{t}{end}</cwmp:Reboot>{TAIL}");
            agree_everywhere(&doc);
        }
    }
    // What the text is, and the same whether or not the decode has an arena.
    let doc =
        format!("{HEAD}<cwmp:Reboot><CommandKey>a&amp;b&#33;</CommandKey></cwmp:Reboot>{TAIL}");
    let decoded = Decoder::new().decode(doc.as_bytes()).unwrap();
    let cwmp_core::Body::Reboot(r) = &decoded.envelope.body else {
        panic!("not a Reboot: {:?}", decoded.envelope.body);
    };
    assert_eq!(r.command_key, "a&b!");
    let arena = cwmp_soap::decode::Arena::new();
    let in_arena = cwmp_soap::decode::decode_in(&arena, doc.as_bytes()).unwrap();
    assert_eq!(in_arena, decoded.envelope);
}

/// Namespace declarations on the root that the split matches against the known namespaces
/// (the value compared word by word, its closing quote checked): every known URI in both
/// quotes, near misses (a suffix, a missing or changed last byte, another cwmp minor), URIs
/// with references, the default namespace, the `xml` and `xmlns` prefixes, duplicates, a root
/// that binds no cwmp namespace but the body's fault does not name one either (so the version
/// is the declared one), and each of them cut short.
#[test]
fn root_namespace_declarations() {
    let env = r#"xmlns:s="http://schemas.xmlsoap.org/soap/envelope/""#;
    let known = [
        "http://schemas.xmlsoap.org/soap/envelope/",
        "http://schemas.xmlsoap.org/soap/encoding/",
        "http://www.w3.org/2001/XMLSchema",
        "http://www.w3.org/2001/XMLSchema-instance",
        "http://www.w3.org/2003/05/soap-envelope",
        "http://www.w3.org/1999/XMLSchema",
        "http://www.w3.org/1999/XMLSchema-instance",
        "urn:dslforum-org:cwmp-1-0",
        "urn:dslforum-org:cwmp-1-1",
        "urn:dslforum-org:cwmp-1-2",
        "urn:dslforum-org:cwmp-1-3",
        "urn:dslforum-org:cwmp-1-4",
    ];
    let mut values: Vec<String> = Vec::new();
    for uri in known {
        values.push(uri.to_owned());
        values.push(format!("{uri}x"));
        values.push(format!("{uri}/"));
        values.push(format!("{uri} "));
        values.push(uri.get(..uri.len() - 1).unwrap().to_owned());
        values.push(format!("{}_", uri.get(..uri.len() - 1).unwrap()));
        values.push(uri.replacen(':', "&#58;", 1));
        values.push(format!("{uri}&amp;"));
        values.push(uri.get(..8).unwrap().to_owned());
        values.push(uri.get(..7).unwrap().to_owned());
    }
    values.extend(
        [
            "urn:dslforum-org:cwmp-1-9",
            "urn:dslforum-org:cwmp-1-",
            "urn:broadband-forum-org:cwmp-1-0",
            "",
            "x",
            "http://s",
            "urn:dslf",
            "&#x75;rn:dslforum-org:cwmp-1-1",
        ]
        .map(str::to_owned),
    );
    let bodies = [
        "<s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body></s:Envelope>",
        "<s:Body><s:Fault><faultcode>Client</faultcode><faultstring>f</faultstring></s:Fault></s:Body></s:Envelope>",
    ];
    for v in &values {
        for q in ['"', '\''] {
            let attrs = [
                format!(" {env} xmlns:cwmp={q}{v}{q}"),
                format!(" xmlns:cwmp={q}{v}{q} {env}"),
                format!(" {env}\n  xmlns:cwmp =\t{q}{v}{q}\r\n"),
                format!(" {env} xmlns={q}{v}{q}"),
                format!(" xmlns:s={q}{v}{q}"),
                format!(" xmlns:s={q}{v}{q} {env}"),
                format!(" {env} xmlns:xml={q}{v}{q} xmlns:xmlns={q}{v}{q}"),
                format!(" {env} xmlnsx:c={q}{v}{q} xmlns:c={q}{v}{q} c:x={q}{v}{q}"),
                format!(" {env} xmlns:a={q}{v}{q} xmlns:a={q}{v}{q} xmlns:cwmp={q}{v}{q}"),
            ];
            for a in &attrs {
                for body in bodies {
                    let doc = format!("<s:Envelope{a}>{body}");
                    agree(&doc);
                    agree(&format!("<?xml version='1.0'?>\n{doc}"));
                }
                // Cut anywhere in the value and around its end.
                let doc = format!("<s:Envelope{a}>");
                for cut in doc.len().saturating_sub(v.len() + 4)..doc.len() {
                    if let Some(head) = doc.get(..cut) {
                        agree(head);
                    }
                }
            }
        }
    }
}

/// The root's namespace declarations under the attribute limit, with known and other URIs.
#[test]
fn root_namespace_declarations_under_limits() {
    let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x" xmlns:cwmp="urn:dslforum-org:cwmp-1-2" xmlns:xsd='http://www.w3.org/2001/XMLSchema'><s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body></s:Envelope>"#;
    for n in 0..6 {
        agree_with(
            &Decoder::new().with_limits(cwmp_soap::Limits::new().with_max_attributes(n)),
            doc,
            &format!("max_attributes {n}"),
        );
    }
}

/// Attribute texts read the first time (not from the attribute cache), in the one-attribute
/// form that is split without the attribute scanner (` name="value"`) and next to it: on a
/// header element, a `Value` and an array, with namespace declarations, references, other
/// spacing, a second attribute, the other quote inside the value, an empty-element tag, and
/// under the attribute limit.
#[test]
fn single_attribute_texts() {
    let texts = [
        r#" s:mustUnderstand="1""#,
        " s:mustUnderstand='1'",
        r#"  s:mustUnderstand="1""#,
        r#"	s:mustUnderstand="1""#,
        r#" s:mustUnderstand ="1""#,
        r#" s:mustUnderstand= "1""#,
        r#" s:mustUnderstand="1" "#,
        r#" s:mustUnderstand="1" x="2""#,
        r#" s:mustUnderstand="1"x="2""#,
        r#" s:mustUnderstand="1'""#,
        r#" s:mustUnderstand='1"'"#,
        r#" s:mustUnderstand="""#,
        r#" s:mustUnderstand="true""#,
        r#" mustUnderstand="1""#,
        r#" x:mustUnderstand="1""#,
        r#" xsi:type="xsd:string""#,
        r#" xsi:type="xsd:int""#,
        r#" xsi:type="q:int""#,
        r#" type="xsd:int""#,
        r#" xsi:type="xsd:int" xsi:type="xsd:string""#,
        r#" soap-enc:arrayType="cwmp:ParameterValueStruct[1]""#,
        r#" soap-enc:arrayType="cwmp:ParameterValueStruct""#,
        r#" xmlns:q="urn:q""#,
        r#" xmlns:q="urn:dslforum-org:cwmp-1-2""#,
        r#" xmlns:q="urn:dslforum-org&#58;cwmp-1-2""#,
        r#" xmlns="urn:dslforum-org:cwmp-1-0""#,
        r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
        r#" ="1""#,
        r#" a"b="1""#,
        r#" a>b="1""#,
        r#" a="1"/"#,
        r#" a=1"#,
        r#" a"#,
        "",
    ];
    for t in texts {
        let head = format!(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Header><cwmp:ID{t}>7</cwmp:ID><cwmp:HoldRequests{t}/></s:Header><s:Body>"
        );
        let docs = [
            format!(
                "{head}<cwmp:GetParameterValuesResponse><ParameterList{t}><ParameterValueStruct><Name>A</Name><Value{t}>1</Value></ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>{TAIL}"
            ),
            format!("{head}<cwmp:Reboot{t}><CommandKey{t}>k</CommandKey></cwmp:Reboot>{TAIL}"),
        ];
        for doc in &docs {
            agree(doc);
            for n in 0..3 {
                agree_with(
                    &Decoder::new().with_limits(cwmp_soap::Limits::new().with_max_attributes(n)),
                    doc,
                    &format!("max_attributes {n}"),
                );
            }
        }
    }
}

/// Header elements whose one attribute is `mustUnderstand`, taken straight from the tag when it
/// is written the usual way; every form next to it goes the general way. Under tight limits
/// and every control-character policy as well.
#[test]
fn header_must_understand() {
    let body = "<s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body>";
    let head = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0" xmlns:x="urn:x">"#;
    for id in [
        r#"<cwmp:ID s:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand='0'>a</cwmp:ID>"#,
        r#"<cwmp:ID mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID x:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID y:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="true">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="maybe">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand=" 1 ">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="&#49;">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand = "1">a</cwmp:ID>"#,
        r#"<cwmp:ID  s:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="1" >a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="1"/>"#,
        r#"<cwmp:ID s:mustUnderstand="1" s:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="1" x:y="2">a</cwmp:ID>"#,
        r#"<cwmp:ID xmlns:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustunderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:a:mustUnderstand="1">a</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="1">a&amp;b</cwmp:ID>"#,
        r#"<cwmp:ID s:mustUnderstand="1"><!-- c -->a</cwmp:ID>"#,
        r#"<cwmp:Unknown s:mustUnderstand="1">a</cwmp:Unknown>"#,
        r#"<cwmp:Unknown s:mustUnderstand="0">a</cwmp:Unknown>"#,
        r#"<x:Other mustUnderstand="1">a</x:Other>"#,
        r#"<cwmp:HoldRequests s:mustUnderstand="1">1</cwmp:HoldRequests>"#,
        r#"<cwmp:SessionTimeout s:mustUnderstand="1">x</cwmp:SessionTimeout>"#,
        r#"<u:ID s:mustUnderstand="1">a</u:ID>"#,
    ] {
        let doc = format!("{head}<s:Header>{id}</s:Header>{body}</s:Envelope>");
        agree_everywhere(&doc);
        for limits in [
            cwmp_soap::Limits::new().with_max_attributes(0),
            cwmp_soap::Limits::new().with_max_attributes(1),
        ] {
            agree_with(
                &Decoder::new().with_limits(limits),
                &doc,
                &format!("{limits:?}"),
            );
        }
    }
}

/// What the header's `mustUnderstand` means, read the fast way: an unknown header that must
/// be understood is refused, one that need not be is skipped with a warning.
#[test]
fn header_must_understand_meaning() {
    let doc = |id: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Header>{id}</s:Header><s:Body><cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot></s:Body></s:Envelope>"#
        )
    };
    let refused_doc = doc(r#"<cwmp:Nope s:mustUnderstand="1">a</cwmp:Nope>"#);
    let refused = Decoder::new().decode(refused_doc.as_bytes());
    assert!(
        matches!(
            refused,
            Err(cwmp_soap::decode::DecodeError::MustUnderstand { ref name, .. }) if name == "Nope"
        ),
        "{refused:?}"
    );
    let skipped_doc = doc(r#"<cwmp:Nope s:mustUnderstand="0">a</cwmp:Nope>"#);
    let skipped = Decoder::new().decode(skipped_doc.as_bytes()).unwrap();
    assert!(
        skipped
            .warnings
            .iter()
            .any(|w| w.kind == cwmp_soap::decode::WarningKind::UnknownHeader)
    );
    let id_doc = doc(r#"<cwmp:ID s:mustUnderstand="1">abc</cwmp:ID>"#);
    let id = Decoder::new().decode(id_doc.as_bytes()).unwrap();
    assert_eq!(id.envelope.header.id.as_deref(), Some("abc"));
    assert!(id.warnings.is_empty(), "{:?}", id.warnings);
}
