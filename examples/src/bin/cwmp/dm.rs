//! `cwmp dm ...`.

use std::process::ExitCode;

/// Runs `cwmp dm` with the arguments after `dm`.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("error: `cwmp dm` is not built yet");
    ExitCode::from(1)
}
