//! Audit speed: `cargo bench --bench audit`.
//!
//! By default builds a workspace of `LISTWARDEN_BENCH_CONTACTS` (100 000) synthetic contacts
//! with a realistic mix of problems (typos, invalid and role addresses, duplicates, ALL CAPS
//! names, stale engagement); set `LISTWARDEN_BENCH_DB` to an existing workspace (e.g. one
//! imported from `shared/gen_contacts.py 1000000`) to measure that instead. The target is a
//! 1M-contact audit under 10 s on two cores (see BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion};
use listwarden::audit;
use listwarden::workspace::{OpenOptions, Workspace, WorkspaceError};
use std::path::PathBuf;

fn synthetic(path: &std::path::Path, n: usize) {
    let mut ws = Workspace::open(path, &OpenOptions::default()).expect("workspace");
    let domains = [
        "gmail.com",
        "gmial.com",
        "firm.ie",
        "example.com",
        "mailinator.com",
        "gmx.de",
    ];
    let firsts = ["Anna", "BOB", "carl", "Dora", "Eve", ""];
    ws.write(|tx| -> Result<(), WorkspaceError> {
        let mut stmt = tx.prepare(
            "INSERT INTO contacts (email, email_norm, first_name, last_name, phone, country, status,
                                   last_open_at, source, first_seen_at, updated_at)
             VALUES (?1, lower(?1), ?2, 'Lee', ?3, 'DE', ?4, ?5, 'bench', 1600000000, 1600000000)",
        )?;
        for i in 0..n {
            let local = match i % 50 {
                0 => "info".to_string(),
                1 => format!("p{}..x", i),
                _ => format!("person{}", i % (n - n / 30).max(1)),
            };
            let email = format!("{local}@{}", domains[i % domains.len()]);
            let status = if i % 40 == 0 {
                "unsubscribed"
            } else {
                "subscribed"
            };
            let phone = if i % 3 == 0 { "+49 30 1234567" } else { "123" };
            let open = 1_700_000_000 + (i as i64 % 400) * 86_400;
            stmt.execute(rusqlite::params![
                email,
                firsts[i % firsts.len()],
                phone,
                status,
                open
            ])?;
        }
        Ok(())
    })
    .expect("insert");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = match std::env::var_os("LISTWARDEN_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let n = std::env::var("LISTWARDEN_BENCH_CONTACTS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(100_000);
            let path = dir.path().join("bench.db");
            synthetic(&path, n);
            path
        }
    };
    let ws = Workspace::open(&path, &OpenOptions::default()).expect("open");
    let contacts: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .expect("count");
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    group.bench_function(format!("run {contacts} contacts"), |b| {
        b.iter(|| audit::run(ws.conn(), 1_767_225_600).expect("audit"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
