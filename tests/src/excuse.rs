//! Listed exceptions of the corpus and lint tests, kept honest: each one names the case, the code
//! (a composex diagnostic code or a cfn-lint rule) and a piece of the message or path it excuses,
//! so it cannot excuse another finding of the same code; each use is counted, and an entry never
//! used is stale (the test fails, so the list shrinks when the product improves).

use std::collections::BTreeMap;

/// One deliberate exception.
#[derive(Debug, Clone, Copy)]
pub struct Excusal {
    /// The corpus case (`s3.full_s3_bucket_properties`) or fixture name.
    pub case: &'static str,
    /// The diagnostic code or cfn-lint rule it excuses.
    pub code: &'static str,
    /// Text the finding's message or path must contain.
    pub matching: &'static str,
    /// Why it is excused (printed with the counts).
    pub why: &'static str,
}

/// Shorthand for an [`Excusal`].
pub const fn excusal(
    case: &'static str,
    code: &'static str,
    matching: &'static str,
    why: &'static str,
) -> Excusal {
    Excusal {
        case,
        code,
        matching,
        why,
    }
}

/// A list of excusals with a use count per entry.
#[derive(Debug)]
pub struct Ledger {
    name: &'static str,
    list: &'static [Excusal],
    used: Vec<usize>,
}

impl Ledger {
    /// A ledger over `list`, named `name` in messages (e.g. `VERBATIM`).
    pub fn new(name: &'static str, list: &'static [Excusal]) -> Self {
        Ledger {
            name,
            list,
            used: vec![0; list.len()],
        }
    }

    /// The entry excusing the finding `code` of `case` whose message or path (`texts`) contains
    /// its `matching` text, counted as used; None when no entry fits.
    pub fn excuse(&mut self, case: &str, code: &str, texts: &[&str]) -> Option<&'static Excusal> {
        let index = self.list.iter().position(|e| {
            e.case == case && e.code == code && texts.iter().any(|t| t.contains(e.matching))
        })?;
        self.used[index] += 1;
        Some(&self.list[index])
    }

    /// True when some entry is about `case` (whatever its code).
    pub fn lists(&self, case: &str) -> bool {
        self.list.iter().any(|e| e.case == case)
    }

    /// Entries never used, as messages naming the list.
    pub fn stale(&self) -> Vec<String> {
        self.list
            .iter()
            .zip(&self.used)
            .filter(|(_, n)| **n == 0)
            .map(|(e, _)| {
                format!(
                    "{}: {} {} `{}` no longer occurs: remove it from {}",
                    e.case, e.code, e.why, e.matching, self.name
                )
            })
            .collect()
    }

    /// Uses per reason (`why`), for the summary lines.
    pub fn by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for (e, n) in self.list.iter().zip(&self.used) {
            *counts.entry(e.why).or_insert(0) += n;
        }
        counts
    }

    /// Total uses.
    pub fn total(&self) -> usize {
        self.used.iter().sum()
    }

    /// Prints `<label> excused <n> (<list>)` then one line per reason.
    pub fn print(&self, label: &str) {
        println!("{label}: {} excused ({})", self.total(), self.name);
        for (why, n) in self.by_reason() {
            println!("{label}:   {n:>4} excused: {why}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[Excusal] = &[
        excusal("a", "E1", "KMSMasterKeyID", "raw key id"),
        excusal("a", "E2", "Other", "never seen"),
    ];

    #[test]
    fn only_the_named_finding_is_excused_and_unused_entries_are_stale() {
        let mut ledger = Ledger::new("LIST", LIST);
        assert!(ledger
            .excuse("a", "E1", &["bad", "Resources/B/KMSMasterKeyID"])
            .is_some());
        // Same case and rule, another path: not excused.
        assert!(ledger
            .excuse("a", "E1", &["bad", "Resources/B/Tags"])
            .is_none());
        // Another case: not excused.
        assert!(ledger.excuse("b", "E1", &["KMSMasterKeyID"]).is_none());
        assert_eq!(ledger.total(), 1);
        let stale = ledger.stale();
        assert_eq!(stale.len(), 1);
        assert!(stale[0].contains("E2"), "{stale:?}");
    }
}
