//! Context-sensitive scanner of the filter language.
//!
//! It follows libsinsp e5c53d648's hand-written scanner
//! (`sinsp_filter_compiler`): a field token ends at a blank or one of
//! `( ) ! = < >`; comparison operators are matched by prefix in sysdig's order
//! (so `intersects` is read as `in` and then fails, as in sysdig 0.29.3);
//! operands run to a blank or bracket (or `,` inside a list) unless quoted
//! with `"` or `'` (either quote closes); `\\`, `\"` and `\xHH` are escapes,
//! any other backslash pair is kept verbatim. Boolean keywords are recognised
//! by position: after a check or `)`, `and`/`or`/`not`; before a check, `not`.

use super::CmpOp;
use super::ast::Operand;

/// A token handed to the generated parser.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `and`
    And,
    /// `or`
    Or,
    /// `not`
    Not,
    /// `(` opening a group
    LParen,
    /// `)` closing a group
    RParen,
    /// A field token as written (e.g. `proc.aname[2]`).
    Field(String),
    /// A comparison operator.
    Op(CmpOp),
    /// One operand.
    Value(Operand),
    /// `(` opening an operand list after in/pmatch.
    ListOpen,
    /// `,` inside an operand list.
    Comma,
    /// `)` closing an operand list.
    ListClose,
}

/// A scanning error.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    /// Byte offset to point the caret at.
    pub pos: usize,
    /// The position sysdig would report.
    pub sysdig_pos: usize,
    /// The message (sysdig's wording).
    pub message: String,
}

/// `(start, token, end)` triples, or an error, as lalrpop expects.
pub type Spanned = Result<(usize, Tok, usize), LexError>;

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'!' | b'=' | b'<' | b'>')
}

/// Operators in the order sysdig tries them (prefix match).
const OPS: &[(&str, CmpOp)] = &[
    ("=", CmpOp::Eq),
    ("!=", CmpOp::Ne),
    ("<=", CmpOp::Le),
    ("<", CmpOp::Lt),
    (">=", CmpOp::Ge),
    (">", CmpOp::Gt),
    ("contains", CmpOp::Contains),
    ("icontains", CmpOp::IContains),
    ("startswith", CmpOp::StartsWith),
    ("endswith", CmpOp::EndsWith),
    ("glob", CmpOp::Glob),
    ("in", CmpOp::In),
    ("intersects", CmpOp::Intersects),
    ("pmatch", CmpOp::Pmatch),
    ("exists", CmpOp::Exists),
];

/// Scans the whole filter. Tokens come first; a scanning error, if any, is
/// the last item (so syntax errors before it are reported first, as sysdig's
/// single left-to-right pass does).
pub fn tokenize(text: &str) -> Vec<Spanned> {
    let mut out = Vec::new();
    let mut lx = Lexer { s: text.as_bytes(), text, pos: 0, out: &mut out };
    if let Err(e) = lx.run() {
        out.push(Err(e));
    }
    out
}

struct Lexer<'a, 'o> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    out: &'o mut Vec<Spanned>,
}

impl Lexer<'_, '_> {
    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    fn skip_blanks(&mut self) {
        while self.pos < self.s.len() && is_blank(self.s[self.pos]) {
            self.pos += 1;
        }
    }

    fn push(&mut self, start: usize, tok: Tok, end: usize) {
        self.out.push(Ok((start, tok, end)));
    }

    fn err(&self, pos: usize, sysdig_pos: usize, message: impl Into<String>) -> LexError {
        LexError { pos, sysdig_pos, message: message.into() }
    }

    fn keyword(&mut self, word: &str, tok: Tok) -> Result<(), LexError> {
        let start = self.pos;
        if self.s[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            self.push(start, tok, self.pos);
            Ok(())
        } else {
            Err(self.err(start, start + 1, "syntax error in filter"))
        }
    }

    fn run(&mut self) -> Result<(), LexError> {
        // true once a check or `)` was read: `and`/`or` may follow.
        let mut done = false;
        loop {
            self.skip_blanks();
            if self.pos >= self.s.len() {
                return Ok(());
            }
            let start = self.pos;
            match self.s[start] {
                b'(' => {
                    self.pos += 1;
                    self.push(start, Tok::LParen, self.pos);
                    done = false;
                }
                b')' => {
                    self.pos += 1;
                    self.push(start, Tok::RParen, self.pos);
                    done = true;
                }
                b'n' => {
                    self.keyword("not", Tok::Not)?;
                    done = false;
                }
                b'a' if done => {
                    self.keyword("and", Tok::And)?;
                    done = false;
                }
                b'o' if done => {
                    self.keyword("or", Tok::Or)?;
                    done = false;
                }
                _ if done => return Err(self.err(start, start, "syntax error in filter")),
                _ => {
                    self.check()?;
                    done = true;
                }
            }
        }
    }

    /// One check: field, operator, operand(s).
    fn check(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        while self.pos < self.s.len() && !is_blank(self.s[self.pos]) && !is_special(self.s[self.pos]) {
            self.pos += 1;
        }
        // Field tokens end at ASCII bytes, so this slice is on char boundaries.
        let field = self.text[start..self.pos].to_string();
        self.push(start, Tok::Field(field), self.pos);

        self.skip_blanks();
        let op_start = self.pos;
        let rest = &self.s[op_start..];
        let Some(&(word, op)) = OPS.iter().find(|(w, _)| rest.starts_with(w.as_bytes())) else {
            return Err(self.err(
                op_start,
                op_start,
                format!(
                    "filter error: unrecognized comparison operator after {}",
                    &self.text[..op_start]
                ),
            ));
        };
        self.pos += word.len();
        self.push(op_start, Tok::Op(op), self.pos);

        match op {
            CmpOp::Exists => Ok(()),
            CmpOp::In | CmpOp::Intersects | CmpOp::Pmatch => self.list(),
            _ => {
                let v = self.operand(false)?;
                let (s, e) = (v.pos, v.end);
                self.push(s, Tok::Value(v), e);
                Ok(())
            }
        }
    }

    fn list(&mut self) -> Result<(), LexError> {
        self.skip_blanks();
        if self.at(self.pos) != b'(' {
            return Err(self.err(
                self.pos,
                self.pos,
                "expected '(' after 'in/intersects/pmatch' operand",
            ));
        }
        self.push(self.pos, Tok::ListOpen, self.pos + 1);
        self.pos += 1;
        loop {
            let v = self.operand(true)?;
            let v_quoted = v.quoted;
            let (s, e) = (v.pos, v.end);
            self.push(s, Tok::Value(v), e);
            self.skip_blanks();
            match self.at(self.pos) {
                b')' => {
                    self.push(self.pos, Tok::ListClose, self.pos + 1);
                    self.pos += 1;
                    return Ok(());
                }
                b',' => {
                    self.push(self.pos, Tok::Comma, self.pos + 1);
                    self.pos += 1;
                }
                _ => {
                    // sysdig steps one past an operand that ran into the end.
                    let spos = if self.pos == self.s.len() && !v_quoted { self.pos + 1 } else { self.pos };
                    return Err(self.err(
                        self.pos,
                        spos,
                        "expected either ')' or ',' after a value inside the 'in/pmatch' clause",
                    ));
                }
            }
        }
    }

    /// One operand (sysdig's `next_operand(false, in_list)`).
    fn operand(&mut self, in_list: bool) -> Result<Operand, LexError> {
        self.skip_blanks();
        let pos = self.pos;
        let quoted = matches!(self.at(self.pos), b'"' | b'\'');
        if quoted {
            self.pos += 1;
        }
        let word_start = self.pos;
        let mut text = Unescape::default();
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            let end = if quoted {
                text.esc != Esc::Slash && (c == b'"' || c == b'\'')
            } else {
                is_blank(c) || c == b'(' || c == b')' || (in_list && c == b',')
            };
            if end {
                if text.esc != Esc::Normal {
                    return Err(self.escape_error(word_start, self.pos));
                }
                let (end, sysdig_end) = if quoted {
                    (self.pos + 1, self.pos)
                } else if is_blank(c) {
                    (self.pos, self.pos)
                } else {
                    (self.pos, self.pos.saturating_sub(1))
                };
                self.pos = end;
                return Ok(Operand { bytes: text.bytes, pos, end, sysdig_end, quoted });
            }
            if !text.push(c) {
                return Err(self.escape_error(word_start, self.pos + 1));
            }
            self.pos += 1;
        }
        if quoted {
            return Err(self.err(pos, self.s.len(), "filter error: unclosed quotes"));
        }
        // An escape cut short by the end of the filter is dropped silently,
        // as sysdig does.
        let end = self.s.len();
        Ok(Operand { bytes: text.bytes, pos, end, sysdig_end: end, quoted })
    }

    fn escape_error(&self, word_start: usize, scanpos: usize) -> LexError {
        // sysdig prints substr(start, scanpos): `scanpos` is a length there.
        let tail = &self.s[word_start..];
        let shown = &tail[..scanpos.min(tail.len())];
        self.err(
            word_start,
            scanpos,
            format!(
                "filter error: unrecognized escape sequence at {}",
                String::from_utf8_lossy(shown)
            ),
        )
    }
}

/// Where [`Unescape`] is inside an escape.
#[derive(PartialEq, Default)]
enum Esc {
    /// Not in an escape.
    #[default]
    Normal,
    /// After a backslash.
    Slash,
    /// After `\x`: reading two hex digits.
    Number,
}

/// The operand's bytes with its escapes undone, one input byte at a time:
/// `\\` and `\"` give the character, `\xHH` the byte, any other backslash
/// pair is kept as written.
#[derive(Default)]
struct Unescape {
    /// The bytes so far.
    bytes: Vec<u8>,
    /// Escape state.
    esc: Esc,
    /// The `\x` value so far.
    hex: u8,
    /// How many `\x` digits were read.
    ndigits: u8,
}

impl Unescape {
    /// Takes the next input byte; false when a `\x` escape meets a
    /// non-hex digit.
    #[inline]
    fn push(&mut self, c: u8) -> bool {
        match self.esc {
            Esc::Normal => {
                if c == b'\\' {
                    self.esc = Esc::Slash;
                } else {
                    self.bytes.push(c);
                }
            }
            Esc::Slash => match c {
                b'\\' | b'"' => {
                    self.bytes.push(c);
                    self.esc = Esc::Normal;
                }
                b'x' => {
                    self.esc = Esc::Number;
                    self.ndigits = 0;
                    self.hex = 0;
                }
                _ => {
                    self.bytes.push(b'\\');
                    self.bytes.push(c);
                    self.esc = Esc::Normal;
                }
            },
            Esc::Number => {
                let Some(d) = (c as char).to_digit(16) else {
                    return false;
                };
                self.hex = self.hex.wrapping_mul(16).wrapping_add(d as u8);
                self.ndigits += 1;
                if self.ndigits == 2 {
                    self.bytes.push(self.hex);
                    self.esc = Esc::Normal;
                }
            }
        }
        true
    }
}
