//! `aspen` and `aspen tui`: hand over to the terminal UI.

use std::io::IsTerminal;
use std::path::Path;

use clap::Args;

use super::Ctx;
use crate::error::{Error, Result};
use crate::storage::default_config_path;

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// Create a first vault with a trivially cheap key derivation (tests only)
    #[arg(long)]
    pub insecure_kdf: bool,
}

pub fn tui(ctx: Ctx, config: Option<&Path>, theme: Option<String>, args: &TuiArgs) -> Result<i32> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Refused(
            "the terminal UI needs a terminal; for scripts use the subcommands (`aspen --help`)".to_owned(),
        ));
    }
    // User themes live beside the config file, in themes/NAME.ron.
    let user_theme_dir = match config {
        Some(path) => path.parent().map(|p| p.join("themes")),
        None => default_config_path()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("themes"))),
    };
    crate::tui::run(crate::tui::Options {
        paths: ctx.paths,
        config: ctx.config,
        today: ctx.today,
        theme,
        user_theme_dir,
        insecure_kdf: args.insecure_kdf,
    })?;
    Ok(0)
}
