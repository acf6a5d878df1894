//! Parsing: the scanner's tokens through the lalrpop grammar
//! (`grammar/filter.lalrpop`), with parser errors mapped to sysdig's wording.

use lalrpop_util::ParseError;

use super::ast::Ast;
use super::error::FilterError;
use super::lexer::{LexError, Spanned, Tok, tokenize};

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, unused, missing_docs)]
    grammar,
    "/filter.rs"
);

/// Parses filter text into an [`Ast`].
///
/// Errors carry the byte offset of the offending token and sysdig's message.
pub fn parse(text: &str) -> Result<Ast, FilterError> {
    parse_tokens(text, tokenize(text))
}

/// Parses already scanned tokens (see [`tokenize`]).
pub(crate) fn parse_tokens(text: &str, tokens: Vec<Spanned>) -> Result<Ast, FilterError> {
    // Where sysdig stands when it meets the end of the filter: one past the
    // end if the last operand ran into it unquoted, else at the end.
    let eof_pos = match tokens.last() {
        Some(Ok((_, Tok::Value(v), _))) if !v.quoted && v.end == text.len() => text.len() + 1,
        _ => text.len(),
    };
    // Group ends (matching `)` or the end), by token start: sysdig reports
    // mixed and/or when it closes the group.
    let mut ends: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<usize> = vec![usize::MAX];
    let mut pending: Vec<Vec<usize>> = vec![Vec::new()];
    for t in tokens.iter().flatten() {
        match &t.1 {
            Tok::LParen => {
                open.push(t.0);
                pending.push(Vec::new());
            }
            Tok::RParen if open.len() > 1 => {
                open.pop();
                for s in pending.pop().unwrap_or_default() {
                    ends.push((s, t.0));
                }
            }
            Tok::And | Tok::Or => pending.last_mut().map_or((), |p| p.push(t.0)),
            _ => {}
        }
    }
    for p in pending {
        ends.extend(p.into_iter().map(|s| (s, eof_pos)));
    }
    let parser = grammar::FilterParser::new();
    parser.parse(tokens).map_err(|e| {
        let mut fe = map_error(text, e);
        if fe.message.starts_with("filter error: unexpected end of filter") {
            fe.sysdig_pos = eof_pos;
        } else if fe.message.starts_with("expression mixes")
            && let Some(&(_, end)) = ends.iter().find(|(s, _)| *s == fe.pos)
        {
            fe.sysdig_pos = end;
        }
        fe
    })
}

fn map_error(text: &str, e: ParseError<usize, Tok, LexError>) -> FilterError {
    let eof = || {
        FilterError::new(text, text.len(), text.len(), "filter error: unexpected end of filter")
    };
    match e {
        ParseError::User { error } => {
            FilterError::new(text, error.pos, error.sysdig_pos, error.message)
        }
        ParseError::UnrecognizedEof { .. } => eof(),
        ParseError::InvalidToken { location } => {
            FilterError::new(text, location, location, "syntax error in filter")
        }
        ParseError::UnrecognizedToken { token: (start, tok, _), expected } => {
            let expects = |w: &str| expected.iter().any(|x| x == w);
            match tok {
                Tok::LParen => FilterError::new(
                    text,
                    start,
                    start,
                    format!("unexpected '(' after {}", &text[..start]),
                ),
                Tok::And | Tok::Or if expects("\"and\"") || expects("\"or\"") => {
                    FilterError::new(
                        text,
                        start,
                        start,
                        "expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.",
                    )
                }
                Tok::Or => FilterError::new(
                    text,
                    start,
                    start,
                    format!("unexpected 'or' after {}", &text[..start]),
                ),
                Tok::And => FilterError::new(
                    text,
                    start,
                    start,
                    format!("unexpected 'and' after {}", &text[..start]),
                ),
                Tok::RParen if expected.iter().all(|x| x != "\")\"") => FilterError::new(
                    text,
                    start,
                    start,
                    // sysdig closes a group that was never opened and
                    // fails only at the end, its nesting level below zero.
                    "filter error: unexpected end of filter",
                ),
                _ => FilterError::new(text, start, start, "syntax error in filter"),
            }
        }
        ParseError::ExtraToken { token: (start, _, _) } => {
            FilterError::new(text, start, start, "syntax error in filter")
        }
    }
}
