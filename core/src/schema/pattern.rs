//! The small regular-expression subset the table keeps (`make schemas` drops other patterns):
//! anchored `^...$`, atoms are literal characters, `.`, classes `[...]` / `[^...]` with ranges,
//! and `\d \w \s \S`; quantifiers `? * + {m} {m,n} {m,}`. No groups or alternation, so a
//! backtracking match is short and its result certain.

#[derive(Debug, Clone)]
enum Item {
    Char(char),
    Range(char, char),
    Digit,
    Word,
    Space,
    NotSpace,
}

#[derive(Debug, Clone)]
struct Atom {
    /// Any character (`.`).
    any: bool,
    negated: bool,
    items: Vec<Item>,
    min: usize,
    max: usize,
}

impl Atom {
    fn accepts(&self, c: char) -> bool {
        if self.any {
            return c != '\n';
        }
        let hit = self.items.iter().any(|i| match i {
            Item::Char(x) => *x == c,
            Item::Range(a, b) => (*a..=*b).contains(&c),
            Item::Digit => c.is_ascii_digit(),
            Item::Word => c.is_ascii_alphanumeric() || c == '_',
            Item::Space => c.is_whitespace(),
            Item::NotSpace => !c.is_whitespace(),
        });
        hit != self.negated
    }
}

fn escape(c: char) -> Item {
    match c {
        'd' => Item::Digit,
        'w' => Item::Word,
        's' => Item::Space,
        'S' => Item::NotSpace,
        other => Item::Char(other),
    }
}

/// Parses `pattern`; None when it is outside the subset.
fn parse(pattern: &str) -> Option<Vec<Atom>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let chars: Vec<char> = body.chars().collect();
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut atom = Atom {
            any: false,
            negated: false,
            items: Vec::new(),
            min: 1,
            max: 1,
        };
        match chars[i] {
            '.' => atom.any = true,
            '\\' => {
                i += 1;
                atom.items.push(escape(*chars.get(i)?));
            }
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    atom.negated = true;
                    i += 1;
                }
                while *chars.get(i)? != ']' {
                    let c = chars[i];
                    let item = if c == '\\' {
                        i += 1;
                        escape(*chars.get(i)?)
                    } else if chars.get(i + 1) == Some(&'-')
                        && chars.get(i + 2).is_some_and(|n| *n != ']')
                    {
                        i += 2;
                        Item::Range(c, chars[i])
                    } else {
                        Item::Char(c)
                    };
                    atom.items.push(item);
                    i += 1;
                }
            }
            '(' | ')' | '|' | '*' | '+' | '?' | '{' | '^' | '$' => return None,
            c => atom.items.push(Item::Char(c)),
        }
        i += 1;
        match chars.get(i) {
            Some('?') => (atom.min, atom.max, i) = (0, 1, i + 1),
            Some('*') => (atom.min, atom.max, i) = (0, usize::MAX, i + 1),
            Some('+') => (atom.min, atom.max, i) = (1, usize::MAX, i + 1),
            Some('{') => {
                let close = i + chars[i..].iter().position(|c| *c == '}')?;
                let inner: String = chars[i + 1..close].iter().collect();
                let (lo, hi) = match inner.split_once(',') {
                    None => (inner.parse().ok()?, inner.parse().ok()?),
                    Some((lo, "")) => (lo.parse().ok()?, usize::MAX),
                    Some((lo, hi)) => (lo.parse().ok()?, hi.parse().ok()?),
                };
                (atom.min, atom.max, i) = (lo, hi, close + 1);
            }
            _ => {}
        }
        atoms.push(atom);
    }
    Some(atoms)
}

fn matches_from(atoms: &[Atom], text: &[char]) -> bool {
    let Some((atom, rest)) = atoms.split_first() else {
        return text.is_empty();
    };
    // Longest run first, then shorter ones (backtracking).
    let mut run = 0;
    while run < atom.max && run < text.len() && atom.accepts(text[run]) {
        run += 1;
    }
    (atom.min..=run)
        .rev()
        .any(|n| matches_from(rest, &text[n..]))
}

/// Whether `text` matches `pattern`; None when the pattern is outside the subset.
pub fn matches(pattern: &str, text: &str) -> Option<bool> {
    let atoms = parse(pattern)?;
    let chars: Vec<char> = text.chars().collect();
    Some(matches_from(&atoms, &chars))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn the_subset_matches_like_a_regex_engine() {
        assert_eq!(matches("^[a-zA-Z0-9_.-]+$", "my-bucket.v1"), Some(true));
        assert_eq!(matches("^[a-zA-Z0-9_.-]+$", "my bucket"), Some(false));
        assert_eq!(matches("^[a-zA-Z0-9_.-]+$", ""), Some(false));
        assert_eq!(matches("^[a-zA-Z][a-zA-Z0-9_]{0,127}$", "a_1"), Some(true));
        assert_eq!(matches("^[a-zA-Z][a-zA-Z0-9_]{0,127}$", "1a"), Some(false));
        assert_eq!(matches("^\\S+$", "no-space"), Some(true));
        assert_eq!(matches("^\\S+$", "a space"), Some(false));
        assert_eq!(matches("^[^:*]*$", "a:b"), Some(false));
        assert_eq!(
            matches(
                "^arn:aws[-a-z]*:kms:[-a-z0-9]+:[0-9]{12}:key/.+$",
                "arn:aws:kms:eu-west-1:012345678912:key/abc"
            ),
            Some(true)
        );
        assert_eq!(
            matches(
                "^arn:aws[-a-z]*:kms:[-a-z0-9]+:[0-9]{12}:key/.+$",
                "arn:aws:kms:eu-west-1:0123:key/abc"
            ),
            Some(false)
        );
        // a trailing run must leave room for what follows (backtracking)
        assert_eq!(matches("^[a-z]+[a-z]{2}$", "abc"), Some(true));
        assert_eq!(matches("^(a|b)$", "a"), None);
    }
}
