//! The lines of a detail view (a contact, a log entry, a contact in a duplicate pair):
//! a label column and a text that wraps under itself, so a long summary, address or
//! stored value is read in full at 80 columns rather than cut at the edge.

use crate::text::inert;
use crate::tui::fit::{keep_start, wrap};
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// The width of a detail view's labels ("When (UTC)", "#12 email"); the Contacts pane
/// gives them more when it is wide.
pub(crate) const LABEL_WIDTH: usize = 16;

/// A line of a detail view before styling and wrapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DetailLine {
    pub(crate) role: Role,
    pub(crate) label: String,
    pub(crate) text: String,
}

/// An empty line between sections.
pub(crate) static BLANK: DetailLine = DetailLine {
    role: Role::Base,
    label: String::new(),
    text: String::new(),
};

/// Draws the screen rows of `lines` into `area`, from row `scroll` on.
pub(crate) fn render<'a>(
    lines: impl IntoIterator<Item = &'a DetailLine>,
    label_width: usize,
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let shown: Vec<Line> = rows(lines, label_width, area.width, theme)
        .into_iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .collect();
    Paragraph::new(shown).render(area, buf);
}

/// The screen rows of `lines` in a column `width` wide, labels `label_width` wide: what
/// the view scrolls through.
fn rows<'a>(
    lines: impl IntoIterator<Item = &'a DetailLine>,
    label_width: usize,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|line| styled(line, label_width, width, theme))
        .collect()
}

/// How many screen rows [`rows`] makes of `lines`, to know where scrolling ends.
pub(crate) fn height<'a>(
    lines: impl IntoIterator<Item = &'a DetailLine>,
    label_width: usize,
    width: u16,
) -> usize {
    lines
        .into_iter()
        .map(|line| pieces(line, label_width, width).len())
        .sum()
}

/// `line`'s text in pieces that fit beside its label; at least one, so an empty line
/// still takes its row. A text that fits is kept as it is, its spacing included (event
/// columns line up by it); a longer one wraps at spaces, under its own leading indent.
fn pieces(line: &DetailLine, label_width: usize, width: u16) -> Vec<String> {
    let text = inert(&line.text);
    // Below a dozen columns wrapping would shred the text; let the edge cut it instead.
    let room = usize::from(width)
        .saturating_sub(indent(line, label_width))
        .max(12);
    if text.chars().count() <= room {
        return vec![text.into_owned()];
    }
    let body = text.trim_start_matches(' ');
    let lead = " ".repeat(text.len() - body.len());
    wrap(body, room.saturating_sub(lead.len()), usize::MAX)
        .into_iter()
        .map(|piece| format!("{lead}{piece}"))
        .collect()
}

/// The columns before the text: two spaces, the label, one space (none without a label).
fn indent(line: &DetailLine, label_width: usize) -> usize {
    if line.label.is_empty() {
        0
    } else {
        label_width + 3
    }
}

fn styled(line: &DetailLine, label_width: usize, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let text_style = theme.style(line.role);
    let mut label = Some(format!(
        "  {:<label_width$} ",
        keep_start(&inert(&line.label), label_width)
    ))
    .filter(|_| !line.label.is_empty());
    let hanging = " ".repeat(indent(line, label_width));
    pieces(line, label_width, width)
        .into_iter()
        .map(|piece| {
            let lead = label.take().unwrap_or_else(|| hanging.clone());
            Line::from(vec![
                Span::styled(lead, theme.style(Role::Muted)),
                Span::styled(piece, text_style),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(label: &str, text: &str) -> DetailLine {
        DetailLine {
            role: Role::Base,
            label: label.to_string(),
            text: text.to_string(),
        }
    }

    fn plain(lines: &[DetailLine], width: u16) -> Vec<String> {
        rows(lines, 8, width, &Theme::load_from("mono", None).unwrap())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_long_text_wraps_under_itself_beside_its_label() {
        let lines = [
            line("Summary", "segments refreshed: Cooling +229, Engaged +1038"),
            BLANK.clone(),
            line("", "Details"),
        ];
        assert_eq!(
            plain(&lines, 30),
            vec![
                "  Summary  segments refreshed:",
                "           Cooling +229,",
                "           Engaged +1038",
                "",
                "Details",
            ]
        );
        assert_eq!(height(&lines, 8, 30), 5);
        assert_eq!(height(&lines, 8, 200), 3);
    }

    #[test]
    fn a_text_that_fits_keeps_its_spacing_and_a_long_one_its_indent() {
        let lines = [
            line("Jan 4", "purchase  49.50"),
            line("", " audience.csv row 2 · import #1"),
        ];
        assert_eq!(
            plain(&lines, 26),
            vec![
                "  Jan 4    purchase  49.50",
                " audience.csv row 2 ·",
                " import #1",
            ]
        );
    }

    #[test]
    fn a_narrow_column_still_shows_text() {
        let lines = [line("Summary", "abcdefghijklmnopqrstuvwxyz")];
        let shown = plain(&lines, 5);
        assert_eq!(shown[0], "  Summary  abcdefghijkl");
        assert_eq!(shown.len(), 3);
    }
}
