//! The Log pane: every change made to the workspace (imports, merges, fixes, segment
//! saves, exports, undos...), newest first, with who made it and when; `Enter` shows an
//! entry's field-level before/after and the contacts it touched, `u` undoes a reversible
//! entry through the writer after a confirmation.
//!
//! Like the Contacts pane, only a window of rows around the visible page lives here; each
//! page is read on the reader worker with the filter (text, kind, user) and tagged with the
//! view's generation, so answers for an older filter are dropped. A workspace change (an
//! import here or a CLI run elsewhere) reloads the view, so new entries appear by themselves.

use crate::maintenance::log::{Detail, Entry, Filter};
use crate::text::inert;
use crate::tui::action::{Action, Effect, JobId, ReadReply, ReadRequest, WriteRequest};
use crate::tui::fit::count_of;
use crate::tui::input::LineInput;
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::layout;
use crate::tui::panes::detail::{self, DetailLine, BLANK, LABEL_WIDTH};
use crate::tui::panes::Pane;
use crate::tui::queries::format_time;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::popup;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap};

/// Rows fetched beyond the visible page on each side.
const MARGIN: usize = 40;
/// Undo jobs of this pane are numbered from here, apart from the app's import jobs.
const FIRST_JOB: JobId = super::first_job(5);

const LIST_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::code(KeyCode::Enter)],
        command: Command::Open,
        desc: "details: changes, contacts",
        hint: Some("details"),
    },
    Binding {
        keys: &[Key::char('u')],
        command: Command::Undo,
        desc: "undo the selected change",
        hint: Some("undo"),
    },
    Binding {
        keys: &[Key::char('/')],
        command: Command::Filter,
        desc: "filter by summary text",
        hint: Some("filter"),
    },
    Binding {
        keys: &[Key::char('f')],
        command: Command::CycleKind,
        desc: "next kind filter",
        hint: Some("kind"),
    },
    Binding {
        keys: &[Key::char('U')],
        command: Command::CycleUser,
        desc: "next user filter",
        hint: None,
    },
    Binding {
        keys: &[Key::code(KeyCode::Esc)],
        command: Command::Back,
        desc: "clear the filters",
        hint: None,
    },
];

const DETAIL_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        command: Command::Back,
        desc: "back to the log",
        hint: Some("back"),
    },
    Binding {
        keys: &[Key::char('u')],
        command: Command::Undo,
        desc: "undo this change",
        hint: Some("undo"),
    },
    Binding {
        keys: &[Key::char('j'), Key::code(KeyCode::Down)],
        command: Command::Down,
        desc: "scroll down",
        hint: Some("scroll"),
    },
    Binding {
        keys: &[Key::char('k'), Key::code(KeyCode::Up)],
        command: Command::Up,
        desc: "scroll up",
        hint: None,
    },
    Binding {
        keys: &[Key::char('g'), Key::code(KeyCode::Home)],
        command: Command::Top,
        desc: "top",
        hint: None,
    },
    Binding {
        keys: &[Key::char('G'), Key::code(KeyCode::End)],
        command: Command::Bottom,
        desc: "bottom",
        hint: None,
    },
];

/// One entry opened with `Enter`.
#[derive(Debug, Clone, PartialEq)]
struct Opened {
    entry: Entry,
    /// `None` while loading; `Some(None)` when the entry is gone.
    detail: Option<Option<Box<Detail>>>,
    scroll: usize,
}

/// A line under the info bar: what just happened or why something was refused.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    role: Role,
    text: String,
}

/// State of the Log pane.
#[derive(Debug, Clone)]
pub struct LogPane {
    filter: Filter,
    /// Some while the user types the text filter.
    input: Option<LineInput>,
    /// Kinds and users the log holds, from the last page read.
    kinds: Vec<String>,
    users: Vec<String>,
    generation: u64,
    total: Option<usize>,
    loading: bool,
    cursor: usize,
    offset: usize,
    window_generation: u64,
    window_start: usize,
    window: Vec<Entry>,
    requested: Option<(u64, usize)>,
    height: usize,
    /// The pane's width, where a detail view's long lines wrap.
    width: u16,
    opened: Option<Opened>,
    /// The entry `u` asked to undo, waiting for `y`/`n`.
    confirm: Option<Entry>,
    next_job: JobId,
    notice: Option<Notice>,
}

impl Default for LogPane {
    fn default() -> Self {
        LogPane {
            filter: Filter::default(),
            input: None,
            kinds: Vec::new(),
            users: Vec::new(),
            generation: 0,
            total: None,
            loading: false,
            cursor: 0,
            offset: 0,
            window_generation: 0,
            window_start: 0,
            window: Vec::new(),
            requested: None,
            height: 1,
            width: 80,
            opened: None,
            confirm: None,
            next_job: FIRST_JOB,
            notice: None,
        }
    }
}

/// The value after `current` in `values`, then none (no filter) after the last.
fn cycle(values: &[String], current: Option<&String>) -> Option<String> {
    match current.and_then(|c| values.iter().position(|v| v == c)) {
        Some(i) => values.get(i + 1).cloned(),
        None if current.is_some() => None,
        None => values.first().cloned(),
    }
}

impl LogPane {
    fn row(&self, index: usize) -> Option<&Entry> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.window.get(i))
    }

    fn page_request(&mut self, start: usize) -> Effect {
        self.requested = Some((self.generation, start));
        Effect::Read(ReadRequest::LogPage {
            generation: self.generation,
            filter: self.filter.clone(),
            start,
            len: self.height + 2 * MARGIN,
        })
    }

    /// Asks for a new view (new filter or data); `keep_cursor` on data refreshes.
    fn new_view(&mut self, keep_cursor: bool) -> Vec<Effect> {
        self.generation += 1;
        self.loading = true;
        if !keep_cursor {
            self.cursor = 0;
            self.offset = 0;
        }
        let start = self.offset.saturating_sub(MARGIN);
        vec![self.page_request(start)]
    }

    fn move_to(&mut self, target: usize) -> Vec<Effect> {
        let total = self.total.unwrap_or(0);
        self.cursor = target.min(total.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.height {
            self.offset = self.cursor + 1 - self.height;
        }
        self.offset = self.offset.min(total.saturating_sub(self.height));
        self.ensure_window()
    }

    /// Requests a page when the visible rows, plus half a margin each side, are not all
    /// in the window of the current view.
    fn ensure_window(&mut self) -> Vec<Effect> {
        let Some(total) = self.total.filter(|_| !self.loading) else {
            return Vec::new();
        };
        let want_start = self.offset.saturating_sub(MARGIN / 2);
        let want_end = (self.offset + self.height + MARGIN / 2).min(total);
        let covered = self.window_generation == self.generation
            && self.window_start <= want_start
            && self.window_start + self.window.len() >= want_end;
        let start = self.offset.saturating_sub(MARGIN);
        if covered || want_start >= want_end || self.requested == Some((self.generation, start)) {
            return Vec::new();
        }
        vec![self.page_request(start)]
    }

    fn list_command(&mut self, command: Command) -> Vec<Effect> {
        let page = self.height.max(1);
        match command {
            Command::Down => self.move_to(self.cursor + 1),
            Command::Up => self.move_to(self.cursor.saturating_sub(1)),
            Command::Top => self.move_to(0),
            Command::Bottom => self.move_to(usize::MAX),
            Command::PageDown => self.move_to(self.cursor + page),
            Command::PageUp => self.move_to(self.cursor.saturating_sub(page)),
            Command::HalfPageDown => self.move_to(self.cursor + page.div_ceil(2)),
            Command::HalfPageUp => self.move_to(self.cursor.saturating_sub(page.div_ceil(2))),
            Command::Filter => {
                self.input = Some(LineInput::new(self.filter.text.as_deref().unwrap_or("")));
                Vec::new()
            }
            Command::CycleKind => {
                self.filter.kind = cycle(&self.kinds, self.filter.kind.as_ref());
                self.new_view(false)
            }
            Command::CycleUser => {
                self.filter.user = cycle(&self.users, self.filter.user.as_ref());
                self.new_view(false)
            }
            Command::Open => {
                let Some(entry) = self.row(self.cursor).cloned() else {
                    return Vec::new();
                };
                let id = entry.id;
                self.opened = Some(Opened {
                    entry,
                    detail: None,
                    scroll: 0,
                });
                vec![Effect::Read(ReadRequest::LogDetail { id })]
            }
            Command::Undo => {
                let entry = self.row(self.cursor).cloned();
                self.ask_undo(entry)
            }
            Command::Back if self.filter != Filter::default() => {
                self.filter = Filter::default();
                self.new_view(false)
            }
            _ => Vec::new(),
        }
    }

    /// `u` on `entry`: a question when it can be undone, else the reason it cannot.
    fn ask_undo(&mut self, entry: Option<Entry>) -> Vec<Effect> {
        let Some(entry) = entry else {
            return Vec::new();
        };
        let refusal = match entry.undone_by {
            Some(by) => Some(format!(
                "Entry {} was already undone by entry {by}.",
                entry.id
            )),
            None if !entry.undoable => Some(format!(
                "Entry {} ({}) cannot be undone.",
                entry.id,
                inert(&entry.kind)
            )),
            None => None,
        };
        match refusal {
            Some(text) => {
                self.notice = Some(Notice {
                    role: Role::Warn,
                    text,
                })
            }
            None => self.confirm = Some(entry),
        }
        Vec::new()
    }

    fn confirm_command(&mut self, command: Command) -> Vec<Effect> {
        let Some(entry) = self.confirm.take() else {
            return Vec::new();
        };
        if command != Command::Yes {
            return Vec::new();
        }
        let id = self.next_job;
        self.next_job += 1;
        self.notice = Some(Notice {
            role: Role::Muted,
            text: format!("Undoing entry {}…", entry.id),
        });
        vec![Effect::Write(WriteRequest::UndoLog {
            id,
            log_id: entry.id,
        })]
    }

    fn detail_command(&mut self, command: Command) -> Vec<Effect> {
        let page = self.height.max(1);
        let Some(opened) = self.opened.as_mut() else {
            return Vec::new();
        };
        let last = opened
            .detail
            .as_ref()
            .map_or(0, |d| {
                let lines = detail_lines(&opened.entry, d.as_deref());
                detail::height(&lines, LABEL_WIDTH, self.width)
            })
            .saturating_sub(page);
        opened.scroll = match command {
            Command::Back => {
                self.opened = None;
                return Vec::new();
            }
            Command::Undo => {
                let entry = opened.entry.clone();
                return self.ask_undo(Some(entry));
            }
            Command::Down => opened.scroll + 1,
            Command::Up => opened.scroll.saturating_sub(1),
            Command::Top => 0,
            Command::Bottom => last,
            _ => opened.scroll,
        }
        .min(last);
        Vec::new()
    }

    fn input_action(&mut self, action: &Action) -> Vec<Effect> {
        let Some(input) = self.input.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Text(key) if input.handle(*key) => {
                let value = input.value().to_string();
                self.filter.text = Some(value).filter(|v| !v.trim().is_empty());
                self.new_view(false)
            }
            Action::Command(Command::Accept) => {
                self.input = None;
                Vec::new()
            }
            Action::Command(Command::Back) => {
                self.input = None;
                self.filter.text = None;
                self.new_view(false)
            }
            _ => Vec::new(),
        }
    }

    fn reply(&mut self, reply: &ReadReply) -> Vec<Effect> {
        match reply {
            ReadReply::LogPage {
                generation,
                total,
                start,
                rows,
                kinds,
                users,
            } if *generation == self.generation => {
                self.loading = false;
                self.total = Some(*total);
                self.window_generation = *generation;
                self.window_start = *start;
                self.window = rows.clone();
                self.kinds = kinds.clone();
                self.users = users.clone();
                // The opened entry's undo state follows the log (undone here or elsewhere).
                if let Some(opened) = self.opened.as_mut() {
                    if let Some(fresh) = rows.iter().find(|r| r.id == opened.entry.id) {
                        opened.entry = fresh.clone();
                    }
                }
                let cursor = self.cursor;
                self.move_to(cursor)
            }
            ReadReply::LogDetail { id, detail } => {
                if let Some(opened) = self.opened.as_mut().filter(|o| o.entry.id == *id) {
                    if let Some(d) = detail {
                        opened.entry = d.entry.clone();
                    }
                    opened.detail = Some(detail.clone());
                }
                Vec::new()
            }
            ReadReply::Failed { what, message } if what.starts_with("log") => {
                self.loading = false;
                self.notice = Some(Notice {
                    role: Role::Error,
                    text: format!("{what}: {message}"),
                });
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn render_info(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(input) = &self.input {
            let [prompt, field] =
                Layout::horizontal([Constraint::Length(8), Constraint::Min(1)]).areas(area);
            Line::styled(" Filter ", theme.style(Role::Focus)).render(prompt, buf);
            input.render(field, buf, theme);
            return;
        }
        let mut spans = vec![Span::styled(
            match self.total {
                Some(n) => format!(" Log: {}", count_of(n as u64, "entry", "entries")),
                None => " Log".to_string(),
            },
            theme.style(Role::Title),
        )];
        let mut add = |label: &str, value: &Option<String>| {
            if let Some(v) = value {
                spans.push(Span::styled(
                    format!(" · {label} {}", inert(v)),
                    theme.style(Role::Match),
                ));
            }
        };
        add("kind", &self.filter.kind);
        add("user", &self.filter.user);
        add("matching", &self.filter.text);
        if self.loading {
            spans.push(Span::styled(" · loading…", theme.style(Role::Warn)));
        }
        Line::from(spans).render(area, buf);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let total = self.total.unwrap_or(0);
        if self.total == Some(0) && !self.loading {
            let message = if self.filter == Filter::default() {
                "Nothing has changed yet. Imports, merges, fixes and exports appear here."
            } else {
                "No entry matches these filters.  Esc clears them."
            };
            Paragraph::new(message)
                .style(theme.style(Role::Muted))
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let header = Row::new(["Time (UTC)", "User", "Kind", "Summary"].map(Cell::from))
            .style(theme.style(Role::Title));
        let visible = self.offset..(self.offset + self.height).min(total);
        let rows = visible.clone().map(|i| match self.row(i) {
            Some(e) => {
                // Marked in words, not only by colour (NO_COLOR), and before the summary
                // so that truncation never hides it.
                let (role, mark) = match e.undone_by {
                    Some(_) => (Role::Muted, "(undone) "),
                    None => (Role::Base, ""),
                };
                Row::new([
                    Cell::from(format_time(e.at)),
                    Cell::from(inert(&e.user).into_owned()),
                    Cell::from(inert(&e.kind).into_owned()),
                    Cell::from(format!("{mark}{}", inert(&e.summary))),
                ])
                .style(theme.style(role))
            }
            None => Row::new([Cell::from("…")]).style(theme.style(Role::Muted)),
        });
        let widths = [
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Fill(1),
        ];
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(theme.style(Role::Base))
            .row_highlight_style(theme.style(Role::Selection));
        let mut state = TableState::default();
        if visible.contains(&self.cursor) {
            state.select(Some(self.cursor - self.offset));
        }
        StatefulWidget::render(table, area, buf, &mut state);
    }

    fn render_detail(&self, opened: &Opened, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [title, notice, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        self.render_notice(notice, buf, theme);
        Line::from(vec![
            Span::styled(
                format!(" Entry {} · {}", opened.entry.id, inert(&opened.entry.kind)),
                theme.style(Role::Title),
            ),
            Span::styled(
                format!("  {}", inert(&opened.entry.summary)),
                theme.style(Role::Muted),
            ),
        ])
        .render(title, buf);
        let Some(detail) = &opened.detail else {
            Line::styled(" loading…", theme.style(Role::Muted)).render(body, buf);
            return;
        };
        let lines = detail_lines(&opened.entry, detail.as_deref());
        detail::render(&lines, LABEL_WIDTH, opened.scroll, body, buf, theme);
    }

    fn render_notice(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(n) = &self.notice {
            Line::styled(format!(" {}", n.text), theme.style(n.role)).render(area, buf);
        }
    }

    fn render_confirm(&self, entry: &Entry, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let inner = popup(layout::centered(area, 64, 6), "Undo?", buf, theme);
        Paragraph::new(vec![
            Line::styled(
                format!("Undo entry {} ({})?", entry.id, inert(&entry.kind)),
                theme.style(Role::Title),
            ),
            Line::raw(inert(&entry.summary).into_owned()),
            Line::from(vec![
                Span::styled("y", theme.style(Role::Focus)),
                Span::raw(" undo it (logged as a new entry)  "),
                Span::styled("n", theme.style(Role::Focus)),
                Span::raw(" keep it"),
            ]),
        ])
        .wrap(Wrap { trim: true })
        .render(inner, buf);
    }
}

/// The detail view of `entry` as plain lines: who and when, the undo state, the stored
/// details, every field change (before → after) and the contacts touched.
fn detail_lines(entry: &Entry, detail: Option<&Detail>) -> Vec<DetailLine> {
    let line = |role, label: &str, text: String| DetailLine {
        role,
        label: label.to_string(),
        text,
    };
    let heading = |text: String| line(Role::Title, "", text);
    let Some(d) = detail else {
        return vec![line(
            Role::Warn,
            "",
            "This entry no longer exists.".to_string(),
        )];
    };
    let mut out = vec![
        line(Role::Base, "When (UTC)", format_time(entry.at)),
        line(Role::Base, "User", entry.user.clone()),
        line(Role::Base, "Kind", entry.kind.clone()),
        line(Role::Base, "Summary", entry.summary.clone()),
    ];
    let undo = match entry.undone_by {
        Some(by) => (Role::Muted, format!("undone by entry {by}")),
        None if entry.undoable => (Role::Ok, "can be undone: press u".to_string()),
        None => (Role::Muted, "cannot be undone".to_string()),
    };
    out.push(line(undo.0, "Undo", undo.1));
    if let Some(of) = d.undoes {
        out.push(line(Role::Base, "Undoes", format!("entry {of}")));
    }
    if let Some(serde_json::Value::Object(map)) = &d.details {
        out.push(BLANK.clone());
        out.push(heading("Details".to_string()));
        for (key, value) in map {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push(line(Role::Base, key, text));
        }
    }
    if !d.changes.is_empty() {
        out.push(BLANK.clone());
        out.push(heading(format!("Field changes ({})", d.changes.len())));
        for c in &d.changes {
            let before = c.before.as_deref().unwrap_or("(empty)");
            let after = c.after.as_deref().unwrap_or("(empty)");
            out.push(line(
                Role::Base,
                &format!("#{} {}", c.contact_id, c.field),
                format!("{before} → {after}"),
            ));
        }
    }
    if !d.contacts.is_empty() {
        out.push(BLANK.clone());
        out.push(heading(format!("Contacts ({})", d.contacts.len())));
        for c in &d.contacts {
            let (role, email) = match &c.email {
                Some(e) => (Role::Base, e.clone()),
                None => (Role::Muted, "(no longer exists)".to_string()),
            };
            out.push(line(role, &format!("#{}", c.contact_id), email));
        }
    }
    out
}

impl Pane for LogPane {
    fn title(&self) -> &'static str {
        "Log"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        if self.confirm.is_some() {
            vec![keymap::CONFIRM]
        } else if self.input.is_some() {
            vec![keymap::TEXT_FIELD]
        } else if self.opened.is_some() {
            vec![DETAIL_KEYS]
        } else {
            vec![LIST_KEYS, keymap::LIST_MOTION]
        }
    }

    fn captures_text(&self) -> bool {
        self.input.is_some()
    }

    fn asking(&self) -> bool {
        self.confirm.is_some()
    }

    fn handle_key(&self, key: &KeyEvent) -> Option<Action> {
        match keymap::lookup(&self.bindings(), key) {
            Some(command) => Some(Action::Command(command)),
            None if self.captures_text() => Some(Action::Text(*key)),
            None => None,
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Effect> {
        match action {
            Action::Read(reply) => self.reply(reply),
            Action::Command(command) if self.confirm.is_some() => self.confirm_command(*command),
            _ if self.input.is_some() => self.input_action(action),
            Action::Command(command) => {
                // A notice answers the previous key; the next one clears it.
                self.notice = None;
                if self.opened.is_some() {
                    self.detail_command(*command)
                } else {
                    self.list_command(*command)
                }
            }
            _ => Vec::new(),
        }
    }

    fn resize(&mut self, area: Rect) -> Vec<Effect> {
        // Info bar, notice line and table header.
        self.height = (area.height as usize).saturating_sub(3).max(1);
        self.width = area.width;
        let cursor = self.cursor;
        self.move_to(cursor)
    }

    fn refresh(&mut self) -> Vec<Effect> {
        if self.notice.as_ref().is_some_and(|n| n.role == Role::Muted) {
            self.notice = None;
        }
        let mut effects = self.new_view(true);
        if let Some(opened) = &self.opened {
            effects.push(Effect::Read(ReadRequest::LogDetail {
                id: opened.entry.id,
            }));
        }
        effects
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(opened) = &self.opened {
            self.render_detail(opened, area, buf, theme);
        } else {
            let [info, notice, list] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(area);
            self.render_info(info, buf, theme);
            self.render_notice(notice, buf, theme);
            self.render_list(list, buf, theme);
        }
        if let Some(entry) = &self.confirm {
            self.render_confirm(entry, area, buf, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn entry(id: i64) -> Entry {
        Entry {
            id,
            at: 1_767_225_600 + id,
            user: if id % 2 == 0 { "alice" } else { "bob" }.to_string(),
            kind: if id % 3 == 0 { "merge" } else { "import" }.to_string(),
            summary: format!("change {id}"),
            undoable: id % 3 == 0,
            undone_by: None,
        }
    }

    fn page(pane: &LogPane, total: usize, start: usize) -> Action {
        let rows = (start..total.min(start + 100))
            .map(|i| entry((total - i) as i64))
            .collect();
        Action::Read(ReadReply::LogPage {
            generation: pane.generation,
            total,
            start,
            rows,
            kinds: vec!["import".into(), "merge".into()],
            users: vec!["alice".into(), "bob".into()],
        })
    }

    /// A pane 23 rows high (20 table rows) whose first page of `total` entries arrived.
    fn loaded(total: usize) -> LogPane {
        let mut pane = LogPane::default();
        pane.resize(Rect::new(0, 0, 80, 23));
        pane.refresh();
        let reply = page(&pane, total, 0);
        pane.update(&reply);
        pane
    }

    fn cmd(pane: &mut LogPane, c: Command) -> Vec<Effect> {
        pane.update(&Action::Command(c))
    }

    fn press(pane: &mut LogPane, c: char) -> Vec<Effect> {
        let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        match pane.handle_key(&key) {
            Some(action) => pane.update(&action),
            None => Vec::new(),
        }
    }

    fn filter_of(effects: &[Effect]) -> Option<Filter> {
        effects.iter().find_map(|e| match e {
            Effect::Read(ReadRequest::LogPage { filter, .. }) => Some(filter.clone()),
            _ => None,
        })
    }

    #[test]
    fn scrolling_past_the_window_reads_the_next_page_once() {
        let mut pane = loaded(1000);
        assert_eq!(pane.height, 20);
        assert!(cmd(&mut pane, Command::Down).is_empty());
        for _ in 0..3 {
            cmd(&mut pane, Command::PageDown);
        }
        let effects = cmd(&mut pane, Command::PageDown);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Read(ReadRequest::LogPage {
                start: 22,
                len: 100,
                ..
            })]
        ));
        assert!(cmd(&mut pane, Command::Up).is_empty());
        // An answer for an older view is dropped.
        let mut stale = page(&pane, 5, 0);
        if let Action::Read(ReadReply::LogPage { generation, .. }) = &mut stale {
            *generation -= 1;
        }
        pane.update(&stale);
        assert_eq!(pane.total, Some(1000));
    }

    #[test]
    fn kind_and_user_filters_cycle_through_what_the_log_holds_then_off() {
        let mut pane = loaded(10);
        let f = filter_of(&press(&mut pane, 'f')).unwrap();
        assert_eq!(f.kind.as_deref(), Some("import"));
        assert_eq!(pane.cursor, 0);
        let f = filter_of(&press(&mut pane, 'f')).unwrap();
        assert_eq!(f.kind.as_deref(), Some("merge"));
        let f = filter_of(&press(&mut pane, 'U')).unwrap();
        assert_eq!(
            (f.kind.as_deref(), f.user.as_deref()),
            (Some("merge"), Some("alice"))
        );
        let f = filter_of(&press(&mut pane, 'f')).unwrap();
        assert_eq!(f.kind, None);
        // Esc clears every filter.
        let reply = page(&pane, 3, 0);
        pane.update(&reply);
        let f = filter_of(&cmd(&mut pane, Command::Back)).unwrap();
        assert_eq!(f, Filter::default());
    }

    #[test]
    fn typing_a_text_filter_reads_per_keystroke_and_q_is_typed() {
        let mut pane = loaded(10);
        press(&mut pane, '/');
        assert!(pane.captures_text());
        let f = filter_of(&press(&mut pane, 'q')).unwrap();
        assert_eq!(f.text.as_deref(), Some("q"));
        cmd(&mut pane, Command::Accept);
        assert!(!pane.captures_text());
        assert_eq!(pane.filter.text.as_deref(), Some("q"));
    }

    #[test]
    fn enter_reads_the_details_and_esc_goes_back() {
        let mut pane = loaded(10);
        cmd(&mut pane, Command::Down);
        let effects = cmd(&mut pane, Command::Open);
        assert_eq!(
            effects,
            vec![Effect::Read(ReadRequest::LogDetail { id: 9 })]
        );
        assert_eq!(pane.bindings(), vec![DETAIL_KEYS]);
        let detail = Detail {
            entry: entry(9),
            details: Some(serde_json::json!({"reason": "asked"})),
            undoes: None,
            changes: vec![crate::maintenance::log::FieldChange {
                contact_id: 4,
                field: "email".into(),
                before: Some("a@gmial.com".into()),
                after: Some("a@gmail.com".into()),
            }],
            contacts: Vec::new(),
        };
        pane.update(&Action::Read(ReadReply::LogDetail {
            id: 9,
            detail: Some(Box::new(detail.clone())),
        }));
        let lines = detail_lines(&detail.entry, Some(&detail));
        assert!(lines
            .iter()
            .any(|l| l.label == "#4 email" && l.text == "a@gmial.com → a@gmail.com"));
        assert!(lines
            .iter()
            .any(|l| l.label == "reason" && l.text == "asked"));
        // A refresh while open reads the details again.
        assert!(pane
            .refresh()
            .contains(&Effect::Read(ReadRequest::LogDetail { id: 9 })));
        cmd(&mut pane, Command::Back);
        assert!(pane.opened.is_none());
        assert_eq!(pane.cursor, 1);
    }

    #[test]
    fn u_asks_first_then_undoes_through_the_writer() {
        let mut pane = loaded(10);
        // Row 1 is entry 9: a merge, undoable.
        cmd(&mut pane, Command::Down);
        assert!(press(&mut pane, 'u').is_empty());
        assert_eq!(pane.bindings(), vec![keymap::CONFIRM]);
        assert!(press(&mut pane, 'n').is_empty());
        assert!(pane.confirm.is_none());
        press(&mut pane, 'u');
        let effects = press(&mut pane, 'y');
        assert_eq!(
            effects,
            vec![Effect::Write(WriteRequest::UndoLog {
                id: FIRST_JOB,
                log_id: 9
            })]
        );
        assert!(pane
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Undoing")));
        // The workspace change that follows clears the progress notice.
        pane.refresh();
        assert!(pane.notice.is_none());
    }

    #[test]
    fn entries_without_undo_or_already_undone_are_refused_without_asking() {
        let mut pane = loaded(10);
        // Row 0 is entry 10: an import.
        assert!(press(&mut pane, 'u').is_empty());
        assert!(pane.confirm.is_none());
        let notice = pane.notice.clone().unwrap();
        assert!(notice.text.contains("cannot be undone"), "{notice:?}");
        let mut undone = entry(9);
        undone.undone_by = Some(11);
        pane.ask_undo(Some(undone));
        assert!(pane
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("already undone by entry 11"));
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        for tables in [
            vec![LIST_KEYS, keymap::LIST_MOTION, keymap::GLOBAL],
            vec![DETAIL_KEYS, keymap::GLOBAL],
            vec![keymap::CONFIRM, keymap::GLOBAL],
        ] {
            let keys: Vec<Key> = tables
                .iter()
                .flat_map(|t| t.iter())
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }

    #[test]
    fn an_empty_log_has_no_cursor_to_act_on() {
        let mut pane = loaded(0);
        assert!(cmd(&mut pane, Command::Down).is_empty());
        assert!(cmd(&mut pane, Command::Open).is_empty());
        assert!(press(&mut pane, 'u').is_empty());
        assert!(pane.confirm.is_none());
    }
}
