//! Checking aspen's picture against Apple's page. Apple lists, per Apple ID, each
//! active app-specific password by label and creation date, newest first. What aspen
//! holds as active but Apple does not list was revoked outside aspen; what Apple
//! lists but aspen does not know is recorded without its password ("untracked").

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::{
    Audit, Entry, EntryId, Event, HistoryEvent, ModelError, NewEntry, RevokeReason, Status, Superseded,
    Vault, validate_label,
};

/// One line of Apple's list: a label, and the date Apple shows when it was copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub label: String,
    pub created: Option<Date>,
}

/// Parses Apple's list as a user saves it: one label per line, optionally followed
/// by a tab or two spaces and the date, as `YYYY-MM-DD` or as Apple writes it
/// ("Nov 29, 2026"); blank lines are skipped. Errors name the line.
pub fn parse_listed(text: &str) -> Result<Vec<Listed>, String> {
    let mut out = Vec::new();
    // A map, not a search of the lines so far: a 1 MiB list holds some 100,000
    // short labels, and comparing each with all before it took minutes. Whether
    // each label's first line had a date.
    let mut seen: HashMap<String, bool> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (label, date) = match line.split_once('\t').or_else(|| line.split_once("  ")) {
            Some((label, date)) => (label, Some(date.trim())),
            None => (line, None),
        };
        let label = validate_label(label).map_err(|e| format!("line {}: {e}", n + 1))?;
        let created = date
            .filter(|d| !d.is_empty())
            .map(|d| parse_apple_date(d).map_err(|e| format!("line {}: {e}", n + 1)))
            .transpose()?;
        // Apple lists a label twice for two live passwords (a regenerated one whose
        // old one is not revoked yet): only their dates tell the lines apart.
        match seen.get(&label) {
            Some(dated) if !dated || created.is_none() => {
                return Err(format!(
                    "line {}: \"{label}\" is listed twice without its dates; Apple lists a label \
                     twice only for two passwords, so give each line the date Apple shows",
                    n + 1
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(label.clone(), created.is_some());
            }
        }
        out.push(Listed { label, created });
    }
    Ok(out)
}

/// `2026-11-29`, `Nov 29, 2026` or `November 29, 2026`; not before app-specific
/// passwords existed (a typo in the copy, refused as every other front end does).
pub fn parse_apple_date(text: &str) -> Result<Date, String> {
    let date = apple_form(text)?;
    let earliest = super::dates::EARLIEST;
    if date < earliest {
        return Err(ModelError::DateTooEarly { date, earliest }.to_string());
    }
    Ok(date)
}

fn apple_form(text: &str) -> Result<Date, String> {
    super::parse_date(text)
}

/// How aspen's list and Apple's differ for one Apple ID.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AuditDiff {
    /// Active in aspen, not listed at Apple: revoked outside aspen.
    pub not_listed: Vec<EntryId>,
    /// Listed at Apple under a label aspen has only as revoked: a new password was
    /// generated at Apple with the same label and never stored.
    pub listed_again: Vec<(EntryId, Option<Date>)>,
    /// Listed at Apple, unknown to aspen.
    pub unknown: Vec<Listed>,
    /// Listed with another date than aspen has (reported only).
    pub other_date: Vec<(EntryId, Date)>,
    /// Old passwords a regeneration left live that Apple lists no more (by their
    /// created days): revoked at Apple.
    pub old_revoked: Vec<(EntryId, Vec<Date>)>,
    /// Listed more often than aspen knows passwords of it: older passwords with its
    /// label are still live at Apple, created on these days.
    pub old_live: Vec<(EntryId, Vec<Date>)>,
}

impl AuditDiff {
    pub fn is_empty(&self) -> bool {
        self.not_listed.is_empty()
            && self.listed_again.is_empty()
            && self.unknown.is_empty()
            && self.old_revoked.is_empty()
            && self.old_live.is_empty()
    }
}

/// What the user decided for an audit.
#[derive(Debug, Default)]
pub struct AuditDecisions {
    /// Revoked outside aspen, and whether its apps still need a password.
    pub revoked: Vec<(EntryId, bool)>,
    pub listed_again: Vec<(EntryId, Option<Date>)>,
    /// Recorded as untracked, each with the id to give it.
    pub untracked: Vec<(EntryId, Listed)>,
    /// Old passwords a regeneration left live, revoked at Apple since (by their
    /// created days).
    pub old_revoked: Vec<(EntryId, Vec<Date>)>,
    /// Older passwords with the entry's label still live at Apple.
    pub old_live: Vec<(EntryId, Vec<Date>)>,
}

impl Vault {
    /// What Apple's page should list for `apple_id`: its active entries, newest
    /// first as Apple lists them.
    pub fn expected_at_apple(&self, apple_id: &str) -> Result<Vec<&Entry>, ModelError> {
        let apple_id = self.known_account(apple_id)?;
        // One row per live password: entries sharing one (from an older vault) are
        // listed once, under the first of them.
        let mut seen = HashSet::new();
        let mut active: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.apple_id == apple_id && e.is_active())
            .filter(|e| e.password.as_ref().is_none_or(|p| seen.insert(p.expose())))
            .collect();
        active.sort_by(|a, b| {
            b.created
                .cmp(&a.created)
                .then_with(|| super::label_order(&a.label, &b.label))
        });
        Ok(active)
    }

    /// Compares aspen's entries of `apple_id` with the list Apple shows. Labels are
    /// looked up by hash: the list may be long (see [`parse_listed`]).
    pub fn compare_with_apple(&self, apple_id: &str, listed: &[Listed]) -> Result<AuditDiff, ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let mut diff = AuditDiff::default();
        let mine: Vec<&Entry> = self.entries.iter().filter(|e| e.apple_id == apple_id).collect();
        let mut at_apple: HashMap<&str, Vec<&Listed>> = HashMap::with_capacity(listed.len());
        for l in listed {
            at_apple.entry(l.label.as_str()).or_default().push(l);
        }
        let mut active = HashSet::new();
        // Entries holding one password are one row at Apple, under one of their
        // labels: listed under any, the password is live for all of them.
        let mut listed_passwords = HashSet::new();
        for e in mine.iter().filter(|e| e.is_active()) {
            if let (Some(p), true) = (&e.password, at_apple.contains_key(e.label.as_str())) {
                listed_passwords.insert(p.expose());
            }
        }
        for e in mine.iter().filter(|e| e.is_active()) {
            active.insert(e.label.as_str());
            match at_apple.get(e.label.as_str()) {
                None if e
                    .password
                    .as_ref()
                    .is_some_and(|p| listed_passwords.contains(p.expose())) => {}
                // Not listed at all: its old passwords are gone from Apple too.
                None => self.match_rows(e, &[], &mut diff),
                Some(rows) => self.match_rows(e, rows, &mut diff),
            }
        }
        let mut first_of: HashMap<&str, &Entry> = HashMap::new();
        for e in &mine {
            first_of.entry(e.label.as_str()).or_insert(e);
        }
        let mut seen = HashSet::new();
        for l in listed {
            let label = l.label.as_str();
            if active.contains(label) || !seen.insert(label) {
                continue;
            }
            let rows = &at_apple[label];
            match first_of.get(label) {
                Some(revoked) => self.match_revoked(revoked, rows, &mut diff),
                None => {
                    // Newest first: that one is the entry, older ones its old passwords.
                    let mut rows: Vec<Listed> = rows.iter().map(|l| (*l).clone()).collect();
                    rows.sort_by_key(|l| std::cmp::Reverse(l.created));
                    diff.unknown.extend(rows);
                }
            }
        }
        // Revoked entries whose old passwords Apple no longer lists at all.
        for e in mine.iter().filter(|e| !e.is_active() && self.live_old(e) > 0) {
            if !at_apple.contains_key(e.label.as_str()) {
                self.match_revoked(e, &[], &mut diff);
            }
        }
        Ok(diff)
    }

    /// Records an audit of `apple_id` on `today`: the revokes made outside aspen,
    /// passwords generated again at Apple, and untracked ones; dated in the Apple
    /// ID's history. Checked whole before anything changes.
    pub fn apply_audit(
        &mut self,
        apple_id: &str,
        decisions: AuditDecisions,
        today: Date,
    ) -> Result<Audit, ModelError> {
        let apple_id = self.known_account(apple_id)?;
        for (id, _) in &decisions.revoked {
            self.index(id)?;
        }
        for (id, _) in &decisions.listed_again {
            self.index(id)?;
        }
        self.check_old_passwords(&decisions)?;
        let mut parts = Vec::new();
        for (i, needs_replacement) in self.revoked_rows(&decisions.revoked)? {
            let e = &mut self.entries[i];
            if !e.is_active() {
                continue;
            }
            // Apple does not say when: the audit day is the latest it can have been.
            e.status = Status::Revoked {
                on: today,
                reason: RevokeReason::Manual,
                needs_replacement,
            };
            e.history.push(HistoryEvent {
                date: today,
                event: Event::Edited("not listed at Apple in an audit: revoked outside aspen".to_owned()),
            });
        }
        if !decisions.revoked.is_empty() {
            parts.push(format!("{} revoked at Apple", decisions.revoked.len()));
        }
        // Before what takes slots: what Apple's page frees first.
        self.audit_old_passwords(&decisions, today, &mut parts)?;
        for (id, created) in &decisions.listed_again {
            self.listed_again(id, created.unwrap_or(today), today)?;
        }
        if !decisions.listed_again.is_empty() {
            parts.push(format!(
                "{} generated again at Apple",
                decisions.listed_again.len()
            ));
        }
        let untracked = self.record_untracked(&apple_id, decisions.untracked, today)?;
        if untracked > 0 {
            parts.push(format!("{untracked} untracked recorded"));
        }
        let audit = Audit {
            date: today,
            outcome: if parts.is_empty() {
                "matches Apple's page".to_owned()
            } else {
                parts.join(", ")
            },
        };
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == apple_id)
            .expect("known_account found it");
        account.audits.push(audit.clone());
        Ok(audit)
    }

    /// A revoked entry whose label Apple lists again: a new password was generated
    /// for it and never stored. Active again, without a password.
    fn listed_again(&mut self, id: &EntryId, created: Date, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        if self.entries[i].is_active() {
            return Ok(());
        }
        let apple_id = self.entries[i].apple_id.clone();
        if self.active_count(&apple_id) >= super::SLOT_LIMIT {
            return Err(self.slots_full(&apple_id, &[&apple_id]));
        }
        let seq = self.take_seq();
        let e = &mut self.entries[i];
        e.password = None;
        e.created = created;
        e.status = Status::Active;
        e.activated_seq = seq;
        e.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(
                "listed at Apple again in an audit: a new password aspen does not hold".to_owned(),
            ),
        });
        Ok(())
    }

    /// Sets the display name of `apple_id` ("" removes it).
    pub fn name_apple_id(&mut self, apple_id: &str, name: &str) -> Result<(), ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let name = super::validate::validate_name(name)?;
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == apple_id)
            .expect("known_account found it");
        account.name = name;
        Ok(())
    }
}

impl Vault {
    /// The audit's findings about old passwords name entries that hold them.
    fn check_old_passwords(&self, decisions: &AuditDecisions) -> Result<(), ModelError> {
        for (id, days) in &decisions.old_revoked {
            self.old_of_days(self.index(id)?, days)?;
        }
        for (id, _) in &decisions.old_live {
            self.index(id)?;
        }
        Ok(())
    }

    /// Records what Apple's page says of old passwords: those it no longer lists were
    /// revoked there; those it lists beside an entry's current one are still live.
    fn audit_old_passwords(
        &mut self,
        decisions: &AuditDecisions,
        today: Date,
        parts: &mut Vec<String>,
    ) -> Result<(), ModelError> {
        for (id, days) in &decisions.old_revoked {
            self.revoke_old_of(id, days, today)?;
        }
        if !decisions.old_revoked.is_empty() {
            let n: usize = decisions.old_revoked.iter().map(|(_, d)| d.len()).sum();
            parts.push(format!("{n} old password(s) revoked at Apple"));
        }
        for (id, days) in &decisions.old_live {
            let i = self.index(id)?;
            for created in days {
                // Listed now: live after every record made so far.
                let activated_seq = self.take_seq();
                let created = *created;
                self.entries[i].superseded.push(Superseded {
                    created,
                    activated_seq,
                });
            }
        }
        if !decisions.old_live.is_empty() {
            let n: usize = decisions.old_live.iter().map(|(_, d)| d.len()).sum();
            parts.push(format!("{n} old password(s) still live at Apple"));
        }
        Ok(())
    }
}

impl Vault {
    /// Records what Apple lists that aspen did not know: an entry without its
    /// password each. One label listed twice is one entry whose older password is
    /// still live. How many rows were recorded.
    fn record_untracked(
        &mut self,
        apple_id: &str,
        untracked: Vec<(EntryId, Listed)>,
        today: Date,
    ) -> Result<usize, ModelError> {
        let n = untracked.len();
        let mut added: HashMap<String, EntryId> = HashMap::new();
        for (id, listed) in untracked {
            if let Some(first) = added.get(&listed.label) {
                let i = self.index(first)?;
                let activated_seq = self.take_seq();
                let created = listed.created.unwrap_or(today);
                self.entries[i].superseded.push(Superseded {
                    created,
                    activated_seq,
                });
                continue;
            }
            added.insert(listed.label.clone(), id.clone());
            let new = NewEntry {
                label: listed.label,
                apple_id: apple_id.to_owned(),
                apps: Vec::new(),
                password: None,
                created: listed.created.unwrap_or(today),
                notes: String::new(),
                uses: Vec::new(),
                team_id: String::new(),
            };
            self.add(id, new, today)?;
        }
        Ok(n)
    }
}

impl Vault {
    /// The entries an audit's "not listed" rows revoke: each one named, and any other
    /// active entry of its Apple ID holding the same password (one row at Apple).
    fn revoked_rows(&self, revoked: &[(EntryId, bool)]) -> Result<Vec<(usize, bool)>, ModelError> {
        let mut out = Vec::new();
        for (id, needs_replacement) in revoked {
            let i = self.index(id)?;
            out.push((i, *needs_replacement));
            let apple_id = &self.entries[i].apple_id;
            out.extend(self.co_holders(i, apple_id).map(|j| (j, *needs_replacement)));
        }
        Ok(out)
    }
}
