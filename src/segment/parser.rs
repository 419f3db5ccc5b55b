//! The parser: tokens to a typed [`Expr`], by recursive descent.
//!
//! Grammar (keywords case-insensitive):
//! ```text
//! rule    := or EOF
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" or ")" | cond
//! cond    := "tag" NAME | "in" "segment" NAME
//!          | VERB [STRING if visited] [OP INTEGER] ["in" DURATION]
//!          | "spent" OP NUMBER ["in" DURATION]
//!          | field OP value | field ["not"] "in" "(" value ("," value)* ")"
//!          | field ("contains" | "starts_with" | "ends_with") STRING
//!          | field "is" ["not"] "empty"
//!          | field ("before" | "after") (DATE | DURATION) | field "within" DURATION
//! field   := IDENT (built-in) | STRING (custom field)
//! value   := STRING | IDENT | NUMBER | DATE
//! ```

use super::ast::{
    is_keyword, Action, CmpOp, Cond, Duration, Expr, Field, Span, TextOp, Value, ValueKind, When,
    WhenOp,
};
use super::error::{closest, RuleError};
use super::lexer::{lex, Tok, Token};

/// Parses a rule.
pub fn parse(text: &str) -> Result<Expr, RuleError> {
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or()?;
    let next = parser.peek();
    if next.kind != Tok::Eof {
        let suggestion = match &next.kind {
            Tok::Ident(word) => closest(word, ["and", "or"]),
            _ => None,
        };
        return Err(RuleError::new(
            next.start,
            format!(
                "expected \"and\", \"or\" or the end of the rule, found {}",
                next.kind.describe()
            ),
        )
        .suggest(suggestion));
    }
    Ok(expr)
}

/// Words that may follow a field, for "did you mean" on a misspelt operator.
const FIELD_OPERATORS: [&str; 7] = [
    "in",
    "contains",
    "starts_with",
    "ends_with",
    "is",
    "before",
    "after",
];

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof and `pos` never moves past it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)].kind
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != Tok::Eof {
            self.pos += 1;
        }
        token
    }

    /// The end of the previous token, where "expected X after Y" points.
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).map_or(0, |i| self.tokens[i].end)
    }

    fn at_word(&self, word: &str) -> bool {
        matches!(&self.peek().kind, Tok::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.at_word(word);
        if found {
            self.pos += 1;
        }
        found
    }

    /// An error at the next token: "expected WHAT after PREVIOUS".
    fn expected(&self, what: &str) -> RuleError {
        let next = self.peek();
        let after = self
            .pos
            .checked_sub(1)
            .map(|i| format!(" after {}", self.tokens[i].kind.describe()))
            .unwrap_or_default();
        let found = if next.kind == Tok::Eof {
            String::new()
        } else {
            format!(", found {}", next.kind.describe())
        };
        let offset = if next.kind == Tok::Eof {
            self.prev_end()
        } else {
            next.start
        };
        RuleError::new(offset, format!("expected {what}{after}{found}"))
    }

    fn or(&mut self) -> Result<Expr, RuleError> {
        let mut items = vec![self.and()?];
        while self.eat_word("or") {
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, RuleError> {
        let mut items = vec![self.unary()?];
        while self.eat_word("and") {
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, RuleError> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek().kind == Tok::LParen {
            self.bump();
            let inner = self.or()?;
            if self.peek().kind != Tok::RParen {
                return Err(self.expected("\")\", \"and\" or \"or\""));
            }
            self.bump();
            return Ok(inner);
        }
        self.cond()
    }

    fn cond(&mut self) -> Result<Expr, RuleError> {
        let start = self.peek().start;
        let (cond, negate) = self.cond_inner()?;
        let expr = Expr::Cond(
            cond,
            Span {
                start,
                end: self.prev_end(),
            },
        );
        Ok(if negate {
            Expr::Not(Box::new(expr))
        } else {
            expr
        })
    }

    /// A condition, and whether it was written `field not in (...)`.
    fn cond_inner(&mut self) -> Result<(Cond, bool), RuleError> {
        let token = self.peek().clone();
        let word = match &token.kind {
            Tok::Ident(w) => w.to_lowercase(),
            Tok::Str(_) => return self.field_cond(),
            _ => {
                return Err(self.expected(
                    "a condition: a field (country = \"DE\"), tag \"...\", in segment \"...\" or a behaviour (opened in 30d)",
                ))
            }
        };
        let action = match word.as_str() {
            "tag" => {
                self.bump();
                return Ok((
                    Cond::Tag(self.name("a tag name in quotes, like tag \"vip\"")?),
                    false,
                ));
            }
            "in" => {
                self.bump();
                if !self.eat_word("segment") {
                    return Err(self.expected("\"segment\" (in segment \"Name\")"));
                }
                return Ok((
                    Cond::InSegment(self.name("a segment name in quotes")?),
                    false,
                ));
            }
            "spent" => {
                self.bump();
                let op = self.op("a comparison after \"spent\", like spent >= 100 in 365d")?;
                let amount = match self.peek().kind {
                    Tok::Number(n) => {
                        self.bump();
                        n
                    }
                    _ => return Err(self.expected("an amount")),
                };
                let window = self.window()?;
                return Ok((Cond::Spent { op, amount, window }, false));
            }
            "opened" => Action::Opened,
            "clicked" => Action::Clicked,
            "purchased" => Action::Purchased,
            "added_to_cart" => Action::AddedToCart,
            "bounced" => Action::Bounced,
            "unsubscribed" => Action::Unsubscribed,
            "complained" => Action::Complained,
            "visited" => {
                self.bump();
                match self.peek().kind.clone() {
                    Tok::Str(url) => {
                        self.bump();
                        Action::Visited(url)
                    }
                    _ => return Err(self.expected("a page in quotes, like visited \"/pricing\"")),
                }
            }
            w if is_keyword(w) => {
                return Err(self.expected("a condition: a field, tag, in segment or a behaviour"))
            }
            _ => return self.field_cond(),
        };
        if !matches!(action, Action::Visited(_)) {
            self.bump();
        }
        let count = match self.peek().kind {
            Tok::Op(op) => {
                self.bump();
                match self.peek().kind {
                    Tok::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => {
                        self.bump();
                        // Checked above: whole, non-negative and in range.
                        Some((op, n as u32))
                    }
                    _ => return Err(self.expected("a whole number of times")),
                }
            }
            _ => None,
        };
        let window = self.window()?;
        Ok((
            Cond::Did {
                action,
                count,
                window,
            },
            false,
        ))
    }

    /// `in 30d` after a behaviour, if present.
    fn window(&mut self) -> Result<Option<Duration>, RuleError> {
        if !(self.at_word("in") && matches!(self.peek_at(1), Tok::Duration(_))) {
            if self.at_word("in")
                && !matches!(self.peek_at(1), Tok::Ident(w) if w.eq_ignore_ascii_case("segment"))
            {
                self.bump();
                return Err(self.expected("a time window like 30d, 2w, 6m or 1y"));
            }
            return Ok(None);
        }
        self.bump();
        Ok(Some(self.duration("a time window like 30d")?))
    }

    fn duration(&mut self, what: &str) -> Result<Duration, RuleError> {
        match self.peek().kind {
            Tok::Duration(d) => {
                self.bump();
                Ok(d)
            }
            _ => Err(self.expected(what)),
        }
    }

    fn op(&mut self, what: &str) -> Result<CmpOp, RuleError> {
        match self.peek().kind {
            Tok::Op(op) => {
                self.bump();
                Ok(op)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// A tag or segment name: quoted, or a bare word.
    fn name(&mut self, what: &str) -> Result<String, RuleError> {
        match self.peek().kind.clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(s)
            }
            Tok::Ident(s) if !is_keyword(&s) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    fn field_cond(&mut self) -> Result<(Cond, bool), RuleError> {
        let token = self.bump();
        let field = match token.kind {
            Tok::Ident(name) => Field {
                name,
                quoted: false,
                span: Span {
                    start: token.start,
                    end: token.end,
                },
            },
            Tok::Str(name) => Field {
                name,
                quoted: true,
                span: Span {
                    start: token.start,
                    end: token.end,
                },
            },
            _ => return Err(RuleError::new(token.start, "expected a field")),
        };
        if let Tok::Op(op) = self.peek().kind {
            self.bump();
            let value = self.value("a value")?;
            return Ok((Cond::Compare { field, op, value }, false));
        }
        let word = match &self.peek().kind {
            Tok::Ident(w) => w.to_lowercase(),
            _ => String::new(),
        };
        let cond = match word.as_str() {
            "in" | "not" => {
                let negated = self.eat_word("not");
                if !self.eat_word("in") {
                    return Err(self.expected("\"in\" (not in (...))"));
                }
                if self.peek().kind != Tok::LParen {
                    return Err(self.expected("\"(\" starting a list of values"));
                }
                self.bump();
                let mut values = vec![self.value("a value")?];
                while self.peek().kind == Tok::Comma {
                    self.bump();
                    values.push(self.value("a value")?);
                }
                if self.peek().kind != Tok::RParen {
                    return Err(self.expected("\",\" or \")\""));
                }
                self.bump();
                return Ok((Cond::In { field, values }, negated));
            }
            "contains" | "starts_with" | "ends_with" => {
                self.bump();
                let op = match word.as_str() {
                    "contains" => TextOp::Contains,
                    "starts_with" => TextOp::StartsWith,
                    _ => TextOp::EndsWith,
                };
                match self.peek().kind.clone() {
                    Tok::Str(text) => {
                        self.bump();
                        Cond::Text { field, op, text }
                    }
                    _ => return Err(self.expected("a text in quotes")),
                }
            }
            "is" => {
                self.bump();
                let negated = self.eat_word("not");
                if !self.eat_word("empty") {
                    return Err(self.expected("\"empty\" (is empty, is not empty)"));
                }
                Cond::Empty { field, negated }
            }
            "before" | "after" => {
                self.bump();
                let op = if word == "before" {
                    WhenOp::Before
                } else {
                    WhenOp::After
                };
                let at = match self.peek().kind {
                    Tok::Date(d) => When::Date(d),
                    Tok::Duration(d) => When::Ago(d),
                    _ => return Err(self.expected("a date like 2025-01-31 or a time ago like 30d")),
                };
                self.bump();
                Cond::When { field, op, at }
            }
            "within" => {
                self.bump();
                Cond::Within {
                    field,
                    window: self.duration("a time window like 30d")?,
                }
            }
            _ => {
                let suggestion = closest(&word, FIELD_OPERATORS.iter().copied().chain(["within"]));
                // A half-typed behaviour ("not purch") reads as a field with no operator:
                // say which behaviour it looks like instead of asking for an operator.
                let verb = (suggestion.is_none() && !field.quoted)
                    .then(|| closest(&field.name, Action::VERBS))
                    .flatten();
                if let Some(verb) = verb {
                    return Err(RuleError::new(
                        field.span.start,
                        format!(
                            "\"{}\" is not a behaviour and no operator follows it",
                            field.name
                        ),
                    )
                    .suggest(Some(verb)));
                }
                return Err(self
                    .expected("an operator (= != < <= > >=, in, contains, starts_with, ends_with, is empty, before, after, within)")
                    .suggest(suggestion));
            }
        };
        Ok((cond, false))
    }

    fn value(&mut self, what: &str) -> Result<Value, RuleError> {
        let token = self.peek().clone();
        let kind = match token.kind {
            Tok::Str(s) => ValueKind::Text(s),
            Tok::Ident(s) if !is_keyword(&s) => ValueKind::Text(s),
            Tok::Number(n) => ValueKind::Number(n),
            Tok::Date(d) => ValueKind::Date(d),
            _ => return Err(self.expected(what)),
        };
        self.bump();
        Ok(Value {
            kind,
            span: Span {
                start: token.start,
                end: token.end,
            },
        })
    }
}
