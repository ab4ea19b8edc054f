//! "Did you mean ...?" suggestions for misspelt keys and names.

/// Edit distance (insertions, deletions, substitutions, and swaps of two neighbours) between two
/// strings, compared without case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    // Three rows of the optimal-string-alignment table are enough.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely misspelling: at most a
/// third of the word's length in edits (at least one), or the same word in another case.
/// Ties go to the first candidate, so callers control the order. A word that is itself a
/// candidate gets no suggestion.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            return None; // not a misspelling
        }
        let distance = edit_distance(word, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("image", "image"), 0);
        assert_eq!(edit_distance("imgae", "image"), 1); // swap
        assert_eq!(edit_distance("imag", "image"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Ports", "ports"), 0);
    }

    #[test]
    fn suggestions() {
        let keys = ["image", "ports", "environment", "deploy"];
        assert_eq!(did_you_mean("imgae", keys), Some("image"));
        assert_eq!(did_you_mean("enviroment", keys), Some("environment"));
        assert_eq!(did_you_mean("Ports", keys), Some("ports"));
        assert_eq!(did_you_mean("zzz", keys), None);
        assert_eq!(
            did_you_mean("x-sqs", ["x-sns", "x-sqs"]),
            None,
            "exact match is not a misspelling"
        );
        assert_eq!(did_you_mean("x-sq", ["x-sns", "x-sqs"]), Some("x-sqs"));
    }
}
