//! One rule for text that does not fit its cell or its line: it is cut, and every
//! cut is marked with "…", so that what the screen shows is never mistaken for the
//! whole (`family@icloud.co` would read as another address; `family@icloud.c…` is
//! visibly cut). Columns are sized from what they hold: what must be read whole (an
//! Apple ID, an attention reason, a date) gets its width first; free text (a label,
//! the apps) shrinks, and is cut last.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// What marks a cut.
pub const MARK: &str = "…";

/// The display width of `s` in terminal cells.
pub fn width(s: &str) -> usize {
    s.width()
}

/// The longest start of `text` that takes at most `room` cells.
fn head(text: &str, room: usize) -> &str {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        if width(&text[..next]) > room {
            break;
        }
        end = next;
    }
    &text[..end]
}

/// The longest end of `text` that takes at most `room` cells.
fn tail(text: &str, room: usize) -> &str {
    let mut start = text.len();
    for (i, _) in text.char_indices().rev() {
        if width(&text[i..]) > room {
            break;
        }
        start = i;
    }
    &text[start..]
}

/// `text` in at most `cells` cells: whole when it fits, else its start and "…".
pub fn cut(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_owned();
    }
    if cells == 0 {
        return String::new();
    }
    format!("{}{MARK}", head(text, cells - 1))
}

/// `text` in at most `cells` cells, its end kept ("…/aspen/vault.aspen"): for a
/// path, whose file name says most.
pub fn cut_start(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_owned();
    }
    if cells == 0 {
        return String::new();
    }
    format!("{MARK}{}", tail(text, cells - 1))
}

/// `text` then `keep` in at most `cells` cells: `text` is cut so that `keep` shows
/// whole ("password-n… +1"); when even `keep` does not fit, all of it is cut.
pub fn cut_before(text: &str, keep: &str, cells: usize) -> String {
    let whole = format!("{text}{keep}");
    if width(&whole) <= cells {
        return whole;
    }
    match cells.checked_sub(width(keep) + 1) {
        Some(room) if !text.is_empty() => format!("{}{MARK}{keep}", head(text, room)),
        _ => cut(&whole, cells),
    }
}

/// `line` in at most `cells` cells, each kept character in its style; where it was
/// cut, "…" in the style of the character it replaces.
pub fn cut_line(line: &Line<'_>, cells: usize) -> Line<'static> {
    let owned = |spans: Vec<Span<'static>>| {
        let mut out = Line::from(spans).style(line.style);
        out.alignment = line.alignment;
        out
    };
    if line.width() <= cells {
        let spans = line
            .spans
            .iter()
            .map(|s| Span::styled(s.content.to_string(), s.style))
            .collect();
        return owned(spans);
    }
    let mut room = cells.saturating_sub(1);
    let mut spans = Vec::new();
    let mut mark_style: Option<Style> = None;
    for span in &line.spans {
        let kept = head(&span.content, room);
        if !kept.is_empty() {
            spans.push(Span::styled(kept.to_owned(), span.style));
            room -= width(kept);
        }
        if kept.len() < span.content.len() {
            mark_style = Some(span.style);
            break;
        }
    }
    if cells > 0 {
        spans.push(Span::styled(MARK, mark_style.unwrap_or_default()));
    }
    owned(spans)
}

/// `line` then `keep` in at most `cells` cells: `line` is cut so that `keep` (the
/// key that resolves a reason, say) shows whole; when even `keep` does not fit,
/// both are cut as one.
pub fn cut_line_before(line: &Line<'_>, keep: &Line<'_>, cells: usize) -> Line<'static> {
    let joined = Line::from(line.spans.iter().chain(&keep.spans).cloned().collect::<Vec<_>>());
    if joined.width() <= cells || keep.width() + 1 >= cells {
        return cut_line(&joined, cells);
    }
    let mut out = cut_line(line, cells - keep.width());
    out.spans.extend(
        keep.spans
            .iter()
            .map(|s| Span::styled(s.content.to_string(), s.style)),
    );
    out
}

/// Text that takes its full lines where there is room, else one line, cut (or
/// none, for a blank line that only spaces things out).
pub struct Piece<'a> {
    pub full: Vec<Line<'a>>,
    pub short: Option<Line<'a>>,
    /// `Some(rank)`: shown before anything else, the lowest rank first, and
    /// given its full lines first; `None`: shown after those, in order, while
    /// there is room.
    pub first: Option<u8>,
}

impl<'a> Piece<'a> {
    /// `full` (wrapped to the width), shortened to `short` when room is scarce.
    pub fn new(full: Vec<Line<'a>>, short: Line<'a>) -> Self {
        Self {
            full,
            short: Some(short),
            first: None,
        }
    }

    /// A blank line, the first to go.
    pub fn blank() -> Self {
        Self {
            full: vec![Line::raw("")],
            short: None,
            first: None,
        }
    }

    /// Shown before the pieces that are not, the lowest `rank` first.
    pub fn first(mut self, rank: u8) -> Self {
        self.first = Some(rank);
        self
    }
}

/// How a piece is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Not,
    Short,
    Full,
}

/// The lines of `pieces` in `room` lines, in their order: first the pieces marked
/// [`Piece::first`], one line each (as many as fit, by rank), then their full lines
/// by rank while there is room; then the others in order, each whole, else cut to
/// a line, until one does not fit.
pub fn pieces<'a>(pieces: Vec<Piece<'a>>, room: usize) -> Vec<Line<'a>> {
    let mut shown = vec![Shown::Not; pieces.len()];
    let mut ranked: Vec<(u8, usize)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.first?, i)))
        .collect();
    ranked.sort_unstable();
    let mut left = room;
    for &(_, i) in &ranked {
        if left == 0 {
            break;
        }
        shown[i] = Shown::Short;
        left -= 1;
    }
    for &(_, i) in &ranked {
        let extra = pieces[i].full.len().saturating_sub(1);
        if shown[i] == Shown::Short && extra <= left {
            shown[i] = Shown::Full;
            left -= extra;
        }
    }
    for (i, p) in pieces.iter().enumerate().filter(|(_, p)| p.first.is_none()) {
        if p.full.len() <= left {
            shown[i] = Shown::Full;
            left -= p.full.len();
        } else if p.short.is_some() && left > 0 {
            shown[i] = Shown::Short;
            left -= 1;
        } else {
            break;
        }
    }
    pieces
        .into_iter()
        .zip(shown)
        .flat_map(|(p, s)| match s {
            Shown::Not => Vec::new(),
            Shown::Short => p.short.into_iter().collect(),
            Shown::Full => p.full,
        })
        .collect()
}

/// How a column of a table gives way when the table is too narrow for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Give {
    /// Read whole (an Apple ID, a reason, a date): it gets its width first and is
    /// cut only when the free text has given all it can.
    Whole,
    /// Free text (a label, the apps): it shrinks first, down to `floor` cells while
    /// another column could be dropped instead.
    Shrink { floor: usize },
}

/// A column to fit: how wide its widest cell (or its header) is, how it gives way,
/// and whether it may be left out (the lowest `drop` first) when the table is too
/// narrow to show it beside the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub want: usize,
    pub give: Give,
    pub drop: Option<u8>,
}

impl Column {
    /// The fewest cells it takes before a column is dropped instead.
    fn floor(&self) -> usize {
        match self.give {
            Give::Whole => self.want,
            Give::Shrink { floor } => self.want.min(floor),
        }
    }
}

/// The width of each column of a table `cells` wide with `spacing` between
/// columns; `None` for a column left out. Every column whole when they fit (the
/// room left over shared by the free text); else the free text shrinks, then
/// columns are left out, then the widest are cut, one cell at a time.
pub fn column_widths(columns: &[Column], cells: usize, spacing: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<bool> = vec![true; columns.len()];
    let room = |shown: &[bool]| {
        let n = shown.iter().filter(|s| **s).count();
        cells.saturating_sub(spacing * n.saturating_sub(1))
    };
    let floors = |shown: &[bool]| -> usize {
        columns
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.floor())
            .sum()
    };
    while floors(&shown) > room(&shown) {
        let next = (0..columns.len())
            .filter(|&i| shown[i])
            .filter_map(|i| columns[i].drop.map(|d| (d, i)))
            .min();
        match next {
            Some((_, i)) => shown[i] = false,
            None => break,
        }
    }
    let room = room(&shown);
    let mut widths: Vec<usize> = columns.iter().map(Column::floor).collect();
    let used = floors(&shown);
    if used <= room {
        grow(columns, &shown, &mut widths, room - used);
    } else {
        shrink_widest(&shown, &mut widths, used - room);
    }
    widths
        .into_iter()
        .zip(shown)
        .map(|(w, s)| s.then_some(w))
        .collect()
}

/// Shares `extra` cells among the shown free-text columns: each in turn gets one
/// until it is whole, then what is left is shared alike.
fn grow(columns: &[Column], shown: &[bool], widths: &mut [usize], mut extra: usize) {
    let free: Vec<usize> = (0..columns.len())
        .filter(|&i| shown[i] && matches!(columns[i].give, Give::Shrink { .. }))
        .collect();
    if free.is_empty() {
        return;
    }
    while extra > 0 {
        let short: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| widths[i] < columns[i].want)
            .collect();
        let turn = if short.is_empty() { &free } else { &short };
        for &i in turn {
            if extra == 0 {
                break;
            }
            widths[i] += 1;
            extra -= 1;
        }
    }
}

/// Takes `over` cells from the widest shown columns, one at a time.
fn shrink_widest(shown: &[bool], widths: &mut [usize], mut over: usize) {
    while over > 0 {
        let widest = (0..widths.len())
            .filter(|&i| shown[i] && widths[i] > 1)
            .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
        let Some(i) = widest else { break };
        widths[i] -= 1;
        over -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_is_marked_and_fits() {
        assert_eq!(cut("family@icloud.com", 17), "family@icloud.com");
        assert_eq!(cut("family@icloud.com", 16), "family@icloud.c…");
        assert_eq!(cut("family@icloud.com", 11), "family@icl…");
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(cut("abc", 1), "…");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut_start("/home/me/aspen/vault.aspen", 14), "…n/vault.aspen");
        assert_eq!(cut_before("password-not-stored", " +1", 14), "password-n… +1");
        assert_eq!(cut_before("stale", " +1", 14), "stale +1");
        assert_eq!(cut_before("stale", " +1", 3), "st…");
    }

    #[test]
    fn a_styled_line_is_cut_in_the_style_of_where_it_was_cut() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![Span::raw("ab"), Span::styled("cdef", bold)]);
        let cut = cut_line(&line, 4);
        assert_eq!(cut.to_string(), "abc…");
        assert_eq!(cut.spans.last().map(|s| s.style), Some(bold));
        assert_eq!(cut_line(&line, 6).to_string(), "abcdef");
    }

    #[test]
    fn whole_columns_get_their_width_first_and_free_text_shrinks() {
        let free = |want| Column {
            want,
            give: Give::Shrink { floor: 8 },
            drop: None,
        };
        let whole = |want, drop| Column {
            want,
            give: Give::Whole,
            drop,
        };
        let cols = [free(14), free(30), whole(15, Some(1)), whole(22, None)];
        // 78 cells, 3 spaces: 75 = 15 + 22 + 38 for the free text.
        assert_eq!(
            column_widths(&cols, 78, 1),
            [Some(14), Some(24), Some(15), Some(22)]
        );
        // Too narrow for the Apple ID beside label and apps at their floors.
        assert_eq!(column_widths(&cols, 50, 1), [Some(13), Some(13), None, Some(22)]);
        // Room to spare: shared by the free text.
        assert_eq!(
            column_widths(&cols, 100, 1),
            [Some(22), Some(38), Some(15), Some(22)]
        );
    }
}
