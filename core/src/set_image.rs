//! `set-image`: change a service's image in place, as a text edit.
//!
//! The CI step of the pipeline: after a build pushes `app01:<sha>`, the compose file's `image:` for
//! app01 is rewritten and committed. Everything outside the changed scalar stays byte-identical
//! (comments, anchors, quoting of other values, line ends), because the YAML spans tell exactly
//! which bytes hold the value.
//!
//! | code  | problem                                              |
//! |-------|------------------------------------------------------|
//! | CX250 | the service is not defined in any file               |
//! | CX251 | the image reference is not valid                     |
//! | CX252 | the service is written in flow style (`{...}`) without an image, so no line can be added |

use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{self, Limits, Node, ScalarStyle};
use crate::{OutputFile, SourceFile};

/// Code of an update naming a service that no file defines.
pub const UNKNOWN_SERVICE: &str = "CX250";
/// Code of an image reference that is not valid.
pub const BAD_IMAGE: &str = "CX251";
/// Code of a flow-style service without `image:` (no line can be added to it).
pub const FLOW_STYLE_SERVICE: &str = "CX252";

/// One requested change: `service=image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUpdate {
    /// The compose service name.
    pub service: String,
    /// The new image reference.
    pub image: String,
}

/// The edited files (only those that changed, with their input names as paths) and diagnostics.
/// On any error no file is returned.
pub fn set_image(files: &[SourceFile], updates: &[ImageUpdate]) -> crate::Output {
    let mut diagnostics = Vec::new();
    let mut trees = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let (docs, d) = yaml::parse(i as u32, &f.text, &Limits::default());
        diagnostics.extend(d);
        trees.push(docs);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return crate::Output {
            files: Vec::new(),
            diagnostics,
            source_map: Default::default(),
        };
    }
    // Edits per file: (byte range, replacement), applied back to front.
    let mut edits: Vec<Vec<(usize, usize, String)>> = vec![Vec::new(); files.len()];
    for update in updates {
        if let Err(problem) = check_image_reference(&update.image) {
            let span = services_key_span(&trees).unwrap_or_default();
            diagnostics.push(
                Diagnostic::error(BAD_IMAGE, format!("`{}` is not a valid image reference: {problem}", update.image), span)
                    .with_help("an image looks like `registry.example.com/team/app:1.2.3` or `app@sha256:<digest>`"),
            );
            continue;
        }
        match find_target(&trees, &update.service) {
            Target::Image { file, node_span, style } => {
                let text = quote_like(&update.image, style, &files[file].text, node_span);
                edits[file].push((node_span.start as usize, node_span.end as usize, text));
            }
            Target::ServiceWithoutImage { file, service } => match insertion(&files[file].text, service) {
                Some((at, line)) => edits[file].push((at, at, line.replace("{}", &plain_or_quoted(&update.image)))),
                None => diagnostics.push(
                    Diagnostic::error(
                        FLOW_STYLE_SERVICE,
                        format!("service \"{}\" has no `image:` and is written in flow style", update.service),
                        service.span,
                    )
                    .with_help("add an `image:` key to the service by hand once; set-image then keeps it up to date"),
                ),
            },
            Target::Missing => {
                let names = service_names(&trees);
                let mut d = Diagnostic::error(
                    UNKNOWN_SERVICE,
                    format!("no service \"{}\" in the compose files", update.service),
                    services_key_span(&trees).unwrap_or_default(),
                );
                if let Some(s) = did_you_mean(&update.service, names.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if !names.is_empty() {
                    d = d.with_help(format!("the services are: {}", names.join(", ")));
                }
                diagnostics.push(d);
            }
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return crate::Output {
            files: Vec::new(),
            diagnostics,
            source_map: Default::default(),
        };
    }
    let mut out = Vec::new();
    for (i, mut file_edits) in edits.into_iter().enumerate() {
        if file_edits.is_empty() {
            continue;
        }
        file_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        file_edits.dedup_by_key(|e| e.0);
        let mut text = files[i].text.clone();
        for (start, end, replacement) in file_edits {
            text.replace_range(start..end, &replacement);
        }
        if text != files[i].text {
            out.push(OutputFile {
                path: files[i].name.clone(),
                text,
            });
        }
    }
    crate::Output {
        files: out,
        diagnostics,
        source_map: Default::default(),
    }
}

enum Target<'a> {
    Image {
        file: usize,
        node_span: Span,
        style: ScalarStyle,
    },
    ServiceWithoutImage {
        file: usize,
        service: &'a Node,
    },
    Missing,
}

/// The last definition wins, as in a merge: the last file (and document) that sets the image.
fn find_target<'a>(trees: &'a [Vec<Node>], service: &str) -> Target<'a> {
    let mut found = Target::Missing;
    for (file, docs) in trees.iter().enumerate() {
        for doc in docs {
            let Some(svc) = doc.get("services").and_then(|s| s.get(service)) else {
                continue;
            };
            match svc
                .get("image")
                .and_then(|i| i.as_scalar().map(|s| (i.span, s.style)))
            {
                Some((node_span, style)) => {
                    found = Target::Image {
                        file,
                        node_span,
                        style,
                    }
                }
                None if matches!(found, Target::Missing) && svc.as_map().is_some() => {
                    found = Target::ServiceWithoutImage { file, service: svc };
                }
                None => {}
            }
        }
    }
    found
}

fn service_names(trees: &[Vec<Node>]) -> Vec<String> {
    let mut names: Vec<String> = trees
        .iter()
        .flatten()
        .filter_map(|d| d.get("services").and_then(Node::as_map))
        .flat_map(|m| m.iter().map(|(k, _)| k.to_owned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn services_key_span(trees: &[Vec<Node>]) -> Option<Span> {
    trees
        .iter()
        .flatten()
        .filter_map(|d| d.as_map()?.key_span("services"))
        .next_back()
}

/// Where to insert an `image:` line into a block-style service, and the line (with `{}` for the
/// value), indented like the service's first key.
fn insertion(text: &str, service: &Node) -> Option<(usize, String)> {
    let first = service.as_map()?.entries.first()?.1;
    let start = first.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..start];
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some((line_start, format!("{indent}image: {{}}{newline}")))
}

/// Writes `image` in the same quoting style as the value it replaces.
fn quote_like(image: &str, style: ScalarStyle, text: &str, span: Span) -> String {
    let original = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    match (style, original.chars().next()) {
        (ScalarStyle::Quoted, Some('\'')) => format!("'{}'", image.replace('\'', "''")),
        (ScalarStyle::Quoted, _) => crate::yaml::write::double_quoted(image),
        (ScalarStyle::Plain, _) => plain_or_quoted(image),
    }
}

fn plain_or_quoted(image: &str) -> String {
    let safe = image
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && image
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:@-".contains(c));
    if safe {
        image.to_owned()
    } else {
        crate::yaml::write::double_quoted(image)
    }
}

/// A light check of the docker reference grammar: `[registry/]path[:tag][@digest]`, or a
/// compose variable (`${IMAGE}`), which is resolved at render time.
fn check_image_reference(image: &str) -> Result<(), String> {
    if image.is_empty() {
        return Err("it is empty".into());
    }
    if image.contains("${") || image.starts_with('$') {
        return Ok(());
    }
    if let Some(c) = image.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains {c:?}"));
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let (algo, hex) = d
            .split_once(':')
            .ok_or("the digest has no algorithm (`sha256:...`)")?;
        if algo.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err("the digest is not `algorithm:hex`".into());
        }
    }
    // A tag is after the last ':' that comes after the last '/'.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if let Some(tag) = tag {
        let ok = !tag.is_empty()
            && tag.len() <= 128
            && tag
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !ok {
            return Err(format!(
                "the tag `{tag}` may only hold letters, digits, `_`, `.` and `-` (128 at most)"
            ));
        }
    }
    let mut components = path.split('/');
    let first = components.next().unwrap_or("");
    // The first component may be a registry host with a port and upper-case letters.
    let is_registry =
        path.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let repo_parts: Vec<&str> = if is_registry {
        components.collect()
    } else {
        path.split('/').collect()
    };
    for part in repo_parts {
        let ok = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && part
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !ok {
            return Err(format!(
                "the repository part `{part}` must be lower-case letters, digits and separators"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_image_reference as check;

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.25-alpine",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app01:3f2a1b",
            "localhost:5000/team/app",
            "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "${APP01_IMAGE}",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx:-x",
            "a b",
            "app@sha256:xyz",
            "team//app",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
