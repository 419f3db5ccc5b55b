//! The real binary in tmux at 80x24: a review recorded from the CLI in January, an updated
//! export imported in February, then in March the Review pane shows the segment sizes then
//! → now and that the review is due; `r`, a note and `Enter` record it (logged as
//! `review`), and the status bar's "review due" goes away. Skipped where tmux is missing.

mod common;

use common::tmux::{tmux_available, Tmux};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_listwarden");
const MARCH: &str = "2026-03-01T12:00:00Z";

/// Runs the binary on `db` at `now`, asserting success; returns stdout.
fn run_at(db: &Path, now: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .env("USER", "alice")
        .arg("--db")
        .arg(db)
        .args(["--now", now])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "listwarden {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The key that focuses the Review pane (its place in the pane bar).
fn review_key() -> String {
    let index = listwarden::tui::panes::all()
        .iter()
        .position(|p| p.title() == "Review")
        .expect("a Review pane");
    (index + 1).to_string()
}

#[test]
fn review_pane_shows_sizes_then_and_now_and_records_a_review_with_a_note() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    let january = dir.path().join("january.csv");
    std::fs::write(
        &january,
        "Email,First Name,Country\nanna@example.com,Anna,DE\nben@example.com,Ben,DE\n\
         cara@example.com,Cara,DE\ndan@example.com,Dan,AT\n",
    )
    .unwrap();
    let february = dir.path().join("february.csv");
    std::fs::write(
        &february,
        "Email,First Name,Country\nben@example.com,Ben,FR\neva@example.com,Eva,DE\n\
         fritz@example.com,Fritz,DE\ngus@example.com,Gus,DE\n",
    )
    .unwrap();
    let jan = "2026-01-05T09:00:00Z";
    run_at(&db, jan, &["import", january.to_str().unwrap()]);
    run_at(&db, jan, &["segment", "save", "German", "country = DE"]);
    run_at(&db, jan, &["review", "--record", "--note", "first"]);
    run_at(
        &db,
        "2026-02-10T09:00:00Z",
        &["import", february.to_str().unwrap()],
    );

    let t = Tmux::start(
        "review",
        &format!(
            "env TERM=xterm-256color USER=carol {BIN} --db '{}' --now {MARCH}",
            db.display()
        ),
    );
    t.wait_for("the contacts and a due review", |s| {
        s.contains("7 contacts") && s.contains("review due")
    });
    t.keys(&[&review_key()]);
    // German: Anna, Ben, Cara in January; Ben left, Eva, Fritz and Gus came: 3 → 5.
    // The segment table and the selected segment's detail (its imports) arrive in reads of
    // their own, so wait for the whole review, not its first frame.
    t.wait_for("the review, its first review and the import since", |s| {
        [
            "German",
            "3 → 5",
            "by alice",
            "due since 2026-02-04",
            "+3/-1",
            "february.csv",
        ]
        .iter()
        .all(|part| s.contains(part))
    });

    t.keys(&["r"]);
    t.wait_for("the note field", |s| s.contains("Review note:"));
    t.text("march ok");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the recorded review", |s| {
        s.contains("Review #2 recorded") && !s.contains("review due")
    });
    // The reloaded review counts from the one just recorded.
    t.wait_for("the review reloaded", |s| {
        s.contains("by carol") && s.contains("next due 2026-03-31")
    });
    assert!(screen.contains("Review"), "{screen}");
    t.keys(&["q"]);
    let started = std::time::Instant::now();
    while t.is_running() && started.elapsed() < common::tmux::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let log = run_at(&db, MARCH, &["log", "--kind", "review"]);
    assert!(log.contains("march ok"), "{log}");
    assert!(log.contains("carol"), "{log}");
    assert!(log.contains("first"), "{log}");
}
