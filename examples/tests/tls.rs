//! Real TLS handshakes on loopback between a small hyper server and client wired with
//! `cwmp_examples::tls`: the server authenticates the CPE by client certificate (bound to the
//! Inform's DeviceId) or Basic (only inside TLS), the client checks the ACS's certificate.
//! Every case asserts what each side saw, structurally.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use cwmp_auth::client_policy::{AcsCredentials, BasicPolicy as ClientBasic};
use cwmp_auth::digest::Users;
use cwmp_core::Body as CwmpBody;
use cwmp_examples::tls::pki::{Ca, LabPki, Validity, loopback_names};
use cwmp_examples::tls::{
    BasicPolicy, BasicVerdict, Binding, BindingRule, ClientCertMode, ClientSettings,
    DeviceIdentity, FailureKind, Identity, Peer, PeerIdentity, ServerSettings, TlsClient,
    TlsFailure, TlsServer, Transport, Trust, check_binding, policy,
};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

const DEVICE: &str = "00CAFE-Box-SN1";

fn inform(serial: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header>
<soap-env:Body><cwmp:Inform>
<DeviceId><Manufacturer>Lab</Manufacturer><OUI>00CAFE</OUI><ProductClass>Box</ProductClass><SerialNumber>{serial}</SerialNumber></DeviceId>
<Event soap-enc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>
<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[0]"></ParameterList>
</cwmp:Inform></soap-env:Body></soap-env:Envelope>"#
    )
}

/// What the server saw.
#[derive(Debug, Default)]
struct Seen {
    /// The `Authorization` header of every HTTP request that reached it.
    authorizations: Vec<Option<String>>,
    /// Handshakes that failed.
    handshake_failures: Vec<TlsFailure>,
    /// Device-binding outcomes.
    bindings: Vec<Result<Binding, String>>,
    /// DeviceIds whose Inform was accepted.
    accepted: Vec<String>,
    /// Basic refused for the transport.
    insecure_basic: usize,
}

#[derive(Clone)]
struct ServerConf {
    tls: Option<TlsServer>,
    rule: BindingRule,
    /// Authenticate by Basic with these users (`None`: the certificate is enough).
    basic: Option<(BasicPolicy, Users)>,
}

struct TestServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    async fn start(conf: ServerConf) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let seen2 = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let conf = conf.clone();
                let seen = seen2.clone();
                tokio::spawn(async move { connection(conf, tcp, seen).await });
            }
        });
        TestServer { addr, seen, task }
    }

    /// Waits (bounded) until `pred` holds on what the server saw.
    async fn wait(&self, pred: impl Fn(&Seen) -> bool) -> bool {
        for _ in 0..200 {
            if pred(&self.seen.lock().unwrap()) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }
}

async fn connection(conf: ServerConf, tcp: TcpStream, seen: Arc<Mutex<Seen>>) {
    match &conf.tls {
        None => {
            serve(
                conf.clone(),
                TokioIo::new(tcp),
                None,
                Transport::Plain,
                seen,
            )
            .await
        }
        Some(tls) => match tls.accept(tcp).await {
            Ok(acc) => {
                serve(
                    conf.clone(),
                    TokioIo::new(acc.stream),
                    acc.client,
                    Transport::Tls,
                    seen,
                )
                .await
            }
            Err(f) => seen.lock().unwrap().handshake_failures.push(f),
        },
    }
}

async fn serve<I>(
    conf: ServerConf,
    io: I,
    client: Option<PeerIdentity>,
    transport: Transport,
    seen: Arc<Mutex<Seen>>,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let client = Arc::new(client);
    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
        let (conf, client, seen) = (conf.clone(), client.clone(), seen.clone());
        async move {
            Ok::<_, Infallible>(
                handle(&conf, req, client.as_ref().as_ref(), transport, &seen).await,
            )
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, svc)
        .await;
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = code;
    r
}

async fn handle(
    conf: &ServerConf,
    req: Request<Incoming>,
    client: Option<&PeerIdentity>,
    transport: Transport,
    seen: &Mutex<Seen>,
) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    seen.lock().unwrap().authorizations.push(
        parts
            .headers
            .get(http::header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_owned()),
    );
    if let Some((policy, users)) = &conf.basic {
        match policy.check(transport, &parts.headers, users) {
            BasicVerdict::Accepted(_) => {}
            BasicVerdict::Challenge { challenge, .. } => {
                let mut r = status(StatusCode::UNAUTHORIZED);
                r.headers_mut()
                    .insert(http::header::WWW_AUTHENTICATE, challenge);
                return r;
            }
            BasicVerdict::InsecureTransport { .. } => {
                seen.lock().unwrap().insecure_basic += 1;
                return status(StatusCode::FORBIDDEN);
            }
        }
    }
    let env = cwmp_soap::decode(&body).unwrap();
    let CwmpBody::Inform(inform) = &env.body else {
        return status(StatusCode::BAD_REQUEST);
    };
    let device = DeviceIdentity::from(&inform.device_id);
    let verdict = check_binding(conf.rule, client, &device);
    let ok = verdict.is_ok();
    let mut s = seen.lock().unwrap();
    s.bindings.push(verdict.map_err(|e| e.expected));
    if !ok {
        return status(StatusCode::FORBIDDEN);
    }
    s.accepted.push(device.full());
    status(StatusCode::OK)
}

/// One POST of an Inform, over TLS when `tls` is given (the URL's host is `host`).
async fn post(
    addr: SocketAddr,
    host: &str,
    tls: Option<&TlsClient>,
    authorization: Option<HeaderValue>,
    serial: &str,
) -> Result<Response<Bytes>, TlsFailure> {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let req = {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri("/acs")
            .header(http::header::HOST, host)
            .header(http::header::CONTENT_TYPE, "text/xml; charset=\"utf-8\"");
        if let Some(a) = authorization {
            r = r.header(http::header::AUTHORIZATION, a);
        }
        r.body(Full::new(Bytes::from(inform(serial)))).unwrap()
    };
    let classify = |e: hyper::Error| TlsFailure::classify(&e, Peer::Acs);
    macro_rules! exchange {
        ($io:expr) => {{
            let (mut sender, conn) = hyper::client::conn::http1::handshake($io)
                .await
                .map_err(classify)?;
            let driver = tokio::spawn(conn);
            let resp = sender.send_request(req).await.map_err(classify)?;
            let (parts, body) = resp.into_parts();
            let body = body.collect().await.map_err(classify)?.to_bytes();
            driver.abort();
            Ok(Response::from_parts(parts, body))
        }};
    }
    match tls {
        None => exchange!(TokioIo::new(tcp)),
        Some(c) => {
            let s = c.connect(tcp, host).await?;
            exchange!(TokioIo::new(s))
        }
    }
}

fn client(ca_pem: &str, identity: Option<&Identity>) -> TlsClient {
    TlsClient::new(
        &ClientSettings {
            trust: Trust::CaPem(ca_pem.as_bytes().to_vec()),
            identity: identity.cloned(),
        },
        Peer::Acs,
    )
    .unwrap()
}

fn server(identity: &Identity, client_ca: Option<&str>, mode: ClientCertMode) -> TlsServer {
    TlsServer::new(&ServerSettings {
        identity: identity.clone(),
        client_ca_pem: client_ca.map(|c| c.as_bytes().to_vec()),
        client_cert: mode,
    })
    .unwrap()
}

fn mutual(pki: &LabPki) -> ServerConf {
    ServerConf {
        tls: Some(server(
            &pki.acs,
            Some(pki.ca.cert_pem()),
            ClientCertMode::Required,
        )),
        rule: BindingRule::default(),
        basic: None,
    }
}

#[tokio::test]
async fn good_chain_mutual_tls_binds_the_device() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    let c = client(pki.ca.cert_pem(), Some(&pki.cpe));
    for host in ["127.0.0.1", "localhost"] {
        let r = post(srv.addr, host, Some(&c), None, "SN1").await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{host}");
    }
    let s = srv.seen.lock().unwrap();
    assert_eq!(s.accepted, [DEVICE, DEVICE]);
    assert_eq!(
        s.bindings.first(),
        Some(&Ok(Binding::Matched(format!("CN={DEVICE}"))))
    );
    assert!(
        s.handshake_failures.is_empty(),
        "{:?}",
        s.handshake_failures
    );
}

#[tokio::test]
async fn unknown_ca_is_refused_and_no_credentials_are_sent() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(ServerConf {
        tls: Some(server(&pki.acs, None, ClientCertMode::None)),
        rule: BindingRule::default(),
        basic: None,
    })
    .await;
    let other = Ca::new("some other CA", Validity::days_from_now(1)).unwrap();
    let c = client(other.cert_pem(), None);
    // The client is ready to send credentials with its first request.
    let creds = cwmp_auth::basic::authorization("cpe", "secret").unwrap();
    let err = post(srv.addr, "127.0.0.1", Some(&c), Some(creds), "SN1")
        .await
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::UntrustedCertificate);
    assert_eq!(err.peer, Peer::Acs);
    assert!(srv.wait(|s| !s.handshake_failures.is_empty()).await);
    let s = srv.seen.lock().unwrap();
    assert!(
        s.authorizations.is_empty(),
        "the server saw requests: {:?}",
        s.authorizations
    );
    assert!(s.accepted.is_empty());
    // The server side learns the client refused its certificate.
    assert!(
        matches!(
            s.handshake_failures.first().map(|f| &f.kind),
            Some(FailureKind::CertificateRefused(_))
        ),
        "{:?}",
        s.handshake_failures
    );
}

#[tokio::test]
async fn wrong_host_name_is_refused() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    let c = client(pki.ca.cert_pem(), Some(&pki.cpe));
    let err = post(srv.addr, "acs.example.net", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    match err.kind {
        FailureKind::NameMismatch {
            expected,
            presented,
        } => {
            assert_eq!(expected, "acs.example.net");
            assert!(presented.iter().any(|p| p == "localhost"), "{presented:?}");
        }
        other => panic!("expected a name mismatch, got {other:?}"),
    }
    // An IP address the certificate does not carry.
    let err = post(srv.addr, "127.0.0.2", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind, FailureKind::NameMismatch { .. }),
        "{err}"
    );
    assert!(srv.seen.lock().unwrap().authorizations.is_empty());
}

#[tokio::test]
async fn expired_leaf_is_refused() {
    let ca = Ca::new("lab", Validity::days_from_now(1)).unwrap();
    let expired = ca
        .issue_server(&loopback_names(), Validity::expired(3))
        .unwrap();
    let srv = TestServer::start(ServerConf {
        tls: Some(server(&expired, None, ClientCertMode::None)),
        rule: BindingRule::default(),
        basic: None,
    })
    .await;
    let c = client(ca.cert_pem(), None);
    let err = post(srv.addr, "localhost", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Expired);
    assert!(srv.seen.lock().unwrap().authorizations.is_empty());

    // An expired client certificate is refused by the server.
    let pki = LabPki::generate(DEVICE).unwrap();
    let old_cpe = pki.ca.issue_device(DEVICE, Validity::expired(3)).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    let c = client(pki.ca.cert_pem(), Some(&old_cpe));
    let err = post(srv.addr, "localhost", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind, FailureKind::CertificateRefused(_)),
        "{err}"
    );
    assert!(srv.wait(|s| !s.handshake_failures.is_empty()).await);
    let s = srv.seen.lock().unwrap();
    assert_eq!(
        s.handshake_failures.first().map(|f| &f.kind),
        Some(&FailureKind::Expired)
    );
    assert!(s.accepted.is_empty());
}

#[tokio::test]
async fn required_client_certificate_missing() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    let c = client(pki.ca.cert_pem(), None);
    let err = post(srv.addr, "localhost", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::MissingClientCertificate);
    assert!(srv.wait(|s| !s.handshake_failures.is_empty()).await);
    let s = srv.seen.lock().unwrap();
    assert_eq!(
        s.handshake_failures.first(),
        Some(&TlsFailure {
            peer: Peer::Cpe,
            kind: FailureKind::MissingClientCertificate
        })
    );
    assert!(s.authorizations.is_empty() && s.accepted.is_empty());
}

#[tokio::test]
async fn optional_client_certificate() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(ServerConf {
        tls: Some(server(
            &pki.acs,
            Some(pki.ca.cert_pem()),
            ClientCertMode::Optional,
        )),
        rule: BindingRule::default(),
        basic: None,
    })
    .await;
    let without = client(pki.ca.cert_pem(), None);
    let r = post(srv.addr, "localhost", Some(&without), None, "SN1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A certificate from another CA is refused even though certificates are optional.
    let other = Ca::new("other", Validity::days_from_now(1)).unwrap();
    let stranger = other
        .issue_device(DEVICE, Validity::days_from_now(1))
        .unwrap();
    let c = client(pki.ca.cert_pem(), Some(&stranger));
    let err = post(srv.addr, "localhost", Some(&c), None, "SN1")
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind, FailureKind::CertificateRefused(_)),
        "{err}"
    );
    assert!(srv.wait(|s| !s.handshake_failures.is_empty()).await);
    let s = srv.seen.lock().unwrap();
    assert_eq!(s.bindings, [Ok(Binding::NoCertificate)]);
    assert_eq!(
        s.handshake_failures.first().map(|f| &f.kind),
        Some(&FailureKind::UntrustedCertificate)
    );
}

#[tokio::test]
async fn client_certificate_of_another_device_is_refused() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    let c = client(pki.ca.cert_pem(), Some(&pki.cpe));
    // The certificate names SN1; the Inform claims SN2.
    let r = post(srv.addr, "localhost", Some(&c), None, "SN2")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    {
        let s = srv.seen.lock().unwrap();
        assert_eq!(s.bindings, [Err("00CAFE-Box-SN2 or 00CAFE-SN2".to_owned())]);
        assert!(s.accepted.is_empty(), "data accepted: {:?}", s.accepted);
    }
    // The short form `OUI-Serial` binds when the rule allows it.
    let short = pki
        .ca
        .issue_device("00CAFE-SN2", Validity::days_from_now(1))
        .unwrap();
    let c = client(pki.ca.cert_pem(), Some(&short));
    let r = post(srv.addr, "localhost", Some(&c), None, "SN2")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(srv.seen.lock().unwrap().accepted, ["00CAFE-Box-SN2"]);
}

#[tokio::test]
async fn basic_refused_over_plain_http_accepted_over_tls() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let users = Users::new().with("cpe", "s3cret");
    let policy = BasicPolicy {
        realm: "cwmp".into(),
        allow_over_plain_http: false,
    };
    let plain = TestServer::start(ServerConf {
        tls: None,
        rule: BindingRule::default(),
        basic: Some((policy.clone(), users.clone())),
    })
    .await;
    let tls = TestServer::start(ServerConf {
        tls: Some(server(&pki.acs, None, ClientCertMode::None)),
        rule: BindingRule::default(),
        basic: Some((policy, users)),
    })
    .await;
    let creds = cwmp_auth::basic::authorization("cpe", "s3cret").unwrap();

    // Plain HTTP: no Basic challenge is offered, and Basic credentials are refused.
    let r = post(plain.addr, "127.0.0.1", None, None, "SN1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(plain.addr, "127.0.0.1", None, Some(creds.clone()), "SN1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    {
        let s = plain.seen.lock().unwrap();
        assert_eq!(s.insecure_basic, 2);
        assert!(s.accepted.is_empty());
    }

    // TLS: the challenge is Basic; the CPE's client auth answers it because the transport is
    // TLS (it would not over plain HTTP without the explicit opt-in).
    let c = client(pki.ca.cert_pem(), None);
    let r = post(tls.addr, "localhost", Some(&c), None, "SN1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The CPE's policy: Basic only over TLS (the library's AcsCredentials, as the reference
    // CPE uses it).
    assert!(policy::client_may_send_basic(Transport::Tls, false));
    let mut auth = AcsCredentials::new("cpe", "s3cret").basic(ClientBasic::OverTls);
    auth.on_unauthorized(
        r.headers().get_all(http::header::WWW_AUTHENTICATE),
        false,
        true,
    )
    .unwrap();
    assert_eq!(auth.scheme(), Some("basic"));
    let value = auth
        .authorization(&Method::POST, "/acs", b"", &mut cwmp_auth::OsRandom)
        .unwrap();
    assert_eq!(value.as_ref(), Some(&creds));
    let r = post(tls.addr, "localhost", Some(&c), value, "SN1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(tls.seen.lock().unwrap().accepted, [DEVICE]);
    assert!(!policy::client_may_send_basic(Transport::Plain, false));
    let mut plain_auth = AcsCredentials::new("cpe", "s3cret").basic(ClientBasic::OverTls);
    let mut challenge = http::HeaderMap::new();
    challenge.insert(
        http::header::WWW_AUTHENTICATE,
        cwmp_auth::basic::challenge("cwmp").unwrap(),
    );
    assert!(
        plain_auth
            .on_unauthorized(
                challenge.get_all(http::header::WWW_AUTHENTICATE),
                false,
                false
            )
            .is_err()
    );
}

#[tokio::test]
async fn plain_http_client_on_a_tls_port() {
    let pki = LabPki::generate(DEVICE).unwrap();
    let srv = TestServer::start(mutual(&pki)).await;
    // A CPE configured with http:// talking to the HTTPS listener: the server says why.
    let _ = post(srv.addr, "127.0.0.1", None, None, "SN1").await;
    assert!(srv.wait(|s| !s.handshake_failures.is_empty()).await);
    let s = srv.seen.lock().unwrap();
    assert_eq!(
        s.handshake_failures.first().map(|f| &f.kind),
        Some(&FailureKind::NotTls)
    );
    assert!(s.accepted.is_empty());
}
