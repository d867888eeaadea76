//! Deterministic simulation of a cluster's network: fault levels, the fault schedule
//! (partitions and paused nodes as intervals of virtual time), the message-sequence diagram
//! of a run. A distributed exercise's suite (`exercises/distributed-cache/suite.rs`) drives
//! its nodes through [`crate::Subject::open_nodes`] and [`crate::Subject::call_nodes`], each
//! node its own sandbox instance, and uses these parts for the network between them.

use std::fmt::Write as _;

/// The simulation's PRNG: the judge's one SplitMix64, so a seed's run never changes.
pub type Rng = judge_core::SplitMix64;

/// How hostile the network is. Each level includes the faults of the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Every message arrives, after 1-10 ms (so messages still overtake each other).
    None,
    /// Messages are delayed 1-40 ms with occasional spikes up to 300 ms, 15% are lost and
    /// 5% arrive twice.
    Loss,
    /// As `Loss`, plus partitions that come and heal and nodes that pause (a crash that keeps
    /// the node's memory, like a stopped process or a long collection pause): a paused node
    /// runs nothing, messages to it are lost, and its timers fire when it resumes.
    Chaos,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::None, Level::Loss, Level::Chaos];

    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Loss => "loss",
            Level::Chaos => "partitions+pauses",
        }
    }

    /// What happens to one message sent at this level: `None` if it is lost, else its
    /// delays (one, or two for a duplicate).
    pub fn fate(self, rng: &mut Rng) -> Option<Vec<u64>> {
        match self {
            Level::None => Some(vec![rng.range(1, 10)]),
            Level::Loss | Level::Chaos => {
                if rng.chance(15, 100) {
                    return None;
                }
                let delay = |rng: &mut Rng| {
                    if rng.chance(1, 20) {
                        rng.range(40, 300)
                    } else {
                        rng.range(1, 40)
                    }
                };
                let first = delay(rng);
                if rng.chance(5, 100) {
                    let second = delay(rng);
                    Some(vec![first, second])
                } else {
                    Some(vec![first])
                }
            }
        }
    }
}

/// One scheduled fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// From `from` to `to` (ms), nodes with `side[n]` true cannot exchange messages with the
    /// others.
    Partition { from: u64, to: u64, side: Vec<bool> },
    /// Node `node` runs nothing from `from` to `to` (ms).
    Pause { node: usize, from: u64, to: u64 },
}

impl Fault {
    pub fn describe(&self) -> String {
        match self {
            Fault::Partition { from, to, side } => {
                let group = |s: bool| {
                    side.iter()
                        .enumerate()
                        .filter(|&(_, &x)| x == s)
                        .map(|(n, _)| format!("n{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                format!(
                    "partition {{{}}} | {{{}}} from {from} to {to} ms",
                    group(true),
                    group(false)
                )
            }
            Fault::Pause { node, from, to } => format!("n{node} paused from {from} to {to} ms"),
        }
    }
}

/// The faults of one run, as intervals of virtual time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub faults: Vec<Fault>,
}

impl Schedule {
    /// Draws the faults of a `Chaos` run of `nodes` nodes lasting about `span` ms.
    pub fn draw(rng: &mut Rng, nodes: usize, span: u64) -> Schedule {
        let mut faults = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let from = rng.range(0, span);
            let to = from + rng.range(100, 1_500);
            if rng.chance(1, 2) && nodes > 1 {
                let mut side: Vec<bool> = (0..nodes).map(|_| rng.chance(1, 2)).collect();
                if side.iter().all(|&s| s) || side.iter().all(|&s| !s) {
                    side[0] = !side[0];
                }
                faults.push(Fault::Partition { from, to, side });
            } else {
                let node = rng.range(0, nodes as u64 - 1) as usize;
                faults.push(Fault::Pause { node, from, to });
            }
        }
        Schedule { faults }
    }

    /// Whether `node` runs at `t`.
    pub fn up(&self, node: usize, t: u64) -> bool {
        !self.faults.iter().any(|f| {
            matches!(f, Fault::Pause { node: n, from, to } if *n == node && (*from..*to).contains(&t))
        })
    }

    /// When `node` runs again, at or after `t`.
    pub fn resumes(&self, node: usize, mut t: u64) -> u64 {
        while let Some(end) = self.faults.iter().find_map(|f| match f {
            Fault::Pause { node: n, from, to } if *n == node && (*from..*to).contains(&t) => {
                Some(*to)
            }
            _ => None,
        }) {
            t = end;
        }
        t
    }

    /// Whether `a` and `b` can exchange messages at `t` (no partition between them).
    pub fn connected(&self, a: usize, b: usize, t: u64) -> bool {
        !self.faults.iter().any(|f| {
            matches!(f, Fault::Partition { from, to, side }
                if (*from..*to).contains(&t) && side.get(a) != side.get(b))
        })
    }

    /// Whether `a` and `b` are both up and connected during all of `from..=to`.
    pub fn reachable_throughout(&self, a: usize, b: usize, from: u64, to: u64) -> bool {
        self.faults.iter().all(|f| match f {
            Fault::Partition {
                from: f0,
                to: f1,
                side,
            } => side.get(a) == side.get(b) || *f1 <= from || *f0 > to,
            Fault::Pause {
                node,
                from: f0,
                to: f1,
            } => (*node != a && *node != b) || *f1 <= from || *f0 > to,
        })
    }
}

/// What became of one arrow of the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    Delivered,
    Lost,
}

/// One row of a message-sequence diagram: an arrow from lane `from` to lane `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// When it arrived (or was lost), ms.
    pub at: u64,
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub fate: Fate,
    /// Marks the row (the violating answer).
    pub mark: Option<String>,
}

const LANE: usize = 6;

/// The diagram: one column per lane (clients and nodes), one row per arrow, time going down.
/// `●` sends, `▶`/`◀` receives, `✕` a lost message; the marked row says why.
pub fn diagram(lanes: &[String], arrows: &[Arrow], notes: &[(u64, String)]) -> String {
    let mut out = String::new();
    let mut header = format!("{:>6}  ", "ms");
    for lane in lanes {
        let _ = write!(header, "{lane:<LANE$}");
    }
    out.push_str(header.trim_end());
    out.push('\n');
    let mut notes = notes.iter().peekable();
    for arrow in arrows {
        while let Some((t, note)) = notes.next_if(|(t, _)| *t <= arrow.at) {
            let _ = writeln!(out, "{t:>6}  -- {note}");
        }
        let (lo, hi) = (arrow.from.min(arrow.to), arrow.from.max(arrow.to));
        let mut row: Vec<char> = Vec::new();
        for lane in 0..lanes.len() {
            for col in 0..LANE {
                let c = if col == 0 {
                    if lane == arrow.from {
                        '●'
                    } else if lane == arrow.to {
                        match arrow.fate {
                            Fate::Lost => '✕',
                            Fate::Delivered if arrow.to > arrow.from => '▶',
                            Fate::Delivered => '◀',
                        }
                    } else if (lo..hi).contains(&lane) && lane > lo {
                        '─'
                    } else {
                        '│'
                    }
                } else if (lo..hi).contains(&lane) {
                    '─'
                } else {
                    ' '
                };
                row.push(c);
            }
        }
        let row: String = row.into_iter().collect();
        let _ = write!(out, "{:>6}  {}  {}", arrow.at, row.trim_end(), arrow.label);
        if arrow.fate == Fate::Lost {
            out.push_str(" (lost)");
        }
        if let Some(mark) = &arrow.mark {
            let _ = write!(out, "   <== {mark}");
        }
        out.push('\n');
    }
    for (t, note) in notes {
        let _ = writeln!(out, "{t:>6}  -- {note}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_is_seen_as_down_and_resumes_at_its_end() {
        let s = Schedule {
            faults: vec![
                Fault::Pause {
                    node: 1,
                    from: 10,
                    to: 20,
                },
                Fault::Pause {
                    node: 1,
                    from: 20,
                    to: 25,
                },
            ],
        };
        assert!(s.up(1, 9) && !s.up(1, 10) && !s.up(1, 24) && s.up(1, 25));
        assert!(s.up(0, 15));
        assert_eq!(s.resumes(1, 12), 25);
        assert_eq!(s.resumes(1, 5), 5);
        assert!(!s.reachable_throughout(0, 1, 0, 10));
        assert!(s.reachable_throughout(0, 1, 0, 9));
        assert!(s.reachable_throughout(0, 2, 0, 100));
    }

    #[test]
    fn a_partition_separates_only_its_two_sides_while_it_lasts() {
        let s = Schedule {
            faults: vec![Fault::Partition {
                from: 100,
                to: 200,
                side: vec![true, false, false],
            }],
        };
        assert!(!s.connected(0, 1, 150));
        assert!(s.connected(1, 2, 150));
        assert!(s.connected(0, 1, 200));
        assert!(!s.reachable_throughout(0, 2, 0, 100));
        assert!(s.reachable_throughout(0, 2, 0, 99));
        assert!(s.reachable_throughout(1, 2, 0, 1000));
    }

    #[test]
    fn the_diagram_draws_one_row_per_arrow_with_lost_and_marked_ones_said() {
        let lanes: Vec<String> = ["c0", "n0", "n1"].map(String::from).to_vec();
        let text = diagram(
            &lanes,
            &[
                Arrow {
                    at: 1,
                    from: 0,
                    to: 2,
                    label: "put a=v1".into(),
                    fate: Fate::Delivered,
                    mark: None,
                },
                Arrow {
                    at: 5,
                    from: 2,
                    to: 1,
                    label: "12 B".into(),
                    fate: Fate::Lost,
                    mark: None,
                },
                Arrow {
                    at: 9,
                    from: 2,
                    to: 0,
                    label: "Found(v0)".into(),
                    fate: Fate::Delivered,
                    mark: Some("stale".into()),
                },
            ],
            &[(3, "n1 paused".into())],
        );
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 5, "{text}");
        assert!(
            rows[1].contains("●───────────▶") && rows[1].ends_with("put a=v1"),
            "{text}"
        );
        assert!(rows[2].contains("-- n1 paused"), "{text}");
        assert!(
            rows[3].contains("✕─────●") && rows[3].ends_with("(lost)"),
            "{text}"
        );
        assert!(
            rows[4].contains("◀───────────●") && rows[4].ends_with("<== stale"),
            "{text}"
        );
    }
}
