//! Text handling shared by import, audit, dedupe and the TUI.
//!
//! Contact data arrives from many platforms in many shapes; everything that becomes a stored
//! display value goes through [`clean`], every match key through the submodules'
//! normalisers, and everything shown on a terminal through [`inert`], because contact data
//! is untrusted and must never drive the terminal.

pub mod address;
pub mod country;
pub mod date;
pub mod email;
pub mod phone;
pub mod stage;
pub mod status;

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters that render as nothing but survive `str::trim`: zero-width space/joiners,
/// the word joiner and a stray byte-order mark. Exports pasted from spreadsheets and web
/// forms carry them at the edges of values, where they make equal values compare unequal.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn is_edge_junk(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// The canonical display form of one value: Unicode NFC, trimmed of whitespace (including
/// NBSP) and zero-width characters, internal whitespace runs (tabs, newlines, NBSP...)
/// collapsed to one ASCII space.
///
/// NFC first so "Müller" typed with a combining diaeresis and with a precomposed "ü" are
/// stored identically; idempotent (`clean(clean(s)) == clean(s)`). Borrows `s` when it is
/// clean already, as most cells of an export are: the import cleans every cell, and a
/// number or date read from one needs no copy of it.
pub fn clean(s: &str) -> Cow<'_, str> {
    if is_plain_ascii(s) {
        return Cow::Borrowed(s);
    }
    let nfc = to_nfc(s);
    if is_tidy(&nfc) {
        return nfc;
    }
    Cow::Owned(tidy(&nfc))
}

fn to_nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// `s` trimmed of whitespace and zero-width characters, its whitespace runs one space.
fn tidy(s: &str) -> String {
    let trimmed = s.trim_matches(is_edge_junk);
    let mut out = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Whether [`tidy`] would leave `s` as it is: words apart by single spaces, no other
/// whitespace, nothing zero-width. Most cells with accents ("Müller", "Montréal") are,
/// and are then borrowed instead of rebuilt.
fn is_tidy(s: &str) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() || is_invisible(c) {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || s.is_empty()
}

/// Printable ASCII with single spaces between words and none at the edges: what most
/// cells of an export are, and already clean (the import calls [`clean`] on every cell, so
/// this skips the character-by-character rebuild for them).
fn is_plain_ascii(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.last() == Some(&b' ') {
        return false;
    }
    // One pass: printable, and no space at the start or after another space.
    let mut after_space = true;
    bytes.iter().all(|&b| {
        let space = b == b' ';
        let ok = (b' '..=b'~').contains(&b) && !(space && after_space);
        after_space = space;
        ok
    })
}

/// Bidirectional formatting characters reorder what a terminal shows ("Trojan Source"),
/// so a name could display as something it is not; the Unicode line and paragraph
/// separators break a table row like a newline would.
fn is_layout_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
    )
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_layout_control(c)
}

/// A form of `s` that is safe to write to a terminal: every control character (C0, DEL, C1,
/// hence every escape sequence's ESC/CSI), every bidi override and line separator is replaced by a visible,
/// inert stand-in. C0 controls and DEL become their Unicode "control pictures" (`␛`, `␊`,
/// `␡`: one column wide, so table layouts hold); C1 controls, bidi characters and the
/// Unicode line/paragraph separators become `\u{..}`. Borrows when there is nothing to replace, which is the common case.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        let code = u32::from(c);
        match c {
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{code:x}}}")),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A case-, accent-, space- and punctuation-blind key: "E-Mail-Adresse", "e mail adresse"
/// and "EMAIL_ADRESSE" all give `emailadresse`. Used to match header names, country names
/// and status words written by hand or by different platforms.
pub(crate) fn fold_key(s: &str) -> String {
    // Most cells are ASCII already, which transliterates to itself: only the rest goes
    // through `deunicode` (and its copy), which was most of reading a status per row.
    let ascii = if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(deunicode::deunicode(s))
    };
    ascii
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_trims_nbsp_and_zero_width() {
        assert_eq!(clean("\u{FEFF}\u{A0} Anna \u{200B}\t"), "Anna");
        assert_eq!(clean("  Anna \t\n  Maria  "), "Anna Maria");
        assert_eq!(clean("Anna\u{A0}\u{A0}Maria"), "Anna Maria");
        assert_eq!(clean(""), "");
        assert_eq!(clean(" \u{200B} "), "");
    }

    #[test]
    fn clean_composes_to_nfc() {
        let decomposed = "Mu\u{0308}ller";
        assert_eq!(clean(decomposed), "Müller");
        assert_eq!(clean("Müller"), "Müller");
    }

    #[test]
    fn inert_borrows_clean_text() {
        assert!(matches!(inert("Zoë 李 O'Brien"), Cow::Borrowed(_)));
    }

    #[test]
    fn inert_neutralises_escape_sequences() {
        let hostile = "Bob\u{1b}[2J\u{1b}]0;pwned\u{7}\r\n\u{9b}31m\u{202E}evil";
        let shown = inert(hostile);
        assert_eq!(shown, "Bob␛[2J␛]0;pwned␇␍␊\\u{9b}31m\\u{202e}evil");
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(inert("a\u{7f}b"), "a␡b");
        assert_eq!(inert("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn fold_key_ignores_case_accents_punctuation() {
        assert_eq!(fold_key("E-Mail-Adresse"), "emailadresse");
        assert_eq!(fold_key("Código Postal"), "codigopostal");
        assert_eq!(fold_key("  "), "");
    }

    proptest! {
        #[test]
        fn clean_is_idempotent(s in any::<String>()) {
            let once = clean(&s);
            prop_assert_eq!(clean(&once), once.clone());
            prop_assert_eq!(once.trim_matches(is_edge_junk), &*once);
        }

        #[test]
        fn inert_never_emits_controls(s in any::<String>()) {
            let shown = inert(&s);
            prop_assert!(!shown.chars().any(needs_escape));
        }

        /// Cells that need nothing done are borrowed, and come out exactly as rebuilding
        /// them would make them.
        #[test]
        fn clean_borrows_only_what_tidying_would_not_change(s in "[ a-zé\u{a0}\u{200b}\t]{0,10}|\\PC{0,10}") {
            let (cleaned, rebuilt) = (clean(&s).into_owned(), tidy(&to_nfc(&s)));
            prop_assert_eq!(cleaned, rebuilt);
        }

        #[test]
        fn fold_key_never_panics(s in any::<String>()) {
            let k = fold_key(&s);
            prop_assert!(k.chars().all(|c| c.is_ascii_alphanumeric()));
        }

        /// The ASCII fast path folds exactly as transliterating everything would.
        #[test]
        fn fold_key_is_the_transliterated_key(s in "[ -~À-ÿ]{0,12}|\\PC{0,12}") {
            let transliterated: String = deunicode::deunicode(&s)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            prop_assert_eq!(fold_key(&s), transliterated);
        }
    }
}
