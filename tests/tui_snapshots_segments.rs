//! The Segments pane at 80x24 on the TUI fixture, drawn with ratatui's TestBackend: a saved
//! segment in the list, and a rule being typed in the editor with its live count, the
//! clause-by-clause breakdown, warnings and a sample.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::segment::{self, Image};
use listwarden::tui::action::{Action, Effect};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::theme::Theme;
use listwarden::tui::{panes, ui};
use listwarden::workspace::{OpenOptions, Workspace, WorkspaceError};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::collections::VecDeque;

struct Screen {
    _dir: tempfile::TempDir,
    ws: Workspace,
    reader: Reader,
    app: App,
}

impl Screen {
    fn new() -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        ws.write(|tx| -> Result<(), WorkspaceError> {
            tx.execute_batch(include_str!("tui_fixture.sql"))?;
            Ok(())
        })
        .unwrap();
        let image = Image::load(ws.conn()).unwrap();
        segment::save(&mut ws, &image, "Subscribed", "status = subscribed").unwrap();
        let theme = Theme::load_from("dark", None).unwrap();
        let app = App::new(
            "team/list.db".to_string(),
            theme,
            false,
            panes::all(),
            Rect::new(0, 0, 80, 24),
        );
        let mut screen = Screen {
            _dir: dir,
            ws,
            reader: Reader::default(),
            app,
        };
        let effects = screen.app.start();
        screen.settle(effects);
        let segments = panes::all()
            .iter()
            .position(|p| p.title() == "Segments")
            .unwrap();
        let effects = screen.app.update(Action::GoPane(segments));
        screen.settle(effects);
        screen
    }

    /// Answers reads the way the reader thread would, until nothing is asked any more.
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let Effect::Read(request) = effect else {
                continue;
            };
            let mut replies = Vec::new();
            self.reader
                .answer(self.ws.conn(), &request, &mut |r| replies.push(r))
                .unwrap();
            for reply in replies {
                queue.extend(self.app.update(Action::Read(reply)));
            }
        }
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        let effects = self
            .app
            .update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle(effects);
        self
    }

    fn keys(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| ui::render(&self.app, f)).unwrap();
        terminal
    }
}

#[test]
fn segments_list_at_80x24() {
    let s = Screen::new();
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn segment_editor_counts_while_typing_at_80x24() {
    let mut s = Screen::new();
    s.key(KeyCode::Char('n'))
        .key(KeyCode::Enter)
        .keys("status = subscribed and country = \"GB\"");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn segment_editor_points_at_errors_and_completes() {
    let mut s = Screen::new();
    s.key(KeyCode::Char('n'))
        .key(KeyCode::Enter)
        .keys("contry = \"DE\"");
    let screen = format!("{:?}", s.draw().backend());
    assert!(
        screen.contains("1:1: unknown field") || screen.contains("did you mean"),
        "{screen}"
    );
    assert!(screen.contains("country"), "{screen}");
    s.key(KeyCode::Esc)
        .key(KeyCode::Char('n'))
        .key(KeyCode::Enter);
    s.keys("status = subscribed and cou").key(KeyCode::Tab);
    insta::assert_snapshot!(s.draw().backend());
}
