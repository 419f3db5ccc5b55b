//! Opening an export: fingerprint, encoding, delimiter, and a streaming CSV reader.
//!
//! Files are streamed, never loaded whole, so memory does not grow with the file.
//! Encoding: a UTF-16 BOM switches to a transcoding reader (encoding_rs_io); otherwise
//! bytes are read as they are and each *field* is decoded as UTF-8 when valid and as
//! Windows-1252 when not. Per-field decoding is deliberate: exports stitched together from
//! several systems mix encodings within one file, and a whole-file guess would garble half
//! of it. (WHATWG maps the "latin1" label to windows-1252, a superset for text.)

use super::ImportError;
use encoding_rs::WINDOWS_1252;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the file is looked at to sniff the delimiter and spot binary data.
const SNIFF_BYTES: usize = 64 * 1024;

/// What was learned about a file before reading its rows.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// blake3 of the file's bytes: the same content is never imported twice.
    pub content_hash: String,
    pub encoding: &'static str,
    pub delimiter: u8,
    pub bytes_total: u64,
    /// About how many lines the file has, from the line length of its first bytes: enough
    /// to tell a bulk load from a small update before reading it.
    pub lines_estimate: u64,
}

/// Reads the whole file once to fingerprint it and sniffs its format.
pub fn inspect(path: &Path) -> Result<SourceInfo, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_err)?;
    let mut hasher = blake3::Hasher::new();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(read_err)?;
        if n == 0 {
            break;
        }
        if head.len() < SNIFF_BYTES {
            let take = n.min(SNIFF_BYTES - head.len());
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    let encoding = bom_encoding(&head);
    let text: Cow<str> = match encoding {
        "utf-16le" | "utf-16be" => {
            let enc = if encoding == "utf-16le" {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            enc.decode_with_bom_removal(&head).0
        }
        _ => {
            if head.iter().take(8192).any(|&b| b == 0) {
                return Err(ImportError::NotText {
                    path: path.to_path_buf(),
                });
            }
            decode_field(&head)
        }
    };
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(SourceInfo {
        content_hash: hasher.finalize().to_hex().to_string(),
        encoding,
        delimiter: sniff_delimiter(&text),
        bytes_total: total,
        lines_estimate: estimate_lines(&head, total),
    })
}

/// A CSV reader over the file, transcoding UTF-16 and skipping a UTF-8 BOM.
pub fn reader(
    path: &Path,
    info: &SourceInfo,
) -> Result<csv::Reader<Box<dyn Read + Send>>, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_err)?;
    let inner: Box<dyn Read + Send> = match info.encoding {
        "utf-16le" | "utf-16be" => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .build(BufReader::new(file)),
        ),
        "utf-8-bom" => {
            file.seek(SeekFrom::Start(3)).map_err(read_err)?;
            Box::new(BufReader::with_capacity(256 * 1024, file))
        }
        _ => Box::new(BufReader::with_capacity(256 * 1024, file)),
    };
    Ok(csv::ReaderBuilder::new()
        .delimiter(info.delimiter)
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(256 * 1024)
        .from_reader(inner))
}

/// Decodes one field: UTF-8 when valid, else Windows-1252.
pub fn decode_field(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Lines in a file of `total` bytes that starts with `head`, assuming the rest has lines of
/// the same average length.
fn estimate_lines(head: &[u8], total: u64) -> u64 {
    let newlines = head.iter().filter(|&&b| b == b'\n').count().max(1) as u64;
    match head.len() as u64 {
        0 => 0,
        sampled => total.saturating_mul(newlines) / sampled,
    }
}

fn bom_encoding(head: &[u8]) -> &'static str {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => "utf-8-bom",
        [0xFF, 0xFE, ..] => "utf-16le",
        [0xFE, 0xFF, ..] => "utf-16be",
        _ => "utf-8",
    }
}

/// Picks the delimiter among `,` `;` tab `|` that splits the header line into the most
/// fields and keeps that count on the following lines (quotes respected).
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = logical_lines(text).take(6).collect();
    let mut best = (b',', 0usize, false);
    for &candidate in b",;\t|" {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, candidate))
            .collect();
        let header = counts.first().copied().unwrap_or(0);
        if header == 0 {
            continue;
        }
        let consistent = counts.iter().skip(1).all(|&c| c == header);
        let better = (consistent, header) > (best.2, best.1);
        if better {
            best = (candidate, header, consistent);
        }
    }
    best.0
}

/// Lines of the sniffed text, joining lines broken inside quoted fields. The last line may
/// be cut off by the sniff window, so it is dropped when more than one is available.
fn logical_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, ch) in text.char_indices() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => {
                out.push(text[start..i].trim_end_matches('\r'));
                start = i + 1;
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push(&text[start..]);
    }
    out.into_iter().filter(|l| !l.trim().is_empty())
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                in_quotes = !in_quotes;
            }
            b == delimiter && !in_quotes
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(
            sniff_delimiter("E-Mail;Vorname;Nachname\nx@y.de;Jörg;Müller\n"),
            b';'
        );
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
    }

    #[test]
    fn a_delimiter_inside_quotes_does_not_count() {
        let text = "name;title\n\"Smith, John\";\"VP, Sales\"\n";
        assert_eq!(sniff_delimiter(text), b';');
    }

    #[test]
    fn line_count_is_estimated_from_the_first_lines() {
        let head = b"email\na@b.io\nc@d.io\n";
        assert_eq!(estimate_lines(head, head.len() as u64), 3);
        assert_eq!(estimate_lines(head, 1000 * head.len() as u64), 3000);
        assert_eq!(estimate_lines(b"", 0), 0);
    }

    #[test]
    fn decodes_latin1_fields_that_are_not_utf8() {
        assert_eq!(decode_field(b"M\xfcller"), "Müller");
        assert_eq!(decode_field("Müller".as_bytes()), "Müller");
    }
}
