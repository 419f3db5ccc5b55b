//! The Contacts pane: a table over every live contact, filtered and sorted on the reader
//! worker, with a detail view of one contact's source records, custom fields, tags and
//! recent events.
//!
//! Only a window of rows around the visible page lives here; the worker keeps the view's
//! order (ids) and answers page requests tagged with the view's generation, so answers to
//! an older filter or sort are dropped instead of flashing on screen.

use crate::text::inert;
use crate::tui::action::{Action, Effect, ReadReply, ReadRequest};
use crate::tui::fit::{count_of, group_digits};
use crate::tui::input::LineInput;
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::panes::detail::{self, DetailLine, BLANK};
use crate::tui::panes::Pane;
use crate::tui::queries::{format_date, format_time, ContactDetail, ContactRow, Sort, SortColumn};
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Table,
    TableState, Widget, Wrap,
};

/// Rows fetched beyond the visible page on each side, so holding `j` rarely waits.
const MIN_MARGIN: usize = 40;
/// Terminal width from which the table shows its secondary columns.
pub const WIDE: u16 = 120;

const LIST_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::code(KeyCode::Enter)],
        command: Command::Open,
        desc: "open: sources, tags, events",
        hint: Some("open"),
    },
    Binding {
        keys: &[Key::char('/')],
        command: Command::Filter,
        desc: "filter email, name, company",
        hint: Some("filter"),
    },
    Binding {
        keys: &[Key::char('s')],
        command: Command::SortNext,
        desc: "sort by the next column",
        hint: Some("sort"),
    },
    Binding {
        keys: &[Key::char('S')],
        command: Command::SortReverse,
        desc: "reverse the sort",
        hint: None,
    },
    Binding {
        keys: &[Key::code(KeyCode::Esc)],
        command: Command::Back,
        desc: "clear the filter",
        hint: None,
    },
];

const DETAIL_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        command: Command::Back,
        desc: "back to the list",
        hint: Some("back"),
    },
    Binding {
        keys: &[Key::char('j'), Key::code(KeyCode::Down)],
        command: Command::Down,
        desc: "scroll down",
        hint: Some("scroll"),
    },
    Binding {
        keys: &[Key::char('k'), Key::code(KeyCode::Up)],
        command: Command::Up,
        desc: "scroll up",
        hint: None,
    },
    Binding {
        keys: &[Key::char('g'), Key::code(KeyCode::Home)],
        command: Command::Top,
        desc: "top",
        hint: None,
    },
    Binding {
        keys: &[Key::char('G'), Key::code(KeyCode::End)],
        command: Command::Bottom,
        desc: "bottom",
        hint: None,
    },
    Binding {
        keys: &[Key::code(KeyCode::PageDown), Key::ctrl('d')],
        command: Command::PageDown,
        desc: "page down",
        hint: None,
    },
    Binding {
        keys: &[Key::code(KeyCode::PageUp), Key::ctrl('u')],
        command: Command::PageUp,
        desc: "page up",
        hint: None,
    },
];

/// One contact opened with `Enter`.
#[derive(Debug, Clone, PartialEq)]
struct Detail {
    id: i64,
    /// Title shown while loading: the email of the row it was opened from.
    title: String,
    /// `None` while the worker loads it.
    lines: Option<DetailLines>,
    scroll: usize,
}

/// The detail view's text: the contact itself, and its source records — shown side by
/// side on wide terminals, one after the other otherwise.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DetailLines {
    main: Vec<DetailLine>,
    sources: Vec<DetailLine>,
}

impl DetailLines {
    /// What the detail view says of a contact that no longer exists.
    pub(super) fn gone() -> DetailLines {
        DetailLines {
            main: vec![DetailLine {
                role: Role::Warn,
                label: String::new(),
                text: "This contact no longer exists (deleted or forgotten).".to_string(),
            }],
            sources: Vec::new(),
        }
    }

    /// The columns shown: two when `wide`, else one with the sources below.
    pub(super) fn columns(&self, wide: bool) -> Vec<Vec<&DetailLine>> {
        if wide {
            vec![self.main.iter().collect(), self.sources.iter().collect()]
        } else {
            vec![self
                .main
                .iter()
                .chain(std::iter::once(&BLANK))
                .chain(self.sources.iter())
                .collect()]
        }
    }
}

/// State of the Contacts pane.
#[derive(Debug, Clone)]
pub struct ContactsPane {
    sort: Sort,
    /// The filter the current view was computed with.
    filter: String,
    /// Some while the user types a filter.
    input: Option<LineInput>,
    /// Increases with every new view (filter, sort or data change).
    generation: u64,
    /// Rows in the current view; `None` until the first view arrives.
    total: Option<usize>,
    /// A view request is outstanding.
    loading: bool,
    cursor: usize,
    offset: usize,
    window_generation: u64,
    window_start: usize,
    window: Vec<ContactRow>,
    /// The last page asked for, so one position is not requested twice.
    requested: Option<(u64, usize)>,
    /// Table rows that fit on screen.
    height: usize,
    width: u16,
    detail: Option<Detail>,
    error: Option<String>,
}

impl Default for ContactsPane {
    fn default() -> Self {
        ContactsPane {
            sort: Sort::default(),
            filter: String::new(),
            input: None,
            generation: 0,
            total: None,
            loading: false,
            cursor: 0,
            offset: 0,
            window_generation: 0,
            window_start: 0,
            window: Vec::new(),
            requested: None,
            height: 1,
            width: 80,
            detail: None,
            error: None,
        }
    }
}

impl ContactsPane {
    /// The row at `index`, when it is loaded. While a new view loads, the previous
    /// one's rows stay on screen (marked "loading…") rather than blanking it.
    fn row(&self, index: usize) -> Option<&ContactRow> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.window.get(i))
    }

    fn margin(&self) -> usize {
        self.height.max(MIN_MARGIN)
    }

    /// Asks for a new view (new filter, sort or data); `keep_cursor` on data refreshes.
    fn new_view(&mut self, keep_cursor: bool) -> Vec<Effect> {
        self.generation += 1;
        self.loading = true;
        self.requested = None;
        if !keep_cursor {
            self.cursor = 0;
            self.offset = 0;
        }
        let start = self.offset.saturating_sub(self.margin());
        self.requested = Some((self.generation, start));
        vec![Effect::Read(ReadRequest::ContactsView {
            generation: self.generation,
            sort: self.sort,
            filter: self.filter.clone(),
            start,
            len: self.height + 2 * self.margin(),
        })]
    }

    /// Rows the cursor can reach: the view's total, or before it is known, the rows of
    /// the first page.
    fn reachable(&self) -> usize {
        self.total.unwrap_or(self.window_start + self.window.len())
    }

    /// Moves the cursor to `target` (clamped), scrolls to keep it visible and asks for
    /// the rows that are about to be needed.
    fn move_to(&mut self, target: usize) -> Vec<Effect> {
        let total = self.reachable();
        self.cursor = target.min(total.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.height {
            self.offset = self.cursor + 1 - self.height;
        }
        self.offset = self.offset.min(total.saturating_sub(self.height));
        self.ensure_window()
    }

    /// Requests a page when the visible rows, plus half a margin on each side, are not
    /// all in the window for the current view.
    fn ensure_window(&mut self) -> Vec<Effect> {
        let Some(total) = self.total.filter(|_| !self.loading) else {
            return Vec::new();
        };
        let half = self.margin() / 2;
        let want_start = self.offset.saturating_sub(half);
        let want_end = (self.offset + self.height + half).min(total);
        let have_end = self.window_start + self.window.len();
        let covered = self.window_generation == self.generation
            && self.window_start <= want_start
            && (have_end >= want_end);
        if covered || want_start >= want_end {
            return Vec::new();
        }
        let start = self.offset.saturating_sub(self.margin());
        if self.requested == Some((self.generation, start)) {
            return Vec::new();
        }
        self.requested = Some((self.generation, start));
        vec![Effect::Read(ReadRequest::ContactsPage {
            generation: self.generation,
            start,
            len: self.height + 2 * self.margin(),
        })]
    }

    fn set_window(&mut self, generation: u64, start: usize, rows: &[ContactRow]) {
        self.window_generation = generation;
        self.window_start = start;
        self.window = rows.to_vec();
    }

    fn list_command(&mut self, command: Command) -> Vec<Effect> {
        let page = self.height.max(1);
        match command {
            Command::Down => self.move_to(self.cursor + 1),
            Command::Up => self.move_to(self.cursor.saturating_sub(1)),
            Command::Top => self.move_to(0),
            Command::Bottom => self.move_to(usize::MAX),
            Command::PageDown => self.move_to(self.cursor + page),
            Command::PageUp => self.move_to(self.cursor.saturating_sub(page)),
            Command::HalfPageDown => self.move_to(self.cursor + page.div_ceil(2)),
            Command::HalfPageUp => self.move_to(self.cursor.saturating_sub(page.div_ceil(2))),
            Command::Filter => {
                self.input = Some(LineInput::new(&self.filter));
                Vec::new()
            }
            Command::SortNext => {
                self.sort = Sort {
                    column: self.sort.column.next(),
                    descending: false,
                };
                self.new_view(false)
            }
            Command::SortReverse => {
                self.sort.descending = !self.sort.descending;
                self.new_view(false)
            }
            Command::Open => self.open(),
            Command::Back if !self.filter.is_empty() => self.set_filter(String::new()),
            _ => Vec::new(),
        }
    }

    fn open(&mut self) -> Vec<Effect> {
        let Some(row) = self.row(self.cursor) else {
            return Vec::new();
        };
        let id = row.id;
        self.detail = Some(Detail {
            id,
            title: row.email.clone(),
            lines: None,
            scroll: 0,
        });
        vec![Effect::Read(ReadRequest::ContactDetail { id })]
    }

    fn set_filter(&mut self, filter: String) -> Vec<Effect> {
        if filter == self.filter {
            return Vec::new();
        }
        self.filter = filter;
        self.new_view(false)
    }

    fn input_action(&mut self, action: &Action) -> Vec<Effect> {
        let Some(input) = self.input.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Text(key) => {
                if input.handle(*key) {
                    let value = input.value().to_string();
                    self.set_filter(value)
                } else {
                    Vec::new()
                }
            }
            Action::Command(Command::Accept) => {
                self.input = None;
                Vec::new()
            }
            Action::Command(Command::Back) => {
                self.input = None;
                self.set_filter(String::new())
            }
            _ => Vec::new(),
        }
    }

    fn detail_command(&mut self, command: Command) -> Vec<Effect> {
        let page = self.height.max(1);
        let body = Rect::new(0, 0, self.width, u16::try_from(page).unwrap_or(u16::MAX));
        let last = self
            .detail
            .as_ref()
            .and_then(|d| d.lines.as_ref())
            .map_or(0, |lines| {
                let tallest = self
                    .detail_columns(lines, body)
                    .into_iter()
                    .map(|(column, area)| detail::height(column, self.label_width(), area.width))
                    .max()
                    .unwrap_or(0);
                tallest.saturating_sub(page)
            });
        let Some(detail) = self.detail.as_mut() else {
            return Vec::new();
        };
        detail.scroll = match command {
            Command::Back => {
                self.detail = None;
                return Vec::new();
            }
            Command::Down => detail.scroll + 1,
            Command::Up => detail.scroll.saturating_sub(1),
            Command::Top => 0,
            Command::Bottom => last,
            Command::PageDown => detail.scroll + page,
            Command::PageUp => detail.scroll.saturating_sub(page),
            _ => detail.scroll,
        }
        .min(last);
        Vec::new()
    }

    fn reply(&mut self, reply: &ReadReply) -> Vec<Effect> {
        match reply {
            ReadReply::ContactsView {
                generation,
                total,
                start,
                rows,
            } if *generation == self.generation => {
                if let Some(total) = total {
                    self.loading = false;
                    self.error = None;
                    self.total = Some(*total);
                }
                self.set_window(*generation, *start, rows);
                let cursor = self.cursor;
                self.move_to(cursor)
            }
            ReadReply::ContactsPage {
                generation,
                start,
                rows,
            } if *generation == self.generation => {
                self.set_window(*generation, *start, rows);
                self.ensure_window()
            }
            ReadReply::ContactDetail { id, detail } => {
                if let Some(open) = self.detail.as_mut().filter(|d| d.id == *id) {
                    open.lines = Some(match detail {
                        Some(d) => detail_lines(d),
                        None => DetailLines::gone(),
                    });
                }
                Vec::new()
            }
            ReadReply::Failed { what, message } if what.starts_with("contact") => {
                self.loading = false;
                self.error = Some(format!("{what}: {message}"));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn wide(&self) -> bool {
        self.width >= WIDE
    }

    fn render_info(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(input) = &self.input {
            let [prompt, field, count] = Layout::horizontal([
                Constraint::Length(8),
                Constraint::Min(1),
                Constraint::Length(20),
            ])
            .areas(area);
            Line::styled(" Filter ", theme.style(Role::Focus)).render(prompt, buf);
            input.render(field, buf, theme);
            let status = match self.total {
                _ if self.loading => Span::styled("searching… ", theme.style(Role::Warn)),
                Some(n) => Span::styled(
                    format!("{} ", count_of(n as u64, "match", "matches")),
                    theme.style(Role::Muted),
                ),
                None => Span::raw(""),
            };
            Line::from(status).right_aligned().render(count, buf);
            return;
        }
        let mut spans = Vec::new();
        match self.total {
            Some(total) => spans.push(Span::styled(
                format!(" {}", count_of(total as u64, "contact", "contacts")),
                theme.style(Role::Title),
            )),
            None => spans.push(Span::styled(" Contacts", theme.style(Role::Title))),
        }
        if !self.filter.is_empty() {
            spans.push(Span::styled(
                format!(" matching \"{}\"", inert(&self.filter)),
                theme.style(Role::Match),
            ));
        }
        let arrow = if self.sort.descending { "↓" } else { "↑" };
        spans.push(Span::styled(
            format!(" · sorted by {} {arrow}", self.sort.column.title()),
            theme.style(Role::Muted),
        ));
        if self.loading {
            spans.push(Span::styled(" · loading…", theme.style(Role::Warn)));
        }
        if let Some(error) = &self.error {
            spans.push(Span::styled(
                format!(" · {}", inert(error)),
                theme.style(Role::Error),
            ));
        }
        Line::from(spans).render(area, buf);
    }

    fn render_table(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let total = self.reachable();
        if self.total == Some(0) && !self.loading {
            let message = if self.filter.is_empty() {
                "No contacts yet. Import a file with  :import PATH".to_string()
            } else {
                format!(
                    "No contact matches \"{}\".  Esc clears the filter.",
                    inert(&self.filter)
                )
            };
            Paragraph::new(message)
                .style(theme.style(Role::Muted))
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let columns = self.columns();
        let header = Row::new(columns.iter().map(|(c, _)| {
            let mut title = c.title().to_string();
            if *c == self.sort.column {
                title.push(if self.sort.descending { '↓' } else { '↑' });
            }
            Cell::from(title)
        }))
        .style(theme.style(Role::Title));
        let visible = self.offset..(self.offset + self.height).min(total);
        let rows = visible.clone().map(|i| match self.row(i) {
            Some(row) => Row::new(
                columns
                    .iter()
                    .map(|(c, _)| Cell::from(cell(row, *c, theme))),
            ),
            None => Row::new([Cell::from("…")]).style(theme.style(Role::Muted)),
        });
        let widths = columns.iter().map(|(_, w)| *w);
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(theme.style(Role::Base))
            .row_highlight_style(theme.style(Role::Selection));
        let mut state = TableState::default();
        if visible.contains(&self.cursor) {
            state.select(Some(self.cursor - self.offset));
        }
        let [table_area, bar_area] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        StatefulWidget::render(table, table_area, buf, &mut state);
        if total > self.height {
            let mut bar = ScrollbarState::new(total.saturating_sub(self.height))
                .position(self.offset)
                .viewport_content_length(self.height);
            let body = Rect {
                y: bar_area.y.saturating_add(1),
                height: bar_area.height.saturating_sub(1),
                ..bar_area
            };
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .style(theme.style(Role::Muted))
                .render(body, buf, &mut bar);
        }
    }

    fn columns(&self) -> Vec<(SortColumn, Constraint)> {
        let mut columns = vec![
            (SortColumn::Email, Constraint::Fill(2)),
            (SortColumn::Name, Constraint::Fill(1)),
            (SortColumn::Company, Constraint::Fill(1)),
            (SortColumn::Country, Constraint::Length(3)),
            (SortColumn::Status, Constraint::Length(12)),
            (SortColumn::LastActivity, Constraint::Length(10)),
        ];
        if self.wide() {
            columns.push((SortColumn::Source, Constraint::Length(12)));
            columns.push((SortColumn::Added, Constraint::Length(10)));
        }
        columns
    }

    fn render_detail(&self, detail: &Detail, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        Line::from(vec![
            Span::styled(
                format!(" {}", inert(&detail.title)),
                theme.style(Role::Title),
            ),
            Span::styled(
                format!("  (contact #{})", detail.id),
                theme.style(Role::Muted),
            ),
        ])
        .render(title, buf);
        let Some(lines) = &detail.lines else {
            Line::styled(" loading…", theme.style(Role::Muted)).render(body, buf);
            return;
        };
        for (column, area) in self.detail_columns(lines, body) {
            detail::render(column, self.label_width(), detail.scroll, area, buf, theme);
        }
    }

    /// The detail view's columns, each with its part of `body`: the contact and its
    /// sources side by side when wide, one column otherwise.
    fn detail_columns<'a>(
        &self,
        lines: &'a DetailLines,
        body: Rect,
    ) -> Vec<(Vec<&'a DetailLine>, Rect)> {
        let columns = lines.columns(self.wide());
        let areas = Layout::horizontal(vec![Constraint::Fill(1); columns.len()])
            .spacing(2)
            .split(body);
        columns.into_iter().zip(areas.iter().copied()).collect()
    }

    fn label_width(&self) -> usize {
        if self.wide() {
            20
        } else {
            detail::LABEL_WIDTH
        }
    }
}

impl Pane for ContactsPane {
    fn title(&self) -> &'static str {
        "Contacts"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        if self.input.is_some() {
            vec![keymap::TEXT_FIELD]
        } else if self.detail.is_some() {
            vec![DETAIL_KEYS]
        } else {
            vec![LIST_KEYS, keymap::LIST_MOTION]
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
            _ if self.input.is_some() => self.input_action(action),
            Action::Command(command) if self.detail.is_some() => self.detail_command(*command),
            Action::Command(command) => self.list_command(*command),
            _ => Vec::new(),
        }
    }

    fn resize(&mut self, area: Rect) -> Vec<Effect> {
        // One line for the info bar, one for the table header.
        self.height = (area.height as usize).saturating_sub(2).max(1);
        self.width = area.width;
        let cursor = self.cursor;
        self.move_to(cursor)
    }

    fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = self.new_view(true);
        if let Some(detail) = &self.detail {
            effects.push(Effect::Read(ReadRequest::ContactDetail { id: detail.id }));
        }
        effects
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Some(detail) = &self.detail {
            self.render_detail(detail, area, buf, theme);
            return;
        }
        let [info, table] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        self.render_info(info, buf, theme);
        self.render_table(table, buf, theme);
    }
}

fn cell(row: &ContactRow, column: SortColumn, theme: &Theme) -> Span<'static> {
    let text = match column {
        SortColumn::Email => inert(&row.email).into_owned(),
        SortColumn::Name => inert(&row.name).into_owned(),
        SortColumn::Company => inert(&row.company).into_owned(),
        SortColumn::Country => inert(&row.country).into_owned(),
        SortColumn::Status => inert(&row.status).into_owned(),
        SortColumn::LastActivity => row.last_activity.map(format_date).unwrap_or_default(),
        SortColumn::Source => inert(&row.source).into_owned(),
        SortColumn::Added => format_date(row.added),
    };
    let role = match (column, row.status.as_str()) {
        (SortColumn::Status, "subscribed") => Role::Ok,
        (SortColumn::Status, "pending") => Role::Warn,
        (SortColumn::Status, _) => Role::Error,
        _ => Role::Base,
    };
    Span::styled(text, theme.style(role))
}

/// The detail view as plain lines: fields, then custom fields, tags, events and every
/// source record with its values paired with the headers of its import.
pub(super) fn detail_lines(d: &ContactDetail) -> DetailLines {
    let mut out = Vec::new();
    let heading = |out: &mut Vec<DetailLine>, text: String| {
        if !out.is_empty() {
            out.push(BLANK.clone());
        }
        out.push(DetailLine {
            role: Role::Title,
            label: String::new(),
            text,
        });
    };
    let field = |out: &mut Vec<DetailLine>, label: &str, text: String, role: Role| {
        out.push(DetailLine {
            role,
            label: label.to_string(),
            text,
        });
    };
    if let Some(survivor) = d.merged_into {
        field(
            &mut out,
            "Merged into",
            format!("contact #{survivor}"),
            Role::Warn,
        );
    }
    for (label, value) in &d.fields {
        field(&mut out, label, value.clone(), Role::Base);
    }
    if !d.custom.is_empty() {
        heading(&mut out, "Custom fields".to_string());
        for (name, value) in &d.custom {
            field(&mut out, name, value.clone(), Role::Base);
        }
    }
    heading(&mut out, format!("Tags ({})", d.tags.len()));
    if !d.tags.is_empty() {
        field(&mut out, "tags", d.tags.join(", "), Role::Base);
    }
    heading(
        &mut out,
        format!(
            "Recent events ({} of {})",
            d.events.len(),
            group_digits(d.event_total.max(0) as u64)
        ),
    );
    for e in &d.events {
        let mut text = e.kind.clone();
        for extra in [&e.campaign, &e.url] {
            if !extra.is_empty() {
                text.push_str(&format!("  {extra}"));
            }
        }
        if let Some(amount) = e.amount {
            text.push_str(&format!("  {amount:.2}"));
        }
        field(&mut out, &format_time(e.at), text, Role::Base);
    }
    let main = std::mem::take(&mut out);
    heading(&mut out, format!("Source records ({})", d.sources.len()));
    for s in &d.sources {
        let ext = s
            .external_id
            .as_deref()
            .map(|x| format!(" · id {x}"))
            .unwrap_or_default();
        out.push(DetailLine {
            role: Role::Focus,
            label: String::new(),
            text: format!(
                " {} row {} · import #{} {} {}{ext}",
                s.path,
                s.row_number,
                s.import_id,
                s.preset,
                format_date(s.imported_at)
            ),
        });
        for (header, value) in &s.values {
            field(&mut out, header, value.clone(), Role::Base);
        }
    }
    DetailLines { main, sources: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn row(id: i64) -> ContactRow {
        ContactRow {
            id,
            email: format!("c{id}@example.com"),
            name: format!("Name {id}"),
            company: String::new(),
            country: "DE".into(),
            status: "subscribed".into(),
            last_activity: None,
            source: "generic".into(),
            added: 0,
        }
    }

    /// A pane 20 rows high whose first view of `total` rows has arrived.
    fn loaded(total: usize) -> ContactsPane {
        let mut pane = ContactsPane::default();
        pane.resize(Rect::new(0, 0, 80, 22));
        pane.refresh();
        let start = 0;
        let rows: Vec<ContactRow> = (0..total.min(100) as i64).map(row).collect();
        pane.update(&Action::Read(ReadReply::ContactsView {
            generation: pane.generation,
            total: Some(total),
            start,
            rows,
        }));
        pane
    }

    fn cmd(pane: &mut ContactsPane, c: Command) -> Vec<Effect> {
        pane.update(&Action::Command(c))
    }

    fn type_text(pane: &mut ContactsPane, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in text.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            let action = pane.handle_key(&key).unwrap();
            effects.extend(pane.update(&action));
        }
        effects
    }

    #[test]
    fn moving_down_past_the_window_asks_for_the_next_page_once() {
        let mut pane = loaded(1_000_000);
        assert_eq!(pane.height, 20);
        assert!(cmd(&mut pane, Command::Down).is_empty());
        assert_eq!(pane.cursor, 1);
        for _ in 0..3 {
            cmd(&mut pane, Command::PageDown);
        }
        // Cursor at 81, visible 62..82: the window 0..100 no longer has half a margin below.
        let effects = cmd(&mut pane, Command::PageDown);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Read(ReadRequest::ContactsPage {
                start: 22,
                len: 100,
                ..
            })]
        ));
        // Rows not yet loaded are placeholders, never a crash.
        assert!(pane.row(150).is_none());
        assert!(cmd(&mut pane, Command::Up).is_empty());
    }

    #[test]
    fn the_first_page_is_usable_before_the_total_is_known() {
        let mut pane = ContactsPane::default();
        pane.resize(Rect::new(0, 0, 80, 22));
        pane.refresh();
        pane.update(&Action::Read(ReadReply::ContactsView {
            generation: pane.generation,
            total: None,
            start: 0,
            rows: (0..100).map(row).collect(),
        }));
        assert!(pane.loading);
        assert!(cmd(&mut pane, Command::Bottom).is_empty());
        assert_eq!(pane.cursor, 99);
        assert_eq!(pane.row(99).map(|r| r.id), Some(99));
    }

    #[test]
    fn g_and_big_g_jump_to_the_ends() {
        let mut pane = loaded(1_000_000);
        let effects = cmd(&mut pane, Command::Bottom);
        assert_eq!(pane.cursor, 999_999);
        assert_eq!(pane.offset, 999_980);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Read(ReadRequest::ContactsPage {
                start: 999_940,
                ..
            })]
        ));
        cmd(&mut pane, Command::Top);
        assert_eq!((pane.cursor, pane.offset), (0, 0));
        cmd(&mut pane, Command::HalfPageDown);
        assert_eq!(pane.cursor, 10);
    }

    #[test]
    fn typing_a_filter_requests_a_view_per_keystroke_and_drops_stale_answers() {
        let mut pane = loaded(500);
        cmd(&mut pane, Command::Filter);
        assert!(pane.captures_text());
        let effects = type_text(&mut pane, "ad");
        assert_eq!(effects.len(), 2);
        assert_eq!(pane.filter, "ad");
        let current = pane.generation;
        // The answer for "a" arrives after "ad" was typed: ignored.
        pane.update(&Action::Read(ReadReply::ContactsView {
            generation: current - 1,
            total: Some(300),
            start: 0,
            rows: vec![row(7)],
        }));
        assert_eq!(pane.total, Some(500));
        pane.update(&Action::Read(ReadReply::ContactsView {
            generation: current,
            total: Some(1),
            start: 0,
            rows: vec![row(9)],
        }));
        assert_eq!(pane.total, Some(1));
        // `q` is typed into the field, not a quit.
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(pane.handle_key(&q), Some(Action::Text(q)));
        cmd(&mut pane, Command::Accept);
        assert!(!pane.captures_text());
        assert_eq!(pane.filter, "ad");
        // Esc in the list clears the filter and reloads.
        assert_eq!(cmd(&mut pane, Command::Back).len(), 1);
        assert_eq!(pane.filter, "");
    }

    #[test]
    fn sort_cycles_columns_and_reverses() {
        let mut pane = loaded(10);
        cmd(&mut pane, Command::Down);
        let effects = cmd(&mut pane, Command::SortNext);
        assert_eq!(pane.sort.column, SortColumn::Name);
        assert_eq!(pane.cursor, 0);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Read(ReadRequest::ContactsView {
                sort: Sort {
                    column: SortColumn::Name,
                    descending: false
                },
                ..
            })]
        ));
        cmd(&mut pane, Command::SortReverse);
        assert!(pane.sort.descending);
    }

    #[test]
    fn enter_opens_the_contact_and_esc_goes_back() {
        let mut pane = loaded(10);
        cmd(&mut pane, Command::Down);
        let effects = cmd(&mut pane, Command::Open);
        assert_eq!(
            effects,
            vec![Effect::Read(ReadRequest::ContactDetail { id: 1 })]
        );
        assert_eq!(pane.bindings(), vec![DETAIL_KEYS]);
        cmd(&mut pane, Command::Back);
        assert!(pane.detail.is_none());
        assert_eq!(pane.cursor, 1);
    }

    #[test]
    fn a_refresh_keeps_the_cursor_and_an_empty_view_clamps_it() {
        let mut pane = loaded(50);
        cmd(&mut pane, Command::Bottom);
        pane.refresh();
        assert_eq!(pane.cursor, 49);
        pane.update(&Action::Read(ReadReply::ContactsView {
            generation: pane.generation,
            total: Some(0),
            start: 0,
            rows: Vec::new(),
        }));
        assert_eq!(pane.cursor, 0);
        assert!(cmd(&mut pane, Command::Down).is_empty());
        assert!(cmd(&mut pane, Command::Open).is_empty());
    }
}
