//! The Duplicates pane drawn with ratatui's TestBackend at 80x24 over a workspace with
//! planted duplicates, scanned for real.

mod common;

use common::screen::{Screen, Setup};
use crossterm::event::KeyCode;
use listwarden::dedupe::scan;
use listwarden::tui::theme::Role;
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
  NULL, 'Roma', 'subscribed', 'generic', 1767225600, 1767225600),
 (5, 'r5', 'eva.lind@mail.se', 'eva.lind@mail.se', 'Eva', 'Lind', 'Nordic AB',
  NULL, 'Stockholm', 'subscribed', 'generic', 1767225600, 1767225600);
";

/// The app over [`PEOPLE`], scanned for duplicates.
fn scanned() -> Screen {
    Setup::default().open(PEOPLE, |_, ws| {
        scan::scan(ws, &AtomicBool::new(false), &mut |_| {}).unwrap();
    })
}

#[test]
fn duplicates_pair_at_80x24() {
    let mut s = scanned();
    s.go("Duplicates");
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
