//! x-vpc: a new VPC (public, app and storage subnets in two AZs, internet gateway, NAT, routes)
//! in the `vpc` stack, or an existing one given as root parameters (`Lookup` / `Use`).
//!
//! Either way the network is exported as [`VPC_ID`], [`PUBLIC_SUBNETS`], [`APP_SUBNETS`],
//! [`STORAGE_SUBNETS`] (plus any extra subnet group an existing VPC names).

use serde_json::{json, Value};

use crate::cfn::{get_att, get_azs, object, ref_, select, sub, tags, Parameter, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::{
    bool_option, check_keys, Stack, Stacks, APP_SUBNETS, PUBLIC_SUBNETS, STORAGE_SUBNETS,
    SUBNET_LIST, VPC_ID, VPC_STACK,
};
use crate::yaml::{to_json, Node};

/// x-vpc is not a mapping, or a part of it has the wrong shape.
pub const INVALID: &str = "CX300";
/// x-vpc has a key it does not know.
pub const UNKNOWN_KEY: &str = "CX334";
/// `VpcCidr` is not a usable IPv4 CIDR.
pub const BAD_CIDR: &str = "CX335";
/// `SingleNat` and `DisableNat` together, or `Properties` with `Lookup`.
pub const CONFLICT: &str = "CX336";
/// A ComposeX feature not rendered (yet): the rest of the VPC still is.
pub const NOT_SUPPORTED: &str = "CX337";
/// An existing VPC's value is not given literally: the parameter must be filled at deploy time.
pub const VALUE_NEEDED: &str = "CX338";
/// `DisableNat`: the app subnets have no way out to the internet.
pub const NO_EGRESS: &str = "CX339";

/// ComposeX's default VPC CIDR.
pub const DEFAULT_CIDR: &str = "100.127.0.0/24";

const TOP_KEYS: &[&str] = &["Properties", "Lookup", "Use"];
const PROPERTY_KEYS: &[&str] = &[
    "VpcCidr",
    "SingleNat",
    "DisableNat",
    "DHCPOptions",
    "Endpoints",
    "EnableFlowLogs",
    "FlowLogsRoleBoundary",
];

/// Docker's `x-aws-vpc` is not a VPC id, or is given with `x-vpc`.
pub const X_AWS_VPC: &str = "CX681";

/// Emits the network from `x_vpc` (None: a new VPC with defaults), or Docker's `x-aws-vpc` (an
/// existing VPC's id: the same root parameters as `x-vpc.Lookup`, its subnets left to fill).
pub fn emit(
    x_vpc: Option<&Node>,
    x_aws_vpc: Option<&Node>,
    stacks: &mut Stacks,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(aws) = x_aws_vpc {
        let id = aws.as_str().filter(|id| id.starts_with("vpc-"));
        if id.is_none() {
            diagnostics.push(
                Diagnostic::error(X_AWS_VPC, "x-aws-vpc must be the id of an existing VPC (`vpc-...`)", aws.span)
                    .with_help("e.g. `x-aws-vpc: vpc-0123456789abcdef0`; for a new VPC remove it (or use x-vpc)"),
            );
            return;
        }
        if let Some(vpc) = x_vpc {
            diagnostics.push(
                Diagnostic::error(X_AWS_VPC, "x-aws-vpc and x-vpc both choose the VPC", aws.span)
                    .with_label(vpc.span, "x-vpc is here")
                    .with_help("keep one: `x-vpc: {Lookup: {VpcId: ..., AppSubnets: ..., PublicSubnets: ...}}` names the subnets too"),
            );
            return;
        }
        let parts = |name: &str| (name == VPC_ID).then_some(aws);
        existing_vpc_parts("x-aws-vpc", &parts, &[], aws.span, stacks);
        return;
    }
    let Some(node) = x_vpc.filter(|n| !n.is_null()) else {
        new_vpc(&NewVpc::default(), stacks);
        return;
    };
    if node.as_map().is_none() {
        diagnostics.push(
            Diagnostic::error(INVALID, format!("x-vpc must be a mapping, not a {}", node.kind_name()), node.span)
                .with_help("use `Properties: {VpcCidr: ...}` for a new VPC or `Lookup: {VpcId: ..., AppSubnets: ...}`"),
        );
        return;
    }
    check_keys(node, TOP_KEYS, UNKNOWN_KEY, "x-vpc", diagnostics);
    let existing = node.get("Lookup").or_else(|| node.get("Use"));
    match (node.get("Properties"), existing) {
        (Some(props), Some(lookup)) => diagnostics.push(
            Diagnostic::error(
                CONFLICT,
                "x-vpc: `Properties` (a new VPC) and `Lookup` (an existing one) exclude each other",
                lookup.span,
            )
            .with_label(props.span, "a new VPC is described here")
            .with_help(
                "keep `Lookup` to deploy into an existing VPC, or `Properties` to create one",
            ),
        ),
        (_, Some(lookup)) => existing_vpc(lookup, stacks, diagnostics),
        (props, None) => {
            let settings = props
                .map(|p| read_properties(p, diagnostics))
                .unwrap_or_default();
            new_vpc(&settings, stacks);
        }
    }
}

/// What a new VPC looks like.
#[derive(Debug, Clone, PartialEq)]
struct NewVpc {
    /// Network address and prefix length.
    cidr: (u32, u8),
    nat_gateways: usize,
    domain_name: Option<String>,
    flow_logs: bool,
    flow_logs_boundary: Option<Value>,
}

impl Default for NewVpc {
    fn default() -> Self {
        NewVpc {
            cidr: (0x647F_0000, 24),
            nat_gateways: 1,
            domain_name: None,
            flow_logs: false,
            flow_logs_boundary: None,
        }
    }
}

fn read_properties(props: &Node, diagnostics: &mut Vec<Diagnostic>) -> NewVpc {
    let mut vpc = NewVpc::default();
    if props.as_map().is_none() {
        if !props.is_null() {
            diagnostics.push(Diagnostic::error(
                INVALID,
                "x-vpc.Properties must be a mapping",
                props.span,
            ));
        }
        return vpc;
    }
    check_keys(
        props,
        PROPERTY_KEYS,
        UNKNOWN_KEY,
        "x-vpc.Properties",
        diagnostics,
    );
    if let Some(n) = props.get("VpcCidr") {
        match n.as_str().map(parse_cidr) {
            Some(Ok(cidr)) => vpc.cidr = cidr,
            Some(Err(message)) => diagnostics.push(
                Diagnostic::error(BAD_CIDR, format!("x-vpc.Properties.VpcCidr: {message}"), n.span)
                    .with_help("an IPv4 network like 10.0.0.0/16, with a prefix from /16 to /25 (six subnets are cut from it)"),
            ),
            None => diagnostics.push(Diagnostic::error(BAD_CIDR, "x-vpc.Properties.VpcCidr must be a string like 10.0.0.0/16", n.span)),
        }
    }
    let single = props
        .get("SingleNat")
        .and_then(|n| bool_option(n, INVALID, "x-vpc.Properties.SingleNat", diagnostics));
    let disable = props
        .get("DisableNat")
        .and_then(|n| bool_option(n, INVALID, "x-vpc.Properties.DisableNat", diagnostics));
    if let (Some(true), Some(true)) = (single, disable) {
        diagnostics.push(
            Diagnostic::error(
                CONFLICT,
                "x-vpc: `SingleNat` and `DisableNat` exclude each other",
                crate::stack::span_of(props, "DisableNat"),
            )
            .with_label(
                crate::stack::span_of(props, "SingleNat"),
                "one NAT gateway asked for here",
            ),
        );
    }
    if disable == Some(true) && single != Some(true) {
        diagnostics.push(
            Diagnostic::info(NO_EGRESS, "x-vpc: with DisableNat the app subnets have no route to the internet", crate::stack::span_of(props, "DisableNat"))
                .with_help("tasks there cannot pull public images or call AWS APIs unless the VPC has endpoints for them"),
        );
    }
    vpc.nat_gateways = match (disable, single) {
        (Some(true), _) => 0,
        (_, Some(false)) => 2, // one per AZ (ComposeX ignores `SingleNat: false`; we honour it)
        _ => 1,
    };
    if let Some(dhcp) = props.get("DHCPOptions") {
        check_keys(
            dhcp,
            &["DomainName"],
            UNKNOWN_KEY,
            "x-vpc.Properties.DHCPOptions",
            diagnostics,
        );
        match dhcp.get("DomainName").and_then(Node::as_str) {
            Some(name) => vpc.domain_name = Some(name.to_string()),
            None => diagnostics.push(Diagnostic::error(
                INVALID,
                "x-vpc.Properties.DHCPOptions needs `DomainName: <domain>`",
                dhcp.span,
            )),
        }
    }
    if let Some(endpoints) = props.get("Endpoints") {
        let empty = endpoints.is_null() || endpoints.as_map().is_some_and(|m| m.is_empty());
        if !empty {
            diagnostics.push(
                Diagnostic::warning(NOT_SUPPORTED, "x-vpc.Properties.Endpoints: VPC endpoints are not rendered yet; none are created", endpoints.span)
                    .with_help("services reach AWS APIs through the NAT gateway"),
            );
        }
    }
    if let Some(n) = props.get("EnableFlowLogs") {
        vpc.flow_logs = bool_option(n, INVALID, "x-vpc.Properties.EnableFlowLogs", diagnostics)
            .unwrap_or(false);
    }
    vpc.flow_logs_boundary = props.get("FlowLogsRoleBoundary").map(to_json);
    vpc
}

/// Parses `a.b.c.d/n` into (network address, n); the address must be the network's own and the
/// prefix leave room for the six subnets (`/n+3` no smaller than AWS's /28).
fn parse_cidr(text: &str) -> Result<(u32, u8), String> {
    let (address, prefix) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` has no /prefix"))?;
    let octets: Vec<u8> = address
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{address}` is not an IPv4 address"))?;
    let [a, b, c, d] = octets[..] else {
        return Err(format!("`{address}` is not an IPv4 address"));
    };
    let prefix: u8 = prefix
        .parse()
        .map_err(|_| format!("`/{prefix}` is not a prefix length"))?;
    if !(16..=25).contains(&prefix) {
        return Err(format!("/{prefix} is outside /16../25 (AWS VPCs are /16 to /28, and six subnets are cut from it)"));
    }
    let ip = u32::from_be_bytes([a, b, c, d]);
    let mask = u32::MAX << (32 - prefix);
    if ip & !mask != 0 {
        return Err(format!(
            "`{text}` has host bits set; the network is {}/{prefix}",
            format_ip(ip & mask)
        ));
    }
    Ok((ip, prefix))
}

fn format_ip(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// Subnet CIDRs: app subnets take a quarter each, public and storage an eighth each.
fn subnet_cidrs((base, prefix): (u32, u8)) -> [[String; 2]; 3] {
    let quarter = 1u32 << (32 - prefix - 2);
    let eighth = quarter / 2;
    let at = |offset: u32, len: u8| format!("{}/{len}", format_ip(base + offset));
    [
        [
            at(2 * quarter, prefix + 3),
            at(2 * quarter + eighth, prefix + 3),
        ], // public
        [at(0, prefix + 2), at(quarter, prefix + 2)], // app
        [
            at(3 * quarter, prefix + 3),
            at(3 * quarter + eighth, prefix + 3),
        ], // storage
    ]
}

/// The availability zones of a VPC composex creates (one subnet of each group per zone).
pub const ZONES: [&str; 2] = ["A", "B"];

fn new_vpc(settings: &NewVpc, stacks: &mut Stacks) {
    let stack: &mut Stack = stacks.stack(VPC_STACK);
    let t = &mut stack.template;
    let (base, prefix) = settings.cidr;
    let vpc = t.add_resource(
        "Vpc",
        Resource::new(
            "AWS::EC2::VPC",
            object! {
                "CidrBlock": format!("{}/{prefix}", format_ip(base)),
                "EnableDnsHostnames": true,
                "EnableDnsSupport": true,
                "Tags": tags([("Name", sub("${AWS::StackName}"))]),
            },
        ),
    );
    let igw = t.add_resource(
        "InternetGateway",
        Resource::new("AWS::EC2::InternetGateway", json!({})),
    );
    let attachment = t.add_resource(
        "VpcGatewayAttachment",
        Resource::new(
            "AWS::EC2::VPCGatewayAttachment",
            object! { "VpcId": ref_(&vpc), "InternetGatewayId": ref_(&igw) },
        ),
    );
    if let Some(domain) = &settings.domain_name {
        let options = t.add_resource(
            "DhcpOptions",
            Resource::new(
                "AWS::EC2::DHCPOptions",
                json!({ "DomainName": domain, "DomainNameServers": ["AmazonProvidedDNS"] }),
            ),
        );
        t.add_resource(
            "DhcpOptionsAssociation",
            Resource::new(
                "AWS::EC2::VPCDHCPOptionsAssociation",
                object! { "VpcId": ref_(&vpc), "DhcpOptionsId": ref_(&options) },
            ),
        );
    }

    let cidrs = subnet_cidrs(settings.cidr);
    let tiers = [
        ("Public", PUBLIC_SUBNETS),
        ("App", APP_SUBNETS),
        ("Storage", STORAGE_SUBNETS),
    ];
    let mut subnet_ids: Vec<Vec<String>> = Vec::new();
    for ((tier, _), tier_cidrs) in tiers.iter().zip(cidrs.iter()) {
        let mut ids = Vec::new();
        for (zone_index, (zone, cidr)) in ZONES.iter().zip(tier_cidrs.iter()).enumerate() {
            let mut properties = object! {
                "VpcId": ref_(&vpc),
                "CidrBlock": cidr.as_str(),
                "AvailabilityZone": select(zone_index as u32, get_azs("")),
                "Tags": tags([("Name", sub(&format!("${{AWS::StackName}}-{}-{}", tier.to_lowercase(), zone.to_lowercase())))]),
            };
            if *tier == "Public" {
                properties["MapPublicIpOnLaunch"] = json!(true);
            }
            ids.push(t.add_resource(
                &format!("{tier}Subnet{zone}"),
                Resource::new("AWS::EC2::Subnet", properties),
            ));
        }
        subnet_ids.push(ids);
    }
    let [public, app, storage] = [0, 1, 2].map(|i| subnet_ids.get(i).cloned().unwrap_or_default());

    // Public: one route table with the default route to the internet gateway.
    let public_table = t.add_resource(
        "PublicRouteTable",
        Resource::new("AWS::EC2::RouteTable", object! { "VpcId": ref_(&vpc) }),
    );
    t.add_resource(
        "PublicDefaultRoute",
        Resource::new(
            "AWS::EC2::Route",
            object! { "RouteTableId": ref_(&public_table), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref_(&igw) },
        )
        .depends_on(&attachment),
    );
    for subnet in &public {
        associate(t, subnet, &public_table);
    }

    // NAT gateways in the public subnets (none, one shared, or one per zone).
    let mut nats = Vec::new();
    for (zone, subnet) in ZONES.iter().zip(public.iter()).take(settings.nat_gateways) {
        let eip = t.add_resource(
            &format!("NatEip{zone}"),
            Resource::new("AWS::EC2::EIP", json!({ "Domain": "vpc" })).depends_on(&attachment),
        );
        nats.push(t.add_resource(
            &format!("NatGateway{zone}"),
            Resource::new(
                "AWS::EC2::NatGateway",
                object! { "AllocationId": get_att(&eip, "AllocationId"), "SubnetId": ref_(subnet) },
            ),
        ));
    }

    // App subnets: one route table per zone, default route through that zone's NAT (or the one).
    for (i, (zone, subnet)) in ZONES.iter().zip(app.iter()).enumerate() {
        let table = t.add_resource(
            &format!("AppRouteTable{zone}"),
            Resource::new("AWS::EC2::RouteTable", object! { "VpcId": ref_(&vpc) }),
        );
        if let Some(nat) = nats.get(i).or(nats.first()) {
            t.add_resource(
                &format!("AppDefaultRoute{zone}"),
                Resource::new(
                    "AWS::EC2::Route",
                    object! { "RouteTableId": ref_(&table), "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": ref_(nat) },
                ),
            );
        }
        associate(t, subnet, &table);
    }

    // Storage subnets: local traffic only.
    let storage_table = t.add_resource(
        "StorageRouteTable",
        Resource::new("AWS::EC2::RouteTable", object! { "VpcId": ref_(&vpc) }),
    );
    for subnet in &storage {
        associate(t, subnet, &storage_table);
    }

    if settings.flow_logs {
        flow_logs(t, &vpc, settings.flow_logs_boundary.clone());
    }

    stack.export(VPC_ID, ref_(&vpc), "AWS::EC2::VPC::Id", "The VPC id");
    for ((_, export), ids) in tiers.iter().zip([&public, &app, &storage]) {
        let list = Value::Array(ids.iter().map(|id| ref_(id)).collect());
        stack.export(
            export,
            list,
            SUBNET_LIST,
            &format!("The {export} (one per availability zone)"),
        );
    }
}

fn associate(t: &mut crate::cfn::Template, subnet: &str, table: &str) {
    t.add_resource(
        &format!("{subnet}RouteTableAssociation"),
        Resource::new(
            "AWS::EC2::SubnetRouteTableAssociation",
            object! { "SubnetId": ref_(subnet), "RouteTableId": ref_(table) },
        ),
    );
}

/// VPC flow logs into a log group, written by a role allowed to write exactly that group.
fn flow_logs(t: &mut crate::cfn::Template, vpc: &str, boundary: Option<Value>) {
    let group = t.add_resource(
        "FlowLogsLogGroup",
        Resource::new("AWS::Logs::LogGroup", json!({ "RetentionInDays": 14 }))
            .with_policies("Delete"),
    );
    let mut role = json!({
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Service": "vpc-flow-logs.amazonaws.com" },
                "Action": "sts:AssumeRole",
            }],
        },
        "Policies": [{
            "PolicyName": "WriteFlowLogs",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [get_att(&group, "Arn")],
                }],
            },
        }],
    });
    if let Some(b) = boundary {
        role["PermissionsBoundary"] = b;
    }
    let role = t.add_resource("FlowLogsRole", Resource::new("AWS::IAM::Role", role));
    t.add_resource(
        "FlowLog",
        Resource::new(
            "AWS::EC2::FlowLog",
            json!({
                "ResourceId": ref_(vpc),
                "ResourceType": "VPC",
                "TrafficType": "ALL",
                "LogDestinationType": "cloud-watch-logs",
                "LogGroupName": ref_(&group),
                "DeliverLogsPermissionArn": get_att(&role, "Arn"),
            }),
        ),
    );
}

/// Subnet groups every existing VPC provides.
const REQUIRED_GROUPS: [&str; 3] = [APP_SUBNETS, STORAGE_SUBNETS, PUBLIC_SUBNETS];

/// An existing VPC: root parameters, filled from literal ids in `Lookup` / `Use`.
fn existing_vpc(lookup: &Node, stacks: &mut Stacks, diagnostics: &mut Vec<Diagnostic>) {
    let Some(map) = lookup.as_map() else {
        diagnostics.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-vpc.Lookup must be a mapping, not a {}",
                    lookup.kind_name()
                ),
                lookup.span,
            )
            .with_help("name each part: `VpcId`, `AppSubnets`, `StorageSubnets`, `PublicSubnets`"),
        );
        return;
    };
    let extra: Vec<&str> = map
        .iter()
        .map(|(key, _)| key)
        .filter(|k| *k != "RoleArn")
        .collect();
    let parts = |name: &str| map.get(name);
    existing_vpc_parts("x-vpc", &parts, &extra, lookup.span, stacks);
}

/// An existing VPC from `key` (x-vpc's Lookup or x-aws-vpc): the VPC id, the required subnet
/// groups and any `extra` group, each a root parameter filled when `parts` gives literal ids.
fn existing_vpc_parts<'a>(
    key: &str,
    parts: &dyn Fn(&str) -> Option<&'a Node>,
    extra: &[&str],
    span: crate::diagnostic::Span,
    stacks: &mut Stacks,
) {
    let mut known = Vec::new();
    let mut groups: Vec<&str> = vec![VPC_ID];
    groups.extend(REQUIRED_GROUPS);
    for group in extra {
        if !groups.contains(group) {
            groups.push(group);
        }
    }
    for name in groups {
        let id = crate::stack::logical_id_param(name);
        let is_vpc = name == VPC_ID;
        let (type_, description) = if is_vpc {
            ("AWS::EC2::VPC::Id", "Id of the existing VPC".to_string())
        } else {
            (
                SUBNET_LIST,
                format!("Ids of the existing VPC's {name} subnets (comma-separated)"),
            )
        };
        stacks
            .root()
            .export_parameter(&id, Parameter::new(type_).with_description(description));
        let node = parts(name);
        match node.and_then(|n| literal_ids(n, is_vpc)) {
            Some(ids) => known.push((id, ids.join(","))),
            None => {
                let span = node.map(|n| n.span).unwrap_or(span);
                let what = if node.is_some() {
                    "is looked up by tags"
                } else {
                    "is not given"
                };
                let warning =
                    Diagnostic::warning(VALUE_NEEDED, format!("{key}: {name} {what}; parameter {id} must be filled at deploy time"), span)
                        .with_help(format!(
                            "composex does not call AWS: give the id(s) with `Identifier`/`Arn`, or pass `--param {id}=...`, or fill it in the parameter files"
                        ));
                stacks.unfilled_warnings.insert(id.clone(), warning);
            }
        }
    }
    stacks.known_values.extend(known);
}

/// Ids written literally: `vpc-...` / `subnet-...` strings, lists of them, `Identifier`, or an `Arn`
/// ending in `/<id>`. Tags need a lookup, so give None.
fn literal_ids(node: &Node, is_vpc: bool) -> Option<Vec<String>> {
    let prefix = if is_vpc { "vpc-" } else { "subnet-" };
    let id = |n: &Node| -> Option<String> {
        let text = n.as_str()?;
        let tail = text.rsplit('/').next().unwrap_or(text);
        tail.starts_with(prefix).then(|| tail.to_string())
    };
    let from = |n: &Node| -> Option<Vec<String>> {
        match n.as_seq() {
            Some(items) => items.iter().map(id).collect(),
            None => n
                .as_str()
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .and_then(|parts| {
                    parts
                        .iter()
                        .map(|p| {
                            p.rsplit('/')
                                .next()
                                .filter(|t| t.starts_with(prefix))
                                .map(str::to_string)
                        })
                        .collect()
                }),
        }
    };
    if node.as_map().is_some() {
        let n = node.get("Identifier").or_else(|| node.get("Arn"))?;
        from(n)
    } else {
        from(node)
    }
    .filter(|ids| !ids.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_split_into_six_subnets() {
        assert_eq!(parse_cidr("100.127.0.0/24"), Ok((0x647F_0000, 24)));
        let [public, app, storage] = subnet_cidrs((0x647F_0000, 24));
        assert_eq!(app, ["100.127.0.0/26", "100.127.0.64/26"]);
        assert_eq!(public, ["100.127.0.128/27", "100.127.0.160/27"]);
        assert_eq!(storage, ["100.127.0.192/27", "100.127.0.224/27"]);
        let [public, app, storage] = subnet_cidrs(parse_cidr("10.0.0.0/16").unwrap());
        assert_eq!(app, ["10.0.0.0/18", "10.0.64.0/18"]);
        assert_eq!(public, ["10.0.128.0/19", "10.0.160.0/19"]);
        assert_eq!(storage, ["10.0.192.0/19", "10.0.224.0/19"]);
    }

    #[test]
    fn bad_cidrs_are_explained() {
        assert!(parse_cidr("10.0.0.1/16")
            .unwrap_err()
            .contains("10.0.0.0/16"));
        assert!(parse_cidr("10.0.0.0/8").unwrap_err().contains("/16../25"));
        assert!(parse_cidr("10.0.0.0/26").is_err());
        assert!(parse_cidr("10.0.0/16").is_err());
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(parse_cidr("300.0.0.0/16").is_err());
    }
}
