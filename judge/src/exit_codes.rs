//! Exit statuses, stable for CI.

/// The submission was accepted, or the command succeeded.
pub const OK: u8 = 0;
/// The submission was rejected, or validation found a problem in an exercise.
pub const REJECTED: u8 = 1;
/// Usage error (unknown exercise, unreadable file, bad flag) or the judge's own failure.
pub const ERROR: u8 = 2;

#[cfg(test)]
mod tests {
    /// CI scripts test these numbers (README, "Exit status"): changing one breaks them.
    #[test]
    fn the_documented_statuses() {
        assert_eq!((super::OK, super::REJECTED, super::ERROR), (0, 1, 2));
    }
}
