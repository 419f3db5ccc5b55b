//! The Segments pane's work on the workers: reads answered from an [`Image`] the reader
//! keeps across requests (loaded once, reloaded when the workspace generation moves), and
//! saves, renames and deletes run by the writer through the segment store (which logs them).

use super::queries::{self, ContactRow};
use crate::clock::Clock;
use crate::segment::{
    self, breakdown, check_candidate, compile, compile_segment, sample, Column, Image, RuleError,
    SavedRules, Scope, SegmentError, Step,
};
use crate::workspace::Workspace;
use rusqlite::Connection;

/// How many most-common values of a field completion offers.
const TOP_VALUES: usize = 20;
/// How many matching contacts a count shows.
const SAMPLE: usize = 5;
/// How many past sizes a trend keeps.
const TREND: usize = 12;

/// A read for the Segments pane.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentRead {
    /// The saved segments with their member counts and trends.
    List,
    /// Count and explain `rule` as the editor holds it at `generation`; `name` is the saved
    /// segment being edited (empty for a new one), so a rule cannot refer to itself.
    Count {
        generation: u64,
        name: String,
        rule: String,
    },
    /// Field names, common values, tags and segment names, for completion.
    Vocabulary,
}

impl SegmentRead {
    pub fn key(&self) -> &'static str {
        match self {
            SegmentRead::List => "segment-list",
            SegmentRead::Count { .. } => "segment-count",
            SegmentRead::Vocabulary => "segment-vocabulary",
        }
    }
}

/// A saved segment as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRow {
    pub name: String,
    pub rule: String,
    pub members: i64,
    /// Member counts after the last refreshes that changed it, oldest first.
    pub trend: Vec<i64>,
}

/// What a rule matches right now.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub count: usize,
    /// Live contacts in the image.
    pub total: usize,
    pub steps: Vec<Step>,
    pub sample: Vec<ContactRow>,
    /// Over-segmentation warnings and likely typos (values or tags no contact has).
    pub warnings: Vec<String>,
}

/// Why a rule does not count: where, what was expected, and the likely intended name.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Byte offset into the rule.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Problem {
    fn of(rule: &str, error: &RuleError) -> Problem {
        let (line, column) = error.line_col(rule);
        Problem {
            offset: error.offset,
            line,
            column,
            message: error.message.clone(),
            suggestion: error.suggestion.clone(),
        }
    }
}

/// Words completion offers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vocabulary {
    pub fields: Vec<String>,
    /// Lower-cased field name and its most common values, most common first.
    pub values: Vec<(String, Vec<String>)>,
    pub tags: Vec<String>,
    pub segments: Vec<String>,
}

impl Vocabulary {
    /// The common values of `field` (any case).
    pub fn values_of(&self, field: &str) -> &[String] {
        let key = field.to_lowercase();
        self.values
            .iter()
            .find(|(f, _)| *f == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// The reader's answer to a [`SegmentRead`].
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentReply {
    List(Vec<SavedRow>),
    Count {
        generation: u64,
        outcome: Result<Counted, Problem>,
    },
    Vocabulary(Vocabulary),
}

/// A change for the writer.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentWrite {
    /// Saves `rule` as `name`; unless `replace`, refuses a name that exists.
    Save {
        name: String,
        rule: String,
        replace: bool,
    },
    Rename {
        old: String,
        new: String,
    },
    Delete {
        name: String,
    },
}

impl SegmentWrite {
    /// What the status bar calls the change.
    pub fn label(&self) -> String {
        match self {
            SegmentWrite::Save { name, .. } => format!("save segment {name}"),
            SegmentWrite::Rename { old, new } => format!("rename segment {old} to {new}"),
            SegmentWrite::Delete { name } => format!("delete segment {name}"),
        }
    }
}

/// The image the reader keeps between segment reads.
#[derive(Debug)]
pub struct SegmentCache {
    clock: Clock,
    image: Option<Image>,
}

impl Default for SegmentCache {
    fn default() -> Self {
        SegmentCache::new(Clock::system())
    }
}

impl SegmentCache {
    pub fn new(clock: Clock) -> Self {
        SegmentCache { clock, image: None }
    }

    /// The workspace clock the reader answers with.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The image, loaded on first use and reloaded when the workspace has changed since.
    fn image(&mut self, conn: &Connection) -> Result<&Image, SegmentError> {
        let current = match &self.image {
            Some(image) => image.is_current(conn)?,
            None => false,
        };
        if !current {
            self.image = None;
        }
        match &mut self.image {
            Some(image) => Ok(image),
            slot => Ok(slot.insert(Image::load(conn)?)),
        }
    }

    pub fn answer(
        &mut self,
        conn: &Connection,
        request: &SegmentRead,
    ) -> Result<SegmentReply, SegmentError> {
        match request {
            SegmentRead::List => list(conn).map(SegmentReply::List),
            SegmentRead::Count {
                generation,
                name,
                rule,
            } => {
                let now = self.clock.now_ts();
                let image = self.image(conn)?;
                Ok(SegmentReply::Count {
                    generation: *generation,
                    outcome: count(conn, image, name, rule, now)?,
                })
            }
            SegmentRead::Vocabulary => {
                let image = self.image(conn)?;
                let segments = segment::list(conn)?.into_iter().map(|s| s.name).collect();
                Ok(SegmentReply::Vocabulary(vocabulary(image, segments)))
            }
        }
    }
}

fn list(conn: &Connection) -> Result<Vec<SavedRow>, SegmentError> {
    segment::list(conn)?
        .into_iter()
        .map(|s| {
            let sizes = segment::sizes(conn, s.id)?;
            let skip = sizes.len().saturating_sub(TREND);
            Ok(SavedRow {
                trend: sizes.into_iter().skip(skip).map(|(_, n)| n).collect(),
                name: s.name,
                rule: s.rule,
                members: s.members,
            })
        })
        .collect()
}

fn count(
    conn: &Connection,
    image: &Image,
    name: &str,
    rule: &str,
    now: i64,
) -> Result<Result<Counted, Problem>, SegmentError> {
    if rule.trim().is_empty() {
        return Ok(Ok(Counted {
            count: image.len(),
            total: image.len(),
            steps: Vec::new(),
            sample: Vec::new(),
            warnings: Vec::new(),
        }));
    }
    let expr = match segment::parse(rule) {
        Ok(expr) => expr,
        Err(e) => return Ok(Err(Problem::of(rule, &e))),
    };
    let saved = SavedRules::load(conn)?;
    let compiled = if name.is_empty() {
        compile(&expr, image, &saved, now)
    } else {
        compile_segment(name, &expr, image, &saved, now)
    };
    let compiled = match compiled {
        Ok(c) => c,
        Err(e) => return Ok(Err(Problem::of(rule, &e))),
    };
    let steps = breakdown(&expr, image, &saved, now).map_err(|error| SegmentError::Rule {
        source_name: "rule".to_string(),
        rule: rule.to_string(),
        error,
    })?;
    let ids = sample(&compiled, image, SAMPLE);
    let shown_name = if name.is_empty() { "this rule" } else { name };
    let mut warnings: Vec<String> = compiled
        .notices
        .iter()
        .map(|n| n.render("rule", rule))
        .collect();
    warnings.extend(
        check_candidate(conn, image, shown_name, &compiled, now)?
            .iter()
            .map(ToString::to_string),
    );
    Ok(Ok(Counted {
        count: compiled.count(image),
        total: image.len(),
        steps,
        sample: queries::rows(conn, &ids)?,
        warnings,
    }))
}

fn vocabulary(image: &Image, segments: Vec<String>) -> Vocabulary {
    let values = image
        .builtin_fields
        .values()
        .chain(image.custom_fields.values())
        .filter(|f| matches!(f.column, Column::Text(_)))
        .map(|f| {
            let top = image.top_values(f, TOP_VALUES);
            (
                f.name.to_lowercase(),
                top.into_iter().map(|(v, _)| v).collect(),
            )
        })
        .collect();
    Vocabulary {
        fields: image.field_names().into_iter().map(String::from).collect(),
        values,
        tags: image.tag_names.clone(),
        segments,
    }
}

/// Runs one change on the writer; the summary or the error is what the user reads.
pub fn write(ws: &mut Workspace, change: &SegmentWrite) -> Result<String, String> {
    let done = match change {
        SegmentWrite::Save {
            name,
            rule,
            replace,
        } => save(ws, name, rule, *replace),
        SegmentWrite::Rename { old, new } => segment::rename(ws, old, new)
            .map(|()| format!("Renamed segment \"{}\" to \"{}\"", old, new.trim())),
        SegmentWrite::Delete { name } => {
            segment::delete(ws, name).map(|()| format!("Deleted segment \"{name}\""))
        }
    };
    done.map_err(|e| e.to_string())
}

fn save(ws: &mut Workspace, name: &str, rule: &str, replace: bool) -> Result<String, SegmentError> {
    if !replace && segment::get(ws.conn(), name).is_ok() {
        return Err(SegmentError::Exists(name.trim().to_string()));
    }
    let expr = segment::parse_rule("rule", rule)?;
    let image = Image::load_scoped(ws.conn(), &Scope::of([&expr]))?;
    let n = segment::save(ws, &image, name, rule)?;
    Ok(format!("Saved segment \"{}\": {n} members", name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::queries::tests::fixture;

    fn counted(cache: &mut SegmentCache, ws: &Workspace, rule: &str) -> Result<Counted, Problem> {
        let request = SegmentRead::Count {
            generation: 7,
            name: String::new(),
            rule: rule.to_string(),
        };
        match cache.answer(ws.conn(), &request).unwrap() {
            SegmentReply::Count {
                generation,
                outcome,
            } => {
                assert_eq!(generation, 7);
                outcome
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn counts_explain_and_point_at_errors_and_saves_show_in_the_list() {
        let (_dir, mut ws) = fixture();
        let mut cache = SegmentCache::default();
        let all = counted(&mut cache, &ws, "  ").unwrap();
        assert_eq!(all.count, 3);
        assert_eq!(all.total, 3);
        let some = counted(
            &mut cache,
            &ws,
            "email contains \"a\" and status = subscribed",
        )
        .unwrap();
        assert_eq!(some.steps.len(), 2);
        assert_eq!(some.sample.len(), some.count);
        let problem = counted(&mut cache, &ws, "contry = \"DE\"").unwrap_err();
        assert_eq!((problem.line, problem.column), (1, 1));
        assert_eq!(problem.suggestion.as_deref(), Some("country"));

        let save = SegmentWrite::Save {
            name: "Everyone".to_string(),
            rule: "email contains \"@\"".to_string(),
            replace: false,
        };
        assert!(write(&mut ws, &save)
            .unwrap()
            .contains("Saved segment \"Everyone\""));
        assert!(write(&mut ws, &save)
            .unwrap_err()
            .contains("already exists"));
        let rows = match cache.answer(ws.conn(), &SegmentRead::List).unwrap() {
            SegmentReply::List(rows) => rows,
            other => panic!("{other:?}"),
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "Everyone");
        // The image follows the workspace: the save is visible to `in segment`.
        let inside = counted(&mut cache, &ws, "in segment \"Everyone\"").unwrap();
        assert_eq!(inside.count, rows[0].members as usize);
        let delete = SegmentWrite::Delete {
            name: "Everyone".to_string(),
        };
        assert!(write(&mut ws, &delete).is_ok());
    }
}
