//! The real binary in tmux at 80x24: the Log pane shows what the CLI did (with the OS
//! user), opens an entry's details, picks up an import made by another process without a
//! keystroke, and undoes a merge after a confirmation. Skipped where tmux is missing.

mod common;

use common::tmux::{tmux_available, Tmux};
use common::{cli_as, pane_key, BIN};

#[test]
fn log_pane_shows_changes_details_live_entries_and_undoes_a_merge() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "Email,First Name,Last Name\nann@example.com,Ann,Lee\nann.lee@example.org,Ann,Lee\nbo@example.com,Bo,Kim\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    cli_as(&db, "alice", &["import", csv]);
    cli_as(
        &db,
        "alice",
        &["segment", "save", "Anns", "first_name = Ann"],
    );
    cli_as(&db, "alice", &["dedupe", "merge", "#1", "#2"]);

    let t = Tmux::start(
        "log",
        &format!(
            "env TERM=xterm-256color USER=carol {BIN} --db '{}'",
            db.display()
        ),
    );
    t.wait_for("the contacts", |s| s.contains("2 contacts"));
    t.keys(&[&pane_key("Log")]);
    let screen = t.wait_for("the log", |s| {
        s.contains("merged contact 2 into 1") && s.contains("segment_save")
    });
    assert!(screen.contains("alice"), "{screen}");
    assert!(screen.contains("import"), "{screen}");
    assert!(screen.contains("Time (UTC)"), "{screen}");

    // The merge is the newest entry: its details name both contacts.
    t.keys(&["Enter"]);
    let screen = t.wait_for("the merge's details", |s| s.contains("Contacts (2)"));
    assert!(screen.contains("survivor"), "{screen}");
    assert!(screen.contains("ann@example.com"), "{screen}");
    assert!(screen.contains("can be undone"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for("the list again", |s| s.contains("Time (UTC)"));

    // Another process imports: the entry appears without a keystroke.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "Email\ncy@example.com\n").unwrap();
    cli_as(&db, "dave", &["import", more.to_str().unwrap()]);
    let screen = t.wait_for("dave's import", |s| s.contains("dave"));
    assert!(screen.contains("more.csv"), "{screen}");

    // Undo the merge: filter to it, u, confirm.
    t.keys(&["/"]);
    t.text("merged contact");
    t.keys(&["Enter"]);
    t.wait_for("only the merge", |s| s.contains("1 entry"));
    t.keys(&["u"]);
    t.wait_for("the question", |s| s.contains("Undo entry"));
    t.keys(&["y"]);
    let screen = t.wait_for("the unmerge entry", |s| {
        s.contains("unmerged contact 2 from 1") && s.contains("(undone) merged contact 2 into 1")
    });
    assert!(
        screen.contains("carol"),
        "the undo is logged as the TUI's user:\n{screen}"
    );
    t.keys(&["q"]);
}
