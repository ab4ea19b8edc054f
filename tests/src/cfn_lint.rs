//! Running the pinned cfn-lint (installed by `make venv` into target/venv) over many templates
//! in one invocation (it takes about a second to start).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::corpus::workspace_root;

/// One cfn-lint finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule id, e.g. `E3012`, `W3002`.
    pub rule: String,
    /// `Error`, `Warning` or `Informational`.
    pub level: String,
    /// The template.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u64,
    /// The JSON path in the template, joined by `/`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The venv's cfn-lint, or an error saying how to get it.
pub fn cfn_lint_binary() -> Result<PathBuf, String> {
    let bin = workspace_root().join("target/venv/bin/cfn-lint");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} is missing: run `make venv` (make test creates it)",
            bin.display()
        ))
    }
}

/// Lints `templates` in one cfn-lint run (`--format json --regions us-east-1`).
pub fn run(templates: &[PathBuf]) -> Result<Vec<Finding>, String> {
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    let bin = cfn_lint_binary()?;
    let output = Command::new(&bin)
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .args(templates)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed: serde_json::Value = serde_json::from_str(stdout.trim()).map_err(|e| {
        format!(
            "cfn-lint gave no JSON ({e}); exit {:?}\nstdout: {stdout}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let findings = parsed
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|m| Finding {
                    rule: m["Rule"]["Id"].as_str().unwrap_or("?").to_string(),
                    level: m["Level"].as_str().unwrap_or("?").to_string(),
                    file: PathBuf::from(m["Filename"].as_str().unwrap_or("?")),
                    line: m["Location"]["Start"]["LineNumber"].as_u64().unwrap_or(0),
                    path: m["Location"]["Path"]
                        .as_array()
                        .map(|p| {
                            p.iter()
                                .map(|s| s.to_string().trim_matches('"').to_string())
                                .collect::<Vec<_>>()
                                .join("/")
                        })
                        .unwrap_or_default(),
                    message: m["Message"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(findings)
}

/// `rule -> count`.
pub fn by_rule(findings: &[&Finding]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule.clone()).or_insert(0) += 1;
    }
    counts
}

/// Writes `text` to `dir/path`, creating folders.
pub fn write(dir: &Path, path: &str, text: &str) -> PathBuf {
    let file = dir.join(path);
    if let Some(parent) = file.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    file
}
