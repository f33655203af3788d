//! Wall time of each pipeline stage, for `--verbose` and benchmarks.

use std::time::{Duration, Instant};

/// Wall time of each pipeline stage, for `--verbose` and benchmarks.
pub struct Timer {
    pub laps: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Timer {
    pub fn start() -> Timer {
        Timer {
            laps: Vec::new(),
            last: Instant::now(),
        }
    }

    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
