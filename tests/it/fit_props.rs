//! Issue 21's fitting rule as properties: at every width from 40 to 200, no cell
//! loses characters without an ellipsis. Once for the helper every view uses
//! (`views::fit`), over arbitrary text and columns; once for the main screen as
//! drawn, over arbitrary vaults.
#![allow(clippy::unwrap_used)]

use aspen::tui::views::fit::{self, Column, Give};
use proptest::prelude::*;
use ratatui::text::{Line, Span};

use crate::harness::{App, cut_cells};

/// Text as users type it: letters, digits, spaces, punctuation, accented and wide
/// characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::char::range('a', 'z'),
            2 => Just(' '),
            1 => prop::sample::select(vec!['@', '.', '-', '(', ')', ',', '+']),
            1 => prop::sample::select(vec!['ä', 'é', 'ß', '日', '本', '語', '한', '✓']),
        ],
        0..40,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// `shown` is `whole`, or a start of it and "…".
fn whole_or_marked(whole: &str, shown: &str) -> bool {
    shown == whole
        || shown
            .strip_suffix(fit::MARK)
            .is_some_and(|start| whole.starts_with(start))
}

fn column() -> impl Strategy<Value = Column> {
    (
        0usize..60,
        prop_oneof![
            Just(Give::Whole),
            (0usize..20).prop_map(|floor| Give::Shrink { floor })
        ],
        prop::option::of(0u8..4),
    )
        .prop_map(|(want, give, drop)| Column { want, give, drop })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A cut fits its cells and ends in "…"; a cut before a kept end keeps it.
    #[test]
    fn every_cut_fits_and_is_marked(value in text(), keep in text()) {
        for cells in 40..=200usize {
            for room in [cells / 7, cells / 3, cells] {
                let cut = fit::cut(&value, room);
                prop_assert!(fit::width(&cut) <= room, "{cut:?} in {room}");
                prop_assert!(whole_or_marked(&value, &cut), "{value:?} as {cut:?}");
                let line = Line::from(vec![Span::raw(value.clone()), Span::raw("x")]);
                let cut = fit::cut_line(&line, room).to_string();
                prop_assert!(fit::width(&cut) <= room, "{cut:?} in {room}");
                prop_assert!(whole_or_marked(&format!("{value}x"), &cut), "{value:?}x as {cut:?}");
                let cut = fit::cut_before(&value, &keep, room);
                prop_assert!(fit::width(&cut) <= room, "{cut:?} in {room}");
                let kept = cut.strip_suffix(keep.as_str()).filter(|_| !keep.is_empty());
                let whole = format!("{value}{keep}");
                prop_assert!(
                    whole_or_marked(&whole, &cut) || kept.is_some_and(|start| whole_or_marked(&value, start)),
                    "{value:?} + {keep:?} as {cut:?}"
                );
            }
        }
    }

    /// The columns fit the table's width whenever one cell each does; a column
    /// read whole never takes more than it holds; nothing is cut or left out when
    /// every column fits whole.
    #[test]
    fn columns_fit_their_table(columns in prop::collection::vec(column(), 1..8)) {
        for cells in 40..=200usize {
            let widths = fit::column_widths(&columns, cells, 1);
            prop_assert_eq!(widths.len(), columns.len());
            let shown: Vec<usize> = widths.iter().flatten().copied().collect();
            let used = shown.iter().sum::<usize>() + shown.len().saturating_sub(1);
            let kept = columns.iter().filter(|c| c.drop.is_none()).count();
            if 2 * kept <= cells + 1 {
                prop_assert!(used <= cells, "{widths:?} in {cells}");
            }
            let all = columns.iter().map(|c| c.want).sum::<usize>() + columns.len() - 1;
            for (c, w) in columns.iter().zip(&widths) {
                match w {
                    None => prop_assert!(c.drop.is_some(), "only a droppable column is left out"),
                    Some(w) if c.give == Give::Whole => prop_assert!(*w <= c.want),
                    Some(_) => {}
                }
                if all <= cells {
                    prop_assert!(w.is_some_and(|w| w >= c.want), "{widths:?} in {cells}");
                }
            }
        }
    }
}

/// An entry of an arbitrary vault: label, apps, the Apple ID's user part, whether
/// aspen holds its password.
#[derive(Clone, Debug)]
struct Arb {
    label: String,
    apps: Vec<String>,
    user: String,
    stored: bool,
}

fn entry() -> impl Strategy<Value = Arb> {
    let word = "[a-zA-Zäö日本]{1,12}( [a-zA-Z()]{1,10}){0,3}";
    (
        word,
        prop::collection::vec(word, 1..4),
        "[a-z][a-z0-9.]{0,30}",
        any::<bool>(),
    )
        .prop_map(|(label, apps, user, stored)| Arb {
            label,
            apps,
            user,
            stored,
        })
}

/// The main screen of a vault holding `entries`, at 60×24.
fn vault_of(entries: &[Arb]) -> App {
    let mut app = App::sized("default", 60, 24);
    app.create();
    let today = jiff::civil::date(2026, 11, 20);
    app.change_on_disk(|v| {
        for (n, e) in entries.iter().enumerate() {
            let password = format!(
                "abcd-efgh-ijkl-mn{}{}",
                char::from(b'a' + (n / 26) as u8),
                char::from(b'a' + (n % 26) as u8)
            );
            let new = aspen::model::NewEntry {
                label: format!("{} {n}", e.label),
                apple_id: format!("{}@{}", e.user, ["icloud.com", "me.com", "mac.com"][n % 3]),
                apps: e.apps.clone(),
                password: e
                    .stored
                    .then(|| aspen::model::Password::parse(password.as_str().into(), false).unwrap()),
                created: jiff::civil::date(2025, 1 + (n % 12) as i8, 1),
                notes: String::new(),
                uses: Vec::new(),
                team_id: String::new(),
            };
            v.add(aspen::model::EntryId::from_random([n as u8 + 1; 16]), new, today)
                .unwrap();
        }
    });
    app.press('L');
    app.unlock();
    app.state.message = None;
    app
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Drawn at every width from 40 to 200: each label, app list, Apple ID,
    /// reason and gauge name is whole or cut with "…".
    #[test]
    fn no_rendered_cell_loses_characters_without_an_ellipsis(
        entries in prop::collection::vec(entry(), 1..10),
    ) {
        let mut app = vault_of(&entries);
        for width in 40..=200u16 {
            app.resize(width, 24);
            let wrong = cut_cells(&mut app);
            prop_assert!(wrong.is_empty(), "at {width}: {wrong:#?}\n{}", app.screen());
        }
    }
}
