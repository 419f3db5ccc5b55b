//! The Audit pane's state and behaviour, without a terminal: keys become actions, actions
//! change state and return effects (run the audit, load a page of contacts, apply or undo
//! a change) for the TUI's worker threads to carry out. Rendering reads this state only.
//!
//! Screens: the findings list (by impact, with count and share bars) → `Enter` → the
//! contacts of one finding → actions per contact (`f` fix, `s` suppress, `i` ignore,
//! `F` forget, which asks first and says it cannot be undone) or for the whole finding
//! (`A` fix all, `S` suppress all). `u` undoes the last change, `r` re-runs the audit.
//! Which keys mean which action is the TUI pane's business (its keymap tables).

use super::{actions, Audit, AuditError, Example, FieldFix, Kind};
use crate::workspace::Workspace;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;

/// An audit shared between the UI and a worker answering pages of it; two are equal
/// when they are the same run.
#[derive(Debug, Clone)]
pub struct Shared(pub Arc<Audit>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Contacts loaded per page when drilling in.
pub const PAGE: usize = 200;

/// What the user (or a finished job) asks the pane to do.
#[derive(Debug, Clone)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Drill,
    Back,
    Rerun,
    /// Apply the suggested fix to the selected contact.
    FixOne,
    /// Apply the suggested fix to every contact of the finding.
    FixAll,
    SuppressOne,
    SuppressAll,
    IgnoreOne,
    /// Ask to forget the selected contact (opens the confirmation).
    Forget,
    Confirm,
    Cancel,
    Undo,
    /// A job finished: the audit.
    AuditDone(Arc<Audit>),
    /// A job reported progress (done, total).
    Progress(usize, usize),
    /// A job finished: the page of contacts of `kind` starting at `offset`.
    ContactsLoaded(Kind, usize, Page),
    /// A change or undo was written (its log id, or the error text).
    Changed(Result<i64, String>),
}

/// A change the pane asks the writer to make.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Fix { kind: Kind, ids: Vec<i64> },
    Suppress { ids: Vec<i64>, reason: String },
    Ignore { kind: Kind, ids: Vec<i64> },
    Forget { id: i64 },
}

impl Change {
    /// Carries the change out: one transaction, one log entry; returns the log id.
    pub fn perform(&self, ws: &mut Workspace) -> Result<i64, AuditError> {
        match self {
            Change::Fix { kind, ids } => actions::apply_fix(ws, *kind, ids),
            Change::Suppress { ids, reason } => actions::suppress(ws, ids, reason),
            Change::Ignore { kind, ids } => actions::ignore(ws, *kind, ids),
            Change::Forget { id } => actions::forget(ws, *id),
        }
    }

    /// Whether the change can be undone (all but forgetting).
    pub fn undoable(&self) -> bool {
        !matches!(self, Change::Forget { .. })
    }
}

/// A write the pane asks for: a change, or the undo of a logged one.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Apply(Change),
    Undo(i64),
}

impl Edit {
    /// Carries the edit out: one transaction, one log entry; returns the log id.
    pub fn perform(&self, ws: &mut Workspace) -> Result<i64, AuditError> {
        match self {
            Edit::Apply(change) => change.perform(ws),
            Edit::Undo(id) => actions::undo(ws, *id),
        }
    }

    /// What the edit does, for a status line ("fix email_typo on 1 contact").
    pub fn label(&self) -> String {
        let contacts = |n: usize| {
            if n == 1 {
                "1 contact".to_string()
            } else {
                format!("{n} contacts")
            }
        };
        match self {
            Edit::Apply(Change::Fix { kind, ids }) => {
                format!("fix {kind} on {}", contacts(ids.len()))
            }
            Edit::Apply(Change::Suppress { ids, .. }) => {
                format!("suppress {}", contacts(ids.len()))
            }
            Edit::Apply(Change::Ignore { kind, ids }) => {
                format!("ignore {kind} on {}", contacts(ids.len()))
            }
            Edit::Apply(Change::Forget { id }) => format!("forget contact {id}"),
            Edit::Undo(id) => format!("undo log entry {id}"),
        }
    }
}

/// A page of a finding's contacts: what the rule found for each, and the field changes
/// its automatic fix would make (none for kinds without one).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub examples: Vec<Example>,
    pub fixes: Vec<FieldFix>,
}

/// Loads `len` contacts of `kind` from `offset` of `audit`, with their suggested fixes.
pub fn page(
    audit: &Audit,
    conn: &Connection,
    kind: Kind,
    offset: usize,
    len: usize,
) -> Result<Page, AuditError> {
    let examples = audit.contacts(conn, kind, offset, len)?;
    let ids: Vec<i64> = examples.iter().map(|e| e.contact_id).collect();
    let fixes = actions::suggested_fixes(conn, kind, &ids)?;
    Ok(Page { examples, fixes })
}

/// Work for the TUI's jobs.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    RunAudit,
    LoadContacts { kind: Kind, offset: usize },
    Write(Edit),
}

/// Which screen of the pane is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Findings,
    Contacts { kind: Kind },
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct AuditView {
    pub audit: Option<Arc<Audit>>,
    /// (done, total) while an audit runs.
    pub running: Option<(usize, usize)>,
    pub screen: Option<Screen>,
    /// Selected finding.
    pub finding: usize,
    /// Contacts of the finding being shown, and the selected one.
    pub contacts: Vec<Example>,
    /// The suggested fix of each loaded contact, as "field → new value" lines.
    pub fixes: HashMap<i64, Vec<String>>,
    pub contact: usize,
    /// A page of contacts is being loaded.
    pub loading: bool,
    /// A change waiting for confirmation (forget).
    pub confirm: Option<Change>,
    /// Log ids of this session's undoable changes, newest last.
    pub undo_stack: Vec<i64>,
    /// One line for the status bar.
    pub message: Option<String>,
}

impl AuditView {
    pub fn screen(&self) -> Screen {
        self.screen.clone().unwrap_or(Screen::Findings)
    }

    /// The finding under the cursor.
    pub fn selected_kind(&self) -> Option<Kind> {
        self.audit
            .as_ref()
            .and_then(|a| a.findings.get(self.finding))
            .map(|f| f.kind)
    }

    /// The contact under the cursor on the contacts screen.
    pub fn selected_example(&self) -> Option<&Example> {
        match self.screen() {
            Screen::Contacts { .. } => self.contacts.get(self.contact),
            Screen::Findings => None,
        }
    }

    fn selected_contact(&self) -> Option<i64> {
        self.contacts.get(self.contact).map(|c| c.contact_id)
    }

    fn all_ids(&self, kind: Kind) -> Vec<i64> {
        self.audit
            .as_ref()
            .and_then(|a| a.affected.get(&kind))
            .cloned()
            .unwrap_or_default()
    }

    fn list_len(&self) -> usize {
        match self.screen() {
            Screen::Findings => self.audit.as_ref().map_or(0, |a| a.findings.len()),
            Screen::Contacts { .. } => self.contacts.len(),
        }
    }

    fn cursor(&mut self) -> &mut usize {
        match self.screen() {
            Screen::Findings => &mut self.finding,
            Screen::Contacts { .. } => &mut self.contact,
        }
    }
}

fn suppress_reason(kind: Kind) -> String {
    format!("audit: {}", kind.as_str())
}

/// The next page to load when the cursor nears the end of the contacts loaded so far.
fn more(view: &mut AuditView) -> Vec<Effect> {
    let Screen::Contacts { kind } = view.screen() else {
        return Vec::new();
    };
    let total = view.all_ids(kind).len();
    let loaded = view.contacts.len();
    if view.loading || loaded >= total || view.contact + 20 < loaded {
        return Vec::new();
    }
    view.loading = true;
    vec![Effect::LoadContacts {
        kind,
        offset: loaded,
    }]
}

/// Applies `action` to the state and returns the work it needs done.
pub fn update(view: &mut AuditView, action: Action) -> Vec<Effect> {
    let len = view.list_len();
    let last = len.saturating_sub(1);
    match action {
        Action::Up => {
            let c = view.cursor();
            *c = c.saturating_sub(1);
        }
        Action::Down => {
            let c = view.cursor();
            *c = (*c + 1).min(last);
            return more(view);
        }
        Action::Top => *view.cursor() = 0,
        Action::Bottom => {
            *view.cursor() = last;
            return more(view);
        }
        Action::PageUp => {
            let c = view.cursor();
            *c = c.saturating_sub(10);
        }
        Action::PageDown => {
            let c = view.cursor();
            *c = (*c + 10).min(last);
            return more(view);
        }
        Action::Drill => {
            if let (Screen::Findings, Some(kind)) = (view.screen(), view.selected_kind()) {
                if kind != Kind::SegmentationOpportunity {
                    view.screen = Some(Screen::Contacts { kind });
                    view.contacts.clear();
                    view.fixes.clear();
                    view.contact = 0;
                    view.loading = true;
                    return vec![Effect::LoadContacts { kind, offset: 0 }];
                }
            }
        }
        Action::Back => {
            view.screen = Some(Screen::Findings);
            view.contacts.clear();
            view.fixes.clear();
        }
        Action::Rerun => {
            view.running = Some((0, 0));
            return vec![Effect::RunAudit];
        }
        Action::FixOne | Action::SuppressOne | Action::IgnoreOne => {
            if let (Screen::Contacts { kind }, Some(id)) = (view.screen(), view.selected_contact())
            {
                let ids = vec![id];
                let change = match action {
                    Action::FixOne => Change::Fix { kind, ids },
                    Action::SuppressOne => Change::Suppress {
                        ids,
                        reason: suppress_reason(kind),
                    },
                    _ => Change::Ignore { kind, ids },
                };
                return vec![Effect::Write(Edit::Apply(change))];
            }
        }
        Action::FixAll | Action::SuppressAll => {
            let kind = match view.screen() {
                Screen::Contacts { kind } => Some(kind),
                Screen::Findings => view.selected_kind(),
            };
            if let Some(kind) = kind.filter(|k| *k != Kind::SegmentationOpportunity) {
                let ids = view.all_ids(kind);
                if !ids.is_empty() {
                    return vec![Effect::Write(Edit::Apply(
                        if matches!(action, Action::FixAll) {
                            Change::Fix { kind, ids }
                        } else {
                            Change::Suppress {
                                ids,
                                reason: suppress_reason(kind),
                            }
                        },
                    ))];
                }
            }
        }
        Action::Forget => {
            if let Some(id) = view.selected_contact() {
                view.confirm = Some(Change::Forget { id });
                view.message = Some(format!(
                    "Forget contact {id}? Its personal data is erased for good. This cannot be undone."
                ));
            }
        }
        Action::Confirm => {
            if let Some(change) = view.confirm.take() {
                return vec![Effect::Write(Edit::Apply(change))];
            }
        }
        Action::Cancel => {
            view.confirm = None;
            view.message = None;
        }
        Action::Undo => match view.undo_stack.last() {
            Some(&id) => return vec![Effect::Write(Edit::Undo(id))],
            None => view.message = Some("nothing to undo".into()),
        },
        Action::Progress(done, total) => view.running = Some((done, total)),
        Action::AuditDone(audit) => {
            view.running = None;
            // The finding drilled into stays selected even when a change resolved it
            // for a while (undo brings it back).
            let keep = match view.screen() {
                Screen::Contacts { kind } => Some(kind),
                Screen::Findings => view.selected_kind(),
            };
            view.finding = keep
                .and_then(|k| audit.findings.iter().position(|f| f.kind == k))
                .unwrap_or(0);
            view.audit = Some(audit);
            if let Screen::Contacts { kind } = view.screen() {
                view.loading = true;
                return vec![Effect::LoadContacts { kind, offset: 0 }];
            }
        }
        Action::ContactsLoaded(kind, offset, page) => {
            if view.screen() == (Screen::Contacts { kind }) {
                view.loading = false;
                if offset == 0 {
                    view.contacts.clear();
                    view.fixes.clear();
                }
                if offset == view.contacts.len() {
                    view.contacts.extend(page.examples);
                    for fix in page.fixes {
                        let line = format!("{} → {}", fix.field, fix.new);
                        view.fixes.entry(fix.contact_id).or_default().push(line);
                    }
                }
                view.contact = view.contact.min(view.contacts.len().saturating_sub(1));
            }
        }
        Action::Changed(result) => match result {
            Ok(id) => {
                view.message = Some(format!("saved (log entry {id})"));
                view.running = Some((0, 0));
                return vec![Effect::RunAudit];
            }
            Err(e) => view.message = Some(e),
        },
    }
    Vec::new()
}

/// Records a finished change for `u`: undoable changes go on the stack, an undo pops it.
pub fn record(view: &mut AuditView, edit: &Edit, result: &Result<i64, String>) {
    if result.is_err() {
        return;
    }
    match edit {
        Edit::Apply(change) if change.undoable() => {
            if let Ok(id) = result {
                view.undo_stack.push(*id);
            }
        }
        Edit::Undo(id) => view.undo_stack.retain(|x| x != id),
        Edit::Apply(_) => {}
    }
}

/// A bar of `width` cells filled in proportion to `share` (0–1), with eighth-cell
/// precision; plain `#` when `ascii` (for terminals without Unicode block glyphs).
pub fn bar(share: f64, width: usize, ascii: bool) -> String {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if ascii {
        let n = (share * width as f64).round() as usize;
        return format!("{}{}", "#".repeat(n), " ".repeat(width - n));
    }
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (share * width as f64 * 8.0).round() as usize;
    let (full, rest) = (eighths / 8, eighths % 8);
    let mut out = "█".repeat(full.min(width));
    if full < width {
        out.push(EIGHTHS[rest]);
        out.push_str(&" ".repeat(width - full - 1));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::workspace::OpenOptions;

    const CSV: &str = "email,first_name,last_name,status
anna@gmial.com,Anna,Lee,subscribed
bob@@firm.ie,Bob,Stone,subscribed
info@firm.ie,Dora,Eck,subscribed
carl@firm.ie,CARL,DIAZ,subscribed
dan@firm.ie,,Lee,subscribed
eve@firm.ie,,Lee,subscribed
fay@firm.ie,,Lee,subscribed
";

    /// A workspace with one contact per kind of problem (typo, invalid, role, casing,
    /// missing names), imported at a fixed date.
    pub(crate) fn workspace() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("c.csv");
        std::fs::write(&csv, CSV).unwrap();
        let options = OpenOptions {
            clock: crate::clock::Clock::parse("2026-01-01").unwrap(),
            ..OpenOptions::default()
        };
        let mut ws = Workspace::open(&dir.path().join("w.db"), &options).unwrap();
        let options = crate::import::Options {
            kind: crate::import::Kind::Contacts,
            preset: None,
            name: None,
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        crate::import::import_file(&mut ws, &csv, &options, &mut |_| {}, &cancel).unwrap();
        (dir, ws)
    }

    /// Runs effects the way the TUI's jobs would, feeding results back as actions.
    fn drive(view: &mut AuditView, ws: &mut Workspace, effects: Vec<Effect>) {
        drive_paged(view, ws, effects, PAGE);
    }

    fn drive_paged(
        view: &mut AuditView,
        ws: &mut Workspace,
        effects: Vec<Effect>,
        page_size: usize,
    ) {
        let mut queue = effects;
        while let Some(effect) = queue.pop() {
            let next = match &effect {
                Effect::RunAudit => {
                    let audit = super::super::run(ws.conn(), ws.clock().now_ts()).unwrap();
                    Action::AuditDone(Arc::new(audit))
                }
                Effect::LoadContacts { kind, offset } => {
                    let audit = view.audit.as_ref().unwrap();
                    let page = page(audit, ws.conn(), *kind, *offset, page_size).unwrap();
                    Action::ContactsLoaded(*kind, *offset, page)
                }
                Effect::Write(edit) => {
                    let r = edit.perform(ws).map_err(|e| e.to_string());
                    record(view, edit, &r);
                    Action::Changed(r)
                }
            };
            queue.extend(update(view, next));
        }
    }

    fn count(view: &AuditView, kind: Kind) -> u64 {
        view.audit
            .as_ref()
            .and_then(|a| a.finding(kind))
            .map_or(0, |f| f.count)
    }

    #[test]
    fn drill_in_fix_and_undo() {
        let (_dir, mut ws) = workspace();
        let mut view = AuditView::default();
        let fx = update(&mut view, Action::Rerun);
        drive(&mut view, &mut ws, fx);
        assert_eq!(count(&view, Kind::EmailTypo), 1);
        let pos = view
            .audit
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.kind == Kind::EmailTypo)
            .unwrap();
        for _ in 0..pos {
            let a = Action::Down;
            update(&mut view, a);
        }
        let a = Action::Drill;
        let fx = update(&mut view, a);
        drive(&mut view, &mut ws, fx);
        assert_eq!(
            view.screen(),
            Screen::Contacts {
                kind: Kind::EmailTypo
            }
        );
        assert_eq!(view.contacts.len(), 1);
        assert_eq!(view.contacts[0].detail, "gmial.com → gmail.com");
        let a = Action::FixOne;
        let fx = update(&mut view, a);
        drive(&mut view, &mut ws, fx);
        assert_eq!(count(&view, Kind::EmailTypo), 0);
        assert_eq!(view.undo_stack.len(), 1);
        let a = Action::Undo;
        let fx = update(&mut view, a);
        drive(&mut view, &mut ws, fx);
        assert_eq!(count(&view, Kind::EmailTypo), 1);
        assert!(view.undo_stack.is_empty());
        let a = Action::Undo;
        update(&mut view, a);
        assert_eq!(view.message.as_deref(), Some("nothing to undo"));
    }

    #[test]
    fn forget_asks_first_and_cannot_be_undone() {
        let (_dir, mut ws) = workspace();
        let mut view = AuditView::default();
        let fx = update(&mut view, Action::Rerun);
        drive(&mut view, &mut ws, fx);
        let pos = view
            .audit
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.kind == Kind::RoleAccount)
            .unwrap();
        view.finding = pos;
        let fx = update(&mut view, Action::Drill);
        drive(&mut view, &mut ws, fx);
        let a = Action::Forget;
        assert!(
            update(&mut view, a).is_empty(),
            "nothing happens before confirming"
        );
        assert!(view
            .message
            .as_deref()
            .unwrap()
            .contains("cannot be undone"));
        let a = Action::Cancel;
        update(&mut view, a);
        assert!(view.confirm.is_none());
        update(&mut view, Action::Forget);
        let a = Action::Confirm;
        let fx = update(&mut view, a);
        drive(&mut view, &mut ws, fx);
        assert_eq!(count(&view, Kind::RoleAccount), 0);
        assert!(view.undo_stack.is_empty(), "forgetting is not undoable");
        assert_eq!(view.audit.as_ref().unwrap().contacts, 6);
    }

    #[test]
    fn suppress_all_from_the_findings_list() {
        let (_dir, mut ws) = workspace();
        let mut view = AuditView::default();
        let fx = update(&mut view, Action::Rerun);
        drive(&mut view, &mut ws, fx);
        view.finding = view
            .audit
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.kind == Kind::InvalidEmail)
            .unwrap();
        let a = Action::SuppressAll;
        let fx = update(&mut view, a);
        drive(&mut view, &mut ws, fx);
        assert_eq!(count(&view, Kind::InvalidEmail), 0);
        assert_eq!(view.audit.as_ref().unwrap().suppressed, 1);
    }

    #[test]
    fn cursor_stays_in_bounds() {
        let mut view = AuditView::default();
        update(&mut view, Action::Down);
        update(&mut view, Action::PageDown);
        update(&mut view, Action::Bottom);
        assert_eq!(view.finding, 0);
        update(&mut view, Action::Up);
        assert_eq!(view.finding, 0);
        assert!(update(&mut view, Action::Drill).is_empty());
        assert!(update(&mut view, Action::FixOne).is_empty());
    }

    #[test]
    fn long_findings_load_page_by_page() {
        let (_dir, mut ws) = workspace();
        let mut view = AuditView::default();
        let fx = update(&mut view, Action::Rerun);
        drive(&mut view, &mut ws, fx);
        view.finding = view
            .audit
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.kind == Kind::MissingName)
            .unwrap();
        let total = view.audit.as_ref().unwrap().affected[&Kind::MissingName].len();
        assert_eq!(total, 3);
        let fx = update(&mut view, Action::Drill);
        drive_paged(&mut view, &mut ws, fx, 1);
        assert_eq!(view.contacts.len(), 1);
        for _ in 0..total {
            let fx = update(&mut view, Action::Down);
            drive_paged(&mut view, &mut ws, fx, 1);
        }
        assert_eq!(view.contacts.len(), total);
        assert_eq!(view.contact, total - 1);
        assert!(!view.loading);
    }

    #[test]
    fn bars() {
        assert_eq!(bar(0.5, 4, true), "##  ");
        assert_eq!(bar(1.0, 3, false), "███");
        assert_eq!(bar(0.0, 3, false), "   ");
        assert_eq!(bar(0.5, 3, false).chars().count(), 3);
        assert_eq!(bar(f64::NAN, 2, true), "  ");
        assert_eq!(bar(7.0, 2, true), "##");
    }
}
