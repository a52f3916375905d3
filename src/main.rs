//! The `aspen` binary: parse the command line, run it, report errors with a hint.

use std::process::ExitCode;

use aspen::text::escape_control;
use clap::Parser;
use zeroizing_alloc::ZeroAlloc;

// Every freed heap block is wiped. aspen's own secrets are zeroized where they live,
// but libraries keep copies it cannot reach: age's 64 KiB plaintext chunk at every
// save, ron's scratch strings, the clipboard library's copy in the holder. Without
// this, a password saved in the TUI could stay in freed memory after locking
// (tests/tui_tmux.rs reads the process's memory to check).
#[global_allocator]
static ALLOC: ZeroAlloc<std::alloc::System> = ZeroAlloc(std::alloc::System);

fn main() -> ExitCode {
    // Before any secret is read: no core dumps, no ptrace by other processes.
    for problem in aspen::hardening::harden_process() {
        aspen::say!("warning: {problem}");
    }
    let cli = match aspen::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // clap quotes the rejected value; it may hold escape sequences.
            aspen::say_inline!("{}", aspen::text::escape_control_lines(&e.render().to_string()));
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match aspen::cli::run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(aspen::error::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote labels and paths the user typed or the vault holds.
            aspen::say!("error: {}", escape_control(&e.to_string()));
            if let Some(hint) = aspen::cli::hint(&e) {
                aspen::say!("hint: {}", escape_control(&hint));
            }
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}
