//! `x-cluster.MacroParameters.Ec2Capacity`: an ECS capacity provider backed by an Auto Scaling
//! group of ECS-optimised EC2 instances, in its own stack ([`EC2_CAPACITY_STACK`]): the launch
//! template (AMI from AWS's public SSM parameter, IMDSv2 only, encrypted root volume, user data
//! joining the cluster), the instance role and profile, a security group with HTTPS egress only,
//! the group in the application subnets (on-demand or spot), the capacity provider with managed
//! scaling, and the cluster's capacity provider associations. Services placed on it import
//! [`EC2_CAPACITY_PROVIDER`].

use serde_json::{json, Map, Value};

use crate::cfn::{base64, get_att, ref_, sub, Parameter, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::{check_keys, Stacks, APP_SUBNETS, CLUSTER_NAME, VPC_ID};
use crate::yaml::Node;

/// `Ec2Capacity` has the wrong shape, a wrong value, or is used with an existing cluster.
pub const INVALID_CAPACITY: &str = "CX650";

/// Export name: the EC2 capacity provider's name.
pub const EC2_CAPACITY_PROVIDER: &str = "Ec2CapacityProvider";
/// Export name: the capacity provider associations (services on EC2 are created after them).
pub const EC2_CAPACITY_ASSOCIATIONS: &str = "Ec2CapacityAssociations";
/// Export name: the instances' CPU architecture (`X86_64` or `ARM64`), read by the family
/// planner (a task of another architecture would never be placed).
pub const EC2_CAPACITY_ARCHITECTURE: &str = "Ec2CapacityArchitecture";
/// Name of the stack holding the EC2 capacity.
pub const EC2_CAPACITY_STACK: &str = "ec2capacity";
/// What services write as `CapacityProvider` in `x-ecs.CapacityProviderStrategy` for it.
pub const EC2_PROVIDER_ALIAS: &str = "EC2";

const KEYS: &[&str] = &[
    "InstanceTypes",
    "MinSize",
    "MaxSize",
    "TargetCapacity",
    "CpuArchitecture",
    "Gpu",
    "VolumeSize",
    "Spot",
];
const SPOT_KEYS: &[&str] = &[
    "OnDemandBaseCapacity",
    "OnDemandPercentageAboveBaseCapacity",
    "MaxPrice",
];
const AMI_PARAMETER: &str = "Ec2CapacityAmiId";

/// The settings read from `Ec2Capacity`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    instance_types: Vec<String>,
    min: i64,
    max: i64,
    target: i64,
    arm64: bool,
    gpu: Option<bool>,
    volume_gib: i64,
    spot: Option<Spot>,
}

#[derive(Debug, Clone, PartialEq)]
struct Spot {
    on_demand_base: i64,
    on_demand_percentage: i64,
    max_price: Option<String>,
}

/// Reads `Ec2Capacity`; None (with located errors) when it cannot be rendered.
pub fn read(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Settings> {
    if node.as_map().is_none() {
        diags.push(
            Diagnostic::error(
                INVALID_CAPACITY,
                format!(
                    "x-cluster.MacroParameters.Ec2Capacity must be a mapping, not a {}",
                    node.kind_name()
                ),
                node.span,
            )
            .with_help("e.g. `Ec2Capacity: {InstanceTypes: [m6i.large], MaxSize: 4}`"),
        );
        return None;
    }
    let before = diags.iter().filter(|d| d.is_error()).count();
    check_keys(
        node,
        KEYS,
        INVALID_CAPACITY,
        "x-cluster.MacroParameters.Ec2Capacity",
        diags,
    );
    let instance_types = match node.get("InstanceTypes") {
        None => vec!["m6i.large".to_string()],
        Some(n) => {
            let types: Option<Vec<String>> = n
                .as_seq()
                .map(|items| {
                    items
                        .iter()
                        .map(|i| i.as_str().filter(|t| instance_type(t)).map(str::to_string))
                        .collect()
                })
                .unwrap_or(None);
            match types.filter(|t| !t.is_empty()) {
                Some(t) => t,
                None => {
                    diags.push(
                        Diagnostic::error(
                            INVALID_CAPACITY,
                            "Ec2Capacity.InstanceTypes must be a list of EC2 instance types",
                            n.span,
                        )
                        .with_help("e.g. `InstanceTypes: [m6i.large, m6a.large]`"),
                    );
                    Vec::new()
                }
            }
        }
    };
    let int = |key: &str,
               default: i64,
               range: std::ops::RangeInclusive<i64>,
               diags: &mut Vec<Diagnostic>| {
        let Some(n) = node.get(key) else {
            return default;
        };
        match n.integer().filter(|v| range.contains(v)) {
            Some(v) => v,
            None => {
                diags.push(Diagnostic::error(
                    INVALID_CAPACITY,
                    format!(
                        "Ec2Capacity.{key} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                    n.span,
                ));
                default
            }
        }
    };
    let min = int("MinSize", 0, 0..=1000, diags);
    let max = int("MaxSize", 10, 1..=1000, diags);
    if min > max {
        if let Some(n) = node.get("MinSize") {
            diags.push(Diagnostic::error(
                INVALID_CAPACITY,
                format!("Ec2Capacity.MinSize {min} is above MaxSize {max}"),
                n.span,
            ));
        }
    }
    let target = int("TargetCapacity", 100, 1..=100, diags);
    let volume_gib = int("VolumeSize", 30, 30..=16384, diags);
    let arm64 = match node.get("CpuArchitecture") {
        None => false,
        Some(n) => match n.as_str() {
            Some("X86_64") => false,
            Some("ARM64") => true,
            _ => {
                diags.push(Diagnostic::error(
                    INVALID_CAPACITY,
                    "Ec2Capacity.CpuArchitecture must be X86_64 or ARM64",
                    n.span,
                ));
                false
            }
        },
    };
    let gpu = node
        .get("Gpu")
        .and_then(|n| crate::stack::bool_option(n, INVALID_CAPACITY, "Ec2Capacity.Gpu", diags));
    if arm64 && gpu == Some(true) {
        if let Some(n) = node.get("Gpu") {
            diags.push(
                Diagnostic::error(
                    INVALID_CAPACITY,
                    "Ec2Capacity: the ECS GPU-optimised AMI is for X86_64 instances",
                    n.span,
                )
                .with_help("use X86_64 GPU instances (g5, g6, p4d ...) for GPU tasks"),
            );
        }
    }
    let spot = node.get("Spot").and_then(|n| read_spot(n, diags));
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors == before).then_some(Settings {
        instance_types,
        min,
        max,
        target,
        arm64,
        gpu,
        volume_gib,
        spot,
    })
}

/// `m6i.large`, `g5.xlarge`: a family, a dot, a size.
fn instance_type(text: &str) -> bool {
    let mut parts = text.split('.');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

fn read_spot(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Spot> {
    if node.as_map().is_none() {
        diags.push(Diagnostic::error(
            INVALID_CAPACITY,
            format!(
                "Ec2Capacity.Spot must be a mapping, not a {}",
                node.kind_name()
            ),
            node.span,
        ));
        return None;
    }
    check_keys(
        node,
        SPOT_KEYS,
        INVALID_CAPACITY,
        "x-cluster.MacroParameters.Ec2Capacity.Spot",
        diags,
    );
    let mut int = |key: &str, max: i64| match node.get(key) {
        None => 0,
        Some(n) => match n.integer().filter(|v| (0..=max).contains(v)) {
            Some(v) => v,
            None => {
                diags.push(Diagnostic::error(
                    INVALID_CAPACITY,
                    format!("Ec2Capacity.Spot.{key} must be a whole number from 0 to {max}"),
                    n.span,
                ));
                0
            }
        },
    };
    let on_demand_base = int("OnDemandBaseCapacity", 1000);
    let on_demand_percentage = int("OnDemandPercentageAboveBaseCapacity", 100);
    let max_price = match node.get("MaxPrice") {
        None => None,
        Some(n) => {
            match n.number().filter(|p| *p > 0.0) {
                Some(_) => n.scalar_text().map(str::to_string),
                None => {
                    diags.push(
                    Diagnostic::error(
                        INVALID_CAPACITY,
                        "Ec2Capacity.Spot.MaxPrice must be a price in USD per hour",
                        n.span,
                    )
                    .with_help("e.g. `MaxPrice: 0.42`; leave it out to pay at most the on-demand price"),
                );
                    None
                }
            }
        }
    };
    Some(Spot {
        on_demand_base,
        on_demand_percentage,
        max_price,
    })
}

/// The public SSM parameter of the ECS-optimised Amazon Linux 2023 AMI for these settings.
fn ami_parameter(settings: &Settings, gpu: bool) -> &'static str {
    match (settings.arm64, gpu) {
        (_, true) => "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id",
        (true, false) => {
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
        }
        (false, false) => "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    }
}

/// Writes the EC2 capacity stack. `providers` and `default_strategy` are the cluster's own
/// (Fargate) capacity providers and default strategy, which move to the association: a
/// cluster's providers are set in one place. `gpu_wanted`: some service reserves a GPU (the
/// GPU AMI unless `Gpu: false`).
pub fn emit(
    settings: &Settings,
    providers: Value,
    default_strategy: Option<Value>,
    gpu_wanted: bool,
    stacks: &mut Stacks,
) {
    let gpu = settings.gpu.unwrap_or(gpu_wanted);
    let stack = stacks.stack(EC2_CAPACITY_STACK);
    let cluster = stack.import(CLUSTER_NAME);
    let vpc = stack.import(VPC_ID);
    let subnets = stack.import(APP_SUBNETS);
    let ami = stack.add_parameter(
        AMI_PARAMETER,
        Parameter::new("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
            .with_default(ami_parameter(settings, gpu))
            .with_description("The ECS-optimised AMI of the EC2 capacity (AWS's public SSM parameter of the latest one)"),
    );
    // The agent's role: the AWS-managed policy is exactly what the ECS agent calls (register the
    // instance, poll for tasks, pull from ECR, send logs) and AWS keeps it current; tasks never
    // get it (awsvpc tasks are blocked from the instance metadata, below).
    let role = stack.add_resource(
        "Ec2CapacityInstanceRole",
        Resource::new(
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": { "Service": sub("ec2.${AWS::URLSuffix}") },
                        "Action": "sts:AssumeRole",
                    }],
                },
                "ManagedPolicyArns": [
                    sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
                ],
            }),
        ),
    );
    let profile = stack.add_resource(
        "Ec2CapacityInstanceProfile",
        Resource::new(
            "AWS::IAM::InstanceProfile",
            json!({ "Roles": [ref_(&role)] }),
        ),
    );
    // awsvpc tasks have their own network interfaces and security groups: the instance itself
    // only reaches the ECS, ECR and CloudWatch endpoints, over HTTPS.
    let group = stack.add_resource(
        "Ec2CapacitySecurityGroup",
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": "ECS container instances: HTTPS out to the ECS, ECR and CloudWatch endpoints, nothing in",
                "VpcId": vpc,
                "SecurityGroupEgress": [{
                    "CidrIp": "0.0.0.0/0",
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "Description": "HTTPS to the AWS endpoints and image registries",
                }],
            }),
        ),
    );
    let user_data = concat!(
        "#!/bin/bash\n",
        "cat >> /etc/ecs/ecs.config <<'EOF'\n",
        "ECS_CLUSTER=${Cluster}\n",
        "ECS_AWSVPC_BLOCK_IMDS=true\n",
        "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n",
        "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance\n",
        "EOF\n",
    );
    let mut user_vars = Map::new();
    user_vars.insert("Cluster".into(), cluster.clone());
    let mut data = json!({
        "ImageId": ami,
        "IamInstanceProfile": { "Arn": get_att(&profile, "Arn") },
        "SecurityGroupIds": [get_att(&group, "GroupId")],
        "MetadataOptions": {
            "HttpEndpoint": "enabled",
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 1,
        },
        "BlockDeviceMappings": [{
            "DeviceName": "/dev/xvda",
            "Ebs": {
                "Encrypted": true,
                "VolumeSize": settings.volume_gib,
                "VolumeType": "gp3",
                "DeleteOnTermination": true,
            },
        }],
        "Monitoring": { "Enabled": true },
        "UserData": base64(crate::cfn::sub_with(user_data, user_vars)),
    });
    if settings.spot.is_none() && settings.instance_types.len() == 1 {
        data["InstanceType"] = json!(settings.instance_types[0]);
    }
    let template = stack.add_resource(
        "Ec2CapacityLaunchTemplate",
        Resource::new(
            "AWS::EC2::LaunchTemplate",
            json!({ "LaunchTemplateData": data }),
        ),
    );
    let launch_template = json!({
        "LaunchTemplateId": ref_(&template),
        "Version": get_att(&template, "LatestVersionNumber"),
    });
    let mut group_props = json!({
        "MinSize": settings.min.to_string(),
        "MaxSize": settings.max.to_string(),
        "VPCZoneIdentifier": subnets,
        // ECS managed scaling needs instances protected from scale-in (ECS chooses which go).
        "NewInstancesProtectedFromScaleIn": true,
        "Tags": [{ "Key": "AmazonECSManaged", "Value": "true", "PropagateAtLaunch": true }],
    });
    if settings.spot.is_none() && settings.instance_types.len() == 1 {
        group_props["LaunchTemplate"] = launch_template;
    } else {
        let overrides: Vec<Value> = settings
            .instance_types
            .iter()
            .map(|t| json!({ "InstanceType": t }))
            .collect();
        let mut distribution = match &settings.spot {
            Some(spot) => json!({
                "OnDemandBaseCapacity": spot.on_demand_base,
                "OnDemandPercentageAboveBaseCapacity": spot.on_demand_percentage,
                "SpotAllocationStrategy": "price-capacity-optimized",
            }),
            // Several types, no spot: on-demand only, in the order given.
            None => json!({
                "OnDemandPercentageAboveBaseCapacity": 100,
                "OnDemandAllocationStrategy": "prioritized",
            }),
        };
        if let Some(price) = settings.spot.as_ref().and_then(|s| s.max_price.as_ref()) {
            distribution["SpotMaxPrice"] = json!(price);
        }
        group_props["MixedInstancesPolicy"] = json!({
            "InstancesDistribution": distribution,
            "LaunchTemplate": {
                "LaunchTemplateSpecification": launch_template,
                "Overrides": overrides,
            },
        });
    }
    let asg = stack.add_resource(
        "Ec2CapacityAutoScalingGroup",
        Resource::new("AWS::AutoScaling::AutoScalingGroup", group_props),
    );
    let provider = stack.add_resource(
        "Ec2CapacityProvider",
        Resource::new(
            "AWS::ECS::CapacityProvider",
            json!({
                "AutoScalingGroupProvider": {
                    "AutoScalingGroupArn": ref_(&asg),
                    "ManagedScaling": {
                        "Status": "ENABLED",
                        "TargetCapacity": settings.target,
                    },
                    "ManagedTerminationProtection": "ENABLED",
                    "ManagedDraining": "ENABLED",
                },
            }),
        ),
    );
    let mut all = match providers {
        Value::Array(items) => items,
        _ => Vec::new(),
    };
    all.push(ref_(&provider));
    let mut association = json!({
        "Cluster": cluster,
        "CapacityProviders": all,
        "DefaultCapacityProviderStrategy": default_strategy
            .unwrap_or_else(|| json!([{ "CapacityProvider": "FARGATE", "Weight": 1 }])),
    });
    // An association needs a default strategy; without Fargate, the EC2 provider is it.
    if !association["CapacityProviders"]
        .as_array()
        .is_some_and(|p| p.iter().any(|p| p == "FARGATE"))
        && association["DefaultCapacityProviderStrategy"]
            .as_array()
            .is_some_and(|s| s.iter().any(|e| e["CapacityProvider"] == "FARGATE"))
    {
        association["DefaultCapacityProviderStrategy"] =
            json!([{ "CapacityProvider": ref_(&provider), "Weight": 1 }]);
    }
    let associations = stack.add_resource(
        "Ec2CapacityAssociations",
        Resource::new("AWS::ECS::ClusterCapacityProviderAssociations", association),
    );
    stack.export(
        EC2_CAPACITY_PROVIDER,
        ref_(&provider),
        "String",
        "Name of the ECS capacity provider of the cluster's EC2 instances",
    );
    let architecture = if settings.arm64 { "ARM64" } else { "X86_64" };
    stack.export(
        EC2_CAPACITY_ARCHITECTURE,
        json!(architecture),
        "String",
        "CPU architecture of the cluster's EC2 instances",
    );
    // Services may use the provider once it is associated with the cluster: they are ordered
    // after this export's resource.
    stack.export(
        EC2_CAPACITY_ASSOCIATIONS,
        ref_(&associations),
        "String",
        "The cluster, once its capacity providers are associated",
    );
}
