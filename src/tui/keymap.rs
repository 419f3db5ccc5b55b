//! Keys → commands, per context. The help overlay and the hint bar are generated from these
//! same tables, so what a key does and what the screen says it does cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something a key can ask for. Contexts decide which commands their keys mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// `Ctrl-c`: cancel the running job, or quit when nothing runs.
    CancelOrQuit,
    CancelJob,
    Help,
    Palette,
    NextPane,
    PrevPane,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Filter,
    SortNext,
    SortReverse,
    Open,
    /// `Enter` in a text field or dialog.
    Accept,
    /// `Esc`: close, leave, clear.
    Back,
    Yes,
    No,
    // Segments pane.
    New,
    Edit,
    Rename,
    Duplicate,
    Delete,
    Save,
    Complete,
    /// Step a list's kind filter to the next kind.
    CycleKind,
    /// Step a list's user filter to the next user.
    CycleUser,
    /// Undo the selected change.
    Undo,
    // Audit pane
    /// Apply the suggested fix to the selected contact.
    Fix,
    FixAll,
    Suppress,
    SuppressAll,
    Ignore,
    /// Erase a contact for good (asks first).
    Forget,
    Rerun,
    // Duplicates pane: one key per decision.
    Merge,
    NotDuplicate,
    Skip,
    SwapSurvivor,
    PickLeft,
    PickRight,
    Scan,
    BulkMerge,
}

/// One key chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    pub const fn char(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    pub const fn code(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// The chord of a key event, with Shift folded into the character (terminals disagree
    /// on whether `G` or `?` carry SHIFT). Key releases and repeats of non-press kinds are
    /// not chords.
    pub fn of(event: &KeyEvent) -> Option<Key> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if event.code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        Some(Key {
            code: event.code,
            mods,
        })
    }

    /// How the key is written in help and hints.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// Keys, what they do, and how help and the hint bar describe them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    /// The line in the help overlay.
    pub desc: &'static str,
    /// The short word in the hint bar; `None` keeps the binding out of the bar.
    pub hint: Option<&'static str>,
}

impl Binding {
    /// All keys of the binding as help shows them: `j/↓`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The command `event` means in a context made of `tables`, first table first.
pub fn lookup(tables: &[&[Binding]], event: &KeyEvent) -> Option<Command> {
    let key = Key::of(event)?;
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|b| b.keys.contains(&key))
        .map(|b| b.command)
}

const fn bind(
    keys: &'static [Key],
    command: Command,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        command,
        desc,
        hint,
    }
}

/// Keys that work everywhere outside text fields and dialogs.
pub const GLOBAL: &[Binding] = &[
    bind(
        &[Key::char('?')],
        Command::Help,
        "help for this pane",
        Some("help"),
    ),
    bind(
        &[Key::char(':')],
        Command::Palette,
        "commands: import, theme…",
        Some("commands"),
    ),
    bind(
        &[Key::code(KeyCode::Tab)],
        Command::NextPane,
        "next pane",
        None,
    ),
    bind(
        &[Key::code(KeyCode::BackTab)],
        Command::PrevPane,
        "previous pane",
        None,
    ),
    bind(
        &[Key::char('x')],
        Command::CancelJob,
        "cancel the running job",
        None,
    ),
    bind(
        &[Key::ctrl('c')],
        Command::CancelOrQuit,
        "cancel job, else quit",
        None,
    ),
    bind(
        &[Key::char('q')],
        Command::Quit,
        "quit (asks if a job runs)",
        Some("quit"),
    ),
];

/// Moving through a list; shared by every pane with rows.
pub const LIST_MOTION: &[Binding] = &[
    bind(
        &[Key::char('j'), Key::code(KeyCode::Down)],
        Command::Down,
        "down one row",
        Some("move"),
    ),
    bind(
        &[Key::char('k'), Key::code(KeyCode::Up)],
        Command::Up,
        "up one row",
        None,
    ),
    bind(
        &[Key::char('g'), Key::code(KeyCode::Home)],
        Command::Top,
        "first row",
        None,
    ),
    bind(
        &[Key::char('G'), Key::code(KeyCode::End)],
        Command::Bottom,
        "last row",
        None,
    ),
    bind(
        &[Key::code(KeyCode::PageDown)],
        Command::PageDown,
        "page down",
        None,
    ),
    bind(
        &[Key::code(KeyCode::PageUp)],
        Command::PageUp,
        "page up",
        None,
    ),
    bind(
        &[Key::ctrl('d')],
        Command::HalfPageDown,
        "half a page down",
        None,
    ),
    bind(
        &[Key::ctrl('u')],
        Command::HalfPageUp,
        "half a page up",
        None,
    ),
];

/// A single-line text field (filter, palette): everything else is typed into it.
pub const TEXT_FIELD: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Enter)],
        Command::Accept,
        "accept",
        Some("accept"),
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "cancel",
        Some("cancel"),
    ),
];

/// The command palette: a text field plus moving through the matches.
pub const PALETTE: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Enter)],
        Command::Accept,
        "run the command",
        Some("run"),
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Command::Back,
        "close",
        Some("close"),
    ),
    bind(
        &[Key::code(KeyCode::Down), Key::ctrl('n')],
        Command::Down,
        "next match",
        Some("choose"),
    ),
    bind(
        &[Key::code(KeyCode::Up), Key::ctrl('p')],
        Command::Up,
        "previous match",
        None,
    ),
];

/// The help overlay.
pub const HELP: &[Binding] = &[
    bind(
        &[Key::code(KeyCode::Esc), Key::char('?'), Key::char('q')],
        Command::Back,
        "close help",
        Some("close"),
    ),
    bind(
        &[Key::char('j'), Key::code(KeyCode::Down)],
        Command::Down,
        "scroll down",
        None,
    ),
    bind(
        &[Key::char('k'), Key::code(KeyCode::Up)],
        Command::Up,
        "scroll up",
        None,
    ),
];

/// A yes/no question.
pub const CONFIRM: &[Binding] = &[
    bind(&[Key::char('y')], Command::Yes, "yes", Some("yes")),
    bind(
        &[Key::char('n'), Key::code(KeyCode::Esc)],
        Command::No,
        "no",
        Some("no"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn shifted_characters_match_without_the_shift_flag() {
        let g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[LIST_MOTION], &g), Some(Command::Bottom));
        let help = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[GLOBAL], &help), Some(Command::Help));
    }

    #[test]
    fn earlier_tables_win_and_ctrl_is_distinct() {
        let d = press(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&[LIST_MOTION], &d), Some(Command::HalfPageDown));
        let plain_d = press(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(lookup(&[LIST_MOTION], &plain_d), None);
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(&[HELP, GLOBAL], &q), Some(Command::Back));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for table in [GLOBAL, LIST_MOTION, TEXT_FIELD, PALETTE, HELP, CONFIRM] {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }

    #[test]
    fn labels_read_like_the_docs() {
        assert_eq!(Key::ctrl('d').label(), "Ctrl-d");
        assert_eq!(LIST_MOTION[0].keys_label(), "j/↓");
    }
}
