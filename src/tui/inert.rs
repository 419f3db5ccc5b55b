//! Showing untrusted text (contact data, file names) without letting it drive the terminal.
//!
//! Temporary home until `crate::text::inert` lands on main; then this module goes away.

use std::borrow::Cow;

/// `text` with every control character, escape sequence introducer and bidi override made
/// visible instead of interpreted: C0 controls become their Unicode control pictures
/// (ESC shows as `␛`), DEL and C1 controls and bidi controls become `�`.
pub fn inert(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_replacing) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                c if needs_replacing(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_controls_are_shown_not_obeyed() {
        assert_eq!(inert("a\x1b[31mb\r\n"), "a␛[31mb␍␊");
        assert_eq!(inert("x\u{9b}y\u{202e}z\u{7f}"), "x�y�z�");
        assert!(matches!(inert("Müller"), Cow::Borrowed("Müller")));
    }
}
