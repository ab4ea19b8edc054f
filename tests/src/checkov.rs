//! Running the pinned checkov (installed by `make checkov-venv` into target/checkov-venv, offline
//! with `--skip-download`) over a folder of CloudFormation templates in one invocation.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::corpus::workspace_root;

/// One check result that is not a pass.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// `CKV_AWS_158`.
    pub check: String,
    /// The check's title.
    pub title: String,
    /// `AWS::Logs::LogGroup.LogGroup`.
    pub resource: String,
    /// The template, relative to the scanned folder.
    pub file: String,
    /// The suppression's reason (skipped checks only).
    pub reason: String,
}

/// What one run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Checks passed.
    pub passed: u64,
    /// Checks failed.
    pub failed: Vec<CheckResult>,
    /// Checks suppressed in `Metadata.checkov.skip`, with their reasons.
    pub skipped: Vec<CheckResult>,
    /// Templates checkov could not parse.
    pub parsing_errors: Vec<String>,
    /// Resources scanned.
    pub resources: u64,
}

/// The venv's checkov, or an error saying how to get it.
pub fn checkov_binary() -> Result<PathBuf, String> {
    let bin = workspace_root().join("target/checkov-venv/bin/checkov");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} is missing: run `make checkov-venv` (make test creates it)",
            bin.display()
        ))
    }
}

fn results(list: &serde_json::Value) -> Vec<CheckResult> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|r| {
                    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                    CheckResult {
                        check: text(&r["check_id"]),
                        title: text(&r["check_name"]),
                        resource: text(&r["resource"]),
                        file: text(&r["file_path"]),
                        reason: text(&r["check_result"]["suppress_comment"]),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Scans every CloudFormation template under `dir` (`--framework cloudformation`).
pub fn run(dir: &Path) -> Result<Report, String> {
    let bin = checkov_binary()?;
    let output = Command::new(&bin)
        .args([
            "--skip-download",
            "--framework",
            "cloudformation",
            "--output",
            "json",
        ])
        .arg("--directory")
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed: serde_json::Value = serde_json::from_str(stdout.trim()).map_err(|e| {
        format!(
            "checkov gave no JSON ({e}); exit {:?}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    // One framework gives one report object (a list when several ran).
    let report = match &parsed {
        serde_json::Value::Array(items) => items
            .iter()
            .find(|r| r["check_type"] == "cloudformation")
            .cloned()
            .unwrap_or_default(),
        other => other.clone(),
    };
    let summary = &report["summary"];
    Ok(Report {
        passed: summary["passed"].as_u64().unwrap_or(0),
        failed: results(&report["results"]["failed_checks"]),
        skipped: results(&report["results"]["skipped_checks"]),
        parsing_errors: report["results"]["parsing_errors"]
            .as_array()
            .map(|e| e.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default(),
        resources: summary["resource_count"].as_u64().unwrap_or(0),
    })
}

/// Why a suppression's reason is not good enough, if it is not: empty, a word or two, or one of
/// the phrases that say nothing (`false positive`, `n/a`, `accepted risk`, ...).
pub fn weak_reason(reason: &str) -> Option<&'static str> {
    const GENERIC: &[&str] = &[
        "false positive",
        "n/a",
        "not applicable",
        "accepted",
        "accepted risk",
        "ignore",
        "ignored",
        "skip",
        "skipped",
        "suppressed",
        "todo",
        "by design",
        "not needed",
        "wontfix",
    ];
    let text = reason.trim().trim_end_matches('.').to_ascii_lowercase();
    if text.is_empty() {
        Some("empty")
    } else if GENERIC.contains(&text.as_str()) {
        Some("generic")
    } else if text.split_whitespace().count() < 6 {
        Some("too short to say why")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::weak_reason;

    #[test]
    fn weak_reasons_are_refused() {
        assert_eq!(weak_reason(""), Some("empty"));
        assert_eq!(weak_reason("  False positive. "), Some("generic"));
        assert_eq!(weak_reason("cost"), Some("too short to say why"));
        assert_eq!(
            weak_reason("services.web.ports publishes port 80: plain HTTP listener"),
            None
        );
    }
}
