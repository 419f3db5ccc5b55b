//! The real binary in a detached tmux session at 80x24: a CSV with planted duplicates is
//! imported and scanned through the CLI, then reviewed in the Duplicates pane by keyboard
//! only (merge one, not-duplicate one, skip one, undo), and the workspace is checked
//! after quitting. Skipped (with a notice) where tmux is not installed; CI installs it.

mod common;

use common::tmux::{tmux_available, Tmux};
use common::{cli, import_csv, pane_key, BIN};

/// Four planted pairs (strongest first: Dieter, Helen, Carla, Bob) and two loners.
const PEOPLE: &str = "Email,First Name,Last Name,Company,Phone,City
bob.miller@kiwi.com,Robert,Miller,Kiwi Health,+44 20 7946 0001,London
bob.miller@kiwihealth.com,Bob,Miller,Kiwi Health,+44 20 7946 0001,London
carla.rossi@acme.it,Carla,Rossi,Acme,+39 06 1234 5678,Rome
carla.rossi@gmail.com,Carla,Rossi,,+39 06 1234 5678,Roma
dieter.weber@web.de,Dieter,Weber,Weber GmbH,+49 89 555 0101,Munich
dieter.weber@gmx.de,Dieter,Weber,Weber GmbH,+49 89 555 0101,Munich
helen.park@orbit.io,Helen,Park,Orbit,+1 415 555 0199,San Francisco
helen.park@gmail.com,Helen,Park,Orbit Inc,+1 415 555 0199,San Francisco
eva.lind@mail.se,Eva,Lind,Nordic AB,+46 8 123 456,Stockholm
frank.o@zeta.com,Frank,Olsen,Zeta,,Oslo
";

/// The status bar (second-last row) shows no running job.
fn idle(screen: &str) -> bool {
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() >= 2 && !lines[lines.len() - 2].contains('│')
}

#[test]
fn duplicates_are_reviewed_by_keyboard_and_the_workspace_follows() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    import_csv(&db, &dir.path().join("people.csv"), PEOPLE);
    let scanned = cli(&db, &["dedupe", "scan"]);
    assert!(scanned.contains("4 likely duplicate pairs"), "{scanned}");

    let command = format!("env TERM=xterm-256color {BIN} --db '{}'", db.display());
    let t = Tmux::start("duplicates", &command);
    t.wait_for("the app", |s| s.contains("10 contacts"));
    t.keys(&[&pane_key("Duplicates")]);
    let screen = t.wait_for("the first pair", |s| {
        s.contains("0 of 4 reviewed") && s.contains("dieter.weber@gmx.de")
    });
    assert!(screen.contains("likely duplicate"), "{screen}");
    assert!(screen.contains("Agree:"), "{screen}");
    assert!(screen.contains("keeps dieter.weber@web.de"), "{screen}");

    // Merge: the next pair is on screen at once, the merge written behind it.
    t.keys(&["m"]);
    t.wait_for("the second pair", |s| {
        s.contains("1 of 4 reviewed") && s.contains("helen.park@gmail.com")
    });
    t.wait_for("the merge written", |s| s.contains("9 contacts") && idle(s));
    // Not a duplicate, then skip.
    t.keys(&["n"]);
    t.wait_for("the third pair", |s| {
        s.contains("2 of 4 reviewed") && s.contains("carla.rossi@gmail.com")
    });
    t.keys(&["s"]);
    t.wait_for("the fourth pair", |s| {
        s.contains("3 of 4 reviewed") && s.contains("bob.miller@kiwihealth.com")
    });
    // Undo the skip, then the not-duplicate mark.
    t.keys(&["u"]);
    t.wait_for("the skipped pair again", |s| {
        s.contains("2 of 4 reviewed") && s.contains("carla.rossi@gmail.com")
    });
    t.keys(&["u"]);
    t.wait_for("the unmarked pair again", |s| {
        s.contains("1 of 4 reviewed") && s.contains("helen.park@gmail.com")
    });
    t.wait_for("the undo written", idle);
    t.keys(&["q"]);
    let started = std::time::Instant::now();
    while t.is_running() {
        assert!(
            started.elapsed() < common::tmux::WAIT,
            "still running:\n{}",
            t.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let stats = cli(&db, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["contacts"], 9, "one merge");
    let pairs = cli(&db, &["dedupe", "pairs", "--csv"]);
    assert!(
        !pairs.contains("dieter"),
        "the merged pair is gone:\n{pairs}"
    );
    assert!(
        pairs.contains("helen.park@orbit.io"),
        "the undone mark put the pair back:\n{pairs}"
    );
    assert_eq!(pairs.lines().count(), 4, "header and three pairs:\n{pairs}");
}
