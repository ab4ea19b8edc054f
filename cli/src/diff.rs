//! A small line diff for `set-image --dry-run` and `render --check`: one hunk covering the
//! changed lines, which is what a single-scalar edit produces.

use std::fmt::Write;

/// A unified-style diff of `old` and `new` under the name `name`; empty when they are equal.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let _ = writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        prefix + 1,
        a_mid.len(),
        prefix + 1,
        b_mid.len()
    );
    for line in a_mid {
        let _ = write!(out, "-{}", with_newline(line));
    }
    for line in b_mid {
        let _ = write!(out, "+{}", with_newline(line));
    }
    out
}

fn with_newline(line: &str) -> String {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    format!("{trimmed}\n")
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn one_hunk_around_the_change() {
        let d = unified("c.yml", "a\nimage: x\nb\n", "a\nimage: y\nb\n");
        assert_eq!(
            d,
            "--- a/c.yml\n+++ b/c.yml\n@@ -2,1 +2,1 @@\n-image: x\n+image: y\n"
        );
        assert_eq!(unified("c.yml", "same", "same"), "");
    }
}
