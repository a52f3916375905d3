//! The screens' footers: each key hint has a rank, and at any width the most needed
//! keys stay (help always among them); the least needed go first. Hints keep their
//! order; the keys come from the keymap, so a remapped key shows.

use ratatui::text::{Line, Span};

use super::fit;
use crate::tui::style::Styles;

/// The help's rank: it never goes while another hint could.
pub const HELP: u8 = 0;

/// One hint: the key (none when nothing is bound to its action: left out), what it
/// does, and its rank (the lowest is the last to go).
pub struct Hint {
    pub key: Option<String>,
    pub what: &'static str,
    pub rank: u8,
}

impl Hint {
    pub fn new(key: Option<String>, what: &'static str, rank: u8) -> Self {
        Self { key, what, rank }
    }
}

/// Between two hints.
const GAP: usize = 2;

/// How wide a hint is on screen.
fn width(key: &str, what: &str) -> usize {
    fit::width(key) + 1 + fit::width(what)
}

/// The keys and words of `kept`.
fn pairs<'h>(kept: &[(u8, &'h str, &'h str)]) -> Vec<(&'h str, &'h str)> {
    kept.iter().map(|(_, k, w)| (*k, *w)).collect()
}

/// The hints packed into lines of `width` cells, in order.
fn pack<'h>(hints: &[(&'h str, &'h str)], width: usize) -> Vec<Vec<(&'h str, &'h str)>> {
    let mut lines: Vec<Vec<(&str, &str)>> = Vec::new();
    let mut used = 0;
    for &(key, what) in hints {
        let w = self::width(key, what);
        match lines.last_mut() {
            Some(line) if used + GAP + w <= width => {
                line.push((key, what));
                used += GAP + w;
            }
            _ => {
                lines.push(vec![(key, what)]);
                used = w;
            }
        }
    }
    lines
}

/// The hints that fit in at most `lines` lines of `width` cells: the highest ranks
/// (the last of equal ones) left out first, the rest in their order. A hint wider
/// than the whole line is cut with "…".
pub fn ranked(hints: &[Hint], width: u16, lines: usize, styles: &Styles) -> Vec<Line<'static>> {
    let mut kept: Vec<(u8, &str, &str)> = hints
        .iter()
        .filter_map(|h| Some((h.rank, h.key.as_deref()?, h.what)))
        .collect();
    let width = usize::from(width);
    while kept.len() > 1 && pack(&pairs(&kept), width).len() > lines.max(1) {
        let least = (0..kept.len())
            .max_by_key(|&i| (kept[i].0, i))
            .expect("more than one hint");
        kept.remove(least);
    }
    pack(&pairs(&kept), width)
        .into_iter()
        .map(|line| {
            let mut spans = Vec::new();
            for (n, (key, what)) in line.into_iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw(" ".repeat(GAP)));
                }
                spans.push(Span::styled(key.to_owned(), styles.key()));
                spans.push(Span::styled(format!(" {what}"), styles.muted()));
            }
            fit::cut_line(&Line::from(spans), width)
        })
        .collect()
}
