//! x-tags: `{key: value}` or `[{Key, Value}]`. Each tag becomes a parameter `<Key>Tag` (default:
//! its value) of every stack that has a taggable resource, and every taggable resource gets the
//! tag as `Ref` to that parameter (so a pipeline can change a tag without re-rendering).

use serde_json::{json, Value};

use crate::cfn::{logical_id, ref_, unique_id, Parameter};
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, Stacks};
use crate::yaml::Node;

/// x-tags has the wrong shape.
pub const INVALID: &str = "CX315";

/// Resource types whose `Tags` is a list of `{Key, Value}`.
const LIST_TAGGED: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::DHCPOptions",
    "AWS::EC2::FlowLog",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "AWS::ServiceDiscovery::Service",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::SecretsManager::Secret",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::CloudWatch::Alarm",
];
/// Resource types whose `Tags` is a `{key: value}` map.
const MAP_TAGGED: &[&str] = &["AWS::SSM::Parameter"];

/// The tags x-tags declares, in order: (key, value).
pub fn read(x_tags: Option<&Node>, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let Some(node) = x_tags.filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push =
        |key: &str, value: &Node, diagnostics: &mut Vec<Diagnostic>| match value.as_scalar() {
            Some(s) => {
                if out.iter().any(|(k, _)| k == key) {
                    diagnostics.push(Diagnostic::error(
                        INVALID,
                        format!("x-tags: tag `{key}` is given twice"),
                        value.span,
                    ));
                } else {
                    out.push((
                        key.to_string(),
                        if s.is_null() {
                            String::new()
                        } else {
                            s.text.clone()
                        },
                    ));
                }
            }
            _ => diagnostics.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-tags: the value of `{key}` must be a string, not a {}",
                    value.kind_name()
                ),
                value.span,
            )),
        };
    if let Some(map) = node.as_map() {
        for (key, value) in map.iter() {
            push(key, value, diagnostics);
        }
    } else if let Some(items) = node.as_seq() {
        for item in items {
            match (item.get("Key").and_then(Node::as_str), item.get("Value")) {
                (Some(key), Some(value)) => push(key, value, diagnostics),
                _ => diagnostics.push(
                    Diagnostic::error(
                        INVALID,
                        "x-tags: each list item needs `Key` and `Value`",
                        item.span,
                    )
                    .with_help("or write x-tags as a mapping: `x-tags: {costcentre: lambda}`"),
                ),
            }
        }
    } else {
        diagnostics.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-tags must be a mapping of tag names to values, not a {}",
                    node.kind_name()
                ),
                node.span,
            )
            .with_help("`x-tags: {costcentre: lambda}`"),
        );
    }
    out
}

/// Parameter names for `tags`: `<Key>Tag`, made alphanumeric and unique.
fn parameter_names(tags: &[(String, String)]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (key, _) in tags {
        let name = unique_id(&format!("{}Tag", logical_id(key)), |c| {
            names.iter().any(|n| n == c)
        });
        names.push(name);
    }
    names
}

/// Adds `tags` to every taggable resource of every stack (after the emitters ran) not
/// finished early (their emitter applied [`apply_to`] already). A tag the resource already
/// sets (from the user's `Properties`) is left as the user wrote it.
pub fn apply(tags: &[(String, String)], stacks: &mut Stacks) {
    if tags.is_empty() {
        return;
    }
    let names = parameter_names(tags);
    for stack in stacks.iter_mut().filter(|s| !s.is_finished_early()) {
        tag_stack(tags, &names, stack);
    }
}

/// [`apply`] to one stack.
pub fn apply_to(tags: &[(String, String)], stack: &mut Stack) {
    if !tags.is_empty() {
        tag_stack(tags, &parameter_names(tags), stack);
    }
}

fn tag_stack(tags: &[(String, String)], names: &[String], stack: &mut Stack) {
    // Tags applied somewhere in this stack (a parameter nothing uses is a cfn-lint W2001).
    let mut used = vec![false; tags.len()];
    for resource in stack.template.resources.values_mut() {
        let list = LIST_TAGGED.contains(&resource.type_.as_str());
        if !list && !MAP_TAGGED.contains(&resource.type_.as_str()) {
            continue;
        }
        let existing = resource.properties.entry("Tags").or_insert_with(|| {
            if list {
                json!([])
            } else {
                json!({})
            }
        });
        for (index, ((key, _), param)) in tags.iter().zip(names).enumerate() {
            match existing {
                Value::Array(items)
                    if !items
                        .iter()
                        .any(|t| t.get("Key").and_then(Value::as_str) == Some(key)) =>
                {
                    items.push(json!({ "Key": key, "Value": ref_(param) }));
                    used[index] = true;
                }
                Value::Object(map) if !map.contains_key(key) => {
                    map.insert(key.clone(), ref_(param));
                    used[index] = true;
                }
                _ => {} // already tagged, or an intrinsic the user wrote: left alone
            }
        }
    }
    for (((key, value), param), used) in tags.iter().zip(names).zip(&used) {
        if *used {
            stack.add_parameter(
                param,
                Parameter::string()
                    .with_default(value.clone())
                    .with_description(format!("Value of the `{key}` tag (x-tags)")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_are_alphanumeric_and_unique() {
        let tags = [("costcentre", ""), ("cost-centre", ""), ("cost_centre", "")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(
            parameter_names(&tags),
            ["CostcentreTag", "CostCentreTag", "CostCentreTag2"]
        );
    }
}
