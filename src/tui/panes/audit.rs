//! The Audit pane: the list's health score with its breakdown and the findings by impact,
//! then — with `Enter` — the contacts of one finding, page by page, each with what the
//! rule found and the fix it suggests; per contact fix, suppress, ignore or forget, per
//! finding fix or suppress all; `u` undoes this session's last change.
//!
//! The state and its transitions are [`crate::audit::view`]; this module maps keys to its
//! actions through keymap tables, turns its effects into reads for the workers (the audit
//! runs on the auditor thread with progress, pages on the reader) and writer jobs (one
//! transaction and log entry per change), and draws.

use crate::audit::view::{self, AuditView, Screen, Shared};
use crate::audit::{Finding, Penalty, RunSummary, Severity};
use crate::text::inert;
use crate::tui::action::{Action, Effect, JobEvent, ReadReply, ReadRequest, WriteRequest};
use crate::tui::fit::{count_of, group_digits, keep_start, wrap};
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::layout::centered;
use crate::tui::panes::Pane;
use crate::tui::queries::format_date;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::popup;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};
use std::sync::Arc;

/// Width of the share bar in the findings list.
const BAR: usize = 10;

const fn bind(
    keys: &'static [Key],
    command: Command,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        command,
        desc,
        hint,
    }
}

const FINDINGS_KEYS: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Enter)],
        Command::Open,
        "open the finding's contacts",
        Some("open"),
    ),
    bind(
        &[Key::char('A')],
        Command::FixAll,
        "fix all of the finding",
        Some("fix all"),
    ),
    bind(
        &[Key::char('S')],
        Command::SuppressAll,
        "suppress all of the finding",
        None,
    ),
    bind(
        &[Key::char('u')],
        Command::Undo,
        "undo the last change",
        Some("undo"),
    ),
    bind(
        &[Key::char('r')],
        Command::Rerun,
        "re-run the audit",
        Some("re-run"),
    ),
];

const CONTACT_KEYS: &[Binding] = &[
    bind(
        &[Key::char('f')],
        Command::Fix,
        "apply the suggested fix",
        Some("fix"),
    ),
    bind(
        &[Key::char('s')],
        Command::Suppress,
        "suppress this contact",
        Some("suppress"),
    ),
    bind(
        &[Key::char('i')],
        Command::Ignore,
        "ignore the finding for it",
        None,
    ),
    bind(
        &[Key::char('F')],
        Command::Forget,
        "forget: erase, cannot undo",
        None,
    ),
    bind(
        &[Key::char('A')],
        Command::FixAll,
        "fix all of the finding",
        None,
    ),
    bind(
        &[Key::char('S')],
        Command::SuppressAll,
        "suppress all of the finding",
        None,
    ),
    bind(
        &[Key::char('u')],
        Command::Undo,
        "undo the last change",
        Some("undo"),
    ),
    bind(&[Key::char('r')], Command::Rerun, "re-run the audit", None),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "back to the findings",
        Some("back"),
    ),
];

const FORGET_KEYS: &[Binding] = &[
    bind(
        &[Key::char('y')],
        Command::Yes,
        "forget the contact for good",
        Some("forget for good"),
    ),
    bind(
        &[Key::char('n'), Key::code(KeyCode::Esc)],
        Command::No,
        "keep the contact",
        Some("cancel"),
    ),
];

/// State of the Audit pane: the audit view plus which audit run is wanted.
#[derive(Debug, Default)]
pub struct AuditPane {
    view: AuditView,
    /// Increases with every audit asked for; older results and progress are dropped.
    generation: u64,
    /// The newest stored audit run (saved by `listwarden audit`), shown until the first
    /// audit of this session is done.
    saved: Option<RunSummary>,
}

impl AuditPane {
    fn apply(&mut self, action: view::Action) -> Vec<Effect> {
        view::update(&mut self.view, action)
            .into_iter()
            .filter_map(|effect| self.effect(effect))
            .collect()
    }

    fn effect(&mut self, effect: view::Effect) -> Option<Effect> {
        Some(match effect {
            view::Effect::RunAudit => {
                self.generation += 1;
                Effect::Read(ReadRequest::Audit {
                    generation: self.generation,
                })
            }
            view::Effect::LoadContacts { kind, offset } => {
                Effect::Read(ReadRequest::AuditContacts {
                    audit: Shared(Arc::clone(self.view.audit.as_ref()?)),
                    kind,
                    offset,
                    len: view::PAGE,
                })
            }
            view::Effect::Write(edit) => Effect::Write(WriteRequest::Audit { id: 0, edit }),
        })
    }

    fn is_current(&self, audit: &Shared) -> bool {
        self.view
            .audit
            .as_ref()
            .is_some_and(|a| Arc::ptr_eq(a, &audit.0))
    }

    fn reply(&mut self, reply: &ReadReply) -> Vec<Effect> {
        match reply {
            ReadReply::AuditProgress {
                generation,
                done,
                total,
            } if *generation == self.generation && self.view.running.is_some() => {
                self.apply(view::Action::Progress(*done, *total))
            }
            ReadReply::Audit { generation, audit } if *generation == self.generation => {
                self.apply(view::Action::AuditDone(Arc::clone(&audit.0)))
            }
            ReadReply::AuditContacts {
                audit,
                kind,
                offset,
                page,
            } if self.is_current(audit) => {
                self.apply(view::Action::ContactsLoaded(*kind, *offset, page.clone()))
            }
            ReadReply::LastAuditRun(run) => {
                self.saved = run.clone();
                Vec::new()
            }
            ReadReply::Failed { what, message } if what.starts_with("audit") => {
                self.view.running = None;
                self.view.loading = false;
                self.view.message = Some(format!("{what}: {message}"));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn command(&mut self, command: Command) -> Vec<Effect> {
        use view::Action as A;
        let action = match command {
            Command::Up => A::Up,
            Command::Down => A::Down,
            Command::Top => A::Top,
            Command::Bottom => A::Bottom,
            Command::PageUp | Command::HalfPageUp => A::PageUp,
            Command::PageDown | Command::HalfPageDown => A::PageDown,
            Command::Open => A::Drill,
            Command::Back => A::Back,
            Command::Rerun => A::Rerun,
            Command::Fix => A::FixOne,
            Command::FixAll => A::FixAll,
            Command::Suppress => A::SuppressOne,
            Command::SuppressAll => A::SuppressAll,
            Command::Ignore => A::IgnoreOne,
            Command::Forget => A::Forget,
            Command::Undo => A::Undo,
            Command::Yes => A::Confirm,
            Command::No => A::Cancel,
            _ => return Vec::new(),
        };
        self.apply(action)
    }

    fn render_findings(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [info, breakdown, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        self.render_info(info, buf, theme);
        let Some(audit) = &self.view.audit else {
            if let Some(saved) = &self.saved {
                breakdown_line(&saved.breakdown, breakdown, buf, theme);
            }
            return;
        };
        breakdown_line(&audit.breakdown, breakdown, buf, theme);
        let Some(selected) = audit.findings.get(self.view.finding) else {
            Paragraph::new(" No findings: the list is healthy.")
                .style(theme.style(Role::Ok))
                .render(body, buf);
            return;
        };
        let [table_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(6)]).areas(body);
        let header = Row::new(["Severity", "Finding", "Contacts", "Share", ""])
            .style(theme.style(Role::Title));
        let rows = audit.findings.iter().map(|f| finding_row(f, theme));
        let widths = [
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(BAR as u16),
        ];
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(theme.style(Role::Base))
            .row_highlight_style(theme.style(Role::Selection));
        let mut state = TableState::default().with_selected(Some(self.view.finding));
        StatefulWidget::render(table, table_area, buf, &mut state);
        let mut lines = Vec::new();
        let width = detail_area.width.saturating_sub(4) as usize;
        if !selected.fields.is_empty() {
            let usable: Vec<&str> = selected
                .fields
                .iter()
                .filter(|f| f.verdict == "usable")
                .map(|f| f.field.as_str())
                .collect();
            let usable = if usable.is_empty() {
                "none".to_string()
            } else {
                usable.join(", ")
            };
            lines.extend(wrap(&format!("Usable: {usable}"), width, 1));
        } else {
            lines.extend(wrap(selected.why, width, 2));
        }
        let action = wrap(selected.action, width.saturating_sub(2), 2);
        for (i, line) in action.into_iter().enumerate() {
            lines.push(format!("{}{line}", if i == 0 { "→ " } else { "  " }));
        }
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(
                format!(" {} ", selected.title),
                theme.style(Role::Title),
            ))
            .border_style(theme.style(Role::Muted));
        let inner = block.inner(detail_area);
        block.render(detail_area, buf);
        let mut shown: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), theme.style(Role::Base)))
            .collect();
        if let Some(message) = &self.view.message {
            shown.push(message_line(message, theme));
        }
        Paragraph::new(shown).render(inner, buf);
    }

    /// The score line: health, contacts, mailable, suppressed, and progress when running.
    fn render_info(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut spans = Vec::new();
        match &self.view.audit {
            Some(audit) => {
                let role = match audit.score {
                    80.. => Role::ScoreHigh,
                    50..=79 => Role::ScoreMid,
                    _ => Role::ScoreLow,
                };
                spans.push(Span::styled(
                    format!(" Health {}/100", audit.score),
                    theme.style(role),
                ));
                spans.push(Span::styled(
                    format!(
                        " · {} · {} mailable · {} suppressed",
                        count_of(audit.contacts, "contact", "contacts"),
                        group_digits(audit.mailable),
                        group_digits(audit.suppressed)
                    ),
                    theme.style(Role::Muted),
                ));
            }
            None => match &self.saved {
                Some(run) => spans.push(Span::styled(
                    format!(
                        " Health {}/100 at the saved audit of {} ({})",
                        run.score,
                        format_date(run.at),
                        count_of(run.contacts.max(0) as u64, "contact", "contacts")
                    ),
                    theme.style(Role::Muted),
                )),
                None => spans.push(Span::styled(" Audit", theme.style(Role::Title))),
            },
        }
        if let Some((done, total)) = self.view.running {
            let progress = if total > 0 {
                format!(
                    " · auditing {} of {}…",
                    group_digits(done.min(total) as u64),
                    group_digits(total as u64)
                )
            } else {
                " · auditing…".to_string()
            };
            spans.push(Span::styled(progress, theme.style(Role::Warn)));
        }
        Line::from(spans).render(area, buf);
    }

    fn render_contacts(
        &self,
        kind: crate::audit::Kind,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let [info, body, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(2),
            Constraint::Length(5),
        ])
        .areas(area);
        let total = self
            .view
            .audit
            .as_ref()
            .and_then(|a| a.affected.get(&kind))
            .map_or(0, Vec::len);
        let mut spans = vec![
            Span::styled(format!(" {}", kind.title()), theme.style(Role::Title)),
            Span::styled(
                format!(
                    " · {} · {} shown",
                    count_of(total as u64, "contact", "contacts"),
                    group_digits(self.view.contacts.len() as u64)
                ),
                theme.style(Role::Muted),
            ),
        ];
        if self.view.loading || self.view.running.is_some() {
            spans.push(Span::styled(" · loading…", theme.style(Role::Warn)));
        }
        Line::from(spans).render(info, buf);
        if self.view.contacts.is_empty() {
            if !self.view.loading && self.view.running.is_none() {
                Paragraph::new(" No contact has this finding any more: resolved.")
                    .style(theme.style(Role::Ok))
                    .render(body, buf);
            }
        } else {
            let header = Row::new(["Contact", "Email", "Found"]).style(theme.style(Role::Title));
            let rows = self.view.contacts.iter().map(|c| {
                Row::new([
                    Cell::from(format!("#{}", c.contact_id)),
                    Cell::from(inert(c.email.as_deref().unwrap_or("(no email)")).into_owned()),
                    Cell::from(inert(&c.detail).into_owned()),
                ])
            });
            // Addresses are shorter than what the rules found ("bounce event, status
            // still subscribed").
            let widths = [
                Constraint::Length(8),
                Constraint::Fill(4),
                Constraint::Fill(5),
            ];
            let table = Table::new(rows, widths)
                .header(header)
                .column_spacing(1)
                .style(theme.style(Role::Base))
                .row_highlight_style(theme.style(Role::Selection));
            let mut state = TableState::default().with_selected(Some(self.view.contact));
            StatefulWidget::render(table, body, buf, &mut state);
        }
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(" Suggested fix ", theme.style(Role::Title)))
            .border_style(theme.style(Role::Muted));
        let inner = block.inner(detail_area);
        block.render(detail_area, buf);
        let width = inner.width.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(example) = self.view.selected_example() {
            let text = match self.view.fixes.get(&example.contact_id) {
                Some(fixes) => format!("f applies: {}", fixes.join("; ")),
                None => format!("No automatic fix. {}", kind.action()),
            };
            lines.extend(
                wrap(&inert(&text), width, 3)
                    .into_iter()
                    .map(|l| Line::styled(format!(" {l}"), theme.style(Role::Base))),
            );
        }
        if let Some(message) = self
            .view
            .message
            .as_ref()
            .filter(|_| self.view.confirm.is_none())
        {
            lines.truncate(2);
            lines.push(message_line(message, theme));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    fn render_confirm(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let outer = centered(area, 60, 7);
        let inner = popup(outer, "Forget contact", buf, theme);
        let width = inner.width.saturating_sub(2) as usize;
        let text = self.view.message.as_deref().unwrap_or_default();
        let mut lines: Vec<Line> = wrap(text, width, 3)
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), theme.style(Role::Warn)))
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled(" y", theme.style(Role::Focus)),
            Span::styled(" forget for good   ", theme.style(Role::Base)),
            Span::styled("n/Esc", theme.style(Role::Focus)),
            Span::styled(" cancel", theme.style(Role::Base)),
        ]));
        Paragraph::new(lines).render(inner, buf);
    }
}

/// The points the score lost, biggest first.
fn breakdown_line(breakdown: &[Penalty], area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lost: Vec<&Penalty> = breakdown.iter().filter(|p| p.penalty > 0.0).collect();
    lost.sort_by(|a, b| b.penalty.total_cmp(&a.penalty));
    let text = if lost.is_empty() {
        " Nothing lost: no finding costs points.".to_string()
    } else {
        let parts: Vec<String> = lost
            .iter()
            .map(|p| format!("{} −{:.1}", inert(&p.kind), p.penalty))
            .collect();
        format!(" Lost: {}", parts.join(" · "))
    };
    Line::styled(
        keep_start(&text, area.width as usize),
        theme.style(Role::Muted),
    )
    .render(area, buf);
}

fn message_line(message: &str, theme: &Theme) -> Line<'static> {
    Line::styled(format!(" {}", inert(message)), theme.style(Role::Warn))
}

fn finding_row(f: &Finding, theme: &Theme) -> Row<'static> {
    let role = match f.severity {
        Severity::Critical | Severity::High => Role::Error,
        Severity::Medium => Role::Warn,
        Severity::Low | Severity::Info => Role::Muted,
    };
    let count = if f.fields.is_empty() {
        group_digits(f.count)
    } else {
        count_of(f.count, "field", "fields")
    };
    Row::new([
        Cell::from(Span::styled(f.severity.as_str(), theme.style(role))),
        Cell::from(f.title),
        Cell::from(Line::from(count).right_aligned()),
        Cell::from(Line::from(format!("{:.1}%", f.share * 100.0)).right_aligned()),
        Cell::from(Span::styled(
            view::bar(f.share, BAR, false),
            theme.style(role),
        )),
    ])
}

impl Pane for AuditPane {
    fn title(&self) -> &'static str {
        "Audit"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        if self.view.confirm.is_some() {
            return vec![FORGET_KEYS];
        }
        match self.view.screen() {
            Screen::Findings => vec![FINDINGS_KEYS, keymap::LIST_MOTION],
            Screen::Contacts { .. } => vec![CONTACT_KEYS, keymap::LIST_MOTION],
        }
    }

    /// The forget question takes every key: nothing else (not even `q`) may act while it
    /// is open.
    fn captures_text(&self) -> bool {
        false
    }

    fn asking(&self) -> bool {
        self.view.confirm.is_some()
    }

    fn handle_key(&self, key: &KeyEvent) -> Option<Action> {
        keymap::lookup(&self.bindings(), key).map(Action::Command)
    }

    fn update(&mut self, action: &Action) -> Vec<Effect> {
        match action {
            Action::Command(command) => self.command(*command),
            Action::Read(reply) => self.reply(reply),
            Action::Job(JobEvent::AuditEdited { edit, result }) => {
                view::record(&mut self.view, edit, result);
                self.apply(view::Action::Changed(result.clone()))
            }
            _ => Vec::new(),
        }
    }

    fn resize(&mut self, _area: Rect) -> Vec<Effect> {
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.view.audit.is_none() && self.saved.is_none() {
            effects.push(Effect::Read(ReadRequest::LastAuditRun));
        }
        effects.extend(self.apply(view::Action::Rerun));
        effects
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        match self.view.screen() {
            Screen::Findings => self.render_findings(area, buf, theme),
            Screen::Contacts { kind } => self.render_contacts(kind, area, buf, theme),
        }
        if self.view.confirm.is_some() {
            self.render_confirm(area, buf, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::view::{Change, Edit};
    use crate::audit::Kind;
    use crate::tui::jobs::Reader;
    use crate::workspace::Workspace;
    use crossterm::event::KeyModifiers;
    use std::collections::VecDeque;

    /// Carries effects out the way the workers and the app would: audits, pages, and
    /// writes (whose success makes the app refresh every pane).
    fn settle(pane: &mut AuditPane, ws: &mut Workspace, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut reader = Reader::default();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Read(ReadRequest::Audit { generation }) => {
                    let audit = crate::audit::run(ws.conn(), ws.clock().now_ts()).unwrap();
                    let reply = ReadReply::Audit {
                        generation,
                        audit: Shared(Arc::new(audit)),
                    };
                    queue.extend(pane.update(&Action::Read(reply)));
                }
                Effect::Read(request) => {
                    let mut replies = Vec::new();
                    reader
                        .answer(ws.conn(), &request, &mut |r| replies.push(r))
                        .unwrap();
                    for reply in replies {
                        queue.extend(pane.update(&Action::Read(reply)));
                    }
                }
                Effect::Write(WriteRequest::Audit { edit, .. }) => {
                    let result = edit.perform(ws).map_err(|e| e.to_string());
                    let ok = result.is_ok();
                    let event = JobEvent::AuditEdited { edit, result };
                    queue.extend(pane.update(&Action::Job(event)));
                    if ok {
                        queue.extend(pane.refresh());
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn press(pane: &mut AuditPane, ws: &mut Workspace, c: KeyCode) {
        let key = KeyEvent::new(c, KeyModifiers::NONE);
        if let Some(action) = pane.handle_key(&key) {
            let effects = pane.update(&action);
            settle(pane, ws, effects);
        }
    }

    fn count(pane: &AuditPane, kind: Kind) -> u64 {
        pane.view
            .audit
            .as_ref()
            .and_then(|a| a.finding(kind))
            .map_or(0, |f| f.count)
    }

    fn opened() -> (tempfile::TempDir, Workspace, AuditPane) {
        let (dir, mut ws) = view::tests::workspace();
        let mut pane = AuditPane::default();
        let effects = pane.refresh();
        settle(&mut pane, &mut ws, effects);
        (dir, ws, pane)
    }

    fn select(pane: &mut AuditPane, ws: &mut Workspace, kind: Kind) {
        press(pane, ws, KeyCode::Char('g'));
        while pane.view.selected_kind() != Some(kind) {
            let before = pane.view.finding;
            press(pane, ws, KeyCode::Char('j'));
            assert_ne!(before, pane.view.finding, "{kind} not in the list");
        }
    }

    #[test]
    fn drill_in_fix_and_undo_by_keys() {
        let (_dir, mut ws, mut pane) = opened();
        assert_eq!(count(&pane, Kind::EmailTypo), 1);
        assert_eq!(pane.bindings(), vec![FINDINGS_KEYS, keymap::LIST_MOTION]);
        select(&mut pane, &mut ws, Kind::EmailTypo);
        press(&mut pane, &mut ws, KeyCode::Enter);
        assert_eq!(pane.bindings(), vec![CONTACT_KEYS, keymap::LIST_MOTION]);
        let anna = pane.view.contacts[0].clone();
        assert_eq!(anna.detail, "gmial.com → gmail.com");
        assert!(pane.view.fixes[&anna.contact_id]
            .iter()
            .any(|f| f == "email → anna@gmail.com"));
        // `f` asks the writer for one fix of that contact; the app gives it its id.
        let f = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::NONE);
        let action = pane.handle_key(&f).unwrap();
        let effects = pane.update(&action);
        assert_eq!(
            effects,
            vec![Effect::Write(WriteRequest::Audit {
                id: 0,
                edit: Edit::Apply(Change::Fix {
                    kind: Kind::EmailTypo,
                    ids: vec![anna.contact_id]
                })
            })]
        );
        settle(&mut pane, &mut ws, effects);
        assert_eq!(count(&pane, Kind::EmailTypo), 0);
        assert!(pane.view.contacts.is_empty(), "resolved");
        assert_eq!(pane.view.undo_stack.len(), 1);
        press(&mut pane, &mut ws, KeyCode::Char('u'));
        assert_eq!(count(&pane, Kind::EmailTypo), 1);
        assert_eq!(pane.view.contacts, vec![anna]);
        press(&mut pane, &mut ws, KeyCode::Esc);
        assert_eq!(pane.view.screen(), Screen::Findings);
        assert_eq!(pane.view.selected_kind(), Some(Kind::EmailTypo));
    }

    #[test]
    fn forget_asks_with_its_own_keys_and_n_keeps_the_contact() {
        let (_dir, mut ws, mut pane) = opened();
        select(&mut pane, &mut ws, Kind::RoleAccount);
        press(&mut pane, &mut ws, KeyCode::Enter);
        press(&mut pane, &mut ws, KeyCode::Char('F'));
        assert_eq!(pane.bindings(), vec![FORGET_KEYS]);
        // Other keys do nothing while the question is open.
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(pane.handle_key(&j), None);
        assert!(pane.asking(), "global keys like q are not looked up");
        press(&mut pane, &mut ws, KeyCode::Char('n'));
        assert!(pane.view.confirm.is_none());
        assert_eq!(count(&pane, Kind::RoleAccount), 1);
        press(&mut pane, &mut ws, KeyCode::Char('F'));
        press(&mut pane, &mut ws, KeyCode::Char('y'));
        assert_eq!(count(&pane, Kind::RoleAccount), 0);
        assert!(
            pane.view.undo_stack.is_empty(),
            "forgetting cannot be undone"
        );
    }

    #[test]
    fn only_the_newest_audit_and_its_progress_are_shown() {
        let (_dir, ws, mut pane) = opened();
        let shown = pane.view.audit.clone().unwrap();
        let old = pane.generation;
        let effects = pane.refresh();
        assert_eq!(
            effects,
            vec![Effect::Read(ReadRequest::Audit {
                generation: old + 1
            })]
        );
        pane.update(&Action::Read(ReadReply::AuditProgress {
            generation: old,
            done: 1,
            total: 9,
        }));
        assert_eq!(pane.view.running, Some((0, 0)));
        pane.update(&Action::Read(ReadReply::AuditProgress {
            generation: old + 1,
            done: 3,
            total: 7,
        }));
        assert_eq!(pane.view.running, Some((3, 7)));
        let stale = crate::audit::run(ws.conn(), ws.clock().now_ts()).unwrap();
        pane.update(&Action::Read(ReadReply::Audit {
            generation: old,
            audit: Shared(Arc::new(stale)),
        }));
        assert!(Arc::ptr_eq(pane.view.audit.as_ref().unwrap(), &shown));
        // A failed audit stops the progress and says why.
        let effects = pane.update(&Action::Read(ReadReply::Failed {
            what: "audit",
            message: "disk I/O error".into(),
        }));
        assert!(effects.is_empty());
        assert_eq!(pane.view.running, None);
        assert_eq!(pane.view.message.as_deref(), Some("audit: disk I/O error"));
    }

    #[test]
    fn a_failed_edit_is_shown_and_not_undoable() {
        let (_dir, mut ws, mut pane) = opened();
        select(&mut pane, &mut ws, Kind::RoleAccount);
        // Role accounts have no automatic fix: the writer says so.
        press(&mut pane, &mut ws, KeyCode::Char('A'));
        assert!(pane
            .view
            .message
            .as_deref()
            .is_some_and(|m| m.contains("nothing to fix")));
        assert!(pane.view.undo_stack.is_empty());
    }

    #[test]
    fn the_saved_audit_shows_until_the_fresh_one_is_done() {
        let (_dir, mut ws) = view::tests::workspace();
        let audit = crate::audit::run(ws.conn(), ws.clock().now_ts()).unwrap();
        crate::audit::save_run(&mut ws, &audit).unwrap();
        let mut pane = AuditPane::default();
        let effects = pane.refresh();
        assert_eq!(effects.len(), 2, "{effects:?}");
        let mut replies = Vec::new();
        Reader::default()
            .answer(ws.conn(), &ReadRequest::LastAuditRun, &mut |r| {
                replies.push(r)
            })
            .unwrap();
        for reply in replies {
            pane.update(&Action::Read(reply));
        }
        let theme = Theme::load_from("mono", None).unwrap();
        let area = Rect::new(0, 0, 80, 21);
        let mut buf = Buffer::empty(area);
        pane.render(area, &mut buf, &theme);
        let top: String = (0..80)
            .map(|x| buf.cell((x, 0)).map_or(" ", |c| c.symbol()))
            .collect();
        assert!(
            top.contains(&format!(
                "Health {}/100 at the saved audit of 2026-01-01",
                audit.score
            )),
            "{top}"
        );
        assert!(top.contains("auditing…"), "{top}");
        // Once the audit has results, a refresh no longer asks for the saved one.
        settle(&mut pane, &mut ws, effects);
        assert_eq!(pane.refresh().len(), 1);
    }
}
