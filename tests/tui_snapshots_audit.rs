//! Snapshots of the Audit pane at 80x24 on a small messy list, drawn with ratatui's
//! TestBackend: the findings with score and breakdown, one finding's contacts with the
//! suggested fix, and the forget question; plus the mono theme (no colour at all).

mod common;

use common::screen::{Screen, Setup};
use crossterm::event::KeyCode;
use listwarden::workspace::OpenOptions;
use ratatui::style::Color;
use std::sync::atomic::AtomicBool;

const CSV: &str = "email,first_name,last_name,company,status
anna@gmial.com,Anna,Lee,Firm,subscribed
bob@@firm.ie,Bob,Stone,Firm,subscribed
info@firm.ie,Dora,Eck,Firm,subscribed
carl@firm.ie,CARL,DIAZ,Firm,subscribed
dan@firm.ie,,Lee,Firm,subscribed
eve@firm.ie,Eve,Lee,Firm,unsubscribed
fay@firm.ie,Fay,Lee,Firm,subscribed
";

/// The app in `theme` over [`CSV`], imported for real on 2026-01-01.
fn messy(theme: &'static str) -> Screen {
    let options = OpenOptions {
        clock: listwarden::clock::Clock::parse("2026-01-01").unwrap(),
        ..OpenOptions::default()
    };
    Setup {
        theme,
        options,
        ..Setup::default()
    }
    .open("", |dir, ws| {
        let csv = dir.join("messy.csv");
        std::fs::write(&csv, CSV).unwrap();
        let import = listwarden::import::Options {
            kind: listwarden::import::Kind::Contacts,
            preset: None,
            name: None,
        };
        let cancel = AtomicBool::new(false);
        listwarden::import::import_file(ws, &csv, &import, &mut |_| {}, &cancel).unwrap();
    })
}

#[test]
fn audit_findings_at_80x24() {
    let mut s = messy("dark");
    s.keys("2");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn audit_contacts_of_a_finding_with_the_suggested_fix() {
    let mut s = messy("dark");
    s.keys("2");
    // Walk down to the typo finding, wherever impact put it: its title heads the box.
    for _ in 0..20 {
        let text = format!("{}", s.draw().backend());
        if text.contains(" Likely typos in the email domain ─") {
            break;
        }
        s.keys("j");
    }
    s.key(KeyCode::Enter);
    let terminal = s.draw();
    assert!(format!("{}", terminal.backend()).contains("anna@gmial.com"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn audit_forget_asks_first() {
    let mut s = messy("dark");
    s.keys("2").key(KeyCode::Enter).keys("F");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn audit_in_mono_has_no_colour() {
    let mut s = messy("mono");
    s.keys("2");
    let terminal = s.draw();
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
}

#[test]
fn audit_help_lists_the_contact_keys() {
    let mut s = messy("dark");
    s.keys("2").key(KeyCode::Enter).keys("?");
    let terminal = s.draw();
    let text = format!("{}", terminal.backend());
    assert!(text.contains("Audit keys"), "{text}");
    assert!(text.contains("forget: erase, cannot undo"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}
