//! `listwarden watch` through the real binary: files written slowly, replaced by rename,
//! dropped in bursts, unreadable files and a folder that disappears.

mod common;
use common::Workdir;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Short settle time so the tests are quick; slow writes pause for less than it.
const SETTLE_MS: &str = "600";
const PATIENCE: Duration = Duration::from_secs(15);

struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(w: &Workdir, dir: &Path) -> Watching {
        let mut child = w
            .command()
            .args(["watch", dir.to_str().unwrap(), "--settle-ms", SETTLE_MS])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start watch");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut watching = Watching {
            child,
            lines,
            seen: Vec::new(),
        };
        watching.wait_for("watching ");
        watching
    }

    /// Waits for a line containing `text` and returns it.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.seen.iter().find(|l| l.contains(text)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no line with {text:?}; saw:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Collects what arrives during `quiet`.
    fn settle(&mut self, quiet: Duration) {
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            self.seen.push(line);
        }
    }

    fn count(&self, text: &str) -> usize {
        self.seen.iter().filter(|l| l.contains(text)).count()
    }

    /// SIGTERM; the watcher says so and exits cleanly.
    fn stop(mut self) -> Vec<String> {
        // SAFETY: the pid is our own child's.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let status = self.child.wait().expect("wait");
        self.settle(Duration::from_millis(200));
        assert!(status.success(), "{status:?}: {:?}", self.seen);
        assert_eq!(self.seen.last().map(String::as_str), Some("stopped"));
        self.seen
    }
}

fn rows(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("person{i}@example.org,Person {i}\n"))
        .collect()
}

#[test]
fn a_file_written_slowly_is_imported_once_and_complete() {
    let w = Workdir::new();
    let dir = w.path("in");
    std::fs::create_dir(&dir).unwrap();
    let mut watch = Watching::start(&w, &dir);
    let mut file = std::fs::File::create(dir.join("slow.csv")).unwrap();
    file.write_all(b"Email,First Name\n").unwrap();
    for chunk in 0..5 {
        file.write_all(rows(chunk * 40, 40).as_bytes()).unwrap();
        file.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(file);
    let line = watch.wait_for("imported slow.csv");
    assert!(line.contains("200 read, 200 new"), "{line}");
    watch.settle(Duration::from_millis(1000));
    assert_eq!(watch.count("slow.csv"), 1, "{:?}", watch.seen);
    watch.stop();
    assert_eq!(w.query_i64("SELECT count(*) FROM imports"), 1);
    assert_eq!(w.query_i64("SELECT count(*) FROM contacts"), 200);
}

#[test]
fn a_file_replaced_by_rename_is_imported_and_its_temporary_name_never() {
    let w = Workdir::new();
    let dir = w.path("in");
    std::fs::create_dir(&dir).unwrap();
    let mut watch = Watching::start(&w, &dir);
    let tmp = dir.join("list.csv.part");
    std::fs::write(&tmp, format!("Email,First Name\n{}", rows(0, 5))).unwrap();
    std::fs::rename(&tmp, dir.join("list.csv")).unwrap();
    assert!(watch
        .wait_for("imported list.csv")
        .contains("5 read, 5 new"));
    // A newer export replaces it the same way: imported again, as an update.
    std::fs::write(&tmp, format!("Email,First Name\n{}", rows(0, 6))).unwrap();
    std::fs::rename(&tmp, dir.join("list.csv")).unwrap();
    watch.settle(Duration::from_millis(1200));
    assert_eq!(watch.count("imported list.csv"), 2, "{:?}", watch.seen);
    assert!(watch.seen.iter().any(|l| l.contains("6 read, 1 new")));
    assert_eq!(watch.count(".part"), 0);
    watch.stop();
    assert_eq!(w.query_i64("SELECT count(*) FROM contacts"), 6);
}

/// A zipped export dropped into the folder (Mailchimp's audience export) imports each
/// CSV in it.
#[test]
fn a_zip_dropped_in_imports_each_export_in_it() {
    let w = Workdir::new();
    let dir = w.path("in");
    std::fs::create_dir(&dir).unwrap();
    let mut watch = Watching::start(&w, &dir);
    let tmp = dir.join("audience.zip.part");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&tmp).unwrap());
    for (name, from) in [("subscribed.csv", 0), ("cleaned.csv", 10)] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        write!(zip, "Email,First Name\n{}", rows(from, 3)).unwrap();
    }
    zip.finish().unwrap();
    std::fs::rename(&tmp, dir.join("audience.zip")).unwrap();
    assert!(watch
        .wait_for("imported audience.zip/subscribed.csv")
        .contains("3 read, 3 new"));
    assert!(watch
        .wait_for("imported audience.zip/cleaned.csv")
        .contains("3 read, 3 new"));
    watch.stop();
    assert_eq!(w.query_i64("SELECT count(*) FROM contacts"), 6);
}

#[test]
fn ten_files_dropped_at_once_are_each_imported_exactly_once() {
    let w = Workdir::new();
    let dir = w.path("in");
    std::fs::create_dir(&dir).unwrap();
    // One file is there before watching starts; the same content again is skipped.
    std::fs::write(
        dir.join("f0.csv"),
        format!("Email,First Name\n{}", rows(0, 3)),
    )
    .unwrap();
    let mut watch = Watching::start(&w, &dir);
    watch.wait_for("imported f0.csv");
    for i in 1..=10 {
        std::fs::write(
            dir.join(format!("f{i}.csv")),
            format!("Email,First Name\n{}", rows(i * 10, 3)),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("copy.csv"),
        format!("Email,First Name\n{}", rows(0, 3)),
    )
    .unwrap();
    for i in 1..=10 {
        watch.wait_for(&format!("imported f{i}.csv"));
    }
    assert!(watch.wait_for("copy.csv").starts_with("already imported"));
    watch.settle(Duration::from_millis(1000));
    for i in 0..=10 {
        assert_eq!(watch.count(&format!("f{i}.csv")), 1, "{:?}", watch.seen);
    }
    watch.stop();
    assert_eq!(w.query_i64("SELECT count(*) FROM imports"), 11);
    assert_eq!(w.query_i64("SELECT count(*) FROM contacts"), 33);
}

#[test]
fn unreadable_files_and_a_vanished_folder_are_reported_and_watching_goes_on() {
    let w = Workdir::new();
    let dir = w.path("in");
    std::fs::create_dir(&dir).unwrap();
    let mut watch = Watching::start(&w, &dir);
    std::fs::write(dir.join("photo.csv"), b"\x00\x01\x02\x03binary").unwrap();
    assert!(watch
        .wait_for("failed")
        .contains("photo.csv: not a text file"));
    // Permissions stop everyone but root.
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("locked.csv");
        std::fs::write(&locked, "Email\nx@example.org\n").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        assert!(watch.wait_for("locked.csv").contains("cannot read"));
    }
    std::fs::write(dir.join("ok.csv"), "Email\nok@example.org\n").unwrap();
    watch.wait_for("imported ok.csv");
    std::fs::remove_file(dir.join("ok.csv")).unwrap();
    watch.wait_for("deleted");
    std::fs::remove_dir_all(&dir).unwrap();
    watch.wait_for("folder gone");
    std::fs::create_dir(&dir).unwrap();
    watch.wait_for("folder back");
    std::fs::write(dir.join("later.csv"), "Email\nlater@example.org\n").unwrap();
    watch.wait_for("imported later.csv");
    watch.stop();
    assert_eq!(w.query_i64("SELECT count(*) FROM contacts"), 2);
    // Failed import, deletion, folder gone and back: logged as watch entries.
    assert!(
        w.query_i64("SELECT count(*) FROM maintenance_log WHERE kind = 'watch' AND summary LIKE '%import failed%'") >= 1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM maintenance_log WHERE kind = 'watch' AND summary LIKE '%folder gone%'"),
        1
    );
    // The folder was saved: `watch` with no folder watches it again.
    assert_eq!(w.query_i64("SELECT count(*) FROM watched_folders"), 1);
}
