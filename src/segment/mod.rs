//! Segments: the rule language (lexer, parser, typed AST), the in-memory image counts run
//! over, saved segments with their dynamic membership, templates and insights.
//!
//! A rule is parsed once into an [`Expr`], compiled against an [`Image`] of the workspace
//! into a plan of column tests, tag bitmaps and event-window searches, and evaluated over
//! the image on every core. SQLite stays the source of truth; the image is rebuilt when the
//! maintenance log shows that something changed.

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
    Action, CmpOp, Cond, Duration, Expr, Field, Span, TextOp, Unit, Value, ValueKind, When, WhenOp,
};
pub use engine::{
    compile, compile_segment, count_bits, ids_of, Compiled, NoSegments, SegmentLookup,
};
pub use error::{RuleError, SegmentError};
pub use image::{
    builtin_field_names, generation, normalize, Column, FieldInfo, FieldType, Image, EVENT_TYPES,
    EXPORT_KIND, REFRESH_KIND, STATUSES,
};
pub use insight::{
    breakdown, check_candidate, check_saved, sample, Step, Warning, OVERLAP, TOO_SMALL,
};
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
