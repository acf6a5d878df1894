//! Filter errors: a message, the position to point at, and the filter text.

use std::fmt;

/// An error from parsing or compiling a filter.
///
/// `Display` prints sysdig's line (`filter error at position N: MESSAGE`)
/// followed by the filter and a caret under the offending position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// Byte offset of the offending spot (the caret column for ASCII text).
    pub pos: usize,
    /// The position sysdig 0.29.3 prints in its message for the same error.
    pub sysdig_pos: usize,
    /// The message, in sysdig's wording where sysdig has one.
    pub message: String,
    /// The filter text.
    pub filter: String,
    /// sysdig reports this error while evaluating, not while compiling: its
    /// message alone, with no position and no caret line.
    pub bare: bool,
}

impl FilterError {
    /// Builds an error.
    pub fn new(filter: &str, pos: usize, sysdig_pos: usize, message: impl Into<String>) -> Self {
        FilterError { pos, sysdig_pos, message: message.into(), filter: filter.to_string(), bare: false }
    }

    /// An error sysdig raises at evaluation time (see [`FilterError::bare`]).
    pub fn bare(filter: &str, message: impl Into<String>) -> Self {
        FilterError { bare: true, ..FilterError::new(filter, 0, 0, message) }
    }

    /// sysdig's one-line form: `filter error at position N: MESSAGE`.
    pub fn sysdig_line(&self) -> String {
        if self.bare {
            return self.message.clone();
        }
        format!("filter error at position {}: {}", self.sysdig_pos, self.message)
    }

    /// The caret column (in characters) under the filter text.
    pub fn caret_column(&self) -> usize {
        let p = self.pos.min(self.filter.len());
        let mut p2 = p;
        while !self.filter.is_char_boundary(p2) {
            p2 -= 1;
        }
        self.filter[..p2].chars().count()
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Control characters would break the caret alignment: show them as spaces.
        if self.bare {
            return write!(f, "{}", self.message);
        }
        let shown: String =
            self.filter.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        writeln!(f, "{}", self.sysdig_line())?;
        writeln!(f, "{shown}")?;
        write!(f, "{}^", " ".repeat(self.caret_column()))
    }
}

impl std::error::Error for FilterError {}
