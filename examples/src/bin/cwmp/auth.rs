//! `cwmp auth ...`.

use std::process::ExitCode;

/// Runs `cwmp auth` with the arguments after `auth`.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("error: `cwmp auth` is not built yet");
    ExitCode::from(1)
}
