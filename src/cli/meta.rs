//! Help, completions and the man page.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

pub fn completions(args: &CompletionsArgs) {
    clap_complete::generate(args.shell, &mut Cli::command(), "aspen", &mut std::io::stdout());
}

pub fn man() -> Result<()> {
    clap_mangen::Man::new(Cli::command())
        .render(&mut std::io::stdout())
        .map_err(|e| Error::io("write", std::path::Path::new("<stdout>"), e))
}
