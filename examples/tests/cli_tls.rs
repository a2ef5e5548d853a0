//! `cwmp tls` commands: the files they write are a working PKI (checked with a real rustls
//! handshake on loopback) and naming the device.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cwmp_examples::tls::{
    ClientCertMode, ClientSettings, Identity, Peer, PeerIdentity, ServerSettings, TlsClient,
    TlsServer, Trust, pem,
};

fn cwmp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cwmp"))
        .arg("tls")
        .args(args)
        .output()
        .unwrap()
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cwmp-cli-tls-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn p(d: &Path, f: &str) -> String {
    d.join(f).to_str().unwrap().to_owned()
}

fn make_ca(d: &Path) {
    let o = cwmp(&[
        "make-ca",
        "--cert",
        &p(d, "ca.pem"),
        "--key",
        &p(d, "ca-key.pem"),
    ]);
    assert!(o.status.success(), "{o:?}");
}

fn issue(d: &Path, what: &[&str], name: &str) -> Output {
    let mut args = vec![
        "issue".to_owned(),
        "--ca".into(),
        p(d, "ca.pem"),
        "--ca-key".into(),
        p(d, "ca-key.pem"),
        "--cert".into(),
        p(d, &format!("{name}.pem")),
        "--key".into(),
        p(d, &format!("{name}-key.pem")),
    ];
    args.extend(what.iter().map(|s| (*s).to_owned()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    cwmp(&refs)
}

fn leaf_identity(file: &Path) -> PeerIdentity {
    let certs = pem::certificates(&std::fs::read(file).unwrap(), "leaf").unwrap();
    PeerIdentity::from_der(certs.first().unwrap()).unwrap()
}

#[test]
fn make_ca_issue_and_handshake_with_the_files() {
    let d = tempdir("pki");
    make_ca(&d);
    let o = issue(&d, &["--device", "00CAFE-Box-SN42"], "cpe");
    assert!(o.status.success(), "{o:?}");
    let o = issue(
        &d,
        &["--server-name", "localhost", "--server-name", "127.0.0.1"],
        "acs",
    );
    assert!(o.status.success(), "{o:?}");

    let cpe = leaf_identity(&d.join("cpe.pem"));
    assert_eq!(cpe.common_names, ["00CAFE-Box-SN42"]);
    assert_eq!(cpe.dns_names, ["00CAFE-Box-SN42"]);
    let acs = leaf_identity(&d.join("acs.pem"));
    assert_eq!(acs.dns_names, ["localhost"]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for k in ["ca-key.pem", "cpe-key.pem", "acs-key.pem"] {
            let mode = std::fs::metadata(d.join(k)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{k} readable by others: {mode:o}");
        }
    }

    // Mutual TLS with exactly these files.
    let ca = std::fs::read(d.join("ca.pem")).unwrap();
    let server = TlsServer::new(&ServerSettings {
        identity: Identity::from_files(&d.join("acs.pem"), &d.join("acs-key.pem")).unwrap(),
        client_ca_pem: Some(ca.clone()),
        client_cert: ClientCertMode::Required,
    })
    .unwrap();
    let client = TlsClient::new(
        &ClientSettings {
            trust: Trust::CaPem(ca),
            identity: Some(
                Identity::from_files(&d.join("cpe.pem"), &d.join("cpe-key.pem")).unwrap(),
            ),
        },
        Peer::Acs,
    )
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let srv = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut acc = server.accept(tcp).await.unwrap();
            let mut b = [0u8; 4];
            tokio::io::AsyncReadExt::read_exact(&mut acc.stream, &mut b)
                .await
                .unwrap();
            (acc.client, b)
        });
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut s = client.connect(tcp, "localhost").await.unwrap();
        tokio::io::AsyncWriteExt::write_all(&mut s, b"ping")
            .await
            .unwrap();
        tokio::io::AsyncWriteExt::flush(&mut s).await.unwrap();
        srv.await.unwrap()
    });
    assert_eq!(&seen.1, b"ping");
    assert_eq!(seen.0.unwrap().common_names, ["00CAFE-Box-SN42"]);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn refuses_to_overwrite_and_bad_input() {
    let d = tempdir("refuse");
    make_ca(&d);
    let before = std::fs::read(d.join("ca.pem")).unwrap();
    let o = cwmp(&[
        "make-ca",
        "--cert",
        &p(&d, "ca.pem"),
        "--key",
        &p(&d, "ca-key.pem"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(d.join("ca.pem")).unwrap(),
        before,
        "CA overwritten"
    );
    let o = cwmp(&[
        "make-ca",
        "--cert",
        &p(&d, "ca.pem"),
        "--key",
        &p(&d, "ca-key.pem"),
        "--force",
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_ne!(std::fs::read(d.join("ca.pem")).unwrap(), before);

    for bad in [
        "Box-SN1",
        "00CAFE",
        "00CAFE-",
        "0CAFE-Box-SN1",
        "00CAFG-SN1",
    ] {
        let o = issue(&d, &["--device", bad], "x");
        assert_eq!(o.status.code(), Some(1), "{bad}: {o:?}");
        assert!(!d.join("x.pem").exists(), "{bad}: file written");
    }
    // Neither a device nor a server name, or both.
    assert_eq!(issue(&d, &[], "x").status.code(), Some(1));
    assert_eq!(
        issue(&d, &["--device", "00CAFE-SN1", "--server-name", "h"], "x")
            .status
            .code(),
        Some(1)
    );
    // A CA key that does not exist.
    let o = cwmp(&[
        "issue",
        "--ca",
        &p(&d, "ca.pem"),
        "--ca-key",
        &p(&d, "missing.pem"),
        "--device",
        "00CAFE-SN1",
        "--cert",
        &p(&d, "y.pem"),
        "--key",
        &p(&d, "y-key.pem"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_and_probe() {
    let d = tempdir("serve");
    make_ca(&d);
    assert!(
        issue(&d, &["--server-name", "localhost"], "acs")
            .status
            .success()
    );
    assert!(
        issue(&d, &["--device", "00CAFE-Box-SN7"], "cpe")
            .status
            .success()
    );
    let port_file = d.join("port");
    let _serve = Serve(
        Command::new(env!("CARGO_BIN_EXE_cwmp"))
            .args(["tls", "serve", "--cert", &p(&d, "acs.pem"), "--key"])
            .arg(p(&d, "acs-key.pem"))
            .args(["--client-ca", &p(&d, "ca.pem"), "--client-cert", "required"])
            .args([
                "--port-file",
                port_file.to_str().unwrap(),
                "--max-runtime",
                "60",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut port = String::new();
    for _ in 0..200 {
        port = std::fs::read_to_string(&port_file).unwrap_or_default();
        if !port.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(!port.is_empty(), "serve did not start");
    let url = format!("https://localhost:{port}/probe");

    let o = cwmp(&[
        "probe",
        "--url",
        &url,
        "--ca",
        &p(&d, "ca.pem"),
        "--cert",
        &p(&d, "cpe.pem"),
        "--key",
        &p(&d, "cpe-key.pem"),
    ]);
    assert!(o.status.success(), "{o:?}");
    let out = String::from_utf8(o.stdout).unwrap();
    let mut lines = out.lines();
    let head = lines.next().unwrap();
    assert!(head.ends_with("HTTP 200"), "{head}");
    let seen: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(
        seen["client_certificate"]["common_names"][0],
        "00CAFE-Box-SN7"
    );
    assert_eq!(seen["path"], "/probe");
    assert_eq!(seen["authorization_sent"], false);

    // No client certificate: refused, one line.
    let o = cwmp(&["probe", "--url", &url, "--ca", &p(&d, "ca.pem")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    // Another CA: the server is not trusted.
    let other = tempdir("serve-other");
    make_ca(&other);
    let o = cwmp(&["probe", "--url", &url, "--ca", &p(&other, "ca.pem")]);
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&other);
}
