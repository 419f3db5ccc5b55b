//! Whole-screen snapshots of the TUI on a fixed workspace, drawn with ratatui's TestBackend:
//! the Contacts list at 80x24 and 120x40, a contact's detail, help, the palette, a terminal
//! that is too small, and the mono theme's styles (no colour, reversed selection).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::tui::action::{Action, Effect};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::theme::Theme;
use listwarden::tui::{panes, ui};
use listwarden::workspace::{OpenOptions, Workspace, WorkspaceError};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::collections::VecDeque;

struct Screen {
    _dir: tempfile::TempDir,
    ws: Workspace,
    reader: Reader,
    app: App,
}

impl Screen {
    /// The app on the test fixture, with every read answered.
    fn new(theme: &str, width: u16, height: u16) -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        ws.write(|tx| -> Result<(), WorkspaceError> {
            tx.execute_batch(include_str!("tui_fixture.sql"))?;
            Ok(())
        })
        .unwrap();
        let theme = Theme::load_from(theme, None).unwrap();
        let app = App::new(
            "team/list.db".to_string(),
            theme,
            false,
            panes::all(),
            Rect::new(0, 0, width, height),
        );
        let mut screen = Screen {
            _dir: dir,
            ws,
            reader: Reader::default(),
            app,
        };
        let effects = screen.app.start();
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
        let size = self.app.size();
        let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
        terminal.draw(|f| ui::render(&self.app, f)).unwrap();
        terminal
    }
}

fn screen(theme: &str, width: u16, height: u16) -> Screen {
    Screen::new(theme, width, height)
}

#[test]
fn contacts_at_80x24() {
    let s = screen("dark", 80, 24);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn contacts_at_120x40_show_secondary_columns() {
    let s = screen("dark", 120, 40);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn contact_detail_with_source_records() {
    let mut s = screen("dark", 80, 24);
    s.key(KeyCode::Enter);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn contact_detail_side_by_side_at_120x40() {
    let mut s = screen("dark", 120, 40);
    s.key(KeyCode::Enter);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn filter_narrows_while_typing() {
    let mut s = screen("dark", 80, 24);
    s.key(KeyCode::Char('/')).keys("acme");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn sorted_by_name_descending() {
    let mut s = screen("dark", 80, 24);
    s.keys("sS");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn help_overlay() {
    let mut s = screen("dark", 80, 24);
    s.key(KeyCode::Char('?'));
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn command_palette_fuzzy() {
    let mut s = screen("dark", 80, 24);
    s.key(KeyCode::Char(':')).keys("imp");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn too_small_terminal() {
    let s = screen("dark", 30, 8);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn mono_theme_marks_selection_without_colour() {
    let mut s = screen("mono", 80, 24);
    s.key(KeyCode::Char('j'));
    let terminal = s.draw();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    // Row 4 (second contact) is selected: reversed, across the table.
    let selected = buffer.cell((0, 4)).unwrap();
    assert!(selected.modifier.contains(Modifier::REVERSED));
    assert!(!buffer
        .cell((0, 3))
        .unwrap()
        .modifier
        .contains(Modifier::REVERSED));
    insta::assert_snapshot!(terminal.backend());
}
