//! `cwmp tls ...`: a lab PKI in PEM files, to try HTTPS and mutual TLS with real files.
//!
//! ```text
//! cwmp tls make-ca --cert ca.pem --key ca-key.pem [--cn NAME] [--days N] [--force]
//! cwmp tls issue --ca ca.pem --ca-key ca-key.pem --device OUI-Class-Serial
//!                --cert cpe.pem --key cpe-key.pem [--days N] [--force]
//! cwmp tls issue --ca ca.pem --ca-key ca-key.pem --server-name HOST [--server-name HOST ...]
//!                --cert acs.pem --key acs-key.pem [--days N] [--force]
//! cwmp tls serve ... / cwmp tls probe ...   (see tls_check.rs)
//! ```
//!
//! Keys are ECDSA P-256 in PKCS#8 PEM, written with mode 0600; existing files are kept
//! unless `--force`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cwmp_examples::tls::pki::{Ca, Validity};

#[derive(Parser, Debug)]
#[command(name = "cwmp tls", about = "Lab certificates for HTTPS and mutual TLS")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make a self-signed CA (certificate and key).
    MakeCa {
        /// Where to write the CA certificate (PEM).
        #[arg(long)]
        cert: PathBuf,
        /// Where to write the CA key (PEM).
        #[arg(long)]
        key: PathBuf,
        /// The CA's common name.
        #[arg(long, default_value = "cwmp-rs lab CA")]
        cn: String,
        /// Days of validity.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Issue a CPE client certificate (--device) or an ACS server certificate
    /// (--server-name) signed by the CA.
    Issue {
        /// The CA certificate (PEM).
        #[arg(long)]
        ca: PathBuf,
        /// The CA key (PEM).
        #[arg(long = "ca-key")]
        ca_key: PathBuf,
        /// Device identity `OUI-ProductClass-Serial` or `OUI-Serial`: subject CN (and a
        /// dNSName SAN when it is DNS-safe) of a client certificate.
        #[arg(
            long,
            conflicts_with = "server_name",
            required_unless_present = "server_name"
        )]
        device: Option<String>,
        /// Host name or IP address of a server certificate (repeatable).
        #[arg(long = "server-name")]
        server_name: Vec<String>,
        /// Where to write the certificate (PEM).
        #[arg(long)]
        cert: PathBuf,
        /// Where to write the key (PEM).
        #[arg(long)]
        key: PathBuf,
        /// Days of validity.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// An HTTPS endpoint describing each TLS session (JSON), for trying certificates.
    Serve(crate::tls_check::ServeArgs),
    /// Connect to an HTTPS server the way the CPE does and report.
    Probe(crate::tls_check::ProbeArgs),
}

/// Runs `cwmp tls` with the arguments after `tls`.
pub fn run(args: &[String]) -> ExitCode {
    let cli: Cli = match crate::parse_args("cwmp tls", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match execute(cli.command) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn execute(command: Command) -> Result<String, String> {
    match command {
        Command::Serve(args) => crate::tls_check::serve(args),
        Command::Probe(args) => crate::tls_check::probe(args),
        Command::MakeCa {
            cert,
            key,
            cn,
            days,
            force,
        } => {
            check_days(days)?;
            refuse_overwrite(&[&cert, &key], force)?;
            let ca = Ca::new(&cn, Validity::days_from_now(days)).map_err(|e| e.to_string())?;
            write(&cert, ca.cert_pem().as_bytes(), false)?;
            write(&key, ca.key_pem().as_bytes(), true)?;
            Ok(format!(
                "CA {cn:?}: certificate {}, key {}\n",
                cert.display(),
                key.display()
            ))
        }
        Command::Issue {
            ca,
            ca_key,
            device,
            server_name,
            cert,
            key,
            days,
            force,
        } => {
            check_days(days)?;
            refuse_overwrite(&[&cert, &key], force)?;
            let ca_pem = read_text(&ca)?;
            let ca_key_pem = read_text(&ca_key)?;
            let ca = Ca::from_pem(&ca_pem, &ca_key_pem)
                .map_err(|e| format!("CA {} / {}: {e}", ca.display(), ca_key.display()))?;
            let validity = Validity::days_from_now(days);
            let (what, id) = match device {
                Some(device) => {
                    check_device(&device)?;
                    let id = ca
                        .issue_device(&device, validity)
                        .map_err(|e| e.to_string())?;
                    (format!("client certificate for device {device}"), id)
                }
                None => {
                    for n in &server_name {
                        cwmp_examples::tls::client::server_name(n).map_err(|e| e.to_string())?;
                    }
                    let id = ca
                        .issue_server(&server_name, validity)
                        .map_err(|e| e.to_string())?;
                    (
                        format!("server certificate for {}", server_name.join(", ")),
                        id,
                    )
                }
            };
            write(&cert, &id.chain_pem, false)?;
            write(&key, &id.key_pem, true)?;
            Ok(format!(
                "{what}: certificate {}, key {}\n",
                cert.display(),
                key.display()
            ))
        }
    }
}

fn check_days(days: u32) -> Result<(), String> {
    if days == 0 || days > 36_500 {
        return Err(format!("--days {days}: expected 1 to 36500"));
    }
    Ok(())
}

/// `OUI-Serial` or `OUI-ProductClass-Serial`: an OUI of 6 hex digits, then non-empty parts.
fn check_device(device: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "--device {device:?}: expected OUI-ProductClass-Serial or OUI-Serial (OUI: 6 hex digits)"
        )
    };
    let (oui, rest) = device.split_once('-').ok_or_else(bad)?;
    if oui.len() != 6
        || !oui.chars().all(|c| c.is_ascii_hexdigit())
        || rest.is_empty()
        || rest.starts_with('-')
        || rest.ends_with('-')
        || device.chars().any(char::is_control)
    {
        return Err(bad());
    }
    Ok(())
}

fn refuse_overwrite(paths: &[&Path], force: bool) -> Result<(), String> {
    if paths.first() == paths.get(1) {
        return Err("--cert and --key must be different files".into());
    }
    if force {
        return Ok(());
    }
    match paths.iter().find(|p| p.exists()) {
        Some(p) => Err(format!("{} exists (use --force to overwrite)", p.display())),
        None => Ok(()),
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8], secret: bool) -> Result<(), String> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = opts
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut f, data)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
