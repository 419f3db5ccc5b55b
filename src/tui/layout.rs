//! Where things go on screen, computed from the terminal size every frame (cheap, and a
//! resize needs nothing more than a redraw).

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the app shows a single "too small" message instead of a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// The screen regions: pane bar on top, the pane, the status bar and the key hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub bar: Rect,
    pub pane: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// The regions for a screen of `size`, `None` when it is too small to be useful.
pub fn areas(size: Rect) -> Option<Areas> {
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        return None;
    }
    let [bar, pane, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size);
    Some(Areas {
        bar,
        pane,
        status,
        hints,
    })
}

/// A box of at most `width` x `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_terminal_leaves_twenty_one_rows_for_the_pane() {
        let a = areas(Rect::new(0, 0, 80, 24)).unwrap();
        assert_eq!(a.pane, Rect::new(0, 1, 80, 21));
        assert_eq!(a.hints.y, 23);
        assert!(areas(Rect::new(0, 0, 39, 24)).is_none());
        assert!(areas(Rect::new(0, 0, 80, 9)).is_none());
    }
}
