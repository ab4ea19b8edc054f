//! Logical ids: CloudFormation accepts only `[A-Za-z0-9]`, at most 255 characters.

/// Longest logical id CloudFormation accepts.
const MAX_LEN: usize = 255;

/// A logical id for `name`: words split on non-alphanumeric characters, each capitalised and
/// joined (`app-01` -> `App01`, `my_queue.dlq` -> `MyQueueDlq`). Ids that would start with a digit
/// or be empty get an `X` in front.
pub fn logical_id(name: &str) -> String {
    // Byte-wise: only ASCII alphanumerics are kept, so a multi-byte character is a separator
    // like any other.
    let mut id = String::with_capacity(name.len() + 1);
    let mut word_start = true;
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() {
            id.push(char::from(if word_start {
                b.to_ascii_uppercase()
            } else {
                b
            }));
            word_start = false;
        } else {
            word_start = true;
        }
    }
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert(0, 'X');
    }
    id.truncate(MAX_LEN);
    id
}

/// `base`, or `base2`, `base3`, ... : the first that `taken` rejects.
pub fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let mut n: u64 = 2;
    loop {
        let suffix = n.to_string();
        let mut candidate: String = base.chars().take(MAX_LEN - suffix.len()).collect();
        candidate.push_str(&suffix);
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_names() {
        assert_eq!(logical_id("app-01"), "App01");
        assert_eq!(logical_id("app01"), "App01");
        assert_eq!(logical_id("my_queue.dlq"), "MyQueueDlq");
        assert_eq!(logical_id("queueB"), "QueueB");
        assert_eq!(logical_id("01-app"), "X01App");
        assert_eq!(logical_id("--"), "X");
        assert_eq!(logical_id("été"), "T");
        assert_eq!(logical_id(&"a".repeat(300)).len(), 255);
    }

    #[test]
    fn unique_suffixes() {
        let taken = ["App", "App2"];
        assert_eq!(unique_id("App", |c| taken.contains(&c)), "App3");
        assert_eq!(unique_id("Db", |c| taken.contains(&c)), "Db");
    }
}
