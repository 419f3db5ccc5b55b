//! `listwarden export` end to end over the fixture workspace.

use std::process::Command;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_listwarden"))
        .env("LISTWARDEN_DB", dir.join("w.db"))
        .env("LISTWARDEN_NOW", "2026-01-01T00:00:00Z")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["stats"]).status.success());
    let conn = rusqlite::Connection::open(dir.path().join("w.db")).unwrap();
    conn.execute_batch(include_str!("../src/segment/fixture.sql"))
        .unwrap();
    dir
}

#[test]
fn export_writes_mailable_members_and_holdout_groups() {
    let dir = fixture();
    let d = dir.path();
    assert!(
        run(d, &["segment", "save", "Everyone", "email is not empty"])
            .status
            .success()
    );
    let out = run(
        d,
        &[
            "export",
            "--segment",
            "Everyone",
            "--preset",
            "mailchimp",
            "-o",
            "all.csv",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with(
            "wrote 3 contacts to all.csv\nleft out 3 contacts that must not be mailed"
        ),
        "{stdout}"
    );
    let text = std::fs::read_to_string(d.join("all.csv")).unwrap();
    assert!(text.starts_with(
        "Email Address,First Name,Last Name,Phone Number,Company,Job Title,City,Country,Tags\n"
    ));
    assert!(
        text.contains("anna@gmail.com,Anna,,,Acme,Marketing Manager,,DE,\"newsletter,VIP\"\n"),
        "{text}"
    );

    let out = run(
        d,
        &[
            "export",
            "--segment",
            "Everyone",
            "-o",
            "ctl.csv",
            "--holdout",
            "50",
            "--include-unsubscribed",
        ],
    );
    assert!(out.status.success());
    let rows = |name: &str| {
        std::fs::read_to_string(d.join(name))
            .unwrap()
            .lines()
            .count()
            - 1
    };
    assert_eq!(rows("ctl.target.csv") + rows("ctl.holdout.csv"), 6);

    let out = run(
        d,
        &[
            "export",
            "--suppression",
            "--preset",
            "hubspot",
            "-o",
            "sup.csv",
        ],
    );
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(d.join("sup.csv")).unwrap(),
        "Email,Reason\ncara@gmail.com,unsubscribed\neve@example.com,bounced\n"
    );

    let out = run(d, &["export", "--segment", "Nobody", "-o", "x.csv"]);
    assert!(!out.status.success());
    let out = run(
        d,
        &[
            "export",
            "--segment",
            "Everyone",
            "--preset",
            "mailchump",
            "-o",
            "x.csv",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown preset \"mailchump\""));
    assert!(!d.join("x.csv").exists());
}
