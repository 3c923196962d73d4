//! A progress bar on a terminal, silence in pipes.

use cartlift_core::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(
            None,
            if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
        );
        Bar { bar }
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        if total > 0 {
            self.bar.set_length(total);
            self.bar.set_position(0);
            self.bar.set_style(
                ProgressStyle::with_template("{msg:>20} [{bar:40}] {human_pos}/{human_len} ({eta})")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
        } else {
            self.bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"));
            self.bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        self.bar.set_message(name.to_string());
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
