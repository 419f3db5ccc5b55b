//! The application state: which pane has focus, overlays (help, palette, quit question),
//! running jobs, toasts. `update` turns an action into state changes and effects for the
//! loop to carry out; it never draws and never touches SQL.

use super::action::{Action, Effect, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use super::keymap::{self, Binding, Command, Key};
use super::layout;
use super::palette::{Entry, Palette, Run};
use super::panes::Pane;
use super::theme::{Role, Theme};
use crate::import::Kind;
use crate::maintenance::watch::WatchEvent;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use std::path::PathBuf;

/// How long a toast stays, in ticks.
pub const TOAST_TICKS: u32 = 24;
/// How many toasts are shown at once.
const MAX_TOASTS: usize = 3;

/// A window over the panes.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Palette(Box<Palette>),
    /// A job is running and the user asked to quit.
    ConfirmQuit,
}

/// A writer job the status bar shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub label: String,
    pub rows: u64,
    pub done: u64,
    pub total: u64,
    pub cancelling: bool,
}

/// A short message in the corner that goes away by itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub role: Role,
    pub ticks_left: u32,
}

/// Everything on screen.
pub struct App {
    pub(super) panes: Vec<Box<dyn Pane>>,
    pub(super) focused: usize,
    pub(super) overlay: Option<Overlay>,
    pub(super) theme: Theme,
    /// `NO_COLOR` is set: the theme stays mono.
    no_color: bool,
    pub(super) workspace: String,
    pub(super) live_count: Option<i64>,
    pub(super) jobs: Vec<Job>,
    next_job: JobId,
    pub(super) toasts: Vec<Toast>,
    pub(super) size: Rect,
    pub(super) ticks: u64,
    /// Ticks left to show "updated by another process" in the status bar.
    pub(super) outside_change: u32,
    /// Folders the export watcher watches right now.
    pub(super) watching: usize,
    /// A scheduled review is due.
    pub(super) review_due: bool,
    dirty: bool,
}

impl App {
    pub fn new(
        workspace: String,
        theme: Theme,
        no_color: bool,
        panes: Vec<Box<dyn Pane>>,
        size: Rect,
    ) -> Self {
        App {
            panes,
            focused: 0,
            overlay: None,
            theme,
            no_color,
            workspace,
            live_count: None,
            jobs: Vec::new(),
            next_job: 1,
            toasts: Vec::new(),
            size,
            ticks: 0,
            outside_change: 0,
            watching: 0,
            review_due: false,
            dirty: true,
        }
    }

    /// The first effects: size every pane and load its data.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = self.resize_panes();
        effects.extend(self.refresh_all());
        effects
    }

    /// Whether something changed since the last call (the loop redraws only then).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// The terminal size the app lays itself out for.
    pub fn size(&self) -> Rect {
        self.size
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Applies a theme the loop loaded for `SetTheme`, or reports why it could not.
    pub fn apply_theme(&mut self, theme: Result<Theme, String>) {
        match theme {
            Ok(theme) => {
                self.toast(format!("Theme {}", theme.name()), Role::Ok);
                self.theme = theme;
            }
            Err(message) => self.toast(message, Role::Error),
        }
        self.dirty = true;
    }

    /// Whether a writer job is still running.
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if action != Action::Tick {
            self.dirty = true;
        }
        match action {
            Action::Key(key) => match self.key_action(&key) {
                Some(action) => self.update(action),
                None => Vec::new(),
            },
            Action::Tick => self.tick(),
            Action::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                self.resize_panes()
            }
            Action::GoPane(i) if i < self.panes.len() => {
                self.focused = i;
                Vec::new()
            }
            Action::GoPane(_) => Vec::new(),
            Action::Read(ReadReply::LiveCount(n)) => {
                self.live_count = Some(n);
                Vec::new()
            }
            Action::Read(reply) => {
                if let ReadReply::Failed { what, message } = &reply {
                    self.toast(format!("{what}: {message}"), Role::Error);
                }
                self.tell_panes(&Action::Read(reply))
            }
            Action::Job(event) => {
                // Panes that started a job (a save, a merge, a scan) follow its progress
                // and learn how it ended.
                let mut effects = self.tell_panes(&Action::Job(event.clone()));
                effects.extend(self.job_event(event));
                effects
            }
            Action::DataChanged { by_others } => {
                if by_others {
                    self.outside_change = TOAST_TICKS;
                }
                self.refresh_all()
            }
            Action::Import(path, kind) => self.start_import(path, kind),
            Action::Hangup => {
                let mut effects = self.cancel_jobs();
                effects.push(Effect::Quit);
                effects
            }
            Action::SetTheme(name) if self.no_color => {
                self.toast(
                    format!("NO_COLOR is set: staying on mono instead of {name}"),
                    Role::Warn,
                );
                Vec::new()
            }
            Action::SetTheme(name) => vec![Effect::LoadTheme(name)],
            Action::Watch(event) => self.watch_event(event),
            Action::AddWatch(path) => {
                self.track_jobs(vec![Effect::Write(WriteRequest::AddWatch { id: 0, path })])
            }
            Action::ReviewDue(due) => {
                self.review_due = due;
                Vec::new()
            }
            Action::Command(command) => self.command(command),
            Action::Text(_) => self.route_to_focus(action),
        }
    }

    /// What a key means in the current context: an overlay's keys, else the focused
    /// pane's, else the global ones. `Ctrl-c` always cancels or quits.
    fn key_action(&self, key: &KeyEvent) -> Option<Action> {
        if Key::of(key) == Some(Key::ctrl('c')) {
            return Some(Action::Command(Command::CancelOrQuit));
        }
        let tables = match &self.overlay {
            Some(Overlay::Help { .. }) => vec![keymap::HELP],
            Some(Overlay::ConfirmQuit) => vec![keymap::CONFIRM],
            Some(Overlay::Palette(_)) => {
                return Some(
                    keymap::lookup(&[keymap::PALETTE], key)
                        .map(Action::Command)
                        .unwrap_or(Action::Text(*key)),
                )
            }
            None => {
                let pane = self.panes.get(self.focused)?;
                if let Some(action) = pane.handle_key(key) {
                    return Some(action);
                }
                if !global_keys_apply(pane.as_ref()) {
                    return None;
                }
                if let (KeyCode::Char(c @ '1'..='9'), Some(k)) = (key.code, Key::of(key)) {
                    if k == Key::char(c) {
                        return Some(Action::GoPane(c as usize - '1' as usize));
                    }
                }
                vec![keymap::GLOBAL]
            }
        };
        keymap::lookup(&tables, key).map(Action::Command)
    }

    fn command(&mut self, command: Command) -> Vec<Effect> {
        let help_last = self
            .help_sections()
            .iter()
            .map(|s| s.entries.len() + 1)
            .sum::<usize>()
            .saturating_sub(1);
        match (&mut self.overlay, command) {
            (_, Command::CancelOrQuit) => {
                if self.busy() {
                    self.cancel_jobs()
                } else {
                    vec![Effect::Quit]
                }
            }
            (Some(Overlay::Help { .. }), Command::Back) => {
                self.overlay = None;
                Vec::new()
            }
            (Some(Overlay::Help { scroll }), Command::Down) => {
                *scroll = (*scroll + 1).min(help_last);
                Vec::new()
            }
            (Some(Overlay::Help { scroll }), Command::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (Some(Overlay::ConfirmQuit), Command::Yes) => {
                let mut effects = self.cancel_jobs();
                effects.push(Effect::Quit);
                effects
            }
            (Some(Overlay::ConfirmQuit), Command::No) => {
                self.overlay = None;
                Vec::new()
            }
            (Some(Overlay::Palette(_)), Command::Back) => {
                self.overlay = None;
                Vec::new()
            }
            (Some(Overlay::Palette(p)), Command::Down | Command::Up) => {
                p.move_selection(command == Command::Down);
                Vec::new()
            }
            (Some(Overlay::Palette(p)), Command::Accept) => match p.choose() {
                Ok(action) => {
                    self.overlay = None;
                    self.update(action)
                }
                Err(message) => {
                    self.toast(message, Role::Warn);
                    Vec::new()
                }
            },
            (Some(_), _) => Vec::new(),
            (None, Command::Quit) => {
                if self.busy() {
                    self.overlay = Some(Overlay::ConfirmQuit);
                    Vec::new()
                } else {
                    vec![Effect::Quit]
                }
            }
            (None, Command::CancelJob) => self.cancel_jobs(),
            (None, Command::Help) => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            (None, Command::Palette) => {
                self.overlay = Some(Overlay::Palette(Box::new(Palette::new(
                    self.palette_entries(),
                ))));
                Vec::new()
            }
            (None, Command::NextPane) => {
                self.focused = (self.focused + 1) % self.panes.len().max(1);
                Vec::new()
            }
            (None, Command::PrevPane) => {
                let n = self.panes.len().max(1);
                self.focused = (self.focused + n - 1) % n;
                Vec::new()
            }
            (None, _) => self.route_to_focus(Action::Command(command)),
        }
    }

    fn route_to_focus(&mut self, action: Action) -> Vec<Effect> {
        if let Some(Overlay::Palette(p)) = &mut self.overlay {
            if let Action::Text(key) = action {
                if p.input.handle(key) {
                    p.rematch();
                }
            }
            return Vec::new();
        }
        let effects = match self.panes.get_mut(self.focused) {
            Some(pane) if self.overlay.is_none() => pane.update(&action),
            _ => Vec::new(),
        };
        self.track_jobs(effects)
    }

    /// Writer jobs asked for get an id and a line in the status bar.
    fn track_jobs(&mut self, mut effects: Vec<Effect>) -> Vec<Effect> {
        for effect in &mut effects {
            if let Effect::Write(request) = effect {
                let id = request.assign(self.next_job);
                if id == self.next_job {
                    self.next_job += 1;
                }
                self.jobs.push(Job {
                    id,
                    label: request.label(),
                    rows: 0,
                    done: 0,
                    total: 0,
                    cancelling: false,
                });
            }
        }
        effects
    }

    /// Every command the palette offers, built from what exists right now.
    fn palette_entries(&self) -> Vec<Entry> {
        let cmd = |c| Run::Action(Action::Command(c));
        let mut entries = vec![
            Entry::new(
                "import",
                "import a contacts export in the background",
                Run::Import(Kind::Contacts),
            )
            .with_arg("PATH"),
            Entry::new(
                "import-events",
                "import an events export",
                Run::Import(Kind::Events),
            )
            .with_arg("PATH"),
            Entry::new(
                "watch",
                "import new contacts exports from a folder",
                Run::Watch,
            )
            .with_arg("PATH"),
            Entry::new("help", "keys of the current pane", cmd(Command::Help)),
            Entry::new("quit", "leave Listwarden", cmd(Command::Quit)),
        ];
        for (i, pane) in self.panes.iter().enumerate() {
            entries.push(Entry::new(
                format!("go {}", pane.title().to_lowercase()),
                format!("show the {} pane ({})", pane.title(), i + 1),
                Run::Action(Action::GoPane(i)),
            ));
        }
        if self.busy() {
            entries.push(Entry::new(
                "cancel",
                "cancel the running job",
                cmd(Command::CancelJob),
            ));
        }
        for name in Theme::available() {
            entries.push(Entry::new(
                format!("theme {name}"),
                "switch the colour theme",
                Run::Action(Action::SetTheme(name)),
            ));
        }
        entries
    }

    fn start_import(&mut self, path: PathBuf, kind: Kind) -> Vec<Effect> {
        self.track_jobs(vec![Effect::Write(WriteRequest::Import {
            id: 0,
            path,
            kind,
        })])
    }

    /// A watcher event: complete files become imports on the writer, problems toasts.
    fn watch_event(&mut self, event: WatchEvent) -> Vec<Effect> {
        match event {
            WatchEvent::Watching { folders } => {
                self.watching = folders;
                Vec::new()
            }
            WatchEvent::Ready { folder, path } => {
                self.track_jobs(vec![Effect::Write(WriteRequest::WatchImport {
                    id: 0,
                    folder,
                    path,
                })])
            }
            WatchEvent::FolderBack { .. } => {
                self.toast(event.describe(), Role::Ok);
                Vec::new()
            }
            WatchEvent::Deleted { .. } => {
                self.toast(event.describe(), Role::Muted);
                Vec::new()
            }
            WatchEvent::FolderGone { .. } | WatchEvent::Error { .. } => {
                self.toast(event.describe(), Role::Warn);
                Vec::new()
            }
        }
    }

    fn cancel_jobs(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        for job in self.jobs.iter_mut().filter(|j| !j.cancelling) {
            job.cancelling = true;
            effects.push(Effect::Cancel(job.id));
        }
        if effects.is_empty() {
            self.toast("No job is running".to_string(), Role::Muted);
        }
        effects
    }

    /// An action every pane sees (replies and job results), not only the focused one.
    fn tell_panes(&mut self, action: &Action) -> Vec<Effect> {
        let effects = self
            .panes
            .iter_mut()
            .flat_map(|p| p.update(action))
            .collect();
        self.track_jobs(effects)
    }

    fn job_event(&mut self, event: JobEvent) -> Vec<Effect> {
        match event {
            JobEvent::AuditEdited { .. } => Vec::new(),
            JobEvent::Progress {
                id,
                rows,
                done,
                total,
            } => {
                if let Some(job) = self.jobs.iter_mut().find(|j| j.id == id) {
                    job.rows = rows;
                    job.done = done;
                    job.total = total;
                }
                Vec::new()
            }
            JobEvent::Finished { id, outcome } => {
                self.jobs.retain(|j| j.id != id);
                let mut effects = Vec::new();
                // The summary and the error both name the file already.
                match outcome {
                    Ok(summary) => {
                        self.toast(summary, Role::Ok);
                        effects.extend(self.refresh_all());
                    }
                    Err(message) => self.toast(message, Role::Error),
                }
                effects
            }
        }
    }

    fn tick(&mut self) -> Vec<Effect> {
        self.ticks += 1;
        let before = self.toasts.len();
        for toast in &mut self.toasts {
            toast.ticks_left = toast.ticks_left.saturating_sub(1);
        }
        self.toasts.retain(|t| t.ticks_left > 0);
        let notice_ends = self.outside_change == 1;
        self.outside_change = self.outside_change.saturating_sub(1);
        // The spinner of a running job moves; otherwise a tick changes nothing on screen.
        if before != self.toasts.len() || notice_ends || self.busy() {
            self.dirty = true;
        }
        Vec::new()
    }

    fn toast(&mut self, text: String, role: Role) {
        self.toasts.push(Toast {
            text,
            role,
            ticks_left: TOAST_TICKS,
        });
        let excess = self.toasts.len().saturating_sub(MAX_TOASTS);
        self.toasts.drain(..excess);
        self.dirty = true;
    }

    fn resize_panes(&mut self) -> Vec<Effect> {
        let area = layout::areas(self.size)
            .map(|a| a.pane)
            .unwrap_or(self.size);
        self.panes.iter_mut().flat_map(|p| p.resize(area)).collect()
    }

    fn refresh_all(&mut self) -> Vec<Effect> {
        let mut effects = vec![Effect::Read(ReadRequest::LiveCount)];
        for pane in &mut self.panes {
            effects.extend(pane.refresh());
        }
        effects
    }

    /// The key tables in force right now, most specific first (help and hints use them).
    pub fn bindings(&self) -> Vec<&'static [Binding]> {
        match &self.overlay {
            Some(Overlay::Help { .. }) => vec![keymap::HELP],
            Some(Overlay::ConfirmQuit) => vec![keymap::CONFIRM],
            Some(Overlay::Palette(_)) => vec![keymap::PALETTE],
            None => {
                let mut tables = self
                    .panes
                    .get(self.focused)
                    .map(|p| p.bindings())
                    .unwrap_or_default();
                if self
                    .panes
                    .get(self.focused)
                    .is_none_or(|p| global_keys_apply(p.as_ref()))
                {
                    tables.push(keymap::GLOBAL);
                }
                tables
            }
        }
    }

    /// The help overlay's sections: the focused pane's keys, then the global ones, each
    /// as (title, [(keys, description)]).
    pub fn help_sections(&self) -> Vec<HelpSection> {
        let pane = self.panes.get(self.focused);
        let entries = |tables: &[&[Binding]]| -> Vec<(String, String)> {
            tables
                .iter()
                .flat_map(|t| t.iter())
                .map(|b| (b.keys_label(), b.desc.to_string()))
                .collect()
        };
        let mut everywhere = Vec::new();
        if self.panes.len() > 1 {
            everywhere.push((format!("1-{}", self.panes.len()), "go to pane".to_string()));
        }
        everywhere.extend(entries(&[keymap::GLOBAL]));
        vec![
            HelpSection {
                title: format!("{} keys", pane.map_or("Listwarden", |p| p.title())),
                entries: entries(&pane.map(|p| p.bindings()).unwrap_or_default()),
            },
            HelpSection {
                title: "Everywhere".to_string(),
                entries: everywhere,
            },
        ]
    }
}

/// Whether the global keys (`q`, pane switching, `:`) work in `pane` now: not while a text
/// field has focus or a question waits for its answer.
fn global_keys_apply(pane: &dyn Pane) -> bool {
    !pane.captures_text() && !pane.asking()
}

/// One titled block of the help overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpSection {
    pub title: String,
    /// (keys, what they do)
    pub entries: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panes;
    use crossterm::event::KeyModifiers;

    fn app() -> App {
        let theme = Theme::load_from("mono", None).unwrap();
        let mut app = App::new(
            "w.db".into(),
            theme,
            false,
            panes::all(),
            Rect::new(0, 0, 80, 24),
        );
        app.start();
        app
    }

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn chars(app: &mut App, text: &str) {
        for c in text.chars() {
            key(app, KeyCode::Char(c));
        }
    }

    #[test]
    fn a_pane_asking_a_question_takes_q_and_pane_keys_until_answered() {
        let mut a = app();
        let dupes = a.panes.iter().position(|p| p.title() == "Duplicates");
        a.update(Action::GoPane(dupes.unwrap()));
        key(&mut a, KeyCode::Char('B'));
        a.update(Action::Read(ReadReply::ExactEmailGroups {
            groups: 2,
            contacts: 5,
        }));
        assert!(a.panes[a.focused].asking());
        assert!(key(&mut a, KeyCode::Char('q')).is_empty());
        key(&mut a, KeyCode::Char('1'));
        assert_eq!(a.focused, dupes.unwrap(), "the question stays on screen");
        key(&mut a, KeyCode::Char('n'));
        assert!(!a.panes[a.focused].asking());
        assert_eq!(key(&mut a, KeyCode::Char('q')), vec![Effect::Quit]);
    }

    #[test]
    fn q_quits_at_once_when_idle_and_asks_when_a_job_runs() {
        let mut a = app();
        assert_eq!(key(&mut a, KeyCode::Char('q')), vec![Effect::Quit]);
        let mut a = app();
        a.update(Action::Import(PathBuf::from("x.csv"), Kind::Contacts));
        assert!(key(&mut a, KeyCode::Char('q')).is_empty());
        assert!(matches!(a.overlay, Some(Overlay::ConfirmQuit)));
        assert!(key(&mut a, KeyCode::Char('n')).is_empty());
        assert!(a.overlay.is_none());
        key(&mut a, KeyCode::Char('q'));
        assert_eq!(
            key(&mut a, KeyCode::Char('y')),
            vec![Effect::Cancel(1), Effect::Quit]
        );
    }

    #[test]
    fn ctrl_c_cancels_a_job_first_then_quits() {
        let mut a = app();
        a.update(Action::Import(PathBuf::from("x.csv"), Kind::Contacts));
        let ctrl_c = Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(a.update(ctrl_c.clone()), vec![Effect::Cancel(1)]);
        a.update(Action::Job(JobEvent::Finished {
            id: 1,
            outcome: Err("cancelled, nothing changed".into()),
        }));
        assert!(!a.busy());
        assert!(a.toasts.iter().any(|t| t.text.contains("cancelled")));
        assert_eq!(a.update(ctrl_c), vec![Effect::Quit]);
    }

    #[test]
    fn help_opens_for_the_focused_pane_and_closes() {
        let mut a = app();
        key(&mut a, KeyCode::Char('?'));
        assert!(matches!(a.overlay, Some(Overlay::Help { .. })));
        let sections = a.help_sections();
        assert_eq!(sections[0].title, "Contacts keys");
        assert!(sections[0]
            .entries
            .iter()
            .any(|(k, d)| k == "/" && d.contains("filter")));
        assert!(sections[1].entries.iter().any(|(k, _)| k == "q"));
        // `q` closes help rather than quitting.
        assert!(key(&mut a, KeyCode::Char('q')).is_empty());
        assert!(a.overlay.is_none());
    }

    #[test]
    fn the_palette_imports_a_typed_path() {
        let mut a = app();
        key(&mut a, KeyCode::Char(':'));
        chars(&mut a, "import a b.csv");
        let effects = key(&mut a, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Write(WriteRequest::Import {
                id: 1,
                path: PathBuf::from("a b.csv"),
                kind: Kind::Contacts,
            })]
        );
        assert!(a.overlay.is_none());
        assert_eq!(a.jobs[0].label, "import a b.csv");
        a.update(Action::Job(JobEvent::Progress {
            id: 1,
            rows: 10,
            done: 50,
            total: 100,
        }));
        assert_eq!(a.jobs[0].done, 50);
        let effects = a.update(Action::Job(JobEvent::Finished {
            id: 1,
            outcome: Ok("10 rows".into()),
        }));
        assert!(effects.contains(&Effect::Read(ReadRequest::LiveCount)));
        assert!(a.toasts.iter().any(|t| t.text == "10 rows"));
    }

    #[test]
    fn palette_switches_theme_unless_no_color() {
        let mut a = app();
        key(&mut a, KeyCode::Char(':'));
        chars(&mut a, "theme light");
        assert_eq!(
            key(&mut a, KeyCode::Enter),
            vec![Effect::LoadTheme("light".into())]
        );
        a.no_color = true;
        assert!(a.update(Action::SetTheme("dark".into())).is_empty());
        assert!(a.toasts.iter().any(|t| t.text.contains("NO_COLOR")));
    }

    #[test]
    fn another_process_changing_the_workspace_refreshes_with_a_notice() {
        let mut a = app();
        let effects = a.update(Action::DataChanged { by_others: true });
        assert!(effects.contains(&Effect::Read(ReadRequest::LiveCount)));
        assert!(effects
            .iter()
            .any(|e| matches!(e, Effect::Read(ReadRequest::ContactsView { .. }))));
        assert_eq!(a.outside_change, TOAST_TICKS);
        for _ in 0..TOAST_TICKS {
            a.update(Action::Tick);
        }
        assert_eq!(a.outside_change, 0);
        a.update(Action::Read(ReadReply::LiveCount(7)));
        assert_eq!(a.live_count, Some(7));
    }

    #[test]
    fn toasts_expire_and_ticks_redraw_only_when_needed() {
        let mut a = app();
        a.take_dirty();
        a.update(Action::Tick);
        assert!(!a.take_dirty());
        a.toast("hello".into(), Role::Ok);
        for _ in 0..TOAST_TICKS {
            a.update(Action::Tick);
        }
        assert!(a.toasts.is_empty());
        assert!(a.take_dirty());
    }

    #[test]
    fn a_writer_job_a_pane_starts_shows_until_it_finishes() {
        let mut a = app();
        let dupes = a.panes.iter().position(|p| p.title() == "Duplicates");
        a.update(Action::GoPane(dupes.unwrap()));
        let effects = key(&mut a, KeyCode::Char('S'));
        let [Effect::Write(scan)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(a.jobs[0].label, "duplicate scan");
        let effects = a.update(Action::Job(JobEvent::Finished {
            id: scan.id(),
            outcome: Ok("Scanned 3 contacts".into()),
        }));
        assert!(!a.busy());
        assert!(effects.contains(&Effect::Read(ReadRequest::DuplicateQueue)));
    }

    #[test]
    fn digits_and_tab_switch_only_to_panes_that_exist() {
        let mut a = app();
        let n = a.panes.len();
        key(&mut a, KeyCode::Char('9'));
        assert_eq!(a.focused, 0);
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.focused, 1 % n);
        key(&mut a, KeyCode::Char('1'));
        assert_eq!(a.focused, 0);
    }

    #[test]
    fn a_pane_write_becomes_a_job_and_its_result_reaches_the_panes() {
        use crate::audit::view::Edit;
        let mut a = app();
        let request = |id| WriteRequest::Audit {
            id,
            edit: Edit::Undo(5),
        };
        let effects = a.track_jobs(vec![Effect::Write(request(0))]);
        assert_eq!(effects, vec![Effect::Write(request(1))]);
        assert_eq!(a.jobs[0].label, "undo log entry 5");
        assert!(a.busy());
        // The Audit pane hears the result and re-audits.
        let effects = a.update(Action::Job(JobEvent::AuditEdited {
            edit: Edit::Undo(5),
            result: Ok(6),
        }));
        assert!(effects
            .iter()
            .any(|e| matches!(e, Effect::Read(ReadRequest::Audit { .. }))));
        a.update(Action::Job(JobEvent::Finished {
            id: 1,
            outcome: Ok("undo log entry 5 (log entry 6)".into()),
        }));
        assert!(!a.busy());
    }
}
