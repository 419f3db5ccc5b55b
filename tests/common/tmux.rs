//! A tmux server of the test's own, to drive the real binary like a person would: send
//! keys, read the screen back with `capture-pane`. Every pane's tmux test uses this.
#![allow(dead_code)] // each test binary uses a different part of the helper

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long a screen may take to show what a test waits for.
pub const WAIT: Duration = Duration::from_secs(15);

/// A tmux server of our own (its own socket), killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` in an 80x24 terminal.
    pub fn start(name: &str, command: &str) -> Tmux {
        Tmux::start_sized(name, command, 80, 24)
    }

    /// Starts `command` in a terminal of `cols` x `rows`.
    pub fn start_sized(name: &str, command: &str, cols: u16, rows: u16) -> Tmux {
        let (cols, rows) = (cols.to_string(), rows.to_string());
        let tmux = Tmux {
            socket: format!("lw-{name}-{}", std::process::id()),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &cols,
            "-y",
            &rows,
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap()
    }

    /// Sends tmux key names (`Enter`, `Escape`, `j`) or literal text with `-l`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    pub fn text(&self, text: &str) {
        assert!(self
            .run(&["send-keys", "-t", "t", "-l", text])
            .status
            .success());
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen with its escape sequences (attributes, colours).
    pub fn screen_with_styles(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-e", "-t", "t"]).stdout)
            .into_owned()
    }

    /// Polls until `check` holds for the screen; fails with the last screen otherwise.
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < WAIT,
                "waited for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn is_running(&self) -> bool {
        self.run(&["has-session", "-t", "t"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

pub fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("tmux not installed: skipping the TUI tmux test (CI installs tmux)");
    }
    found
}
