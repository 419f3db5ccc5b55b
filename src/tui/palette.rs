//! The `:` command palette: fuzzy search (skim's algorithm) over everything the app can do,
//! with an argument after the command name where one is needed (`import PATH`).

use super::action::Action;
use super::input::LineInput;
use crate::import::Kind;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::path::PathBuf;

/// What choosing an entry does.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    /// Send this action.
    Action(Action),
    /// Import the file named by the argument.
    Import(Kind),
    /// Watch the folder named by the argument.
    Watch,
}

/// One command the palette offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub desc: String,
    /// Name of the argument the command takes, shown as `import PATH`.
    pub arg: Option<&'static str>,
    pub run: Run,
}

impl Entry {
    pub fn new(name: impl Into<String>, desc: impl Into<String>, run: Run) -> Self {
        Entry {
            name: name.into(),
            desc: desc.into(),
            arg: None,
            run,
        }
    }

    pub fn with_arg(mut self, arg: &'static str) -> Self {
        self.arg = Some(arg);
        self
    }

    /// How the entry is listed.
    pub fn label(&self) -> String {
        match self.arg {
            Some(arg) => format!("{} {arg}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The palette while it is open.
#[derive(Debug, Clone)]
pub struct Palette {
    pub input: LineInput,
    entries: Vec<Entry>,
    /// Indexes into `entries`, best match first.
    matches: Vec<usize>,
    pub selected: usize,
}

impl Palette {
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut palette = Palette {
            input: LineInput::new(""),
            entries,
            matches: Vec::new(),
            selected: 0,
        };
        palette.rematch();
        palette
    }

    /// The entries matching what was typed, best first.
    pub fn matches(&self) -> impl Iterator<Item = &Entry> {
        self.matches.iter().filter_map(|i| self.entries.get(*i))
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    /// Re-ranks the entries after the text changed. `import some/file.csv` matches the
    /// `import` entry by its name; anything else is fuzzy-matched on name and description.
    pub fn rematch(&mut self) {
        let query = self.input.value().trim_start().to_string();
        self.selected = 0;
        if let Some((head, rest)) = split_arg(&query) {
            if !rest.is_empty() {
                if let Some(i) = self
                    .entries
                    .iter()
                    .position(|e| e.arg.is_some() && e.name.eq_ignore_ascii_case(head))
                {
                    self.matches = vec![i];
                    return;
                }
            }
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                if query.trim().is_empty() {
                    return Some((0, i));
                }
                let name_score = matcher.fuzzy_match(&e.name, query.trim()).map(|s| s * 2);
                let full_score =
                    matcher.fuzzy_match(&format!("{} {}", e.name, e.desc), query.trim());
                name_score.max(full_score).map(|s| (s, i))
            })
            .collect();
        // Stable: equal scores keep the palette's own order.
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn move_selection(&mut self, down: bool) {
        let n = self.matches.len();
        if n == 0 {
            return;
        }
        self.selected = if down {
            (self.selected + 1) % n
        } else {
            (self.selected + n - 1) % n
        };
    }

    /// The action of the selected entry, or why it cannot run yet.
    pub fn choose(&self) -> Result<Action, String> {
        let entry = self
            .matches
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
            .ok_or_else(|| "no command matches".to_string())?;
        match &entry.run {
            Run::Action(action) => Ok(action.clone()),
            Run::Import(kind) => self.path_arg(entry).map(|p| Action::Import(p, *kind)),
            Run::Watch => self.path_arg(entry).map(Action::AddWatch),
        }
    }

    /// The path typed after `entry`'s name, or how to type it.
    fn path_arg(&self, entry: &Entry) -> Result<PathBuf, String> {
        let query = self.input.value().trim();
        let arg = split_arg(query)
            .filter(|(head, _)| head.eq_ignore_ascii_case(&entry.name))
            .map(|(_, rest)| rest)
            .unwrap_or("");
        if arg.is_empty() {
            Err(format!(
                "type  {} {}",
                entry.name,
                entry.arg.unwrap_or("ARG")
            ))
        } else {
            Ok(expand_home(arg))
        }
    }
}

fn split_arg(query: &str) -> Option<(&str, &str)> {
    query
        .split_once(char::is_whitespace)
        .map(|(head, rest)| (head, rest.trim()))
}

/// `~/x` → `$HOME/x`: the shell is not there to do it for a path typed into the palette.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Command;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn entries() -> Vec<Entry> {
        vec![
            Entry::new(
                "quit",
                "leave Listwarden",
                Run::Action(Action::Command(Command::Quit)),
            ),
            Entry::new(
                "help",
                "keys of this pane",
                Run::Action(Action::Command(Command::Help)),
            ),
            Entry::new(
                "import",
                "import a contacts file (or a ZIP of them)",
                Run::Import(Kind::Contacts),
            )
            .with_arg("PATH"),
            Entry::new(
                "theme light",
                "switch theme",
                Run::Action(Action::SetTheme("light".into())),
            ),
        ]
    }

    fn typed(text: &str) -> Palette {
        let mut p = Palette::new(entries());
        for c in text.chars() {
            p.input
                .handle(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        p.rematch();
        p
    }

    #[test]
    fn fuzzy_typing_finds_the_command() {
        let p = typed("thl");
        assert_eq!(
            p.matches().next().map(|e| e.name.as_str()),
            Some("theme light")
        );
        assert_eq!(p.choose(), Ok(Action::SetTheme("light".into())));
        assert_eq!(typed("").match_count(), 4);
        assert_eq!(typed("zzzz").match_count(), 0);
        assert!(typed("zzzz").choose().is_err());
    }

    #[test]
    fn import_takes_the_rest_as_its_path() {
        let p = typed("import data/my export.csv");
        assert_eq!(p.match_count(), 1);
        assert_eq!(
            p.choose(),
            Ok(Action::Import(
                PathBuf::from("data/my export.csv"),
                Kind::Contacts
            ))
        );
        let err = typed("imp").choose().unwrap_err();
        assert!(err.contains("import PATH"), "{err}");
    }

    #[test]
    fn selection_wraps() {
        let mut p = typed("");
        p.move_selection(false);
        assert_eq!(p.selected, 3);
        p.move_selection(true);
        assert_eq!(p.selected, 0);
    }
}
