//! Segment counts over a workspace image, against the same questions asked of SQLite.
//!
//! Data: `LISTWARDEN_BENCH_DB=path` benches an existing workspace (e.g. one imported from
//! `gen_contacts.py` output at 1M contacts / 20M events); otherwise a synthetic workspace
//! of `LISTWARDEN_BENCH_CONTACTS` contacts (default 100 000) with ~20 events each is built
//! in a temp dir. "Now" is 2026-01-01, the generator's reference date.
//!
//! Run: `cargo bench --bench segment_count` (add `-- --sample-size 20` at 1M).

use criterion::{criterion_group, criterion_main, Criterion};
use listwarden::segment::{compile, parse, Image, NoSegments};
use listwarden::workspace::{OpenOptions, Workspace};
use std::path::PathBuf;

const NOW: i64 = 1_767_225_600;

/// (name, rule, equivalent SQL for the baseline).
const RULES: [(&str, &str, &str); 6] = [
    (
        "fields",
        "status = subscribed and country in (\"DE\", \"AT\", \"CH\")",
        "SELECT count(*) FROM contacts WHERE merged_into IS NULL AND status = 'subscribed' AND country IN ('DE', 'AT', 'CH')",
    ),
    (
        "substring",
        "job_title contains \"market\"",
        "SELECT count(*) FROM contacts WHERE merged_into IS NULL AND lower(job_title) LIKE '%market%'",
    ),
    (
        "ends_with",
        "email ends_with \"@gmail.com\"",
        "SELECT count(*) FROM contacts WHERE merged_into IS NULL AND lower(email) LIKE '%@gmail.com'",
    ),
    (
        "opened>=3in90d",
        "opened >= 3 in 90d",
        "SELECT count(*) FROM contacts c WHERE merged_into IS NULL AND (SELECT count(*) FROM events e WHERE e.contact_id = c.id AND e.type = 'open' AND e.occurred_at > 1759449600 AND e.occurred_at <= 1767225600) >= 3",
    ),
    (
        "spent>=100in365d",
        "spent >= 100 in 365d",
        "SELECT count(*) FROM contacts c WHERE merged_into IS NULL AND (SELECT coalesce(sum(amount), 0) FROM events e WHERE e.contact_id = c.id AND e.type = 'purchase' AND e.occurred_at > 1735689600 AND e.occurred_at <= 1767225600) >= 100",
    ),
    (
        "mixed",
        "country = DE and opened in 30d and not purchased in 180d",
        "SELECT count(*) FROM contacts c WHERE merged_into IS NULL AND country = 'DE' AND EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.type = 'open' AND e.occurred_at > 1764633600 AND e.occurred_at <= 1767225600) AND NOT EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.type = 'purchase' AND e.occurred_at > 1751673600 AND e.occurred_at <= 1767225600)",
    ),
];

/// Builds a synthetic workspace (`src/segment/synthetic.sql`).
fn synthetic(path: &std::path::Path, contacts: i64) -> Workspace {
    let ws = Workspace::open(path, &OpenOptions::default()).expect("workspace");
    let sql =
        include_str!("../src/segment/synthetic.sql").replace(":contacts", &contacts.to_string());
    ws.conn().execute_batch(&sql).expect("synthetic data");
    ws
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = match std::env::var_os("LISTWARDEN_BENCH_DB") {
        Some(path) => {
            Workspace::open(&PathBuf::from(path), &OpenOptions::default()).expect("bench workspace")
        }
        None => {
            let n = std::env::var("LISTWARDEN_BENCH_CONTACTS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(100_000);
            synthetic(&dir.path().join("bench.db"), n)
        }
    };
    let started = std::time::Instant::now();
    let image = Image::load(ws.conn()).expect("image");
    eprintln!(
        "image of {} contacts loaded in {:.2?}",
        image.len(),
        started.elapsed()
    );
    let mut group = c.benchmark_group("segment_count");
    for (name, rule, sql) in RULES {
        let expr = parse(rule).expect("rule");
        group.bench_function(format!("image/{name}"), |b| {
            b.iter(|| {
                compile(&expr, &image, &NoSegments, NOW)
                    .expect("compile")
                    .count(&image)
            })
        });
        if std::env::var_os("LISTWARDEN_BENCH_SQL").is_some() {
            group.bench_function(format!("sqlite/{name}"), |b| {
                b.iter(|| {
                    ws.conn()
                        .query_row(sql, [], |r| r.get::<_, i64>(0))
                        .expect("sql")
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
