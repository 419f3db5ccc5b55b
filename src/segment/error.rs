//! Errors of the rule language and of the segment store.

use crate::workspace::WorkspaceError;

/// A problem in a rule, at a byte offset of the rule text, with what was expected and, when
/// something close exists, the field, value, tag or segment name the user probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Byte offset into the rule text.
    pub offset: usize,
    pub message: String,
    /// The closest known name, shown as "did you mean ...?".
    pub suggestion: Option<String>,
}

impl RuleError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        RuleError {
            offset,
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// 1-based line and column (in characters) of the error in `text`.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let before = text.get(..self.offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The one-line message a user reads: `rule:1:14: expected ... — did you mean "country"?`,
    /// `source` naming where the rule came from (`rule`, a file name, a segment).
    pub fn render(&self, source: &str, text: &str) -> String {
        let (line, _) = self.line_col(text);
        self.render_on_line(source, line, text)
    }

    /// Like [`RuleError::render`] for a rule that is line `line` of file `source`.
    pub fn render_on_line(&self, source: &str, line: usize, text: &str) -> String {
        let (_, col) = self.line_col(text);
        match &self.suggestion {
            Some(s) => format!(
                "{source}:{line}:{col}: {} — did you mean \"{s}\"?",
                self.message
            ),
            None => format!("{source}:{line}:{col}: {}", self.message),
        }
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " — did you mean \"{s}\"?")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

/// What can go wrong working with segments.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// A rule that does not parse or does not fit the workspace; `rule` is its text so the
    /// message can point into it.
    #[error("{}", .error.render(.source_name, .rule))]
    Rule {
        source_name: String,
        rule: String,
        error: RuleError,
    },
    #[error("no segment named \"{name}\"{}", suggestion_suffix(.suggestion))]
    NotFound {
        name: String,
        suggestion: Option<String>,
    },
    #[error("a segment named \"{0}\" already exists; delete it first or pick another name")]
    Exists(String),
    #[error("a segment name cannot be empty")]
    EmptyName,
    #[error(
        "segment \"{name}\" is used by segment \"{used_by}\"; change or delete that one first"
    )]
    InUse { name: String, used_by: String },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("reading the workspace: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

fn suggestion_suffix(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" — did you mean \"{s}\"?"))
        .unwrap_or_default()
}

/// The known name closest to `input` (case-insensitive), if any is close enough to be a
/// plausible typo: Jaro-Winkler catches shared prefixes ("contry"), Damerau-Levenshtein
/// catches swapped letters in short words ("adn"), which Jaro-Winkler scores poorly.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let input = input.trim().to_lowercase();
    let max_edits = (input.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let jw = strsim::jaro_winkler(&input, &lower);
            let edits = strsim::damerau_levenshtein(&input, &lower);
            (jw >= 0.8 || edits <= max_edits).then_some((
                jw.max(strsim::normalized_damerau_levenshtein(&input, &lower)),
                c,
            ))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_line_and_column_with_a_suggestion() {
        let text = "status = subscribed and contry = \"DE\"";
        let e = RuleError::new(24, "unknown field \"contry\"").suggest(Some("country".into()));
        assert_eq!(
            e.render("rule", text),
            "rule:1:25: unknown field \"contry\" — did you mean \"country\"?"
        );
    }

    #[test]
    fn closest_ignores_far_names() {
        assert_eq!(
            closest("contry", ["country", "city"]),
            Some("country".into())
        );
        assert_eq!(closest("zzz", ["country", "city"]), None);
    }
}
