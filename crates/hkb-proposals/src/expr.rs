//! Arithmetic expressions for the amounts of costing lines: numbers (`0.5`, `1e9`), parameter
//! names, `+ - * / ^`, unary minus, parentheses and the functions `min(a, b)`, `max(a, b)` and
//! `abs(a)`. Hand-written (about a hundred lines) because the expression crates tried either
//! reject nested calls such as `min(1, max(0, t - lag))` (exmex 0.21) or mix integer and float
//! division (evalexpr).
//!
//! Expressions come from users (a package's own costing), so the parser is total: any string
//! gives an expression or an error, never a panic. Text is at most [`MAX_LENGTH`] characters and
//! nests at most [`MAX_DEPTH`] levels (so recursion, evaluation and drop are bounded); positions
//! in errors count characters, not bytes. Only ASCII spaces separate tokens: a full-width space
//! or digit typed with a Chinese input method, or a no-break space, is reported at its position
//! with what to type instead (a formula that looks right but holds an invisible character is
//! better refused than guessed at).

use std::collections::BTreeSet;
use std::fmt;

/// The longest expression accepted, in characters.
pub const MAX_LENGTH: usize = 1_000;
/// The deepest nesting accepted (parentheses, calls, unary minus and powers).
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Min,
    Max,
    Abs,
}

impl Function {
    fn by_name(name: &str) -> Option<(Function, usize)> {
        match name {
            "min" => Some((Function::Min, 2)),
            "max" => Some((Function::Max, 2)),
            "abs" => Some((Function::Abs, 1)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Variable(String),
    Negate(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

/// Why a text is not an expression, and where (1-based character position).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub en: String,
    pub zh: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.en, self.position)
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

type Parsed = Result<Expr, ParseError>;

impl Parser {
    fn skip_space(&mut self) {
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_ascii_whitespace())
        {
            self.at += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.chars.get(self.at).copied()
    }
    fn error<T>(&self, en: String, zh: String) -> Result<T, ParseError> {
        Err(ParseError {
            position: self.at + 1,
            en,
            zh,
        })
    }
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(
                format!("nested more than {MAX_DEPTH} levels deep"),
                format!("嵌套超過 {MAX_DEPTH} 層"),
            );
        }
        Ok(())
    }
    fn expect(&mut self, c: char) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            self.error(format!("expected '{c}'"), format!("應為「{c}」"))
        }
    }
    fn sum(&mut self) -> Parsed {
        let mut left = self.product()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            let op = if op == '+' { BinOp::Add } else { BinOp::Sub };
            left = Expr::Binary(op, Box::new(left), Box::new(self.product()?));
        }
        Ok(left)
    }
    fn product(&mut self) -> Parsed {
        let mut left = self.unary()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.at += 1;
            let op = if op == '*' { BinOp::Mul } else { BinOp::Div };
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    /// Every recursion (a parenthesis, a call, a minus, a power) passes through here, so the
    /// depth counted here bounds the parser's stack.
    fn unary(&mut self) -> Parsed {
        self.enter()?;
        let e = if self.peek() == Some('-') {
            self.at += 1;
            Expr::Negate(Box::new(self.unary()?))
        } else {
            let base = self.atom()?;
            if self.peek() == Some('^') {
                self.at += 1;
                // Right-associative, and binds tighter than a leading minus: -2^2 = -4.
                Expr::Binary(BinOp::Pow, Box::new(base), Box::new(self.unary()?))
            } else {
                base
            }
        };
        self.depth -= 1;
        Ok(e)
    }
    fn atom(&mut self) -> Parsed {
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let e = self.sum()?;
                self.expect(')')?;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.at;
                let mut end = start;
                while let Some(&b) = self.chars.get(end) {
                    let exponent_sign = (b == '+' || b == '-')
                        && end > start
                        && matches!(self.chars[end - 1], 'e' | 'E');
                    if b.is_ascii_digit() || b == '.' || b == 'e' || b == 'E' || exponent_sign {
                        end += 1;
                    } else {
                        break;
                    }
                }
                let text: String = self.chars[start..end].iter().collect();
                match text.parse::<f64>() {
                    Ok(n) if n.is_finite() => {
                        self.at = end;
                        Ok(Expr::Number(n))
                    }
                    _ => self.error(
                        format!("'{text}' is not a number"),
                        format!("「{text}」不是數字"),
                    ),
                }
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.at;
                let mut end = start;
                while self
                    .chars
                    .get(end)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    end += 1;
                }
                let name: String = self.chars[start..end].iter().collect();
                self.at = end;
                if self.peek() != Some('(') {
                    return Ok(Expr::Variable(name));
                }
                let Some((f, arity)) = Function::by_name(&name) else {
                    return self.error(
                        format!("unknown function '{name}' (min, max, abs)"),
                        format!("未知函數「{name}」（可用 min、max、abs）"),
                    );
                };
                self.at += 1;
                let mut args = vec![self.sum()?];
                while self.peek() == Some(',') {
                    self.at += 1;
                    args.push(self.sum()?);
                }
                self.expect(')')?;
                if args.len() != arity {
                    return self.error(
                        format!("{name} takes {arity} argument(s)"),
                        format!("{name} 需要 {arity} 個參數"),
                    );
                }
                Ok(Expr::Call(f, args))
            }
            Some(c) if c.is_whitespace() => self.error(
                format!(
                    "a non-ASCII space (U+{:04X}) — write formulas with ordinary spaces",
                    c as u32
                ),
                format!("全形或特殊空格（U+{:04X}）——請用半形空格", c as u32),
            ),
            Some(c) if ('\u{FF01}'..='\u{FF5E}').contains(&c) => {
                let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or('?');
                self.error(
                    format!("full-width '{c}' — write the half-width '{half}'"),
                    format!("全形字元「{c}」——請改用半形「{half}」"),
                )
            }
            Some(c) => self.error(format!("unexpected '{c}'"), format!("不應出現「{c}」")),
            None => self.error("unexpected end".into(), "算式不完整".into()),
        }
    }
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let chars: Vec<char> = text.chars().take(MAX_LENGTH + 1).collect();
        if chars.len() > MAX_LENGTH {
            return Err(ParseError {
                position: MAX_LENGTH + 1,
                en: format!("longer than {MAX_LENGTH} characters"),
                zh: format!("長度超過 {MAX_LENGTH} 個字元"),
            });
        }
        let mut p = Parser {
            chars,
            at: 0,
            depth: 0,
        };
        let e = p.sum()?;
        if let Some(c) = p.peek() {
            return match c {
                c if c.is_whitespace() => p.error(
                    format!(
                        "a non-ASCII space (U+{:04X}) — write formulas with ordinary spaces",
                        c as u32
                    ),
                    format!("全形或特殊空格（U+{:04X}）——請用半形空格", c as u32),
                ),
                _ => p.error("unexpected text".into(), "出現多餘的文字".into()),
            };
        }
        Ok(e)
    }

    /// The names the expression uses.
    pub fn variables(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Variable(v) => {
                out.insert(v.clone());
            }
            Expr::Negate(e) => e.collect(out),
            Expr::Binary(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
    }

    /// Evaluates with `value` giving each name's value (None: an unknown name).
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<f64>) -> Result<f64, String> {
        Ok(match self {
            Expr::Number(n) => *n,
            Expr::Variable(v) => value(v).ok_or_else(|| format!("unknown name '{v}'"))?,
            Expr::Negate(e) => -e.eval(value)?,
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.eval(value)?, b.eval(value)?);
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    BinOp::Pow => a.powf(b),
                }
            }
            Expr::Call(f, args) => {
                let x: Vec<f64> = args
                    .iter()
                    .map(|a| a.eval(value))
                    .collect::<Result<_, _>>()?;
                match (f, x.as_slice()) {
                    (Function::Min, [a, b]) => a.min(*b),
                    (Function::Max, [a, b]) => a.max(*b),
                    (Function::Abs, [a]) => a.abs(),
                    _ => return Err(format!("bad call to {f:?}")),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eval(s: &str) -> f64 {
        Expr::parse(s)
            .and_then(|e| {
                e.eval(&|v| match v {
                    "x" => Some(2.0),
                    "t" => Some(3.0),
                    _ => None,
                })
                .map_err(|m| ParseError {
                    position: 0,
                    en: m,
                    zh: String::new(),
                })
            })
            .unwrap_or(f64::NAN)
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(eval("1 + 2 * 3"), 7.0);
        assert_eq!(eval("(1 + 2) * 3"), 9.0);
        assert_eq!(eval("-2^2"), -4.0);
        assert_eq!(eval("2^3^2"), 512.0);
        assert_eq!(eval("min(1, max(0, t - x))"), 1.0);
        assert_eq!(eval("abs(-x) * 1e2"), 200.0);
        assert_eq!(eval("10 / 4 - 1.5e-1"), 2.35);
    }

    #[test]
    fn non_ascii_spaces_and_full_width_digits_are_named_not_guessed() {
        // A full-width space (U+3000, typed with a Chinese input method) and a no-break space.
        let e = Expr::parse("1 +\u{3000} 2")
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.position, 4);
        assert!(
            e.en.contains("U+3000") && e.zh.contains("半形空格"),
            "{e:?}"
        );
        let e = Expr::parse("x\u{00A0}* 2")
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert!(e.en.contains("U+00A0"), "{e:?}");
        let e = Expr::parse("１＋２")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("full-width '１'") && e.contains("'1'") && e.contains("character 1"),
            "{e}"
        );
        assert_eq!(eval(" 1 +\t2 \n"), 3.0);
    }

    #[test]
    fn positions_count_characters() {
        let e = Expr::parse("中文 1 + #").err();
        assert_eq!(e.map(|e| e.position), Some(1));
        let e = Expr::parse("1 + 2 + 中").err();
        assert_eq!(e.map(|e| e.position), Some(9));
    }

    #[test]
    fn depth_and_length_are_limited() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = Expr::parse(&deep)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("longer than"), "{e}");
        let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        let e = Expr::parse(&deep)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("nested more than 64"), "{e}");
        let minus = format!("{}1", "-".repeat(500));
        assert!(Expr::parse(&minus).is_err());
        let ok = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert!(Expr::parse(&ok).is_ok());
    }

    #[test]
    fn malformed_text_is_an_error() {
        for bad in [
            "", "1 +", "min(1)", "foo(1)", "1 2", "(1", "1e", "..", "1e999",
        ] {
            assert!(Expr::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]
        #[test]
        fn parsing_never_panics(s in any::<String>()) {
            let _ = Expr::parse(&s);
        }
        #[test]
        fn parsing_expression_like_text_never_panics(s in "[0-9a-z_ +*/^().,eE\u{3000}\u{00A0}１（-]{0,300}") {
            if let Ok(e) = Expr::parse(&s) {
                let _ = e.eval(&|_| Some(1.0));
            }
        }
    }
}
