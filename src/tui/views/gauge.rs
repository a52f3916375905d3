//! One Apple ID's slots as a line: `me@icloud.com  ███████░░░  17/25  3 to regenerate`.
//! Fitted to the width it gets: the figures and the warnings always show in full;
//! the bar shrinks first, then the Apple ID is shortened.

use ratatui::text::{Line, Span};

use super::wrap::width_of;
use crate::model::{SLOT_LIMIT, Slots};
use crate::text::escape_control;
use crate::tui::style::Styles;

/// The widest a bar gets.
const MAX_BAR: usize = 25;
/// Below this a bar says nothing the figures do not: it is left out.
const MIN_BAR: usize = 5;
/// The widest the Apple ID column gets.
const MAX_ID: usize = 28;

/// Column widths shared by a set of gauges, so that their bars and figures line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    id: usize,
    bar: usize,
}

/// The figures and warnings after the bar.
fn tail<'a>(s: &Slots, styles: &Styles) -> Vec<Span<'a>> {
    let style = if s.active >= SLOT_LIMIT || s.regeneration_overflows() {
        styles.danger()
    } else if s.active >= 23 {
        styles.warning()
    } else {
        styles.ok()
    };
    let mut tail = vec![Span::styled(format!("  {:>2}/{}", s.active, s.limit), style)];
    if s.to_regenerate > 0 {
        tail.push(Span::styled(
            format!("  {} to regenerate", s.to_regenerate),
            styles.warning(),
        ));
    }
    if s.over_limit() {
        tail.push(Span::styled(
            format!("  Apple allows {}", s.limit),
            styles.danger(),
        ));
    } else if s.regeneration_overflows() {
        tail.push(Span::styled("  (won't all fit)", styles.danger()));
    }
    tail
}

/// Fits gauges of `all` into `width` cells: the figures and warnings whole; the bar
/// shrinks first, then goes; then the Apple IDs are shortened.
pub fn columns(all: &[Slots], width: u16, styles: &Styles) -> Columns {
    let id = all
        .iter()
        .map(|s| width_of(&escape_control(&s.shown())))
        .max()
        .unwrap_or(0)
        .min(MAX_ID);
    let tail = all
        .iter()
        .map(|s| tail(s, styles).iter().map(Span::width).sum::<usize>())
        .max()
        .unwrap_or(0);
    let room = usize::from(width).saturating_sub(tail);
    let bar = room.saturating_sub(id + 1).min(MAX_BAR);
    if bar >= MIN_BAR {
        Columns { id, bar }
    } else {
        Columns {
            id: id.min(room.saturating_sub(1)),
            bar: 0,
        }
    }
}

pub fn gauge_line<'a>(s: &Slots, columns: Columns, styles: &Styles) -> Line<'a> {
    let tail = tail(s, styles);
    let style = tail[0].style;
    // With the name the user gave it: "me@icloud.com (me)".
    let id = super::fit::cut(&escape_control(&s.shown()), columns.id);
    let pad = columns.id.saturating_sub(width_of(&id));
    let mut spans = vec![Span::styled(format!("{id}{} ", " ".repeat(pad)), styles.text())];
    if columns.bar > 0 {
        let filled = (s.active.min(SLOT_LIMIT) * columns.bar).div_ceil(SLOT_LIMIT);
        spans.push(Span::styled("█".repeat(filled), style));
        spans.push(Span::styled(
            "░".repeat(columns.bar - filled),
            styles.gauge_empty(),
        ));
    }
    spans.extend(tail);
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Theme;

    fn texts(all: &[Slots], width: u16) -> Vec<String> {
        let theme = Theme::default_theme();
        let styles = Styles::new(&theme, true);
        let columns = columns(all, width, &styles);
        all.iter()
            .map(|s| gauge_line(s, columns, &styles).to_string())
            .collect()
    }

    fn text(s: &Slots, width: u16) -> String {
        texts(std::slice::from_ref(s), width).remove(0)
    }

    fn slots(apple_id: &str, active: usize, to_regenerate: usize) -> Slots {
        Slots {
            apple_id: apple_id.to_owned(),
            name: String::new(),
            mail: None,
            last_audit: None,
            active,
            to_regenerate,
            limit: SLOT_LIMIT,
            free: SLOT_LIMIT.saturating_sub(active),
        }
    }

    #[test]
    fn figures_and_warnings_always_show_in_full() {
        let crowded = slots("someone.with.a.long.name@icloud.com", 24, 3);
        for width in [58u16, 60, 78, 80, 120] {
            let line = text(&crowded, width);
            assert!(line.contains("24/25"), "{width}: {line}");
            assert!(line.contains("3 to regenerate"), "{width}: {line}");
            assert!(line.contains("(won't all fit)"), "{width}: {line}");
            assert!(width_of(&line) <= usize::from(width), "{width}: {line}");
        }
        let line = text(&slots("me@icloud.com", 1, 0), 58);
        assert!(line.starts_with("me@icloud.com █"), "{line}");
        assert!(line.ends_with(" 1/25"), "{line}");
    }

    #[test]
    fn more_active_than_apple_allows_is_not_worded_as_regeneration() {
        for width in [58u16, 80] {
            let line = text(&slots("me@icloud.com", 26, 0), width);
            assert!(line.contains("26/25"), "{width}: {line}");
            assert!(line.contains("Apple allows 25"), "{width}: {line}");
            assert!(!line.contains("won't all fit"), "{width}: {line}");
            assert!(width_of(&line) <= usize::from(width), "{width}: {line}");
        }
    }

    #[test]
    fn gauges_of_several_apple_ids_line_up() {
        let all = [slots("me@icloud.com", 1, 2), slots("work@icloud.com", 5, 0)];
        for width in [58u16, 60, 80] {
            let lines = texts(&all, width);
            let at = |l: &str, f: &str| l.find(f).map(|i| l[..i].chars().count());
            assert_eq!(at(&lines[0], "1/25"), at(&lines[1], "5/25"), "{lines:#?}");
        }
    }
}
