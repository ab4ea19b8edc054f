//! Instance classes and node types (`DBInstanceClass`, `CacheNodeType`, ...) checked against
//! what the service offers in some region: the table keeps, per resource type and engine, the
//! union over every region of the pinned cfn-lint's pricing-derived data. A name outside it is
//! refused wherever the stack deploys; which region offers which class is left to cfn-lint.

use super::model::ClassRule;
use super::tables;
use crate::diagnostic::Diagnostic;
use crate::suggest::edit_distance;
use crate::yaml::{Map, Node};

/// An instance class or node type the resource type (for its engine) has in no region.
pub const UNKNOWN_CLASS: &str = "CX506";

/// How many of the closest names the help shows.
const SHOWN: usize = 6;

/// The rules of `type_name`.
fn rules_of(type_name: &str) -> impl Iterator<Item = &'static ClassRule> + '_ {
    let rules = tables().map_or(&[][..], |t| t.class_rules);
    rules.iter().filter(move |r| r.type_name == type_name)
}

/// The classes `type_name` offers for its property `path` (dotted) and `engine` in some region,
/// sorted; None when the table has no list for them (nothing to check).
pub fn classes_of(type_name: &str, path: &str, engine: Option<&str>) -> Option<Vec<&'static str>> {
    let engine = engine.map(str::to_ascii_lowercase).unwrap_or_default();
    let rule = rules_of(type_name).find(|r| r.path == path && r.engine == engine)?;
    let names = tables()?.class_names;
    Some(
        rule.classes
            .iter()
            .map(|&i| names[usize::from(i)])
            .collect(),
    )
}

/// Reports `node` (the value of `path` in the Properties of `what`, a `type_name`) when it names
/// a class the type does not offer for `engine` in any region. Intrinsic functions, references
/// and non-strings are left alone (other checks report the kind).
pub fn check_class(
    what: &str,
    type_name: &str,
    path: &str,
    engine: Option<&str>,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(text) = node.as_str() else {
        return;
    };
    if text.is_empty() || text.starts_with("x-") {
        return;
    }
    let Some(offered) = classes_of(type_name, path, engine) else {
        return;
    };
    if offered.iter().any(|c| c.eq_ignore_ascii_case(text)) {
        return;
    }
    let mut closest = offered.clone();
    closest.sort_by_key(|c| (edit_distance(text, c), *c));
    closest.truncate(SHOWN);
    let whose = match engine {
        Some(e) => format!("{type_name} with engine {}", e.to_ascii_lowercase()),
        None => type_name.to_string(),
    };
    diags.push(
        Diagnostic::error(
            UNKNOWN_CLASS,
            format!("{what}: {path}: `{text}` is not offered for {whose} in any AWS region"),
            node.span,
        )
        .with_help(format!(
            "closest offered: {} ({} in all)",
            closest.join(", "),
            offered.len()
        )),
    );
}

/// Checks every class property of `type_name` in `props`, the engine read from its `Engine`.
pub(super) fn check_props(what: &str, type_name: &str, props: &Map, diags: &mut Vec<Diagnostic>) {
    let engine = props.get("Engine").and_then(Node::as_str);
    let mut seen: Vec<&str> = Vec::new();
    for rule in rules_of(type_name) {
        if seen.contains(&rule.path) {
            continue;
        }
        seen.push(rule.path);
        let keyed = !rule.engine.is_empty();
        if keyed && engine.is_none() {
            continue;
        }
        if let Some(node) = at_path(props, rule.path) {
            check_class(
                what,
                type_name,
                rule.path,
                engine.filter(|_| keyed),
                node,
                diags,
            );
        }
    }
}

/// The node at dotted `path` of `props`.
fn at_path<'n>(props: &'n Map, path: &str) -> Option<&'n Node> {
    let mut parts = path.split('.');
    let mut node = props.get(parts.next()?)?;
    for part in parts {
        node = node.as_map()?.get(part)?;
    }
    Some(node)
}

#[cfg(all(test, feature = "embedded-schema"))]
mod tests {
    use super::super::table::{CLASS_NAMES, CLASS_RULES};
    use super::*;

    #[test]
    fn the_class_table_is_sorted_and_indexed_in_range() {
        assert!(CLASS_NAMES.windows(2).all(|w| w[0] < w[1]));
        for rule in CLASS_RULES {
            assert!(
                !rule.classes.is_empty(),
                "{} {}",
                rule.type_name,
                rule.engine
            );
            assert!(rule.classes.windows(2).all(|w| w[0] < w[1]));
            assert!(rule
                .classes
                .iter()
                .all(|&i| usize::from(i) < CLASS_NAMES.len()));
        }
    }

    #[test]
    fn classes_per_engine() {
        let aurora = classes_of(
            "AWS::RDS::DBInstance",
            "DBInstanceClass",
            Some("Aurora-PostgreSQL"),
        )
        .unwrap();
        assert!(aurora.contains(&"db.r6g.large"));
        assert!(aurora.contains(&"db.serverless"));
        assert!(!aurora.contains(&"db.m5a.large"));
        let postgres =
            classes_of("AWS::RDS::DBInstance", "DBInstanceClass", Some("postgres")).unwrap();
        assert!(postgres.contains(&"db.t4g.micro"));
        assert!(classes_of("AWS::RDS::DBInstance", "DBInstanceClass", Some("nosuch")).is_none());
        let cache = classes_of("AWS::ElastiCache::CacheCluster", "CacheNodeType", None).unwrap();
        assert!(cache.contains(&"cache.t3.micro"));
        let search = classes_of(
            "AWS::OpenSearchService::Domain",
            "ClusterConfig.InstanceType",
            None,
        )
        .unwrap();
        assert!(search.contains(&"t3.small.search"));
    }
}
