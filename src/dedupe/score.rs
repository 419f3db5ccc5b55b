//! Pair scoring: Fellegi–Sunter style agreement weights, one per compared field, summed.
//!
//! Each field comparison lands on a level (exact, nickname, fuzzy, phonetic, initial,
//! differs…) and each level carries a weight `log2(m / u)`: m is how often two records
//! of one person show that level, u how often two records of different people do. The
//! score is the sum, in bits of evidence, so a reason list like "email exact +13.0,
//! date_of_birth differs −6.0" adds up to the score shown.
//!
//! Where the weights come from (no labels are used):
//! - **Exact agreement is frequency-adjusted** (Splink's term-frequency idea): u for "both
//!   are Müller" is the share of contacts called Müller, read from the table being scanned
//!   (with the list treated as at least 1,000 people, since a tiny list says little about
//!   how common a name is; for a mailbox, the people holding it, since one person's copies
//!   repeat it). A common name counts for less than a rare one, which is what
//!   keeps two Thomas Müllers in Berlin apart. Each field's weight is clamped so one field
//!   cannot decide alone.
//! - **Partial levels and disagreements use fixed priors** from how records of one person
//!   vary in exports (typo rates of a few percent per field, people owning two addresses
//!   or phones, moving city, changing employer) versus how often unrelated records land
//!   on the level by chance. They are written next to each constant.
//! - **Missing values weigh nothing**: a CRM record without email is not evidence against.
//! - **Context-sensitive disagreement**: two different addresses at one company domain
//!   (not free mail) are colleagues, strong evidence against; different dates of birth are
//!   strong evidence against; a different phone or a free-mail address is weak evidence.
//! - **Evidence that one fact explains twice counts once**: colleagues share an office, so
//!   the city adds little once the employer agrees; a number or mailbox several people
//!   give is a shared one; a local part that is only the name repeats the name.
//! - **The bars rise with the list** ([`Thresholds`]): the score is the evidence, and the
//!   odds before it fall as the list grows.
//!
//! EM re-estimation of m is deliberately not used: on B2B lists it learns "same company"
//! as a match signal (colleagues dominate the agreeing pairs), the failure mode the issue
//! reports for Splink and recordlinkage.

use super::features::{dob_key, month_day};
use super::nicknames::canonical;
use super::table::{Field, Table, MISSING};
use crate::text::date::yearless;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use strsim::{damerau_levenshtein, jaro_winkler};

/// How two values of one field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Exact,
    Nickname,
    Swapped,
    Fuzzy,
    Phonetic,
    Partial,
    Initial,
    Differs,
    Colleague,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Exact => "exact",
            Level::Nickname => "nickname",
            Level::Swapped => "swapped",
            Level::Fuzzy => "fuzzy",
            Level::Phonetic => "phonetic",
            Level::Partial => "partial",
            Level::Initial => "initial",
            Level::Differs => "differs",
            Level::Colleague => "colleague",
        }
    }
}

/// One field's contribution to a pair's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub field: Field,
    pub level: Level,
    pub weight: f32,
}

/// A scored pair: the total and the reasons that add up to it, strongest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scored {
    pub score: f32,
    pub reasons: Vec<Reason>,
    /// Whether to record reasons; the scan first scores every candidate without them
    /// (no allocation) and explains only the pairs it keeps.
    explain: bool,
}

impl Scored {
    fn add(&mut self, field: Field, level: Level, weight: f32) {
        self.score += weight;
        if self.explain {
            self.reasons.push(Reason {
                field,
                level,
                weight,
            });
        }
    }
}

/// "email exact +13.0; date_of_birth differs -6.0": the one-line explanation.
pub fn reasons_text(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| format!("{} {} {:+.1}", r.field.name(), r.level.as_str(), r.weight))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Score at or above which a pair is a likely duplicate (2^12 : 1 evidence) in a list of
/// up to 5,000 contacts; chosen on the generated and public labelled sets of
/// benches/dedupe_quality (BENCHMARKS.md), one value for all of them.
pub const LIKELY: f32 = 12.0;
/// Score at or above which a pair is shown for review as a possible duplicate (same
/// list size).
pub const POSSIBLE: f32 = 8.0;

/// The list size [`LIKELY`] and [`POSSIBLE`] are set for.
const BASE_LIST: f32 = 5000.0;

/// Lists smaller than this are treated as this large when turning value counts into
/// frequencies.
const MIN_POPULATION: f32 = 1000.0;

/// The bars a pair's score must clear in a list of a given size.
///
/// The score is evidence (a likelihood ratio, in bits); whether that makes a pair one
/// person also depends on the odds before any evidence — and those fall as the list
/// grows: with ten times the contacts there are a hundred times the pairs but only ten
/// times the duplicates, so ten times the chance coincidences ("Emily King, London")
/// per true pair. Both bars rise by `log2(n / 5,000)` above 5,000 contacts (+4.3 at
/// 100,000, +7.6 at a million), and so does the most one field's frequency weight may
/// reach (`tf_weight`), so a rare value stays as decisive as in a small list.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub likely: f32,
    pub possible: f32,
}

impl Thresholds {
    /// The bars for a list of `contacts` contacts.
    pub fn for_list(contacts: usize) -> Thresholds {
        let rise = list_rise(contacts);
        Thresholds {
            likely: LIKELY + rise,
            possible: POSSIBLE + rise,
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::for_list(0)
    }
}

/// How much the bars rise for a list of `n`: `log2(n / 5,000)`, at least 0.
fn list_rise(n: usize) -> f32 {
    (n as f32 / BASE_LIST).log2().max(0.0)
}

/// `log2(m / p)` with p the value's share of the list, clamped to `[lo, hi]` (`hi` rising
/// with the list like the [`Thresholds`]).
fn tf_weight(m: f32, count: u32, n: usize, lo: f32, hi: f32) -> f32 {
    let p = count.max(1) as f32 / (n as f32).max(MIN_POPULATION);
    (m / p).log2().clamp(lo, hi + list_rise(n))
}

/// Scores rows `a` and `b` of `table`, with the explanation.
pub fn score(table: &Table, a: usize, b: usize) -> Scored {
    score_with(table, a, b, true)
}

/// Only the score of rows `a` and `b`: no explanation, no allocation.
pub fn score_value(table: &Table, a: usize, b: usize) -> f32 {
    score_with(table, a, b, false).score
}

fn score_with(table: &Table, a: usize, b: usize, explain: bool) -> Scored {
    let mut s = Scored {
        explain,
        ..Scored::default()
    };
    let n = table.len();
    email(table, a, b, n, &mut s);
    names(table, a, b, n, &mut s);
    dob(table, a, b, &mut s);
    phone(table, a, b, n, &mut s);
    let same_employer = company(table, a, b, n, &mut s);
    simple(table, a, b, Field::Title, (1.0, 0.5, -0.3), &mut s);
    simple(table, a, b, Field::Street, (6.0, 3.0, -2.0), &mut s);
    // Colleagues share an office: where the employer agrees, so does the place for most
    // pairs of different people too (u ~0.8), and it adds little.
    let most = if same_employer { 1.0 } else { f32::INFINITY };
    place(
        table,
        a,
        b,
        n,
        Field::City,
        (0.9, 1.0, 5.0, 2.5),
        most,
        &mut s,
    );
    place(
        table,
        a,
        b,
        n,
        Field::Postcode,
        (0.9, 2.0, 7.0, 1.0),
        most,
        &mut s,
    );
    country(table, a, b, &mut s);
    other_id(table, a, b, &mut s);
    s.reasons
        .sort_by(|x, y| y.weight.abs().total_cmp(&x.weight.abs()));
    s
}

/// Both keys of a field, or `None` when either is missing (missing is neutral).
fn both(table: &Table, a: usize, b: usize, field: Field) -> Option<(u32, u32)> {
    let (x, y) = (table.sym(a, field), table.sym(b, field));
    (x != MISSING && y != MISSING).then_some((x, y))
}

fn email(table: &Table, a: usize, b: usize, n: usize, s: &mut Scored) {
    let Some((x, y)) = both(table, a, b, Field::Email) else {
        return;
    };
    let col = table.column(Field::Email);
    if x == y {
        // m 0.95; shared mailboxes (info@, a family's) get less through how many people
        // hold them — not through how many copies of one person do.
        let w = tf_weight(0.95, table.holders(Field::Email, x), n, 6.0, 14.0);
        s.add(Field::Email, Level::Exact, w);
        return;
    }
    let (ex, ey) = (col.get(x), col.get(y));
    let (lx, dx) = ex.rsplit_once('@').unwrap_or((ex, ""));
    let (ly, dy) = ey.rsplit_once('@').unwrap_or((ey, ""));
    // A changed number at a company is another mailbox (m.dubois2@ / m.dubois6@), not a
    // typo; at a free-mail provider, or where no record names a company, a number that
    // lost a digit to a typo (bianchi53@ / bianchip3@) still counts as the same number.
    let (nx, ny) = (digits(ex), digits(ey));
    let free = table.at_provider(x) || table.at_provider(y);
    let both_providers = table.at_provider(x) && table.at_provider(y);
    let company_domain = dx == dy && !dx.is_empty() && !free;
    let employed = [a, b]
        .iter()
        .any(|&r| table.sym(r, Field::Company) != MISSING);
    // A number where the other address has none is the provider's or the company's
    // way of telling two people of one name apart (aisha.sanchez@ / aisha.sanchez3@).
    let same_digits = nx == ny
        || ((free || !employed) && !nx.is_empty() && !ny.is_empty() && one_dropped(&nx, &ny));
    let typo = |p: &str, q: &str, max: usize| damerau_levenshtein(p, q) <= max;
    // Separators in the local part are the most common slip (max.jones@ / maxjones@).
    let (sx, sy) = (squash(lx), squash(ly));
    // Two slips in a long local part, one in a short one ("jdoe" / "jode").
    let local_typo = match sx.len().min(sy.len()) {
        n if n >= 5 => typo(&sx, &sy, 2) && jaro_winkler(&sx, &sy) >= 0.9,
        4 => typo(&sx, &sy, 1),
        _ => false,
    };
    // Slips on both sides of the @, or in the @ and dots themselves
    // ("hannah88opowersc@m" / "hannah88@powers.com"): the letters and digits, read as one
    // string, are a few slips apart.
    let scattered = || {
        let (wx, wy) = (alphanumeric(ex), alphanumeric(ey));
        // Three slips change the length by three at most: most pairs stop here, before
        // the quadratic comparisons.
        wx.len().min(wy.len()) >= 10
            && wx.len().abs_diff(wy.len()) <= 3
            && typo(&wx, &wy, 3)
            && jaro_winkler(&wx, &wy) >= 0.9
    };
    if dx == dy && untagged(lx) == untagged(ly) {
        // One mailbox with and without a sub-address tag (`lea+news@`): most mail servers
        // deliver both to one person, not only the providers `mailbox_key` folds.
        s.add(Field::Email, Level::Fuzzy, 9.0);
    } else if company_domain && employed && names_differ(table, a, b) {
        // Two mailboxes at one company domain and two given names or surnames:
        // colleagues, however alike the mailboxes look (j.ostafin@ / n.ostafin@ and
        // leonards@ / leonardg@ are one slip apart).
        s.add(Field::Email, Level::Colleague, -8.0);
    } else if same_digits
        && ((dx == dy && local_typo) || (sx == sy && sx.len() >= 3 && typo(dx, dy, 1)))
    {
        // A typo in the address: m 0.03 (typo rate), u ~1e-4 — except the same name with
        // and without separators (oliver.weber@ / oliverweber@), the way two namesakes at
        // one provider are told apart.
        if sx == sy && only_name(table, a, lx) {
            s.add(Field::Email, Level::Partial, 2.0);
        } else {
            s.add(Field::Email, Level::Fuzzy, 7.0);
        }
    } else if same_digits && dx != dy && !(lx == ly && both_providers) && scattered() {
        // Several slips: m 0.02, u ~1e-4 (strangers' addresses are rarely this close).
        // One name at two real providers (dieter.weber@web.de / @gmx.de) is no slip.
        s.add(Field::Email, Level::Fuzzy, 6.0);
    } else if lx == ly && lx.len() >= 6 && free {
        // The same personal local part at another provider: m 0.05, u ~1e-3 — unless it
        // is only the name (rahul.karlsson@), which namesakes write alike too and which
        // the name comparison has already counted. Two company domains sharing
        // "first.last" only repeat the name as well.
        let w = if only_name(table, a, lx) { 1.0 } else { 4.0 };
        s.add(Field::Email, Level::Partial, w);
    } else if company_domain && same_digits && shares_name_part(table, a, b, lx, ly) {
        // j.smith@ and john.smith@ at one company: one person's aliases, or two
        // colleagues sharing a surname; weakly for.
        s.add(Field::Email, Level::Partial, 1.0);
    } else if company_domain && employed && nx != ny {
        // Mailboxes numbered apart at one company (a.ferran6@ / a.ferran7@, pier@ /
        // pier.ferrara7@): the company told two people of one name apart, so the name's
        // agreement is no evidence here.
        s.add(Field::Email, Level::Colleague, -14.0);
    } else if company_domain && employed {
        // Two mailboxes at one company domain are two colleagues — namesakes too: one
        // person rarely has two (m 0.003, u 0.9).
        s.add(Field::Email, Level::Colleague, -8.0);
    } else {
        // People own several addresses: m 0.25, u ~1. A shared domain that is not known
        // free mail, on records without any company, is a family's or a small provider's
        // as often as an employer's, so it says nothing about colleagues.
        s.add(Field::Email, Level::Differs, -2.0);
    }
}

/// Whether the given names or the surnames of the two records disagree, read straight
/// and crosswise (a swapped pair of names is one person's).
fn names_differ(table: &Table, a: usize, b: usize) -> bool {
    let level = |fa, fb, first| cached_level(table, (a, fa), (b, fb), first);
    let differ = |field, first| {
        both(table, a, b, field).is_some() && level(field, field, first) == NameLevel::Differs
    };
    let crosswise = |fa, fb| {
        table.sym(a, fa) != MISSING
            && table.sym(b, fb) != MISSING
            && level(fa, fb, true) >= NameLevel::Fuzzy
    };
    (differ(Field::First, true) || differ(Field::Last, false))
        && !crosswise(Field::First, Field::Last)
        && !crosswise(Field::Last, Field::First)
}

/// The digits of a value, in order: "Pixelwerk 24" and "Pixelwerk 144" are two companies
/// however close the letters are.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A local part without its sub-address tag: `lea+news` → `lea`.
fn untagged(local: &str) -> &str {
    match local.split_once('+') {
        Some((base, _)) if !base.is_empty() => base,
        _ => local,
    }
}

/// The letters and digits of an address, without `@`, dots and dashes.
fn alphanumeric(address: &str) -> String {
    address.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A local part without the separators people add or leave out: "max.jones" → "maxjones".
fn squash(local: &str) -> String {
    local
        .chars()
        .filter(|c| !matches!(c, '.' | '_' | '-'))
        .collect()
}

/// Whether `x` and `y` differ by exactly one character left out of the longer one.
fn one_dropped(x: &str, y: &str) -> bool {
    let (short, long) = if x.len() < y.len() { (x, y) } else { (y, x) };
    long.len() == short.len() + 1
        && (0..long.len()).any(|i| {
            long.get(..i).zip(long.get(i + 1..)).is_some_and(|(p, q)| {
                short.len() == p.len() + q.len() && short.starts_with(p) && short.ends_with(q)
            })
        })
}

/// Whether two words of three letters or more are made of the same letters, give or take
/// one: "oNah" / "Noah", "llH" / "Hill", "ynnollC" / "Connolly", "noLdo" / "London" —
/// letters jumbled or dropped by hand or by OCR, which edit distance counts as many
/// slips. Two different names or places are rarely anagrams of each other; the pairs it
/// does join (Leo / Leon) are close variants, and score as a typo, not as agreement.
fn same_letters(x: &str, y: &str) -> bool {
    let (cx, cy) = (x.chars().count(), y.chars().count());
    if cx.min(cy) < 3 {
        return false;
    }
    let sorted = |s: &str| {
        let mut v: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        v.sort_unstable();
        v
    };
    let (p, q) = (sorted(x), sorted(y));
    let (short, long) = if p.len() <= q.len() { (p, q) } else { (q, p) };
    // Walk both sorted lists: at most one letter of the longer may go unmatched, and
    // none of the shorter.
    let (mut i, mut extra) = (0, long.len() - short.len());
    if extra > 1 {
        return false;
    }
    for c in &long {
        if short.get(i) == Some(c) {
            i += 1;
        } else if extra == 0 {
            return false;
        } else {
            extra -= 1;
        }
    }
    i == short.len()
}

/// Whether a local part is nothing but the record's name in one of the usual patterns
/// (first.last, firstlast, lastfirst, f.last, first.l, first), separators and case aside.
fn only_name(table: &Table, row: usize, local: &str) -> bool {
    let letters: String = local.chars().filter(char::is_ascii_alphabetic).collect();
    let key = |field| {
        table
            .key(row, field)
            .map(|k| k.replace([' ', '-', '\''], ""))
    };
    let (Some(first), Some(last)) = (key(Field::First), key(Field::Last)) else {
        return false;
    };
    let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    [
        format!("{first}{last}"),
        format!("{last}{first}"),
        format!("{}{last}", initial(&first)),
        format!("{first}{}", initial(&last)),
        first.clone(),
    ]
    .contains(&letters)
}

/// Whether both local parts contain the last name of either record.
fn shares_name_part(table: &Table, a: usize, b: usize, lx: &str, ly: &str) -> bool {
    [a, b].iter().any(|&row| {
        table
            .key(row, Field::Last)
            .map(|last| last.replace(' ', ""))
            .is_some_and(|last| last.len() >= 3 && lx.contains(&last) && ly.contains(&last))
    })
}

/// Name agreement levels before weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
enum NameLevel {
    Differs,
    Initial,
    Weak,
    Phonetic,
    Fuzzy,
    Nickname,
    Exact,
}

/// The owning table's id, and comparison outcomes by (columns, symbol, symbol). FxHash:
/// the keys are small integers we make ourselves, and SipHash dominated the lookups.
type Memo = (u64, FxHashMap<(u8, u32, u32), u8>);

thread_local! {
    /// Fuzzy comparisons already made: lists repeat the same few thousand names, cities,
    /// companies and titles, so most string comparisons were made before. Keyed by the
    /// table's id so two tables never mix; bounded, cleared when full.
    static MEMO: RefCell<Memo> = RefCell::new((0, FxHashMap::default()));
}

const MEMO_MAX: usize = 1 << 20;

/// The outcome of comparing symbol `x` of column `fa` with symbol `y` of column `fb`,
/// computed once per table.
fn memo(
    table: &Table,
    (fa, x): (Field, u32),
    (fb, y): (Field, u32),
    compute: impl FnOnce() -> u8,
) -> u8 {
    // Same column: comparisons are symmetric, so order the symbols.
    let (x, y) = if fa == fb {
        (x.min(y), x.max(y))
    } else {
        (x, y)
    };
    let key = ((fa as u8) << 4 | fb as u8, x, y);
    MEMO.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (owner, cache) = &mut *guard;
        if *owner != table.id() || cache.len() >= MEMO_MAX {
            cache.clear();
            *owner = table.id();
        }
        if let Some(&v) = cache.get(&key) {
            return v;
        }
        let v = compute();
        cache.insert(key, v);
        v
    })
}

/// Name levels in `as u8` order, to decode memoised values.
const NAME_LEVELS: [NameLevel; 7] = [
    NameLevel::Differs,
    NameLevel::Initial,
    NameLevel::Weak,
    NameLevel::Phonetic,
    NameLevel::Fuzzy,
    NameLevel::Nickname,
    NameLevel::Exact,
];

/// [`name_level`] of two interned names, memoised.
fn cached_level(
    table: &Table,
    (ra, fa): (usize, Field),
    (rb, fb): (usize, Field),
    first: bool,
) -> NameLevel {
    let code = memo(
        table,
        (fa, table.sym(ra, fa)),
        (fb, table.sym(rb, fb)),
        || {
            name_level(
                (table.key(ra, fa).unwrap_or_default(), table.sound(ra, fa)),
                (table.key(rb, fb).unwrap_or_default(), table.sound(rb, fb)),
                first,
            ) as u8
        },
    );
    NAME_LEVELS[usize::from(code).min(NAME_LEVELS.len() - 1)]
}

/// Whether two different values of `field` are close (by `test`), memoised.
fn close(
    table: &Table,
    field: Field,
    x: u32,
    y: u32,
    test: impl FnOnce(&str, &str) -> bool,
) -> bool {
    let col = table.column(field);
    memo(table, (field, x), (field, y), || {
        u8::from(test(col.get(x), col.get(y)))
    }) == 1
}

/// A name's folded key and its Double Metaphone code.
type Name<'a> = (&'a str, &'a str);

fn name_level((x, sx): Name<'_>, (y, sy): Name<'_>, first: bool) -> NameLevel {
    if x == y {
        return NameLevel::Exact;
    }
    if first && canonical(x) == canonical(y) {
        return NameLevel::Nickname;
    }
    let jw = jaro_winkler(x, y);
    if jw >= 0.92
        || (x.len().max(y.len()) >= 5 && damerau_levenshtein(x, y) <= 1)
        || same_letters(x, y)
    {
        return NameLevel::Fuzzy;
    }
    // "anna maria" ~ "anna", "garcia lopez" ~ "garcia": one name inside the other.
    if x.split(' ')
        .any(|w| w.len() >= 3 && y.split(' ').any(|v| v == w))
    {
        return NameLevel::Fuzzy;
    }
    if sx == sy && !sx.is_empty() {
        return NameLevel::Phonetic;
    }
    if jw >= 0.85 {
        return NameLevel::Weak;
    }
    let initial = |short: &str, long: &str| short.len() == 1 && long.starts_with(short);
    if initial(x, y) || initial(y, x) {
        return NameLevel::Initial;
    }
    NameLevel::Differs
}

/// The explained level and weight of a given-name comparison; `count` is how many of the
/// `n` contacts carry the name (for exact agreement).
fn first_weight(level: NameLevel, count: u32, n: usize) -> (Level, f32) {
    match level {
        NameLevel::Exact => (Level::Exact, tf_weight(0.9, count, n, 2.0, 8.0)),
        // m 0.04 / u 0.003 (nickname pairs are common among strangers too).
        NameLevel::Nickname => (Level::Nickname, 3.5),
        // m 0.05 (typos) / u 0.005.
        NameLevel::Fuzzy => (Level::Fuzzy, 3.0),
        // Alike in sound, further apart than a typo: as often two names as one.
        NameLevel::Phonetic => (Level::Phonetic, 1.0),
        NameLevel::Weak => (Level::Partial, 0.5),
        NameLevel::Initial => (Level::Initial, 1.0),
        // m 0.04 / u 0.97.
        NameLevel::Differs => (Level::Differs, -4.5),
    }
}

fn names(table: &Table, a: usize, b: usize, n: usize, s: &mut Scored) {
    let first = both(table, a, b, Field::First);
    let last = both(table, a, b, Field::Last);
    let level = |fa, fb, first| cached_level(table, (a, fa), (b, fb), first);
    // Swapped first/last name, also when one record has only one of them (a surname
    // typed into the first-name box, the other box left empty): every name that can be
    // compared crosswise agrees and the straight reading agrees less. Each crosswise
    // comparison is weighted like a given name (the lower weights, whichever of the two
    // it really is), its frequency the higher of the two values' in their own columns,
    // and marked "swapped".
    let present = |row, field| table.sym(row, field) != MISSING;
    let cross = [(Field::First, Field::Last), (Field::Last, Field::First)].map(|(fa, fb)| {
        (present(a, fa) && present(b, fb)).then(|| {
            let agree = level(fa, fb, true);
            let count = |row, field| table.column(field).count(table.sym(row, field));
            let (_, w) = first_weight(agree, count(a, fa).max(count(b, fb)), n);
            (agree, fa, w)
        })
    });
    // The weaker crosswise comparison may be an initial ("Monaco, A." / "Alessia
    // Monaco"); the stronger must be a typo or better.
    let worst = cross.iter().flatten().map(|c| c.0).min();
    let best = cross.iter().flatten().map(|c| c.0).max();
    let straight = [
        first.map(|_| (Field::First, true)),
        last.map(|_| (Field::Last, false)),
    ]
    .into_iter()
    .flatten()
    .map(|(f, is_first)| level(f, f, is_first))
    .min();
    let swapped = worst.filter(|_| best >= Some(NameLevel::Fuzzy));
    if swapped.is_some_and(|sw| sw >= NameLevel::Initial && straight.is_none_or(|st| sw > st)) {
        for &(_, field, w) in cross.iter().flatten() {
            s.add(field, Level::Swapped, w);
        }
        return;
    }
    let given = first.map(|(x, _)| {
        let count = table.column(Field::First).count(x);
        first_weight(level(Field::First, Field::First, true), count, n)
    });
    let surname = last.map(|(x, _)| {
        let col = table.column(Field::Last);
        match level(Field::Last, Field::Last, false) {
            NameLevel::Exact => (Level::Exact, tf_weight(0.9, col.count(x), n, 3.0, 10.0)),
            NameLevel::Nickname | NameLevel::Fuzzy => (Level::Fuzzy, 4.5),
            NameLevel::Phonetic => (Level::Phonetic, 2.0),
            NameLevel::Weak => (Level::Partial, 1.0),
            NameLevel::Initial => (Level::Initial, 0.5),
            // Surnames change on marriage: m 0.05 / u 0.99.
            NameLevel::Differs => (Level::Differs, -4.5),
        }
    });
    // One full name at three employers or more is common in this list: the two halves
    // together weigh no more than the full name's own frequency says (u = people / n).
    let scale = match (first, given, surname) {
        (Some((x, _)), Some((Level::Exact, fw)), Some((Level::Exact, lw))) => {
            let people = table.employers(x, table.sym(a, Field::Last));
            if people >= 3 {
                (tf_weight(0.81, people, n, 2.0, 20.0) / (fw + lw)).min(1.0)
            } else {
                1.0
            }
        }
        _ => 1.0,
    };
    for (field, part) in [(Field::First, given), (Field::Last, surname)] {
        if let Some((level, w)) = part {
            let w = if w > 0.0 { w * scale } else { w };
            s.add(field, level, w);
        }
    }
}

/// How two different, readable birth dates relate, from the likeliest typing slip to a
/// different person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum DobLevel {
    /// Day and month swapped in one year (US vs European order): strangers land here
    /// about 1 in 20,000 times.
    Swapped,
    /// A few days apart (also across a month end), or the month or the year off by one:
    /// strangers about 1 in 5,000.
    Close,
    /// Two components agree and the third differs (a mistyped day like 13/31, a year
    /// mistyped in one digit), or every component is off by a little: strangers about 1
    /// in 300.
    OneOff,
    /// Within a year of each other otherwise (a date shifted by weeks or months): about a
    /// thirtieth of strangers, yet common for one person in messy exports, where a date
    /// typed again or guessed lands weeks off (m ~0.06 / u 0.03): a little for.
    WithinYear,
    Differs,
}

/// [`DobLevel`] of two parsed dates given as (year, month, day).
fn dob_level(p: (i32, u32, u32), q: (i32, u32, u32)) -> DobLevel {
    let day = |(y, m, d): (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let days = match (day(p), day(q)) {
        (Some(x), Some(y)) => (x - y).num_days().abs(),
        _ => i64::MAX,
    };
    if p.0 == q.0 && p.1 == q.2 && p.2 == q.1 {
        return DobLevel::Swapped;
    }
    // A mistyped year differs in one digit (1958 / 1968); 1950 and 1971 are two people.
    let year_typo = {
        let (x, y) = (p.0.to_string(), q.0.to_string());
        x.len() == y.len() && x.bytes().zip(y.bytes()).filter(|(a, b)| a != b).count() == 1
    };
    let one_part =
        (p.0 == q.0 && (p.1 == q.1 || p.2 == q.2)) || (year_typo && p.1 == q.1 && p.2 == q.2);
    let near = |x: i64, y: i64, by: i64| (x - y).abs() <= by;
    let close = days <= 3
        || (p.0 == q.0 && p.2 == q.2 && near(p.1.into(), q.1.into(), 1))
        || (p.1 == q.1 && p.2 == q.2 && near(p.0.into(), q.0.into(), 1));
    // Every component equal or nearly so: two slips in one date (1974-07-22 / 1975-07-23).
    let nearly = near(p.0.into(), q.0.into(), 1)
        && near(p.1.into(), q.1.into(), 1)
        && near(p.2.into(), q.2.into(), 3);
    if close {
        DobLevel::Close
    } else if one_part || nearly {
        DobLevel::OneOff
    } else if days <= 366 {
        DobLevel::WithinYear
    } else {
        DobLevel::Differs
    }
}

fn dob(table: &Table, a: usize, b: usize, s: &mut Scored) {
    let Some((x, y)) = both(table, a, b, Field::Dob) else {
        return;
    };
    let col = table.column(Field::Dob);
    // A birthday without its year (`--10-03`) is shared by strangers 1 time in 365.
    if x == y {
        // u ~1/20,000 (birthdays over ~55 years), m 0.95; clamped like other fields.
        // Without the year: u 1/365.
        let w = if yearless(col.get(x)).is_some() {
            8.0
        } else {
            10.0
        };
        s.add(Field::Dob, Level::Exact, w);
        return;
    }
    // 0 = same date in another notation, else 1 + the DobLevel; 6 = same month and day
    // where one has no year, 7 = those swapped.
    let code = memo(table, (Field::Dob, x), (Field::Dob, y), || {
        let (vx, vy) = (col.get(x), col.get(y));
        match (dob_key(vx), dob_key(vy)) {
            (Some(p), Some(q)) if p == q => 0,
            (Some(p), Some(q)) => 1 + dob_level(p, q) as u8,
            _ => match (month_day(vx), month_day(vy)) {
                (Some(p), Some(q)) if p == q => 6,
                (Some(p), Some(q)) if p == (q.1, q.0) => 7,
                _ => 1 + DobLevel::Differs as u8,
            },
        }
    });
    // m for each slip ~0.03 in exported data; u as on each DobLevel.
    match code {
        0 => s.add(Field::Dob, Level::Exact, 10.0),
        1 => s.add(Field::Dob, Level::Swapped, 7.0),
        2 => s.add(Field::Dob, Level::Fuzzy, 6.0),
        3 => s.add(Field::Dob, Level::Partial, 3.0),
        4 => s.add(Field::Dob, Level::Partial, 1.0),
        // The day and month agree, the year is unknown on one side: m 0.95 / u 1/365.
        6 => s.add(Field::Dob, Level::Partial, 8.0),
        // Day and month swapped, no year to check: m 0.03 / u 1/365.
        7 => s.add(Field::Dob, Level::Swapped, 3.0),
        // Birth dates years apart: m 0.01 / u 0.97 — strong evidence against.
        _ => s.add(Field::Dob, Level::Differs, -6.0),
    }
}

fn phone(table: &Table, a: usize, b: usize, n: usize, s: &mut Scored) {
    let Some((x, y)) = both(table, a, b, Field::Phone) else {
        return;
    };
    let col = table.column(Field::Phone);
    if x == y {
        // A switchboard shared by colleagues is frequent and weighs less. A number given
        // with two given names (a nickname counting as its full name) is as often two
        // people's as one's: three bits less; with three or more it is a shared line,
        // saying little more than "same office".
        let w = tf_weight(0.85, col.count(x), n, 3.0, 11.0);
        let w = match table.holders(Field::Phone, x) {
            0 | 1 => w,
            2 => w - 3.0,
            _ => 1.0,
        };
        s.add(Field::Phone, Level::Exact, w.max(1.0));
        return;
    }
    // Phone keys are ASCII (E.164 or bare digits), so byte slicing is safe; `get` anyway.
    fn tail(p: &str) -> Option<&str> {
        p.len().checked_sub(7).and_then(|i| p.get(i..))
    }
    let (px, py) = (col.get(x), col.get(y));
    if tail(px).is_some() && tail(px) == tail(py) {
        // Same subscriber number, different prefix notation: m 0.05 / u 1e-4.
        s.add(Field::Phone, Level::Partial, 5.0);
    } else {
        // People own several phones: m 0.3 / u 1.
        s.add(Field::Phone, Level::Differs, -1.5);
    }
}

/// Scores the employer; returns whether it agrees (exactly or nearly).
fn company(table: &Table, a: usize, b: usize, n: usize, s: &mut Scored) -> bool {
    let Some((x, y)) = both(table, a, b, Field::Company) else {
        return false;
    };
    let col = table.column(Field::Company);
    if x == y {
        // Same employer is weak alone (colleagues); clamped low.
        s.add(
            Field::Company,
            Level::Exact,
            tf_weight(0.8, col.count(x), n, 2.0, 5.0),
        );
        return true;
    }
    let contains = |p: &str, q: &str| p.len() >= 4 && q.split(' ').any(|w| w == p);
    let similar = close(table, Field::Company, x, y, |cx, cy| {
        let near = jaro_winkler(cx, cy) >= 0.9
            || contains(cx, cy)
            || contains(cy, cx)
            || acronym(cx, cy)
            || acronym(cy, cx);
        near && digits(cx) == digits(cy)
    });
    if similar {
        s.add(Field::Company, Level::Fuzzy, 2.0);
    } else if work_domains_differ(table, a, b) {
        // Two employers, each with its own mail domain: namesakes at two companies, or
        // one person who changed jobs — a new contact in a B2B list (m 0.01 / u 1).
        s.add(Field::Company, Level::Differs, -7.0);
    } else {
        // Job changes, and names written too differently to recognise: m 0.03 / u 1.
        s.add(Field::Company, Level::Differs, -5.0);
    }
    similar
}

/// Whether `short` is one word made of the initials of `long`'s words ("ibm",
/// "international business machines").
fn acronym(short: &str, long: &str) -> bool {
    let words: Vec<&str> = long.split(' ').filter(|w| !w.is_empty()).collect();
    words.len() >= 2
        && !short.contains(' ')
        && short.chars().count() == words.len()
        && short.chars().zip(&words).all(|(c, w)| w.starts_with(c))
}

/// Whether both records have an address at a company domain (not free mail) and the
/// domains differ.
fn work_domains_differ(table: &Table, a: usize, b: usize) -> bool {
    let Some((x, y)) = both(table, a, b, Field::Email) else {
        return false;
    };
    let col = table.column(Field::Email);
    let domain = |sym| col.get(sym).rsplit_once('@').map_or("", |(_, d)| d);
    let (dx, dy) = (domain(x), domain(y));
    let work = |sym, d: &str| !d.is_empty() && !table.at_provider(sym);
    work(x, dx) && work(y, dy) && dx != dy
}

/// Fields with fixed weights for (exact, fuzzy, differs); fuzzy needs the same numbers.
fn simple(table: &Table, a: usize, b: usize, field: Field, w: (f32, f32, f32), s: &mut Scored) {
    let Some((x, y)) = both(table, a, b, field) else {
        return;
    };
    if x == y {
        s.add(field, Level::Exact, w.0);
        return;
    }
    // "Marktplatz 50" and "Marktplatz 71" are two addresses however close the letters.
    if close(table, field, x, y, |p, q| {
        jaro_winkler(p, q) >= 0.9 && digits(p) == digits(q)
    }) {
        s.add(field, Level::Fuzzy, w.1);
    } else {
        s.add(field, Level::Differs, w.2);
    }
}

/// City and postcode: frequency-adjusted exact agreement (m, lo, hi); a slip (one typo,
/// jumbled letters) weighs `fuzzy` — a mistyped town is rare among strangers, a postcode
/// one digit off is often the next district; a difference is weak evidence against
/// (people move). Agreement weighs at `most` that much.
#[allow(clippy::too_many_arguments)]
fn place(
    table: &Table,
    a: usize,
    b: usize,
    n: usize,
    field: Field,
    (m, lo, hi, fuzzy): (f32, f32, f32, f32),
    most: f32,
    s: &mut Scored,
) {
    let Some((x, y)) = both(table, a, b, field) else {
        return;
    };
    let col = table.column(field);
    if x == y {
        let w = tf_weight(m, col.count(x), n, lo, hi);
        s.add(field, Level::Exact, w.min(most));
    } else if close(table, field, x, y, |p, q| {
        (p.len().abs_diff(q.len()) <= 1 && damerau_levenshtein(p, q) <= 1) || same_letters(p, q)
    }) {
        s.add(field, Level::Fuzzy, fuzzy.min(most));
    } else {
        s.add(field, Level::Differs, -1.5);
    }
}

fn country(table: &Table, a: usize, b: usize, s: &mut Scored) {
    if let Some((x, y)) = both(table, a, b, Field::Country) {
        if x != y {
            // Most lists are one or a few countries, so agreement says little; people
            // rarely change country between two exports (m 0.06 / u 0.9).
            s.add(Field::Country, Level::Differs, -4.0);
        }
    }
}

fn other_id(table: &Table, a: usize, b: usize, s: &mut Scored) {
    let Some((x, y)) = both(table, a, b, Field::OtherId) else {
        return;
    };
    let col = table.column(Field::OtherId);
    if x == y {
        s.add(Field::OtherId, Level::Exact, 12.0);
    } else if damerau_levenshtein(col.get(x), col.get(y)) <= 1 {
        s.add(Field::OtherId, Level::Fuzzy, 4.0);
    } else {
        s.add(Field::OtherId, Level::Differs, -5.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::table::RawContact;

    fn person(first: &str, last: &str) -> RawContact {
        RawContact {
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..RawContact::default()
        }
    }

    fn pair(a: RawContact, b: RawContact) -> Scored {
        let mut t = Table::new();
        t.push(&a);
        t.push(&b);
        score(&t, 0, 1)
    }

    /// Fills `t` up to 1,000 contacts: `each` other people with the given name of `common`,
    /// as many with its surname, and people of unique names.
    fn fill(t: &mut Table, (first, last): (&str, &str), each: usize) {
        for i in 0..each {
            t.push(&person(first, &format!("Other{i}")));
            t.push(&person(&format!("Other{i}"), last));
        }
        while t.len() < 1000 {
            let i = t.len();
            t.push(&person(&format!("F{i}"), &format!("L{i}")));
        }
    }

    fn level(s: &Scored, field: &str) -> Option<Level> {
        s.reasons
            .iter()
            .find(|r| r.field.name() == field)
            .map(|r| r.level)
    }

    #[test]
    fn same_mailbox_in_other_spellings_is_a_likely_duplicate() {
        let mut a = person("Ann", "Smith");
        a.email_norm = Some("ann.smith@googlemail.com".into());
        let mut b = person("Ann", "Smith");
        b.email_norm = Some("annsmith+news@gmail.com".into());
        let s = pair(a, b);
        assert_eq!(level(&s, "email"), Some(Level::Exact));
        assert!(s.score >= LIKELY, "{s:?}");
    }

    #[test]
    fn nicknames_diacritics_and_typos_agree() {
        assert_eq!(
            level(
                &pair(person("Bob", "Miller"), person("Robert", "Miller")),
                "first_name"
            ),
            Some(Level::Nickname)
        );
        assert_eq!(
            level(
                &pair(person("Jörg", "Müller"), person("Jorg", "Mueller")),
                "last_name"
            ),
            Some(Level::Exact)
        );
        assert_eq!(
            level(
                &pair(person("Anna", "Schmidt"), person("Anna", "Schmitd")),
                "last_name"
            ),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            level(
                &pair(person("Anna", "Meier"), person("Anna", "Mayer")),
                "last_name"
            ),
            Some(Level::Phonetic)
        );
    }

    #[test]
    fn swapped_first_and_last_names_agree() {
        let s = pair(person("Wagner", "Julia"), person("Julia", "Wagner"));
        assert_eq!(level(&s, "first_name"), Some(Level::Swapped));
        assert!(s.score > 0.0);
    }

    #[test]
    fn a_surname_typed_into_the_first_name_box_still_agrees() {
        let a = RawContact {
            first_name: Some("Werner".into()),
            city: Some("Barcelona".into()),
            ..RawContact::default()
        };
        let mut b = person("Robert", "Werner");
        b.city = Some("Barcelona".into());
        let s = pair(a.clone(), b.clone());
        assert_eq!(level(&s, "first_name"), Some(Level::Swapped), "{s:?}");
        assert!(s.reasons.iter().all(|r| r.weight > 0.0), "{s:?}");
        // Either way round.
        assert_eq!(pair(b, a).score, s.score);
    }

    fn email_level(x: &str, y: &str) -> Option<Level> {
        email_level_at(None, x, y)
    }

    fn email_level_at(company: Option<&str>, x: &str, y: &str) -> Option<Level> {
        let mut a = person("Emma", "Bianchi");
        a.company = company.map(str::to_string);
        a.email_norm = Some(x.into());
        let mut b = a.clone();
        b.email_norm = Some(y.into());
        level(&pair(a, b), "email")
    }

    #[test]
    fn an_address_with_a_dot_left_out_or_a_digit_mistyped_is_a_typo() {
        assert_eq!(
            email_level("max.jones21@gmail.kcom", "maxjones21@gmail.com"),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            email_level("emma.bianchi53@t-online.de", "emma.bianchip3@t-online.de"),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            email_level("jdoe@fisher.org", "jode@fisher.org"),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            email_level("robert255@smith.net", "roberta25@smith.net"),
            Some(Level::Fuzzy)
        );
    }

    #[test]
    fn another_number_at_one_company_domain_is_a_colleague() {
        assert_eq!(
            email_level_at(
                Some("Solaris SARL"),
                "m.dubois2@solaris.fr",
                "m.dubois26@solaris.fr"
            ),
            Some(Level::Colleague)
        );
        // Without any company the shared domain may be a family's: just two addresses.
        assert_eq!(
            email_level("hannah@ellis.net", "h.ellis.1985@ellis.net"),
            Some(Level::Differs)
        );
        assert_eq!(
            email_level("emma.bianchi53@gmail.com", "emma.bianchi58@gmail.com"),
            Some(Level::Differs)
        );
    }

    #[test]
    fn two_house_numbers_in_one_street_are_two_addresses() {
        let street = |x: &str, y: &str| {
            let mut a = person("Lea", "Brown");
            a.street = Some(x.into());
            let mut b = a.clone();
            b.street = Some(y.into());
            level(&pair(a, b), "street")
        };
        assert_eq!(
            street("Marktplatz 50", "Marktplatz 71"),
            Some(Level::Differs)
        );
        assert_eq!(
            street("Marktplatz 50", "Markutplatz 50"),
            Some(Level::Fuzzy)
        );
    }

    #[test]
    fn missing_fields_are_neutral() {
        let mut a = person("Lena", "Vogt");
        a.city = Some("Köln".into());
        let b = person("Lena", "Vogt");
        let with_city = pair(a, b.clone()).score;
        let without = pair(person("Lena", "Vogt"), b).score;
        assert_eq!(with_city, without);
    }

    #[test]
    fn colleagues_at_one_company_are_not_duplicates() {
        let mut a = person("Marie", "Becker");
        a.company = Some("Bergblick AG".into());
        a.email_norm = Some("marie.becker@bergblick.ch".into());
        let mut b = person("Jonas", "Keller");
        b.company = Some("Bergblick".into());
        b.email_norm = Some("jonas.keller@bergblick.ch".into());
        let s = pair(a, b);
        assert_eq!(level(&s, "email"), Some(Level::Colleague));
        assert!(s.score < POSSIBLE, "{s:?}");
    }

    /// A B2B contact: name, work address, company, city.
    fn employee(first: &str, last: &str, email: &str, company: &str) -> RawContact {
        let mut c = person(first, last);
        c.email_norm = Some(email.into());
        c.company = Some(company.into());
        c.city = Some("Kraków".into());
        c
    }

    #[test]
    fn alike_mailboxes_of_two_colleagues_are_not_a_typo() {
        for (x, y, other_first, other_last) in [
            (
                "j.ostafin@wykret.pl",
                "n.ostafin@wykret.pl",
                "Nikodem",
                "Ostafin",
            ),
            (
                "leonards@fundacja.pl",
                "leonardg@fundacja.pl",
                "Leonard",
                "Golczyk",
            ),
        ] {
            let first = if other_first == "Nikodem" {
                "Justyna"
            } else {
                "Leonard"
            };
            let last = if other_last == "Golczyk" {
                "Straszak"
            } else {
                "Ostafin"
            };
            let s = pair(
                employee(first, last, x, "Wykret S.A."),
                employee(other_first, other_last, y, "Wykret S.A."),
            );
            assert_eq!(level(&s, "email"), Some(Level::Colleague), "{x} {y}");
            assert!(s.score < POSSIBLE, "{s:?}");
        }
        // The same person's mailbox with a slip still is one.
        let s = pair(
            employee("Justyna", "Ostafin", "j.ostafin@wykret.pl", "Wykret S.A."),
            employee("Justyna", "Ostafin", "j.ostafni@wykret.pl", "Wykret"),
        );
        assert_eq!(level(&s, "email"), Some(Level::Fuzzy));
        assert!(s.score >= LIKELY, "{s:?}");
    }

    #[test]
    fn namesakes_at_two_employers_are_not_duplicates() {
        // A fairly common name (1 % of the list each) in one city, at two companies.
        let mut t = Table::new();
        t.push(&employee(
            "Anna",
            "Nowak",
            "anna.nowak@santorio.pl",
            "Santorio Group",
        ));
        t.push(&employee(
            "Anna",
            "Nowak",
            "annan@segni.com",
            "Segni-Stoppani SPA",
        ));
        fill(&mut t, ("Anna", "Nowak"), 10);
        let s = score(&t, 0, 1);
        assert_eq!(level(&s, "company"), Some(Level::Differs));
        assert!(s.score < LIKELY, "{s:?}");
        // One company written as its initials is one employer.
        let s = pair(
            employee("Dante", "Gaiatto", "dante.gaiatto@ibm.com", "IBM"),
            employee(
                "Dante",
                "Gaiatto",
                "dante@gmail.com",
                "International Business Machines",
            ),
        );
        assert_eq!(level(&s, "company"), Some(Level::Fuzzy));
    }

    #[test]
    fn the_bars_rise_with_the_list() {
        assert_eq!(Thresholds::for_list(800).likely, LIKELY);
        assert_eq!(Thresholds::for_list(5000).possible, POSSIBLE);
        let big = Thresholds::for_list(100_000);
        assert!(
            (big.likely - (LIKELY + 20f32.log2())).abs() < 1e-4,
            "{big:?}"
        );
        assert!(
            (big.possible - (POSSIBLE + 20f32.log2())).abs() < 1e-4,
            "{big:?}"
        );
        // A unique value's weight may rise by as much, so it stays as decisive.
        let rise = 20f32.log2();
        assert!((tf_weight(0.9, 1, 100_000, 2.0, 8.0) - (8.0 + rise)).abs() < 1e-4);
        assert_eq!(tf_weight(0.9, 1, 5000, 2.0, 8.0), 8.0);
    }

    #[test]
    fn namesakes_addresses_at_one_provider_are_not_typos() {
        let named = |first: &str, last: &str, x: &str, y: &str| {
            let mut a = person(first, last);
            a.email_norm = Some(x.into());
            let mut b = a.clone();
            b.email_norm = Some(y.into());
            level(&pair(a, b), "email")
        };
        // A number where the other address has none, and the same name with and without
        // a separator: how a provider tells two people of one name apart.
        assert_eq!(
            named(
                "Aisha",
                "Sanchez",
                "aisha.sanchez@gmail.com",
                "aisha.sanchez3@gmail.com"
            ),
            Some(Level::Differs)
        );
        assert_eq!(
            named(
                "Oliver",
                "Weber",
                "oliver.weber@hotmail.com",
                "oliverweber@hotmail.com"
            ),
            Some(Level::Partial)
        );
        // A digit lost from a number, and separators left out of a mailbox that is more
        // than the name, still are typos.
        assert_eq!(
            named(
                "Emma",
                "Bianchi",
                "bianchi53@gmail.com",
                "bianchi3@gmail.com"
            ),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            named(
                "Max",
                "Jones",
                "max.jones.design@web.de",
                "maxjonesdesign@web.de"
            ),
            Some(Level::Fuzzy)
        );
        // The bare name at two providers says no more than the names do.
        let s = pair(
            employee(
                "Rahul",
                "Karlsson",
                "rahul.karlsson@icloud.com",
                "Northstar AG",
            ),
            employee(
                "Rahul",
                "Karlsson",
                "rahul.karlsson@outlook.com",
                "Northstar AG",
            ),
        );
        let w = s
            .reasons
            .iter()
            .find(|r| r.field == Field::Email)
            .map(|r| r.weight);
        assert_eq!(w, Some(1.0), "{s:?}");
    }

    #[test]
    fn mailboxes_numbered_apart_are_two_people_of_one_name() {
        let s = pair(
            employee("Ani", "Ferrán", "ani.ferran6@cordero.es", "Cordero S.L."),
            employee("Ani", "Ferrán", "ani.ferran7@cordero.es", "Cordero S.L."),
        );
        assert_eq!(level(&s, "email"), Some(Level::Colleague));
        // Not merged unasked; shown for review at most.
        assert!(s.score < LIKELY, "{s:?}");
    }

    #[test]
    fn a_full_name_found_at_three_employers_is_common_here() {
        let mut t = Table::new();
        for (i, company) in ["Masson", "Daniel", "Guyot"].iter().enumerate() {
            let email = format!("elodie.wagner{i}@gmail.com");
            t.push(&employee("Élodie", "Wagner", &email, company));
        }
        for i in 0..1000 {
            t.push(&person(&format!("F{i}"), &format!("L{i}")));
        }
        let s = score(&t, 0, 1);
        let names: f32 = s
            .reasons
            .iter()
            .filter(|r| matches!(r.field, Field::First | Field::Last))
            .map(|r| r.weight)
            .sum();
        // Three people in 1,003: the full name weighs log2(0.81 · 1003 / 3), not 8 + 10.
        assert!(
            (names - (0.81f32 * 1003.0 / 3.0).log2()).abs() < 0.01,
            "{s:?}"
        );
        assert!(s.score < LIKELY, "{s:?}");
    }

    #[test]
    fn a_switchboard_number_says_little_and_the_office_city_less() {
        let mut t = Table::new();
        for (first, last) in [("Adam", "Smith"), ("Kelly", "Smith"), ("Ravi", "Patel")] {
            let email = format!("{}@welch.co.uk", first.to_lowercase());
            let mut c = employee(first, last, &email, "Welch Group");
            c.phone = Some("+44 113 496 0801".into());
            t.push(&c);
        }
        let s = score(&t, 0, 1);
        let weight = |field| {
            s.reasons
                .iter()
                .find(|r| r.field.name() == field)
                .map(|r| r.weight)
        };
        assert!(weight("phone").is_some_and(|w| w <= 2.0), "{s:?}");
        assert!(weight("city").is_some_and(|w| w <= 1.0), "{s:?}");
        assert!(s.score < POSSIBLE, "{s:?}");
    }

    #[test]
    fn swapped_names_with_an_initial_agree() {
        let mut a = person("Monaco", "A.");
        let mut b = person("Alessia", "Monaco");
        for c in [&mut a, &mut b] {
            c.email_norm = Some("alessia.monaco@sauro.it".into());
        }
        let s = pair(a, b);
        assert_eq!(level(&s, "first_name"), Some(Level::Swapped));
        assert!(s.score >= LIKELY, "{s:?}");
    }

    #[test]
    fn different_birth_dates_outweigh_a_common_name_in_one_city() {
        let mut a = person("Thomas", "Müller");
        a.city = Some("Berlin".into());
        a.date_of_birth = Some("1980-04-02".into());
        let mut b = a.clone();
        b.date_of_birth = Some("1962-11-19".into());
        // A list where both names are common (3 % each), as they are in Germany.
        let mut t = Table::new();
        t.push(&a);
        t.push(&b);
        fill(&mut t, ("Thomas", "Müller"), 30);
        let s = score(&t, 0, 1);
        assert_eq!(level(&s, "date_of_birth"), Some(Level::Differs));
        assert!(s.score < LIKELY, "{s:?}");
    }

    /// The weight the date of birth added to a pair's score.
    fn dob_weight(s: &Scored) -> Option<f32> {
        s.reasons
            .iter()
            .find(|r| r.field == Field::Dob)
            .map(|r| r.weight)
    }

    fn dob_pair(x: &str, y: &str) -> Scored {
        let mut a = person("Eva", "Roth");
        a.date_of_birth = Some(x.into());
        let mut b = a.clone();
        b.date_of_birth = Some(y.into());
        pair(a, b)
    }

    #[test]
    fn a_birth_date_with_day_and_month_swapped_still_agrees() {
        let s = dob_pair("1980-04-02", "1980-02-04");
        assert_eq!(level(&s, "date_of_birth"), Some(Level::Swapped));
        assert!(s.reasons.iter().all(|r| r.weight > 0.0), "{s:?}");
    }

    /// Mailchimp keeps birthdays without a year: the same day and month agrees, a little
    /// less than a whole date does; another day is evidence against.
    #[test]
    fn a_birthday_without_its_year_agrees_on_day_and_month() {
        let weight = |s: &Scored| dob_weight(s).map(|w| (level(s, "date_of_birth"), w));
        assert_eq!(
            weight(&dob_pair("--10-03", "--10-03")),
            Some((Some(Level::Exact), 8.0))
        );
        assert_eq!(
            weight(&dob_pair("--10-03", "1980-10-03")),
            Some((Some(Level::Partial), 8.0))
        );
        assert_eq!(
            weight(&dob_pair("1980-03-10", "--10-03")),
            Some((Some(Level::Swapped), 3.0))
        );
        assert_eq!(
            weight(&dob_pair("--10-03", "--11-20")),
            Some((Some(Level::Differs), -6.0))
        );
        assert!(dob_pair("1980-10-03", "1980-10-03").score > dob_pair("--10-03", "--10-03").score);
    }

    #[test]
    fn a_birth_date_a_few_days_or_a_year_off_agrees() {
        for (x, y) in [
            ("1980-04-02", "1980-04-03"),
            ("1980-03-31", "1980-04-01"),
            ("1980-04-02", "1981-04-02"),
            ("1980-04-02", "1980-05-02"),
        ] {
            assert_eq!(
                level(&dob_pair(x, y), "date_of_birth"),
                Some(Level::Fuzzy),
                "{x} {y}"
            );
        }
    }

    #[test]
    fn a_birth_date_with_one_mistyped_part_agrees_a_little() {
        let s = dob_pair("1980-04-02", "1980-04-22");
        assert_eq!(level(&s, "date_of_birth"), Some(Level::Partial));
        let far = dob_pair("1980-04-02", "1986-04-22");
        assert_eq!(level(&far, "date_of_birth"), Some(Level::Differs));
        // One digit of the year mistyped agrees a little; a birthday 21 years apart is
        // another person's.
        let year = dob_pair("1950-07-22", "1958-07-22");
        assert_eq!(level(&year, "date_of_birth"), Some(Level::Partial));
        let namesake = dob_pair("1950-07-22", "1971-07-22");
        assert_eq!(level(&namesake, "date_of_birth"), Some(Level::Differs));
        assert!(namesake.score < year.score - 5.0, "{namesake:?}");
    }

    #[test]
    fn a_birth_date_months_off_counts_a_little_for_and_years_off_strongly_against() {
        let weight = dob_weight;
        let months = dob_pair("1980-04-02", "1980-09-20");
        let years = dob_pair("1980-04-02", "1986-09-20");
        assert_eq!(level(&months, "date_of_birth"), Some(Level::Partial));
        assert!(weight(&months) > Some(0.0), "{months:?}");
        assert!(weight(&years) < Some(-5.0), "{years:?}");
    }

    #[test]
    fn jumbled_letters_in_a_name_or_city_still_agree() {
        let fuzzy = |a: RawContact, b: RawContact, field| level(&pair(a, b), field);
        assert_eq!(
            fuzzy(
                person("oNah", "Watson"),
                person("Noah", "Watson"),
                "first_name"
            ),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            fuzzy(
                person("Oliver", "ynnollC"),
                person("Oliver", "Connolly"),
                "last_name"
            ),
            Some(Level::Fuzzy)
        );
        let mut a = person("Harry", "Taylor");
        a.city = Some("noLdo".into());
        let mut b = a.clone();
        b.city = Some("London".into());
        assert_eq!(fuzzy(a, b, "city"), Some(Level::Fuzzy));
        // Different names with letters in common are not jumbled copies.
        assert!(!same_letters("mark", "karin"));
        assert!(!same_letters("nina", "anna"));
        assert!(
            !same_letters("tom", "tomas"),
            "two letters more is another name"
        );
        assert!(!same_letters("jo", "oj"), "too short to tell");
        assert_eq!(
            fuzzy(person("Harry", "llH"), person("Harry", "Hill"), "last_name"),
            Some(Level::Fuzzy)
        );
    }

    #[test]
    fn an_address_with_slips_on_both_sides_of_the_at_is_a_typo() {
        let email = |x: &str, y: &str| {
            let mut a = person("Julia", "Taylor");
            a.email_norm = Some(x.into());
            let mut b = a.clone();
            b.email_norm = Some(y.into());
            level(&pair(a, b), "email")
        };
        assert_eq!(
            email("bromndonald@wccormick.inf", "browndonald@mccormick.info"),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            email("hannah88opowersc@m", "hannah88@powers.com"),
            Some(Level::Fuzzy)
        );
        assert_eq!(
            email("julia.taylor@web.de", "jt1979@posteo.de"),
            Some(Level::Differs)
        );
    }

    #[test]
    fn a_sub_address_tag_at_any_domain_is_one_mailbox() {
        let mut a = person("Lea", "Kowalski");
        a.email_norm = Some("lea.kowalski+news@solaris.fr".into());
        let mut b = a.clone();
        b.email_norm = Some("lea.kowalski@solaris.fr".into());
        let s = pair(a, b);
        assert_eq!(level(&s, "email"), Some(Level::Fuzzy));
        assert!(s.score >= LIKELY, "{s:?}");
    }

    #[test]
    fn one_persons_copies_do_not_make_their_mailbox_common() {
        let exact = |rows: &[RawContact]| {
            let mut t = Table::new();
            for r in rows {
                t.push(r);
            }
            score(&t, 0, 1)
                .reasons
                .iter()
                .find(|r| r.field == Field::Email)
                .map(|r| r.weight)
        };
        let with = |first: &str| {
            let mut c = person(first, "Taylor");
            c.email_norm = Some("office@taylor-family.net".into());
            c
        };
        let copies: Vec<RawContact> = (0..8).map(|_| with("Julia")).collect();
        let shared: Vec<RawContact> = ["Julia", "Tom", "Ben", "Ada", "Eve", "Max", "Ida", "Ole"]
            .into_iter()
            .map(with)
            .collect();
        assert!(
            exact(&copies) > exact(&shared),
            "{:?} {:?}",
            exact(&copies),
            exact(&shared)
        );
        assert!(exact(&copies) > Some(9.0));
    }

    #[test]
    fn phones_compare_in_e164() {
        let mut a = person("Eva", "Roth");
        a.phone = Some("+49 30 1234567".into());
        a.country = Some("DE".into());
        let mut b = a.clone();
        b.phone = Some("030 1234567".into());
        assert_eq!(level(&pair(a, b), "phone"), Some(Level::Exact));
    }

    #[test]
    fn the_explanation_adds_up_to_the_score() {
        let mut a = person("Eva", "Roth");
        a.email_norm = Some("eva@roth.de".into());
        a.city = Some("Bonn".into());
        let mut b = person("Eve", "Roth");
        b.email_norm = Some("eva@roth.de".into());
        b.city = Some("Köln".into());
        let s = pair(a, b);
        let sum: f32 = s.reasons.iter().map(|r| r.weight).sum();
        assert!((sum - s.score).abs() < 1e-4);
        let text = reasons_text(&s.reasons);
        assert!(text.contains("email exact +"), "{text}");
        assert!(text.contains("city differs -1.5"), "{text}");
    }
}
