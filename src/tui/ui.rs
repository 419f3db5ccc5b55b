//! Drawing: a pure function of the app state and theme. Pane bar, the focused pane,
//! status bar, key hints, then overlays and toasts on top.

use super::app::{App, Job, Overlay};
use super::fit::{count_of, group_digits, keep_end, wrap};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::theme::{Role, Theme};
use crate::text::inert;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use ratatui::Frame;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    draw(app, area, frame.buffer_mut());
}

/// Draws the whole screen into `buf` (tests use this with a `TestBackend`).
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme();
    buf.set_style(area, theme.style(Role::Base));
    let Some(areas) = layout::areas(area) else {
        Paragraph::new(format!(
            "Terminal too small: need at least {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}.",
            area.width, area.height
        ))
        .style(theme.style(Role::Warn))
        .wrap(Wrap { trim: true })
        .render(area, buf);
        return;
    };
    pane_bar(app, areas.bar, buf, theme);
    if let Some(pane) = app.panes.get(app.focused) {
        pane.render(areas.pane, buf, theme);
    }
    status_bar(app, areas.status, buf, theme);
    hint_bar(app, areas.hints, buf, theme);
    match &app.overlay {
        Some(Overlay::Help { scroll }) => help(app, *scroll, areas.pane, buf, theme),
        Some(Overlay::Palette(palette)) => palette_box(palette, areas.pane, buf, theme),
        Some(Overlay::ConfirmQuit) => confirm_quit(app, areas.pane, buf, theme),
        None => {}
    }
    toasts(app, areas.pane, buf, theme);
}

fn pane_bar(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut spans = vec![Span::styled(" Listwarden ", theme.style(Role::Title))];
    for (i, pane) in app.panes.iter().enumerate() {
        let role = if i == app.focused {
            Role::Focus
        } else {
            Role::Muted
        };
        spans.push(Span::styled(
            format!(" {} {} ", i + 1, pane.title()),
            theme.style(role),
        ));
    }
    Line::from(spans).render(area, buf);
}

/// Live contact count and running jobs on the left, the workspace on the right.
fn status_bar(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut spans = vec![Span::styled(
        match app.live_count {
            Some(n) => format!(" {}", count_of(n.max(0) as u64, "contact", "contacts")),
            None => " counting…".to_string(),
        },
        theme.style(Role::Base),
    )];
    for job in &app.jobs {
        spans.push(Span::styled(" │ ", theme.style(Role::Muted)));
        spans.extend(job_spans(job, app.ticks, theme));
    }
    if app.watching > 0 {
        spans.push(Span::styled(" │ ", theme.style(Role::Muted)));
        spans.push(Span::styled(
            format!(
                "watching {}",
                count_of(app.watching as u64, "folder", "folders")
            ),
            theme.style(Role::Muted),
        ));
    }
    if app.review_due {
        spans.push(Span::styled(" │ ", theme.style(Role::Muted)));
        spans.push(Span::styled("review due", theme.style(Role::Warn)));
    }
    if app.outside_change > 0 {
        spans.push(Span::styled(" │ ", theme.style(Role::Muted)));
        spans.push(Span::styled(
            "updated by another process",
            theme.style(Role::Warn),
        ));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used + 3);
    let [left, right] =
        Layout::horizontal([Constraint::Length(used as u16), Constraint::Min(0)]).areas(area);
    Line::from(spans).render(left, buf);
    if room >= 8 {
        Line::styled(
            format!("{} ", keep_end(&inert(&app.workspace), room)),
            theme.style(Role::Muted),
        )
        .right_aligned()
        .render(right, buf);
    }
}

fn job_spans(job: &Job, ticks: u64, theme: &Theme) -> Vec<Span<'static>> {
    const BAR: usize = 10;
    let spinner = SPINNER[(ticks % SPINNER.len() as u64) as usize];
    let label = format!("{spinner} {} ", inert(&job.label));
    let done = job.done.min(job.total);
    let (bar, pct) = match (
        (done * BAR as u64).checked_div(job.total),
        (done * 100).checked_div(job.total),
    ) {
        (Some(filled), Some(pct)) => {
            let filled = filled as usize;
            (
                format!("[{}{}]", "#".repeat(filled), ".".repeat(BAR - filled)),
                format!(" {pct:>3}%"),
            )
        }
        _ => (format!("[{}]", ".".repeat(BAR)), String::new()),
    };
    // Past the last row an import still rebuilds indexes and commits (seconds, at a
    // million rows) and can no longer be cancelled: say so rather than sit at 100%.
    let tail = if job.cancelling {
        " cancelling…".to_string()
    } else if job.total > 0 && job.done >= job.total {
        format!(" {} rows  finishing…", group_digits(job.rows))
    } else {
        format!(" {} rows  x cancel", group_digits(job.rows))
    };
    vec![
        Span::styled(label, theme.style(Role::Focus)),
        Span::styled(bar, theme.style(Role::Ok)),
        Span::styled(pct, theme.style(Role::Base)),
        Span::styled(tail, theme.style(Role::Muted)),
    ]
}

fn hint_bar(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut spans = Vec::new();
    for binding in app.bindings().iter().flat_map(|t| t.iter()) {
        let (Some(hint), Some(key)) = (binding.hint, binding.keys.first()) else {
            continue;
        };
        spans.push(Span::styled(
            format!(" {}", key.label()),
            theme.style(Role::Focus),
        ));
        spans.push(Span::styled(format!(" {hint} "), theme.style(Role::Muted)));
    }
    Line::from(spans).render(area, buf);
}

/// Clears `outer`, draws a titled border and returns the inside.
pub(crate) fn popup(outer: Rect, title: &str, buf: &mut Buffer, theme: &Theme) -> Rect {
    Clear.render(outer, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.style(Role::Title)))
        .border_style(theme.style(Role::Muted))
        .style(theme.style(Role::Base));
    let inner = block.inner(outer);
    block.render(outer, buf);
    inner
}

/// Help: the pane's keys and the global keys side by side when they fit (80 columns),
/// else one scrollable column.
fn help(app: &App, scroll: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let sections = app.help_sections();
    let side_by_side = area.width >= 78;
    let columns: Vec<Vec<Line>> = if side_by_side {
        sections
            .iter()
            .map(|s| help_lines(std::slice::from_ref(s), theme))
            .collect()
    } else {
        vec![help_lines(&sections, theme)]
    };
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let height = (tallest as u16 + 2).min(area.height);
    let overflows = tallest + 2 > area.height as usize;
    let title = if overflows {
        "Help — j/k scroll, Esc closes"
    } else {
        "Help — Esc closes"
    };
    let width = if side_by_side { 78 } else { 64 };
    let inner = popup(layout::centered(area, width, height), title, buf, theme);
    // The app clamps scrolling to the single-column length; two columns are shorter.
    let scroll = scroll.min(tallest.saturating_sub(inner.height as usize));
    let constraints = vec![Constraint::Fill(1); columns.len()];
    let areas = Layout::horizontal(constraints).spacing(1).split(inner);
    for (lines, column) in columns.into_iter().zip(areas.iter()) {
        Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>()).render(*column, buf);
    }
    if overflows && scroll + (inner.height as usize) < tallest {
        let more = Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        };
        Line::styled("more ↓", theme.style(Role::Muted))
            .right_aligned()
            .render(more, buf);
    }
}

fn help_lines(sections: &[super::app::HelpSection], theme: &Theme) -> Vec<Line<'static>> {
    let key_width = sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            section.title.clone(),
            theme.style(Role::Title),
        ));
        for (keys, desc) in &section.entries {
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:>key_width$}  "), theme.style(Role::Focus)),
                Span::styled(desc.clone(), theme.style(Role::Base)),
            ]));
        }
    }
    lines
}

fn palette_box(palette: &super::palette::Palette, area: Rect, buf: &mut Buffer, theme: &Theme) {
    // Anchored at the top so the box does not jump while matches come and go.
    let height = (palette.match_count() as u16 + 3).clamp(5, 14);
    let mut outer = layout::centered(area, 70, height);
    outer.y = area.y + area.height.saturating_sub(height).min(1);
    let inner = popup(outer, "Commands", buf, theme);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let [prompt, field] =
        Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input);
    Line::styled(":", theme.style(Role::Focus)).render(prompt, buf);
    palette.input.render(field, buf, theme);
    let rows = list.height as usize;
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    if palette.match_count() == 0 {
        Line::styled(" no command matches", theme.style(Role::Muted)).render(list, buf);
        return;
    }
    let lines: Vec<Line> = palette
        .matches()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, entry)| {
            // The selected entry is one uniform bar, readable in every theme.
            let (name, desc) = if i == palette.selected {
                let selected = theme.style(Role::Selection);
                (selected, selected)
            } else {
                (theme.style(Role::Focus), theme.style(Role::Muted))
            };
            let label = format!(" {:<20}", inert(&entry.label()));
            let desc_text = format!(" {}", inert(&entry.desc));
            let pad = (list.width as usize)
                .saturating_sub(label.chars().count() + desc_text.chars().count());
            Line::from(vec![
                Span::styled(label, name),
                Span::styled(desc_text + &" ".repeat(pad), desc),
            ])
        })
        .collect();
    Paragraph::new(lines).render(list, buf);
}

fn confirm_quit(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = popup(layout::centered(area, 52, 5), "Quit?", buf, theme);
    let running: Vec<String> = app
        .jobs
        .iter()
        .map(|j| inert(&j.label).into_owned())
        .collect();
    Paragraph::new(vec![
        Line::styled(
            format!("Still running: {}.", running.join(", ")),
            theme.style(Role::Warn),
        ),
        Line::from(vec![
            Span::styled("y", theme.style(Role::Focus)),
            Span::raw(" cancel it (nothing is half-written) and quit  "),
            Span::styled("n", theme.style(Role::Focus)),
            Span::raw(" stay"),
        ]),
    ])
    .wrap(Wrap { trim: true })
    .render(inner, buf);
}

/// The most lines one toast takes; the Log pane has the whole text.
const TOAST_LINES: usize = 3;

/// Toasts stack up from the bottom right of the pane, newest lowest, each wrapped to at
/// most [`TOAST_LINES`] lines so an import summary is readable at 80 columns.
fn toasts(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = (area.width as usize).saturating_sub(4).min(76);
    let mut bottom = area.bottom();
    for toast in app.toasts.iter().rev() {
        // A summary's lines (an import, then the segments it moved) stay lines, each made
        // inert on its own so the break is not shown as a control picture.
        let lines: Vec<String> = toast
            .text
            .lines()
            .flat_map(|line| wrap(&inert(line.trim_end()), width, TOAST_LINES))
            .take(TOAST_LINES)
            .collect();
        let height = lines.len() as u16;
        if bottom < area.y + height {
            break;
        }
        let box_width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u16 + 2;
        let rect = Rect {
            x: area.right().saturating_sub(box_width),
            y: bottom - height,
            width: box_width.min(area.width),
            height,
        };
        bottom -= height;
        Clear.render(rect, buf);
        let style = theme
            .style(toast.role)
            .add_modifier(ratatui::style::Modifier::BOLD);
        let text: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::styled(format!(" {l} "), style))
            .collect();
        Paragraph::new(text).style(style).render(rect, buf);
    }
}
