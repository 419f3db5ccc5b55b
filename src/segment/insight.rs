//! What the Segments pane shows beside a rule: how many contacts each top-level condition
//! keeps, a sample of matching contacts, and warnings against over-segmentation.

use super::ast::Expr;
use super::engine::{compile, count_bits, Compiled, SegmentLookup};
use super::error::{RuleError, SegmentError};
use super::image::Image;
use super::store::{list, SavedRules};
use rusqlite::Connection;
use serde::Serialize;

/// Below this many members a segment is flagged as too small: a send to fewer people
/// cannot show a difference in open or click rates that is more than noise.
pub const TOO_SMALL: usize = 100;

/// Above this share of its members inside another segment, a segment is flagged as
/// overlapping: it adds little beside the other one.
pub const OVERLAP: f64 = 0.9;

/// One step of the breakdown: the clause and how many contacts match it and every clause
/// before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub clause: String,
    pub cumulative: usize,
}

/// The cumulative count of each top-level `and` clause of `expr`, in order; a rule that is
/// not an `and` is one clause.
pub fn breakdown(
    expr: &Expr,
    image: &Image,
    segments: &dyn SegmentLookup,
    now: i64,
) -> Result<Vec<Step>, RuleError> {
    let clauses: Vec<&Expr> = match expr {
        Expr::And(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut acc: Option<Vec<u64>> = None;
    let mut steps = Vec::new();
    for clause in clauses {
        let bits = compile(clause, image, segments, now)?.bits(image);
        let next = match acc {
            Some(prev) => prev.into_iter().zip(bits).map(|(a, b)| a & b).collect(),
            None => bits,
        };
        steps.push(Step {
            clause: match clause {
                Expr::Or(_) => format!("({clause})"),
                _ => clause.to_string(),
            },
            cumulative: count_bits(&next),
        });
        acc = Some(next);
    }
    Ok(steps)
}

/// Up to `n` matching contact ids, spread evenly over the matches (not just the oldest
/// ids), so the sample shows the segment's variety.
pub fn sample(compiled: &Compiled, image: &Image, n: usize) -> Vec<i64> {
    let ids = compiled.members(image);
    if ids.len() <= n {
        return ids;
    }
    (0..n)
        .filter_map(|k| ids.get(k * ids.len() / n).copied())
        .collect()
}

/// A reason to reconsider a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Warning {
    /// Fewer than [`TOO_SMALL`] members.
    TooSmall { segment: String, members: usize },
    /// More than [`OVERLAP`] of `segment`'s members are also in `other`.
    Overlaps {
        segment: String,
        other: String,
        share: f64,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::TooSmall { segment, members } => write!(
                f,
                "\"{segment}\" has {members} members: too few for results to be more than noise (fewer than {TOO_SMALL})"
            ),
            Warning::Overlaps { segment, other, share } => write!(
                f,
                "{:.0}% of \"{segment}\" is also in \"{other}\": consider merging them or sending to \"{other}\"",
                share * 100.0
            ),
        }
    }
}

/// Warnings for a candidate segment (`name`, `bits`) against the saved ones.
fn warnings_for(name: &str, bits: &[u64], saved: &[(String, Vec<u64>)]) -> Vec<Warning> {
    let members = count_bits(bits);
    let mut out = Vec::new();
    if members < TOO_SMALL {
        out.push(Warning::TooSmall {
            segment: name.to_string(),
            members,
        });
    }
    if members == 0 {
        return out;
    }
    for (other, other_bits) in saved {
        if other.eq_ignore_ascii_case(name) {
            continue;
        }
        let shared: usize = bits
            .iter()
            .zip(other_bits)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum();
        let share = shared as f64 / members as f64;
        if share > OVERLAP {
            out.push(Warning::Overlaps {
                segment: name.to_string(),
                other: other.clone(),
                share,
            });
        }
    }
    out
}

/// Every saved segment's current members as bits, skipping rules that no longer compile.
fn saved_bits(
    conn: &Connection,
    image: &Image,
    now: i64,
) -> Result<Vec<(String, Vec<u64>)>, SegmentError> {
    let rules = SavedRules::load(conn)?;
    Ok(list(conn)?
        .into_iter()
        .filter_map(|s| {
            let expr = super::parse(&s.rule).ok()?;
            let compiled =
                super::engine::compile_segment(&s.name, &expr, image, &rules, now).ok()?;
            Some((s.name, compiled.bits(image)))
        })
        .collect())
}

/// Over-segmentation warnings for a rule being edited under the name `name`.
pub fn check_candidate(
    conn: &Connection,
    image: &Image,
    name: &str,
    compiled: &Compiled,
    now: i64,
) -> Result<Vec<Warning>, SegmentError> {
    Ok(warnings_for(
        name,
        &compiled.bits(image),
        &saved_bits(conn, image, now)?,
    ))
}

/// Over-segmentation warnings for every saved segment.
pub fn check_saved(
    conn: &Connection,
    image: &Image,
    now: i64,
) -> Result<Vec<Warning>, SegmentError> {
    let saved = saved_bits(conn, image, now)?;
    Ok(saved
        .iter()
        .flat_map(|(name, bits)| warnings_for(name, bits, &saved))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::engine_tests::{fixture, NOW};
    use crate::segment::{parse, save, NoSegments};

    #[test]
    fn breakdown_counts_each_clause_cumulatively() {
        let (_dir, ws) = fixture();
        let image = Image::load(ws.conn()).unwrap();
        let expr =
            parse("status = subscribed and (country = DE or country = AT) and opened in 30d")
                .unwrap();
        let steps = breakdown(&expr, &image, &NoSegments, NOW).unwrap();
        let counts: Vec<usize> = steps.iter().map(|s| s.cumulative).collect();
        assert_eq!(counts, vec![3, 3, 1]);
        assert_eq!(steps[1].clause, "(country = DE or country = AT)");
    }

    #[test]
    fn sample_spreads_over_the_matches() {
        let (_dir, ws) = fixture();
        let image = Image::load(ws.conn()).unwrap();
        let compiled = compile(
            &parse("status != bounced").unwrap(),
            &image,
            &NoSegments,
            NOW,
        )
        .unwrap();
        assert_eq!(sample(&compiled, &image, 2), vec![1, 3]);
        assert_eq!(sample(&compiled, &image, 10), vec![1, 2, 3, 4, 7]);
    }

    #[test]
    fn small_and_overlapping_segments_are_flagged() {
        let (_dir, mut ws) = fixture();
        let image = Image::load(ws.conn()).unwrap();
        save(&mut ws, &image, "Subscribed", "status = subscribed").unwrap();
        save(&mut ws, &image, "Germans", "country = DE").unwrap();
        let warnings = check_saved(ws.conn(), &image, NOW).unwrap();
        assert!(
            warnings.contains(&Warning::Overlaps {
                segment: "Germans".into(),
                other: "Subscribed".into(),
                share: 1.0
            }),
            "{warnings:?}"
        );
        assert!(!warnings
            .iter()
            .any(|w| matches!(w, Warning::Overlaps { segment, .. } if segment == "Subscribed")));
        assert!(warnings.contains(&Warning::TooSmall {
            segment: "Subscribed".into(),
            members: 3
        }));
        let text = warnings[0].to_string();
        assert!(
            text.contains("too few") || text.contains("also in"),
            "{text}"
        );
    }
}
