//! Secrets written in plain text: an `environment` entry whose name says it is a secret
//! (`POSTGRES_PASSWORD`, `JWT_SECRET`, `STRIPE_API_KEY`, ...) with a literal value would be
//! readable by anyone who can read the template or the task definition in the console.
//!
//! Names are split into words on `_`, `-` and `.`, so `TOKENIZER` or `BYPASS` never match.
//! Empty values (an interpolation of an unset variable) are left alone; a value interpolated
//! from the environment at render time lands in the template just the same and is reported.

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;
use crate::SourceFile;

/// An `environment` entry with a secret-looking name holds a literal value.
pub const LITERAL_SECRET: &str = "CX241";

/// Word sequences that make a variable name a secret's.
const SECRET_WORDS: &[&[&str]] = &[
    &["PASSWORD"],
    &["PASSWD"],
    &["PASSPHRASE"],
    &["SECRET"],
    &["TOKEN"],
    &["APIKEY"],
    &["API", "KEY"],
    &["PRIVATE", "KEY"],
    &["ACCESS", "KEY"],
    &["SECRET", "KEY"],
    &["ENCRYPTION", "KEY"],
    &["SIGNING", "KEY"],
    &["MASTER", "KEY"],
    &["AUTH", "KEY"],
    &["CREDENTIALS"],
    &["CREDENTIAL"],
];

/// A last word that makes the variable about a secret rather than the secret itself
/// (`POSTGRES_PASSWORD_FILE` points at a file, `AWS_ACCESS_KEY_ID` is an identifier).
const NOT_THE_SECRET: &[&str] = &[
    "FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "ID", "NAME", "USER",
    "LENGTH", "TTL", "EXPIRY", "EXPIRES", "TIMEOUT", "TYPE", "ENABLED", "REQUIRED", "HEADER",
];

/// True when `name` looks like it holds a secret.
pub fn secret_name(name: &str) -> bool {
    let words: Vec<String> = name
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if words
        .last()
        .is_none_or(|last| NOT_THE_SECRET.contains(&last.as_str()))
    {
        return false;
    }
    // `PASS` alone is a secret only at the end (`DB_PASS`, not `PASS_THROUGH`).
    words.last().is_some_and(|w| w == "PASS")
        || SECRET_WORDS
            .iter()
            .any(|phrase| words.windows(phrase.len()).any(|w| w == *phrase))
}

/// Warns at each literal value of a secret-looking `environment` entry of every service of the
/// normalised `tree` (environment is a mapping there; list items keep their item's span).
pub fn check(tree: &Node, files: &[&SourceFile], out: &mut Vec<Diagnostic>) {
    let Some(services) = tree.get("services").and_then(Node::as_map) else {
        return;
    };
    for (service, _, node) in &services.entries {
        let Some(environment) = node.get("environment").and_then(Node::as_map) else {
            continue;
        };
        for (name, _, value) in &environment.entries {
            let filled = value.as_str().is_some_and(|v| !v.trim().is_empty());
            if !secret_name(name) || !filled {
                continue;
            }
            let span = value_span(name, value.span, files);
            out.push(warning(service, name, span));
        }
    }
}

/// The span of the value as written: for `KEY=VALUE` list items (whose span covers the whole
/// item) only the part after `=`, without the quotes.
fn value_span(name: &str, span: Span, files: &[&SourceFile]) -> Span {
    let Some(text) = files.get(span.file as usize).map(|f| f.text.as_str()) else {
        return span;
    };
    let Some(written) = text.get(span.start as usize..span.end as usize) else {
        return span;
    };
    let quoted = written.len() >= 2
        && (written.starts_with('"') || written.starts_with('\''))
        && written.ends_with(&written[..1]);
    let (start, end) = if quoted {
        (span.start as usize + 1, span.end as usize - 1)
    } else {
        (span.start as usize, span.end as usize)
    };
    match text[start..end]
        .strip_prefix(name)
        .and_then(|r| r.strip_prefix('='))
    {
        Some(rest) if !rest.is_empty() => Span::new(span.file, end - rest.len(), end),
        _ => span,
    }
}

fn warning(service: &str, name: &str, span: Span) -> Diagnostic {
    let secret = name.to_ascii_lowercase().replace(['-', '.'], "_");
    Diagnostic::warning(
        LITERAL_SECRET,
        format!(
            "services.{service}.environment.{name} is a secret written in plain text: it would be \
             readable in the template and in the ECS console"
        ),
        span,
    )
    .with_help(format!(
        "keep it in Secrets Manager: declare `secrets: {{{secret}: {{x-secrets: {{Name: <secret name>, \
         VarName: {name}}}}}}}` at the top level, add `secrets: [{secret}]` to the service and remove \
         {name} from `environment`; ECS then reads it from Secrets Manager when the task starts"
    ))
}

#[cfg(test)]
mod tests {
    use super::secret_name;

    #[test]
    fn secret_names_match_on_whole_words() {
        for name in [
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "db_pass",
            "JWT_SECRET",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "SMTP_CREDENTIALS",
            "SENTRY_APIKEY",
            "SMTP_PASS",
            "GPG_PASSPHRASE",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "TOKENIZER",
            "BYPASS_CACHE",
            "POSTGRES_PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "PASSWORD_MIN_LENGTH",
            "KEYCLOAK_URL",
            "POSTGRES_USER",
            "PWD",
            "TOKEN_ENDPOINT",
            "PASS_THROUGH_HEADERS",
            "",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }
}
