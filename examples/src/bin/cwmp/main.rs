//! `cwmp`: the command-line face of the crates.
//!
//! ```text
//! cwmp decode [--strict] [FILE|-]          envelope -> JSON
//! cwmp encode [FILE|-]                     JSON -> envelope
//! cwmp reencode [--cwmp-version V] [FILE|-]
//! cwmp auth respond ...                    digest Authorization value
//! cwmp auth udp-request ...                UDP connection request datagram
//! cwmp dm lookup --model FILE PATH         data-model definition as JSON
//! cwmp dm check --model FILE PATH VALUE    validate a value
//! cwmp tls make-ca|issue ...               lab certificates (PEM) for HTTPS and mutual TLS
//! ```
//!
//! Every failure is one stderr line starting `error:` and exit status 1; the tool never panics
//! on input.

use std::process::ExitCode;

mod auth;
mod dm;
mod soap;
mod tls;
mod tls_check;

/// What `cwmp --help` and `cwmp help` print.
const USAGE: &str = "\
cwmp: decode, encode and check CWMP (TR-069) messages, digest answers and data models

Usage: cwmp <COMMAND> [ARGS...]
       cwmp help [COMMAND]          this text, or the command's own help

Commands:
  decode [--strict] [FILE|-]                       envelope -> JSON
  encode [--cwmp-version V] [OPTIONS] [FILE|-]     JSON -> envelope
  reencode [--strict] [--cwmp-version V] [OPTIONS] [FILE|-]
                                                   envelope -> envelope, printing encode warnings
  auth respond|udp-request ...                     digest Authorization, UDP connection request
  dm lookup|children|check --model FILE ...        data-model definitions and value checks
  tls make-ca|issue|serve|probe ...                lab certificates and TLS checks

Every command takes --help.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!(
            "error: usage: cwmp <decode|encode|reencode|auth|dm|tls> ... (cwmp --help for more)"
        );
        return ExitCode::from(1);
    };
    match command.as_str() {
        "--help" | "-h" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        // `cwmp help` alone, or `cwmp help COMMAND [SUB...]`: the command's own --help.
        "help" => match rest.split_first() {
            None => {
                print!("{USAGE}");
                ExitCode::SUCCESS
            }
            Some((command, sub)) => {
                let mut again: Vec<String> = vec![command.clone()];
                again.extend(sub.iter().cloned());
                again.push("--help".to_owned());
                dispatch(&again)
            }
        },
        _ => dispatch(&args),
    }
}

/// Runs the command `args[0]` with the rest of `args`.
fn dispatch(args: &[String]) -> ExitCode {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    match command.as_str() {
        "decode" | "encode" | "reencode" => soap::run(command, rest),
        "auth" => auth::run(rest),
        "dm" => dm::run(rest),
        "tls" => tls::run(rest),
        other => {
            eprintln!(
                "error: unknown command `{other}` (expected decode, encode, reencode, auth, dm, tls or help)"
            );
            ExitCode::from(1)
        }
    }
}

/// What a clap parse failure becomes: `--help` / `--version` printed with success, anything
/// else as one `error:` line and exit status 1.
pub(crate) fn clap_exit(e: &clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
    ) {
        print!("{e}");
        return ExitCode::SUCCESS;
    }
    let text = e.to_string();
    let line = text.lines().next().unwrap_or("invalid arguments");
    let line = line.strip_prefix("error: ").unwrap_or(line);
    eprintln!("error: {line}");
    ExitCode::from(1)
}

/// Parses `args` (those after the command words in `program`) into `T`, or the exit code that
/// ends the run.
pub(crate) fn parse_args<T: clap::Parser>(program: &str, args: &[String]) -> Result<T, ExitCode> {
    let argv = std::iter::once(program.to_owned()).chain(args.iter().cloned());
    T::try_parse_from(argv).map_err(|e| clap_exit(&e))
}
