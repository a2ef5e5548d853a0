//! `cwmp decode`, `cwmp encode`, `cwmp reencode`.

use std::process::ExitCode;

/// Runs one of the SOAP commands with the arguments after it.
pub fn run(command: &str, _args: &[String]) -> ExitCode {
    eprintln!("error: `cwmp {command}` is not built yet");
    ExitCode::from(1)
}
