//! Read-only views: list, slots, check, and the entry views `show` shares.

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;

use super::out;
use super::{Ctx, table};
use crate::error::{Error, Result};
use crate::model::{
    Attention, AttentionSet, Entry, LabelKey, Status, Vault, analyse, days_between, normalise_apple_id,
    slots as vault_slots,
};
use crate::text::escape_control;
use crate::vault_file::FLOOR;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// JSON for scripts: an array of entries
    #[arg(long)]
    pub json: bool,
    /// Only this Apple ID's entries
    #[arg(long, value_name = "ID")]
    pub apple_id: Option<String>,
    /// Only entries that need attention
    #[arg(long)]
    pub attention: bool,
}

#[derive(Debug, Args)]
pub struct SlotsArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Only this Apple ID
    #[arg(long, value_name = "ID")]
    pub apple_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) on advice too: stale and shared passwords
    #[arg(long)]
    pub strict: bool,
}

/// One entry as `list --json` and `show --json` print it. Never the password.
#[derive(Serialize)]
pub struct EntryView<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub apple_id: &'a str,
    pub apps: &'a [String],
    pub created: Date,
    pub age_days: i64,
    pub status: &'static str,
    pub revoked_on: Option<Date>,
    pub revoke_reason: Option<&'static str>,
    pub needs_replacement: bool,
    pub attention: Vec<Attention>,
    pub notes: &'a str,
    /// False for a password Apple lists that aspen does not hold.
    pub password_stored: bool,
    pub uses: &'a [crate::model::Use],
    /// The Apple developer team id, for notarization.
    pub team_id: Option<&'a str>,
    /// What a merge left to decide, in words.
    pub conflicts: Vec<String>,
    /// The latest `aspen verify` answer about its current password.
    pub last_verified: Option<LastVerified>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryView>>,
}

#[derive(Serialize)]
pub struct LastVerified {
    pub date: Date,
    pub over: &'static str,
    /// `works` or `rejected`.
    pub result: &'static str,
}

impl LastVerified {
    fn of(e: &Entry) -> Option<Self> {
        e.last_verification().map(|v| Self {
            date: v.date,
            over: v.over.name(),
            result: if v.accepted { "works" } else { "rejected" },
        })
    }
}

#[derive(Serialize)]
pub struct HistoryView {
    pub date: Date,
    pub event: String,
}

impl<'a> EntryView<'a> {
    pub fn new(e: &'a Entry, attention: AttentionSet, today: Date) -> Self {
        let (revoked_on, revoke_reason, needs_replacement) = match e.status {
            Status::Active => (None, None, false),
            Status::Revoked {
                on,
                reason,
                needs_replacement,
            } => (Some(on), Some(reason.name()), needs_replacement),
        };
        Self {
            id: e.id.as_str(),
            label: &e.label,
            apple_id: &e.apple_id,
            apps: &e.apps,
            created: e.created,
            age_days: days_between(e.created, today),
            status: e.status.name(),
            revoked_on,
            revoke_reason,
            needs_replacement,
            attention: attention.iter().collect(),
            notes: &e.notes,
            password_stored: e.password_stored(),
            uses: &e.uses,
            team_id: Some(e.team_id.as_str()).filter(|t| !t.is_empty()),
            conflicts: e.conflicts.iter().map(|c| c.describe()).collect(),
            last_verified: LastVerified::of(e),
            history: None,
        }
    }

    pub fn with_history(mut self, e: &Entry) -> Self {
        self.history = Some(
            e.history
                .iter()
                .map(|h| HistoryView {
                    date: h.date,
                    event: h.event.describe(),
                })
                .collect(),
        );
        self
    }
}

fn status_text(e: &Entry) -> String {
    match e.status {
        Status::Active => "active".to_owned(),
        Status::Revoked { on, .. } => format!("revoked {on}"),
    }
}

fn attention_text(set: AttentionSet) -> String {
    set.iter().map(Attention::name).collect::<Vec<_>>().join(",")
}

/// `show`'s text: every field, the history, and what to do.
pub fn describe_entry(e: &Entry, attention: AttentionSet, today: Date) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "Label:     {}", escape_control(&e.label));
    let _ = writeln!(s, "Apple ID:  {}", escape_control(&e.apple_id));
    let _ = writeln!(s, "Apps:      {}", escape_control(&e.apps.join(", ")));
    let _ = writeln!(
        s,
        "Created:   {} ({} days ago)",
        e.created,
        days_between(e.created, today)
    );
    let status = match e.status {
        Status::Active => "active".to_owned(),
        Status::Revoked {
            on,
            reason,
            needs_replacement,
        } => format!(
            "revoked on {on}, {}; {}",
            reason.describe(),
            if needs_replacement {
                "apps still need a password"
            } else {
                "apps retired"
            }
        ),
    };
    let _ = writeln!(s, "Status:    {status}");
    if e.password_stored() {
        let _ = writeln!(s, "Password:  ••••-••••-••••-•••• (aspen reveal to print it)");
    } else {
        let _ = writeln!(
            s,
            "Password:  not stored: Apple lists it, aspen was never given it"
        );
    }
    if !e.uses.is_empty() {
        let uses: Vec<&str> = e.uses.iter().map(|u| u.name()).collect();
        let _ = writeln!(s, "Used for:  {}", uses.join(", "));
    }
    if !e.team_id.is_empty() {
        let _ = writeln!(s, "Team id:   {}", crate::text::escape_control(&e.team_id));
    }
    if let Some(v) = e.last_verification() {
        let answer = if v.accepted {
            "Apple accepted it"
        } else {
            "Apple rejected it"
        };
        let _ = writeln!(s, "Verified:  {} over {}: {answer}", v.date, v.over.describe());
    }
    for c in &e.conflicts {
        let _ = writeln!(s, "Conflict:  {}", escape_control(&c.describe()));
    }
    for (i, line) in e.notes.lines().enumerate() {
        let head = if i == 0 { "Notes:" } else { "" };
        let _ = writeln!(s, "{head:<11}{}", escape_control(line));
    }
    let _ = writeln!(s, "History:");
    for h in &e.history {
        let _ = writeln!(s, "  {}  {}", h.date, escape_control(&h.event.describe()));
    }
    if !attention.is_empty() {
        let _ = writeln!(s, "Attention:");
        for a in attention.iter() {
            let _ = writeln!(s, "  {}: {}", a.name(), advice(a));
        }
    }
    s
}

/// An attention reason's explanation, with the command that resolves it.
fn advice(reason: Attention) -> String {
    let mut text = reason.explain().to_owned();
    if reason.regenerates() {
        text.push_str(" with `aspen regenerate`");
    }
    if reason == Attention::Conflict {
        text.push_str(" (`aspen conflicts` shows what differs, `aspen resolve` decides)");
    }
    if reason == Attention::Rejected {
        text.push_str("; `aspen revoke LABEL --replace` records the revoke");
    }
    if reason == Attention::OldLive {
        text.push_str(" with `aspen revoke LABEL --old`");
    }
    text
}

fn apple_id_filter(id: Option<&str>) -> Result<Option<String>> {
    Ok(id.map(normalise_apple_id).transpose()?)
}

pub fn list(ctx: &Ctx, args: &ListArgs) -> Result<i32> {
    let loaded = ctx.open()?;
    let vault = &loaded.vault;
    let only = apple_id_filter(args.apple_id.as_deref())?;
    let attention = analyse(vault, ctx.today, ctx.config.policy());
    let mut shown: Vec<(&Entry, AttentionSet)> = vault
        .entries
        .iter()
        .zip(attention)
        .filter(|(e, a)| {
            only.as_ref().is_none_or(|id| &e.apple_id == id) && (!args.attention || !a.is_empty())
        })
        .collect();
    shown.sort_by_cached_key(|&(e, _)| (e.apple_id.as_str(), LabelKey::new(&e.label)));
    if args.json {
        let views: Vec<EntryView> = shown
            .iter()
            .map(|(e, a)| EntryView::new(e, *a, ctx.today))
            .collect();
        out::json(&views)?;
        return Ok(0);
    }
    if shown.is_empty() {
        crate::say!(
            "No entries{}.",
            if args.attention { " need attention" } else { "" }
        );
        return Ok(0);
    }
    let rows = shown
        .iter()
        .map(|(e, a)| {
            vec![
                escape_control(&e.label).into_owned(),
                escape_control(&e.apple_id).into_owned(),
                escape_control(&e.apps.join(", ")).into_owned(),
                e.created.to_string(),
                status_text(e),
                attention_text(*a),
            ]
        })
        .collect();
    out::print(&table::render(
        &["LABEL", "APPLE ID", "APPS", "CREATED", "STATUS", "ATTENTION"],
        rows,
    ))?;
    Ok(0)
}

pub fn slots(ctx: &Ctx, args: &SlotsArgs) -> Result<i32> {
    let loaded = ctx.open()?;
    let only = apple_id_filter(args.apple_id.as_deref())?;
    let all: Vec<_> = vault_slots(&loaded.vault)
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|id| &s.apple_id == id))
        .collect();
    if args.json {
        out::json(&all)?;
        return Ok(0);
    }
    if all.is_empty() {
        crate::say!("No Apple IDs in the vault yet; `aspen add` stores the first entry.");
        return Ok(0);
    }
    let rows = all
        .iter()
        .map(|s| {
            vec![
                escape_control(&s.shown()).into_owned(),
                s.active.to_string(),
                s.to_regenerate.to_string(),
                s.free.to_string(),
                s.limit.to_string(),
            ]
        })
        .collect();
    out::print(&table::render(
        &["APPLE ID", "ACTIVE", "TO REGENERATE", "FREE", "LIMIT"],
        rows,
    ))?;
    for w in all.iter().filter_map(super::limit::warning) {
        crate::say!("warning: {w}");
    }
    Ok(0)
}

#[derive(Serialize)]
struct Warning {
    kind: &'static str,
    message: String,
}

fn vault_warnings(vault: &Vault, kdf_ok: bool, kdf_cost: String) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if !kdf_ok {
        warnings.push(Warning {
            kind: "insecure-kdf",
            message: format!(
                "the vault's Argon2id cost ({kdf_cost}) is below RFC 9106's recommendation ({}); \
                 move the entries to a vault made by `aspen init` without --insecure-kdf",
                FLOOR.describe()
            ),
        });
    }
    for s in &vault_slots(vault) {
        if let Some(message) = super::limit::warning(s) {
            let kind = if s.over_limit() {
                "over-limit"
            } else {
                "slots-overflow"
            };
            warnings.push(Warning { kind, message });
        }
    }
    warnings
}

/// One phone number stored as two Apple IDs (the trunk prefix "(0)" kept in one, as
/// aspen stored it before it dropped it): Apple counts one set of 25, so a reason to act.
fn respelling_warnings(vault: &Vault) -> Vec<Warning> {
    crate::model::phone_respellings(vault)
        .into_iter()
        .map(|(old, new)| Warning {
            kind: "phone-spelling",
            message: format!(
                "{old} and {new} differ only by a 0 after the country code: if that 0 is the \
                 national trunk prefix, written \"(0)\", they are one Apple ID at Apple; join them \
                 with `aspen apple-id rename {old} {new}`"
            ),
        })
        .collect()
}

/// `check`'s text: each reason explained once, with the entries it applies to
/// beneath it, then the vault-wide warnings.
fn check_text(flagged: &[(&Entry, AttentionSet)], warnings: &[Warning]) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for reason in Attention::ALL {
        let mut entries: Vec<&Entry> = flagged
            .iter()
            .filter(|(_, a)| a.contains(reason))
            .map(|(e, _)| *e)
            .collect();
        if entries.is_empty() {
            continue;
        }
        entries.sort_by(|a, b| {
            a.apple_id
                .cmp(&b.apple_id)
                .then_with(|| crate::model::label_order(&a.label, &b.label))
        });
        let _ = writeln!(text, "{}: {}", reason.name(), advice(reason));
        for e in entries {
            let apps = if e.apps.is_empty() {
                "apps unknown".to_owned()
            } else {
                escape_control(&e.apps.join(", ")).into_owned()
            };
            let _ = writeln!(
                text,
                "  {} ({}) — {apps}",
                escape_control(&e.label),
                escape_control(&e.apple_id),
            );
        }
    }
    for w in warnings {
        let _ = writeln!(text, "warning: {}", w.message);
    }
    if flagged.is_empty() {
        text.push_str("No entry needs attention.\n");
    }
    text
}

#[derive(Serialize)]
struct CheckReport<'a> {
    entries: Vec<EntryView<'a>>,
    warnings: Vec<Warning>,
    /// Each Apple ID's slots, name and last audit.
    apple_ids: Vec<crate::model::Slots>,
}

/// When each Apple ID was last checked against Apple's page (information only).
fn audit_lines(vault: &Vault) -> String {
    let mut text = String::new();
    for s in vault_slots(vault) {
        let shown = escape_control(&s.shown()).into_owned();
        text.push_str(&match s.last_audit {
            Some(d) => format!("{shown}: last checked against Apple's page on {d}\n"),
            None => format!(
                "{shown}: never checked against Apple's page (`aspen audit --apple-id {}`)\n",
                escape_control(&s.apple_id)
            ),
        });
    }
    text
}

/// Exit 0 when nothing needs action, 1 when something does. `shared` alone is
/// informational and does not fail the check.
pub fn check(ctx: &Ctx, args: &CheckArgs) -> Result<i32> {
    let loaded = ctx.open()?;
    let vault = &loaded.vault;
    let attention = analyse(vault, ctx.today, ctx.config.policy());
    let cost = loaded.key.kdf().cost();
    let mut warnings = vault_warnings(vault, cost.meets_floor(), cost.describe());
    let exposed: Vec<Warning> = ctx
        .paths
        .store()
        .permission_warnings()
        .iter()
        .map(|w| Warning {
            kind: w.kind(),
            message: escape_control(&w.to_string()).into_owned(),
        })
        .collect();
    // Others who can replace the vault are a reason to act, like an entry to fix;
    // so is another machine's change waiting in a conflict copy.
    let copies: Vec<Warning> = ctx
        .paths
        .store()
        .conflict_copies()
        .iter()
        .map(|c| Warning {
            kind: "conflict-copy",
            message: super::sync::copy_warning(c),
        })
        .collect();
    let respelled = respelling_warnings(vault);
    let exposed_any = !exposed.is_empty() || !copies.is_empty() || !respelled.is_empty();
    warnings.extend(exposed);
    warnings.extend(copies);
    warnings.extend(respelled);
    let flagged: Vec<(&Entry, AttentionSet)> = vault
        .entries
        .iter()
        .zip(attention.iter().copied())
        .filter(|(_, a)| !a.is_empty())
        .collect();
    let failing = exposed_any
        || flagged
            .iter()
            .any(|(_, a)| a.needs_action() || (args.strict && !a.is_empty()));
    let audits = audit_lines(vault);
    let printed = if args.json {
        out::json(&CheckReport {
            entries: flagged
                .iter()
                .map(|(e, a)| EntryView::new(e, *a, ctx.today))
                .collect(),
            warnings,
            apple_ids: vault_slots(vault),
        })
    } else {
        out::print(&(check_text(&flagged, &warnings) + &audits))
    };
    match printed {
        // The status is check's answer: a reader that stopped early does not change it.
        Ok(()) | Err(Error::OutputClosed) => Ok(i32::from(failing)),
        Err(e) => Err(e),
    }
}
