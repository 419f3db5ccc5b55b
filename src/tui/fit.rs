//! Fitting text into cells: shortening with an ellipsis, wrapping toasts, and numbers a
//! person reads at a glance.

/// `text` cut to `width` characters, the end replaced by `…` when cut (names, labels).
pub fn keep_start(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cut to `width` characters, the start replaced by `…` when cut (paths, whose
/// file name matters most).
pub fn keep_end(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let tail: String = text.chars().skip(n - (width - 1)).collect();
    format!("…{tail}")
}

/// `text` wrapped at spaces into at most `max_lines` lines of `width` characters; a word
/// longer than a line (a URL, compact JSON) goes on across lines, and the last line ends in
/// `…` when text is left over.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if used > 0 && used + 1 + len > width {
            lines.push(std::mem::take(&mut current));
            used = 0;
        }
        if used > 0 {
            current.push(' ');
            used += 1;
        }
        for c in word.chars() {
            if used == width {
                lines.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push(c);
            used += 1;
        }
    }
    if used > 0 {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            if last.chars().count() >= width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

/// `1234567` → `1,234,567`: counts of a million contacts must be readable at a glance.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 contact`, `2,004 contacts`.
pub fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_digits(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_keeps_the_part_that_matters() {
        assert_eq!(keep_end("/very/long/path/ws.db", 9), "…th/ws.db");
        assert_eq!(keep_end("ws.db", 9), "ws.db");
        assert_eq!(keep_end("ws.db", 0), "");
        assert_eq!(keep_start("Favourite colour", 10), "Favourite…");
        assert_eq!(keep_start("Ada", 10), "Ada");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_marks_what_is_left_out() {
        assert_eq!(
            wrap("a.csv: 10 read, 2 new", 12, 3),
            vec!["a.csv: 10", "read, 2 new"]
        );
        assert_eq!(wrap("one two three four", 9, 1), vec!["one two…"]);
        assert_eq!(wrap("one two three", 7, 1), vec!["one tw…"]);
        assert_eq!(wrap("abcdefghijkl", 5, 2), vec!["abcde", "fghi…"]);
        assert_eq!(
            wrap("see abcdefghijkl", 5, 9),
            vec!["see", "abcde", "fghij", "kl"]
        );
        assert!(wrap("", 5, 2).is_empty());
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(group_digits(1_000_000), "1,000,000");
        assert_eq!(group_digits(999), "999");
        assert_eq!(count_of(1, "contact", "contacts"), "1 contact");
        assert_eq!(count_of(0, "match", "matches"), "0 matches");
    }
}
