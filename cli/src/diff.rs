//! Unified diffs (as `diff -u` and git print them) for `set-image --dry-run` and `render --check`.

use similar::TextDiff;

/// Lines of unchanged context shown around each change (as `diff -u`).
const CONTEXT: usize = 3;

/// A unified diff from `old` to `new` of the file `name`, headed `--- a/name` / `+++ b/name`
/// (`--- /dev/null` when the file does not exist yet); empty when they are equal.
pub fn unified(name: &str, old: Option<&str>, new: &str) -> String {
    let before = old.unwrap_or("");
    if old.is_some() && before == new {
        return String::new();
    }
    let a = match old {
        Some(_) => format!("a/{name}"),
        None => "/dev/null".to_owned(),
    };
    TextDiff::from_lines(before, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(&a, &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn hunks_carry_three_lines_of_context() {
        let old = "1\n2\n3\n4\nimage: x\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nimage: y\n6\n7\n8\n9\n";
        assert_eq!(
            unified("c.yml", Some(old), new),
            "--- a/c.yml\n+++ b/c.yml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-image: x\n+image: y\n 6\n 7\n 8\n"
        );
        assert_eq!(unified("c.yml", Some("same"), "same"), "");
    }

    #[test]
    fn changes_far_apart_make_separate_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=20)
            .map(|i| match i {
                2 => "two\n".to_owned(),
                19 => "nineteen\n".to_owned(),
                _ => format!("{i}\n"),
            })
            .collect();
        let d = unified("t.yaml", Some(&old), &new);
        assert_eq!(
            d,
            "--- a/t.yaml\n+++ b/t.yaml\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n\
             @@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n"
        );
    }

    #[test]
    fn a_missing_file_is_all_additions_from_dev_null() {
        assert_eq!(
            unified("new.json", None, "{\n}\n"),
            "--- /dev/null\n+++ b/new.json\n@@ -0,0 +1,2 @@\n+{\n+}\n"
        );
    }

    #[test]
    fn a_last_line_without_newline_is_marked() {
        let d = unified("c.yml", Some("a\nb"), "a\nc");
        assert_eq!(
            d,
            "--- a/c.yml\n+++ b/c.yml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }
}
