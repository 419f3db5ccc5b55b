//! The lexer: turns rule text into tokens with their byte positions.
//!
//! Keywords are not separate tokens: `and`, `tag`, `opened`, ... are identifiers the parser
//! recognises by position, so a value like `status = unsubscribed` never collides with a
//! behaviour verb.

use super::ast::{CmpOp, Duration, Unit};
use super::error::RuleError;
use chrono::NaiveDate;

/// One token and where it starts and ends (byte offsets into the rule text).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Number(f64),
    Date(NaiveDate),
    Duration(Duration),
    Op(CmpOp),
    LParen,
    RParen,
    Comma,
    Eof,
}

impl Tok {
    /// How the token reads in an error message ("after \"=\"").
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("\"{s}\""),
            Tok::Str(s) => format!("the text \"{s}\""),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Date(d) => format!("the date {d}"),
            Tok::Duration(d) => format!("the duration {d}"),
            Tok::Op(op) => format!("\"{op}\""),
            Tok::LParen => "\"(\"".to_string(),
            Tok::RParen => "\")\"".to_string(),
            Tok::Comma => "\",\"".to_string(),
            Tok::Eof => "the end of the rule".to_string(),
        }
    }
}

/// Splits `text` into tokens, ending with [`Tok::Eof`].
pub fn lex(text: &str) -> Result<Vec<Token>, RuleError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = |kind| Token {
            kind,
            start,
            end: start + 1,
        };
        let token = match c {
            '(' => {
                chars.next();
                single(Tok::LParen)
            }
            ')' => {
                chars.next();
                single(Tok::RParen)
            }
            ',' => {
                chars.next();
                single(Tok::Comma)
            }
            '"' | '\'' => lex_string(text, start, c, &mut chars)?,
            '=' | '!' | '<' | '>' => lex_operator(text, start, &mut chars)?,
            '-' if text[start + 1..].starts_with(|d: char| d.is_ascii_digit()) => {
                chars.next();
                lex_number(text, start, &mut chars)?
            }
            d if d.is_ascii_digit() => lex_number(text, start, &mut chars)?,
            a if a.is_alphabetic() || a == '_' => {
                let end = take_while(text, &mut chars, |ch| ch.is_alphanumeric() || ch == '_');
                Token {
                    kind: Tok::Ident(text[start..end].to_string()),
                    start,
                    end,
                }
            }
            other => {
                return Err(RuleError::new(
                    start,
                    format!("unexpected character \"{other}\""),
                ))
            }
        };
        tokens.push(token);
    }
    tokens.push(Token {
        kind: Tok::Eof,
        start: text.len(),
        end: text.len(),
    });
    Ok(tokens)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Consumes characters while `keep` holds and returns the byte offset after the last one.
fn take_while(text: &str, chars: &mut Chars<'_>, keep: impl Fn(char) -> bool) -> usize {
    while let Some(&(_, c)) = chars.peek() {
        if !keep(c) {
            break;
        }
        chars.next();
    }
    chars.peek().map_or(text.len(), |&(i, _)| i)
}

fn lex_string(
    text: &str,
    start: usize,
    quote: char,
    chars: &mut Chars<'_>,
) -> Result<Token, RuleError> {
    chars.next();
    let mut value = String::new();
    loop {
        match chars.next() {
            None => {
                return Err(RuleError::new(
                    text.len(),
                    format!(
                        "expected a closing {quote} for the text started at column {}",
                        start + 1
                    ),
                ))
            }
            Some((i, c)) if c == quote => {
                return Ok(Token {
                    kind: Tok::Str(value),
                    start,
                    end: i + c.len_utf8(),
                })
            }
            Some((i, '\\')) => match chars.next() {
                Some((_, e @ ('"' | '\'' | '\\'))) => value.push(e),
                _ => {
                    return Err(RuleError::new(
                        i,
                        "expected \\\" , \\' or \\\\ after a backslash in text",
                    ))
                }
            },
            Some((_, c)) => value.push(c),
        }
    }
}

fn lex_operator(text: &str, start: usize, chars: &mut Chars<'_>) -> Result<Token, RuleError> {
    let rest = &text[start..];
    let (op, len) = [
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("!=", CmpOp::Ne),
        ("<>", CmpOp::Ne),
        ("==", CmpOp::Eq),
        ("=", CmpOp::Eq),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ]
    .iter()
    .find(|(s, _)| rest.starts_with(s))
    .map(|(s, op)| (*op, s.len()))
    .ok_or_else(|| RuleError::new(start, "expected \"!=\" (a lone \"!\" means nothing)"))?;
    for _ in 0..len {
        chars.next();
    }
    Ok(Token {
        kind: Tok::Op(op),
        start,
        end: start + len,
    })
}

/// A number (`3`, `-2.5`), a date (`2025-01-31`) or a duration (`30d`, `2w`, `6m`, `1y`).
fn lex_number(text: &str, start: usize, chars: &mut Chars<'_>) -> Result<Token, RuleError> {
    let digits_end = take_while(text, chars, |c| c.is_ascii_digit());
    let rest = &text[digits_end..];
    // A date: four digits, then -MM-DD.
    if digits_end - start == 4 && rest.starts_with('-') {
        chars.next();
        let end = take_while(text, chars, |c| c.is_ascii_digit() || c == '-');
        let literal = &text[start..end];
        return NaiveDate::parse_from_str(literal, "%Y-%m-%d")
            .ok()
            .filter(|_| literal.len() == 10)
            .map(|d| Token {
                kind: Tok::Date(d),
                start,
                end,
            })
            .ok_or_else(|| {
                RuleError::new(
                    start,
                    format!("\"{literal}\" is not a date: expected YYYY-MM-DD, like 2025-01-31"),
                )
            });
    }
    let mut end = digits_end;
    if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        chars.next();
        end = take_while(text, chars, |c| c.is_ascii_digit());
    }
    let literal = &text[start..end];
    let suffix_end = take_while(text, chars, |c| c.is_alphanumeric() || c == '_');
    let suffix = &text[end..suffix_end];
    if suffix.is_empty() {
        return literal
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| Token {
                kind: Tok::Number(n),
                start,
                end,
            })
            .ok_or_else(|| RuleError::new(start, format!("\"{literal}\" is not a number")));
    }
    let unit = Unit::from_suffix(suffix).ok_or_else(|| {
        RuleError::new(
            end,
            format!("unknown time unit \"{suffix}\": expected d (days), w (weeks), m (months of 30 days) or y (years of 365 days)"),
        )
    })?;
    let count = literal
        .parse::<u32>()
        .ok()
        .filter(|&n| n <= Duration::MAX_COUNT)
        .ok_or_else(|| {
            RuleError::new(
                start,
                format!(
                    "a duration needs a whole number of at most {} before its unit",
                    Duration::MAX_COUNT
                ),
            )
        })?;
    Ok(Token {
        kind: Tok::Duration(Duration { count, unit }),
        start,
        end: suffix_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_dates_and_durations_are_told_apart() {
        assert_eq!(
            kinds("3 -2.5 2025-01-31 30d 2w"),
            vec![
                Tok::Number(3.0),
                Tok::Number(-2.5),
                Tok::Date(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()),
                Tok::Duration(Duration {
                    count: 30,
                    unit: Unit::Days
                }),
                Tok::Duration(Duration {
                    count: 2,
                    unit: Unit::Weeks
                }),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_keep_escaped_quotes() {
        assert_eq!(
            kinds(r#""say \"hi\"" 'it'"#)[..1],
            [Tok::Str("say \"hi\"".to_string())]
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(lex("a = \"open").unwrap_err().offset, 9);
        assert_eq!(lex("created_at within 3x").unwrap_err().offset, 19);
        assert!(lex("created_at before 2025-13-01")
            .unwrap_err()
            .message
            .contains("YYYY-MM-DD"));
        assert_eq!(lex("a ! b").unwrap_err().offset, 2);
    }
}
