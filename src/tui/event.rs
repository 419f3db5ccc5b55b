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
