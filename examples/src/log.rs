//! Logs of the programs: one line per exchange, on stderr (or stdout for the demo's
//! transcript), at a level chosen with `--log quiet|info|debug`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Level {
    /// Errors only.
    Quiet = 0,
    /// One line per HTTP exchange and per RPC.
    Info = 1,
    /// Also headers, authentication steps and whole envelopes.
    Debug = 2,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);
static TO_STDOUT: AtomicBool = AtomicBool::new(false);

/// Sets the level.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Prints log lines on stdout instead of stderr (the demo's transcript).
pub fn to_stdout(on: bool) {
    TO_STDOUT.store(on, Ordering::Relaxed);
}

/// Whether lines of this level are printed.
pub fn enabled(level: Level) -> bool {
    LEVEL.load(Ordering::Relaxed) >= level as u8
}

fn emit(line: &str) {
    if TO_STDOUT.load(Ordering::Relaxed) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    } else {
        let mut out = std::io::stderr().lock();
        let _ = writeln!(out, "{line}");
    }
}

/// An info line from `who` (`acs`, `cpe`, `demo`).
pub fn info(who: &str, msg: impl AsRef<str>) {
    if enabled(Level::Info) {
        emit(&format!("[{who}] {}", msg.as_ref()));
    }
}

/// A debug line.
pub fn debug(who: &str, msg: impl AsRef<str>) {
    if enabled(Level::Debug) {
        emit(&format!("[{who}] {}", msg.as_ref()));
    }
}

/// An error line: always printed, on stderr, as one `error:` line.
pub fn error(who: &str, msg: impl AsRef<str>) {
    let mut out = std::io::stderr().lock();
    let _ = writeln!(out, "[{who}] error: {}", msg.as_ref());
}
