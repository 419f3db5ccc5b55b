//! The Duplicates pane: the review queue of [`crate::dedupe::review`] on screen.
//!
//! Pairs come strongest first, the two records compared field by field (differences
//! highlighted, the value the merge keeps marked) with the explanation of the score beside
//! or below them. Every decision is one key and shows the next pair at once: the records of
//! the pair after the current one are loaded ahead, and the change is written by the
//! writer worker while the operator already looks at the next pair. `u` walks back
//! through the sitting's decisions. `S` scans in the background, `B` merges every group of
//! contacts sharing one mailbox after saying how many.

use crate::dedupe::pairs::StoredPair;
use crate::dedupe::review::{Key as Decision, Queue, Review, Side};
use crate::dedupe::score::Thresholds;
use crate::text::inert;
use crate::tui::action::{Action, Effect, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use crate::tui::fit::{count_of, keep_start, wrap};
use crate::tui::keymap::{self, Binding, Command, Key};
use crate::tui::panes::contacts::{detail_lines, DetailLines};
use crate::tui::panes::detail::{self, LABEL_WIDTH};
use crate::tui::panes::Pane;
use crate::tui::queries::{detail_columns, ContactDetail};
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use std::collections::{HashMap, HashSet};

/// Terminal width from which the explanation sits beside the records, not below them.
pub const SIDE_BY_SIDE: u16 = 100;
/// The pane numbers its writer jobs from here, clear of the app's import jobs.
const FIRST_JOB: JobId = super::first_job(3);
/// Width of the field-name column.
const LABEL: usize = 13;

const fn bind(
    keys: &'static [Key],
    command: Command,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        command,
        desc,
        hint,
    }
}

const REVIEW_KEYS: &[Binding] = &[
    bind(
        &[Key::char('m')],
        Command::Merge,
        "merge the pair into the survivor",
        Some("merge"),
    ),
    bind(
        &[Key::char('n')],
        Command::NotDuplicate,
        "not a duplicate: remember they are two people",
        Some("not dup"),
    ),
    bind(
        &[Key::char('s')],
        Command::Skip,
        "skip: decide later",
        Some("skip"),
    ),
    bind(
        &[Key::char('u')],
        Command::Undo,
        "undo the last decision (unmerges a merge)",
        Some("undo"),
    ),
    bind(
        &[Key::char('x')],
        Command::SwapSurvivor,
        "swap which record survives",
        Some("swap"),
    ),
    bind(
        &[Key::char('l'), Key::char('<')],
        Command::PickLeft,
        "keep the left value of the field under the cursor",
        None,
    ),
    bind(
        &[Key::char('r'), Key::char('>')],
        Command::PickRight,
        "keep the right value of the field under the cursor",
        None,
    ),
    bind(
        &[Key::char('j'), Key::code(KeyCode::Down)],
        Command::Down,
        "next field",
        None,
    ),
    bind(
        &[Key::char('k'), Key::code(KeyCode::Up)],
        Command::Up,
        "previous field",
        None,
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Command::Open,
        "open the survivor in full",
        None,
    ),
    bind(
        &[Key::char('S')],
        Command::Scan,
        "scan for duplicates (in the background)",
        None,
    ),
    bind(
        &[Key::char('B')],
        Command::BulkMerge,
        "merge all contacts sharing one mailbox (asks first)",
        None,
    ),
];

const OPEN_KEYS: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "back to the pair",
        Some("back"),
    ),
    bind(
        &[Key::char('l'), Key::char('<')],
        Command::PickLeft,
        "show the left record",
        Some("left"),
    ),
    bind(
        &[Key::char('r'), Key::char('>')],
        Command::PickRight,
        "show the right record",
        Some("right"),
    ),
    bind(
        &[Key::char('j'), Key::code(KeyCode::Down)],
        Command::Down,
        "scroll down",
        None,
    ),
    bind(
        &[Key::char('k'), Key::code(KeyCode::Up)],
        Command::Up,
        "scroll up",
        None,
    ),
];

/// One record opened in full with `Enter`.
#[derive(Debug, Clone, PartialEq)]
struct Opened {
    id: i64,
    /// `None` while the worker loads it.
    lines: Option<DetailLines>,
    scroll: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Review,
    Open(Opened),
    /// Asking before a bulk merge of `contacts` into `groups` survivors.
    Confirm {
        groups: usize,
        contacts: usize,
    },
}

/// One compared field of the pair on screen.
#[derive(Debug, Clone, PartialEq)]
struct FieldRow<'a> {
    column: &'static str,
    label: &'static str,
    left: Option<&'a str>,
    right: Option<&'a str>,
}

impl FieldRow<'_> {
    fn differs(&self) -> bool {
        self.left != self.right
    }
}

/// A writer job of this pane the pane waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Progress {
    id: JobId,
    done: u64,
    total: u64,
}

/// State of the Duplicates pane.
#[derive(Debug, Clone)]
pub struct DuplicatesPane {
    review: Review,
    /// The scan the queue was built from: `None` until the first answer, `Some(None)`
    /// when the workspace has never been scanned.
    scan: Option<Option<i64>>,
    /// The bars of that scan: a pair above `likely` reads "likely duplicate".
    thresholds: Thresholds,
    /// Records of the pairs on screen and next; `None` for a contact that is gone.
    records: HashMap<i64, Option<Box<ContactDetail>>>,
    /// Records loaded since the last change to the workspace.
    fresh: HashSet<i64>,
    /// The records last asked for and not answered yet.
    asked: Vec<i64>,
    /// The field under the cursor.
    cursor: usize,
    mode: Mode,
    scanning: Option<Progress>,
    bulk: Option<JobId>,
    /// `B` was pressed and the count is being read.
    bulk_asked: bool,
    /// Build a new queue from the next answer (after a scan, a bulk merge or a failure).
    rebuild: bool,
    next_job: JobId,
    width: u16,
    height: u16,
    notice: Option<(Role, String)>,
}

impl Default for DuplicatesPane {
    fn default() -> Self {
        DuplicatesPane {
            review: Review::default(),
            scan: None,
            thresholds: Thresholds::default(),
            records: HashMap::new(),
            fresh: HashSet::new(),
            asked: Vec::new(),
            cursor: 0,
            mode: Mode::Review,
            scanning: None,
            bulk: None,
            bulk_asked: false,
            rebuild: false,
            next_job: FIRST_JOB,
            width: 80,
            height: 20,
            notice: None,
        }
    }
}

impl DuplicatesPane {
    fn job_id(&mut self) -> JobId {
        let id = self.next_job;
        self.next_job += 1;
        id
    }

    fn record(&self, id: i64) -> Option<&ContactDetail> {
        self.records.get(&id).and_then(|r| r.as_deref())
    }

    /// The compared fields of the current pair, once both records are loaded.
    fn rows(&self) -> Option<Vec<FieldRow<'_>>> {
        let pair = self.review.current()?;
        let (a, b) = (self.record(pair.contact_a)?, self.record(pair.contact_b)?);
        let value = |d: &'_ ContactDetail, label: &str| -> Option<usize> {
            d.fields.iter().position(|(l, _)| *l == label)
        };
        let rows = detail_columns()
            .filter_map(|(column, label)| {
                let left = value(a, label).map(|i| a.fields[i].1.as_str());
                let right = value(b, label).map(|i| b.fields[i].1.as_str());
                (left.is_some() || right.is_some()).then_some(FieldRow {
                    column,
                    label,
                    left,
                    right,
                })
            })
            .collect();
        Some(rows)
    }

    /// Asks for the records of the current and the next pair that are not loaded yet,
    /// and forgets the others (a long sitting holds four records, not hundreds).
    fn preload(&mut self) -> Vec<Effect> {
        let needed: Vec<i64> = [self.review.current(), self.review.upcoming()]
            .into_iter()
            .flatten()
            .flat_map(|p| [p.contact_a, p.contact_b])
            .collect();
        self.records.retain(|id, _| needed.contains(id));
        self.fresh.retain(|id| needed.contains(id));
        let mut missing: Vec<i64> = Vec::new();
        for &id in &needed {
            if !self.fresh.contains(&id) && !missing.contains(&id) {
                missing.push(id);
            }
        }
        if missing.is_empty() || missing == self.asked {
            return Vec::new();
        }
        self.asked = missing.clone();
        vec![Effect::Read(ReadRequest::DuplicateRecords { ids: missing })]
    }

    fn decide(&mut self, decision: Decision) -> Vec<Effect> {
        let before = self.review.current().map(|p| (p.contact_a, p.contact_b));
        let change = self.review.press(decision);
        if self.review.current().map(|p| (p.contact_a, p.contact_b)) != before {
            self.cursor = 0;
        }
        self.notice = None;
        let mut effects = Vec::new();
        if let Some(change) = change {
            let id = self.job_id();
            effects.push(Effect::Write(WriteRequest::Dedupe { id, change }));
        }
        effects.extend(self.preload());
        effects
    }

    fn pick(&mut self, side: Side) -> Vec<Effect> {
        let Some(row) = self.rows().and_then(|r| r.get(self.cursor).cloned()) else {
            return Vec::new();
        };
        let (column, label) = (row.column, row.label);
        self.notice = if self.review.pick(column, side) {
            None
        } else {
            Some((
                Role::Warn,
                format!("{label} is decided by the merge rules, not picked"),
            ))
        };
        Vec::new()
    }

    fn open(&mut self, side: Side) -> Vec<Effect> {
        let Some(pair) = self.review.current() else {
            return Vec::new();
        };
        let id = match side {
            Side::Left => pair.contact_a,
            Side::Right => pair.contact_b,
        };
        self.mode = Mode::Open(Opened {
            id,
            lines: None,
            scroll: 0,
        });
        vec![Effect::Read(ReadRequest::ContactDetail { id })]
    }

    fn survivor_side(&self) -> Side {
        if self.review.swapped {
            Side::Right
        } else {
            Side::Left
        }
    }

    fn start_scan(&mut self) -> Vec<Effect> {
        if self.scanning.is_some() {
            self.notice = Some((Role::Muted, "A scan is already running".to_string()));
            return Vec::new();
        }
        let id = self.job_id();
        self.scanning = Some(Progress {
            id,
            done: 0,
            total: 0,
        });
        vec![Effect::Write(WriteRequest::DedupeScan { id })]
    }

    fn review_command(&mut self, command: Command) -> Vec<Effect> {
        let fields = self.rows().map_or(0, |r| r.len());
        match command {
            Command::Merge => self.decide(Decision::Merge),
            Command::NotDuplicate => self.decide(Decision::NotDuplicate),
            Command::Skip => self.decide(Decision::Skip),
            Command::Undo => self.decide(Decision::Undo),
            Command::SwapSurvivor => self.decide(Decision::SwapSurvivor),
            Command::PickLeft => self.pick(Side::Left),
            Command::PickRight => self.pick(Side::Right),
            Command::Down => {
                self.cursor = (self.cursor + 1).min(fields.saturating_sub(1));
                Vec::new()
            }
            Command::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Vec::new()
            }
            Command::Open => {
                let side = self.survivor_side();
                self.open(side)
            }
            Command::Scan => self.start_scan(),
            Command::BulkMerge => {
                self.bulk_asked = true;
                vec![Effect::Read(ReadRequest::ExactEmailGroups)]
            }
            _ => Vec::new(),
        }
    }

    fn open_command(&mut self, command: Command) -> Vec<Effect> {
        let Mode::Open(opened) = &mut self.mode else {
            return Vec::new();
        };
        let page = usize::from(self.height.saturating_sub(1)).max(1);
        let last = opened.lines.as_ref().map_or(0, |l| {
            let column = l.columns(false).into_iter().flatten();
            detail::height(column, LABEL_WIDTH, self.width).saturating_sub(page)
        });
        match command {
            Command::Back => self.mode = Mode::Review,
            Command::Down => opened.scroll = (opened.scroll + 1).min(last),
            Command::Up => opened.scroll = opened.scroll.saturating_sub(1),
            Command::PickLeft => return self.open(Side::Left),
            Command::PickRight => return self.open(Side::Right),
            _ => {}
        }
        Vec::new()
    }

    fn confirm_command(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Yes => {
                self.mode = Mode::Review;
                let id = self.job_id();
                self.bulk = Some(id);
                vec![Effect::Write(WriteRequest::MergeExactEmail { id })]
            }
            Command::No => {
                self.mode = Mode::Review;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn new_queue(&mut self, queue: &Queue) -> Vec<Effect> {
        let (_, total) = self.review.progress();
        if self.rebuild || self.scan != Some(queue.scan) || total == 0 {
            self.review = Review::new(queue.pairs.clone());
            self.cursor = 0;
            self.rebuild = false;
        }
        self.scan = Some(queue.scan);
        self.thresholds = queue.thresholds;
        self.preload()
    }

    fn reply(&mut self, reply: &ReadReply) -> Vec<Effect> {
        match reply {
            ReadReply::DuplicateQueue(queue) => self.new_queue(queue),
            ReadReply::DuplicateRecords(records) => {
                for (id, detail) in records {
                    self.records.insert(*id, detail.clone());
                    self.fresh.insert(*id);
                }
                self.asked.clear();
                self.preload()
            }
            ReadReply::ContactDetail { id, detail } => {
                if let Mode::Open(opened) = &mut self.mode {
                    if opened.id == *id {
                        opened.lines = Some(match detail {
                            Some(d) => detail_lines(d),
                            None => DetailLines::gone(),
                        });
                    }
                }
                Vec::new()
            }
            ReadReply::ExactEmailGroups { groups, contacts } if self.bulk_asked => {
                self.bulk_asked = false;
                if *groups == 0 {
                    self.notice = Some((
                        Role::Muted,
                        "No contacts share a mailbox: nothing to merge".to_string(),
                    ));
                } else {
                    self.mode = Mode::Confirm {
                        groups: *groups,
                        contacts: *contacts,
                    };
                }
                Vec::new()
            }
            ReadReply::Failed { what, message }
                if what.starts_with("duplicate") || what.starts_with("exact") =>
            {
                self.bulk_asked = false;
                self.notice = Some((Role::Error, format!("{what}: {message}")));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn job(&mut self, event: &JobEvent) -> Vec<Effect> {
        match event {
            JobEvent::Progress {
                id, done, total, ..
            } => {
                if let Some(p) = self.scanning.as_mut().filter(|p| p.id == *id) {
                    p.done = *done;
                    p.total = *total;
                }
                Vec::new()
            }
            JobEvent::Finished { id, outcome } => {
                if !(FIRST_JOB..self.next_job).contains(id) {
                    return Vec::new();
                }
                let ours = self.scanning.is_some_and(|p| p.id == *id) || self.bulk == Some(*id);
                if self.scanning.is_some_and(|p| p.id == *id) {
                    self.scanning = None;
                }
                if self.bulk == Some(*id) {
                    self.bulk = None;
                }
                // After a scan or a bulk merge the queue is new; after a failed decision
                // this sitting's picture of the workspace is wrong: start again from it.
                if ours || outcome.is_err() {
                    self.rebuild = true;
                    return vec![Effect::Read(ReadRequest::DuplicateQueue)];
                }
                Vec::new()
            }
            JobEvent::AuditEdited { .. } => Vec::new(),
        }
    }

    fn header(&self, theme: &Theme) -> Line<'static> {
        if let Mode::Confirm { groups, contacts } = self.mode {
            return Line::styled(
                format!(
                    " Merge {} into {} (sharing one mailbox)? y yes, n no",
                    count_of(contacts as u64, "contact", "contacts"),
                    count_of(groups as u64, "survivor", "survivors"),
                ),
                theme.style(Role::Warn),
            );
        }
        let (done, total) = self.review.progress();
        let mut spans = vec![Span::styled(
            format!(" {done} of {total} reviewed"),
            theme.style(Role::Title),
        )];
        if let Some(pair) = self.review.current() {
            let (word, role) = strength(pair, &self.thresholds);
            spans.push(Span::styled(
                format!("  score {:.1} ", pair.score),
                theme.style(Role::Base),
            ));
            spans.push(Span::styled(word.to_string(), theme.style(role)));
        }
        if let Some(p) = self.scanning {
            let pct = (p.done * 100).checked_div(p.total).unwrap_or(0);
            spans.push(Span::styled(
                format!("  scanning… {pct}%"),
                theme.style(Role::Warn),
            ));
        }
        Line::from(spans)
    }

    /// What the pane says when there is no pair to show.
    fn empty_text(&self) -> &'static str {
        match self.scan {
            None => "Loading the review queue…",
            Some(_) if self.scanning.is_some() => "Scanning for duplicates…",
            Some(None) => "No duplicate scan yet. Press S to scan in the background.",
            Some(Some(_)) if self.review.progress().1 == 0 => {
                "The last scan found no pairs to review. S scans again."
            }
            Some(Some(_)) => "Every pair is reviewed. u undoes the last decision; S scans again.",
        }
    }

    fn render_pair(&self, pair: &StoredPair, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let explanation = self.explanation(pair, theme);
        let (records, why) = if self.width >= SIDE_BY_SIDE {
            let [records, why] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(36)])
                .spacing(1)
                .areas(area);
            (records, why)
        } else {
            let wanted = explanation(area.width).len() as u16;
            let height = wanted.min(area.height / 3).max(1);
            let [records, why] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
            (records, why)
        };
        self.render_records(pair, records, buf, theme);
        Paragraph::new(explanation(why.width)).render(why, buf);
    }

    /// The explanation as lines of at most `width` characters: which fields agreed and
    /// how strongly, which disagreed.
    fn explanation<'a>(
        &'a self,
        pair: &'a StoredPair,
        theme: &'a Theme,
    ) -> impl Fn(u16) -> Vec<Line<'static>> + 'a {
        move |width: u16| {
            let width = usize::from(width);
            let side = self.width >= SIDE_BY_SIDE;
            let mut lines = Vec::new();
            for (agree, title, role) in [(true, "Agree", Role::Ok), (false, "Disagree", Role::Warn)]
            {
                let parts: Vec<String> = pair
                    .reasons
                    .iter()
                    .filter(|r| (r.weight > 0.0) == agree)
                    .map(|r| format!("{} {} {:+.1}", r.field.name(), r.level.as_str(), r.weight))
                    .collect();
                if parts.is_empty() {
                    continue;
                }
                if side {
                    lines.push(Line::styled(format!("{title}:"), theme.style(Role::Title)));
                    for p in parts {
                        lines.push(Line::styled(
                            format!("  {}", keep_start(&p, width.saturating_sub(2))),
                            theme.style(role),
                        ));
                    }
                } else {
                    let text = format!("{title}: {}", parts.join(", "));
                    for l in wrap(&text, width, 3) {
                        lines.push(Line::styled(l, theme.style(role)));
                    }
                }
            }
            if let Some((role, text)) = &self.notice {
                for l in wrap(text, width, 2) {
                    lines.push(Line::styled(l, theme.style(*role)));
                }
            }
            lines
        }
    }

    fn render_records(&self, pair: &StoredPair, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let values = usize::from(area.width).saturating_sub(LABEL + 3);
        let (lw, rw) = (values / 2, values - values / 2);
        let survivor = self.survivor_side();
        let name = |side: Side, id: &str| {
            let word = if side == survivor { "keeps" } else { "merged" };
            format!("{word} {}", inert(id))
        };
        let head = Line::from(vec![
            Span::raw(" ".repeat(LABEL)),
            Span::styled(
                format!(
                    "{:<lw$}",
                    keep_start(&name(Side::Left, &pair.id_a), lw.saturating_sub(1))
                ),
                theme.style(Role::Title),
            ),
            Span::raw("   "),
            Span::styled(
                keep_start(&name(Side::Right, &pair.id_b), rw),
                theme.style(Role::Title),
            ),
        ]);
        let [head_area, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        head.render(head_area, buf);
        let Some(rows) = self.rows() else {
            let gone = [pair.contact_a, pair.contact_b]
                .into_iter()
                .find(|id| matches!(self.records.get(id), Some(None)));
            let text = match gone {
                Some(id) => format!(" Contact #{id} no longer exists: s skips this pair."),
                None => " loading…".to_string(),
            };
            Line::styled(text, theme.style(Role::Muted)).render(body, buf);
            return;
        };
        let height = usize::from(body.height).max(1);
        let offset = self.cursor.saturating_sub(height - 1);
        let lines: Vec<Line> = rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, row)| self.row_line(row, i == self.cursor, (lw, rw), theme))
            .collect();
        Paragraph::new(lines).render(body, buf);
    }

    fn row_line(
        &self,
        row: &FieldRow<'_>,
        selected: bool,
        (lw, rw): (usize, usize),
        theme: &Theme,
    ) -> Line<'static> {
        let label_role = if selected {
            Role::Selection
        } else {
            Role::Muted
        };
        let kept = self.review.kept(row.column);
        // Which value the merge keeps: the picked or surviving one, else the only one.
        let winner = match (row.left, row.right) {
            (Some(_), None) => Side::Left,
            (None, Some(_)) => Side::Right,
            _ => kept,
        };
        let pickable = crate::dedupe::merge::pickable(row.column);
        let role = |side: Side, value: Option<&str>| match value {
            None => Role::Muted,
            Some(_) if !row.differs() => Role::Base,
            Some(_) if !pickable => Role::Warn,
            Some(_) if side == winner => Role::DiffAdd,
            Some(_) => Role::DiffDel,
        };
        let (marker, marker_role) = match (row.differs() && pickable, winner) {
            (false, _) => ("   ", Role::Base),
            (true, Side::Left) => (" < ", Role::Focus),
            (true, Side::Right) => (" > ", Role::Focus),
        };
        let text = |v: Option<&str>, w: usize| keep_start(&inert(v.unwrap_or("—")), w);
        let left = text(row.left, lw);
        // The padding stays unstyled: underlined or crossed-out blanks read as a value.
        let pad = " ".repeat(lw.saturating_sub(left.chars().count()));
        Line::from(vec![
            Span::styled(
                format!("{:<LABEL$}", keep_start(row.label, LABEL - 1)),
                theme.style(label_role),
            ),
            Span::styled(left, theme.style(role(Side::Left, row.left))),
            Span::raw(pad),
            Span::styled(marker, theme.style(marker_role)),
            Span::styled(
                text(row.right, rw),
                theme.style(role(Side::Right, row.right)),
            ),
        ])
    }

    fn render_opened(&self, opened: &Opened, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        Line::styled(
            format!(" Contact #{} in full", opened.id),
            theme.style(Role::Title),
        )
        .render(title, buf);
        let Some(lines) = &opened.lines else {
            Line::styled(" loading…", theme.style(Role::Muted)).render(body, buf);
            return;
        };
        let column = lines.columns(false).into_iter().flatten();
        detail::render(column, LABEL_WIDTH, opened.scroll, body, buf, theme);
    }
}

/// How a pair's score reads: likely or possible.
fn strength(pair: &StoredPair, thresholds: &Thresholds) -> (&'static str, Role) {
    if pair.score >= f64::from(thresholds.likely) {
        ("likely duplicate", Role::ScoreHigh)
    } else {
        ("possible duplicate", Role::ScoreMid)
    }
}

impl Pane for DuplicatesPane {
    fn title(&self) -> &'static str {
        "Duplicates"
    }

    fn bindings(&self) -> Vec<&'static [Binding]> {
        match self.mode {
            Mode::Review => vec![REVIEW_KEYS],
            Mode::Open(_) => vec![OPEN_KEYS],
            Mode::Confirm { .. } => vec![keymap::CONFIRM],
        }
    }

    fn captures_text(&self) -> bool {
        false
    }

    fn asking(&self) -> bool {
        matches!(self.mode, Mode::Confirm { .. })
    }

    fn handle_key(&self, key: &KeyEvent) -> Option<Action> {
        keymap::lookup(&self.bindings(), key).map(Action::Command)
    }

    fn update(&mut self, action: &Action) -> Vec<Effect> {
        match action {
            Action::Command(command) => match self.mode {
                Mode::Review => self.review_command(*command),
                Mode::Open(_) => self.open_command(*command),
                Mode::Confirm { .. } => self.confirm_command(*command),
            },
            Action::Read(reply) => self.reply(reply),
            Action::Job(event) => self.job(event),
            _ => Vec::new(),
        }
    }

    fn resize(&mut self, area: Rect) -> Vec<Effect> {
        self.width = area.width;
        self.height = area.height;
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        self.fresh.clear();
        self.asked.clear();
        let mut effects = vec![Effect::Read(ReadRequest::DuplicateQueue)];
        effects.extend(self.preload());
        effects
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if let Mode::Open(opened) = &self.mode {
            self.render_opened(opened, area, buf, theme);
            return;
        }
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        self.header(theme).render(head, buf);
        if let Some(pair) = self.review.current() {
            self.render_pair(pair, body, buf, theme);
            return;
        }
        let mut lines = vec![
            Line::raw(""),
            Line::styled(format!(" {}", self.empty_text()), theme.style(Role::Muted)),
        ];
        if let Some((role, notice)) = &self.notice {
            lines.push(Line::styled(format!(" {notice}"), theme.style(*role)));
        }
        Paragraph::new(lines).render(body, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::review::Change;

    fn pair(a: i64, b: i64, score: f64) -> StoredPair {
        StoredPair {
            contact_a: a,
            contact_b: b,
            id_a: format!("c{a}"),
            id_b: format!("c{b}"),
            score,
            cluster: None,
            reasons: Vec::new(),
        }
    }

    fn record(id: i64, first: &str) -> (i64, Option<Box<ContactDetail>>) {
        let detail = ContactDetail {
            id,
            fields: vec![
                ("Email", format!("c{id}@x.org")),
                ("First name", first.to_string()),
                (
                    "Status",
                    if id % 2 == 0 {
                        "unsubscribed"
                    } else {
                        "subscribed"
                    }
                    .to_string(),
                ),
            ],
            merged_into: None,
            sources: Vec::new(),
            custom: Vec::new(),
            tags: Vec::new(),
            events: Vec::new(),
            event_total: 0,
        };
        (id, Some(Box::new(detail)))
    }

    fn queue(scan: i64, pairs: Vec<StoredPair>) -> Action {
        Action::Read(ReadReply::DuplicateQueue(Queue {
            scan: Some(scan),
            thresholds: Thresholds::default(),
            pairs,
        }))
    }

    fn records(ids: &[i64]) -> Action {
        Action::Read(ReadReply::DuplicateRecords(
            ids.iter().map(|&id| record(id, "Ann")).collect(),
        ))
    }

    fn cmd(p: &mut DuplicatesPane, c: Command) -> Vec<Effect> {
        p.update(&Action::Command(c))
    }

    /// A pane with three pairs queued and the first two pairs' records loaded.
    fn loaded() -> DuplicatesPane {
        let mut p = DuplicatesPane::default();
        let effects = p.update(&queue(
            1,
            vec![pair(1, 2, 30.0), pair(3, 4, 20.0), pair(5, 6, 9.0)],
        ));
        assert_eq!(
            effects,
            vec![Effect::Read(ReadRequest::DuplicateRecords {
                ids: vec![1, 2, 3, 4]
            })]
        );
        assert!(p.update(&records(&[1, 2, 3, 4])).is_empty());
        p
    }

    fn writes(effects: &[Effect]) -> Vec<Change> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Write(WriteRequest::Dedupe { change, .. }) => Some(change.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_decision_is_written_in_the_background_and_the_next_pair_is_already_there() {
        let mut p = loaded();
        assert_eq!(p.rows().map(|r| r.len()), Some(3));
        let effects = cmd(&mut p, Command::Merge);
        assert_eq!(
            writes(&effects),
            vec![Change::Merge {
                survivor: 1,
                absorbed: 2,
                picks: vec![]
            }]
        );
        // The pair after the next one is asked for; the next one is on screen already.
        assert!(
            effects.contains(&Effect::Read(ReadRequest::DuplicateRecords {
                ids: vec![5, 6]
            }))
        );
        assert_eq!(p.review.current().map(|c| c.contact_a), Some(3));
        assert!(p.rows().is_some());
        assert_eq!(p.review.progress(), (1, 3));
    }

    #[test]
    fn not_duplicate_skip_and_undo_walk_back() {
        let mut p = loaded();
        let effects = cmd(&mut p, Command::NotDuplicate);
        assert_eq!(writes(&effects), vec![Change::NotDuplicate { a: 1, b: 2 }]);
        assert!(writes(&cmd(&mut p, Command::Skip)).is_empty());
        assert_eq!(p.review.progress(), (2, 3));
        assert!(
            writes(&cmd(&mut p, Command::Undo)).is_empty(),
            "a skip writes nothing"
        );
        assert_eq!(p.review.current().map(|c| c.contact_a), Some(3));
        assert_eq!(
            writes(&cmd(&mut p, Command::Undo)),
            vec![Change::ForgetNotDuplicate(pair(1, 2, 30.0))]
        );
        assert_eq!(p.review.progress(), (0, 3));
    }

    #[test]
    fn the_field_under_the_cursor_takes_the_picked_side() {
        let mut p = loaded();
        cmd(&mut p, Command::Down);
        cmd(&mut p, Command::PickRight);
        assert_eq!(p.notice, None);
        // Status is decided by the merge rules (most restrictive wins).
        cmd(&mut p, Command::Down);
        cmd(&mut p, Command::Down);
        cmd(&mut p, Command::PickRight);
        assert_eq!(p.cursor, 2, "the cursor stops at the last field");
        assert!(p.notice.as_ref().is_some_and(|(_, t)| t.contains("Status")));
        assert_eq!(
            writes(&cmd(&mut p, Command::Merge)),
            vec![Change::Merge {
                survivor: 1,
                absorbed: 2,
                picks: vec!["first_name".to_string()]
            }]
        );
        assert_eq!(p.cursor, 0, "a new pair starts at its first field");
    }

    #[test]
    fn swapping_the_survivor_merges_the_other_way() {
        let mut p = loaded();
        cmd(&mut p, Command::SwapSurvivor);
        assert_eq!(
            writes(&cmd(&mut p, Command::Merge)),
            vec![Change::Merge {
                survivor: 2,
                absorbed: 1,
                picks: vec![]
            }]
        );
    }

    #[test]
    fn a_refresh_keeps_the_sitting_until_a_new_scan() {
        let mut p = loaded();
        cmd(&mut p, Command::Skip);
        let effects = p.refresh();
        assert!(effects.contains(&Effect::Read(ReadRequest::DuplicateQueue)));
        p.update(&queue(
            1,
            vec![pair(1, 2, 30.0), pair(3, 4, 20.0), pair(5, 6, 9.0)],
        ));
        assert_eq!(p.review.progress(), (1, 3));
        p.update(&queue(2, vec![pair(7, 8, 15.0)]));
        assert_eq!(p.review.progress(), (0, 1));
    }

    #[test]
    fn a_scan_runs_in_the_background_with_progress_and_rebuilds_the_queue() {
        let mut p = DuplicatesPane::default();
        p.update(&Action::Read(ReadReply::DuplicateQueue(Queue {
            scan: None,
            thresholds: Thresholds::default(),
            pairs: vec![],
        })));
        assert!(p.empty_text().contains("S to scan"));
        let effects = cmd(&mut p, Command::Scan);
        let [Effect::Write(WriteRequest::DedupeScan { id })] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        let id = *id;
        assert!(cmd(&mut p, Command::Scan).is_empty(), "one scan at a time");
        p.update(&Action::Job(JobEvent::Progress {
            id,
            rows: 5,
            done: 5,
            total: 10,
        }));
        assert_eq!(p.scanning.map(|s| s.done), Some(5));
        let effects = p.update(&Action::Job(JobEvent::Finished {
            id,
            outcome: Ok("done".into()),
        }));
        assert_eq!(effects, vec![Effect::Read(ReadRequest::DuplicateQueue)]);
        assert!(p.scanning.is_none());
        p.update(&queue(1, vec![pair(1, 2, 30.0)]));
        assert_eq!(p.review.progress(), (0, 1));
        // Jobs of others (imports) are not ours.
        assert!(p
            .update(&Action::Job(JobEvent::Finished {
                id: 1,
                outcome: Err("x".into())
            }))
            .is_empty());
    }

    #[test]
    fn bulk_merge_says_how_many_and_asks_first() {
        let mut p = loaded();
        assert_eq!(
            cmd(&mut p, Command::BulkMerge),
            vec![Effect::Read(ReadRequest::ExactEmailGroups)]
        );
        p.update(&Action::Read(ReadReply::ExactEmailGroups {
            groups: 2,
            contacts: 3,
        }));
        assert_eq!(p.bindings(), vec![keymap::CONFIRM]);
        assert!(cmd(&mut p, Command::No).is_empty());
        assert_eq!(p.mode, Mode::Review);
        cmd(&mut p, Command::BulkMerge);
        p.update(&Action::Read(ReadReply::ExactEmailGroups {
            groups: 2,
            contacts: 3,
        }));
        let effects = cmd(&mut p, Command::Yes);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Write(WriteRequest::MergeExactEmail { .. })]
        ));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for table in [REVIEW_KEYS, OPEN_KEYS] {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }

    #[test]
    fn enter_opens_the_survivor_and_l_r_switch_records() {
        let mut p = loaded();
        cmd(&mut p, Command::SwapSurvivor);
        assert_eq!(
            cmd(&mut p, Command::Open),
            vec![Effect::Read(ReadRequest::ContactDetail { id: 2 })]
        );
        let (_, detail) = record(2, "Ann");
        p.update(&Action::Read(ReadReply::ContactDetail { id: 2, detail }));
        assert!(matches!(&p.mode, Mode::Open(o) if o.lines.is_some()));
        assert_eq!(
            cmd(&mut p, Command::PickLeft),
            vec![Effect::Read(ReadRequest::ContactDetail { id: 1 })]
        );
        cmd(&mut p, Command::Back);
        assert_eq!(p.mode, Mode::Review);
    }
}
