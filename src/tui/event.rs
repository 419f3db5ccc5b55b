//! The input thread: blocks on the terminal and forwards keys and resizes as actions, so
//! the main loop can wait on input, jobs and ticks at once.

use super::action::Action;
use crossbeam_channel::Sender;
use crossterm::event::{self, Event, KeyEventKind};

/// Starts the input thread. It ends when the app stops listening.
pub fn spawn_input(out: Sender<Action>) {
    std::thread::spawn(move || loop {
        let action = match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Action::Key(key),
            Ok(Event::Resize(w, h)) => Action::Resize(w, h),
            Ok(_) => continue,
            // The terminal went away (SSH dropped): nothing more will come.
            Err(_) => {
                let _ = out.send(Action::Hangup);
                return;
            }
        };
        if out.send(action).is_err() {
            return;
        }
    });
}

/// On SIGTERM, SIGHUP or SIGQUIT: leave the way `q` would — cancel the running job (it
/// rolls back) and restore the terminal — instead of dying in raw mode.
#[cfg(unix)]
pub fn spawn_signals(out: Sender<Action>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = out.send(Action::Hangup);
        }
    });
    Ok(())
}
