//! Help, completions and the man page.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, out};
use crate::error::Result;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

// Both are made in memory first: clap_complete panics on a write error, and a
// reader that stops early (`| head`) is no error.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "aspen", &mut script);
    out::print_bytes(&script)
}

pub fn man() -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| crate::refusal::Refusal::ManPage {
            detail: e.to_string(),
        })?;
    out::print_bytes(&page)
}
