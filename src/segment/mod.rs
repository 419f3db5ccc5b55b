//! Segments: the rule language (lexer, parser, typed AST), the in-memory image counts run
//! over, saved segments with their dynamic membership, templates and insights.
//!
//! A rule is parsed once into an [`Expr`], compiled against an [`Image`] of the workspace
//! into a plan of column tests, tag bitmaps and event-window searches, and evaluated over
//! the image on every core. SQLite stays the source of truth; the image is rebuilt when the
//! maintenance log shows that something changed.

mod ast;
mod error;
mod lexer;
mod parser;

pub use ast::{
    Action, CmpOp, Cond, Duration, Expr, Field, Span, TextOp, Unit, Value, ValueKind, When, WhenOp,
};
pub use error::{RuleError, SegmentError};
pub use parser::parse;

#[cfg(test)]
mod tests;
