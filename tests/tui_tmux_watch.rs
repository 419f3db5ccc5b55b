//! The real TUI with a watched folder: "watching 1 folder" in the status bar, a file
//! dropped into the folder imports in the background and the Contacts pane shows it,
//! `:watch PATH` adds a folder, and "review due" appears when one is.

mod common;

use common::tmux::{tmux_available, Tmux};
use common::{binary_on, cli, BIN};

#[test]
fn a_file_dropped_into_a_watched_folder_shows_up_in_the_tui() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("list.db");
    let inbox = dir.path().join("inbox");
    let second = dir.path().join("second");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::create_dir(&second).unwrap();
    std::fs::write(dir.path().join("first.csv"), "Email\nfirst@example.org\n").unwrap();
    cli(
        &db,
        &["import", dir.path().join("first.csv").to_str().unwrap()],
    );
    // Save the folder the way a server would, then stop: the TUI picks it up.
    cli(&db, &["review", "--interval", "7d"]);
    let mut save = binary_on(&db)
        .args(["watch", inbox.to_str().unwrap(), "--settle-ms", "100"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let saved = || {
        conn.query_row("SELECT count(*) FROM watched_folders", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_or(0)
    };
    let started = std::time::Instant::now();
    while saved() == 0 && started.elapsed() < common::tmux::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: our own child.
    unsafe { libc::kill(save.id() as i32, libc::SIGTERM) };
    assert!(save.wait().unwrap().success());
    let t = Tmux::start(
        "watch",
        &format!(
            "env TERM=xterm-256color LISTWARDEN_SETTLE_MS=200 LISTWARDEN_NOW=2099-01-01T00:00:00Z {BIN} --db '{}'",
            db.display()
        ),
    );
    let screen = t.wait_for("the status bar", |s| {
        s.contains("1 contact") && s.contains("watching 1 folder")
    });
    assert!(screen.contains("review due"), "{screen}");
    std::fs::write(
        inbox.join("new.csv"),
        "Email,First Name\nnewcomer@example.org,Nia\n",
    )
    .unwrap();
    t.wait_for("the imported contact", |s| {
        s.contains("2 contacts") && s.contains("newcomer@example.org")
    });
    t.keys(&[":"]);
    t.text(&format!("watch {}", second.display()));
    t.keys(&["Enter"]);
    t.wait_for("two folders", |s| s.contains("watching 2 folders"));
    std::fs::write(second.join("more.csv"), "Email\nmore@example.org\n").unwrap();
    t.wait_for("the second folder's contact", |s| s.contains("3 contacts"));
    t.keys(&["q"]);
}
