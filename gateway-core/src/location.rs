//! [`Location`]: where in the user's source a gateway or handler was declared, recorded by
//! the macros so that startup errors (two handlers for one event, a gateway that cannot be
//! built) name the place to fix.

use std::fmt;

/// A place in the user's source code, recorded by the macros for startup errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// `file!()` of the item.
    pub file: &'static str,
    /// `line!()` of the item.
    pub line: u32,
    /// `column!()` of the item.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
