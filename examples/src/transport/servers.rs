//! Starts the real servers the transports talk to, on loopback, for the demo: coturn's
//! `turnserver` (STUN only) and prosody with two accounts. Both run from a temporary
//! directory and are killed, and the directory removed, when the [`Servers`] value is dropped.
//! The packages must be installed (`apt-get install coturn prosody`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// The running servers.
#[derive(Debug)]
pub struct Servers {
    /// The STUN server.
    pub stun: SocketAddr,
    /// The XMPP server's client port.
    pub xmpp: SocketAddr,
    /// The XMPP domain.
    pub domain: String,
    children: Vec<Child>,
    dir: PathBuf,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port(udp: bool) -> Result<u16, String> {
    let port = if udp {
        std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr())
    } else {
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|s| s.local_addr())
    };
    port.map(|a| a.port())
        .map_err(|e| format!("free port: {e}"))
}

impl Servers {
    /// Starts turnserver and prosody and creates the XMPP accounts `(user, password)`.
    pub async fn start(accounts: &[(&str, &str)]) -> Result<Servers, String> {
        let dir = std::env::temp_dir().join(format!(
            "cwmp-transports-{}-{}",
            std::process::id(),
            crate::net::random_hex(4)
        ));
        std::fs::create_dir_all(dir.join("data")).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir.join("certs")).map_err(|e| e.to_string())?;
        let mut servers = Servers {
            stun: SocketAddr::from(([127, 0, 0, 1], free_port(true)?)),
            xmpp: SocketAddr::from(([127, 0, 0, 1], free_port(false)?)),
            domain: "localhost".into(),
            children: Vec::new(),
            dir,
        };
        let turn = Command::new("turnserver")
            .args([
                "-n",
                "--listening-ip=127.0.0.1",
                "--stun-only",
                "--no-tls",
                "--no-dtls",
            ])
            .args(["--no-cli", "--log-file=stdout", "--simple-log"])
            .arg(format!("--listening-port={}", servers.stun.port()))
            .arg(format!(
                "--pidfile={}",
                servers.dir.join("turn.pid").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("turnserver (apt-get install coturn): {e}"))?;
        servers.children.push(turn);

        let d = servers.dir.display();
        let root = if is_root() { "true" } else { "false" };
        let config = format!(
            r#"run_as_root = {root}
pidfile = "{d}/prosody.pid"
data_path = "{d}/data"
certificates = "{d}/certs"
log = {{ {{ levels = {{ min = "warn" }}, to = "file", filename = "{d}/prosody.log" }} }}
modules_enabled = {{ "roster"; "saslauth"; "disco"; "ping"; }}
modules_disabled = {{ "s2s"; "tls"; }}
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {port} }}
c2s_direct_tls_ports = {{ }}
s2s_ports = {{ }}
VirtualHost "{domain}"
"#,
            port = servers.xmpp.port(),
            domain = servers.domain,
        );
        let cfg = servers.dir.join("prosody.cfg.lua");
        std::fs::write(&cfg, config).map_err(|e| e.to_string())?;
        for (user, pass) in accounts {
            let status = Command::new("prosodyctl")
                .arg("--config")
                .arg(&cfg)
                .args(["register", user, &servers.domain, pass])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let status = tokio::time::timeout(Duration::from_secs(30), status)
                .await
                .map_err(|_| "prosodyctl register timed out".to_owned())?
                .map_err(|e| format!("prosodyctl (apt-get install prosody): {e}"))?;
            if !status.success() {
                return Err(format!("prosodyctl register {user}: {status}"));
            }
        }
        let prosody = Command::new("prosody")
            .arg("--config")
            .arg(&cfg)
            .arg("-F")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("prosody: {e}"))?;
        servers.children.push(prosody);
        // Bounded wait for the client port.
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(servers.xmpp).await.is_ok() {
                return Ok(servers);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("prosody did not listen on {}", servers.xmpp))
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
}
