//! Themes: semantic roles (what a piece of text *means*) mapped to terminal styles.
//!
//! Built-in themes are the files in `themes/`, embedded so the binary works anywhere; a file
//! of the same name in `$XDG_CONFIG_HOME/listwarden/themes/` overrides one, and a new name
//! adds one. Only the 16 ANSI colours are accepted, because the app runs over SSH in
//! terminals that may have nothing more. Under `NO_COLOR` the `mono` theme is forced: it
//! uses no colours at all, since crossterm's colour reset under `NO_COLOR` also resets
//! attributes and would wipe a reverse-video selection.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in themes, in the order the palette offers them.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// The theme used when none is asked for.
pub const DEFAULT_THEME: &str = "dark";
/// The theme `NO_COLOR` forces.
pub const NO_COLOR_THEME: &str = "mono";

/// How deep `parent` chains may go before we call it a cycle.
const MAX_PARENTS: usize = 8;

/// What a style is for. Widgets ask for a role, never for a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Base,
    Muted,
    Title,
    Focus,
    Selection,
    Match,
    Ok,
    Warn,
    Error,
    ScoreHigh,
    ScoreMid,
    ScoreLow,
    DiffAdd,
    DiffDel,
}

/// Problems with a theme file; reported to the user, never fatal once the app runs.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme `{name}` (available: {available})")]
    Unknown { name: String, available: String },
    #[error("theme {origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("theme `{name}`: parent chain is too deep or loops")]
    ParentLoop { name: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    parent: Option<String>,
    #[serde(default)]
    roles: BTreeMap<Role, StyleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

/// A resolved theme: every role has a style (roles a file leaves out fall back to its
/// parent, then to plain text).
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    roles: BTreeMap<Role, Style>,
}

impl Theme {
    /// The theme's name as the user picks it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style for `role`.
    pub fn style(&self, role: Role) -> Style {
        self.roles.get(&role).copied().unwrap_or_default()
    }

    /// Loads `name`, looking in the user's theme directory first, then the built-ins.
    pub fn load(name: &str) -> Result<Theme, ThemeError> {
        Self::load_from(name, user_theme_dir().as_deref())
    }

    /// Loads `name` with `dir` as the user's theme directory (tests pass their own).
    pub fn load_from(name: &str, dir: Option<&Path>) -> Result<Theme, ThemeError> {
        let mut chain = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(current) = next {
            if chain.len() >= MAX_PARENTS {
                return Err(ThemeError::ParentLoop {
                    name: name.to_string(),
                });
            }
            let (origin, source) = find_source(&current, dir)?;
            let file: ThemeFile = toml::from_str(&source).map_err(|e| ThemeError::Invalid {
                origin: origin.clone(),
                message: e.to_string(),
            })?;
            next = file.parent.clone();
            chain.push((origin, file));
        }
        let mut roles = BTreeMap::new();
        // Apply the root ancestor first so each child overrides what it names.
        for (origin, file) in chain.iter().rev() {
            for (role, spec) in &file.roles {
                let style = spec.to_style().map_err(|message| ThemeError::Invalid {
                    origin: origin.clone(),
                    message,
                })?;
                roles.insert(*role, style);
            }
        }
        Ok(Theme {
            name: name.to_string(),
            roles,
        })
    }

    /// Every theme the user can pick: built-ins plus the user's own files.
    pub fn available() -> Vec<String> {
        available_in(user_theme_dir().as_deref())
    }
}

/// Which theme to start with: `NO_COLOR` (set and non-empty) wins over everything, then
/// `--theme`, then the default.
pub fn choose(requested: Option<&str>, no_color: bool) -> &str {
    if no_color {
        NO_COLOR_THEME
    } else {
        requested.unwrap_or(DEFAULT_THEME)
    }
}

/// Whether the `NO_COLOR` convention asks for no colours (set and not empty).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn available_in(dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| n.to_string()).collect();
    if let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) {
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.extension().is_some_and(|x| x == "toml") {
                if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                    if !names.iter().any(|n| n == stem) {
                        names.push(stem.to_string());
                    }
                }
            }
        }
    }
    names
}

fn find_source(name: &str, dir: Option<&Path>) -> Result<(String, String), ThemeError> {
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid_name {
        if let Some(path) = dir.map(|d| d.join(format!("{name}.toml"))) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Ok((path.display().to_string(), text));
            }
        }
        if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
            return Ok((format!("`{name}` (built in)"), text.to_string()));
        }
    }
    Err(ThemeError::Unknown {
        name: name.to_string(),
        available: available_in(dir).join(", "),
    })
}

fn user_theme_dir() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("listwarden").join("themes"))
}

impl StyleSpec {
    fn to_style(&self) -> Result<Style, String> {
        let mut style = Style::default();
        if let Some(fg) = &self.fg {
            style = style.fg(parse_color(fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(parse_color(bg)?);
        }
        for name in &self.modifiers {
            style = style.add_modifier(parse_modifier(name)?);
        }
        Ok(style)
    }
}

fn parse_color(name: &str) -> Result<Color, String> {
    let color = match name
        .to_ascii_lowercase()
        .replace(['_', '-', ' '], "")
        .as_str()
    {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            return Err(format!(
                "colour `{name}` is not one of the 16 ANSI colours (black, red, green, yellow, \
                 blue, magenta, cyan, gray, darkgray, light…, white) or reset"
            ))
        }
    };
    Ok(color)
}

fn parse_modifier(name: &str) -> Result<Modifier, String> {
    let modifier = match name.to_ascii_lowercase().as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        _ => {
            return Err(format!(
                "modifier `{name}` is not one of bold, dim, italic, underlined, reversed, \
                 crossed_out"
            ))
        }
    };
    Ok(modifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_loads_and_only_uses_ansi_colours() {
        for (name, _) in BUILT_IN {
            let theme = Theme::load_from(name, None).unwrap();
            assert_eq!(theme.name(), *name);
            for style in theme.roles.values() {
                for c in [style.fg, style.bg].into_iter().flatten() {
                    assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{name}");
                }
            }
        }
    }

    #[test]
    fn mono_has_no_colour_at_all_and_a_visible_selection() {
        let theme = Theme::load_from("mono", None).unwrap();
        for style in theme.roles.values() {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme
            .style(Role::Selection)
            .add_modifier
            .contains(Modifier::REVERSED));
    }

    #[test]
    fn no_color_wins_over_the_requested_theme() {
        assert_eq!(choose(Some("dark"), true), "mono");
        assert_eq!(choose(Some("light"), false), "light");
        assert_eq!(choose(None, false), DEFAULT_THEME);
    }

    #[test]
    fn a_user_file_overrides_one_role_and_inherits_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "parent = \"dark\"\n[roles]\nerror = { fg = \"magenta\" }\n",
        )
        .unwrap();
        let mine = Theme::load_from("mine", Some(dir.path())).unwrap();
        let dark = Theme::load_from("dark", None).unwrap();
        assert_eq!(mine.style(Role::Error).fg, Some(Color::Magenta));
        assert_eq!(mine.style(Role::Selection), dark.style(Role::Selection));
        assert!(available_in(Some(dir.path())).contains(&"mine".to_string()));
    }

    #[test]
    fn bad_theme_files_get_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("rgb", "[roles]\nbase = { fg = \"#ff0000\" }\n", "16 ANSI"),
            ("role", "[roles]\nsparkle = { fg = \"red\" }\n", "sparkle"),
            ("loop", "parent = \"loop\"\n", "loops"),
            (
                "modifier",
                "[roles]\nbase = { modifiers = [\"blink\"] }\n",
                "blink",
            ),
        ];
        for (name, text, expected) in cases {
            std::fs::write(dir.path().join(format!("{name}.toml")), text).unwrap();
            let err = Theme::load_from(name, Some(dir.path()))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{name}: {err}");
        }
        let err = Theme::load_from("../etc/passwd", Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown theme"), "{err}");
    }
}
