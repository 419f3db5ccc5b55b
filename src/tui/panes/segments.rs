//! The Segments pane: saved segments with their member counts and trends on the left, and
//! on the right the rule of the selected one — or the editor — with its live count, a
//! per-clause breakdown, warnings and a sample of matching contacts.
//!
//! Every edit sends one count request with a higher generation; the reader answers from the
//! image it keeps, requests of one key replace each other while queued, and answers for an
//! older generation are dropped here, so typing never waits and never shows a stale count
//! as current. Saves, renames and deletes are writer jobs; the store logs them.

mod editor;

use crate::segment::TEMPLATES;
use crate::text::inert;
use crate::tui::action::{Action, Effect, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use crate::tui::fit::{count_of, group_digits, keep_start, wrap};
use crate::tui::input::LineInput;
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::panes::Pane;
use crate::tui::segment_jobs::{
    Counted, Problem, SavedRow, SegmentRead, SegmentReply, SegmentWrite, Vocabulary,
};
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent};
use editor::{Completion, RuleEditor};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// Writer job ids of this pane start here, far above the app's own (imports count from 1).
const FIRST_JOB: JobId = super::first_job(4);
/// Width of the saved-segment list.
const LIST_WIDTH: u16 = 30;
/// Bars of a trend, lowest to highest.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// How many past sizes the trend shows.
const TREND_WIDTH: usize = 6;

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

const LIST_KEYS: &[Binding] = &[
    bind(
        &[Key::char('n')],
        Command::New,
        "new: empty or from a template",
        Some("new"),
    ),
    bind(
        &[Key::char('e'), Key::code(KeyCode::Enter)],
        Command::Edit,
        "edit the selected segment",
        Some("edit"),
    ),
    bind(&[Key::char('R')], Command::Rename, "rename", Some("rename")),
    bind(
        &[Key::char('D')],
        Command::Duplicate,
        "duplicate under a new name",
        None,
    ),
    bind(
        &[Key::char('d')],
        Command::Delete,
        "delete (asks)",
        Some("delete"),
    ),
];

const EDITOR_KEYS: &[Binding] = &[
    bind(
        &[Key::ctrl('s')],
        Command::Save,
        "save the segment",
        Some("save"),
    ),
    bind(
        &[Key::code(KeyCode::Tab)],
        Command::Complete,
        "complete field, value, tag or segment",
        Some("complete"),
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "leave the editor (asks again over unsaved changes)",
        Some("leave"),
    ),
];

const COMPLETION_KEYS: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Enter), Key::code(KeyCode::Tab)],
        Command::Accept,
        "insert the completion",
        Some("insert"),
    ),
    bind(
        &[Key::code(KeyCode::Down), Key::ctrl('n')],
        Command::Down,
        "next completion",
        Some("choose"),
    ),
    bind(
        &[Key::code(KeyCode::Up), Key::ctrl('p')],
        Command::Up,
        "previous completion",
        None,
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "close the completions",
        Some("close"),
    ),
];

const PICKER_KEYS: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Enter)],
        Command::Accept,
        "start from this",
        Some("start"),
    ),
    bind(
        &[Key::char('j'), Key::code(KeyCode::Down)],
        Command::Down,
        "next template",
        Some("choose"),
    ),
    bind(
        &[Key::char('k'), Key::code(KeyCode::Up)],
        Command::Up,
        "previous template",
        None,
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "cancel",
        Some("cancel"),
    ),
];

/// What a name typed into the prompt is for.
#[derive(Debug, Clone, PartialEq)]
enum Naming {
    /// Saving the editor's rule as a new segment.
    Save {
        rule: String,
    },
    Rename {
        old: String,
    },
    Duplicate {
        rule: String,
    },
}

#[derive(Debug, Clone)]
enum Mode {
    List,
    /// Choosing how a new segment starts: 0 is an empty rule, then the templates.
    Picker(usize),
    Editing,
    Completing(Completion),
    Naming(Naming, Box<LineInput>),
    ConfirmDelete(String),
}

/// The rule being edited.
#[derive(Debug, Clone)]
struct Edit {
    editor: RuleEditor,
    /// The saved segment it came from; `None` for a new one.
    name: Option<String>,
    /// The name the save prompt offers (a template's).
    suggested: String,
    /// The rule as the editor opened with it, to tell whether leaving loses anything.
    original: String,
    /// `Esc` was pressed once over unsaved changes: the next one drops them.
    leaving: bool,
}

/// State of the Segments pane.
#[derive(Debug, Clone)]
pub struct SegmentsPane {
    rows: Vec<SavedRow>,
    loaded: bool,
    cursor: usize,
    vocab: Vocabulary,
    mode: Mode,
    edit: Option<Edit>,
    /// Increases with every count request; answers for older ones are dropped.
    generation: u64,
    /// The answer to the latest count request, once it came.
    counted: Option<Result<Counted, Problem>>,
    counting: bool,
    next_job: JobId,
    /// The writer job this pane waits for, and the segment to select once it is done.
    pending: Option<(JobId, Option<String>)>,
    select_after_reload: Option<String>,
    message: Option<(Role, String)>,
    /// Rows of the list that fit on screen.
    height: usize,
}

impl Default for SegmentsPane {
    fn default() -> Self {
        SegmentsPane {
            rows: Vec::new(),
            loaded: false,
            cursor: 0,
            vocab: Vocabulary::default(),
            mode: Mode::List,
            edit: None,
            generation: 0,
            counted: None,
            counting: false,
            next_job: FIRST_JOB,
            pending: None,
            select_after_reload: None,
            message: None,
            height: 1,
        }
    }
}

impl SegmentsPane {
    fn selected(&self) -> Option<&SavedRow> {
        self.rows.get(self.cursor)
    }

    /// Asks for the count of what the right side shows: the editor's rule, else the
    /// selected segment's.
    fn request_count(&mut self) -> Vec<Effect> {
        let (name, rule) = match (&self.edit, self.selected()) {
            (Some(edit), _) => (edit.name.clone().unwrap_or_default(), edit.editor.text()),
            (None, Some(row)) => (row.name.clone(), row.rule.clone()),
            (None, None) => return Vec::new(),
        };
        self.generation += 1;
        self.counting = true;
        vec![Effect::Read(ReadRequest::Segments(SegmentRead::Count {
            generation: self.generation,
            name,
            rule,
        }))]
    }

    fn start_job(&mut self, change: SegmentWrite, select: Option<String>) -> Vec<Effect> {
        let id = self.next_job;
        self.next_job += 1;
        let doing = match &change {
            SegmentWrite::Save { .. } => "saving…",
            SegmentWrite::Rename { .. } => "renaming…",
            SegmentWrite::Delete { .. } => "deleting…",
        };
        self.pending = Some((id, select));
        self.message = Some((Role::Muted, doing.to_string()));
        vec![Effect::Write(WriteRequest::Segment { id, change })]
    }

    fn open_editor(&mut self, text: &str, name: Option<String>, suggested: &str) -> Vec<Effect> {
        self.edit = Some(Edit {
            editor: RuleEditor::new(text),
            name,
            suggested: suggested.to_string(),
            original: text.to_string(),
            leaving: false,
        });
        self.mode = Mode::Editing;
        self.message = None;
        let mut effects = vec![Effect::Read(ReadRequest::Segments(SegmentRead::Vocabulary))];
        effects.extend(self.request_count());
        effects
    }

    fn close_editor(&mut self) -> Vec<Effect> {
        self.edit = None;
        self.mode = Mode::List;
        self.counted = None;
        self.request_count()
    }

    fn move_to(&mut self, target: usize) -> Vec<Effect> {
        let target = target.min(self.rows.len().saturating_sub(1));
        if target == self.cursor {
            return Vec::new();
        }
        self.cursor = target;
        self.counted = None;
        self.request_count()
    }

    fn list_command(&mut self, command: Command) -> Vec<Effect> {
        let page = self.height.max(1);
        match command {
            Command::Down => self.move_to(self.cursor + 1),
            Command::Up => self.move_to(self.cursor.saturating_sub(1)),
            Command::Top => self.move_to(0),
            Command::Bottom => self.move_to(usize::MAX),
            Command::PageDown | Command::HalfPageDown => self.move_to(self.cursor + page),
            Command::PageUp | Command::HalfPageUp => self.move_to(self.cursor.saturating_sub(page)),
            Command::New => {
                self.mode = Mode::Picker(0);
                Vec::new()
            }
            Command::Edit => match self.selected().cloned() {
                Some(row) => self.open_editor(&row.rule, Some(row.name), ""),
                None => Vec::new(),
            },
            Command::Rename => {
                if let Some(row) = self.selected() {
                    let input = Box::new(LineInput::new(&row.name));
                    self.mode = Mode::Naming(
                        Naming::Rename {
                            old: row.name.clone(),
                        },
                        input,
                    );
                }
                Vec::new()
            }
            Command::Duplicate => {
                if let Some(row) = self.selected() {
                    let input = Box::new(LineInput::new(&format!("{} (copy)", row.name)));
                    self.mode = Mode::Naming(
                        Naming::Duplicate {
                            rule: row.rule.clone(),
                        },
                        input,
                    );
                }
                Vec::new()
            }
            Command::Delete => {
                if let Some(row) = self.selected() {
                    self.mode = Mode::ConfirmDelete(row.name.clone());
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn picker_command(&mut self, at: usize, command: Command) -> Vec<Effect> {
        let n = TEMPLATES.len() + 1;
        match command {
            Command::Down => self.mode = Mode::Picker((at + 1) % n),
            Command::Up => self.mode = Mode::Picker((at + n - 1) % n),
            Command::Back => self.mode = Mode::List,
            Command::Accept => {
                return match at.checked_sub(1).and_then(|i| TEMPLATES.get(i)) {
                    Some(t) => self.open_editor(t.rule, None, t.name),
                    None => self.open_editor("", None, ""),
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn save(&mut self) -> Vec<Effect> {
        let Some(edit) = &self.edit else {
            return Vec::new();
        };
        let rule = edit.editor.text();
        if rule.trim().is_empty() {
            self.message = Some((Role::Warn, "Type a rule before saving".to_string()));
            return Vec::new();
        }
        if let Some(Err(problem)) = &self.counted {
            self.message = Some((
                Role::Warn,
                format!("Fix the rule before saving: {}", problem.message),
            ));
            return Vec::new();
        }
        match &edit.name {
            Some(name) => {
                let name = name.clone();
                let change = SegmentWrite::Save {
                    name: name.clone(),
                    rule,
                    replace: true,
                };
                self.start_job(change, Some(name))
            }
            None => {
                let input = Box::new(LineInput::new(&edit.suggested));
                self.mode = Mode::Naming(Naming::Save { rule }, input);
                Vec::new()
            }
        }
    }

    fn editor_action(&mut self, action: &Action) -> Vec<Effect> {
        match action {
            Action::Command(Command::Save) => self.save(),
            Action::Command(Command::Back) => self.leave_editor(),
            Action::Command(Command::Complete) => {
                let completion = self
                    .edit
                    .as_ref()
                    .and_then(|e| e.editor.complete(&self.vocab));
                match completion {
                    Some(c) => self.mode = Mode::Completing(c),
                    None => {
                        self.message = Some((Role::Muted, "Nothing to complete here".to_string()))
                    }
                }
                Vec::new()
            }
            Action::Text(key) => self.type_key(*key),
            _ => Vec::new(),
        }
    }

    /// `Esc` in the editor: leaves at once when nothing changed, else warns first and
    /// leaves (dropping the changes) on a second `Esc`.
    fn leave_editor(&mut self) -> Vec<Effect> {
        let Some(edit) = self.edit.as_mut() else {
            return self.close_editor();
        };
        if edit.leaving || edit.editor.text() == edit.original {
            return self.close_editor();
        }
        edit.leaving = true;
        self.message = Some((
            Role::Warn,
            "Unsaved changes: Esc again drops them, Ctrl-s saves".to_string(),
        ));
        Vec::new()
    }

    fn type_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let changed = self.edit.as_mut().is_some_and(|e| {
            let changed = e.editor.handle(key);
            e.leaving &= !changed;
            changed
        });
        if changed {
            self.message = None;
            self.request_count()
        } else {
            Vec::new()
        }
    }

    fn completion_action(&mut self, mut completion: Completion, action: &Action) -> Vec<Effect> {
        self.mode = Mode::Editing;
        match action {
            Action::Command(Command::Down | Command::Up) => {
                completion.step(matches!(action, Action::Command(Command::Down)));
                self.mode = Mode::Completing(completion);
                Vec::new()
            }
            Action::Command(Command::Accept) => {
                let changed = self
                    .edit
                    .as_mut()
                    .is_some_and(|e| e.editor.accept(&completion));
                if changed {
                    self.request_count()
                } else {
                    Vec::new()
                }
            }
            Action::Text(key) => self.type_key(*key),
            _ => Vec::new(),
        }
    }

    fn naming_action(
        &mut self,
        naming: Naming,
        mut input: Box<LineInput>,
        action: &Action,
    ) -> Vec<Effect> {
        let back = if self.edit.is_some() {
            Mode::Editing
        } else {
            Mode::List
        };
        match action {
            Action::Text(key) => {
                input.handle(*key);
                self.mode = Mode::Naming(naming, input);
                Vec::new()
            }
            Action::Command(Command::Back) => {
                self.mode = back;
                Vec::new()
            }
            Action::Command(Command::Accept) => {
                let name = input.value().trim().to_string();
                if name.is_empty() {
                    self.message = Some((Role::Warn, "A segment needs a name".to_string()));
                    self.mode = Mode::Naming(naming, input);
                    return Vec::new();
                }
                self.mode = back;
                if let (Naming::Save { .. }, Some(edit)) = (&naming, &mut self.edit) {
                    // Asked again if the save fails.
                    edit.suggested = name.clone();
                }
                let change = match naming {
                    Naming::Save { rule } | Naming::Duplicate { rule } => SegmentWrite::Save {
                        name: name.clone(),
                        rule,
                        replace: false,
                    },
                    Naming::Rename { old } => SegmentWrite::Rename {
                        old,
                        new: name.clone(),
                    },
                };
                self.start_job(change, Some(name))
            }
            _ => {
                self.mode = Mode::Naming(naming, input);
                Vec::new()
            }
        }
    }

    fn job_finished(&mut self, id: JobId, outcome: &Result<String, String>) -> Vec<Effect> {
        let Some((pending, select)) = self.pending.take() else {
            return Vec::new();
        };
        if pending != id {
            self.pending = Some((pending, select));
            return Vec::new();
        }
        match outcome {
            Ok(_) => {
                // The app toasts the summary.
                self.message = None;
                // The list reloads after the job; the name is selected once it is there.
                self.select_after_reload = select;
                if self.edit.is_some() {
                    self.edit = None;
                    self.mode = Mode::List;
                    self.counted = None;
                }
            }
            Err(message) => self.message = Some((Role::Error, message.clone())),
        }
        Vec::new()
    }

    fn reply(&mut self, reply: &SegmentReply) -> Vec<Effect> {
        match reply {
            SegmentReply::List(rows) => {
                let previous = self.selected().map(|r| r.name.clone());
                self.rows = rows.clone();
                self.loaded = true;
                let want = self.select_after_reload.take().or(previous);
                self.cursor = want
                    .and_then(|name| self.rows.iter().position(|r| r.name == name))
                    .unwrap_or(self.cursor)
                    .min(self.rows.len().saturating_sub(1));
                if self.edit.is_none() {
                    return self.request_count();
                }
                Vec::new()
            }
            SegmentReply::Count {
                generation,
                outcome,
            } => {
                if *generation == self.generation {
                    self.counted = Some(outcome.clone());
                    self.counting = false;
                }
                Vec::new()
            }
            SegmentReply::Vocabulary(vocab) => {
                self.vocab = vocab.clone();
                Vec::new()
            }
        }
    }
}

/// Member counts as bars scaled between their lowest and highest; empty for fewer than
/// two counts, which are no trend.
pub(crate) fn sparkline(trend: &[i64]) -> String {
    if trend.len() < 2 {
        return String::new();
    }
    let shown = &trend[trend.len().saturating_sub(TREND_WIDTH)..];
    let lo = shown.iter().copied().min().unwrap_or(0);
    let hi = shown.iter().copied().max().unwrap_or(0);
    let top = BARS.len() - 1;
    shown
        .iter()
        .map(|&n| {
            let level = if hi == lo {
                top / 2
            } else {
                usize::try_from((n - lo) * top as i64 / (hi - lo)).unwrap_or(0)
            };
            BARS[level.min(top)]
        })
        .collect()
}

fn count_text(n: usize) -> String {
    group_digits(n as u64)
}

impl SegmentsPane {
    fn render_list(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let heading = if self.loaded {
            format!(" Saved segments ({})", self.rows.len())
        } else {
            " Saved segments · loading…".to_string()
        };
        Line::styled(heading, theme.style(Role::Title)).render(title, buf);
        if self.loaded && self.rows.is_empty() {
            Paragraph::new(vec![
                Line::styled(" None yet.", theme.style(Role::Muted)),
                Line::styled(" n: write one or start", theme.style(Role::Muted)),
                Line::styled(" from a template", theme.style(Role::Muted)),
            ])
            .render(body, buf);
            return;
        }
        let height = usize::from(body.height).max(1);
        let top = (self.cursor + 1).saturating_sub(height);
        let width = usize::from(body.width);
        let name_width = width.saturating_sub(TREND_WIDTH + 11);
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, row)| {
                let text = format!(
                    " {:<name_width$} {:>8} {:<TREND_WIDTH$}",
                    keep_start(&inert(&row.name), name_width),
                    group_digits(row.members.max(0) as u64),
                    sparkline(&row.trend),
                );
                let role = if i == self.cursor && self.edit.is_none() {
                    Role::Selection
                } else {
                    Role::Base
                };
                Line::styled(text, theme.style(role))
            })
            .collect();
        Paragraph::new(lines).render(body, buf);
    }

    fn render_picker(&self, at: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = usize::from(area.width);
        let mut lines = vec![Line::styled(
            " New segment: start from",
            theme.style(Role::Title),
        )];
        let names = std::iter::once("Empty rule").chain(TEMPLATES.iter().map(|t| t.name));
        for (i, name) in names.enumerate() {
            let role = if i == at { Role::Selection } else { Role::Base };
            lines.push(Line::styled(
                format!(" {:<w$}", name, w = width.saturating_sub(1)),
                theme.style(role),
            ));
        }
        if let Some(t) = at.checked_sub(1).and_then(|i| TEMPLATES.get(i)) {
            for l in wrap(t.rule, width.saturating_sub(2), 2) {
                lines.push(Line::styled(format!("  {l}"), theme.style(Role::Match)));
            }
            for l in wrap(t.why, width.saturating_sub(2), 3) {
                lines.push(Line::styled(format!("  {l}"), theme.style(Role::Muted)));
            }
        }
        Paragraph::new(lines).render(area, buf);
    }

    /// The count line: how many match, or where the rule goes wrong.
    fn status_lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let busy = if self.counting { " · counting…" } else { "" };
        match &self.counted {
            None => vec![Line::styled(
                format!(" counting…{}", if self.loaded { "" } else { " (loading)" }),
                theme.style(Role::Muted),
            )],
            Some(Ok(c)) => vec![Line::from(vec![
                Span::styled(
                    format!(
                        " {} of {}",
                        count_text(c.count),
                        count_of(c.total as u64, "contact", "contacts")
                    ),
                    theme.style(Role::Ok),
                ),
                Span::styled(busy.to_string(), theme.style(Role::Muted)),
            ])],
            Some(Err(p)) => {
                let mut text = format!("{}:{}: {}", p.line, p.column, p.message);
                if let Some(s) = &p.suggestion {
                    text.push_str(&format!(" — did you mean \"{s}\"?"));
                }
                text.push_str(busy);
                wrap(&inert(&text), width.saturating_sub(1), 2)
                    .into_iter()
                    .map(|l| Line::styled(format!(" {l}"), theme.style(Role::Error)))
                    .collect()
            }
        }
    }

    /// Breakdown, warnings and sample of the current count.
    fn insight_lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let Some(Ok(c)) = &self.counted else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if c.steps.len() > 1 {
            lines.push(Line::styled(" Clause by clause", theme.style(Role::Title)));
            for step in &c.steps {
                let number = format!("{:>9}  ", count_text(step.cumulative));
                let clause = keep_start(&inert(&step.clause), width.saturating_sub(12));
                lines.push(Line::from(vec![
                    Span::styled(number, theme.style(Role::Base)),
                    Span::styled(clause, theme.style(Role::Muted)),
                ]));
            }
        }
        for warning in &c.warnings {
            for l in wrap(&inert(warning), width.saturating_sub(3), 2) {
                lines.push(Line::styled(format!(" ! {l}"), theme.style(Role::Warn)));
            }
        }
        if !c.sample.is_empty() {
            lines.push(Line::styled(" Sample", theme.style(Role::Title)));
            for row in &c.sample {
                let text = format!(" {} {}", row.email, row.name);
                lines.push(Line::styled(
                    keep_start(&inert(&text), width),
                    theme.style(Role::Base),
                ));
            }
        }
        lines
    }

    fn render_right(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Mode::Picker(at) = &self.mode {
            self.render_picker(*at, area, buf, theme);
            return;
        }
        let width = usize::from(area.width);
        let [title, editor, status, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(5),
            Constraint::Length(2),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let heading = match (&self.edit, self.selected()) {
            (Some(Edit { name: Some(n), .. }), _) => format!(" Editing \"{}\"", inert(n)),
            (Some(_), _) => " New segment".to_string(),
            (None, Some(row)) => format!(" {}", inert(&row.name)),
            (None, None) => " Rule".to_string(),
        };
        Line::styled(keep_start(&heading, width), theme.style(Role::Title)).render(title, buf);
        let focused = matches!(self.mode, Mode::Editing | Mode::Completing(_));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(if focused { Role::Focus } else { Role::Muted }));
        let inner = block.inner(editor);
        block.render(editor, buf);
        let error = match &self.counted {
            Some(Err(p)) => Some(p.offset),
            _ => None,
        };
        match (&self.edit, self.selected()) {
            (Some(edit), _) => edit.editor.render(inner, buf, theme, focused, error),
            (None, Some(row)) => RuleEditor::new(&row.rule).render(inner, buf, theme, false, error),
            (None, None) => Paragraph::new(vec![Line::styled(
                "e.g. country = \"DE\" and opened in 30d",
                theme.style(Role::Muted),
            )])
            .render(inner, buf),
        }
        if self.edit.is_some() || self.selected().is_some() {
            Paragraph::new(self.status_lines(width, theme)).render(status, buf);
            Paragraph::new(self.insight_lines(width, theme)).render(body, buf);
        }
        match &self.mode {
            Mode::Naming(naming, input) => {
                let label = match naming {
                    Naming::Save { .. } => " Save as ",
                    Naming::Rename { .. } => " Rename to ",
                    Naming::Duplicate { .. } => " Copy as ",
                };
                let [prompt, field] = Layout::horizontal([
                    Constraint::Length(label.chars().count() as u16),
                    Constraint::Min(1),
                ])
                .areas(bottom);
                Line::styled(label, theme.style(Role::Focus)).render(prompt, buf);
                input.render(field, buf, theme);
            }
            Mode::ConfirmDelete(name) => Line::styled(
                keep_start(&format!(" Delete segment \"{}\"? y/n", inert(name)), width),
                theme.style(Role::Warn),
            )
            .render(bottom, buf),
            _ => {
                if let Some((role, text)) = &self.message {
                    Line::styled(
                        keep_start(&format!(" {}", inert(text)), width),
                        theme.style(*role),
                    )
                    .render(bottom, buf);
                }
            }
        }
        if let (Mode::Completing(c), Some(edit)) = (&self.mode, &self.edit) {
            self.render_completion(c, edit, inner, area, buf, theme);
        }
    }

    /// The completion popup, under the cursor, kept inside `bounds`.
    fn render_completion(
        &self,
        completion: &Completion,
        edit: &Edit,
        editor: Rect,
        bounds: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let (row, col) = edit.editor.cursor_cell(editor.width);
        let longest = completion
            .items
            .iter()
            .map(|i| i.chars().count())
            .max()
            .unwrap_or(0);
        let width = u16::try_from(longest + 2)
            .unwrap_or(u16::MAX)
            .min(bounds.width);
        let height = u16::try_from(completion.items.len())
            .unwrap_or(u16::MAX)
            .min(
                bounds
                    .height
                    .saturating_sub(editor.y.saturating_sub(bounds.y) + 2),
            );
        let x = (editor.x + col).min(bounds.right().saturating_sub(width));
        let y = (editor.y + row.min(editor.height.saturating_sub(1)) + 1).min(bounds.bottom());
        let popup = Rect::new(x, y, width, height).intersection(bounds);
        Clear.render(popup, buf);
        let lines: Vec<Line> = completion
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let role = if i == completion.cursor {
                    Role::Selection
                } else {
                    Role::Focus
                };
                Line::styled(
                    format!(
                        " {:<w$}",
                        keep_start(&inert(item), longest),
                        w = longest + 1
                    ),
                    theme.style(role),
                )
            })
            .collect();
        Paragraph::new(lines).render(popup, buf);
    }
}

impl Pane for SegmentsPane {
    fn title(&self) -> &'static str {
        "Segments"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        match &self.mode {
            Mode::List => vec![LIST_KEYS, keymap::LIST_MOTION],
            Mode::Picker(_) => vec![PICKER_KEYS],
            Mode::Editing => vec![EDITOR_KEYS],
            Mode::Completing(_) => vec![COMPLETION_KEYS],
            Mode::Naming(..) => vec![keymap::TEXT_FIELD],
            Mode::ConfirmDelete(_) => vec![keymap::CONFIRM],
        }
    }

    fn captures_text(&self) -> bool {
        matches!(
            self.mode,
            Mode::Editing | Mode::Completing(_) | Mode::Naming(..)
        )
    }

    fn asking(&self) -> bool {
        matches!(self.mode, Mode::ConfirmDelete(_))
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
            Action::Read(ReadReply::Segments(reply)) => return self.reply(reply),
            Action::Read(ReadReply::Failed { what, message }) if what.starts_with("segment") => {
                self.counting = false;
                self.message = Some((Role::Error, format!("{what}: {message}")));
                return Vec::new();
            }
            Action::Job(JobEvent::Finished { id, outcome }) => {
                return self.job_finished(*id, outcome)
            }
            Action::Read(_) | Action::Job(_) => return Vec::new(),
            _ => {}
        }
        match std::mem::replace(&mut self.mode, Mode::List) {
            Mode::List => match action {
                Action::Command(command) => self.list_command(*command),
                _ => Vec::new(),
            },
            Mode::Picker(at) => match action {
                Action::Command(command) => {
                    self.mode = Mode::Picker(at);
                    self.picker_command(at, *command)
                }
                _ => {
                    self.mode = Mode::Picker(at);
                    Vec::new()
                }
            },
            Mode::Editing => {
                self.mode = Mode::Editing;
                self.editor_action(action)
            }
            Mode::Completing(completion) => self.completion_action(completion, action),
            Mode::Naming(naming, input) => self.naming_action(naming, input, action),
            Mode::ConfirmDelete(name) => match action {
                Action::Command(Command::Yes) => {
                    self.start_job(SegmentWrite::Delete { name }, None)
                }
                Action::Command(Command::No) => Vec::new(),
                _ => {
                    self.mode = Mode::ConfirmDelete(name);
                    Vec::new()
                }
            },
        }
    }

    fn resize(&mut self, area: Rect) -> Vec<Effect> {
        // One line for the list's heading.
        self.height = usize::from(area.height).saturating_sub(1).max(1);
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = vec![
            Effect::Read(ReadRequest::Segments(SegmentRead::List)),
            Effect::Read(ReadRequest::Segments(SegmentRead::Vocabulary)),
        ];
        if self.edit.is_some() {
            effects.extend(self.request_count());
        }
        effects
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [left, right] =
            Layout::horizontal([Constraint::Length(LIST_WIDTH), Constraint::Min(1)])
                .spacing(1)
                .areas(area);
        self.render_list(left, buf, theme);
        self.render_right(right, buf, theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn text(pane: &mut SegmentsPane, s: &str) -> Vec<Effect> {
        s.chars()
            .flat_map(|c| {
                let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                pane.update(&Action::Text(key))
            })
            .collect()
    }

    fn command(pane: &mut SegmentsPane, c: Command) -> Vec<Effect> {
        pane.update(&Action::Command(c))
    }

    fn count_generations(effects: &[Effect]) -> Vec<u64> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Read(ReadRequest::Segments(SegmentRead::Count { generation, .. })) => {
                    Some(*generation)
                }
                _ => None,
            })
            .collect()
    }

    fn count_of_writes(effects: &[Effect]) -> usize {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Write(_)))
            .count()
    }

    fn counted(n: usize) -> Result<Counted, Problem> {
        Ok(Counted {
            count: n,
            total: 10,
            steps: Vec::new(),
            sample: Vec::new(),
            warnings: Vec::new(),
        })
    }

    fn reply(pane: &mut SegmentsPane, generation: u64, outcome: Result<Counted, Problem>) {
        pane.update(&Action::Read(ReadReply::Segments(SegmentReply::Count {
            generation,
            outcome,
        })));
    }

    /// A pane with a new, empty rule open in the editor.
    fn editing() -> SegmentsPane {
        let mut pane = SegmentsPane::default();
        command(&mut pane, Command::New);
        assert!(!pane.captures_text());
        command(&mut pane, Command::Accept);
        assert!(pane.captures_text());
        pane
    }

    #[test]
    fn every_edit_asks_for_a_count_with_a_higher_generation_and_stale_answers_are_dropped() {
        let mut pane = editing();
        let first = pane.generation;
        let effects = text(&mut pane, "country");
        let generations = count_generations(&effects);
        assert_eq!(generations.len(), 7);
        assert!(generations.windows(2).all(|w| w[0] < w[1]));
        assert!(generations[0] > first);
        let last = *generations.last().unwrap();
        // An older answer arriving late is ignored; the latest is shown.
        reply(&mut pane, last - 1, counted(1));
        assert_eq!(pane.counted, None);
        assert!(pane.counting);
        reply(&mut pane, last, counted(4));
        assert_eq!(pane.counted, Some(counted(4)));
        assert!(!pane.counting);
        reply(&mut pane, last - 2, counted(9));
        assert_eq!(pane.counted, Some(counted(4)));
        // Keys that change nothing send nothing.
        let left = KeyEvent::new(KeyCode::Left, KeyModifiers::NONE);
        assert!(pane.update(&Action::Text(left)).is_empty());
    }

    #[test]
    fn esc_over_unsaved_changes_warns_first_and_a_second_esc_drops_them() {
        let mut pane = editing();
        command(&mut pane, Command::Back);
        assert!(
            matches!(pane.mode, Mode::List),
            "nothing typed: leaves at once"
        );
        let mut pane = editing();
        text(&mut pane, "tag vip");
        command(&mut pane, Command::Back);
        assert!(matches!(pane.mode, Mode::Editing));
        assert!(pane
            .message
            .as_ref()
            .is_some_and(|(_, m)| m.contains("Unsaved")));
        // Typing again re-arms the warning.
        text(&mut pane, "s");
        command(&mut pane, Command::Back);
        assert!(matches!(pane.mode, Mode::Editing));
        command(&mut pane, Command::Back);
        assert!(matches!(pane.mode, Mode::List));
        assert!(pane.edit.is_none());
    }

    #[test]
    fn saving_a_new_rule_asks_a_name_writes_and_closes_on_success() {
        let mut pane = editing();
        text(&mut pane, "country = \"DE\"");
        let g = pane.generation;
        reply(
            &mut pane,
            g,
            Err(Problem {
                offset: 0,
                line: 1,
                column: 1,
                message: "bad".into(),
                suggestion: None,
            }),
        );
        assert!(
            command(&mut pane, Command::Save).is_empty(),
            "errors block saving"
        );
        assert!(matches!(pane.mode, Mode::Editing));
        reply(&mut pane, g, counted(2));
        assert!(command(&mut pane, Command::Save).is_empty());
        assert!(matches!(pane.mode, Mode::Naming(Naming::Save { .. }, _)));
        text(&mut pane, "Germany");
        let effects = command(&mut pane, Command::Accept);
        let Some(Effect::Write(WriteRequest::Segment { id, change })) = effects.first() else {
            panic!("{effects:?}");
        };
        assert_eq!(
            change,
            &SegmentWrite::Save {
                name: "Germany".into(),
                rule: "country = \"DE\"".into(),
                replace: false,
            }
        );
        // A failure keeps the rule in the editor.
        let failed = Action::Job(JobEvent::Finished {
            id: *id,
            outcome: Err("exists".into()),
        });
        pane.update(&failed);
        assert!(pane.edit.is_some());
        assert!(command(&mut pane, Command::Save).is_empty());
        assert_eq!(count_of_writes(&command(&mut pane, Command::Accept)), 1);
        let id = pane.pending.as_ref().map(|p| p.0).unwrap();
        pane.update(&Action::Job(JobEvent::Finished {
            id,
            outcome: Ok("saved".into()),
        }));
        assert!(pane.edit.is_none());
        assert!(!pane.captures_text());
        let rows = vec![SavedRow {
            name: "Germany".into(),
            rule: "country = \"DE\"".into(),
            members: 2,
            trend: vec![1, 2],
        }];
        let effects = pane.update(&Action::Read(ReadReply::Segments(SegmentReply::List(rows))));
        assert_eq!(pane.selected().map(|r| r.name.as_str()), Some("Germany"));
        assert_eq!(
            count_generations(&effects).len(),
            1,
            "the preview counts it"
        );
    }

    #[test]
    fn deleting_asks_first_and_templates_fill_the_editor() {
        let mut pane = SegmentsPane::default();
        let rows = vec![SavedRow {
            name: "A".into(),
            rule: "tag \"a\"".into(),
            members: 1,
            trend: Vec::new(),
        }];
        pane.update(&Action::Read(ReadReply::Segments(SegmentReply::List(rows))));
        assert!(command(&mut pane, Command::Delete).is_empty());
        assert!(command(&mut pane, Command::No).is_empty());
        command(&mut pane, Command::Delete);
        let effects = command(&mut pane, Command::Yes);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Write(WriteRequest::Segment { change: SegmentWrite::Delete { name }, .. })] if name == "A"
        ));
        command(&mut pane, Command::New);
        command(&mut pane, Command::Down);
        command(&mut pane, Command::Accept);
        let edit = pane.edit.as_ref().unwrap();
        assert_eq!(edit.editor.text(), TEMPLATES[0].rule);
        assert_eq!(edit.suggested, TEMPLATES[0].name);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        let modes = [
            vec![LIST_KEYS, keymap::LIST_MOTION],
            vec![EDITOR_KEYS],
            vec![COMPLETION_KEYS],
            vec![PICKER_KEYS],
        ];
        for tables in modes {
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
    fn a_trend_needs_two_sizes() {
        assert_eq!(sparkline(&[5]), "");
        assert_eq!(sparkline(&[1, 5, 9]), "▁▄█");
        assert_eq!(sparkline(&[3, 3]), "▄▄");
    }
}
