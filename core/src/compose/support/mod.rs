//! What becomes of every compose-specification key on ECS: one table ([`rows`]) that the
//! validator applies to the loaded tree and that the docs' support table is generated from.
//!
//! Each key is mapped (it becomes an ECS or CloudFormation property), approximated (an info at
//! the key says how), unavailable (a warning at the key says what would make it work) or refused
//! (an error at the key). Nothing the compose model accepts is dropped without a word.
//!
//! Codes (CX280-CX289 and CX253-CX259 belong to this module):
//!
//! | code  | severity | meaning |
//! |-------|----------|---------|
//! | CX280 | info     | key approximated on ECS (the message says how) |
//! | CX281 | warning  | key not available on ECS Fargate: left out (the help says what would make it work) |
//! | CX282 | error    | key refused: rendering it would deploy something else than what it says |
//! | CX283 | info/warning | `depends_on` a service of another task family: ECS starts services independently (warning when a health or completion condition is asked for) |
//! | CX284 | warning  | restart policy ECS cannot honour: an ECS service restarts its tasks forever |
//! | CX285 | warning  | `environment` entry without a value (and none in the environment): left out |
//! | CX286 | error    | unknown Linux capability in `cap_add` / `cap_drop` (defined in normalisation, which checks it) |

use indexmap::IndexMap;
use std::sync::LazyLock;

mod check;
mod table;

pub use check::check;

/// Key approximated on ECS (info).
pub const APPROXIMATED: &str = "CX280";
/// Key not available on ECS Fargate (warning).
pub const UNAVAILABLE: &str = "CX281";
/// Key refused (error).
pub const REFUSED: &str = "CX282";
/// `depends_on` across task families (warning).
pub const DEPENDS_ACROSS_FAMILIES: &str = "CX283";
/// Restart policy an ECS service cannot honour (warning).
pub const RESTART_POLICY: &str = "CX284";
/// `environment` entry without a value (warning).
pub const ENV_WITHOUT_VALUE: &str = "CX285";

/// What a compose key becomes on ECS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Becomes the ECS / CloudFormation property named in the row's note.
    Mapped,
    /// Rendered differently than compose runs it; an info at the key says how.
    Approximated,
    /// Not available on ECS Fargate; a warning at the key says what would make it work.
    Unavailable,
    /// Refused with an error at the key.
    Refused,
}

impl Class {
    /// The word the docs table uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Mapped => "mapped",
            Class::Approximated => "approximated",
            Class::Unavailable => "not on Fargate",
            Class::Refused => "refused",
        }
    }
}

/// One row of the support table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRow {
    /// Dotted path: `services.*.deploy.replicas`; `*` is any name, list items are transparent.
    pub path: &'static str,
    /// When not empty, the row applies only to these values (`restart: no`); a trailing `*` is
    /// a prefix (`on-failure*`). Compared case-insensitively.
    pub values: &'static [&'static str],
    /// Set when the row is chosen by a rule of the checker rather than by the value (the text
    /// says when, e.g. "on a service of another task family").
    pub condition: &'static str,
    /// The row covers every key below `path` too.
    pub subtree: bool,
    /// What the key becomes.
    pub class: Class,
    /// Mapped: the ECS property; otherwise what happens and what would make it work.
    pub note: &'static str,
    /// A later stage reports the key at its place (the checker stays quiet to say it once).
    pub elsewhere: bool,
}

impl KeyRow {
    const fn new(path: &'static str, class: Class, note: &'static str) -> Self {
        KeyRow {
            path,
            values: &[],
            condition: "",
            subtree: false,
            class,
            note,
            elsewhere: false,
        }
    }

    /// The row for only these values.
    const fn values(mut self, values: &'static [&'static str]) -> Self {
        self.values = values;
        self
    }

    /// The row chosen by a checker rule described by `condition`.
    const fn when(mut self, condition: &'static str) -> Self {
        self.condition = condition;
        self
    }

    /// The row covers the keys below its path.
    const fn subtree(mut self) -> Self {
        self.subtree = true;
        self
    }

    /// A later stage reports this key itself.
    const fn elsewhere(mut self) -> Self {
        self.elsewhere = true;
        self
    }

    /// True when `segments` (a concrete path) is this row's path or, for a subtree row, below it.
    pub fn matches(&self, segments: &[&str]) -> bool {
        // Walked without allocating: the validator asks for every key of the file.
        let mut pattern = self.path.split('.');
        for segment in segments {
            match pattern.next() {
                Some(p) if p == "*" || p == *segment => {}
                Some(_) => return false,
                None => return self.subtree,
            }
        }
        pattern.next().is_none()
    }

    /// True when the row applies to the scalar `value` (always for a row without values).
    pub fn matches_value(&self, value: &str) -> bool {
        self.values.is_empty()
            || self.values.iter().any(|v| match v.strip_suffix('*') {
                Some(prefix) => value
                    .to_ascii_lowercase()
                    .starts_with(&prefix.to_ascii_lowercase()),
                None => v.eq_ignore_ascii_case(value),
            })
    }
}

/// Every row of the support table, most specific first within a path.
pub fn rows() -> &'static [KeyRow] {
    table::ROWS
}

/// The rows that apply to the concrete path `segments` (value rows and conditional rows first,
/// the key's default row last).
pub fn rows_for<'a>(segments: &'a [&'a str]) -> impl Iterator<Item = &'static KeyRow> + 'a {
    // The validator asks for every key of the file: per number of segments, the rows of exactly
    // that depth are found by their last segment (one lookup instead of a scan of the table);
    // the rest (a `*` last, subtree rows above) are few. Both lists are in table order, and so is
    // their merge.
    let index = row_index();
    let depth = segments.len().min(index.by_depth.len() - 1);
    let bucket = &index.by_depth[depth];
    let named = segments
        .get(depth.wrapping_sub(1))
        .and_then(|last| bucket.by_last.get(last))
        .map_or(&[][..], Vec::as_slice);
    let matches = |i: &usize| {
        index.paths[*i]
            .iter()
            .zip(segments)
            .rev()
            .all(|(p, segment)| *p == "*" || p == segment)
    };
    let mut hits: Vec<usize> = named.iter().copied().filter(matches).collect();
    let before = hits.len();
    hits.extend(bucket.others.iter().copied().filter(matches));
    if before > 0 && hits.len() > before {
        hits.sort_unstable();
    }
    hits.into_iter().map(|i| &table::ROWS[i])
}

/// The table's row paths split at their dots, and for each number of segments the rows that can
/// apply to a path that deep (same depth, or a subtree row above it), in table order.
struct RowIndex {
    paths: Vec<Vec<&'static str>>,
    /// The last entry serves every deeper path (subtree rows only).
    by_depth: Vec<DepthRows>,
}

/// The rows that can apply to paths of one depth.
#[derive(Default)]
struct DepthRows {
    /// Rows of exactly this depth by their last segment (not `*`). foldhash's fixed-seed
    /// hasher: the index is only looked up (never iterated), and std's random one cost more
    /// than the rest of the build.
    by_last: IndexMap<&'static str, Vec<usize>, foldhash::fast::FixedState>,
    /// The others: a `*` last segment, or a subtree row above this depth.
    others: Vec<usize>,
}

fn row_index() -> &'static RowIndex {
    // Every CLI run builds this, so it is built in one pass over the rows: the first version (a
    // pass per depth, std's hasher, `str::split`) was 8% of the instructions of `composex
    // render` on the seed.
    static INDEX: LazyLock<RowIndex> = LazyLock::new(|| {
        let paths: Vec<Vec<&'static str>> =
            table::ROWS.iter().map(|row| segments(row.path)).collect();
        let deepest = paths.iter().map(Vec::len).max().unwrap_or(0);
        let mut by_depth: Vec<DepthRows> =
            (0..=deepest + 1).map(|_| DepthRows::default()).collect();
        for (i, path) in paths.iter().enumerate() {
            let depth = path.len();
            let rows = &mut by_depth[depth];
            match path.last() {
                Some(&last) if last != "*" => rows.by_last.entry(last).or_default().push(i),
                _ => rows.others.push(i),
            }
            if table::ROWS[i].subtree {
                for deeper in &mut by_depth[depth + 1..] {
                    deeper.others.push(i);
                }
            }
        }
        RowIndex { paths, by_depth }
    });
    &INDEX
}

/// `path` split at its dots, in one walk over its bytes (`str::split` searched for each dot
/// anew: most of the index's build time, for paths of a few dozen bytes).
fn segments(path: &'static str) -> Vec<&'static str> {
    let mut segments = Vec::with_capacity(4);
    let mut start = 0;
    for (at, byte) in path.bytes().enumerate() {
        if byte == b'.' {
            segments.push(&path[start..at]);
            start = at + 1;
        }
    }
    segments.push(&path[start..]);
    segments
}

/// The support table as Markdown, for the docs (one line per row).
pub fn markdown() -> String {
    let mut out = String::from("| key | when | support | ECS / notes |\n|---|---|---|---|\n");
    for row in rows() {
        let mut when = row.values.join(", ");
        if !row.condition.is_empty() {
            when = row.condition.to_string();
        }
        let key = if row.subtree {
            format!("`{}` (and its keys)", row.path)
        } else {
            format!("`{}`", row.path)
        };
        out.push_str(&format!(
            "| {key} | {when} | {} | {} |\n",
            row.class.as_str(),
            row.note.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str) -> Vec<&'static KeyRow> {
        let segments: Vec<&str> = path.split('.').collect();
        rows_for(&segments).collect()
    }

    #[test]
    fn paths_match_names_and_subtrees() {
        assert!(row("services.web.cap_add")
            .iter()
            .all(|r| r.path == "services.*.cap_add"));
        // A subtree row covers the keys below it; a plain row does not.
        assert_eq!(row("services.web.build.args")[0].path, "services.*.build");
        assert!(row("services.web.cap_add.extra").is_empty());
        assert!(row("services").is_empty());
    }

    #[test]
    fn the_depth_index_finds_what_a_scan_of_every_row_finds() {
        // Every row's own path with names for `*`, one key deeper, and one far deeper.
        let mut paths: Vec<String> = Vec::new();
        for r in rows() {
            let concrete = r.path.replace('*', "web");
            paths.push(format!("{concrete}.key"));
            paths.push(format!("{concrete}.a.b.c.d.e.f.g"));
            paths.push(concrete);
        }
        for path in &paths {
            let segments: Vec<&str> = path.split('.').collect();
            let scanned: Vec<&KeyRow> = rows().iter().filter(|r| r.matches(&segments)).collect();
            assert_eq!(rows_for(&segments).collect::<Vec<_>>(), scanned, "{path}");
        }
    }

    #[test]
    fn values_match_ignoring_case_and_by_prefix() {
        let restart = row("services.web.restart");
        let no_restart = restart.iter().find(|r| r.values.contains(&"no")).unwrap();
        assert!(no_restart.matches_value("no"));
        assert!(no_restart.matches_value("On-Failure:3"));
        assert!(!no_restart.matches_value("always"));
        let default = restart.iter().find(|r| r.values.is_empty()).unwrap();
        assert!(default.matches_value("anything"));
    }
}
