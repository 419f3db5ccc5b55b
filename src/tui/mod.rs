//! The full-screen app: `listwarden` with no subcommand.
//!
//! Event → action → state → render. The main thread owns the [`app::App`] and the terminal
//! and waits on one channel fed by the input thread and the workers (reader, writer,
//! watcher) plus a tick; after each event it drains whatever else is queued, then redraws
//! once — and only if something changed, to be kind to slow SSH links.

pub mod action;
pub mod app;
mod dedupe_jobs;
mod event;
mod fit;
mod import;
mod input;
pub mod jobs;
pub mod keymap;
mod layout;
mod maintenance;
mod palette;
pub mod panes;
pub mod queries;
pub mod segment_jobs;
mod terminal;
pub mod theme;
pub mod ui;

use crate::cli::Context;
use action::{Action, Effect, JobEvent};
use anyhow::Context as _;
use app::App;
use std::time::{Duration, Instant};
use theme::Theme;

/// Spinner and toast clock.
const TICK: Duration = Duration::from_millis(250);
/// How long quitting waits for a cancelled job to roll back.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

/// Opens the TUI on the workspace of `ctx`. `theme` is `--theme`; `NO_COLOR` overrides it.
pub fn run(ctx: &Context, theme: Option<String>) -> anyhow::Result<()> {
    let no_color = theme::no_color_requested();
    let theme = Theme::load(theme::choose(theme.as_deref(), no_color))?;
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut jobs = jobs::Jobs::start(ctx, tx.clone())?;
    let mut tui = terminal::Tui::enter().context("cannot set up the terminal")?;
    #[cfg(unix)]
    event::spawn_signals(tx.clone()).context("cannot watch for signals")?;
    event::spawn_input(tx);
    let mut app = App::new(
        ctx.db.display().to_string(),
        theme,
        no_color,
        panes::all(),
        tui.size()?,
    );
    let ticks = crossbeam_channel::tick(TICK);
    let mut effects = app.start();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Read(request) => jobs.read(request),
                Effect::Write(request) => jobs.write(request),
                Effect::Cancel(id) => jobs.cancel(id),
                Effect::LoadTheme(name) => {
                    app.apply_theme(Theme::load(&name).map_err(|e| e.to_string()))
                }
                Effect::Quit => {
                    wait_for_jobs(&mut app, &rx);
                    return Ok(());
                }
            }
        }
        if app.take_dirty() {
            tui.draw(|frame| ui::render(&app, frame))?;
        }
        let action = crossbeam_channel::select! {
            recv(rx) -> action => action.context("all event sources stopped")?,
            recv(ticks) -> _ => Action::Tick,
        };
        effects = app.update(action.clone());
        if let Action::Job(JobEvent::Finished { id, .. }) = action {
            jobs.finished(id);
        }
        while let Ok(action) = rx.try_recv() {
            if let Action::Job(JobEvent::Finished { id, .. }) = &action {
                jobs.finished(*id);
            }
            effects.extend(app.update(action));
        }
    }
}

/// After a quit with a cancelled job: give it a moment to roll back cleanly. (Were the
/// process to end first, SQLite would still discard the unfinished transaction.)
fn wait_for_jobs(app: &mut App, rx: &crossbeam_channel::Receiver<Action>) {
    let deadline = Instant::now() + SHUTDOWN_WAIT;
    while app.busy() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(action @ Action::Job(_)) => {
                app.update(action);
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}
