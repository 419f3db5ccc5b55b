//! Segments: the rule language (lexer, parser, typed AST), the in-memory image counts run
//! over, saved segments with their dynamic membership, templates and insights.
//!
//! A rule is parsed once into an [`Expr`], compiled against an [`Image`] of the workspace
//! into a plan of column tests, tag lists and event-window searches, and evaluated over
//! the image on every core. SQLite stays the source of truth; the image is rebuilt when the
//! maintenance log shows that something changed ([`generation`]).
//!
//! # The rule language
//! ```text
//! status = subscribed and country in ("DE", "AT", "CH")
//! job_title contains "market"     email ends_with "@gmail.com"    company is not empty
//! created_at before 2025-01-01    created_at within 30d           last_open_at before 6m
//! tag "vip"                       not tag "test"                  in segment "Engaged"
//! opened >= 3 in 90d              clicked in 30d                  not opened in 180d
//! purchased >= 2 in 180d          spent >= 100 in 365d            visited "/pricing" >= 2 in 14d
//! added_to_cart in 2d and not purchased in 2d                     (a or b) and not c
//! "Industry" = "Retail"           "Employees" >= 50               "Newsletter" = yes
//! birthday within 7d              birthday is not empty
//! ```
//! - `and` binds tighter than `or`; `not` applies to the condition after it; keywords are
//!   case-insensitive.
//! - Fields: the contact columns by name (`email`, `first_name`, `country`, `status`,
//!   `lifecycle_stage`, `open_count`, `total_spent`, `last_open_at`, ...). `created_at` is
//!   when the contact joined the list: the platform's opt-in date (`subscribed_at`), else
//!   when Listwarden first saw it. Custom fields are written in quotes and compare by their
//!   type: numbers numerically, dates as dates, yes/no fields with `yes`/`no`/`true`/`false`.
//! - Text comparisons ignore case and surrounding whitespace; `<`/`>` on text compare
//!   alphabetically, or numerically against a number. `!=` and `not` include empty values.
//!   A lifecycle stage matches by any of its names: `lifecycle_stage = mql` finds HubSpot's
//!   "Marketing Qualified Lead" and its API's "marketingqualifiedlead" (likewise `sql`).
//! - Dates: `2025-01-31` is a UTC calendar day: `before` is earlier than that day, `after`
//!   later than it, `=` on it. `before 30d` / `after 30d` compare with that long ago,
//!   `within 30d` is between then and now. Units: `d` days, `w` weeks, `m` 30-day months,
//!   `y` 365-day years (fixed lengths, so a window means the same whatever today is).
//! - Birthdays: `birthday` is the day and month of `date_of_birth`, with or without the
//!   year (Mailchimp keeps none). `birthday within 7d` is a birthday today or in the six
//!   days after, across the new year; in a year without 29 February, those born on it
//!   have theirs on the 28th. `birthday is empty` / `is not empty` work as for any field;
//!   nothing else compares with it.
//! - Behaviour: `VERB [op N] [in WINDOW]` counts the contact's events of that type in the
//!   window ending now (`> now - window`, `<= now`); without `op N` it means at least one,
//!   without a window all events up to now. Verbs: `opened`, `clicked`, `purchased`,
//!   `added_to_cart`, `bounced`, `unsubscribed`, `complained`, `visited "text"` (page
//!   views whose URL contains the text). `spent op AMOUNT [in WINDOW]` sums purchase
//!   amounts, compared to the cent. Events of merged-away records count for the survivor.
//! - "Now" is `--now` / `LISTWARDEN_NOW` when given, else the clock.
//! - `in segment "Name"` uses a saved segment's rule; a rule may not refer to itself,
//!   directly or through other segments.

mod ast;
mod engine;
mod error;
mod image;
mod insight;
mod lexer;
mod parser;
mod store;
mod templates;

pub use ast::{
    is_reserved, Action, CmpOp, Cond, Duration, Expr, Field, Span, TextOp, Unit, Value, ValueKind,
    When, WhenOp,
};
pub use engine::{
    compile, compile_segment, count_bits, ids_of, Compiled, NoSegments, SegmentLookup,
};
pub use error::{RuleError, SegmentError};
pub use image::{
    builtin_field_names, generation, normalize, Column, Dict, FieldInfo, FieldType, Image, Scope,
    EVENT_TYPES, EXPORT_KIND, REFRESH_KIND, STATUSES,
};
pub use insight::{
    breakdown, check_candidate, check_saved, sample, Step, Warning, OVERLAP, TOO_SMALL,
};
pub use lexer::{lex, Tok, Token};
pub use parser::parse;
pub use store::{
    delete, get, list, members, parse_rule, prepare, refresh_all, refresh_with, rename, save,
    sizes, MembershipChange, Saved, SavedRules,
};
pub use templates::{Template, TEMPLATES};

#[cfg(test)]
pub(crate) mod engine_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
