//! The Review pane at 80x24, drawn with ratatui's TestBackend, on a workspace built with the
//! library: a January import, two saved segments, an audit and a recorded review, then a
//! February import (someone moved, someone new, someone unsubscribed) and another audit,
//! reviewed in March. Every step runs on a pinned workspace clock, so it is deterministic.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use listwarden::clock::Clock;
use listwarden::import::{Kind, Options};
use listwarden::maintenance::review;
use listwarden::segment::{self, Image};
use listwarden::tui::action::{Action, Effect, ReadReply, ReadRequest};
use listwarden::tui::app::App;
use listwarden::tui::jobs::Reader;
use listwarden::tui::theme::Theme;
use listwarden::tui::{panes, ui};
use listwarden::workspace::{OpenOptions, Workspace};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn open(db: &Path, now: &str) -> Workspace {
    let options = OpenOptions {
        user: Some("ann".into()),
        clock: Clock::parse(now).unwrap(),
        ..OpenOptions::default()
    };
    Workspace::open(db, &options).unwrap()
}

fn import(ws: &mut Workspace, dir: &Path, name: &str, csv: &str) {
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    let options = Options {
        kind: Kind::Contacts,
        preset: None,
        name: None,
    };
    listwarden::pipeline::import_file(ws, &path, &options, &mut |_| {}, &AtomicBool::new(false))
        .unwrap();
}

fn audit(ws: &mut Workspace) {
    let result = listwarden::audit::run(ws.conn(), ws.clock().now_ts()).unwrap();
    listwarden::audit::save_run(ws, &result).unwrap();
}

struct Screen {
    _dir: tempfile::TempDir,
    ws: Workspace,
    reader: Reader,
    app: App,
}

impl Screen {
    fn new() -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let mut ws = open(&db, "2026-01-05T09:00:00Z");
        import(
            &mut ws,
            dir.path(),
            "january.csv",
            "Email,First Name,Country,Status\nanna@example.org,Anna,DE,subscribed\n\
             ben@example.org,Ben,DE,subscribed\ncara@example.org,Cara,DE,subscribed\n\
             dan@example.org,Dan,AT,subscribed\n",
        );
        let image = Image::load(ws.conn()).unwrap();
        segment::save(&mut ws, &image, "German", "country = DE").unwrap();
        segment::save(&mut ws, &image, "Subscribed", "status = subscribed").unwrap();
        audit(&mut ws);
        let r = review::review(ws.conn(), ws.clock().now_ts()).unwrap();
        review::record(&mut ws, &r, "January").unwrap();
        drop(ws);

        let mut ws = open(&db, "2026-02-10T09:00:00Z");
        import(
            &mut ws,
            dir.path(),
            "february.csv",
            "Email,First Name,Country,Status\nben@example.org,Ben,FR,subscribed\n\
             eva@example.org,Eva,DE,subscribed\nfritz@example.org,Fritz,DE,subscribed\n\
             dan@example.org,Dan,AT,unsubscribed\n",
        );
        audit(&mut ws);
        drop(ws);

        let ws = open(&db, "2026-03-01T12:00:00Z");
        let app = App::new(
            "team/list.db".to_string(),
            Theme::load_from("dark", None).unwrap(),
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

    /// Answers reads the way the reader threads would (the review on the workspace's
    /// clock), until nothing is asked any more.
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let Effect::Read(request) = effect else {
                continue;
            };
            let mut replies = Vec::new();
            if let ReadRequest::Review { generation } = request {
                let now = self.ws.clock().now_ts();
                let review = Box::new(review::review(self.ws.conn(), now).unwrap());
                replies.push(ReadReply::Review { generation, review });
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

    fn key(&mut self, code: KeyCode) -> &mut Self {
        let effects = self
            .app
            .update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle(effects);
        self
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| ui::render(&self.app, f)).unwrap();
        terminal
    }
}

#[test]
fn review_pane_at_80x24() {
    let mut s = Screen::new();
    s.key(KeyCode::Char('6'));
    let screen = format!("{:?}", s.draw().backend());
    assert!(screen.contains("German          3 → 4"), "{screen}");
    s.key(KeyCode::Char('j'));
    insta::assert_snapshot!(s.draw().backend());
}
