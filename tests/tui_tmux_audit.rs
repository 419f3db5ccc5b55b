//! The real binary in a detached tmux session at 80x24 under NO_COLOR: a messy list is
//! imported with the CLI, the Audit pane (key `2`) shows its findings, the typo finding
//! is drilled into, fixed with `f`, seen resolved, brought back with `u`, and an import by
//! another process re-runs the audit. Skipped (with a notice) where tmux is not installed.

mod common;

use common::tmux::{tmux_available, Tmux, WAIT};
use common::{import_csv, BIN};
use std::time::{Duration, Instant};
const TYPO: &str = "Likely typos in the email domain";

/// The count shown on the typo finding's row, if the row is on screen.
fn typo_count(screen: &str) -> Option<String> {
    let line = screen
        .lines()
        .find(|l| l.contains(TYPO) && !l.contains('─'))?;
    let rest = &line[line.find(TYPO)? + TYPO.len()..];
    rest.split_whitespace().next().map(str::to_string)
}

#[test]
fn audit_pane_drills_in_fixes_undoes_and_follows_other_imports() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    import_csv(
        &db,
        &dir.path().join("messy.csv"),
        "Email,First Name,Last Name\n\
         anna@gmial.com,Anna,Lee\n\
         info@firm.ie,Dora,Eck\n\
         bob@@firm.ie,Bob,Stone\n\
         carl@firm.ie,Carl,Diaz\n\
         dan@firm.ie,Dan,Ode\n",
    );
    let command = format!(
        "env NO_COLOR=1 TERM=xterm-256color {BIN} --db '{}'",
        db.display()
    );
    let t = Tmux::start("audit", &command);
    t.wait_for("the contacts list", |s| s.contains("5 contacts"));

    t.keys(&["2"]);
    let screen = t.wait_for("the findings", |s| {
        s.contains("Health ") && typo_count(s).is_some()
    });
    assert_eq!(typo_count(&screen).as_deref(), Some("1"), "{screen}");
    assert!(screen.contains("Invalid email addresses"), "{screen}");
    assert!(screen.contains("Role addresses"), "{screen}");

    // Down to the typo finding: its title heads the box below the list.
    let heading = format!(" {TYPO} ─");
    let started = Instant::now();
    while !t.screen().contains(&heading) {
        assert!(started.elapsed() < WAIT, "no typo finding:\n{}", t.screen());
        t.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    t.keys(&["Enter"]);
    let screen = t.wait_for("the typo's contacts", |s| s.contains("anna@gmial.com"));
    assert!(screen.contains("gmial.com → gmail.com"), "{screen}");
    assert!(screen.contains("email → anna@gmail.com"), "{screen}");

    t.keys(&["f"]);
    let screen = t.wait_for("the fix", |s| s.contains("resolved"));
    assert!(!screen.contains("anna@gmial.com"), "{screen}");

    t.keys(&["u"]);
    let screen = t.wait_for("the undo", |s| s.contains("anna@gmial.com"));
    assert!(screen.contains("gmial.com → gmail.com"), "{screen}");

    // Another process imports one more typo: the audit re-runs by itself.
    t.keys(&["Escape"]);
    t.wait_for("the findings again", |s| {
        typo_count(s).as_deref() == Some("1")
    });
    import_csv(
        &db,
        &dir.path().join("more.csv"),
        "Email,First Name\nzed@gmial.com,Zed\n",
    );
    t.wait_for("the re-run audit", |s| {
        typo_count(s).as_deref() == Some("2")
    });

    t.keys(&["q"]);
    let started = Instant::now();
    while t.is_running() {
        assert!(started.elapsed() < WAIT, "q did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
}
