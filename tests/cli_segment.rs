//! `listwarden segment ...` end to end over the hand-checked fixture workspace.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    /// A workspace holding `src/segment/fixture.sql`, "now" pinned to its 2026-01-01.
    fn fixture() -> Work {
        let work = Work {
            dir: tempfile::tempdir().unwrap(),
        };
        work.ok(&["stats"]);
        let conn = rusqlite::Connection::open(work.db()).unwrap();
        conn.execute_batch(include_str!("../src/segment/fixture.sql"))
            .unwrap();
        work
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("w.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_listwarden"))
            .env("LISTWARDEN_DB", self.db())
            .env("LISTWARDEN_NOW", "2026-01-01T00:00:00Z")
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

#[test]
fn count_prints_one_integer() {
    let w = Work::fixture();
    assert_eq!(
        w.ok(&[
            "segment",
            "count",
            "status = subscribed and country in (\"DE\", \"AT\", \"CH\")"
        ]),
        "3\n"
    );
    assert_eq!(
        w.ok(&[
            "segment",
            "count",
            "added_to_cart in 2d and not purchased in 2d"
        ]),
        "1\n"
    );
    // --now moves every window.
    assert_eq!(
        w.ok(&[
            "--now",
            "2026-06-01T00:00:00Z",
            "segment",
            "count",
            "opened in 30d"
        ]),
        "0\n"
    );
}

#[test]
fn errors_point_at_the_position_and_suggest() {
    let w = Work::fixture();
    let err = w.fails(&["segment", "count", "status = subscribed and contry = DE"]);
    assert_eq!(
        err,
        "listwarden: rule:1:25: unknown field \"contry\" — did you mean \"country\"?\n"
    );
    let err = w.fails(&["segment", "count", "status = subscribed and country ="]);
    assert_eq!(err, "listwarden: rule:1:34: expected a value after \"=\"\n");
    let out = w.run(&["segment", "count", "tag vpi"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "note: rule:1:1: no contact has the tag \"vpi\" — did you mean \"VIP\"?\n"
    );
}

#[test]
fn count_file_with_timing_reports_each_rule_then_the_load() {
    let w = Work::fixture();
    let rules = w.dir.path().join("rules.txt");
    std::fs::write(&rules, "# comment\ntag vip\n\nopened >= 3 in 90d\n").unwrap();
    let plain = w.ok(&["segment", "count", "--file", rules.to_str().unwrap()]);
    assert_eq!(plain, "2\n1\n");
    let timed = w.ok(&[
        "segment",
        "count",
        "--file",
        rules.to_str().unwrap(),
        "--timing",
    ]);
    let lines: Vec<Vec<&str>> = timed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{timed}");
    assert_eq!((lines[0][0], lines[0][2]), ("2", "tag vip"));
    assert!(lines[0][1].ends_with(" ms"));
    assert_eq!(lines[2][0], "loaded");
    assert_eq!(lines[2][2], "6 contacts");

    std::fs::write(&rules, "tag vip\nopened >= x\n").unwrap();
    let err = w.fails(&["segment", "count", "--file", rules.to_str().unwrap()]);
    assert!(
        err.contains("rules.txt:2:11: expected a whole number of times"),
        "{err}"
    );
}

#[test]
fn save_list_show_delete() {
    let w = Work::fixture();
    assert_eq!(
        w.ok(&["segment", "save", "Engaged", "opened IN 30d"]),
        "saved segment \"Engaged\": 2 members\n"
    );
    w.ok(&[
        "segment",
        "save",
        "German engaged",
        "in segment \"engaged\" and country = DE",
    ]);
    let list = w.ok(&["segment", "list"]);
    assert!(
        list.contains("Engaged                 2  opened in 30d"),
        "{list}"
    );
    assert!(
        list.contains("German engaged          1  in segment \"engaged\" and country = DE"),
        "{list}"
    );
    let show = w.ok(&["segment", "show", "engaged"]);
    assert!(show.contains("Members  2"), "{show}");
    assert_eq!(
        w.ok(&["segment", "show", "Engaged", "--members"]),
        "1\tanna@gmail.com\n3\tcara@gmail.com\n"
    );
    let err = w.fails(&["segment", "delete", "Engaged"]);
    assert!(err.contains("used by segment \"German engaged\""), "{err}");
    let err = w.fails(&["segment", "show", "Engagd"]);
    assert!(err.contains("did you mean \"Engaged\""), "{err}");
    w.ok(&["segment", "delete", "German engaged"]);
    w.ok(&["segment", "delete", "Engaged"]);
    assert!(w.ok(&["segment", "list"]).starts_with("no saved segments"));
    let conn = rusqlite::Connection::open(w.db()).unwrap();
    let kinds: Vec<String> = conn
        .prepare("SELECT kind FROM maintenance_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        [
            "segment_save",
            "segment_save",
            "segment_delete",
            "segment_delete"
        ]
    );
}
