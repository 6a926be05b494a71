//! chartkit-lint (being written).
