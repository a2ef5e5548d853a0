//! The reference ACS and CPE over real TLS on loopback: mutual TLS completes a session; an
//! untrusted ACS, a missing client certificate and a certificate naming another device each
//! end with no session and no data accepted by the ACS.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use cwmp_auth::digest::Users;
use cwmp_examples::acs::{self, Acs};
use cwmp_examples::cpe::{Agent, Config, Summary};
use cwmp_examples::store::DataModel;
use cwmp_examples::tls::pki::{Ca, LabPki, Validity};
use cwmp_examples::tls::{
    AcsTls, BindingRule, ClientCertMode, ClientSettings, DeviceIdentity, Identity, Peer,
    ServerSettings, TlsClient, TlsServer, Trust,
};

fn device_id() -> String {
    let id = DataModel::builtin().device_id();
    DeviceIdentity::from(&id).full()
}

async fn start_acs(tls: AcsTls) -> (Acs, String, tokio::sync::oneshot::Sender<()>) {
    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "pw"),
        tls: Some(tls),
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/acs", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(acs.clone().serve(listener, async {
        let _ = rx.await;
    }));
    (acs, url, tx)
}

fn acs_tls(pki: &LabPki, mode: ClientCertMode) -> AcsTls {
    AcsTls {
        server: TlsServer::new(&ServerSettings {
            identity: pki.acs.clone(),
            client_ca_pem: Some(pki.ca.cert_pem().as_bytes().to_vec()),
            client_cert: mode,
        })
        .unwrap(),
        binding: BindingRule::default(),
    }
}

fn cpe_tls(ca_pem: &str, identity: Option<&Identity>) -> TlsClient {
    TlsClient::new(
        &ClientSettings {
            trust: Trust::CaPem(ca_pem.as_bytes().to_vec()),
            identity: identity.cloned(),
        },
        Peer::Acs,
    )
    .unwrap()
}

async fn run_cpe(url: &str, tls: TlsClient, secs: u64) -> Summary {
    let agent = Agent::bind(Config {
        acs_url: url.to_owned(),
        username: "cpe".into(),
        password: "pw".into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: "acs".into(),
        cr_password: "cr".into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: Some(1),
        tls: Some(tls),
        cr_tls: None,
    })
    .await
    .unwrap();
    agent
        .run(tokio::time::sleep(Duration::from_secs(secs)))
        .await
}

#[tokio::test]
async fn mutual_tls_session_completes() {
    let pki = LabPki::generate(&device_id()).unwrap();
    let (acs, url, _stop) = start_acs(acs_tls(&pki, ClientCertMode::Required)).await;
    let summary = run_cpe(&url, cpe_tls(pki.ca.cert_pem(), Some(&pki.cpe)), 15).await;
    assert_eq!((summary.completed, summary.failed), (1, 0), "{summary:?}");
    let devices = acs.devices().await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].id, device_id());
    assert_eq!(devices[0].sessions_completed, 1);
}

#[tokio::test]
async fn untrusted_acs_gets_nothing() {
    let pki = LabPki::generate(&device_id()).unwrap();
    let (acs, url, _stop) = start_acs(acs_tls(&pki, ClientCertMode::Optional)).await;
    let other = Ca::new("another CA", Validity::days_from_now(1)).unwrap();
    let summary = run_cpe(&url, cpe_tls(other.cert_pem(), None), 2).await;
    assert_eq!(summary.completed, 0);
    assert!(summary.failed >= 1, "{summary:?}");
    assert!(acs.devices().await.is_empty());
}

#[tokio::test]
async fn missing_client_certificate_gets_no_session() {
    let pki = LabPki::generate(&device_id()).unwrap();
    let (acs, url, _stop) = start_acs(acs_tls(&pki, ClientCertMode::Required)).await;
    let summary = run_cpe(&url, cpe_tls(pki.ca.cert_pem(), None), 2).await;
    assert_eq!(summary.completed, 0);
    assert!(summary.failed >= 1, "{summary:?}");
    assert!(acs.devices().await.is_empty());
}

#[tokio::test]
async fn certificate_of_another_device_is_refused() {
    let pki = LabPki::generate(&device_id()).unwrap();
    let other = pki
        .ca
        .issue_device("00256D-HGW-1-SOMEONEELSE", Validity::days_from_now(1))
        .unwrap();
    let (acs, url, _stop) = start_acs(acs_tls(&pki, ClientCertMode::Required)).await;
    let summary = run_cpe(&url, cpe_tls(pki.ca.cert_pem(), Some(&other)), 2).await;
    assert_eq!(summary.completed, 0);
    assert!(summary.failed >= 1, "{summary:?}");
    assert!(
        acs.devices().await.is_empty(),
        "the Inform of a device its certificate does not name was accepted"
    );
}

#[test]
fn demo_over_tls() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(["--tls", "--timeout", "30"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn connection_request_over_https() {
    let pki = LabPki::generate(&device_id()).unwrap();
    let cr_cert = pki
        .ca
        .issue_server(&["127.0.0.1".to_owned()], Validity::days_from_now(1))
        .unwrap();
    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "pw"),
        cr_username: "acs".into(),
        cr_password: "cr".into(),
        tls: Some(acs_tls(&pki, ClientCertMode::Required)),
        cr_tls: Some(
            TlsClient::new(
                &ClientSettings {
                    trust: Trust::CaPem(pki.ca.cert_pem().as_bytes().to_vec()),
                    identity: None,
                },
                Peer::Cpe,
            )
            .unwrap(),
        ),
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/acs", listener.local_addr().unwrap());
    tokio::spawn(acs.clone().serve(listener, std::future::pending()));
    let agent = Agent::bind(Config {
        acs_url: url,
        username: "cpe".into(),
        password: "pw".into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: "acs".into(),
        cr_password: "cr".into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: Some(2),
        tls: Some(cpe_tls(pki.ca.cert_pem(), Some(&pki.cpe))),
        cr_tls: Some(
            TlsServer::new(&ServerSettings {
                identity: cr_cert,
                client_ca_pem: None,
                client_cert: ClientCertMode::None,
            })
            .unwrap()
            .with_peer(Peer::Acs),
        ),
    })
    .await
    .unwrap();
    assert!(
        agent.cr_url.starts_with("https://127.0.0.1:"),
        "{}",
        agent.cr_url
    );
    let cpe = tokio::spawn(agent.run(tokio::time::sleep(Duration::from_secs(20))));
    let id = device_id();
    assert!(
        acs.wait_for(Duration::from_secs(10), |d| d
            .iter()
            .any(|d| d.sessions_completed == 1))
            .await
    );
    assert_eq!(acs.connection_request(&id).await, Ok("accepted"));
    assert!(
        acs.wait_for(Duration::from_secs(10), |d| d
            .iter()
            .any(|d| d.sessions_completed == 2))
            .await
    );
    let summary = cpe.await.unwrap();
    assert_eq!(summary.connection_requests, 1, "{summary:?}");
    assert_eq!(
        acs.device(&id).await.unwrap().last_events,
        ["6 CONNECTION REQUEST"]
    );
}

async fn start_acs_with(
    tls: Option<AcsTls>,
    auth: cwmp_examples::tls::acs::AuthPolicy,
) -> (Acs, std::net::SocketAddr) {
    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "pw"),
        tls,
        auth,
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(acs.clone().serve(listener, std::future::pending()));
    (acs, addr)
}

async fn run_cpe_plain(url: &str, allow_basic: bool, secs: u64) -> Summary {
    let agent = Agent::bind(Config {
        acs_url: url.to_owned(),
        username: "cpe".into(),
        password: "pw".into(),
        allow_basic,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: "acs".into(),
        cr_password: "cr".into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: Some(1),
        tls: None,
        cr_tls: None,
    })
    .await
    .unwrap();
    agent
        .run(tokio::time::sleep(Duration::from_secs(secs)))
        .await
}

#[tokio::test]
async fn basic_policy_only_inside_tls() {
    use cwmp_examples::tls::acs::AuthPolicy;
    let basic = AuthPolicy::Basic {
        allow_plain_http: false,
    };
    // Over TLS the CPE answers the Basic challenge (no --allow-basic needed) and the ACS
    // accepts it.
    let pki = LabPki::generate(&device_id()).unwrap();
    let (acs, addr) = start_acs_with(Some(acs_tls(&pki, ClientCertMode::None)), basic).await;
    let summary = run_cpe(
        &format!("https://{addr}/acs"),
        cpe_tls(pki.ca.cert_pem(), None),
        15,
    )
    .await;
    assert_eq!((summary.completed, summary.failed), (1, 0), "{summary:?}");
    assert_eq!(acs.devices().await.len(), 1);
    // Over plain HTTP the ACS refuses Basic even from a CPE willing to send it.
    let (acs, addr) = start_acs_with(None, basic).await;
    let summary = run_cpe_plain(&format!("http://{addr}/acs"), true, 2).await;
    assert_eq!(summary.completed, 0, "{summary:?}");
    assert!(acs.devices().await.is_empty());
}

#[tokio::test]
async fn client_certificate_policy() {
    use cwmp_examples::tls::acs::AuthPolicy;
    let pki = LabPki::generate(&device_id()).unwrap();
    let (acs, addr) = start_acs_with(
        Some(acs_tls(&pki, ClientCertMode::Optional)),
        AuthPolicy::ClientCertificate,
    )
    .await;
    // With its certificate the CPE needs no password round trip.
    let summary = run_cpe(
        &format!("https://{addr}/acs"),
        cpe_tls(pki.ca.cert_pem(), Some(&pki.cpe)),
        15,
    )
    .await;
    assert_eq!((summary.completed, summary.failed), (1, 0), "{summary:?}");
    // Without one it is refused, even with the right password.
    let (acs2, addr2) = start_acs_with(
        Some(acs_tls(&pki, ClientCertMode::Optional)),
        AuthPolicy::ClientCertificate,
    )
    .await;
    let summary = run_cpe(
        &format!("https://{addr2}/acs"),
        cpe_tls(pki.ca.cert_pem(), None),
        2,
    )
    .await;
    assert_eq!(summary.completed, 0, "{summary:?}");
    assert!(acs2.devices().await.is_empty());
    assert_eq!(acs.devices().await.len(), 1);
}
