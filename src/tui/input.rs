//! A one-line text field (filter, palette) over `tui-textarea`, so editing keys (arrows,
//! Home/End, Ctrl-w, Ctrl-u, undo) behave as people expect without us re-implementing them.

use super::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use tui_textarea::TextArea;

/// A single-line editor. Keys that would add a line or a tab are ignored.
#[derive(Debug, Clone)]
pub struct LineInput {
    area: TextArea<'static>,
}

impl LineInput {
    /// A field holding `initial` with the cursor at its end.
    pub fn new(initial: &str) -> Self {
        let mut area = TextArea::new(vec![initial.to_string()]);
        area.move_cursor(tui_textarea::CursorMove::End);
        area.set_cursor_line_style(ratatui::style::Style::default());
        LineInput { area }
    }

    /// Applies a key; returns whether the text changed.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let breaks_line = matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
            || (ctrl && matches!(key.code, KeyCode::Char('m' | 'j')));
        if breaks_line {
            return false;
        }
        let before = self.value().to_string();
        self.area.input(key);
        self.value() != before
    }

    /// The text typed so far.
    pub fn value(&self) -> &str {
        self.area.lines().first().map(String::as_str).unwrap_or("")
    }

    /// Draws the field (the cursor shows as a reversed cell, no colour needed).
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut field = self.area.clone();
        field.set_style(theme.style(Role::Base));
        field.set_cursor_style(theme.style(Role::Selection));
        Widget::render(&field, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn typing_edits_one_line_and_enter_does_not_break_it() {
        let mut input = LineInput::new("ad");
        assert!(input.handle(key('a')));
        assert!(!input.handle(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        assert!(!input.handle(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::CONTROL)));
        assert_eq!(input.value(), "ada");
        assert!(input.handle(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
        assert_eq!(input.value(), "ad");
    }
}
