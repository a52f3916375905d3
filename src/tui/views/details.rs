//! The main screen's details pane: the selected entry's fields, why it needs
//! attention (and what a merge left open), and its history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::main_screen::age;
use super::mask;
use crate::model::{Attention, Entry, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Session, State};
use crate::tui::style::Styles;

/// The selected entry's details, in groups a layout can place.
struct Detail<'a> {
    label: Line<'a>,
    status: Line<'a>,
    fields: Vec<Line<'a>>,
    reasons: Vec<Line<'a>>,
    history: Vec<Line<'a>>,
    /// The password while it is shown; else it is among the fields.
    revealed: Option<Line<'a>>,
}

fn detail<'a>(state: &State, session: &'a Session, i: usize, styles: &Styles) -> Detail<'a> {
    let e = &session.loaded.vault.entries[i];
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<10}"), styles.muted()),
            Span::styled(value, styles.text()),
        ])
    };
    let (password, shown) = password_line(state, session, e, styles);
    let mut fields = vec![
        field("Apple ID", escape_control(&e.apple_id).into_owned()),
        field("Apps", escape_control(&e.apps.join(", ")).into_owned()),
        field(
            "Created",
            format!(
                "{} ({} old)",
                e.created,
                age(days_between(e.created, state.today))
            ),
        ),
    ];
    // Revealed, it is what the user is reading: in a short pane it comes first.
    let revealed = if shown {
        Some(password)
    } else {
        fields.push(password);
        None
    };
    if let Some(key) = state.keymap.hint(Mode::Main, Action::SetupCard, 1) {
        fields.push(field("Setup", format!("{key} shows the setup card")));
    }
    for (n, note) in e.notes.lines().enumerate() {
        fields.push(field(
            if n == 0 { "Notes" } else { "" },
            escape_control(note).into_owned(),
        ));
    }
    let mut reasons: Vec<Line> = session.attention[i]
        .iter()
        .map(|reason| {
            Line::from(vec![
                Span::styled(format!("{}: ", reason.name()), styles.warning()),
                Span::styled(advice(state, reason), styles.text()),
            ])
        })
        .collect();
    // What the merge could not decide, each in words (never a password).
    for c in &e.conflicts {
        reasons.push(Line::from(vec![
            Span::styled("  ⚠ ", styles.danger()),
            Span::styled(escape_control(&c.describe()).into_owned(), styles.text()),
        ]));
    }
    let mut history = vec![Line::from(Span::styled("History", styles.accent()))];
    for h in e.history.iter().rev() {
        history.push(Line::from(vec![
            Span::styled(format!("{}  ", h.date), styles.muted()),
            Span::styled(escape_control(&h.event.describe()).into_owned(), styles.text()),
        ]));
    }
    Detail {
        label: field("Label", escape_control(&e.label).into_owned()),
        status: Line::from(vec![
            Span::styled(format!("{:<10}", "Status"), styles.muted()),
            status_span(e, styles),
        ]),
        fields,
        reasons,
        history,
        revealed,
    }
}

/// The password line: masked, or shown with the seconds until it is hidden again;
/// says whether it is shown.
fn password_line<'a>(state: &State, session: &Session, e: &'a Entry, styles: &Styles) -> (Line<'a>, bool) {
    let hidden_in = session
        .revealed
        .as_ref()
        .filter(|(id, until)| *id == e.id && *until > state.now)
        .map(|(_, until)| until.saturating_duration_since(state.now).as_secs_f32().ceil() as u64);
    // Borrowed, not copied: an owned String would leave an unzeroized copy of the
    // password behind on every frame it is shown.
    let mut spans = vec![Span::styled(format!("{:<10}", "Password"), styles.muted())];
    match (&e.password, hidden_in) {
        (None, _) => {
            spans.push(Span::styled(
                "not stored (listed at Apple only)",
                styles.warning(),
            ));
            return (Line::from(spans), false);
        }
        (Some(p), Some(secs)) => {
            spans.push(Span::styled(p.expose(), styles.warning()));
            spans.push(Span::styled(format!("  {secs} s left"), styles.muted()));
        }
        (Some(p), None) => spans.push(Span::styled(mask(p.expose()), styles.text())),
    }
    (Line::from(spans), hidden_in.is_some())
}

pub(super) fn render_detail(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    session: &Session,
    styles: &Styles,
) {
    let block = Block::bordered()
        .title(Span::styled(" Details ", styles.title()))
        .border_style(styles.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(i) = session.table.selected_index() else {
        return;
    };
    let d = detail(state, session, i, styles);
    if inner.width >= 90 {
        // Fields on the left; why it needs attention, then its history, on the right.
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(2)
            .areas(inner);
        let mut lines = vec![d.label];
        lines.extend(d.fields);
        // Where the masked password stands: after Apple ID, apps and created.
        let at = lines.len().min(4);
        lines.splice(at..at, d.revealed);
        lines.push(d.status);
        let mut more = d.reasons;
        if !more.is_empty() {
            more.push(Line::raw(""));
        }
        more.extend(d.history);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), left);
        frame.render_widget(Paragraph::new(more).wrap(Wrap { trim: false }), right);
    } else {
        // One column, most needed first: a short pane still shows the status and
        // what to do about it.
        let mut lines = vec![d.label];
        lines.extend(d.revealed);
        lines.push(d.status);
        lines.extend(d.reasons);
        lines.extend(d.fields);
        lines.push(Line::raw(""));
        lines.extend(d.history);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

fn status_span<'a>(e: &Entry, styles: &Styles) -> Span<'a> {
    match e.status {
        Status::Active => Span::styled("active", styles.ok()),
        Status::Revoked {
            on,
            reason,
            needs_replacement,
        } => Span::styled(
            format!(
                "revoked {on}, {}{}",
                reason.describe(),
                if needs_replacement {
                    "; apps still need one"
                } else {
                    "; apps retired"
                }
            ),
            styles.muted(),
        ),
    }
}

/// An attention reason's explanation, ending in the key that resolves it here (the
/// command line names its command instead).
fn advice(state: &State, reason: Attention) -> String {
    let mut text = reason.explain().to_owned();
    if reason == Attention::Conflict {
        text.push_str(": ");
        text.push_str(&crate::tui::hints::key(
            &state.keymap,
            Action::ResolveConflict,
            "choose",
        ));
    }
    if reason == Attention::OldLive {
        text.push_str(": ");
        text.push_str(&crate::tui::hints::key(
            &state.keymap,
            Action::Revoke,
            "record it",
        ));
    }
    if reason.regenerates() {
        text.push_str(": ");
        text.push_str(&crate::tui::hints::key(
            &state.keymap,
            Action::Regenerate,
            "regenerate",
        ));
    }
    text
}
