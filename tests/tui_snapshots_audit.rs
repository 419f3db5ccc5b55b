//! Snapshots of the Audit pane at 80x24 on a small messy list, drawn with ratatui's
//! TestBackend: the findings with score and breakdown, one finding's contacts with the
//! suggested fix, and the forget question; plus the mono theme (no colour at all).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::audit::view::Shared;
use listwarden::tui::action::{Action, Effect, ReadReply, ReadRequest};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::theme::Theme;
use listwarden::tui::{panes, ui};
use listwarden::workspace::{OpenOptions, Workspace};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

const CSV: &str = "email,first_name,last_name,company,status
anna@gmial.com,Anna,Lee,Firm,subscribed
bob@@firm.ie,Bob,Stone,Firm,subscribed
info@firm.ie,Dora,Eck,Firm,subscribed
carl@firm.ie,CARL,DIAZ,Firm,subscribed
dan@firm.ie,,Lee,Firm,subscribed
eve@firm.ie,Eve,Lee,Firm,unsubscribed
fay@firm.ie,Fay,Lee,Firm,subscribed
";

struct Screen {
    _dir: tempfile::TempDir,
    ws: Workspace,
    reader: Reader,
    app: App,
}

impl Screen {
    fn new(theme: &str) -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("messy.csv");
        std::fs::write(&csv, CSV).unwrap();
        let options = OpenOptions {
            clock: listwarden::clock::Clock::parse("2026-01-01").unwrap(),
            ..OpenOptions::default()
        };
        let mut ws = Workspace::open(&dir.path().join("w.db"), &options).unwrap();
        let import = listwarden::import::Options {
            kind: listwarden::import::Kind::Contacts,
            preset: None,
        };
        let cancel = AtomicBool::new(false);
        listwarden::import::import_file(&mut ws, &csv, &import, &mut |_| {}, &cancel).unwrap();
        let app = App::new(
            "team/list.db".to_string(),
            Theme::load_from(theme, None).unwrap(),
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

    /// Answers reads the way the reader and auditor threads would.
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let Effect::Read(request) = effect else {
                continue;
            };
            let mut replies = Vec::new();
            if let ReadRequest::Audit { generation } = request {
                let now = self.ws.clock().now_ts();
                let audit = listwarden::audit::run(self.ws.conn(), now).unwrap();
                replies.push(ReadReply::Audit {
                    generation,
                    audit: Shared(Arc::new(audit)),
                });
            } else {
                self.reader
                    .answer(self.ws.conn(), &request, &mut |r| replies.push(r))
                    .unwrap();
            }
            for reply in replies {
                queue.extend(self.app.update(Action::Read(reply)));
            }
        }
    }

    fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for code in keys {
            let effects = self
                .app
                .update(Action::Key(KeyEvent::new(*code, KeyModifiers::NONE)));
            self.settle(effects);
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
fn audit_findings_at_80x24() {
    let mut s = Screen::new("dark");
    s.keys(&[KeyCode::Char('2')]);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn audit_contacts_of_a_finding_with_the_suggested_fix() {
    let mut s = Screen::new("dark");
    s.keys(&[KeyCode::Char('2')]);
    // Walk down to the typo finding, wherever impact put it: its title heads the box.
    for _ in 0..20 {
        let text = format!("{}", s.draw().backend());
        if text.contains(" Likely typos in the email domain ─") {
            break;
        }
        s.keys(&[KeyCode::Char('j')]);
    }
    s.keys(&[KeyCode::Enter]);
    let terminal = s.draw();
    assert!(format!("{}", terminal.backend()).contains("anna@gmial.com"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn audit_forget_asks_first() {
    let mut s = Screen::new("dark");
    s.keys(&[KeyCode::Char('2'), KeyCode::Enter, KeyCode::Char('F')]);
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn audit_in_mono_has_no_colour() {
    let mut s = Screen::new("mono");
    s.keys(&[KeyCode::Char('2')]);
    let terminal = s.draw();
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
}

#[test]
fn audit_help_lists_the_contact_keys() {
    let mut s = Screen::new("dark");
    s.keys(&[KeyCode::Char('2'), KeyCode::Enter, KeyCode::Char('?')]);
    let terminal = s.draw();
    let text = format!("{}", terminal.backend());
    assert!(text.contains("Audit keys"), "{text}");
    assert!(text.contains("forget: erase, cannot undo"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}
