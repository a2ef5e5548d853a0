//! The reference ACS (see `cwmp_examples::acs` for the endpoints).
//!
//! ```text
//! acs --listen 127.0.0.1:7547 --user cpe:secret --cr-user acs:crsecret \
//!     --queue gpv:Device.DeviceInfo. --log info
//! ```

use std::net::SocketAddr;

use clap::Parser;
use cwmp_auth::digest::Users;
use cwmp_examples::acs::{Acs, Config};
use cwmp_examples::log::{self, Level};
use cwmp_examples::rpcs;

#[derive(Parser, Debug)]
#[command(about = "Reference CWMP ACS: digest auth, cookie sessions, RPC queue, admin API")]
struct Args {
    /// Address to listen on (CWMP endpoint on every path but /admin/).
    #[arg(long, default_value = "127.0.0.1:7547")]
    listen: SocketAddr,
    /// A CPE account, USER:PASSWORD (repeatable).
    #[arg(long = "user", value_name = "USER:PASSWORD", required = true)]
    users: Vec<String>,
    /// Digest realm.
    #[arg(long, default_value = "cwmp-rs")]
    realm: String,
    /// Connection Request credentials, USER:PASSWORD.
    #[arg(long = "cr-user", value_name = "USER:PASSWORD")]
    cr_user: Option<String>,
    /// An RPC for the first device that informs (repeatable).
    #[arg(long = "queue", value_name = "RPC", long_help = rpcs::SHORT_FORMS)]
    queue: Vec<String>,
    /// Log level.
    #[arg(long, value_enum, default_value = "info")]
    log: Level,
    /// Write the bound port to this file (for scripts using port 0).
    #[arg(long)]
    port_file: Option<std::path::PathBuf>,
    /// Stop after this many seconds (0: run until interrupted).
    #[arg(long, default_value_t = 0)]
    max_runtime: u64,
    /// XMPP connection requests (UDP ones need no option: they go to the address a device
    /// reports).
    #[command(flatten)]
    transports: cwmp_examples::transport::acs_side::AcsTransportArgs,
}

fn split_pair(s: &str) -> Result<(String, String), String> {
    s.split_once(':')
        .map(|(u, p)| (u.to_owned(), p.to_owned()))
        .ok_or_else(|| format!("{s:?}: expected USER:PASSWORD"))
}

async fn run(args: Args) -> Result<(), String> {
    log::set_level(args.log);
    let mut users = Users::new();
    for u in &args.users {
        let (user, pass) = split_pair(u)?;
        users = users.with(user, pass);
    }
    let (cr_username, cr_password) = match &args.cr_user {
        Some(c) => split_pair(c)?,
        None => (String::new(), String::new()),
    };
    let initial_queue = args
        .queue
        .iter()
        .map(|q| rpcs::parse_short(q))
        .collect::<Result<Vec<_>, _>>()?;
    let acs = Acs::new(Config {
        realm: args.realm,
        users,
        cr_username,
        cr_password,
        initial_queue,
        transports: args.transports.transports()?,
        ..Config::default()
    })?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("bind {}: {e}", args.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(p) = &args.port_file {
        std::fs::write(p, local.port().to_string()).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    log::info(
        "acs",
        format!("listening on http://{local}/ (admin API under /admin/)"),
    );
    let shutdown = cwmp_examples::net::shutdown_signal(args.max_runtime, "acs");
    acs.serve(listener, shutdown).await;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
