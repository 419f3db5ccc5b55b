//! The Duplicates pane drawn with ratatui's TestBackend at 80x24 over a workspace with
//! planted duplicates, scanned for real.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::dedupe::scan;
use listwarden::tui::action::{Action, Effect};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::theme::{Role, Theme};
use listwarden::tui::{panes, ui};
use listwarden::workspace::{OpenOptions, Workspace, WorkspaceError};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;

const PEOPLE: &str = "
INSERT INTO contacts (id, external_id, email, email_norm, first_name, last_name, company,
                      phone, city, status, source, first_seen_at, updated_at)
VALUES
 (1, 'r1', 'bob.miller@kiwi.com', 'bob.miller@kiwi.com', 'Robert', 'Miller', 'Kiwi Health',
  '+442079460001', 'London', 'subscribed', 'generic', 1767225600, 1767225600),
 (2, 'r2', 'bob.miller@kiwihealth.com', 'bob.miller@kiwihealth.com', 'Bob', 'Miller',
  'Kiwi Health', '+442079460001', 'London', 'unsubscribed', 'generic', 1767225600, 1767225600),
 (3, 'r3', 'carla.rossi@acme.it', 'carla.rossi@acme.it', 'Carla', 'Rossi', 'Acme',
  '+390612345678', 'Rome', 'subscribed', 'generic', 1767225600, 1767225600),
 (4, 'r4', 'carla.rossi@gmail.com', 'carla.rossi@gmail.com', 'Carla', 'Rossi', NULL,
  '+390612345678', 'Roma', 'subscribed', 'generic', 1767225600, 1767225600),
 (5, 'r5', 'eva.lind@mail.se', 'eva.lind@mail.se', 'Eva', 'Lind', 'Nordic AB',
  NULL, 'Stockholm', 'subscribed', 'generic', 1767225600, 1767225600);
";

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
            tx.execute_batch(PEOPLE)?;
            Ok(())
        })
        .unwrap();
        scan::scan(&mut ws, &AtomicBool::new(false), &mut |_| {}).unwrap();
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

    fn update(&mut self, action: Action) {
        let effects = self.app.update(action);
        self.settle(effects);
    }

    fn key(&mut self, code: KeyCode) {
        self.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| ui::render(&self.app, f)).unwrap();
        terminal
    }
}

/// The Duplicates pane's place in the pane bar, wherever the other panes put it.
fn duplicates_index() -> usize {
    panes::all()
        .iter()
        .position(|p| p.title() == "Duplicates")
        .unwrap()
}

#[test]
fn duplicates_pair_at_80x24() {
    let mut s = Screen::new();
    s.update(Action::GoPane(duplicates_index()));
    // The cursor on the first name, the right value picked.
    s.key(KeyCode::Char('j'));
    s.key(KeyCode::Char('r'));
    let terminal = s.draw();
    insta::assert_snapshot!(terminal.backend());
    // The differing email: the kept value marked as added, the other as lost; the
    // picked first name the other way round.
    let buf = terminal.backend().buffer();
    let theme = s.app.theme();
    let fg = |x: u16, y: u16| buf[(x, y)].fg;
    assert_eq!(fg(13, 3), theme.style(Role::DiffAdd).fg.unwrap());
    assert_eq!(fg(48, 3), theme.style(Role::DiffDel).fg.unwrap());
    assert_eq!(fg(13, 4), theme.style(Role::DiffDel).fg.unwrap());
    assert_eq!(fg(48, 4), theme.style(Role::DiffAdd).fg.unwrap());
}
