//! The reference ACS answers each CWMP version's Inform in that version's namespace (1.0, 1.1,
//! 1.2 by namespace; 1.3 and 1.4 through SupportedCWMPVersions and UseCWMPVersion), checked
//! with a real HTTP client: `curl --digest`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;
use std::time::Duration;

use cwmp_auth::digest::Users;
use cwmp_examples::acs::{self, Acs};

const USER: &str = "cpe-v";
const PASS: &str = "versions";

fn inform(ns: &str, extra_header: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="{ns}">
<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">v-1</cwmp:ID>{extra_header}</soap-env:Header>
<soap-env:Body><cwmp:Inform>
<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00256D</OUI><ProductClass>V</ProductClass><SerialNumber>S{n}</SerialNumber></DeviceId>
<Event soap-enc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event>
<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-12-03T10:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[0]"></ParameterList>
</cwmp:Inform></soap-env:Body></soap-env:Envelope>"#,
        n = ns.len() + extra_header.len()
    )
}

fn curl_available() -> bool {
    let ok = Command::new("curl").arg("--version").output().is_ok();
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("curl is required under CI");
    }
    ok
}

fn post(url: &str, body: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cwmp-acs-versions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("inform-{}.xml", body.len()));
    std::fs::write(&file, body).unwrap();
    let out = Command::new("curl")
        .args(["-s", "--digest", "-u", &format!("{USER}:{PASS}")])
        .args([
            "-H",
            "Content-Type: text/xml; charset=\"utf-8\"",
            "-H",
            "SOAPAction: \"\"",
        ])
        .arg("--data-binary")
        .arg(format!("@{}", file.display()))
        .arg(url)
        .output()
        .expect("run curl");
    assert!(out.status.success(), "curl: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn each_version_is_answered_in_its_own_namespace() {
    if !curl_available() {
        eprintln!("skipped outside CI: curl is not installed");
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let acs = Acs::new(acs::Config {
        users: Users::new().with(USER, PASS),
        ..acs::Config::default()
    })
    .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(acs.clone().serve(listener, std::future::pending()));
    let url = format!("http://{addr}/acs");
    let ns = |v: &str| format!("urn:dslforum-org:cwmp-{v}");
    for (sent, header, answered, use_version) in [
        (ns("1-0"), "", ns("1-0"), None),
        (ns("1-1"), "", ns("1-1"), None),
        (ns("1-2"), "", ns("1-2"), None),
        (
            ns("1-2"),
            r#"<cwmp:SessionTimeout soap-env:mustUnderstand="0">30</cwmp:SessionTimeout>"#,
            ns("1-2"),
            None,
        ),
        (
            ns("1-2"),
            r#"<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.1,1.2,1.3</cwmp:SupportedCWMPVersions>"#,
            cwmp_core::CwmpVersion::V1_3.namespace().to_owned(),
            Some("1.3"),
        ),
        (
            ns("1-2"),
            r#"<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.1,1.2,1.3,1.4</cwmp:SupportedCWMPVersions>"#,
            cwmp_core::CwmpVersion::V1_4.namespace().to_owned(),
            Some("1.4"),
        ),
    ] {
        let reply = post(&url, &inform(&sent, header));
        let decoded = cwmp_soap::Decoder::new().decode(reply.as_bytes()).unwrap();
        assert!(
            matches!(decoded.envelope.body, cwmp_core::Body::InformResponse(_)),
            "{reply}"
        );
        assert_eq!(decoded.namespace, Some(answered.as_str()), "{reply}");
        assert_eq!(
            decoded.envelope.header.use_cwmp_version.map(|v| v.as_str()),
            use_version,
            "{reply}"
        );
    }
    rt.shutdown_timeout(Duration::from_secs(1));
}
