//! The reference ACS (see `cwmp_examples::acs` for what it does and `cwmp_examples::acs_admin`
//! for the admin API).
//!
//! ```text
//! acs --listen 127.0.0.1:7547 --user cpe:secret --cr-user acs:crsecret \
//!     --store /var/lib/cwmp/acs.sqlite --queue gpv:Device.DeviceInfo. --log info
//! acs --store postgres://acs:pw@db.example/acs --instance acs-2 --user cpe:secret
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use cwmp_auth::Algorithm;
use cwmp_auth::digest::Users;
use cwmp_examples::acs::{Acs, Config};
use cwmp_examples::acs_store::{AuthPolicy, Store, StoreOptions};
use cwmp_examples::log::{self, Level};
use cwmp_examples::rpcs;

#[derive(Parser, Debug)]
#[command(about = "Reference CWMP ACS: durable store, digest auth, cookie sessions, admin API")]
struct Args {
    /// Address to listen on (CWMP endpoint on every path but /admin/).
    #[arg(long, default_value = "127.0.0.1:7547")]
    listen: SocketAddr,
    /// Where the ACS keeps its state: a SQLite file path (created when missing; the default),
    /// `sqlite::memory:` (lost at exit), or a `postgres://user:password@host:port/db` URL
    /// (several instances may share it).
    #[arg(long, default_value = "acs.sqlite")]
    store: String,
    /// PostgreSQL only: the schema holding the ACS's tables (created when missing).
    #[arg(long)]
    store_schema: Option<String>,
    /// This instance's name: stable across restarts, unique among instances sharing a store.
    #[arg(long, default_value = "acs")]
    instance: String,
    /// A CPE account, USER:PASSWORD (repeatable).
    #[arg(long = "user", value_name = "USER:PASSWORD", required = true)]
    users: Vec<String>,
    /// Digest realm.
    #[arg(long, default_value = "cwmp-rs")]
    realm: String,
    /// Auth policy of devices without their own: digest, basic, none.
    #[arg(long, default_value = "digest", value_parser = parse_policy)]
    auth_policy: AuthPolicy,
    /// Accept HTTP Basic on plain HTTP (otherwise only over TLS).
    #[arg(long)]
    allow_basic_in_clear: bool,
    /// Honour the `none` auth policy (lab simulators only: sessions without authentication).
    #[arg(long)]
    allow_no_auth: bool,
    /// Digest algorithms offered, in order (comma-separated: MD5, SHA-256).
    #[arg(long, default_value = "MD5,SHA-256", value_delimiter = ',', value_parser = parse_algorithm)]
    digest_algorithms: Vec<Algorithm>,
    /// Connection Request credentials, USER:PASSWORD (for devices without their own).
    #[arg(long = "cr-user", value_name = "USER:PASSWORD")]
    cr_user: Option<String>,
    /// An RPC for the first new device that informs (repeatable).
    #[arg(long = "queue", value_name = "RPC", long_help = rpcs::SHORT_FORMS)]
    queue: Vec<String>,
    /// Most RPCs queued or in flight per device.
    #[arg(long, default_value_t = 1000)]
    queue_limit: u32,
    /// Times an RPC is sent before it is given up (when sessions keep dying).
    #[arg(long, default_value_t = 3)]
    max_attempts: u32,
    /// Seconds to wait for the CPE's next POST in a session.
    #[arg(long, default_value_t = 30)]
    session_timeout: u64,
    /// Log level.
    #[arg(long, value_enum, default_value = "info")]
    log: Level,
    /// Write the bound port to this file (for scripts using port 0).
    #[arg(long)]
    port_file: Option<std::path::PathBuf>,
    /// Stop after this many seconds (0: run until interrupted).
    #[arg(long, default_value_t = 0)]
    max_runtime: u64,
    /// HTTPS (issue 14).
    #[command(flatten)]
    tls: cwmp_examples::tls::options::AcsTlsArgs,
    /// XMPP connection requests (UDP ones need no option: they go to the address a device
    /// reports).
    #[command(flatten)]
    transports: cwmp_examples::transport::acs_side::AcsTransportArgs,
}

fn parse_policy(s: &str) -> Result<AuthPolicy, String> {
    AuthPolicy::parse(s).ok_or_else(|| format!("{s:?}: expected digest, basic or none"))
}

fn parse_algorithm(s: &str) -> Result<Algorithm, String> {
    Algorithm::parse(s.trim()).map_err(|e| format!("{s:?}: {e}"))
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
    if args.auth_policy == AuthPolicy::None && !args.allow_no_auth {
        return Err("--auth-policy none needs --allow-no-auth (lab simulators only)".into());
    }
    let store = Store::open(
        &args.store,
        StoreOptions {
            queue_limit: args.queue_limit,
            max_attempts: args.max_attempts.max(1),
            pg_schema: args.store_schema.clone(),
            ..StoreOptions::default()
        },
    )
    .await
    .map_err(|e| format!("store {}: {e}", redact(&args.store)))?;
    log::info(
        "acs",
        format!(
            "store: {} ({}), instance {:?}",
            store.kind(),
            redact(&args.store),
            args.instance
        ),
    );
    let acs = Acs::with_store(
        Config {
            realm: args.realm,
            users,
            cr_username,
            cr_password,
            initial_queue,
            session_timeout: Duration::from_secs(args.session_timeout.max(1)),
            auth_policy: args.auth_policy,
            allow_basic_in_clear: args.allow_basic_in_clear,
            allow_no_auth: args.allow_no_auth,
            digest_algorithms: args.digest_algorithms,
            instance: args.instance,
            tls: args.tls.build()?,
            cr_tls: args.tls.build_cr()?,
            auth: args.tls.auth_policy()?,
            transports: args.transports.transports()?,
            ..Config::default()
        },
        store,
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("bind {}: {e}", args.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(p) = &args.port_file {
        std::fs::write(p, local.port().to_string()).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let scheme = if args.tls.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    log::info(
        "acs",
        format!("listening on {scheme}://{local}/ (admin API under /admin/)"),
    );
    let shutdown = cwmp_examples::net::shutdown_signal(args.max_runtime, "acs");
    acs.serve(listener, shutdown).await;
    Ok(())
}

/// A store location without its password, for logs.
fn redact(location: &str) -> String {
    match (location.find("://"), location.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &location[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &location[..s + 3], &location[at..]),
                None => location.to_owned(),
            }
        }
        _ => location.to_owned(),
    }
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
