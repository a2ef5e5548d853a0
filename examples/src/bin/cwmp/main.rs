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
//! ```
//!
//! Every failure is one stderr line starting `error:` and exit status 1; the tool never panics
//! on input.

use std::process::ExitCode;

mod auth;
mod dm;
mod soap;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("error: usage: cwmp <decode|encode|reencode|auth|dm> ...");
        return ExitCode::from(1);
    };
    match command.as_str() {
        "decode" | "encode" | "reencode" => soap::run(command, rest),
        "auth" => auth::run(rest),
        "dm" => dm::run(rest),
        other => {
            eprintln!(
                "error: unknown command `{other}` (expected decode, encode, reencode, auth or dm)"
            );
            ExitCode::from(1)
        }
    }
}
