//! Compiling a rule against an [`Image`] and evaluating it on every core.
//!
//! Compilation resolves fields, checks types and turns every text test into a lookup table
//! over the field's dictionary (so `email ends_with "@gmail.com"` tests each distinct
//! address once), dates into second ranges and windows into absolute bounds. Evaluation
//! produces one bit per contact, 64 contacts a word, the words split across threads.

use super::ast::{Action, CmpOp, Cond, Expr, Field, Span, TextOp, Value, ValueKind, When, WhenOp};
use super::error::{closest, RuleError};
use super::image::{normalize, Column, Dict, FieldInfo, FieldType, Image, EVENT_TYPES, STATUSES};
use crate::text::stage;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

const DAY: i64 = 86_400;

/// The position of `purchase` in [`EVENT_TYPES`], whose amounts `spent` sums.
pub(crate) const PURCHASE: usize = 5;

/// What a rule needs from outside the image: the saved segments it may refer to.
pub trait SegmentLookup {
    /// The rule text of the saved segment called `name` (case-insensitive), if any.
    fn rule_of(&self, name: &str) -> Option<(String, String)>;
    /// Every saved segment name, for suggestions.
    fn names(&self) -> Vec<String>;
}

/// No saved segments (tests, templates).
pub struct NoSegments;

impl SegmentLookup for NoSegments {
    fn rule_of(&self, _: &str) -> Option<(String, String)> {
        None
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A rule ready to run over one image.
#[derive(Debug)]
pub struct Compiled {
    root: Node,
    /// Non-fatal observations: a value or tag no contact has, with the closest one that
    /// exists. Rules referring to them are valid (the data may arrive later) but likely typos.
    pub notices: Vec<RuleError>,
    /// Whether the result depends on "now" (windows, `within`, `... 30d` ago).
    pub time_relative: bool,
}

#[derive(Debug)]
enum Node {
    Const(bool),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `table[code]` for the contact's code in text column `col`.
    Text {
        col: usize,
        table: Vec<bool>,
    },
    Num {
        col: usize,
        test: NumTest,
    },
    Tag(usize),
    Events {
        ty: usize,
        window: Window,
        op: CmpOp,
        n: u32,
        urls: Option<Vec<bool>>,
    },
    Spent {
        window: Window,
        op: CmpOp,
        cents: i64,
    },
    /// A saved segment, evaluated once at compile time.
    Bits(Arc<Vec<u64>>),
}

#[derive(Debug, Clone, Copy)]
enum NumTest {
    Cmp(CmpOp, f64),
    /// `lo <= v < hi`.
    Range(f64, f64),
    Empty,
}

impl NumTest {
    fn holds(self, v: f64) -> bool {
        match self {
            NumTest::Cmp(op, x) => !v.is_nan() && op.holds(v, x),
            NumTest::Range(lo, hi) => v >= lo && v < hi,
            NumTest::Empty => v.is_nan(),
        }
    }
}

/// Events counted: `after < t <= until`.
#[derive(Debug, Clone, Copy)]
struct Window {
    after: i64,
    until: i64,
}

impl Window {
    fn slice(self, times: &[u32]) -> std::ops::Range<usize> {
        let lo = times.partition_point(|&t| i64::from(t) <= self.after);
        let hi = times.partition_point(|&t| i64::from(t) <= self.until);
        lo..hi.max(lo)
    }
}

struct Compiler<'a> {
    image: &'a Image,
    segments: &'a dyn SegmentLookup,
    now: i64,
    /// Segments being compiled, to reject cycles.
    stack: Vec<String>,
    notices: Vec<RuleError>,
    time_relative: bool,
}

/// Compiles `expr` for `image`, with `now` in unix seconds.
pub fn compile(
    expr: &Expr,
    image: &Image,
    segments: &dyn SegmentLookup,
    now: i64,
) -> Result<Compiled, RuleError> {
    compile_within(expr, image, segments, now, Vec::new())
}

/// Compiles a saved segment's own rule, with its name on the cycle stack.
pub fn compile_segment(
    name: &str,
    expr: &Expr,
    image: &Image,
    segments: &dyn SegmentLookup,
    now: i64,
) -> Result<Compiled, RuleError> {
    compile_within(expr, image, segments, now, vec![name.to_lowercase()])
}

fn compile_within(
    expr: &Expr,
    image: &Image,
    segments: &dyn SegmentLookup,
    now: i64,
    stack: Vec<String>,
) -> Result<Compiled, RuleError> {
    let mut c = Compiler {
        image,
        segments,
        now,
        stack,
        notices: Vec::new(),
        time_relative: false,
    };
    let root = c.expr(expr)?;
    Ok(Compiled {
        root,
        notices: c.notices,
        time_relative: c.time_relative,
    })
}

fn type_error(field: &Field, info: &FieldInfo, wanted: &str) -> RuleError {
    RuleError::new(
        field.span.start,
        format!("\"{}\" is a {} field; {wanted}", info.name, info.ty.name()),
    )
}

/// The day of a leap year that `month`/`day` is (1 January is 1, 29 February 60,
/// 31 December 366), as `birthday` stores it.
fn leap_year_day(month: u32, day: u32) -> usize {
    NaiveDate::from_ymd_opt(2000, month, day).map_or(0, |d| d.ordinal() as usize)
}

fn day_start(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

impl Compiler<'_> {
    fn expr(&mut self, expr: &Expr) -> Result<Node, RuleError> {
        Ok(match expr {
            Expr::And(items) => Node::And(
                items
                    .iter()
                    .map(|e| self.expr(e))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Or(items) => Node::Or(
                items
                    .iter()
                    .map(|e| self.expr(e))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Not(inner) => Node::Not(Box::new(self.expr(inner)?)),
            Expr::Cond(cond, span) => self.cond(cond, *span)?,
        })
    }

    fn field(&self, field: &Field) -> Result<FieldInfo, RuleError> {
        self.image
            .field(&field.name, field.quoted)
            .cloned()
            .ok_or_else(|| {
                let names = self.image.field_names();
                RuleError::new(
                    field.span.start,
                    format!("unknown field \"{}\"", field.name),
                )
                .suggest(closest(&field.name, names.iter().copied()))
            })
    }

    fn cond(&mut self, cond: &Cond, span: Span) -> Result<Node, RuleError> {
        match cond {
            Cond::Compare { field, op, value } => {
                let info = self.field(field)?;
                match op {
                    CmpOp::Ne => Ok(Node::Not(Box::new(self.compare(
                        &info,
                        CmpOp::Eq,
                        value,
                    )?))),
                    _ => self.compare(&info, *op, value),
                }
            }
            Cond::In { field, values } => {
                let info = self.field(field)?;
                let nodes = values
                    .iter()
                    .map(|v| self.compare(&info, CmpOp::Eq, v))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(merge_or(nodes))
            }
            Cond::Text { field, op, text } => {
                let info = self.field(field)?;
                let Column::Text(col) = info.column else {
                    return Err(type_error(
                        field,
                        &info,
                        &format!("{} needs a text field", op.keyword()),
                    ));
                };
                let needle = normalize(text);
                Ok(self.text_table(col, |v| match op {
                    TextOp::Contains => v.contains(&needle),
                    TextOp::StartsWith => v.starts_with(&needle),
                    TextOp::EndsWith => v.ends_with(&needle),
                }))
            }
            Cond::Empty { field, negated } => {
                let info = self.field(field)?;
                let node = match info.column {
                    Column::Text(col) => self.text_table(col, str::is_empty),
                    Column::Num(col) => Node::Num {
                        col,
                        test: NumTest::Empty,
                    },
                };
                Ok(if *negated {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            Cond::When { field, op, at } => {
                let col = self.date_column(field, "before and after")?;
                let test = match (op, at) {
                    (WhenOp::Before, When::Date(d)) => {
                        NumTest::Range(f64::NEG_INFINITY, day_start(*d) as f64)
                    }
                    (WhenOp::After, When::Date(d)) => {
                        NumTest::Cmp(CmpOp::Ge, (day_start(*d) + DAY) as f64)
                    }
                    (WhenOp::Before, When::Ago(d)) => {
                        self.time_relative = true;
                        NumTest::Cmp(CmpOp::Lt, (self.now - d.seconds()) as f64)
                    }
                    (WhenOp::After, When::Ago(d)) => {
                        self.time_relative = true;
                        NumTest::Cmp(CmpOp::Gt, (self.now - d.seconds()) as f64)
                    }
                };
                Ok(Node::Num { col, test })
            }
            Cond::Within { field, window } => {
                let info = self.field(field)?;
                if let (FieldType::Birthday, Column::Num(col)) = (info.ty, info.column) {
                    self.time_relative = true;
                    return Ok(self.birthdays(col, *window));
                }
                let col = self.date_column(field, "within")?;
                self.time_relative = true;
                // Inclusive of now: the half-open range ends one second later.
                Ok(Node::Num {
                    col,
                    test: NumTest::Range(
                        (self.now - window.seconds()) as f64,
                        (self.now + 1) as f64,
                    ),
                })
            }
            Cond::Tag(name) => match self.image.tag_index.get(&name.trim().to_lowercase()) {
                Some(&t) => Ok(Node::Tag(t)),
                None => {
                    let names = self.image.tag_names.iter().map(String::as_str);
                    self.notices.push(
                        RuleError::new(span.start, format!("no contact has the tag \"{name}\""))
                            .suggest(closest(name, names)),
                    );
                    Ok(Node::Const(false))
                }
            },
            Cond::InSegment(name) => self.segment(name, span),
            Cond::Did {
                action,
                count,
                window,
            } => {
                let ty = EVENT_TYPES
                    .iter()
                    .position(|t| *t == action.event_type())
                    .unwrap_or(0);
                let urls = match action {
                    Action::Visited(url) => {
                        let needle = normalize(url);
                        Some(
                            self.image
                                .urls
                                .iter()
                                .map(|u| u.contains(&needle))
                                .collect(),
                        )
                    }
                    _ => None,
                };
                let (op, n) = count.unwrap_or((CmpOp::Ge, 1));
                Ok(Node::Events {
                    ty,
                    window: self.window(*window),
                    op,
                    n,
                    urls,
                })
            }
            Cond::Spent { op, amount, window } => Ok(Node::Spent {
                window: self.window(*window),
                op: *op,
                cents: to_cents(*amount),
            }),
        }
    }

    fn window(&mut self, window: Option<super::ast::Duration>) -> Window {
        match window {
            Some(d) => {
                self.time_relative = true;
                Window {
                    after: self.now - d.seconds(),
                    until: self.now,
                }
            }
            None => Window {
                after: i64::MIN,
                until: self.now,
            },
        }
    }

    /// Contacts whose birthday is in the `window` days from today on (today is the
    /// first): at most three runs of days of the year, across the new year. In a year
    /// without 29 February, those born on it have their birthday on the 28th.
    fn birthdays(&self, col: usize, window: super::ast::Duration) -> Node {
        let today = chrono::DateTime::from_timestamp(self.now, 0)
            .map_or(NaiveDate::MIN, |t| t.date_naive());
        let days = (window.seconds() / DAY).clamp(0, 366);
        let mut in_window = [false; 367];
        for date in today.iter_days().take(days as usize) {
            in_window[leap_year_day(date.month(), date.day())] = true;
            if date.month() == 2 && date.day() == 28 && !date.leap_year() {
                in_window[leap_year_day(2, 29)] = true;
            }
        }
        let days: Vec<usize> = (1..in_window.len()).filter(|&d| in_window[d]).collect();
        let runs = days.chunk_by(|a, b| b - a == 1).map(|run| {
            let (first, last) = (run[0], run[run.len() - 1]);
            Node::Num {
                col,
                test: NumTest::Range(first as f64, (last + 1) as f64),
            }
        });
        merge_or(runs.collect())
    }

    fn date_column(&self, field: &Field, what: &str) -> Result<usize, RuleError> {
        let info = self.field(field)?;
        match (info.ty, info.column) {
            (FieldType::Date, Column::Num(col)) => Ok(col),
            _ => Err(type_error(
                field,
                &info,
                &format!("{what} need a date field such as created_at"),
            )),
        }
    }

    fn text_table(&self, col: usize, test: impl Fn(&str) -> bool + Sync) -> Node {
        let table = match self.image.text.get(col) {
            Some(c) => parallel_map(&c.dict, test),
            None => Vec::new(),
        };
        Node::Text { col, table }
    }

    /// `field op value` for every op but `!=` (which is `not =`, so it keeps empty values).
    fn compare(&mut self, info: &FieldInfo, op: CmpOp, value: &Value) -> Result<Node, RuleError> {
        match (info.ty, info.column) {
            (FieldType::Birthday, _) => Err(RuleError::new(
                value.span.start,
                format!(
                    "\"{}\" only takes within (`{0} within 7d`) or is empty",
                    info.name
                ),
            )),
            (FieldType::Text, Column::Text(col)) => self.compare_text(info, col, op, value),
            (FieldType::Date, Column::Num(col)) => {
                let day = match &value.kind {
                    ValueKind::Date(d) => *d,
                    ValueKind::Text(t) => {
                        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                            RuleError::new(
                                value.span.start,
                                format!("expected a date like 2025-01-31 for \"{}\"", info.name),
                            )
                        })?
                    }
                    ValueKind::Number(_) => {
                        return Err(RuleError::new(
                            value.span.start,
                            format!("expected a date like 2025-01-31 for \"{}\"", info.name),
                        ))
                    }
                };
                let (start, end) = (day_start(day) as f64, (day_start(day) + DAY) as f64);
                let test = match op {
                    CmpOp::Eq | CmpOp::Ne => NumTest::Range(start, end),
                    CmpOp::Lt => NumTest::Cmp(CmpOp::Lt, start),
                    CmpOp::Le => NumTest::Cmp(CmpOp::Lt, end),
                    CmpOp::Gt => NumTest::Cmp(CmpOp::Ge, end),
                    CmpOp::Ge => NumTest::Cmp(CmpOp::Ge, start),
                };
                Ok(Node::Num { col, test })
            }
            (ty, Column::Num(col)) => {
                let number = match &value.kind {
                    ValueKind::Number(n) => Some(*n),
                    ValueKind::Text(t) if ty == FieldType::Boolean => {
                        match t.trim().to_lowercase().as_str() {
                            "true" | "yes" | "y" => Some(1.0),
                            "false" | "no" | "n" => Some(0.0),
                            other => other.parse().ok(),
                        }
                    }
                    ValueKind::Text(t) => t.trim().parse().ok(),
                    ValueKind::Date(_) => None,
                };
                let number = number.ok_or_else(|| {
                    let example = if ty == FieldType::Boolean {
                        "yes or no"
                    } else {
                        "a number"
                    };
                    RuleError::new(
                        value.span.start,
                        format!("expected {example} for \"{}\"", info.name),
                    )
                })?;
                Ok(Node::Num {
                    col,
                    test: NumTest::Cmp(op, number),
                })
            }
            (_, Column::Text(col)) => self.compare_text(info, col, op, value),
        }
    }

    fn compare_text(
        &mut self,
        info: &FieldInfo,
        col: usize,
        op: CmpOp,
        value: &Value,
    ) -> Result<Node, RuleError> {
        let literal = match &value.kind {
            ValueKind::Text(t) => normalize(t),
            ValueKind::Number(n) => n.to_string(),
            ValueKind::Date(d) => d.to_string(),
        };
        if info.name == "status" && !info.custom && !STATUSES.contains(&literal.as_str()) {
            return Err(RuleError::new(
                value.span.start,
                format!(
                    "unknown status \"{literal}\" (one of {})",
                    STATUSES.join(", ")
                ),
            )
            .suggest(closest(&literal, STATUSES)));
        }
        if op == CmpOp::Eq {
            let stage = (info.name == "lifecycle_stage" && !info.custom)
                .then(|| stage::key(&literal))
                .filter(|key| !key.is_empty());
            let node = match stage {
                Some(key) => self.text_table(col, |v| stage::key(v) == key),
                None => self.text_table(col, |v| v == literal),
            };
            if let Node::Text { table, .. } = &node {
                if !table.iter().any(|&m| m) && !literal.is_empty() {
                    // Suggesting from huge dictionaries (emails) costs more than it helps.
                    let suggestion = match self.image.text.get(col) {
                        Some(c) if c.dict.len() <= 50_000 => closest(&literal, c.dict.iter()),
                        _ => None,
                    };
                    self.notices.push(
                        RuleError::new(
                            value.span.start,
                            format!("no contact has {} = \"{literal}\"", info.name),
                        )
                        .suggest(suggestion),
                    );
                }
            }
            return Ok(node);
        }
        Ok(match value.kind {
            // A number against text compares numerically where the text is a number.
            ValueKind::Number(x) => {
                self.text_table(col, |v| v.parse::<f64>().is_ok_and(|n| op.holds(n, x)))
            }
            _ => self.text_table(col, |v| !v.is_empty() && op.holds(v, literal.as_str())),
        })
    }

    fn segment(&mut self, name: &str, span: Span) -> Result<Node, RuleError> {
        let key = name.trim().to_lowercase();
        if self.stack.contains(&key) {
            let mut path = self.stack.clone();
            path.push(key);
            return Err(RuleError::new(
                span.start,
                format!("segments may not refer to themselves: {}", path.join(" → ")),
            ));
        }
        let Some((real_name, rule)) = self.segments.rule_of(&key) else {
            let names = self.segments.names();
            return Err(
                RuleError::new(span.start, format!("no saved segment named \"{name}\""))
                    .suggest(closest(name, names.iter().map(String::as_str))),
            );
        };
        let inner = super::parse(&rule).map_err(|e| {
            RuleError::new(
                span.start,
                format!(
                    "saved segment \"{real_name}\" has a broken rule: {}",
                    e.message
                ),
            )
        })?;
        self.stack.push(key);
        let compiled = self.expr(&inner).map_err(|e| {
            if e.message.starts_with("segments may not refer") {
                RuleError::new(span.start, e.message)
            } else {
                RuleError::new(
                    span.start,
                    format!("saved segment \"{real_name}\": {}", e.message),
                )
            }
        });
        self.stack.pop();
        let node = compiled?;
        Ok(Node::Bits(Arc::new(evaluate(&node, self.image))))
    }
}

fn to_cents(amount: f64) -> i64 {
    // Saturating float-to-int conversion; amounts are rounded to cents so that sums of
    // prices like 19.99 compare exactly.
    (amount * 100.0).round() as i64
}

fn merge_or(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1 {
        nodes.remove(0)
    } else {
        Node::Or(nodes)
    }
}

/// Maps `f` over a dictionary's entries on every core (it can hold a million emails).
fn parallel_map(dict: &Dict, f: impl Fn(&str) -> bool + Sync) -> Vec<bool> {
    let threads = threads();
    let len = dict.len();
    if len < 50_000 || threads == 1 {
        return dict.iter().map(&f).collect();
    }
    let chunk = len.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (lo, hi) = ((t * chunk).min(len), ((t + 1) * chunk).min(len));
                let f = &f;
                s.spawn(move || (lo..hi).map(|i| f(dict.get(i))).collect::<Vec<bool>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

impl Compiled {
    /// One bit per contact of the image (bit `i % 64` of word `i / 64`).
    pub fn bits(&self, image: &Image) -> Vec<u64> {
        evaluate(&self.root, image)
    }

    /// How many contacts match.
    pub fn count(&self, image: &Image) -> usize {
        count_bits(&self.bits(image))
    }

    /// The ids of the matching contacts, ascending.
    pub fn members(&self, image: &Image) -> Vec<i64> {
        ids_of(&self.bits(image), image)
    }
}

/// Number of set bits.
pub fn count_bits(bits: &[u64]) -> usize {
    bits.iter().map(|w| w.count_ones() as usize).sum()
}

/// The contact ids of the set bits, ascending.
pub fn ids_of(bits: &[u64], image: &Image) -> Vec<i64> {
    let mut ids = Vec::with_capacity(count_bits(bits));
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            let bit = word.trailing_zeros() as usize;
            if let Some(&id) = image.ids.get(w * 64 + bit) {
                ids.push(id);
            }
            word &= word - 1;
        }
    }
    ids
}

/// Evaluates `node` over the whole image, the words split evenly across threads.
fn evaluate(node: &Node, image: &Image) -> Vec<u64> {
    let words = image.len().div_ceil(64);
    let threads = threads();
    let run = |lo: usize, hi: usize| eval(node, image, lo, &universe(image, lo, hi));
    if words < 1024 || threads == 1 {
        return run(0, words);
    }
    let chunk = words.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (lo, hi) = ((t * chunk).min(words), ((t + 1) * chunk).min(words));
                s.spawn(move || run(lo, hi))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Words `lo..hi` with a bit for every contact of the image.
fn universe(image: &Image, lo: usize, hi: usize) -> Vec<u64> {
    let n = image.len();
    (lo..hi)
        .map(|w| {
            let left = n.saturating_sub(w * 64);
            if left >= 64 {
                u64::MAX
            } else {
                (1u64 << left) - 1
            }
        })
        .collect()
}

/// The contacts of `mask` (words starting at word `lo`) for which `test` holds. Only
/// contacts still in question are tested: after `country = DE and ...`, the behaviour
/// searches run for German contacts only.
fn fill(lo: usize, mask: &[u64], test: impl Fn(usize) -> bool) -> Vec<u64> {
    mask.iter()
        .enumerate()
        .map(|(k, &m)| {
            let base = (lo + k) * 64;
            let mut bits = m;
            let mut word = 0u64;
            while bits != 0 {
                let bit = bits.trailing_zeros();
                if test(base + bit as usize) {
                    word |= 1 << bit;
                }
                bits &= bits - 1;
            }
            word
        })
        .collect()
}

fn is_empty(words: &[u64]) -> bool {
    words.iter().all(|&w| w == 0)
}

/// The contacts of `mask` (words `lo..lo + mask.len()`) that `node` matches; always a
/// subset of `mask`.
fn eval(node: &Node, image: &Image, lo: usize, mask: &[u64]) -> Vec<u64> {
    match node {
        Node::Const(true) => mask.to_vec(),
        Node::Const(false) => vec![0; mask.len()],
        Node::And(items) => {
            let mut acc = mask.to_vec();
            for item in items {
                if is_empty(&acc) {
                    break;
                }
                acc = eval(item, image, lo, &acc);
            }
            acc
        }
        Node::Or(items) => {
            let mut acc = vec![0u64; mask.len()];
            for item in items {
                let rest: Vec<u64> = mask.iter().zip(&acc).map(|(m, a)| m & !a).collect();
                if is_empty(&rest) {
                    break;
                }
                for (a, b) in acc.iter_mut().zip(eval(item, image, lo, &rest)) {
                    *a |= b;
                }
            }
            acc
        }
        Node::Not(inner) => eval(inner, image, lo, mask)
            .into_iter()
            .zip(mask)
            .map(|(w, m)| !w & m)
            .collect(),
        Node::Text { col, table } => {
            let codes = image.text.get(*col).map_or(&[][..], |c| &c.codes[..]);
            fill(lo, mask, |i| {
                codes
                    .get(i)
                    .and_then(|&c| table.get(c as usize))
                    .copied()
                    .unwrap_or(false)
            })
        }
        Node::Num { col, test } => {
            let values = image.num.get(*col).map_or(&[][..], |c| &c[..]);
            fill(lo, mask, |i| values.get(i).is_some_and(|&v| test.holds(v)))
        }
        Node::Tag(t) => {
            let mut words = vec![0u64; mask.len()];
            let members = image.tag_members.get(*t).map_or(&[][..], |m| &m[..]);
            let first = members.partition_point(|&i| (i as usize) < lo * 64);
            for &i in &members[first..] {
                let Some(word) = words.get_mut(i as usize / 64 - lo) else {
                    break;
                };
                *word |= 1 << (i % 64);
            }
            words.iter().zip(mask).map(|(w, m)| w & m).collect()
        }
        Node::Events {
            ty,
            window,
            op,
            n,
            urls,
        } => {
            let Some(column) = image.events.get(*ty) else {
                return vec![0; mask.len()];
            };
            fill(lo, mask, |i| {
                let run = column.range(i);
                let times = column.times.get(run.clone()).unwrap_or(&[]);
                let hits = window.slice(times);
                let count = match urls {
                    Some(table) => column
                        .urls
                        .get(run.start + hits.start..run.start + hits.end)
                        .unwrap_or(&[])
                        .iter()
                        .filter(|&&u| table.get(u as usize).copied().unwrap_or(false))
                        .count(),
                    None => hits.len(),
                };
                op.holds(count as u64, u64::from(*n))
            })
        }
        Node::Spent { window, op, cents } => {
            let Some(column) = image.events.get(PURCHASE) else {
                return vec![0; mask.len()];
            };
            fill(lo, mask, |i| {
                let run = column.range(i);
                let times = column.times.get(run.clone()).unwrap_or(&[]);
                let hits = window.slice(times);
                let sum: f64 = column
                    .amounts
                    .get(run.start + hits.start..run.start + hits.end)
                    .unwrap_or(&[])
                    .iter()
                    .sum();
                op.holds(to_cents(sum), *cents)
            })
        }
        Node::Bits(bits) => bits
            .get(lo..lo + mask.len())
            .unwrap_or(&[])
            .iter()
            .zip(mask)
            .map(|(b, m)| b & m)
            .chain(std::iter::repeat(0))
            .take(mask.len())
            .collect(),
    }
}
