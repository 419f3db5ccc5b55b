//! Whole-screen snapshots of the TUI on a fixed workspace, drawn with ratatui's TestBackend:
//! the Contacts list at 80x24 and 120x40, a contact's detail, help, the palette, a terminal
//! that is too small, and the mono theme's styles (no colour, reversed selection).

mod common;

use common::screen::Screen;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

fn screen(theme: &'static str, width: u16, height: u16) -> Screen {
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

/// An import's toast keeps its lines as lines (the summary, then the segments it moved),
/// rather than one line with the breaks shown as control pictures.
#[test]
fn a_finished_import_toast_shows_its_lines() {
    use listwarden::tui::action::{Action, JobEvent};
    let mut s = screen("dark", 80, 24);
    s.update(Action::Job(JobEvent::Finished {
        id: 1,
        outcome: Ok("more.csv (generic contacts): 3 read, 3 new\n  segment \"Engaged\": +3 entered, -0 left, 9 members".into()),
    }));
    let screen = format!("{}", s.draw().backend());
    assert!(!screen.contains('␊'), "{screen}");
    let summary = screen
        .lines()
        .position(|l| l.contains("more.csv (generic contacts)"));
    let segment = screen
        .lines()
        .position(|l| l.contains("segment \"Engaged\": +3 entered"));
    assert!(
        matches!((summary, segment), (Some(a), Some(b)) if b == a + 1),
        "{screen}"
    );
}

/// Past its last row an import still rebuilds indexes and commits; the status bar says it
/// is finishing instead of offering a cancel that can no longer take effect.
#[test]
fn an_import_past_its_last_row_says_it_is_finishing() {
    use listwarden::tui::action::{Action, JobEvent};
    let mut s = screen("dark", 100, 24);
    s.key(KeyCode::Char(':')).keys("import /tmp/big.csv");
    s.key(KeyCode::Enter);
    let progress = |done| {
        Action::Job(JobEvent::Progress {
            id: 1,
            rows: 5000,
            done,
            total: 100,
        })
    };
    s.update(progress(40));
    let running = format!("{}", s.draw().backend());
    assert!(running.contains("x cancel"), "{running}");
    s.update(progress(100));
    let finishing = format!("{}", s.draw().backend());
    assert!(finishing.contains("5,000 rows  finishing…"), "{finishing}");
    assert!(!finishing.contains("x cancel"), "{finishing}");
}
