//! `cwmp auth ...`: digest `Authorization` values and UDP connection requests.
//!
//! ```text
//! cwmp auth respond --www-authenticate VALUE --username U --password P --method M --uri URI
//!                   [--body FILE] [--cnonce C] [--nc N]
//! cwmp auth udp-request --host H --port N --username U --password P --ts T --id I --cnonce C
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cwmp_auth::digest::DigestClient;
use cwmp_auth::http::{HeaderValue, Method};
use cwmp_auth::udp::UdpConnectionRequest;

#[derive(Parser, Debug)]
#[command(
    name = "cwmp auth",
    about = "HTTP digest and UDP connection-request helpers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the `Authorization` value answering a `WWW-Authenticate` challenge.
    Respond {
        /// The `WWW-Authenticate` value (several challenges allowed; the strongest is used).
        #[arg(long = "www-authenticate")]
        www_authenticate: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// Request method, e.g. GET or POST.
        #[arg(long)]
        method: String,
        /// Request target as sent on the request line.
        #[arg(long)]
        uri: String,
        /// File holding the request body (for qop=auth-int).
        #[arg(long)]
        body: Option<std::path::PathBuf>,
        /// Client nonce (random when absent).
        #[arg(long)]
        cnonce: Option<String>,
        /// Nonce count, decimal (default 1).
        #[arg(long)]
        nc: Option<u32>,
    },
    /// Print a signed UDP connection request datagram (TR-069 Annex G).
    UdpRequest {
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// Unix time in seconds.
        #[arg(long)]
        ts: u64,
        /// Message id.
        #[arg(long)]
        id: u64,
        #[arg(long)]
        cnonce: String,
    },
}

/// Runs `cwmp auth` with the arguments after `auth`.
pub fn run(args: &[String]) -> ExitCode {
    let cli: Cli = match crate::parse_args("cwmp auth", args) {
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
        Command::Respond {
            www_authenticate,
            username,
            password,
            method,
            uri,
            body,
            cnonce,
            nc,
        } => {
            let challenge = HeaderValue::from_str(&www_authenticate).map_err(|_| {
                "--www-authenticate contains characters not allowed in a header".to_owned()
            })?;
            let method = Method::from_bytes(method.as_bytes())
                .map_err(|_| format!("invalid method `{method}`"))?;
            let body = match body {
                Some(path) => std::fs::read(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                None => Vec::new(),
            };
            let mut client = DigestClient::new(username, password);
            client
                .handle_unauthorized([&challenge], false)
                .map_err(|e| format!("challenge: {e}"))?;
            if let Some(nc) = nc {
                if nc == 0 {
                    return Err("--nc must be at least 1".to_owned());
                }
                client.set_next_nc(nc);
            }
            let value = match cnonce {
                Some(c) => client.authorization_with_cnonce(&method, &uri, &body, &c),
                None => client.authorization(&method, &uri, &body, &mut cwmp_auth::OsRandom),
            }
            .map_err(|e| e.to_string())?;
            value
                .to_str()
                .map(|v| format!("{v}\n"))
                .map_err(|e| e.to_string())
        }
        Command::UdpRequest {
            host,
            port,
            username,
            password,
            ts,
            id,
            cnonce,
        } => {
            if host.is_empty() || host.contains(['/', '?', ' ', '\r', '\n']) {
                return Err(format!("invalid host `{host}`"));
            }
            let req = UdpConnectionRequest::new_signed(
                &host,
                Some(port),
                ts,
                id,
                &username,
                &cnonce,
                &password,
            );
            // The exact datagram, CRLFs included.
            String::from_utf8(req.to_datagram()).map_err(|e| e.to_string())
        }
    }
}
