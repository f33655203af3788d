//! Wall time of each pipeline stage, for `--verbose` and benchmarks.

use std::time::{Duration, Instant};

/// Wall time of each pipeline stage, for `--verbose` and benchmarks.
pub(crate) struct Timer {
    pub laps: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Timer {
    pub(crate) fn start() -> Timer {
        Timer {
            laps: Vec::new(),
            last: Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }

    /// A stage that ran beside the others, with its own wall time: the
    /// next lap still counts from the last one.
    pub(crate) fn beside(&mut self, name: &'static str, took: Duration) {
        self.laps.push((name, took));
    }
}
