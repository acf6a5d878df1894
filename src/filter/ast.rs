//! Syntax tree of a parsed filter.

use super::CmpOp;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// All operands true (evaluated left to right, short-circuit).
    And(Vec<Ast>),
    /// Any operand true (evaluated left to right, short-circuit).
    Or(Vec<Ast>),
    /// Negation of a check or group.
    Not(Box<Ast>),
    /// One field comparison.
    Check(Check),
}

/// One comparison: `field op operand` / `field op (a, b)` / `field exists`.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The field token as written, e.g. `proc.aname[2]` or `evt.arg.fd`.
    pub field: String,
    /// Byte offset of the field token.
    pub field_pos: usize,
    /// The operator.
    pub op: CmpOp,
    /// Byte offset of the operator.
    pub op_pos: usize,
    /// Operands: none for `exists`, one for binary operators, the list items
    /// for `in`/`intersects`/`pmatch`.
    pub operands: Vec<Operand>,
    /// Whether operands came from a parenthesised list.
    pub list: bool,
}

/// One operand after unquoting and unescaping.
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    /// The operand's bytes (escapes resolved, quotes removed).
    pub bytes: Vec<u8>,
    /// Byte offset where the operand starts (its opening quote if quoted).
    pub pos: usize,
    /// Byte offset just past the operand (past its closing quote).
    pub end: usize,
    /// Where sysdig's scanner stands after reading it (used for its
    /// "filter error at position N" numbers).
    pub sysdig_end: usize,
    /// Whether it was quoted.
    pub quoted: bool,
}
