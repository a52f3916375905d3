//! Which entries the table shows, in which order: status filter, fuzzy search and
//! sort, computed from the vault without touching the screen.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::model::{AttentionSet, Entry, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Label,
    Created,
    AppleId,
    Status,
}

impl SortKey {
    pub fn next(self) -> Self {
        match self {
            Self::Label => Self::Created,
            Self::Created => Self::AppleId,
            Self::AppleId => Self::Status,
            Self::Status => Self::Label,
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

/// Search text of every entry (label first, so match positions below the label's
/// length are in the label), built once per vault change and reused per keystroke.
pub struct SearchIndex {
    haystacks: Vec<Utf32String>,
    label_chars: Vec<usize>,
}

impl SearchIndex {
    pub fn build(entries: &[Entry]) -> Self {
        let mut haystacks = Vec::with_capacity(entries.len());
        let mut label_chars = Vec::with_capacity(entries.len());
        for e in entries {
            let mut text = String::with_capacity(64);
            text.push_str(&e.label);
            text.push(' ');
            for app in &e.apps {
                text.push_str(app);
                text.push(' ');
            }
            text.push_str(&e.apple_id);
            text.push(' ');
            text.push_str(&e.notes);
            label_chars.push(e.label.chars().count());
            haystacks.push(Utf32String::from(text));
        }
        Self {
            haystacks,
            label_chars,
        }
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

    /// Positions of the matched characters inside entry `i`'s label, for highlighting.
    pub fn label_matches(&mut self, index: &SearchIndex, i: usize) -> Vec<usize> {
        if !self.is_active() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        let hay = index.haystacks[i].slice(..);
        self.pattern.indices(hay, &mut self.matcher, &mut hits);
        let label_len = index.label_chars[i] as u32;
        let mut out: Vec<usize> = hits
            .into_iter()
            .filter(|h| *h < label_len)
            .map(|h| h as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The rows to show: entries that pass the filter and match the query, ordered by
    /// match score when searching, else by `sort` (ties by label).
    pub fn rows(
        &mut self,
        entries: &[Entry],
        attention: &[AttentionSet],
        index: &SearchIndex,
        filter: StatusFilter,
        sort: SortKey,
    ) -> Vec<usize> {
        let searching = self.is_active();
        let mut scored: Vec<(u32, usize)> = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if !filter.keeps(e, attention[i]) {
                continue;
            }
            let score = if searching {
                let hay: Utf32Str<'_> = index.haystacks[i].slice(..);
                match self.pattern.score(hay, &mut self.matcher) {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                0
            };
            scored.push((score, i));
        }
        let by_key = |a: usize, b: usize| {
            let (x, y) = (&entries[a], &entries[b]);
            let primary = match sort {
                SortKey::Label => std::cmp::Ordering::Equal,
                SortKey::Created => x.created.cmp(&y.created),
                SortKey::AppleId => x.apple_id.cmp(&y.apple_id),
                SortKey::Status => status_rank(x, attention[a]).cmp(&status_rank(y, attention[b])),
            };
            primary
                .then_with(|| x.label.cmp(&y.label))
                .then_with(|| x.apple_id.cmp(&y.apple_id))
        };
        scored.sort_unstable_by(|(sa, a), (sb, b)| sb.cmp(sa).then_with(|| by_key(*a, *b)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

/// Attention first, then active, then revoked and done with.
fn status_rank(e: &Entry, a: AttentionSet) -> u8 {
    match (&e.status, a.needs_action()) {
        (_, true) => 0,
        (Status::Active, false) => 1,
        (Status::Revoked { .. }, false) => 2,
    }
}
