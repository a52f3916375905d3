//! The main screen's details pane: the selected entry's fields, why it needs
//! attention (and what a merge left open), and its history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::fit::{self, Piece};
use super::mask;
use super::table::age;
use crate::model::{Attention, Entry, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Session, State};
use crate::tui::style::Styles;

/// The width of the field names' column.
const NAME: usize = 10;

/// The selected entry's details, in groups a layout can place; each a [`Piece`]
/// that takes its wrapped lines where there is room and one cut line where not.
struct Detail<'a> {
    label: Piece<'a>,
    status: Piece<'a>,
    fields: Vec<Piece<'a>>,
    reasons: Vec<Piece<'a>>,
    history: Vec<Piece<'a>>,
    /// The password while it is shown; else it is among the fields.
    revealed: Option<Piece<'a>>,
}

/// `body` after `lead`, wrapped under itself; one cut line when room is scarce.
fn piece(lead: Span<'static>, body: Line<'_>, indent: usize, width: u16) -> Piece<'static> {
    let mut one = Line::from(lead.clone());
    one.spans.extend(
        body.spans
            .iter()
            .map(|s| Span::styled(s.content.to_string(), s.style)),
    );
    Piece::new(
        super::wrap::hanging(vec![lead], &body, indent, width),
        fit::cut_line(&one, usize::from(width)),
    )
}

fn detail<'a>(state: &State, session: &'a Session, i: usize, width: u16, styles: &Styles) -> Detail<'a> {
    let e = &session.loaded.vault.entries[i];
    let field = |name: &'static str, value: String| {
        piece(
            Span::styled(format!("{name:<NAME$}"), styles.muted()),
            Line::from(Span::styled(value, styles.text())),
            NAME,
            width,
        )
    };
    let (password, shown) = password_line(state, session, e, styles);
    // Never wrapped nor cut: a copy of a shown password would not be zeroized.
    let password = Piece::new(vec![password.clone()], password);
    let mut fields = vec![
        field("Apple ID", escape_control(&e.apple_id).into_owned()),
        field("Apps", super::words::apps(&e.apps)),
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
    Detail {
        label: field("Label", escape_control(&e.label).into_owned()),
        status: piece(
            Span::styled(format!("{:<NAME$}", "Status"), styles.muted()),
            Line::from(status_span(e, styles)),
            NAME,
            width,
        ),
        fields,
        reasons: reasons(state, session, i, width, styles),
        history: history(e, width, styles),
        revealed,
    }
}

/// Why the entry needs attention, each reason ending in the key that resolves it:
/// cut short, a reason keeps its key. Then what a merge could not decide, each in
/// words (never a password).
fn reasons(state: &State, session: &Session, i: usize, width: u16, styles: &Styles) -> Vec<Piece<'static>> {
    let e = &session.loaded.vault.entries[i];
    let mut reasons: Vec<Piece> = session.attention[i]
        .iter()
        .map(|reason| {
            let head = Line::from(vec![
                Span::styled(format!("{}: ", reason.name()), styles.warning()),
                Span::styled(reason.explain(), styles.text()),
            ]);
            let key = Line::from(Span::styled(advice_key(state, reason), styles.text()));
            let mut whole = head.clone();
            whole.spans.extend(key.spans.iter().cloned());
            Piece::new(
                super::wrap::hanging(Vec::new(), &whole, 2, width),
                fit::cut_line_before(&head, &key, usize::from(width)),
            )
        })
        .collect();
    for c in &e.conflicts {
        reasons.push(piece(
            Span::styled("  ⚠ ", styles.danger()),
            Line::from(Span::styled(
                escape_control(&c.describe()).into_owned(),
                styles.text(),
            )),
            4,
            width,
        ));
    }
    reasons
}

fn history(e: &Entry, width: u16, styles: &Styles) -> Vec<Piece<'static>> {
    let mut history = vec![Piece::new(
        vec![Line::from(Span::styled("History", styles.accent()))],
        Line::from(Span::styled("History", styles.accent())),
    )];
    for h in e.history.iter().rev() {
        history.push(piece(
            Span::styled(format!("{}  ", h.date), styles.muted()),
            Line::from(Span::styled(
                escape_control(&h.event.describe()).into_owned(),
                styles.text(),
            )),
            12,
            width,
        ));
    }
    history
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
    let mut spans = vec![Span::styled(format!("{:<NAME$}", "Password"), styles.muted())];
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
    let room = usize::from(inner.height);
    if inner.width >= 90 {
        // Fields on the left; why it needs attention, then its history, on the right.
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(2)
            .areas(inner);
        let d = detail(state, session, i, left.width, styles);
        let mut pieces = vec![d.label.first(2)];
        pieces.extend(d.fields);
        // Where the masked password stands: after Apple ID, apps and created.
        let at = pieces.len().min(4);
        pieces.splice(at..at, d.revealed.map(|p| p.first(0)));
        pieces.push(d.status.first(1));
        // The right column is wider: its pieces are wrapped to it.
        let d_right = detail(state, session, i, right.width, styles);
        let mut more: Vec<Piece> = d_right.reasons.into_iter().map(|p| p.first(0)).collect();
        if !more.is_empty() {
            more.push(Piece::blank());
        }
        more.extend(d_right.history);
        frame.render_widget(Paragraph::new(fit::pieces(pieces, room)), left);
        frame.render_widget(Paragraph::new(fit::pieces(more, room)), right);
    } else {
        // One column, most needed first: a short pane still shows the status and
        // what to do about it, each reason with its key.
        // By rank: a shown password, what to do (each reason with its key), the
        // label, then the status (the reasons say what it means).
        let d = detail(state, session, i, inner.width, styles);
        let mut pieces = vec![d.label.first(2)];
        pieces.extend(d.revealed.map(|p| p.first(0)));
        pieces.push(d.status.first(3));
        pieces.extend(d.reasons.into_iter().map(|p| p.first(1)));
        pieces.extend(d.fields);
        pieces.push(Piece::blank());
        pieces.extend(d.history);
        frame.render_widget(Paragraph::new(fit::pieces(pieces, room)), inner);
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

/// The key that resolves an attention reason here, after its explanation
/// (": press r to regenerate"); the command line names its command instead.
fn advice_key(state: &State, reason: Attention) -> String {
    let (action, word) = match reason {
        Attention::Conflict => (Action::ResolveConflict, "choose"),
        Attention::OldLive => (Action::Revoke, "record it"),
        r if r.regenerates() => (Action::Regenerate, "regenerate"),
        _ => return String::new(),
    };
    format!(": {}", crate::tui::hints::key(&state.keymap, action, word))
}
