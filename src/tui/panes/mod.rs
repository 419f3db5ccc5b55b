//! Panes: one module each, all with the same small shape, so a new pane (Audit,
//! Duplicates, Segments, Log) is one module plus one line in [`all`].
//!
//! A pane turns keys into actions through its own keymap tables, changes only its own state
//! in `update` (returning effects such as reads for the worker), and renders as a pure
//! function of that state. It never touches SQL or the terminal directly.

pub mod audit;
pub mod contacts;
mod detail;
pub mod duplicates;
pub mod log;
pub mod review;
pub mod segments;

use super::action::{Action, Effect};
use super::keymap::Binding;
use super::theme::Theme;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The shape every pane has.
pub trait Pane {
    /// The name in the pane bar.
    fn title(&self) -> &'static str;

    /// The key tables of the pane's current mode, first wins. The app adds the global keys
    /// after these unless [`Pane::captures_text`] is true. Help and hints come from them.
    fn bindings(&self) -> Vec<&'static [Binding]>;

    /// Whether a text field has focus: unbound keys are typed into it and global keys
    /// (like `q`) are not looked up.
    fn captures_text(&self) -> bool;

    /// Whether the pane is asking a question (y/n): until it is answered, the pane takes
    /// every key and global keys (like `q` or a pane switch) do nothing.
    fn asking(&self) -> bool {
        false
    }

    /// The action `key` means for this pane, `None` when the pane has no use for it.
    fn handle_key(&self, key: &KeyEvent) -> Option<Action>;

    /// Applies an action: commands and text keys when focused, read replies always.
    fn update(&mut self, action: &Action) -> Vec<Effect>;

    /// The area the pane draws in changed (terminal resized).
    fn resize(&mut self, area: Rect) -> Vec<Effect>;

    /// The workspace changed (an import finished, another process committed): reload.
    fn refresh(&mut self) -> Vec<Effect>;

    /// Draws the pane into `area`.
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme);
}

/// The first job id of pane `n`: panes that follow the outcome of their own writer jobs
/// number them from a range of their own, far above the ids the app hands out.
pub const fn first_job(n: u64) -> super::action::JobId {
    n << 40
}

/// Every pane that exists, in pane-bar order.
pub fn all() -> Vec<Box<dyn Pane>> {
    vec![
        Box::new(contacts::ContactsPane::default()),
        Box::new(audit::AuditPane::default()),
        Box::new(duplicates::DuplicatesPane::default()),
        Box::new(segments::SegmentsPane::default()),
        Box::new(log::LogPane::default()),
        Box::new(review::ReviewPane::default()),
    ]
}
