use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The outcome of judging a submission: the `verdict` field of `--json` and the names of the
/// `submissions/<verdict>/` folders (their serde names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    WrongAnswer,
    RaceDetected,
    TooSlow,
    TooMuchMemory,
    TimeLimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    RuntimeError,
    UndefinedBehavior,
    CompileError,
    JudgeError,
}

impl Verdict {
    pub const ALL: [Verdict; 12] = [
        Verdict::Accepted,
        Verdict::WrongAnswer,
        Verdict::RaceDetected,
        Verdict::TooSlow,
        Verdict::TooMuchMemory,
        Verdict::TimeLimitExceeded,
        Verdict::MemoryLimitExceeded,
        Verdict::OutputLimitExceeded,
        Verdict::RuntimeError,
        Verdict::UndefinedBehavior,
        Verdict::CompileError,
        Verdict::JudgeError,
    ];

    /// The snake_case name: the JSON value and the folder name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::WrongAnswer => "wrong_answer",
            Verdict::RaceDetected => "race_detected",
            Verdict::TooSlow => "too_slow",
            Verdict::TooMuchMemory => "too_much_memory",
            Verdict::TimeLimitExceeded => "time_limit_exceeded",
            Verdict::MemoryLimitExceeded => "memory_limit_exceeded",
            Verdict::OutputLimitExceeded => "output_limit_exceeded",
            Verdict::RuntimeError => "runtime_error",
            Verdict::UndefinedBehavior => "undefined_behavior",
            Verdict::CompileError => "compile_error",
            Verdict::JudgeError => "judge_error",
        }
    }

    /// Words for people.
    pub fn title(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::WrongAnswer => "wrong answer",
            Verdict::RaceDetected => "race detected",
            Verdict::TooSlow => "too slow",
            Verdict::TooMuchMemory => "too much memory",
            Verdict::TimeLimitExceeded => "time limit exceeded",
            Verdict::MemoryLimitExceeded => "memory limit exceeded",
            Verdict::OutputLimitExceeded => "output limit exceeded",
            Verdict::RuntimeError => "runtime error",
            Verdict::UndefinedBehavior => "undefined behavior",
            Verdict::CompileError => "compile error",
            Verdict::JudgeError => "judge error",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                format!(
                    "`{s}` is not a verdict; the verdicts are {}",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for v in Verdict::ALL {
            assert_eq!(v.as_str().parse::<Verdict>().unwrap(), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
            let back: Verdict = serde_json::from_value(serde_json::to_value(v).unwrap()).unwrap();
            assert_eq!(back, v);
        }
        assert!("accept"
            .parse::<Verdict>()
            .unwrap_err()
            .contains("wrong_answer"));
    }
}
