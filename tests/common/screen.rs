//! The TUI in-process over a workspace of the test's own, drawn with ratatui's TestBackend:
//! what every `tui_snapshots*` test drives. Reads (and audits) are answered the way the
//! reader and auditor threads would answer them, until nothing more is asked.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::audit::view::Shared;
use listwarden::tui::action::{Action, Effect, ReadReply, ReadRequest};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::panes::{self, Pane};
use listwarden::tui::theme::Theme;
use listwarden::tui::ui;
use listwarden::workspace::{OpenOptions, Workspace, WorkspaceError};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

/// The TUI test fixture: a handful of contacts with sources, tags and custom fields.
pub const FIXTURE: &str = include_str!("../tui_fixture.sql");

/// A workspace in a fresh temp dir, opened with `options`, with `sql` (if any) run on it.
pub fn workspace(options: &OpenOptions, sql: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("w.db"), options).unwrap();
    if !sql.is_empty() {
        ws.write(|tx| -> Result<(), WorkspaceError> {
            tx.execute_batch(sql)?;
            Ok(())
        })
        .unwrap();
    }
    (dir, ws)
}

/// A pane's place in the pane bar (`Action::GoPane`), wherever the other panes put it.
pub fn pane_index(title: &str) -> usize {
    panes::all()
        .iter()
        .position(|p| p.title() == title)
        .unwrap_or_else(|| panic!("no pane titled {title:?}"))
}

/// Answers the reads among `effects` on `ws`, feeding each reply to `update` and queueing
/// what it asks in turn, until nothing is asked any more. Audits are run in place, as the
/// auditor thread would; other effects (writes, themes, quitting) are dropped.
pub fn settle(
    reader: &mut Reader,
    ws: &Workspace,
    effects: Vec<Effect>,
    mut update: impl FnMut(Action) -> Vec<Effect>,
) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let Effect::Read(request) = effect else {
            continue;
        };
        let mut replies = Vec::new();
        if let ReadRequest::Audit { generation } = request {
            let audit = listwarden::audit::run(ws.conn(), ws.clock().now_ts()).unwrap();
            replies.push(ReadReply::Audit {
                generation,
                audit: Shared(Arc::new(audit)),
            });
        } else {
            reader
                .answer(ws.conn(), &request, &mut |r| replies.push(r))
                .unwrap();
        }
        for reply in replies {
            queue.extend(update(Action::Read(reply)));
        }
    }
}

/// Draws one pane alone into `area` of a `width` x `height` terminal.
pub fn draw_pane(
    pane: &dyn Pane,
    area: Rect,
    (width, height): (u16, u16),
    theme: &Theme,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| pane.render(area, f.buffer_mut(), theme))
        .unwrap();
    terminal
}

/// How to build a [`Screen`]: the theme (`mono` is what NO_COLOR picks), the terminal
/// size, how the workspace is opened, and the pane to show once started.
pub struct Setup {
    pub theme: &'static str,
    pub width: u16,
    pub height: u16,
    pub options: OpenOptions,
    pub pane: Option<&'static str>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            theme: "dark",
            width: 80,
            height: 24,
            options: OpenOptions::default(),
            pane: None,
        }
    }
}

impl Setup {
    /// The app over a workspace of `sql`; `prepare` may then change the workspace (its
    /// temp dir at hand) before the app starts.
    pub fn open(self, sql: &str, prepare: impl FnOnce(&Path, &mut Workspace)) -> Screen {
        let (dir, mut ws) = workspace(&self.options, sql);
        prepare(dir.path(), &mut ws);
        let app = App::new(
            "team/list.db".to_string(),
            Theme::load_from(self.theme, None).unwrap(),
            false,
            panes::all(),
            Rect::new(0, 0, self.width, self.height),
        );
        let mut screen = Screen {
            _dir: dir,
            ws,
            reader: Reader::default(),
            app,
        };
        let effects = screen.app.start();
        screen.settle(effects);
        if let Some(title) = self.pane {
            screen.go(title);
        }
        screen
    }

    /// The app over the TUI fixture.
    pub fn fixture(self) -> Screen {
        self.open(FIXTURE, |_, _| {})
    }
}

/// The whole app over a workspace, every read answered.
pub struct Screen {
    _dir: tempfile::TempDir,
    pub ws: Workspace,
    pub reader: Reader,
    pub app: App,
}

impl Screen {
    /// The app on the TUI fixture in `theme` at `width` x `height`.
    pub fn new(theme: &'static str, width: u16, height: u16) -> Screen {
        Setup {
            theme,
            width,
            height,
            ..Setup::default()
        }
        .fixture()
    }

    /// Answers reads the way the reader thread would, until nothing is asked any more.
    pub fn settle(&mut self, effects: Vec<Effect>) {
        let app = &mut self.app;
        settle(&mut self.reader, &self.ws, effects, |a| app.update(a));
    }

    pub fn update(&mut self, action: Action) -> &mut Self {
        let effects = self.app.update(action);
        self.settle(effects);
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Types each character of `text` as a key.
    pub fn keys(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    /// Shows the pane with this title.
    pub fn go(&mut self, title: &str) -> &mut Self {
        self.update(Action::GoPane(pane_index(title)))
    }

    /// The whole screen at the app's size.
    pub fn draw(&self) -> Terminal<TestBackend> {
        let size = self.app.size();
        let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
        terminal.draw(|f| ui::render(&self.app, f)).unwrap();
        terminal
    }
}
