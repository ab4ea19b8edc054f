//! "Did you mean ...?" suggestions for misspelt keys and names, and the one check for unknown
//! keys that every layer uses.

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Map;

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

/// `d` with the help a misspelt `word` deserves: "did you mean `s`?" when one of `candidates`
/// is close; else, when `listing` names them, the candidates listed (`"{listing}: a, b"`); else
/// `d` as it was.
pub fn with_suggestion(
    d: Diagnostic,
    word: &str,
    candidates: &[&str],
    listing: Option<&str>,
) -> Diagnostic {
    match (did_you_mean(word, candidates.iter().copied()), listing) {
        (Some(s), _) => d.with_help(format!("did you mean `{s}`?")),
        (None, Some(label)) => d.with_help(format!("{label}: {}", candidates.join(", "))),
        (None, None) => d,
    }
}

/// Reports each key of `map` that is not in `allowed`: `unknown` makes the diagnostic from the
/// key and its span (None lets the key pass), [`with_suggestion`] adds the help.
pub fn unknown_keys(
    map: &Map,
    allowed: &[&str],
    listing: Option<&str>,
    mut unknown: impl FnMut(&str, Span) -> Option<Diagnostic>,
    out: &mut Vec<Diagnostic>,
) {
    for (key, key_span, _) in &map.entries {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        if let Some(d) = unknown(key, *key_span) {
            out.push(with_suggestion(d, key, allowed, listing));
        }
    }
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

    #[test]
    fn unknown_keys_get_a_suggestion_or_the_list() {
        let (docs, _) = crate::yaml::parse(
            0,
            "imgae: x\nports: []\nzzz: 1\nx-a: 2\n",
            &crate::yaml::Limits::default(),
        );
        let map = docs[0].as_map().unwrap();
        let allowed = ["image", "ports"];
        let mut out = Vec::new();
        let make = |key: &str, span| {
            (!key.starts_with("x-")).then(|| Diagnostic::error("CX1", format!("`{key}`"), span))
        };
        unknown_keys(map, &allowed, Some("allowed keys"), make, &mut out);
        let got: Vec<(&str, Option<&str>, u32)> = out
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref(), d.span.unwrap().start))
            .collect();
        assert_eq!(
            got,
            [
                ("`imgae`", Some("did you mean `image`?"), 0),
                ("`zzz`", Some("allowed keys: image, ports"), 19),
            ]
        );
        let mut out = Vec::new();
        unknown_keys(map, &allowed, None, make, &mut out);
        assert_eq!(out[1].help, None);
    }
}
