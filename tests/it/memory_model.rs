//! (filled in by the work on issues #12/#13)
