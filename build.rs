//! Embeds every `migrations/NNNN_name.sql` file into the binary, in order, so a new
//! migration is picked up by adding the file alone.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// (version, file name, SQL) of every migration, in order.\n");
    out.push_str("pub const MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for (i, path) in files.iter().enumerate() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let number: u32 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert_eq!(
            number as usize,
            i + 1,
            "migrations must be numbered 0001, 0002, ... without gaps: {name}"
        );
        out.push_str(&format!(
            "    ({number}, {name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("migrations.rs");
    fs::write(dest, out).unwrap_or_else(|e| panic!("cannot write migrations.rs: {e}"));
}
