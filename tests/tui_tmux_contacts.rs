//! The real binary in a detached tmux session at 80x24, driven by keys and read back with
//! `capture-pane`: what a person sees in the Contacts pane. Skipped (with a notice) where
//! tmux is not installed; CI installs it.

mod common;

use common::tmux::{tmux_available, Tmux, WAIT};
use common::{cli, import_csv, pane_key, BIN};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A workspace with 30 contacts imported from a CSV, so sources carry real headers.
fn workspace(dir: &Path) -> PathBuf {
    let csv = dir.join("people.csv");
    let mut text = String::from("Email,First Name,Last Name,Company,Favourite Colour\n");
    for i in 0..30 {
        text.push_str(&format!(
            "person{i:02}@example.com,Pat{i:02},Lee,Firm {},blue\n",
            i % 3
        ));
    }
    let db = dir.join("list.db");
    import_csv(&db, &csv, &text);
    db
}

fn command_line(db: &Path, env: &str) -> String {
    format!("env {env} {BIN} --db '{}'", db.display())
}

#[test]
fn contacts_pane_moves_filters_opens_and_quits() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let t = Tmux::start("contacts", &command_line(&db, "TERM=xterm-256color"));

    let screen = t.wait_for("the list", |s| {
        s.contains("30 contacts") && s.contains("person00@")
    });
    assert!(screen.contains("1 Contacts"), "{screen}");
    assert!(
        !screen.contains("person29@"),
        "only one page is shown:\n{screen}"
    );

    t.keys(&["j", "G"]);
    let screen = t.wait_for("the last contact", |s| s.contains("person29@"));
    assert!(!screen.contains("person00@"), "{screen}");
    t.keys(&["g"]);
    t.wait_for("the first contact again", |s| s.contains("person00@"));

    // The filter narrows as you type.
    t.keys(&["/"]);
    t.text("person1");
    let screen = t.wait_for("the filtered list", |s| s.contains("10 matches"));
    assert!(screen.contains("person19@"), "{screen}");
    assert!(
        !screen.contains("person20@") && !screen.contains("person00@"),
        "{screen}"
    );
    t.keys(&["Enter"]);

    // Enter opens the contact with its source record paired with the file's headers.
    t.keys(&["Enter"]);
    // The title shows before the record has loaded: wait for the record itself.
    let screen = t.wait_for("the detail view", |s| {
        s.contains("(contact #") && s.contains("Favourite Colour")
    });
    assert!(screen.contains("person10@example.com"), "{screen}");
    assert!(screen.contains("Favourite Colour"), "{screen}");
    t.keys(&["G"]);
    let screen = t.wait_for("the source records", |s| s.contains("Source records (1)"));
    assert!(screen.contains("people.csv row 12"), "{screen}");
    assert!(
        screen.contains("Email") && screen.contains("Pat10"),
        "{screen}"
    );

    // Esc goes back to the list, a second Esc clears the filter.
    t.keys(&["Escape"]);
    t.wait_for("the filtered list", |s| {
        s.contains("10 contacts matching \"person1\"")
    });
    t.keys(&["Escape"]);
    t.wait_for("the whole list", |s| s.contains("30 contacts ·"));

    t.keys(&["?"]);
    let screen = t.wait_for("help", |s| s.contains("Contacts keys"));
    assert!(screen.contains("filter email, name, company"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for("help closed", |s| !s.contains("Contacts keys"));

    t.keys(&[":"]);
    t.wait_for("the palette", |s| {
        s.contains("Commands") && s.contains("import PATH")
    });
    t.text("theme mono");
    t.keys(&["Enter"]);
    t.wait_for("the theme switch", |s| s.contains("Theme mono"));

    // Another process imports into the same workspace: the TUI notices and refreshes.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "Email,First Name\nlate.arrival@example.com,Late\n").unwrap();
    cli(&db, &["import", more.to_str().unwrap()]);
    let screen = t.wait_for("the refresh", |s| s.contains("31 contacts ·"));
    assert!(screen.contains("updated by another process"), "{screen}");

    t.keys(&["q"]);
    let started = Instant::now();
    while t.is_running() {
        assert!(started.elapsed() < WAIT, "q did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn no_color_shows_the_selection_in_reverse_video_without_colours() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let t = Tmux::start(
        "nocolor",
        &command_line(&db, "NO_COLOR=1 TERM=xterm-256color"),
    );
    t.wait_for("the list", |s| s.contains("person00@"));
    t.keys(&["j"]);
    t.wait_for("the cursor on the second row", |_| {
        let styled = t.screen_with_styles();
        styled
            .lines()
            .find(|l| l.contains("person01@"))
            .is_some_and(|l| l.contains("\u{1b}[7m") || l.contains(";7m") || l.contains("[1;7m"))
    });
    let styled = t.screen_with_styles();
    // No foreground or background colour anywhere: only attributes (39/49 are resets).
    let colour = styled.split('\u{1b}').find(|seq| {
        let params = seq.strip_prefix('[').and_then(|p| p.split('m').next());
        params.is_some_and(|p| {
            p.split(';').any(|n| {
                (n.len() == 2
                    && (n.starts_with('3') || n.starts_with('4'))
                    && n != "39"
                    && n != "49")
                    || n == "38"
                    || n == "48"
            })
        })
    });
    assert!(
        colour.is_none(),
        "colour escape {colour:?} under NO_COLOR:\n{styled:?}"
    );
    t.keys(&["q"]);
}

#[test]
fn an_import_shows_progress_asks_before_quitting_and_cancels_cleanly() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let big = dir.path().join("big.csv");
    let mut text = String::from("Email,First Name,Last Name\n");
    for i in 0..400_000 {
        text.push_str(&format!("bulk{i}@example.org,B{i},Bulk\n"));
    }
    std::fs::write(&big, text).unwrap();
    let t = Tmux::start("import", &command_line(&db, "TERM=xterm-256color"));
    t.wait_for("the list", |s| s.contains("30 contacts"));

    t.keys(&[":"]);
    t.text(&format!("import {}", big.display()));
    t.keys(&["Enter"]);
    t.wait_for("the progress bar", |s| {
        s.contains("import big.csv [") && s.contains("x cancel")
    });

    // `q` while the import runs asks first; `n` keeps it running.
    t.keys(&["q"]);
    t.wait_for("the quit question", |s| {
        s.contains("Still running: import big.csv")
    });
    t.keys(&["n"]);
    t.wait_for("the question gone", |s| !s.contains("Still running"));
    assert!(t.is_running());

    t.keys(&["x"]);
    let screen = t.wait_for("the cancellation", |s| s.contains("cancelled"));
    assert!(screen.contains("nothing was changed"), "{screen}");
    assert!(screen.contains("30 contacts"), "{screen}");
    t.keys(&["q"]);
}

/// What a newcomer does first: `listwarden demo`, look around, find someone, open them.
#[test]
fn the_demo_opens_on_a_real_looking_list_to_browse_filter_and_open() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let t = Tmux::start(
        "demo",
        &format!(
            "env TERM=xterm-256color {BIN} demo --out '{}'",
            db.display()
        ),
    );
    let screen = t.wait_for("the demo list", |s| s.contains("3,285 contacts ·"));
    assert!(screen.contains("Email↑"), "sorted by email: {screen}");
    assert!(screen.contains(&db.display().to_string()), "{screen}");

    // The end of the list, then back to the top.
    t.keys(&["G"]);
    t.wait_for("the last contacts", |s| !s.contains("ana.becker"));
    t.keys(&["g"]);
    t.wait_for("the first contacts", |s| s.contains("ana.becker"));

    // Sort by the next column: the header says so.
    t.keys(&["s"]);
    t.wait_for("sorted by name", |s| s.contains("sorted by Name"));

    // Find the planted García duplicates and open one with its source records.
    t.keys(&["/"]);
    t.text("garcia2474");
    t.wait_for("the filter", |s| s.contains("2 matches"));
    t.keys(&["Enter"]);
    t.wait_for("the filtered list", |s| {
        s.contains("2 contacts matching \"garcia2474\"")
    });
    t.keys(&["Enter"]);
    let screen = t.wait_for("the detail", |s| s.contains("(contact #"));
    assert!(screen.contains("ana.garcia2474@gmx.de"), "{screen}");

    // The demo was scanned for duplicates: the review queue is waiting.
    t.keys(&["Escape", "Escape", &pane_key("Duplicates")]);
    let screen = t.wait_for("the duplicate queue", |s| s.contains("0 of "));
    assert!(!screen.contains("0 of 0 reviewed"), "{screen}");
    t.keys(&["q"]);
}
