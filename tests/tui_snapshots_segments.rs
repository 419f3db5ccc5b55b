//! The Segments pane at 80x24 on the TUI fixture, drawn with ratatui's TestBackend: a saved
//! segment in the list, and a rule being typed in the editor with its live count, the
//! clause-by-clause breakdown, warnings and a sample.

mod common;

use common::screen::{Screen, Setup, FIXTURE};
use crossterm::event::KeyCode;
use listwarden::segment::{self, Image};

/// The Segments pane with one saved segment.
fn segments() -> Screen {
    Setup {
        pane: Some("Segments"),
        ..Setup::default()
    }
    .open(FIXTURE, |_, ws| {
        let image = Image::load(ws.conn()).unwrap();
        segment::save(ws, &image, "Subscribed", "status = subscribed").unwrap();
    })
}

#[test]
fn segments_list_at_80x24() {
    let s = segments();
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn segment_editor_counts_while_typing_at_80x24() {
    let mut s = segments();
    s.key(KeyCode::Char('n'))
        .key(KeyCode::Enter)
        .keys("status = subscribed and country = \"GB\"");
    insta::assert_snapshot!(s.draw().backend());
}

#[test]
fn segment_editor_points_at_errors_and_completes() {
    let mut s = segments();
    s.key(KeyCode::Char('n'))
        .key(KeyCode::Enter)
        .keys("contry = \"DE\"");
    let screen = format!("{:?}", s.draw().backend());
    assert!(
        screen.contains("1:1: unknown field") || screen.contains("did you mean"),
        "{screen}"
    );
    assert!(screen.contains("country"), "{screen}");
    // Leaving over unsaved changes takes a second Esc.
    s.key(KeyCode::Esc)
        .key(KeyCode::Esc)
        .key(KeyCode::Char('n'))
        .key(KeyCode::Enter);
    s.keys("status = subscribed and cou").key(KeyCode::Tab);
    insta::assert_snapshot!(s.draw().backend());
}
