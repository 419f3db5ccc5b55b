//! The Review pane: the scheduled maintenance review on screen. What changed since the last
//! recorded review (health score, contacts, every segment's size, findings, duplicate pairs,
//! imports) next to each segment's health (shares, 30/90-day performance, overlaps), and
//! `r` to record the review with a note.
//!
//! The review runs an audit, so it is computed on a reader of its own and tagged with a
//! generation: the pane shows "loading…" (and the previous review, if any) until the newest
//! answer arrives, and drops older ones. Recording is a writer job (logged); the workspace
//! change it causes reloads the review, and the status bar's "review due" follows from the
//! maintenance thread's once-a-second check.

use crate::maintenance::health::{Performance, SegmentHealth};
use crate::maintenance::review::{Review, SegmentChange};
use crate::text::inert;
use crate::tui::action::{Action, Effect, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use crate::tui::fit::{count_of, group_digits, keep_end, keep_start};
use crate::tui::input::LineInput;
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::panes::segments::sparkline;
use crate::tui::panes::Pane;
use crate::tui::queries::{format_date, format_time};
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, Paragraph, Row, Sparkline, StatefulWidget, Table, TableState, Widget,
};

/// Record jobs of this pane are numbered from here, apart from the app's jobs.
const FIRST_JOB: JobId = super::first_job(6);
/// Segment rows shown at most before the table scrolls.
const MAX_TABLE_ROWS: usize = 5;
/// Rows of the selected segment's detail.
const DETAIL_ROWS: u16 = 4;
/// Overlaps named for the selected segment.
const TOP_OVERLAPS: usize = 3;

const REVIEW_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::char('r')],
        command: Command::Save,
        desc: "record it, with a note",
        hint: Some("record"),
    },
    Binding {
        keys: &[Key::char('j'), Key::code(KeyCode::Down)],
        command: Command::Down,
        desc: "next segment",
        hint: Some("segment"),
    },
    Binding {
        keys: &[Key::char('k'), Key::code(KeyCode::Up)],
        command: Command::Up,
        desc: "previous segment",
        hint: None,
    },
    Binding {
        keys: &[Key::char('g'), Key::code(KeyCode::Home)],
        command: Command::Top,
        desc: "first segment, top",
        hint: None,
    },
    Binding {
        keys: &[Key::char('G'), Key::code(KeyCode::End)],
        command: Command::Bottom,
        desc: "last segment, bottom",
        hint: None,
    },
    Binding {
        keys: &[Key::code(KeyCode::PageDown)],
        command: Command::PageDown,
        desc: "scroll the changes down",
        hint: Some("scroll"),
    },
    Binding {
        keys: &[Key::code(KeyCode::PageUp)],
        command: Command::PageUp,
        desc: "scroll the changes up",
        hint: None,
    },
];

/// A line under the header: what just happened or what went wrong.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    role: Role,
    text: String,
}

/// State of the Review pane.
#[derive(Debug, Clone)]
pub struct ReviewPane {
    generation: u64,
    loading: bool,
    /// The newest review answered; kept on screen while a newer one loads.
    review: Option<Box<Review>>,
    /// Index of the selected segment.
    selected: usize,
    /// First line of the changes section shown.
    scroll: usize,
    area: Rect,
    /// Some while the note of a review to record is typed.
    input: Option<LineInput>,
    /// The record job in flight.
    recording: Option<JobId>,
    next_job: JobId,
    notice: Option<Notice>,
}

impl Default for ReviewPane {
    fn default() -> Self {
        ReviewPane {
            generation: 0,
            loading: false,
            review: None,
            selected: 0,
            scroll: 0,
            area: Rect::new(0, 0, 80, 21),
            input: None,
            recording: None,
            next_job: FIRST_JOB,
            notice: None,
        }
    }
}

/// Where the pane's parts go in `area` for a review of `segments` segments: header, score,
/// notice, segments table, selected segment, changes.
fn sections(area: Rect, segments: usize) -> [Rect; 6] {
    let table = segments.clamp(1, MAX_TABLE_ROWS) as u16 + 1;
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(table),
        Constraint::Length(DETAIL_ROWS),
        Constraint::Min(1),
    ])
    .areas(area)
}

/// `then → now`, `— → now` when there was no then.
fn then_now(then: Option<u64>, now: u64) -> String {
    match then {
        Some(t) => format!("{} → {}", group_digits(t), group_digits(now)),
        None => format!("— → {}", group_digits(now)),
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn pct(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

/// `12556.73` → `12,556.73`.
fn money(amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", group_digits(cents / 100), cents % 100)
}

/// The changes section as (role, text) lines: findings, duplicate pairs, imports.
fn change_lines(r: &Review) -> Vec<(Role, String)> {
    let mut out = vec![(Role::Title, " Findings (contacts, then → now)".to_string())];
    if r.findings.is_empty() {
        out.push((Role::Muted, "   No findings, then or now.".to_string()));
    }
    let had_then = r.previous.is_some();
    for f in &r.findings {
        let delta = f.now as i64 - f.then as i64;
        let role = match delta {
            d if d > 0 => Role::Warn,
            d if d < 0 => Role::Ok,
            _ => Role::Base,
        };
        let then = had_then.then_some(f.then);
        out.push((
            role,
            format!(
                "   {:<38} {} ({})",
                keep_start(&inert(&f.title), 38),
                then_now(then, f.now),
                signed(delta)
            ),
        ));
    }
    let pairs_then = r.previous.as_ref().map(|p| p.snapshot.pending_pairs as u64);
    out.push((
        Role::Title,
        format!(
            " Pending duplicate pairs: {}",
            then_now(pairs_then, r.now.pending_pairs as u64)
        ),
    ));
    out.push((
        Role::Title,
        format!(" Imports since the last review: {}", r.imports.len()),
    ));
    if r.imports.is_empty() {
        out.push((Role::Muted, "   none".to_string()));
    }
    for i in &r.imports {
        let name = std::path::Path::new(&i.path)
            .file_name()
            .map_or_else(|| i.path.clone(), |n| n.to_string_lossy().into_owned());
        out.push((
            Role::Base,
            format!(
                "   {} {:<22} {:<8} +{} new · {} updated · {} rejected",
                format_date(i.at),
                keep_end(&inert(&name), 22),
                keep_start(&inert(&i.kind), 8),
                group_digits(i.rows_new.max(0) as u64),
                group_digits(i.rows_updated.max(0) as u64),
                group_digits(i.rows_rejected.max(0) as u64),
            ),
        ));
    }
    out
}

/// The segments `selected` overlaps most, largest first.
fn top_overlaps(r: &Review, name: &str) -> Vec<(String, i64)> {
    let overlap = &r.health.overlap;
    let Some(i) = overlap.segments.iter().position(|s| s == name) else {
        return Vec::new();
    };
    let Some(row) = overlap.members.get(i) else {
        return Vec::new();
    };
    let mut shared: Vec<(String, i64)> = overlap
        .segments
        .iter()
        .zip(row)
        .enumerate()
        .filter(|(j, (_, n))| *j != i && **n > 0)
        .map(|(_, (s, n))| (s.clone(), *n))
        .collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    shared.truncate(TOP_OVERLAPS);
    shared
}

fn performance_line(p: &Performance) -> String {
    let aov = p.aov.map_or_else(|| "—".to_string(), money);
    format!(
        " {} days: {:.2} purchases/member · revenue {} · AOV {}",
        p.days,
        p.purchases_per_member,
        money(p.revenue),
        aov,
    )
}

impl ReviewPane {
    fn segment_count(&self) -> usize {
        self.review.as_ref().map_or(0, |r| r.segments.len())
    }

    fn changes_height(&self) -> usize {
        sections(self.area, self.segment_count())[5].height as usize
    }

    fn last_scroll(&self) -> usize {
        let lines = self.review.as_ref().map_or(0, |r| change_lines(r).len());
        lines.saturating_sub(self.changes_height())
    }

    fn load(&mut self) -> Vec<Effect> {
        self.generation += 1;
        self.loading = true;
        vec![Effect::Read(ReadRequest::Review {
            generation: self.generation,
        })]
    }

    fn command(&mut self, command: Command) -> Vec<Effect> {
        let last_segment = self.segment_count().saturating_sub(1);
        let page = self.changes_height().max(1);
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last_segment),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Top => {
                self.selected = 0;
                self.scroll = 0;
            }
            Command::Bottom => {
                self.selected = last_segment;
                self.scroll = self.last_scroll();
            }
            Command::PageDown => self.scroll = (self.scroll + page).min(self.last_scroll()),
            Command::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Command::Save if self.recording.is_some() => {
                self.notice = Some(Notice {
                    role: Role::Warn,
                    text: "A review is being recorded already.".to_string(),
                });
            }
            Command::Save => self.input = Some(LineInput::new("")),
            _ => {}
        }
        Vec::new()
    }

    fn input_action(&mut self, action: &Action) -> Vec<Effect> {
        let Some(input) = self.input.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Text(key) => {
                input.handle(*key);
                Vec::new()
            }
            Action::Command(Command::Accept) => {
                let note = input.value().trim().to_string();
                self.input = None;
                let id = self.next_job;
                self.next_job += 1;
                self.recording = Some(id);
                self.notice = Some(Notice {
                    role: Role::Muted,
                    text: "Recording the review…".to_string(),
                });
                vec![Effect::Write(WriteRequest::RecordReview { id, note })]
            }
            Action::Command(Command::Back) => {
                self.input = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn reply(&mut self, reply: &ReadReply) -> Vec<Effect> {
        match reply {
            ReadReply::Review { generation, review } if *generation == self.generation => {
                self.loading = false;
                self.review = Some(review.clone());
                self.selected = self.selected.min(review.segments.len().saturating_sub(1));
                self.scroll = self.scroll.min(self.last_scroll());
            }
            ReadReply::Failed { what: "review", .. } => self.loading = false,
            _ => {}
        }
        Vec::new()
    }

    fn job(&mut self, event: &JobEvent) -> Vec<Effect> {
        if let JobEvent::Finished { id, outcome } = event {
            if self.recording == Some(*id) {
                self.recording = None;
                self.notice = Some(match outcome {
                    Ok(text) => Notice {
                        role: Role::Ok,
                        text: inert(text).into_owned(),
                    },
                    Err(text) => Notice {
                        role: Role::Error,
                        text: inert(text).into_owned(),
                    },
                });
            }
        }
        Vec::new()
    }

    fn render_header(&self, r: Option<&Review>, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut spans = vec![Span::styled(" Review", theme.style(Role::Title))];
        if let Some(r) = r {
            let last = match &r.previous {
                Some(p) => format!(" · last {} by {}", format_time(p.at), inert(&p.os_user)),
                None => " · no review recorded yet".to_string(),
            };
            spans.push(Span::raw(last));
            spans.push(Span::raw(format!(" · {}", inert(&r.schedule.label))));
            if let Some(due) = r.due_at {
                let (role, text) = if r.due {
                    (Role::Warn, format!(" · due since {}", format_date(due)))
                } else {
                    (Role::Ok, format!(" · next due {}", format_date(due)))
                };
                spans.push(Span::styled(text, theme.style(role)));
            }
        }
        if self.loading {
            spans.push(Span::styled(" · loading…", theme.style(Role::Warn)));
        }
        Line::from(spans).render(area, buf);
    }

    fn render_score(&self, r: &Review, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let then = r.previous.as_ref().map(|p| &p.snapshot);
        let score = format!(
            " Score {} ",
            then_now(then.map(|t| u64::from(t.score)), u64::from(r.now.score))
        );
        let counts = format!(
            " Contacts {} · mailable {}",
            then_now(then.map(|t| t.contacts), r.now.contacts),
            then_now(then.map(|t| t.mailable), r.now.mailable)
        );
        let trend: Vec<u64> = r
            .health
            .score_trend
            .iter()
            .map(|p| p.score.clamp(0, 100) as u64)
            .collect();
        let width = trend.len().clamp(1, 16) as u16;
        let [label, spark, rest] = Layout::horizontal([
            Constraint::Length(score.chars().count() as u16),
            Constraint::Length(width),
            Constraint::Fill(1),
        ])
        .areas(area);
        Span::styled(score, theme.style(Role::Title)).render(label, buf);
        let shown = &trend[trend.len().saturating_sub(width as usize)..];
        Sparkline::default()
            .data(shown.iter().copied())
            .max(100)
            .style(theme.style(Role::Focus))
            .render(spark, buf);
        Span::raw(counts).render(rest, buf);
    }

    fn render_notice(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(input) = &self.input {
            let [prompt, field] =
                Layout::horizontal([Constraint::Length(14), Constraint::Min(1)]).areas(area);
            Line::styled(" Review note: ", theme.style(Role::Focus)).render(prompt, buf);
            input.render(field, buf, theme);
        } else if let Some(n) = &self.notice {
            Line::styled(format!(" {}", n.text), theme.style(n.role)).render(area, buf);
        }
    }

    fn render_table(&self, r: &Review, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if r.segments.is_empty() {
            Paragraph::new(" No saved segments: save one in the Segments pane (4).")
                .style(theme.style(Role::Muted))
                .render(area, buf);
            return;
        }
        let header = Row::new(
            [
                "Segment",
                "Size then → now",
                "Growth",
                "In/Out",
                "Trend",
                "Inact/Bnc/Uns%",
                "Open/Clk%",
            ]
            .map(Cell::from),
        )
        .style(theme.style(Role::Title));
        let rows = r
            .segments
            .iter()
            .zip(&r.health.segments)
            .map(|(c, h)| segment_row(c, h));
        let widths = [
            Constraint::Fill(1),
            Constraint::Length(15),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(14),
            Constraint::Length(9),
        ];
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(theme.style(Role::Base))
            .row_highlight_style(theme.style(Role::Selection));
        let mut state = TableState::default().with_selected(Some(self.selected));
        StatefulWidget::render(table, area, buf, &mut state);
    }

    fn render_detail(&self, r: &Review, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(h) = r.health.segments.get(self.selected) else {
            return;
        };
        let [title, chart, perf, overlaps] =
            Layout::vertical([Constraint::Length(1); 4]).areas(area);
        let sizes: Vec<u64> = h.sizes.iter().map(|p| p.members.max(0) as u64).collect();
        let range = match (h.sizes.first(), h.sizes.last()) {
            (Some(first), Some(last)) => format!(
                " · {}, {} to {}",
                count_of(h.sizes.len() as u64, "size", "sizes"),
                format_date(first.at),
                format_date(last.at)
            ),
            _ => " · no size recorded yet".to_string(),
        };
        Line::from(vec![
            Span::styled(
                format!(" {}", keep_start(&inert(&h.name), 30)),
                theme.style(Role::Title),
            ),
            Span::styled(range, theme.style(Role::Muted)),
        ])
        .render(title, buf);
        let low = sizes.iter().copied().min().unwrap_or(0);
        let high = sizes.iter().copied().max().unwrap_or(0);
        let label = format!(" Size {}–{} ", group_digits(low), group_digits(high));
        let [label_area, spark] = Layout::horizontal([
            Constraint::Length(label.chars().count() as u16),
            Constraint::Fill(1),
        ])
        .areas(chart);
        Span::styled(label, theme.style(Role::Muted)).render(label_area, buf);
        let shown = &sizes[sizes.len().saturating_sub(spark.width as usize)..];
        Sparkline::default()
            .data(shown.iter().copied())
            .style(theme.style(Role::Focus))
            .render(spark, buf);
        Line::raw(performance_line(&h.last_90_days)).render(perf, buf);
        let top = top_overlaps(r, &h.name);
        let text = if top.is_empty() {
            " Overlaps: none".to_string()
        } else {
            let named: Vec<String> = top
                .iter()
                .map(|(s, n)| format!("{} {}", keep_start(&inert(s), 20), group_digits(*n as u64)))
                .collect();
            format!(" Overlaps: {}", named.join(" · "))
        };
        Line::raw(text).render(overlaps, buf);
    }

    fn render_changes(&self, r: &Review, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines: Vec<Line> = change_lines(r)
            .into_iter()
            .skip(self.scroll)
            .take(area.height as usize)
            .map(|(role, text)| Line::styled(text, theme.style(role)))
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}

/// One row of the segments table.
fn segment_row(c: &SegmentChange, h: &SegmentHealth) -> Row<'static> {
    let growth = c
        .then
        .map_or_else(|| "—".to_string(), |t| signed(c.now - t));
    let sizes: Vec<i64> = h.sizes.iter().map(|p| p.members).collect();
    Row::new([
        Cell::from(inert(&c.name).into_owned()),
        Cell::from(then_now(
            c.then.map(|t| t.max(0) as u64),
            c.now.max(0) as u64,
        )),
        Cell::from(growth),
        Cell::from(format!("+{}/-{}", c.entered, c.left)),
        Cell::from(sparkline(&sizes)),
        Cell::from(format!(
            "{}/{}/{}",
            pct(h.inactive.share),
            pct(h.bounced.share),
            pct(h.unsubscribed.share)
        )),
        Cell::from(format!(
            "{}/{}",
            pct(h.last_30_days.openers.share),
            pct(h.last_30_days.clickers.share)
        )),
    ])
}

impl Pane for ReviewPane {
    fn title(&self) -> &'static str {
        "Review"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        if self.input.is_some() {
            vec![keymap::TEXT_FIELD]
        } else {
            vec![REVIEW_KEYS]
        }
    }

    fn captures_text(&self) -> bool {
        self.input.is_some()
    }

    fn handle_key(&self, key: &KeyEvent) -> Option<Action> {
        match keymap::lookup(&self.bindings(), key) {
            Some(command) => Some(Action::Command(command)),
            None if self.captures_text() => Some(Action::Text(*key)),
            None => None,
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Effect> {
        match action {
            Action::Read(reply) => self.reply(reply),
            Action::Job(event) => self.job(event),
            _ if self.input.is_some() => self.input_action(action),
            Action::Command(command) => {
                if self.notice.as_ref().is_some_and(|n| n.role != Role::Muted) {
                    self.notice = None;
                }
                self.command(*command)
            }
            _ => Vec::new(),
        }
    }

    fn resize(&mut self, area: Rect) -> Vec<Effect> {
        self.area = area;
        self.scroll = self.scroll.min(self.last_scroll());
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        self.load()
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let review = self.review.as_deref();
        let [header, score, notice, table, detail, changes] =
            sections(area, review.map_or(0, |r| r.segments.len()));
        self.render_header(review, header, buf, theme);
        self.render_notice(notice, buf, theme);
        let Some(r) = review else {
            let text = if self.loading {
                " Reviewing the list (this runs an audit)…"
            } else {
                " No review yet."
            };
            Line::styled(text, theme.style(Role::Muted)).render(score, buf);
            return;
        };
        self.render_score(r, score, buf, theme);
        self.render_table(r, table, buf, theme);
        self.render_detail(r, detail, buf, theme);
        self.render_changes(r, changes, buf, theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maintenance::review;
    use crate::segment::{self, Image};
    use crate::tui::queries::tests::fixture;
    use crate::workspace::Workspace;
    use crossterm::event::KeyModifiers;

    /// The review of the TUI fixture with two saved segments.
    fn fixture_review() -> (tempfile::TempDir, Workspace, Review) {
        let (dir, mut ws) = fixture();
        let image = Image::load(ws.conn()).unwrap();
        segment::save(&mut ws, &image, "British", "country = GB").unwrap();
        segment::save(&mut ws, &image, "Subscribed", "status = subscribed").unwrap();
        let r = review::review(ws.conn(), ws.clock().now_ts()).unwrap();
        (dir, ws, r)
    }

    fn answer(pane: &ReviewPane, r: &Review) -> Action {
        Action::Read(ReadReply::Review {
            generation: pane.generation,
            review: Box::new(r.clone()),
        })
    }

    fn press(pane: &mut ReviewPane, code: KeyCode) -> Vec<Effect> {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        match pane.handle_key(&key) {
            Some(action) => pane.update(&action),
            None => Vec::new(),
        }
    }

    fn screen(pane: &ReviewPane) -> String {
        let area = Rect::new(0, 0, 80, 21);
        let mut buf = Buffer::empty(area);
        pane.render(area, &mut buf, &Theme::load_from("mono", None).unwrap());
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_refresh_reads_the_review_and_shows_loading_until_it_arrives() {
        let (_dir, _ws, r) = fixture_review();
        let mut pane = ReviewPane::default();
        let effects = pane.refresh();
        assert_eq!(
            effects,
            vec![Effect::Read(ReadRequest::Review { generation: 1 })]
        );
        assert!(pane.loading);
        assert!(screen(&pane).contains("loading…"), "{}", screen(&pane));
        pane.update(&answer(&pane, &r));
        assert!(!pane.loading);
        let shown = screen(&pane);
        assert!(!shown.contains("loading…"), "{shown}");
        assert!(
            shown.contains("British") && shown.contains("Subscribed"),
            "{shown}"
        );
        assert!(shown.contains("no review recorded yet"), "{shown}");
    }

    #[test]
    fn replies_for_an_older_refresh_are_dropped() {
        let (_dir, _ws, r) = fixture_review();
        let mut pane = ReviewPane::default();
        pane.refresh();
        let stale = answer(&pane, &r);
        pane.refresh();
        pane.update(&stale);
        assert!(pane.loading);
        assert!(pane.review.is_none());
        pane.update(&answer(&pane, &r));
        assert!(pane.review.is_some());
        // A newer refresh keeps the old review on screen while it loads.
        pane.refresh();
        assert!(pane.loading && pane.review.is_some());
        // A failed review stops the loading.
        pane.update(&Action::Read(ReadReply::Failed {
            what: "review",
            message: "disk".into(),
        }));
        assert!(!pane.loading);
    }

    #[test]
    fn j_and_k_move_the_selection_within_the_segments_and_the_detail_follows() {
        let (_dir, _ws, r) = fixture_review();
        let mut pane = ReviewPane::default();
        pane.refresh();
        pane.update(&answer(&pane, &r));
        assert_eq!(pane.selected, 0);
        assert!(screen(&pane).contains(" British ·"), "{}", screen(&pane));
        press(&mut pane, KeyCode::Char('j'));
        press(&mut pane, KeyCode::Char('j'));
        assert_eq!(pane.selected, 1);
        assert!(screen(&pane).contains(" Subscribed ·"), "{}", screen(&pane));
        press(&mut pane, KeyCode::Char('k'));
        assert_eq!(pane.selected, 0);
        press(&mut pane, KeyCode::Char('G'));
        assert_eq!(pane.selected, 1);
        press(&mut pane, KeyCode::Char('g'));
        assert_eq!((pane.selected, pane.scroll), (0, 0));
        // The British segment (Ada) and the subscribed one (Ada) share one member.
        assert_eq!(top_overlaps(&r, "British"), vec![("Subscribed".into(), 1)]);
    }

    #[test]
    fn the_selection_stays_in_range_when_segments_go() {
        let (_dir, _ws, mut r) = fixture_review();
        let mut pane = ReviewPane::default();
        pane.refresh();
        pane.update(&answer(&pane, &r));
        press(&mut pane, KeyCode::Char('G'));
        r.segments.truncate(1);
        r.health.segments.truncate(1);
        pane.refresh();
        pane.update(&answer(&pane, &r));
        assert_eq!(pane.selected, 0);
    }

    #[test]
    fn r_asks_for_a_note_esc_cancels_and_enter_records_through_the_writer() {
        let (_dir, _ws, r) = fixture_review();
        let mut pane = ReviewPane::default();
        pane.refresh();
        pane.update(&answer(&pane, &r));
        assert!(press(&mut pane, KeyCode::Char('r')).is_empty());
        assert!(pane.captures_text());
        assert_eq!(pane.bindings(), vec![keymap::TEXT_FIELD]);
        press(&mut pane, KeyCode::Char('q'));
        assert!(press(&mut pane, KeyCode::Esc).is_empty());
        assert!(!pane.captures_text());

        press(&mut pane, KeyCode::Char('r'));
        for c in "all good".chars() {
            press(&mut pane, KeyCode::Char(c));
        }
        assert!(screen(&pane).contains("Review note: all good"));
        let effects = press(&mut pane, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Write(WriteRequest::RecordReview {
                id: FIRST_JOB,
                note: "all good".into()
            })]
        );
        assert!(!pane.captures_text());
        assert!(screen(&pane).contains("Recording the review…"));
        // A second `r` while it runs is refused.
        press(&mut pane, KeyCode::Char('r'));
        assert!(!pane.captures_text());
        // Another job's end is not ours.
        pane.update(&Action::Job(JobEvent::Finished {
            id: 3,
            outcome: Ok("import done".into()),
        }));
        assert!(pane.recording.is_some());
        pane.update(&Action::Job(JobEvent::Finished {
            id: FIRST_JOB,
            outcome: Ok("Review #1 recorded".into()),
        }));
        assert!(pane.recording.is_none());
        assert!(screen(&pane).contains("Review #1 recorded"));
    }

    #[test]
    fn after_recording_the_review_counts_from_it_and_is_no_longer_due() {
        let (_dir, mut ws, r) = fixture_review();
        let now = ws.clock().now_ts();
        assert!(r.previous.is_none());
        review::record(&mut ws, &r, "first").unwrap();
        let after = review::review(ws.conn(), now).unwrap();
        assert_eq!(
            after.previous.as_ref().map(|p| p.note.as_str()),
            Some("first")
        );
        assert!(!after.due);
        let mut pane = ReviewPane::default();
        pane.refresh();
        pane.update(&answer(&pane, &after));
        let shown = screen(&pane);
        assert!(shown.contains("next due"), "{shown}");
        assert!(shown.contains("Size then → now"), "{shown}");
    }

    #[test]
    fn page_keys_scroll_the_changes_within_bounds() {
        let (_dir, _ws, r) = fixture_review();
        let mut pane = ReviewPane::default();
        pane.resize(Rect::new(0, 0, 80, 14));
        pane.refresh();
        pane.update(&answer(&pane, &r));
        let lines = change_lines(&r).len();
        let height = pane.changes_height();
        press(&mut pane, KeyCode::PageDown);
        assert_eq!(pane.scroll, lines.saturating_sub(height).min(height));
        for _ in 0..10 {
            press(&mut pane, KeyCode::PageDown);
        }
        assert_eq!(pane.scroll, lines.saturating_sub(height));
        press(&mut pane, KeyCode::PageUp);
        press(&mut pane, KeyCode::PageUp);
        press(&mut pane, KeyCode::PageUp);
        assert_eq!(pane.scroll, 0);
    }

    #[test]
    fn money_reads_at_a_glance() {
        assert_eq!(money(12556.726), "12,556.73");
        assert_eq!(money(0.0), "0.00");
        assert_eq!(money(-3.5), "-3.50");
    }

    #[test]
    fn untrusted_names_are_shown_inert() {
        let (_dir, _ws, mut r) = fixture_review();
        r.segments[0].name = "Evil\u{1b}[2J".into();
        let mut pane = ReviewPane::default();
        pane.refresh();
        pane.update(&answer(&pane, &r));
        assert!(!screen(&pane).contains('\u{1b}'));
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        for tables in [vec![REVIEW_KEYS, keymap::GLOBAL], vec![keymap::TEXT_FIELD]] {
            let keys: Vec<Key> = tables
                .iter()
                .flat_map(|t| t.iter())
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }
}
