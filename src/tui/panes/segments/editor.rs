//! The rule editor: a `tui-textarea` buffer drawn with the rule lexer's tokens coloured,
//! and completion of the word under the cursor from the workspace's vocabulary.

use crate::segment::{builtin_field_names, is_reserved, lex, Tok, Token};
use crate::tui::segment_jobs::Vocabulary;
use crate::tui::theme::{Role, Theme};
use crossterm::event::KeyEvent;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use tui_textarea::{CursorMove, TextArea};

/// How many completions the popup lists.
pub const MAX_COMPLETIONS: usize = 8;

/// A rule being written.
#[derive(Debug, Clone)]
pub struct RuleEditor {
    area: TextArea<'static>,
}

/// Completions of the word under the cursor: what each inserts, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub items: Vec<String>,
    pub cursor: usize,
    /// Characters before the cursor the chosen item replaces.
    replace: usize,
}

impl Completion {
    pub fn step(&mut self, down: bool) {
        let n = self.items.len().max(1);
        self.cursor = if down {
            (self.cursor + 1) % n
        } else {
            (self.cursor + n - 1) % n
        };
    }
}

impl RuleEditor {
    /// An editor holding `text`, the cursor at its end.
    pub fn new(text: &str) -> Self {
        let mut area = TextArea::new(text.lines().map(String::from).collect());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        RuleEditor { area }
    }

    /// The rule as typed, lines joined by newlines.
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// Applies a key; returns whether the text changed.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let before = self.text();
        self.area.input(key);
        self.text() != before
    }

    /// The text of the current line before the cursor.
    fn before_cursor(&self) -> String {
        let (row, col) = self.area.cursor();
        self.area
            .lines()
            .get(row)
            .map(|l| l.chars().take(col).collect())
            .unwrap_or_default()
    }

    /// What Tab offers at the cursor: values after `field =` (or `contains`, or inside
    /// `in (...)`), tags after `tag`, segment names after `segment`, else field names —
    /// ranked by fuzzy match against the word typed so far. `None` when nothing fits.
    pub fn complete(&self, vocab: &Vocabulary) -> Option<Completion> {
        let line = self.before_cursor();
        // Inside an open quote the word runs from the quote; otherwise it is the trailing
        // identifier.
        let quotes = line.matches('"').count();
        let (context, word, replace) = if quotes % 2 == 1 {
            let at = line.rfind('"').unwrap_or(0);
            let word = &line[at + 1..];
            (&line[..at], word, word.chars().count() + 1)
        } else {
            let start = line
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                .last()
                .map_or(line.len(), |(i, _)| i);
            let word = &line[start..];
            (&line[..start], word, word.chars().count())
        };
        let (row, _) = self.area.cursor();
        let earlier: Vec<&str> = self
            .area
            .lines()
            .iter()
            .take(row)
            .map(String::as_str)
            .collect();
        let context = format!("{}\n{context}", earlier.join("\n"));
        let tokens: Vec<Token> = lex(&context)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.kind != Tok::Eof)
            .collect();
        let quoted = |v: &String| quote(v);
        let candidates: Vec<String> = match tokens.last().map(|t| &t.kind) {
            Some(Tok::Ident(k)) if k.eq_ignore_ascii_case("tag") => {
                vocab.tags.iter().map(quoted).collect()
            }
            Some(Tok::Ident(k)) if k.eq_ignore_ascii_case("segment") => {
                vocab.segments.iter().map(quoted).collect()
            }
            _ => match value_field(&tokens) {
                Some(field) => vocab.values_of(&field).iter().map(quoted).collect(),
                None => vocab.fields.iter().map(|f| field_text(f)).collect(),
            },
        };
        let items = rank(candidates, word);
        (!items.is_empty()).then_some(Completion {
            items,
            cursor: 0,
            replace,
        })
    }

    /// Replaces the word under the cursor with the chosen completion.
    pub fn accept(&mut self, completion: &Completion) -> bool {
        let Some(item) = completion.items.get(completion.cursor) else {
            return false;
        };
        for _ in 0..completion.replace {
            self.area.delete_char();
        }
        self.area.insert_str(item);
        true
    }

    /// Draws the rule with its tokens coloured, hard-wrapped at the area's width, the
    /// cursor as a reversed cell when `focused`, the character at `error` (a byte offset)
    /// marked. Scrolls to keep the cursor in view.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focused: bool,
        error: Option<usize>,
    ) {
        let width = (area.width as usize).max(1);
        let text = self.text();
        let roles = token_roles(&text, lex(&text).unwrap_or_default());
        let (cursor_row, cursor_col) = self.area.cursor();
        let mut rows: Vec<Vec<Span<'static>>> = Vec::new();
        let mut cursor_at = 0;
        let mut offset = 0;
        for (row, line) in self.area.lines().iter().enumerate() {
            let mut cells: Vec<(String, Role, bool)> = Vec::new();
            for (col, (i, c)) in line.char_indices().enumerate() {
                let byte = offset + i;
                let role = if error == Some(byte) {
                    Role::Error
                } else {
                    roles.get(byte).copied().unwrap_or(Role::Base)
                };
                let shown = if c.is_control() { '?' } else { c };
                cells.push((
                    shown.to_string(),
                    role,
                    focused && row == cursor_row && col == cursor_col,
                ));
            }
            let at_end = focused && row == cursor_row && cursor_col >= cells.len();
            if at_end || (error == Some(offset + line.len()) && row + 1 == self.area.lines().len())
            {
                let role = if error.is_some() && !at_end {
                    Role::Error
                } else {
                    Role::Base
                };
                cells.push((" ".to_string(), role, at_end));
            }
            if row == cursor_row {
                cursor_at = rows.len() + cursor_col.min(cells.len().saturating_sub(1)) / width;
            }
            let chunks: Vec<&[(String, Role, bool)]> = if cells.is_empty() {
                vec![&[]]
            } else {
                cells.chunks(width).collect()
            };
            for chunk in chunks {
                rows.push(
                    chunk
                        .iter()
                        .map(|(s, role, cursor)| {
                            let style = if *cursor {
                                theme.style(Role::Selection)
                            } else {
                                theme.style(*role)
                            };
                            Span::styled(s.clone(), style)
                        })
                        .collect(),
                );
            }
            offset += line.len() + 1;
        }
        let height = (area.height as usize).max(1);
        let top = (cursor_at + 1).saturating_sub(height);
        let lines: Vec<Line> = rows
            .into_iter()
            .skip(top)
            .take(height)
            .map(Line::from)
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    /// The cursor's screen row and column inside an area of `width` (for the popup).
    pub fn cursor_cell(&self, width: u16) -> (u16, u16) {
        let width = usize::from(width.max(1));
        let (row, col) = self.area.cursor();
        let above: usize = self
            .area
            .lines()
            .iter()
            .take(row)
            .map(|l| l.chars().count().max(1).div_ceil(width))
            .sum();
        let r = above + col / width;
        (
            u16::try_from(r).unwrap_or(u16::MAX),
            u16::try_from(col % width).unwrap_or(0),
        )
    }
}

/// The theme role of each byte of `text`, from its tokens: keywords, fields, values,
/// numbers and punctuation each their own.
fn token_roles(text: &str, tokens: Vec<Token>) -> Vec<Role> {
    let mut roles = vec![Role::Base; text.len()];
    let mut previous: Option<Tok> = None;
    for token in tokens {
        let role = match &token.kind {
            Tok::Ident(s) if is_reserved(s) => Role::Focus,
            Tok::Ident(_) if matches!(previous, Some(Tok::Op(_))) => Role::Match,
            Tok::Ident(_) => Role::Title,
            Tok::Str(_) => Role::Match,
            Tok::Number(_) | Tok::Date(_) | Tok::Duration(_) => Role::ScoreHigh,
            Tok::Op(_) | Tok::LParen | Tok::RParen | Tok::Comma => Role::Muted,
            Tok::Eof => Role::Base,
        };
        let end = token.end.min(roles.len());
        if let Some(span) = roles.get_mut(token.start.min(end)..end) {
            span.fill(role);
        }
        previous = Some(token.kind);
    }
    roles
}

/// The field whose values fit after these tokens: `field =`, `field contains`, or inside
/// `field in (...`.
fn value_field(tokens: &[Token]) -> Option<String> {
    let name = |t: &Token| match &t.kind {
        Tok::Ident(s) | Tok::Str(s) => Some(s.clone()),
        _ => None,
    };
    let n = tokens.len();
    let last = tokens.last()?;
    match &last.kind {
        Tok::Op(_) => tokens.get(n.checked_sub(2)?).and_then(name),
        Tok::Ident(k)
            if ["contains", "starts_with", "ends_with"]
                .iter()
                .any(|w| k.eq_ignore_ascii_case(w)) =>
        {
            tokens.get(n.checked_sub(2)?).and_then(name)
        }
        Tok::LParen | Tok::Comma => {
            let mut i = n - 1;
            while i > 0 && matches!(tokens[i].kind, Tok::Str(_) | Tok::Comma | Tok::LParen) {
                i -= 1;
            }
            match &tokens[i].kind {
                Tok::Ident(k) if k.eq_ignore_ascii_case("in") && i > 0 => name(&tokens[i - 1]),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A field as a rule writes it: built-ins bare, custom fields quoted.
fn field_text(name: &str) -> String {
    if builtin_field_names().any(|b| b == name) {
        name.to_string()
    } else {
        quote(name)
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `candidates` that fuzzy-match `word`, best first (all, in their order, for no word).
fn rank(candidates: Vec<String>, word: &str) -> Vec<String> {
    if word.is_empty() {
        return candidates.into_iter().take(MAX_COMPLETIONS).collect();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, String)> = candidates
        .into_iter()
        .filter_map(|c| matcher.fuzzy_match(&c, word).map(|s| (s, c)))
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored
        .into_iter()
        .take(MAX_COMPLETIONS)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary {
            fields: vec!["country".into(), "company".into(), "Industry".into()],
            values: vec![("country".into(), vec!["de".into(), "at".into()])],
            tags: vec!["vip".into()],
            segments: vec!["Engaged".into()],
        }
    }

    fn items(text: &str) -> Vec<String> {
        RuleEditor::new(text)
            .complete(&vocab())
            .map(|c| c.items)
            .unwrap_or_default()
    }

    #[test]
    fn completion_follows_the_context_and_replaces_the_word() {
        assert_eq!(items("cou"), vec!["country".to_string()]);
        assert_eq!(items("Indus"), vec!["\"Industry\"".to_string()]);
        assert_eq!(items("country = "), vec!["\"de\"", "\"at\""]);
        assert_eq!(items("country in (\"de\", \"a"), vec!["\"at\""]);
        assert_eq!(items("tag "), vec!["\"vip\""]);
        assert_eq!(items("in segment \"eng"), vec!["\"Engaged\""]);
        let mut editor = RuleEditor::new("status = subscribed and cou");
        let completion = editor.complete(&vocab()).unwrap();
        assert!(editor.accept(&completion));
        assert_eq!(editor.text(), "status = subscribed and country");
    }
}
