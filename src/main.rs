//! The `aspen` binary: parse the command line, run it, report errors with a hint.

use std::process::ExitCode;

use aspen::text::escape_control;
use clap::Parser;

fn main() -> ExitCode {
    // Before any secret is read: no core dumps, no ptrace by other processes.
    for problem in aspen::hardening::harden_process() {
        eprintln!("warning: {problem}");
    }
    let cli = aspen::cli::Cli::parse();
    match aspen::cli::run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(e) => {
            // Errors quote labels and paths the user typed or the vault holds.
            eprintln!("error: {}", escape_control(&e.to_string()));
            if let Some(hint) = e.hint() {
                eprintln!("hint: {}", escape_control(&hint));
            }
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}
