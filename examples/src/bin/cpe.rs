//! The reference CPE agent (see `cwmp_examples::cpe`).
//!
//! ```text
//! cpe --acs-url http://127.0.0.1:7547/ --username cpe --password secret \
//!     --cr-user acs:crsecret --model ../shared/corpus/devicemodels/genieacs-sim/x.csv
//! ```

use std::net::SocketAddr;

use clap::Parser;
use cwmp_examples::cpe::{Agent, Config};
use cwmp_examples::log::{self, Level};
use cwmp_examples::store::DataModel;

#[derive(Parser, Debug)]
#[command(about = "Reference CWMP CPE agent: sessions, connection requests, simulated data model")]
struct Args {
    /// The ACS URL (ManagementServer.URL).
    #[arg(long)]
    acs_url: String,
    /// ManagementServer.Username.
    #[arg(long, default_value = "")]
    username: String,
    /// ManagementServer.Password.
    #[arg(long, default_value = "")]
    password: String,
    /// Answer a Basic-only challenge with Basic even over plain HTTP (acsrs, some test ACSs;
    /// sends the password in clear).
    #[arg(long)]
    allow_basic: bool,
    /// HTTPS towards the ACS (issue 14).
    #[command(flatten)]
    tls: cwmp_examples::tls::options::CpeTlsArgs,
    /// Connection Request listener address (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    cr_listen: SocketAddr,
    /// Connection Request path (default: random).
    #[arg(long)]
    cr_path: Option<String>,
    /// Connection Request credentials USER:PASSWORD (the ACS may change them with SPV).
    #[arg(long = "cr-user", value_name = "USER:PASSWORD")]
    cr_user: Option<String>,
    /// A device dump (CSV: Parameter, Object, Writable, Value, Value type; or the
    /// genieacs-sim JSON when the name ends in .json); default: built-in.
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// A BBF data-model XML to validate SetParameterValues against (imports from its dir).
    #[arg(long)]
    schema: Option<std::path::PathBuf>,
    /// Override SerialNumber.
    #[arg(long)]
    serial: Option<String>,
    /// Periodic inform interval in seconds (0: off; default: the model's).
    #[arg(long)]
    periodic_interval: Option<u32>,
    /// Start without 0 BOOTSTRAP (not the first contact).
    #[arg(long)]
    no_bootstrap: bool,
    /// Stop after this many completed sessions.
    #[arg(long)]
    max_sessions: Option<u32>,
    /// Stop after this many seconds (0: run until interrupted).
    #[arg(long, default_value_t = 0)]
    max_runtime: u64,
    /// Write the ConnectionRequestURL to this file once bound.
    #[arg(long)]
    cr_url_file: Option<std::path::PathBuf>,
    /// Log level.
    #[arg(long, value_enum, default_value = "info")]
    log: Level,
    /// UDP (STUN) and XMPP connection requests.
    #[command(flatten)]
    transports: cwmp_examples::transport::cpe_side::CpeTransportArgs,
}

fn random_path() -> String {
    format!("/cr-{}", cwmp_examples::net::random_hex(8))
}

async fn run(args: Args) -> Result<(), String> {
    log::set_level(args.log);
    let mut model = match &args.model {
        Some(p) => DataModel::from_file(p)?,
        None => DataModel::builtin(),
    };
    if let Some(s) = &args.schema {
        let schema =
            cwmp_datamodel::Schema::from_file(s).map_err(|e| format!("{}: {e}", s.display()))?;
        model.set_schema(schema);
    }
    if let Some(serial) = &args.serial {
        let name = format!("{}DeviceInfo.SerialNumber", model.root());
        model.set_local(&name, serial);
        model.set_dump_serial(serial);
    }
    let (cr_username, cr_password) = match &args.cr_user {
        Some(c) => c
            .split_once(':')
            .map(|(u, p)| (u.to_owned(), p.to_owned()))
            .ok_or_else(|| format!("{c:?}: expected USER:PASSWORD"))?,
        None => (String::new(), String::new()),
    };
    let tls = args.tls.build(&args.acs_url)?;
    let cr_tls = args.tls.build_cr()?;
    let agent = Agent::bind(Config {
        tls,
        cr_tls,
        acs_url: args.acs_url,
        username: args.username,
        password: args.password,
        allow_basic: args.allow_basic,
        cr_listen: args.cr_listen,
        cr_path: args.cr_path.unwrap_or_else(random_path),
        cr_username,
        cr_password,
        model,
        periodic_interval: args.periodic_interval,
        bootstrap: !args.no_bootstrap,
        max_sessions: args.max_sessions,
    })
    .await?
    .with_transports(args.transports.transports()?);
    if let Some(p) = &args.cr_url_file {
        std::fs::write(p, &agent.cr_url).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let shutdown = shutdown(args.max_runtime);
    let summary = agent.run(shutdown).await;
    log::info(
        "cpe",
        format!(
            "stopped: {} session(s) completed, {} failed, {} connection request(s)",
            summary.completed, summary.failed, summary.connection_requests
        ),
    );
    if summary.completed == 0 && summary.failed > 0 {
        return Err("no session completed".into());
    }
    Ok(())
}

/// Ctrl-C (SIGINT), SIGTERM (systemd, docker stop, kill) or the run time limit: all three
/// end the same way, with the summary line. The handlers are installed here, before the
/// agent runs, so a signal arriving early is not lost.
fn shutdown(max_runtime: u64) -> impl Future<Output = ()> {
    let common = cwmp_examples::net::shutdown_signal(max_runtime, "cpe");
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = common => {}
                        _ = int.recv() => log::info("cpe", "SIGINT, stopping"),
                        _ = term.recv() => log::info("cpe", "SIGTERM, stopping"),
                    }
                }
                _ => common.await,
            }
        }
    }
    #[cfg(not(unix))]
    common
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
