//! Fuzzes reading an export: encoding and delimiter sniffing, CSV parsing, header mapping
//! and row normalisation. Any bytes either import or fail with an error; never a panic,
//! and a failed import leaves no contacts behind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use listwarden::clock::Clock;
use listwarden::import::{import_file, Kind, Options};
use listwarden::workspace::{OpenOptions, Workspace};
use std::sync::atomic::AtomicBool;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, data).expect("write input");
    let options = OpenOptions {
        group_shared: false,
        user: Some("fuzz".into()),
        clock: Clock::system(),
    };
    let mut ws = Workspace::open(&dir.path().join("w.db"), &options).expect("workspace");
    for kind in [Kind::Contacts, Kind::Events] {
        let options = Options { kind, preset: None };
        let result = import_file(&mut ws, &path, &options, &mut |_| {}, &AtomicBool::new(false));
        if result.is_err() {
            let contacts: i64 = ws
                .conn()
                .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
                .expect("count");
            assert!(kind == Kind::Events || contacts == 0, "failed import left contacts");
        }
    }
});
