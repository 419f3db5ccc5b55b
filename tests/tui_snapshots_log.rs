//! The Log pane drawn with ratatui's TestBackend at 80x24 (the pane's area of a standard
//! terminal), on a workspace whose log was written by the real features: a suppression,
//! a segment save, a merge and the undo of the suppression.

mod common;

use common::screen::{self, FIXTURE};
use listwarden::audit;
use listwarden::clock::Clock;
use listwarden::dedupe::merge::{self, Survivor};
use listwarden::maintenance::log;
use listwarden::segment::{self, Image, Scope};
use listwarden::tui::action::{Action, Effect};
use listwarden::tui::jobs::Reader;
use listwarden::tui::panes::log::LogPane;
use listwarden::tui::panes::Pane;
use listwarden::tui::theme::Theme;
use listwarden::workspace::{OpenOptions, Workspace};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

/// Where a pane draws in an 80x24 terminal: below the pane bar, above status and hints.
const PANE: Rect = Rect {
    x: 0,
    y: 1,
    width: 80,
    height: 21,
};

fn workspace() -> (tempfile::TempDir, Workspace) {
    let options = OpenOptions {
        user: Some("alice".into()),
        clock: Clock::parse("2026-01-05T09:30:00Z").unwrap(),
        ..OpenOptions::default()
    };
    let (dir, mut ws) = screen::workspace(&options, FIXTURE);
    let suppressed = audit::suppress(&mut ws, &[4], "asked by phone").unwrap();
    let expr = segment::parse_rule("rule", "country = GB").unwrap();
    let image = Image::load_scoped(ws.conn(), &Scope::of([&expr])).unwrap();
    segment::save(&mut ws, &image, "UK", "country = GB").unwrap();
    merge::merge(&mut ws, 1, 2, Survivor::Chosen).unwrap();
    log::undo(&mut ws, suppressed).unwrap();
    (dir, ws)
}

/// Answers the pane's reads the way the reader thread would, until it asks nothing more.
fn settle(pane: &mut LogPane, ws: &Workspace, effects: Vec<Effect>) {
    screen::settle(&mut Reader::default(), ws, effects, |a| pane.update(&a));
}

fn draw(pane: &LogPane) -> Terminal<TestBackend> {
    let theme = Theme::load_from("dark", None).unwrap();
    screen::draw_pane(pane, PANE, (80, 24), &theme)
}

fn loaded() -> (tempfile::TempDir, Workspace, LogPane) {
    let (dir, ws) = workspace();
    let mut pane = LogPane::default();
    let mut effects = pane.resize(PANE);
    effects.extend(pane.refresh());
    settle(&mut pane, &ws, effects);
    (dir, ws, pane)
}

#[test]
fn log_at_80x24() {
    let (_dir, _ws, pane) = loaded();
    insta::assert_snapshot!(draw(&pane).backend());
}

#[test]
fn log_entry_details_at_80x24() {
    let (_dir, ws, mut pane) = loaded();
    // Newest first: the undo, then the merge.
    let mut effects = pane.update(&Action::Command(listwarden::tui::keymap::Command::Down));
    effects.extend(pane.update(&Action::Command(listwarden::tui::keymap::Command::Open)));
    settle(&mut pane, &ws, effects);
    insta::assert_snapshot!(draw(&pane).backend());
}

#[test]
fn a_long_summary_wraps_in_the_details_at_80x24() {
    let (_dir, mut ws, mut pane) = loaded();
    let message = "/srv/exports/hubspot/contacts-2026-01-05.csv: row 1,204, column \
                   \"Create Date\": \"31/02/2026\" is not a date this export writes";
    listwarden::maintenance::watch::log_failure(
        &mut ws,
        std::path::Path::new("/srv/exports/hubspot/contacts-2026-01-05.csv"),
        message,
    )
    .unwrap();
    let effects = pane.refresh();
    settle(&mut pane, &ws, effects);
    // Newest first: the failure just logged.
    let effects = pane.update(&Action::Command(listwarden::tui::keymap::Command::Open));
    settle(&mut pane, &ws, effects);
    insta::assert_snapshot!(draw(&pane).backend());
}
