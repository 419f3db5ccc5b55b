//! ZIP archives of exports. Mailchimp's audience export downloads as one ZIP holding a CSV
//! per status (subscribed, unsubscribed, cleaned), and platforms mail large exports zipped.
//! An archive is unpacked into a private temporary folder and each export in it imported
//! as a file of its own, named `archive.zip/entry.csv` in summaries, errors and the log.

use super::ImportError;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The exports of one archive, unpacked. The files go when this is dropped.
pub struct Unpacked {
    _dir: tempfile::TempDir,
    pub entries: Vec<Entry>,
}

/// One export from an archive.
pub struct Entry {
    /// `archive.zip/entry.csv`: what the file is called for people.
    pub name: PathBuf,
    /// Where it was unpacked to.
    pub path: PathBuf,
}

/// Whether the file begins as a ZIP archive does (`PK\x03\x04`).
pub fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// A file's name for people: its file name, or for an export from an archive (named
/// as [`unpack`] names it) the archive's file name and the entry, `export.zip/old/a.csv`.
pub fn short_name(path: &Path) -> String {
    let archive = path
        .ancestors()
        .skip(1)
        .find(|a| a.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")));
    let from = archive
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty());
    match from.and_then(|from| path.strip_prefix(from).ok()) {
        Some(short) => short.to_string_lossy().into_owned(),
        None => archive
            .map(|_| path.to_string_lossy().into_owned())
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    }
}

/// Whether an entry is an export to import: a `.csv`, `.tsv` or `.txt` file that is not
/// hidden and not the resource forks macOS adds to archives it makes (`__MACOSX/`).
fn is_export(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let extension = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    !name.starts_with("__MACOSX/")
        && !file.starts_with('.')
        && matches!(extension.as_deref(), Some("csv" | "tsv" | "txt"))
}

/// Unpacks the exports in the archive at `path`, in the archive's order.
pub fn unpack(path: &Path) -> Result<Unpacked, ImportError> {
    let broken = |message: String| ImportError::Archive {
        path: path.to_path_buf(),
        message,
    };
    let read = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(read)?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| broken(format!("not a readable ZIP archive: {e}")))?;
    let dir = tempfile::tempdir().map_err(read)?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| broken(format!("entry {}: {e}", i + 1)))?;
        let inner = entry.name().to_string();
        if entry.is_dir() || !is_export(&inner) {
            continue;
        }
        let file_name = inner.rsplit('/').next().unwrap_or(&inner);
        // A folder per entry: two folders in the archive may hold files of one name.
        let folder = dir.path().join(i.to_string());
        std::fs::create_dir(&folder).map_err(read)?;
        let target = folder.join(file_name);
        let mut out = File::create(&target).map_err(read)?;
        std::io::copy(&mut entry, &mut out).map_err(|e| broken(format!("{inner}: {e}")))?;
        entries.push(Entry {
            name: path.join(&inner),
            path: target,
        });
    }
    if entries.is_empty() {
        return Err(broken(
            "the archive holds no CSV export (.csv, .tsv or .txt)".to_string(),
        ));
    }
    Ok(Unpacked { _dir: dir, entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
        let path = dir.join("export.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        for (name, body) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        path
    }

    #[test]
    fn exports_are_unpacked_in_order_and_the_rest_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = zip_of(
            dir.path(),
            &[
                ("subscribed_members_export.csv", "Email Address\na@x.org\n"),
                ("__MACOSX/._subscribed_members_export.csv", "junk"),
                ("readme.pdf", "%PDF"),
                ("old/cleaned_members_export.CSV", "Email Address\nb@x.org\n"),
            ],
        );
        assert!(is_zip(&path));
        let unpacked = unpack(&path).unwrap();
        let names: Vec<_> = unpacked.entries.iter().map(|e| e.name.clone()).collect();
        assert_eq!(
            names,
            [
                path.join("subscribed_members_export.csv"),
                path.join("old/cleaned_members_export.CSV")
            ]
        );
        let body = std::fs::read_to_string(&unpacked.entries[1].path).unwrap();
        assert_eq!(body, "Email Address\nb@x.org\n");
        let folder = unpacked.entries[0].path.parent().unwrap().to_path_buf();
        drop(unpacked);
        assert!(!folder.exists(), "unpacked files are removed");
    }

    #[test]
    fn short_names_keep_the_archive() {
        let zip = Path::new("/home/ana/exports/audience.zip");
        assert_eq!(
            short_name(&zip.join("cleaned.csv")),
            "audience.zip/cleaned.csv"
        );
        assert_eq!(short_name(&zip.join("old/a.csv")), "audience.zip/old/a.csv");
        assert_eq!(
            short_name(Path::new("audience.zip/a.csv")),
            "audience.zip/a.csv"
        );
        assert_eq!(
            short_name(Path::new("/home/ana/members.csv")),
            "members.csv"
        );
        assert_eq!(short_name(zip), "audience.zip");
    }

    #[test]
    fn an_archive_without_exports_or_a_broken_one_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = zip_of(dir.path(), &[("notes.pdf", "%PDF")]);
        let error = unpack(&path).err().unwrap().to_string();
        assert!(
            error.contains("export.zip") && error.contains("no CSV export"),
            "{error}"
        );
        let broken = dir.path().join("broken.zip");
        std::fs::write(&broken, b"PK\x03\x04 and then nothing").unwrap();
        assert!(is_zip(&broken));
        let error = unpack(&broken).err().unwrap().to_string();
        assert!(
            error.contains("broken.zip: not a readable ZIP archive"),
            "{error}"
        );
        assert!(!is_zip(&dir.path().join("missing.zip")));
    }
}
