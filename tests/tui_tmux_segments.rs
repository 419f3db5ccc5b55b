//! The real binary in a detached tmux session at 80x24: a person opens the Segments pane,
//! writes a rule character by character and watches the count follow, sees an error with
//! its position, saves the rule under a name and finds it in the list — and afterwards in
//! `listwarden segment list`. Skipped (with a notice) where tmux is not installed.

mod common;

use common::tmux::{tmux_available, Tmux};
use common::{cli, import_csv, pane_key, BIN};
use std::path::{Path, PathBuf};

/// A workspace with 30 contacts, 10 of them in Germany, imported from a CSV.
fn workspace(dir: &Path) -> PathBuf {
    let csv = dir.join("people.csv");
    let mut text = String::from("Email,First Name,Country\n");
    for i in 0..30 {
        let country = ["DE", "FR", "GB"][i % 3];
        text.push_str(&format!("person{i:02}@example.com,Pat{i:02},{country}\n"));
    }
    let db = dir.join("list.db");
    import_csv(&db, &csv, &text);
    db
}

#[test]
fn a_rule_counts_while_typed_shows_errors_and_saves() {
    if !tmux_available() {
        eprintln!("tmux not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let t = Tmux::start(
        "segments",
        &format!("env TERM=xterm-256color {BIN} --db '{}'", db.display()),
    );
    t.wait_for("the app", |s| s.contains("30 contacts"));
    t.keys(&[&pane_key("Segments")]);
    t.wait_for("the Segments pane", |s| s.contains("Saved segments (0)"));

    // An empty rule matches everyone; the count follows each character typed.
    t.keys(&["n"]);
    t.wait_for("the template list", |s| s.contains("Empty rule"));
    t.keys(&["Enter"]);
    t.wait_for("the total", |s| s.contains("30 of 30 contacts"));
    for c in "country = \"DE\"".chars() {
        t.text(&c.to_string());
        if c == 'y' {
            t.wait_for("an incomplete rule", |s| s.contains("expected"));
        }
    }
    let screen = t.wait_for("the German count", |s| s.contains("10 of 30 contacts"));
    assert!(
        screen.contains("person00@example.com"),
        "a sample:\n{screen}"
    );

    // A mistake shows where and what was expected.
    t.text(" and contry = \"FR\"");
    let screen = t.wait_for("the error", |s| s.contains("did you mean"));
    assert!(
        screen.contains("1:20: unknown field \"contry\"") && screen.contains("\"country\"?"),
        "{screen}"
    );
    for _ in 0..18 {
        t.keys(&["BSpace"]);
    }
    t.wait_for("the German count again", |s| {
        s.contains("10 of 30 contacts")
    });

    // Save under a name: it appears in the list with its members.
    t.keys(&["C-s"]);
    t.wait_for("the name prompt", |s| s.contains("Save as"));
    t.text("Germany");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the saved segment", |s| {
        s.contains("Saved segments (1)") && s.contains("Germany")
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Germany") && l.contains("10")),
        "{screen}"
    );
    t.keys(&["q"]);
    let started = std::time::Instant::now();
    while t.is_running() && started.elapsed() < common::tmux::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let listed = cli(&db, &["segment", "list"]);
    // Listed with its member count and the rule in canonical form.
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("Germany") && l.contains(" 10 ") && l.contains("country = DE")),
        "{listed}"
    );
}
