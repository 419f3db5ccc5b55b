//! Duplicate-scan speed and memory on a large workspace.
//!
//!     python3 ../shared/gen_contacts.py 1000000 -o bench-data/c.csv
//!     target/release/listwarden --db bench-data/w.db import bench-data/c.csv
//!     cargo bench --bench dedupe_scan -- bench-data/w.db
//!
//! Runs the same scan as `listwarden dedupe scan` without storing it, and prints the time
//! per phase, the pairs found and the peak resident memory (VmHWM).

use listwarden::dedupe::scan::{find, Progress};
use listwarden::workspace::{OpenOptions, Workspace};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let Some(path) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
    else {
        eprintln!("usage: cargo bench --bench dedupe_scan -- WORKSPACE.db");
        return;
    };
    let ws = Workspace::open(&path, &OpenOptions::default()).expect("open workspace");
    let started = Instant::now();
    let mut phase = "";
    let mut report = |p: Progress| {
        if p.phase != phase {
            eprintln!("{:>8.2} s  {}", started.elapsed().as_secs_f64(), p.phase);
            phase = p.phase;
        }
    };
    let found = find(ws.conn(), &AtomicBool::new(false), &mut report).expect("scan");
    println!(
        "{} contacts, {} candidate pairs, {} likely, {} pairs kept, {} clusters in {:.2} s, peak RSS {:.0} MiB",
        found.contacts,
        found.candidates,
        found.likely(),
        found.pairs.len(),
        found.clusters.len(),
        started.elapsed().as_secs_f64(),
        peak_rss_mib().unwrap_or(0.0)
    );
}
