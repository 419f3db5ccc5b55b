//! The typed syntax tree of a rule, and its canonical printing.
//!
//! `Display` prints the canonical rule: lower-case keywords, built-in fields bare, custom
//! fields and text quoted, parentheses exactly where the tree needs them. Parsing the printed
//! rule gives the same tree back (property-tested), so a rule can be stored in either form.

use chrono::NaiveDate;
use std::fmt;

/// Where a piece of the rule sits in its text (byte offsets), for error messages.
///
/// Positions are not part of a rule's meaning: every `Span` equals every other, so two trees
/// compare equal when they say the same thing, however they were spaced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl PartialEq for Span {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A boolean combination of conditions. `and` binds tighter than `or`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Two or more operands.
    And(Vec<Expr>),
    /// Two or more operands.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(Cond, Span),
}

impl Expr {
    /// Every condition, depth first.
    pub fn conds(&self) -> Vec<&Cond> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::And(items) | Expr::Or(items) => stack.extend(items.iter().rev()),
                Expr::Not(inner) => stack.push(inner),
                Expr::Cond(c, _) => out.push(c),
            }
        }
        out
    }

    /// The saved segments the rule names directly.
    pub fn segment_refs(&self) -> Vec<&str> {
        self.conds()
            .into_iter()
            .filter_map(|c| match c {
                Cond::InSegment(name) => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether the result can change as time passes with no change to the data: windows,
    /// `within`, "30d ago", behaviour (events up to now) and other segments.
    pub fn depends_on_now(&self) -> bool {
        self.conds().into_iter().any(|c| match c {
            Cond::When { at, .. } => matches!(at, When::Ago(_)),
            Cond::Within { .. } | Cond::Did { .. } | Cond::Spent { .. } | Cond::InSegment(_) => {
                true
            }
            _ => false,
        })
    }
}

/// One condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// `field op value`.
    Compare {
        field: Field,
        op: CmpOp,
        value: Value,
    },
    /// `field in (v1, v2, ...)`.
    In { field: Field, values: Vec<Value> },
    /// `field contains|starts_with|ends_with "text"`.
    Text {
        field: Field,
        op: TextOp,
        text: String,
    },
    /// `field is empty` / `field is not empty`.
    Empty { field: Field, negated: bool },
    /// `field before|after DATE` or `field before|after 30d` (that long ago).
    When { field: Field, op: WhenOp, at: When },
    /// `field within 30d`: between that long ago and now.
    Within { field: Field, window: Duration },
    /// `tag "vip"`.
    Tag(String),
    /// `in segment "Engaged"`.
    InSegment(String),
    /// `opened >= 3 in 90d`, `visited "/pricing" in 14d`, `clicked` (ever).
    Did {
        action: Action,
        count: Option<(CmpOp, u32)>,
        window: Option<Duration>,
    },
    /// `spent >= 100 in 365d`: the sum of purchase amounts.
    Spent {
        op: CmpOp,
        amount: f64,
        window: Option<Duration>,
    },
}

/// A field: a built-in contact column written bare (`country`), or a custom field written
/// quoted (`"Industry"`); the parser only records which, the compiler resolves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub quoted: bool,
    pub span: Span,
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// Quoted text, or a bare word such as `subscribed`.
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];

    /// Whether `left op right` holds.
    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            CmpOp::Eq => left == right,
            CmpOp::Ne => left != right,
            CmpOp::Lt => left < right,
            CmpOp::Le => left <= right,
            CmpOp::Gt => left > right,
            CmpOp::Ge => left >= right,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextOp {
    pub fn keyword(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenOp {
    Before,
    After,
}

/// The point `before`/`after` compare with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// A calendar day (UTC).
    Date(NaiveDate),
    /// That long before now.
    Ago(Duration),
}

/// What a contact did, from the events table.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Opened,
    Clicked,
    Purchased,
    AddedToCart,
    Bounced,
    Unsubscribed,
    Complained,
    /// A page view whose URL contains the text (case-insensitive).
    Visited(String),
}

impl Action {
    /// The verbs the parser knows (`visited` takes a URL text after it).
    pub const VERBS: [&'static str; 9] = [
        "opened",
        "clicked",
        "purchased",
        "added_to_cart",
        "bounced",
        "unsubscribed",
        "complained",
        "visited",
        "spent",
    ];

    /// The `events.type` this action counts.
    pub fn event_type(&self) -> &'static str {
        match self {
            Action::Opened => "open",
            Action::Clicked => "click",
            Action::Purchased => "purchase",
            Action::AddedToCart => "cart_add",
            Action::Bounced => "bounce",
            Action::Unsubscribed => "unsubscribe",
            Action::Complained => "complaint",
            Action::Visited(_) => "page_view",
        }
    }

    fn verb(&self) -> &'static str {
        match self {
            Action::Opened => "opened",
            Action::Clicked => "clicked",
            Action::Purchased => "purchased",
            Action::AddedToCart => "added_to_cart",
            Action::Bounced => "bounced",
            Action::Unsubscribed => "unsubscribed",
            Action::Complained => "complained",
            Action::Visited(_) => "visited",
        }
    }
}

/// A length of time: `30d`, `2w`, `6m` (30-day months), `1y` (365-day years). Months and
/// years are fixed lengths so that a window means the same number of days whatever today is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub count: u32,
    pub unit: Unit,
}

impl Duration {
    /// The largest count accepted, so that any duration fits comfortably in seconds.
    pub const MAX_COUNT: u32 = 100_000;

    pub fn seconds(self) -> i64 {
        i64::from(self.count) * self.unit.days() * 86_400
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    pub fn from_suffix(suffix: &str) -> Option<Unit> {
        match suffix {
            "d" | "D" => Some(Unit::Days),
            "w" | "W" => Some(Unit::Weeks),
            "m" | "M" => Some(Unit::Months),
            "y" | "Y" => Some(Unit::Years),
            _ => None,
        }
    }

    fn suffix(self) -> char {
        match self {
            Unit::Days => 'd',
            Unit::Weeks => 'w',
            Unit::Months => 'm',
            Unit::Years => 'y',
        }
    }

    fn days(self) -> i64 {
        match self {
            Unit::Days => 1,
            Unit::Weeks => 7,
            Unit::Months => 30,
            Unit::Years => 365,
        }
    }
}

/// Words with a meaning in the language; a bare value or field spelled like one is quoted
/// when printed.
pub const KEYWORDS: [&str; 14] = [
    "and",
    "or",
    "not",
    "in",
    "is",
    "empty",
    "tag",
    "segment",
    "contains",
    "starts_with",
    "ends_with",
    "before",
    "after",
    "within",
];

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(items) => join(f, items, " and ", |e| {
                !matches!(e, Expr::Cond(..) | Expr::Not(_))
            }),
            Expr::Or(items) => join(f, items, " or ", |e| matches!(e, Expr::Or(_))),
            Expr::Not(inner) => match inner.as_ref() {
                Expr::And(_) | Expr::Or(_) => write!(f, "not ({inner})"),
                _ => write!(f, "not {inner}"),
            },
            Expr::Cond(cond, _) => cond.fmt(f),
        }
    }
}

fn join(
    f: &mut fmt::Formatter<'_>,
    items: &[Expr],
    sep: &str,
    parens: impl Fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cond::Compare { field, op, value } => write!(f, "{field} {op} {value}"),
            Cond::In { field, values } => {
                write!(f, "{field} in (")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str(")")
            }
            Cond::Text { field, op, text } => {
                write!(f, "{field} {} {}", op.keyword(), Quoted(text))
            }
            Cond::Empty { field, negated } => {
                write!(f, "{field} is {}empty", if *negated { "not " } else { "" })
            }
            Cond::When { field, op, at } => {
                let word = match op {
                    WhenOp::Before => "before",
                    WhenOp::After => "after",
                };
                match at {
                    When::Date(d) => write!(f, "{field} {word} {d}"),
                    When::Ago(d) => write!(f, "{field} {word} {d}"),
                }
            }
            Cond::Within { field, window } => write!(f, "{field} within {window}"),
            Cond::Tag(name) => write!(f, "tag {}", Quoted(name)),
            Cond::InSegment(name) => write!(f, "in segment {}", Quoted(name)),
            Cond::Did {
                action,
                count,
                window,
            } => {
                f.write_str(action.verb())?;
                if let Action::Visited(url) = action {
                    write!(f, " {}", Quoted(url))?;
                }
                if let Some((op, n)) = count {
                    write!(f, " {op} {n}")?;
                }
                if let Some(w) = window {
                    write!(f, " in {w}")?;
                }
                Ok(())
            }
            Cond::Spent { op, amount, window } => {
                write!(f, "spent {op} {amount}")?;
                if let Some(w) = window {
                    write!(f, " in {w}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted || !is_bare_word(&self.name) {
            Quoted(&self.name).fmt(f)
        } else {
            f.write_str(&self.name)
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ValueKind::Text(t) if is_bare_value(t) => f.write_str(t),
            ValueKind::Text(t) => Quoted(t).fmt(f),
            ValueKind::Number(n) => write!(f, "{n}"),
            ValueKind::Date(d) => write!(f, "{d}"),
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.suffix())
    }
}

/// Whether `word` can be written without quotes: an identifier that is not a keyword or verb.
pub fn is_bare_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !is_reserved(word)
}

/// Whether a value can be written without quotes. Behaviour verbs can (`status =
/// unsubscribed`): after an operator they cannot start a condition.
pub fn is_bare_value(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !is_keyword(word)
}

/// Whether `word` is a keyword, case-insensitively.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word.to_lowercase().as_str())
}

/// Keywords and behaviour verbs, case-insensitively.
pub fn is_reserved(word: &str) -> bool {
    let lower = word.to_lowercase();
    KEYWORDS.contains(&lower.as_str()) || Action::VERBS.contains(&lower.as_str())
}

/// Text printed in double quotes with `"` and `\` escaped.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            if c == '"' || c == '\\' {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    }
}
