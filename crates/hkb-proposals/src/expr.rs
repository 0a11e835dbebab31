//! Arithmetic expressions for the amounts of costing lines: numbers (`0.5`, `1e9`), parameter
//! names, `+ - * / ^`, unary minus, parentheses and the functions `min(a, b)`, `max(a, b)` and
//! `abs(a)`. Hand-written (about a hundred lines) because the expression crates tried either
//! reject nested calls such as `min(1, max(0, t - lag))` (exmex 0.21) or mix integer and float
//! division (evalexpr).

use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Variable(String),
    Negate(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

const FUNCTIONS: [(&str, usize); 3] = [("min", 2), ("max", 2), ("abs", 1)];

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text[self.at..].starts_with(char::is_whitespace) {
            self.at += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.text[self.at..].chars().next()
    }
    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.at + 1))
    }
    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            self.error(&format!("expected '{c}'"))
        }
    }
    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.product()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.product()?));
        }
        Ok(left)
    }
    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek() == Some('-') {
            self.at += 1;
            return Ok(Expr::Negate(Box::new(self.unary()?)));
        }
        let base = self.atom()?;
        if self.peek() == Some('^') {
            self.at += 1;
            // Right-associative, and binds tighter than a leading minus: -2^2 = -4.
            return Ok(Expr::Binary('^', Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }
    fn atom(&mut self) -> Result<Expr, String> {
        let rest = &self.text[self.at..];
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let e = self.sum()?;
                self.expect(')')?;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let rest = &self.text[self.at..];
                let mut end = 0;
                let bytes = rest.as_bytes();
                while end < bytes.len() {
                    let b = bytes[end];
                    let exponent_sign = (b == b'+' || b == b'-')
                        && end > 0
                        && (bytes[end - 1] == b'e' || bytes[end - 1] == b'E');
                    if b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || exponent_sign {
                        end += 1;
                    } else {
                        break;
                    }
                }
                let n: f64 = rest[..end]
                    .parse()
                    .or_else(|_| self.error(&format!("'{}' is not a number", &rest[..end])))?;
                self.at += end;
                Ok(Expr::Number(n))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let rest = &self.text[self.at..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let name = rest[..end].to_string();
                self.at += end;
                if self.peek() != Some('(') {
                    return Ok(Expr::Variable(name));
                }
                let Some(&(_, arity)) = FUNCTIONS.iter().find(|(f, _)| *f == name) else {
                    return self.error(&format!("unknown function '{name}' (min, max, abs)"));
                };
                self.at += 1;
                let mut args = vec![self.sum()?];
                while self.peek() == Some(',') {
                    self.at += 1;
                    args.push(self.sum()?);
                }
                self.expect(')')?;
                if args.len() != arity {
                    return self.error(&format!("{name} takes {arity} argument(s)"));
                }
                Ok(Expr::Call(name, args))
            }
            _ if rest.trim().is_empty() => self.error("unexpected end"),
            Some(c) => self.error(&format!("unexpected '{c}'")),
            None => self.error("unexpected end"),
        }
    }
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, String> {
        let mut p = Parser { text, at: 0 };
        let e = p.sum()?;
        if p.peek().is_some() {
            return p.error("unexpected text");
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
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    '/' => a / b,
                    _ => a.powf(b),
                }
            }
            Expr::Call(f, args) => {
                let x: Vec<f64> = args
                    .iter()
                    .map(|a| a.eval(value))
                    .collect::<Result<_, _>>()?;
                match (f.as_str(), x.as_slice()) {
                    ("min", [a, b]) => a.min(*b),
                    ("max", [a, b]) => a.max(*b),
                    ("abs", [a]) => a.abs(),
                    _ => return Err(format!("bad call to {f}")),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str) -> f64 {
        let e = Expr::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        e.eval(&|v| match v {
            "t" => Some(4.0),
            "lag" => Some(2.0),
            _ => None,
        })
        .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn arithmetic_follows_the_usual_rules() {
        assert_eq!(eval("1 + 2 * 3"), 7.0);
        assert_eq!(eval("(1 + 2) * 3"), 9.0);
        assert_eq!(eval("10 / 4"), 2.5);
        assert_eq!(eval("2 ^ 3 ^ 2"), 512.0);
        assert_eq!(eval("-2 ^ 2"), -4.0);
        assert_eq!(eval("8 - 3 - 2"), 3.0);
        assert_eq!(eval("2 * -t"), -8.0);
        assert_eq!(eval("1e9 / 1e3"), 1e6);
        assert_eq!(eval("1.5e-2 * 100"), 1.5);
        assert_eq!(eval("min(1, max(0, t - lag + 1))"), 1.0);
        assert_eq!(eval("min(1, max(0, lag - t))"), 0.0);
        assert_eq!(eval("abs(lag - t)"), 2.0);
    }

    #[test]
    fn bad_expressions_are_refused_with_the_place() {
        for bad in [
            "1 +",
            "(1 + 2",
            "1 2",
            "min(1)",
            "foo(1, 2)",
            "1 + * 2",
            "3 $ 4",
            "",
        ] {
            assert!(Expr::parse(bad).is_err(), "{bad}");
        }
        let e = Expr::parse("(1 + 2").err().unwrap_or_default();
        assert!(e.contains("expected ')'"), "{e}");
        let x = Expr::parse("a + b * min(c, d)").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            x.variables().into_iter().collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert!(x.eval(&|_| None).is_err());
    }
}
