//! The one place that decides exit codes.

/// How a run ended, as the process exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing at or above the failure threshold, and everything was read.
    Pass,
    /// Findings at or above the threshold (the gate failed).
    Findings,
    /// The command line or a configuration file is wrong.
    Usage,
    /// Something could not be read or done; the results are incomplete.
    Runtime,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Pass => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Runtime => 3,
        }
    }

    /// The status of a completed scan: findings over the threshold fail it; otherwise anything that
    /// could not be read makes it a runtime error, never a pass.
    pub fn of_scan(findings_over_threshold: usize, errors: usize) -> Self {
        if findings_over_threshold > 0 {
            ExitStatus::Findings
        } else if errors > 0 {
            ExitStatus::Runtime
        } else {
            ExitStatus::Pass
        }
    }
}

/// An error that stops a command, with the exit status it means.
#[derive(Debug)]
pub struct Failure {
    pub status: ExitStatus,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            status: ExitStatus::Usage,
            error: error.into(),
        }
    }

    pub fn runtime(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            status: ExitStatus::Runtime,
            error: error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_with_unreadable_input_is_never_clean() {
        assert_eq!(ExitStatus::of_scan(0, 0), ExitStatus::Pass);
        assert_eq!(ExitStatus::of_scan(0, 1), ExitStatus::Runtime);
        assert_eq!(ExitStatus::of_scan(2, 1), ExitStatus::Findings);
    }
}
