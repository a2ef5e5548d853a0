//! `cwmp tls serve` and `cwmp tls probe`: try certificates before putting them in front of
//! devices.
//!
//! ```text
//! cwmp tls serve --cert acs.pem --key acs-key.pem [--client-ca ca.pem]
//!                [--client-cert none|optional|required] [--device-binding RULE]
//!                [--listen ADDR] [--port-file FILE] [--max-runtime SECS]
//! cwmp tls probe --url https://host:port/path [--ca ca.pem] [--cert cpe.pem --key cpe-key.pem]
//! ```
//!
//! `serve` is an HTTPS endpoint that answers every request with JSON describing the TLS
//! session (version, client certificate names, whether credentials were sent) and, for an
//! Inform, the device-binding verdict (403 on a mismatch); each handshake failure is one
//! stderr line. `probe` connects like the CPE does (server certificate checked against the CA
//! bundle, or the system trust store without `--ca`, and the URL's host), sends an empty
//! POST and prints the TLS version, the server certificate's names and the HTTP status, or one
//! `error:` line.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use clap::Parser;
use cwmp_core::Body as CwmpBody;
use cwmp_examples::net;
use cwmp_examples::tls::{
    Binding, BindingRule, ClientCertMode, ClientSettings, DeviceIdentity, Identity, Peer,
    PeerIdentity, ServerSettings, TlsClient, TlsFailure, TlsServer, Trust, check_binding, pem,
};
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::json;

#[derive(Parser, Debug)]
#[command(
    name = "cwmp tls serve",
    about = "An HTTPS endpoint that describes each TLS session"
)]
pub struct ServeArgs {
    /// Server certificate chain (PEM, leaf first).
    #[arg(long)]
    cert: PathBuf,
    /// Server key (PEM).
    #[arg(long)]
    key: PathBuf,
    /// CA certificates that issue client certificates (PEM).
    #[arg(long = "client-ca")]
    client_ca: Option<PathBuf>,
    /// none, optional or required (default: required with --client-ca, else none).
    #[arg(long = "client-cert")]
    client_cert: Option<ClientCertMode>,
    /// Device binding: off, cn, san or cn-or-san, optionally :full, :short or :either.
    #[arg(long = "device-binding", default_value = "cn-or-san:either")]
    binding: BindingRule,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Write the bound port to this file once listening.
    #[arg(long = "port-file")]
    port_file: Option<PathBuf>,
    /// Stop after this many seconds (0: run until Ctrl-C).
    #[arg(long = "max-runtime", default_value_t = 0)]
    max_runtime: u64,
}

#[derive(Parser, Debug)]
#[command(
    name = "cwmp tls probe",
    about = "Connect to an HTTPS server the way the CPE does"
)]
pub struct ProbeArgs {
    /// `https://host[:port][/path]`.
    #[arg(long)]
    url: String,
    /// Trusted CA certificates (PEM); the system trust store when absent.
    #[arg(long)]
    ca: Option<PathBuf>,
    /// Client certificate chain (PEM).
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// Client key (PEM).
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
    /// HTTP method of the request sent after the handshake (an empty body).
    #[arg(long, default_value = "POST")]
    method: http::Method,
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))
}

/// Runs `cwmp tls serve`.
pub fn serve(args: ServeArgs) -> Result<String, String> {
    let client_ca_pem = match &args.client_ca {
        Some(p) => Some(pem::read(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let mode = args.client_cert.unwrap_or(if client_ca_pem.is_some() {
        ClientCertMode::Required
    } else {
        ClientCertMode::None
    });
    let server = TlsServer::new(&ServerSettings {
        identity: Identity::from_files(&args.cert, &args.key).map_err(|e| e.to_string())?,
        client_ca_pem,
        client_cert: mode,
    })
    .map_err(|e| e.to_string())?;
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        if let Some(p) = &args.port_file {
            std::fs::write(p, addr.port().to_string())
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        eprintln!(
            "[tls] listening on https://{addr}/ (client certificates: {mode:?}, device binding {})",
            args.binding
        );
        let shutdown = net::shutdown_signal(args.max_runtime, "tls");
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => {
                    let Ok((tcp, peer)) = accepted else { continue };
                    let server = server.clone();
                    let rule = args.binding;
                    tokio::spawn(async move { connection(server, rule, tcp, peer).await });
                }
            }
        }
        Ok(String::new())
    })
}

async fn connection(
    server: TlsServer,
    rule: BindingRule,
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
) {
    let acc = match server.accept(tcp).await {
        Ok(a) => a,
        Err(f) => {
            eprintln!("[tls] {peer}: {f}");
            return;
        }
    };
    let client = acc.client.map(Arc::new);
    let version = acc.version;
    eprintln!(
        "[tls] {peer}: {version}, client certificate {}",
        client
            .as_deref()
            .map_or_else(|| "none".to_owned(), ToString::to_string)
    );
    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
        let client = client.clone();
        async move { Ok::<_, Infallible>(describe(req, client.as_deref(), version, rule, peer).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(acc.stream), svc)
        .await;
}

fn identity_json(id: &PeerIdentity) -> serde_json::Value {
    json!({"common_names": id.common_names, "dns_names": id.dns_names, "uris": id.uris})
}

async fn describe(
    req: Request<Incoming>,
    client: Option<&PeerIdentity>,
    version: &str,
    rule: BindingRule,
    peer: SocketAddr,
) -> Response<net::Body> {
    let (parts, body) = req.into_parts();
    let body = net::read_body(body, net::MAX_BODY)
        .await
        .unwrap_or_default();
    let mut out = json!({
        "tls_version": version,
        "client_certificate": client.map(identity_json),
        "authorization_sent": parts.headers.contains_key(http::header::AUTHORIZATION),
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
    });
    let mut status = StatusCode::OK;
    if let Ok(env) = cwmp_soap::decode(&body) {
        if let CwmpBody::Inform(inform) = &env.body {
            let device = DeviceIdentity::from(&inform.device_id);
            out["device"] = json!(device.full());
            match check_binding(rule, client, &device) {
                Ok(Binding::Matched(name)) => out["binding"] = json!(format!("matched {name}")),
                Ok(Binding::NoCertificate) => out["binding"] = json!("no certificate"),
                Ok(Binding::NotRequired) => out["binding"] = json!("off"),
                Err(e) => {
                    eprintln!("[tls] {peer}: refused: {e}");
                    out["binding"] = json!("mismatch");
                    out["error"] = json!(e.to_string());
                    status = StatusCode::FORBIDDEN;
                }
            }
        }
    }
    net::json(status, &out)
}

/// `https://host[:port][/path]` as host, port and path.
fn parse_https(url: &str) -> Result<net::HttpUrl, String> {
    let u = net::HttpUrl::parse(url)?;
    if !u.https {
        return Err(format!("{url:?}: expected an https:// URL"));
    }
    Ok(u)
}

/// Runs `cwmp tls probe`.
pub fn probe(args: ProbeArgs) -> Result<String, String> {
    let url = parse_https(&args.url)?;
    let trust = match &args.ca {
        Some(p) => Trust::CaPem(pem::read(p).map_err(|e| e.to_string())?),
        None => Trust::System,
    };
    let identity = match (&args.cert, &args.key) {
        (Some(c), Some(k)) => Some(Identity::from_files(c, k).map_err(|e| e.to_string())?),
        _ => None,
    };
    let client = TlsClient::new(&ClientSettings { trust, identity }, Peer::Acs)
        .map_err(|e| e.to_string())?;
    runtime()?.block_on(async move {
        let host = url.host.trim_start_matches('[').trim_end_matches(']');
        let tcp = tokio::time::timeout(
            net::CONNECT_TIMEOUT,
            tokio::net::TcpStream::connect((host, url.port)),
        )
        .await
        .map_err(|_| format!("connect to {}: timed out", url.authority()))?
        .map_err(|e| format!("connect to {}: {e}", url.authority()))?;
        let tls = client
            .connect(tcp, &url.host)
            .await
            .map_err(|f| f.to_string())?;
        let (_, conn) = tls.get_ref();
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
            _ => "TLS",
        };
        let server_id = conn
            .peer_certificates()
            .and_then(|c| c.first())
            .and_then(|der| PeerIdentity::from_der(der).ok())
            .map_or_else(|| "?".to_owned(), |id| id.to_string());
        let handshake = format!(
            "{version} with {}; server certificate {server_id}",
            url.authority()
        );
        let http_failed = |e: hyper::Error| match TlsFailure::find(&e, Peer::Acs) {
            Some(f) => f.to_string(),
            None => format!("{handshake}; then HTTP failed: {e}"),
        };
        let (mut sender, driver) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .map_err(http_failed)?;
        let driver = tokio::spawn(driver);
        let mut req = Request::builder()
            .method(args.method)
            .uri(url.path.as_str())
            .header(http::header::HOST, url.authority());
        if req.method_ref() != Some(&http::Method::GET) {
            req = req.header(http::header::CONTENT_LENGTH, "0");
        }
        let req = req
            .body(http_body_util::Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let resp = sender.send_request(req).await.map_err(http_failed)?;
        let status = resp.status();
        let body = net::read_body(resp.into_body(), net::MAX_BODY)
            .await
            .map_err(|e| e.to_string())?;
        driver.abort();
        Ok(format!(
            "{handshake}; HTTP {}\n{}",
            status.as_u16(),
            if body.is_empty() {
                String::new()
            } else {
                format!("{}\n", String::from_utf8_lossy(&body).trim_end())
            }
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls() {
        let u = parse_https("https://acs.example/cwmp").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("acs.example", 443, "/cwmp")
        );
        let u = parse_https("https://[::1]:8443").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("[::1]", 8443));
        let u = parse_https("https://[::1]/x").unwrap();
        assert_eq!(u.port, 443);
        assert!(parse_https("http://x/").is_err());
    }
}
