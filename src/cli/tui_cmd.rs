//! `aspen` and `aspen tui`: hand over to the terminal UI.

use std::io::IsTerminal;
use std::path::Path;

use clap::Args;

use super::Ctx;
use crate::error::Result;
use crate::storage::default_config_path;

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// Create a first vault with a trivially cheap key derivation (tests only)
    #[arg(long)]
    pub insecure_kdf: bool,
}

pub fn tui(ctx: Ctx, config: Option<&Path>, theme: Option<String>, args: &TuiArgs) -> Result<i32> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(crate::refusal::Refusal::TuiNeedsTerminal.into());
    }
    let config_file = match config {
        Some(path) => Some(path.to_path_buf()),
        None => default_config_path().ok(),
    };
    // User themes live beside the config file, in themes/NAME.ron.
    let user_theme_dir = config_file
        .as_deref()
        .and_then(|p| p.parent().map(|d| d.join("themes")));
    crate::tui::run(crate::tui::Options {
        paths: ctx.paths,
        config: ctx.config,
        today: ctx.today,
        theme,
        user_theme_dir,
        config_file: config_file.filter(|f| f.is_file()),
        insecure_kdf: args.insecure_kdf,
    })?;
    Ok(0)
}
