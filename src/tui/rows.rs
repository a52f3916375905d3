//! Which entries the table shows, in which order: status filter, fuzzy search and
//! sort, computed from the vault without touching the screen.

use std::cell::OnceCell;
use std::cmp::Ordering;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::model::{AttentionSet, Entry, EntryId, Status};

/// The table's order. `Status` (attention first, ties by label) is where the table
/// starts: after an Apple ID's reset, what has to be regenerated is on the first
/// screen, whatever its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Label,
    Created,
    AppleId,
}

impl SortKey {
    pub fn next(self) -> Self {
        match self {
            Self::Status => Self::Label,
            Self::Label => Self::Created,
            Self::Created => Self::AppleId,
            Self::AppleId => Self::Status,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Label => "label",
            Self::Created => "created",
            Self::AppleId => "Apple ID",
            Self::Status => "status",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Active,
    Attention,
    Revoked,
}

impl StatusFilter {
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Active,
            Self::Active => Self::Attention,
            Self::Attention => Self::Revoked,
            Self::Revoked => Self::All,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Active => "active",
            Self::Attention => "needs attention",
            Self::Revoked => "revoked",
        }
    }

    fn keeps(self, e: &Entry, a: AttentionSet) -> bool {
        match self {
            Self::All => true,
            Self::Active => e.is_active(),
            Self::Attention => !a.is_empty(),
            Self::Revoked => !e.is_active(),
        }
    }
}

/// Where one field's search text lies in [`SearchIndex`]'s buffers.
#[derive(Clone, Copy)]
struct Hay {
    start: usize,
    len: usize,
    unicode: bool,
}

/// Entries in one sort key's order (ties by label, then Apple ID) and each entry's
/// place in it.
struct Order {
    by_rank: Vec<u32>,
    rank: Vec<u32>,
}

/// A row's place in the table, packed so that ordering rows is an integer sort:
/// higher score first, then (for `Status`) status rank, then the key order.
const RANK_BITS: u32 = 30;

/// Search text of every entry, one haystack per field (the label first, then each
/// app, the Apple ID and the notes), built once per vault change and reused per
/// keystroke. Fields are matched one by one, so a query never matches across the
/// end of one field and the start of the next ("mail" in "…ma" + "il…").
/// The texts lie one after another in two buffers (nucleo's ASCII and code-point
/// forms) so that a keystroke reads memory in order; the order of each sort key is
/// made on first use and kept, so a keystroke compares no strings.
pub struct SearchIndex {
    ascii: Vec<u8>,
    unicode: Vec<char>,
    hays: Vec<Hay>,
    /// Entry `i`'s fields are `hays[fields[i]..fields[i + 1]]`, its label first.
    fields: Vec<usize>,
    /// By label (also the base of `Status`), by created date, by Apple ID.
    orders: [OnceCell<Order>; 3],
}

impl SearchIndex {
    pub fn build(entries: &[Entry]) -> Self {
        let mut index = Self {
            ascii: Vec::with_capacity(entries.len() * 64),
            unicode: Vec::new(),
            hays: Vec::with_capacity(entries.len() * 4),
            fields: Vec::with_capacity(entries.len() + 1),
            orders: Default::default(),
        };
        for e in entries {
            index.fields.push(index.hays.len());
            index.push(&e.label);
            for app in &e.apps {
                index.push(app);
            }
            index.push(&e.apple_id);
            if !e.notes.is_empty() {
                index.push(&e.notes);
            }
        }
        index.fields.push(index.hays.len());
        index
    }

    fn push(&mut self, text: &str) {
        // nucleo's own conversion decides the form (it folds graphemes).
        let hay = match Utf32String::from(text) {
            Utf32String::Ascii(s) => {
                self.ascii.extend_from_slice(s.as_bytes());
                Hay {
                    start: self.ascii.len() - s.len(),
                    len: s.len(),
                    unicode: false,
                }
            }
            Utf32String::Unicode(cs) => {
                self.unicode.extend_from_slice(&cs);
                Hay {
                    start: self.unicode.len() - cs.len(),
                    len: cs.len(),
                    unicode: true,
                }
            }
        };
        self.hays.push(hay);
    }

    /// Entry `i`'s fields, the label first.
    fn haystacks(&self, i: usize) -> impl Iterator<Item = Utf32Str<'_>> {
        (self.fields[i]..self.fields[i + 1]).map(|h| self.hay(h))
    }

    fn hay(&self, h: usize) -> Utf32Str<'_> {
        let h = self.hays[h];
        if h.unicode {
            Utf32Str::Unicode(&self.unicode[h.start..h.start + h.len])
        } else {
            Utf32Str::Ascii(&self.ascii[h.start..h.start + h.len])
        }
    }

    fn label(&self, i: usize) -> Utf32Str<'_> {
        self.hay(self.fields[i])
    }

    fn len(&self) -> usize {
        self.fields.len() - 1
    }

    /// The order of `sort`'s key; `Status` gets the label order, as its rank depends
    /// on the attention reasons and is applied by `rows`.
    fn order(&self, entries: &[Entry], sort: SortKey) -> &Order {
        let (slot, primary): (usize, fn(&Entry, &Entry) -> Ordering) = match sort {
            SortKey::Label | SortKey::Status => (0, |_, _| Ordering::Equal),
            SortKey::Created => (1, |x, y| x.created.cmp(&y.created)),
            SortKey::AppleId => (2, |x, y| x.apple_id.cmp(&y.apple_id)),
        };
        self.orders[slot].get_or_init(|| {
            assert!(
                entries.len() < 1 << RANK_BITS,
                "more entries than a vault can hold"
            );
            let mut by_rank: Vec<u32> = (0..entries.len() as u32).collect();
            by_rank.sort_unstable_by(|&a, &b| {
                let (x, y) = (&entries[a as usize], &entries[b as usize]);
                primary(x, y)
                    .then_with(|| crate::model::label_order(&x.label, &y.label))
                    .then_with(|| x.apple_id.cmp(&y.apple_id))
            });
            let mut rank = vec![0; entries.len()];
            for (r, &i) in by_rank.iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            Order { by_rank, rank }
        })
    }
}

/// A fuzzy matcher and its parsed query, reused across keystrokes.
pub struct Search {
    matcher: Matcher,
    pattern: Pattern,
    query: String,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            pattern: Pattern::default(),
            query: String::new(),
        }
    }
}

impl Search {
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn set_query(&mut self, query: &str) {
        if query != self.query {
            self.query = query.to_owned();
            self.pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        }
    }

    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
    }

    /// What marks the matched characters of labels, when a query is active. It has
    /// its own matcher (scratch memory), so drawing only reads the search.
    pub fn highlighter<'a>(&'a self, index: &'a SearchIndex) -> Option<Highlighter<'a>> {
        self.is_active().then(|| Highlighter {
            pattern: &self.pattern,
            index,
            matcher: Matcher::new(Config::DEFAULT),
        })
    }
}

/// Finds the query's matches inside labels, for the table to highlight.
pub struct Highlighter<'a> {
    pattern: &'a Pattern,
    index: &'a SearchIndex,
    matcher: Matcher,
}

impl Highlighter<'_> {
    /// Positions of the matched characters inside entry `i`'s label.
    pub fn label_matches(&mut self, i: usize) -> Vec<usize> {
        let mut hits = Vec::new();
        let label = self.index.label(i);
        for atom in self.pattern.atoms.iter().filter(|a| !a.negative) {
            atom.indices(label, &mut self.matcher, &mut hits);
        }
        let mut out: Vec<usize> = hits.into_iter().map(|h| h as usize).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Entry `i`'s score: each word of the query scored against each field on its own,
/// the best field counting; `None` when a word matches no field, or a negated word
/// (`!word`) matches one.
fn score(pattern: &Pattern, index: &SearchIndex, i: usize, matcher: &mut Matcher) -> Option<u32> {
    let mut total = 0u32;
    for atom in &pattern.atoms {
        let mut best: Option<u16> = None;
        for hay in index.haystacks(i) {
            match atom.score(hay, matcher) {
                None if atom.negative => return None,
                Some(s) => best = Some(best.map_or(s, |b| b.max(s))),
                None => {}
            }
        }
        total += u32::from(best?);
    }
    Some(total)
}

/// Attention first, then active, then revoked and done with.
fn status_rank(e: &Entry, a: AttentionSet) -> u8 {
    match (&e.status, a.needs_action()) {
        (_, true) => 0,
        (Status::Active, false) => 1,
        (Status::Revoked { .. }, false) => 2,
    }
}

/// The table's view of the vault: what is searched for, the sort, the filter, the
/// rows they leave and the selected one. One type holds all of them, so every
/// change to one recomputes the rows in one place.
pub struct Table {
    pub index: SearchIndex,
    pub search: Search,
    /// The search field has the keys.
    pub searching: bool,
    /// Indexes into the vault's entries, in the order shown.
    pub rows: Vec<usize>,
    pub selected: usize,
    /// The first row the table showed, as its render reported it: the next frame
    /// moves it only when the selection leaves the window, so scrolling is stable.
    pub offset: usize,
    pub sort: SortKey,
    pub filter: StatusFilter,
    /// How many entries of the vault need attention (whatever the filter or the
    /// search shows), counted once per vault change.
    pub needing: usize,
    /// Each entry's [`status_rank`], made once per vault change: the default order
    /// reads it at every keystroke.
    ranks: Vec<u8>,
}

impl Table {
    pub fn new(entries: &[Entry]) -> Self {
        Self {
            index: SearchIndex::build(entries),
            search: Search::default(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            sort: SortKey::Status,
            filter: StatusFilter::All,
            needing: 0,
            ranks: Vec::new(),
        }
    }

    /// After a change to the entries: the index is of them again, then the rows.
    pub fn entries_changed(&mut self, entries: &[Entry], attention: &[AttentionSet]) {
        self.index = SearchIndex::build(entries);
        self.ranks = entries
            .iter()
            .zip(attention)
            .map(|(e, a)| status_rank(e, *a))
            .collect();
        self.needing = self.ranks.iter().filter(|r| **r == 0).count();
        self.refresh(entries, attention);
    }

    /// After a filter, sort or query change; keeps the selected entry when it is
    /// still shown.
    pub fn refresh(&mut self, entries: &[Entry], attention: &[AttentionSet]) {
        let keep = self
            .selected_index()
            .and_then(|i| entries.get(i))
            .map(|e| e.id.clone());
        self.rows = self.compute_rows(entries, attention);
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|i| entries[*i].id == id))
            .unwrap_or(0);
    }

    pub fn selected_index(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }

    pub fn select_id(&mut self, entries: &[Entry], id: &EntryId) {
        if let Some(pos) = self.rows.iter().position(|i| &entries[*i].id == id) {
            self.selected = pos;
        }
    }

    /// The next row (`forward`) or the previous one whose entry needs attention,
    /// wrapping around the rows shown; `None` when no row shown needs it. The
    /// selected row itself is the last one looked at, so a lone one is found again.
    pub fn next_needing(&self, forward: bool) -> Option<usize> {
        let n = self.rows.len();
        (1..=n)
            .map(|s| (self.selected + if forward { s } else { n - s }) % n)
            .find(|&row| self.ranks[self.rows[row]] == 0)
    }

    /// The rows to show: entries that pass the filter and match the query, ordered by
    /// match score when searching, else by `sort` (ties by label, then Apple ID).
    fn compute_rows(&mut self, entries: &[Entry], attention: &[AttentionSet]) -> Vec<usize> {
        let (filter, sort, index) = (self.filter, self.sort, &self.index);
        debug_assert_eq!(index.len(), entries.len(), "the index is of these entries");
        debug_assert_eq!(self.ranks.len(), entries.len(), "the ranks are of these entries");
        let order = index.order(entries, sort);
        let searching = self.search.is_active();
        if !searching {
            let kept = order
                .by_rank
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| filter.keeps(&entries[i], attention[i]));
            if sort != SortKey::Status {
                return kept.collect();
            }
            // Three ranks over the label order: a stable bucketing, no sort.
            let mut ranks: [Vec<usize>; 3] = Default::default();
            kept.for_each(|i| ranks[usize::from(self.ranks[i])].push(i));
            return ranks.concat();
        }
        // Entries in storage order (memory read in order), each with its packed key.
        let mut keys: Vec<u64> = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if !filter.keeps(e, attention[i]) {
                continue;
            }
            let score = if searching {
                match score(&self.search.pattern, index, i, &mut self.search.matcher) {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                0
            };
            let status = if sort == SortKey::Status {
                u64::from(self.ranks[i])
            } else {
                0
            };
            keys.push(u64::from(u32::MAX - score) << 32 | status << RANK_BITS | u64::from(order.rank[i]));
        }
        keys.sort_unstable();
        let rank_mask = (1u64 << RANK_BITS) - 1;
        keys.into_iter()
            .map(|k| order.by_rank[(k & rank_mask) as usize] as usize)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::model::{Attention, EntryId, Password, RevokeReason};
    use crate::secret::SecretString;

    fn entry(n: u8, label: &str, apple_id: &str, day: i8, status: Status) -> Entry {
        Entry {
            id: EntryId::from_random([n; 16]),
            label: label.to_owned(),
            apple_id: apple_id.to_owned(),
            apps: vec![format!("{label} app"), "Thunderbird".to_owned()],
            password: Some(Password::parse(SecretString::from("abcd-efgh-ijkl-mnop"), false).unwrap()),
            created: date(2026, 1, day),
            notes: if n.is_multiple_of(2) {
                "IMAP + SMTP".to_owned()
            } else {
                String::new()
            },
            uses: Vec::new(),
            status,
            superseded: Vec::new(),
            team_id: String::new(),
            history: Vec::new(),
            activated_seq: u64::from(n),
            stamps: Default::default(),
            conflicts: Vec::new(),
        }
    }

    /// What `rows` computed before it was made fast: a comparison sort over the entries.
    fn reference(
        search: &mut Search,
        entries: &[Entry],
        attention: &[AttentionSet],
        index: &SearchIndex,
        filter: StatusFilter,
        sort: SortKey,
    ) -> Vec<usize> {
        let mut scored: Vec<(u32, usize)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if !filter.keeps(e, attention[i]) {
                continue;
            }
            let score = if search.is_active() {
                match score(&search.pattern, index, i, &mut search.matcher) {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                0
            };
            scored.push((score, i));
        }
        scored.sort_by(|(sa, a), (sb, b)| {
            let (x, y) = (&entries[*a], &entries[*b]);
            let primary = match sort {
                SortKey::Label => Ordering::Equal,
                SortKey::Created => x.created.cmp(&y.created),
                SortKey::AppleId => x.apple_id.cmp(&y.apple_id),
                SortKey::Status => status_rank(x, attention[*a]).cmp(&status_rank(y, attention[*b])),
            };
            sb.cmp(sa)
                .then(primary)
                .then_with(|| crate::model::label_order(&x.label, &y.label))
                .then_with(|| x.apple_id.cmp(&y.apple_id))
        });
        scored.into_iter().map(|(_, i)| i).collect()
    }

    #[test]
    fn rows_match_a_plain_comparison_sort_for_every_key_filter_and_query() {
        let revoked = Status::Revoked {
            on: date(2026, 2, 1),
            reason: RevokeReason::Manual,
            needs_replacement: false,
        };
        // Equal labels under different Apple IDs, equal dates, equal scores, a
        // non-ASCII label: every tie the order has to break.
        let entries = vec![
            entry(1, "Thunderbird", "b@icloud.com", 3, Status::Active),
            entry(2, "Thunderbird", "a@icloud.com", 3, revoked.clone()),
            entry(3, "Spark", "a@icloud.com", 1, Status::Active),
            entry(4, "Zürich Mail", "c@me.com", 9, Status::Active),
            entry(5, "DAVx5", "b@icloud.com", 1, revoked),
            entry(6, "thunder", "c@me.com", 3, Status::Active),
            entry(7, "App 10", "a@icloud.com", 2, Status::Active),
            entry(8, "App 2", "a@icloud.com", 2, Status::Active),
        ];
        let mut attention = vec![AttentionSet::default(); entries.len()];
        attention[3].insert(Attention::Stale);
        let mut table = Table::new(&entries);
        table.entries_changed(&entries, &attention);
        for query in ["", "thu", "a", "zur", "icloud", "nothing-matches"] {
            table.search.set_query(query);
            for sort in [
                SortKey::Label,
                SortKey::Created,
                SortKey::AppleId,
                SortKey::Status,
            ] {
                for filter in [
                    StatusFilter::All,
                    StatusFilter::Active,
                    StatusFilter::Attention,
                    StatusFilter::Revoked,
                ] {
                    (table.filter, table.sort) = (filter, sort);
                    let want = reference(
                        &mut table.search,
                        &entries,
                        &attention,
                        &table.index,
                        filter,
                        sort,
                    );
                    let got = table.compute_rows(&entries, &attention);
                    assert_eq!(got, want, "query {query:?}, {sort:?}, {filter:?}");
                }
            }
        }
    }

    #[test]
    fn labels_sort_as_people_number_them() {
        let entries = vec![
            entry(1, "App 10", "a@icloud.com", 1, Status::Active),
            entry(2, "App 2", "a@icloud.com", 1, Status::Active),
            entry(3, "App 1", "a@icloud.com", 1, Status::Active),
        ];
        let attention = vec![AttentionSet::default(); entries.len()];
        let mut table = Table::new(&entries);
        table.entries_changed(&entries, &attention);
        let rows = table.rows;
        let labels: Vec<&str> = rows.iter().map(|&i| entries[i].label.as_str()).collect();
        assert_eq!(labels, ["App 1", "App 2", "App 10"]);
    }

    #[test]
    fn label_matches_are_positions_in_the_label_also_for_non_ascii_text() {
        let mut e = entry(1, "Zürich Mail", "c@me.com", 9, Status::Active);
        e.apps = vec!["Spark".to_owned()];
        let index = SearchIndex::build(&[e]);
        let mut search = Search::default();
        search.set_query("rich");
        let matches = |search: &Search| search.highlighter(&index).map(|mut h| h.label_matches(0));
        assert_eq!(matches(&search), Some(vec![2, 3, 4, 5]));
        search.set_query("spark");
        assert_eq!(matches(&search), Some(Vec::new()));
        search.set_query("");
        assert_eq!(matches(&search), None, "nothing to mark without a query");
    }
}
