//! XMPP connection request against a real XMPP server (prosody) with two accounts.
//!
//! Live-server test: declared with `test = false` in examples/Cargo.toml, so the workspace's
//! `cargo test` does not build or run it; `.ci/steps/35-cr-transports.sh` starts prosody on
//! loopback, creates the accounts and runs it with `cargo test -p cwmp-examples --test
//! cr_xmpp`. Whenever it runs, a missing server is a failure. Environment:
//! `CWMP_XMPP_SERVER` (host:port of the client port), `CWMP_XMPP_DOMAIN`, `CWMP_XMPP_ACS` and
//! `CWMP_XMPP_CPE` (`user:password` of the two accounts).

use std::net::SocketAddr;
use std::time::Duration;

use cwmp_auth::xmpp::{AllowedJids, Condition, ConnReqPolicy, Verdict};
use cwmp_examples::transport::xmpp::{
    XmppAccount, XmppClient, XmppCrEvent, XmppError, serve_connection_requests,
};
use tokio::sync::mpsc;

const CR_USER: &str = "cr-user";
const CR_PASS: &str = "cr-pass";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run .ci/steps/35-cr-transports.sh (it starts prosody)")
    })
}

fn account(which: &str, resource: &str) -> XmppAccount {
    let server: SocketAddr = env("CWMP_XMPP_SERVER")
        .parse()
        .expect("CWMP_XMPP_SERVER is host:port");
    let creds = env(which);
    let (user, pass) = creds.split_once(':').expect("user:password");
    XmppAccount {
        server,
        domain: env("CWMP_XMPP_DOMAIN"),
        username: user.into(),
        password: pass.into(),
        resource: resource.into(),
    }
}

fn bare(which: &str) -> String {
    let creds = env(which);
    format!(
        "{}@{}",
        creds.split_once(':').unwrap().0,
        env("CWMP_XMPP_DOMAIN")
    )
}

/// Logs the CPE in under `resource` and serves requests with `allowed`; returns its full JID.
async fn start_cpe(
    resource: &str,
    allowed: &str,
    busy: bool,
) -> (String, mpsc::UnboundedReceiver<XmppCrEvent>) {
    let client = XmppClient::connect(&account("CWMP_XMPP_CPE", resource))
        .await
        .unwrap();
    let jid = client.jid().to_owned();
    assert_eq!(jid, format!("{}/{resource}", bare("CWMP_XMPP_CPE")));
    let policy = ConnReqPolicy::new(AllowedJids::parse(allowed).unwrap(), CR_USER, CR_PASS);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(serve_connection_requests(client, policy, move || busy, tx));
    (jid, rx)
}

async fn acs(resource: &str) -> XmppClient {
    XmppClient::connect(&account("CWMP_XMPP_ACS", resource))
        .await
        .unwrap()
}

async fn event(rx: &mut mpsc::UnboundedReceiver<XmppCrEvent>) -> XmppCrEvent {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("no decision from the CPE within 20 s")
        .expect("the CPE's XMPP task ended")
}

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn xmpp_connection_request_success() {
    let (cpe_jid, mut rx) = start_cpe("cwmp-ok", &bare("CWMP_XMPP_ACS"), false).await;
    let mut acs = acs("acs-ok").await;
    let answer = acs
        .send_connection_request(&cpe_jid, CR_USER, CR_PASS, WAIT)
        .await
        .unwrap();
    assert_eq!(answer, None, "the CPE answers result");
    let e = event(&mut rx).await;
    assert_eq!(e.verdict, Verdict::Accept);
    assert!(e.verdict.starts_session());
    assert_eq!(e.from.as_deref(), Some(acs.jid()));
}

#[tokio::test]
async fn xmpp_connection_request_wrong_password() {
    let (cpe_jid, mut rx) = start_cpe("cwmp-pw", "", false).await;
    let mut acs = acs("acs-pw").await;
    let answer = acs
        .send_connection_request(&cpe_jid, CR_USER, "wrong", WAIT)
        .await
        .unwrap();
    assert_eq!(answer, Some(Condition::NotAuthorized));
    assert_eq!(event(&mut rx).await.verdict, Verdict::BadCredentials);
}

#[tokio::test]
async fn xmpp_connection_request_sender_not_allowed() {
    // Only one full JID of the ACS account is allowed: another resource of it is refused,
    // that resource is accepted.
    let allowed = format!("{}/acs-main", bare("CWMP_XMPP_ACS"));
    let (cpe_jid, mut rx) = start_cpe("cwmp-jid", &allowed, false).await;
    let mut other = acs("acs-other").await;
    let answer = other
        .send_connection_request(&cpe_jid, CR_USER, CR_PASS, WAIT)
        .await
        .unwrap();
    assert_eq!(answer, Some(Condition::ServiceUnavailable));
    let e = event(&mut rx).await;
    assert_eq!(e.verdict, Verdict::SenderNotAllowed);
    assert_eq!(e.from.as_deref(), Some(other.jid()));

    let mut main = acs("acs-main").await;
    let answer = main
        .send_connection_request(&cpe_jid, CR_USER, CR_PASS, WAIT)
        .await
        .unwrap();
    assert_eq!(answer, None);
    assert_eq!(event(&mut rx).await.verdict, Verdict::Accept);
}

#[tokio::test]
async fn xmpp_connection_request_cpe_busy() {
    let (cpe_jid, mut rx) = start_cpe("cwmp-busy", "", true).await;
    let mut acs = acs("acs-busy").await;
    let answer = acs
        .send_connection_request(&cpe_jid, CR_USER, CR_PASS, WAIT)
        .await
        .unwrap();
    assert_eq!(answer, Some(Condition::ServiceUnavailable));
    assert_eq!(event(&mut rx).await.verdict, Verdict::Busy);
}

#[tokio::test]
async fn xmpp_login_with_a_wrong_account_password_is_refused() {
    let mut a = account("CWMP_XMPP_ACS", "acs-bad");
    a.password.push_str("-wrong");
    assert!(matches!(
        XmppClient::connect(&a).await,
        Err(XmppError::AuthFailed)
    ));
}

/// The reference programs end to end: the CPE logs in and reports its `ConnReqJabberID`, the
/// ACS's connection-request call sends the IQ from its own account, the CPE answers `result`
/// and opens a session with `6 CONNECTION REQUEST`.
#[tokio::test]
async fn reference_acs_wakes_the_reference_cpe_over_xmpp() {
    use cwmp_auth::digest::Users;
    use cwmp_examples::acs::{self, Acs};
    use cwmp_examples::cpe::{Agent, Config};
    use cwmp_examples::store::DataModel;
    use cwmp_examples::transport::acs_side::AcsTransports;
    use cwmp_examples::transport::cpe_side::CpeTransports;

    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "cpe-pw"),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        transports: AcsTransports {
            xmpp: Some(account("CWMP_XMPP_ACS", "acs-e2e")),
        },
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let acs_url = format!("http://{}/cwmp", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(acs.clone().serve(listener, async {
        let _ = stopped.await;
    }));
    let agent = Agent::bind(Config {
        acs_url,
        username: "cpe".into(),
        password: "cpe-pw".into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: None,
        tls: None,
        cr_tls: None,
    })
    .await
    .unwrap()
    .with_transports(CpeTransports {
        udp: None,
        xmpp: Some((
            account("CWMP_XMPP_CPE", "cwmp-e2e"),
            AllowedJids::parse(&bare("CWMP_XMPP_ACS")).unwrap(),
        )),
    });
    let cpe = tokio::spawn(agent.run(tokio::time::sleep(Duration::from_secs(60))));

    let wait = Duration::from_secs(20);
    let cpe_jid = format!("{}/cwmp-e2e", bare("CWMP_XMPP_CPE"));
    assert!(
        acs.wait_for(wait, |d| d.iter().any(|d| d.conn_req_jabber_id.as_deref()
            == Some(cpe_jid.as_str())
            && d.sessions_completed >= 1))
            .await,
        "the ACS never got the ConnReqJabberID: {:?}",
        acs.devices().await
    );
    let dev = acs.devices().await.into_iter().next().unwrap();
    assert_eq!(dev.udp_connection_request_address, None);
    assert_eq!(acs.connection_request(&dev.id).await, Ok("accepted"));
    assert!(
        acs.wait_for(wait, |d| d.iter().any(|d| d.sessions_completed >= 2
            && d.last_events.iter().any(|e| e == "6 CONNECTION REQUEST")))
            .await,
        "no 6 CONNECTION REQUEST session: {:?}",
        acs.devices().await
    );
    let _ = stop.send(());
    cpe.abort();
}
