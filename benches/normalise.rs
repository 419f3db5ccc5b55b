//! Per-value cost of the normalisers an import runs on every row: `cargo bench --bench
//! normalise`. An import of a million contacts has about 3 µs per row on each of its two
//! threads, so these say which of a row's cells take its reading thread's share.

use criterion::{criterion_group, criterion_main, Criterion};
use listwarden::text::{self, country, date, email, phone, status};
use std::hint::black_box;

/// Runs `f` over `inputs` in turn, one input per iteration.
fn each<T>(c: &mut Criterion, name: &str, inputs: &[T], f: impl Fn(&T) -> usize) {
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % inputs.len();
            f(black_box(&inputs[i]))
        })
    });
}

fn normalisers(c: &mut Criterion) {
    let names = ["  Anna Maria ", "Müller", "Zoë", "李", "O'Brien & Co"];
    each(c, "clean", &names, |s| text::clean(s).len());
    let emails = ["First.Last+news@GoogleMail.com", "o'brien@firm.ie", "n/a"];
    each(c, "email normalize + mailbox_key", &emails, |s| {
        email::normalize(s).map_or(0, |n| email::mailbox_key(&n).len())
    });
    let countries = [
        "DE",
        "Deutschland",
        "United States of America",
        "Türkiye",
        "xx",
    ];
    each(c, "country to_iso", &countries, |s| {
        usize::from(country::to_iso(s).is_some())
    });
    let dates = [
        "2024-05-01T13:45:10Z",
        "05/01/2024 1:45 PM",
        "01.05.2024",
        "nope",
    ];
    each(c, "date parse_instant", &dates, |s| {
        usize::from(date::parse_instant(s).is_some())
    });
    let statuses = ["subscribed", "NEVER_SUBSCRIBED", "Abgemeldet", "maybe"];
    each(c, "status parse", &statuses, |s| {
        usize::from(status::Status::parse(s).is_some())
    });
    let phones = [
        ("+49 30 1234567", Some("DE")),
        ("(030) 1234567", Some("DE")),
        ("+1 (202) 555-0173", None),
        ("06 12 34 56 78", Some("FR")),
        ("n/a", Some("US")),
    ];
    each(c, "phone to_e164", &phones, |(raw, country)| {
        phone::to_e164(raw, *country).map_or(0, |e| e.len())
    });
}

criterion_group!(benches, normalisers);
criterion_main!(benches);
