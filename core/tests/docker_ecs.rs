//! Docker's ECS integration: a compose file written for it, with every `x-aws-*` key it read,
//! renders with each key's effect in the templates; the `x-aws-cloudformation` overlay merges in
//! both layouts, refuses what it cannot merge at its line, and goes through the quota checks.

use composex_core::{render, Diagnostic, Format, Input, Layout, Options, Output, SourceFile};
use serde_json::{json, Value};

const DOCKER_ECS: &str = include_str!("../src/emit/examples/docker-ecs.yml");

fn run(text: &str, layout: Layout) -> Output {
    render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        options: Options {
            project_name: String::new(),
            format: Format::Json,
            layout,
            ..Options::default()
        },
        ..Input::default()
    })
}

fn errors(out: &Output) -> Vec<&Diagnostic> {
    out.diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn file(out: &Output, path: &str) -> Value {
    let f = out
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", paths(out)));
    serde_json::from_str(&f.text).unwrap()
}

fn paths(out: &Output) -> Vec<&str> {
    out.files.iter().map(|f| f.path.as_str()).collect()
}

/// The parameter file's values, by key.
fn params(out: &Output, path: &str) -> serde_json::Map<String, Value> {
    file(out, path)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["ParameterKey"].as_str().unwrap().to_string(),
                p["ParameterValue"].clone(),
            )
        })
        .collect()
}

/// The text the diagnostic's span covers in `text`.
fn at<'a>(d: &Diagnostic, text: &'a str) -> &'a str {
    let span = d.span.expect("located");
    &text[span.start as usize..span.end as usize]
}

#[test]
fn every_x_aws_key_takes_effect_in_the_single_template() {
    let out = run(DOCKER_ECS, Layout::Single);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    // The top-level `name:` names the project.
    let t = file(&out, "shop.json");
    let r = &t["Resources"];
    let p = params(&out, "shop.params.json");

    // x-aws-vpc: the existing VPC's id fills VpcId; the subnets are left to fill, with a warning
    // at the key.
    assert_eq!(p["VpcId"], "vpc-0123456789abcdef0");
    assert_eq!(p["AppSubnets"], "");
    let subnets = out
        .diagnostics
        .iter()
        .find(|d| d.code == "CX338")
        .expect("subnets warning");
    assert_eq!(at(subnets, DOCKER_ECS), "vpc-0123456789abcdef0");
    assert!(!t.to_string().contains("AWS::EC2::VPC\""), "no new VPC");

    // x-aws-cluster: an existing cluster.
    assert_eq!(p["ClusterName"], "shop-cluster");
    assert_eq!(
        r["WebService"]["Properties"]["Cluster"],
        json!({"Ref": "ClusterName"})
    );

    // x-aws-loadbalancer: listeners on the existing load balancer, none created.
    assert_eq!(
        p["ExistingLoadBalancerArn"],
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/0123456789abcdef"
    );
    assert!(!t
        .to_string()
        .contains("AWS::ElasticLoadBalancingV2::LoadBalancer\""));
    let listener = r
        .as_object()
        .unwrap()
        .values()
        .find(|v| v["Type"] == "AWS::ElasticLoadBalancingV2::Listener")
        .expect("a listener");
    let lp = &listener["Properties"];
    assert_eq!(
        lp["LoadBalancerArn"],
        json!({"Ref": "ExistingLoadBalancerArn"})
    );
    // x-aws-certificate: HTTPS with the certificate, under a TLS 1.2+ policy.
    assert_eq!(lp["Protocol"], "HTTPS");
    assert_eq!(lp["Port"], 443);
    assert_eq!(
        lp["Certificates"][0]["CertificateArn"],
        "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    );
    assert_eq!(lp["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
    // x-aws-protocol: http: an HTTP target group on the container port.
    let tg = &r["Elbv2WebWeb8080TargetGroup"]["Properties"];
    assert_eq!(
        (tg["Protocol"].as_str(), tg["Port"].as_u64()),
        (Some("HTTP"), Some(8080))
    );
    // The tasks let the existing load balancer's group in: a parameter to fill, with a warning.
    assert_eq!(p["ExistingLoadBalancerSecurityGroupId"], "");
    assert!(t
        .to_string()
        .contains("{\"Ref\":\"ExistingLoadBalancerSecurityGroupId\"}"));
    let group = out
        .diagnostics
        .iter()
        .find(|d| d.code == "CX682")
        .expect("warning");
    assert!(group
        .message
        .contains("ExistingLoadBalancerSecurityGroupId"));

    // x-aws-logs_retention: the project's 14 days, a service's own 90.
    assert_eq!(r["WebLogGroup"]["Properties"]["RetentionInDays"], 14);
    assert_eq!(r["WorkerLogGroup"]["Properties"]["RetentionInDays"], 90);

    // x-aws-min_percent / x-aws-max_percent under deploy.update_config.
    let deployment = &r["WebService"]["Properties"]["DeploymentConfiguration"];
    assert_eq!(deployment["MinimumHealthyPercent"], 50);
    assert_eq!(deployment["MaximumPercent"], 150);
    let worker = &r["WorkerService"]["Properties"]["DeploymentConfiguration"];
    assert_eq!(worker["MinimumHealthyPercent"], 100);

    // x-aws-autoscaling: min/max and a target-tracking policy on cpu, or on memory.
    assert_eq!(r["WebScalableTarget"]["Properties"]["MinCapacity"], 2);
    assert_eq!(r["WebScalableTarget"]["Properties"]["MaxCapacity"], 6);
    let cpu = &r["WebCpuTargetTracking"]["Properties"]["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(
        cpu["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );
    assert_eq!(cpu["TargetValue"], 70.0);
    let memory =
        &r["WorkerMemoryTargetTracking"]["Properties"]["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(
        memory["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageMemoryUtilization"
    );
    assert_eq!(memory["TargetValue"], 80.0);
    assert_eq!(r["WorkerScalableTarget"]["Properties"]["MaxCapacity"], 3);

    // x-aws-role and x-aws-policies: the task role.
    let role = &r["WebTaskRole"]["Properties"];
    assert!(role
        .to_string()
        .contains("arn:aws:s3:::shop-assets-from-x-aws-role/*"));
    assert_eq!(
        role["ManagedPolicyArns"],
        json!(["arn:aws:iam::123456789012:policy/shop-reader"])
    );

    // x-aws-pull_credentials: the registry login of the web container.
    let web = &r["WebTaskDefinition"]["Properties"]["ContainerDefinitions"];
    let web = web
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Name"] == "web")
        .unwrap();
    assert_eq!(
        web["RepositoryCredentials"]["CredentialsParameter"],
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-login-AbCdEf"
    );

    // x-aws-securitygroup: the tasks on `back` join the existing group; no group is made for it.
    assert_eq!(p["BackNetworkSecurityGroupId"], "sg-0123456789abcdef0");
    for service in ["WebService", "WorkerService"] {
        let groups = &r[service]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
            ["SecurityGroups"];
        assert!(
            groups
                .as_array()
                .unwrap()
                .contains(&json!({"Ref": "BackNetworkSecurityGroupId"})),
            "{service}: {groups}"
        );
    }
    assert!(r.get("ComposeNetworksBackNetwork").is_none());

    // x-aws-cloudformation: merged into what composex made.
    assert_eq!(tg["HealthCheckPath"], "/healthz-from-overlay");
    assert_eq!(tg["Matcher"], json!({"HttpCode": "200"}));
    let service = &r["WebService"]["Properties"];
    assert_eq!(service["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(
        deployment["DeploymentCircuitBreaker"],
        json!({"Enable": true, "Rollback": true})
    );
}

#[test]
fn the_overlay_reaches_the_nested_stack_that_holds_each_resource() {
    let out = run(DOCKER_ECS, Layout::Nested);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let web = file(&out, "web.json");
    let service = &web["Resources"]["Service"]["Properties"];
    assert_eq!(service["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(
        service["DeploymentConfiguration"]["DeploymentCircuitBreaker"]["Rollback"],
        true
    );
    let elbv2 = file(&out, "elbv2.json");
    assert_eq!(
        elbv2["Resources"]["WebWeb8080TargetGroup"]["Properties"]["HealthCheckPath"],
        "/healthz-from-overlay"
    );
    // Untouched elsewhere: the worker keeps the circuit breaker composex writes.
    let worker = file(&out, "worker.json");
    assert_eq!(
        worker["Resources"]["Service"]["Properties"]["DeploymentConfiguration"]
            ["DeploymentCircuitBreaker"]["Rollback"],
        false
    );
}

const APP: &str = "services:\n  app:\n    image: nginx\n  other:\n    image: redis\n";

#[test]
fn references_are_renamed_in_the_nested_layout_and_nulls_remove() {
    let overlay = format!(
        "{APP}x-aws-cloudformation:\n  Resources:\n    AppService:\n      DependsOn: AppTaskDefinition\n      Properties:\n        TaskDefinition:\n          Ref: AppTaskDefinition\n        DeploymentConfiguration:\n          DeploymentCircuitBreaker: null\n    Topic:\n      Type: AWS::SNS::Topic\n      Properties:\n        KmsMasterKeyId: alias/aws/sns\n  Outputs:\n    TopicArn:\n      Value:\n        Ref: Topic\n"
    );
    let single = run(&overlay, Layout::Single);
    assert!(errors(&single).is_empty(), "{:#?}", single.diagnostics);
    let t = file(&single, "composex.json");
    let service = &t["Resources"]["AppService"];
    assert_eq!(
        service["Properties"]["TaskDefinition"],
        json!({"Ref": "AppTaskDefinition"})
    );
    assert_eq!(service["DependsOn"], json!("AppTaskDefinition"));
    assert!(service["Properties"]["DeploymentConfiguration"]
        .get("DeploymentCircuitBreaker")
        .is_none());
    assert_eq!(t["Resources"]["Topic"]["Type"], "AWS::SNS::Topic");
    assert_eq!(t["Outputs"]["TopicArn"]["Value"], json!({"Ref": "Topic"}));

    let nested = run(&overlay, Layout::Nested);
    assert!(errors(&nested).is_empty(), "{:#?}", nested.diagnostics);
    let app = file(&nested, "app.json");
    let service = &app["Resources"]["Service"];
    assert_eq!(
        service["Properties"]["TaskDefinition"],
        json!({"Ref": "TaskDefinition"})
    );
    assert_eq!(service["DependsOn"], json!("TaskDefinition"));
    // A new resource and output go into the root template.
    let root = file(&nested, "composex.json");
    assert_eq!(root["Resources"]["Topic"]["Type"], "AWS::SNS::Topic");
    assert_eq!(
        root["Outputs"]["TopicArn"]["Value"],
        json!({"Ref": "Topic"})
    );
}

#[test]
fn what_cannot_be_merged_is_refused_at_its_line() {
    let cases: &[(&str, &str, &str)] = &[
        // (overlay, code, text at the span)
        (
            "  Resources:\n    AppServce:\n      Properties:\n        DesiredCount: 2\n",
            "CX686",
            "AppServce",
        ),
        (
            "  Outputs:\n    NoSuchOutput:\n      Description: nothing\n",
            "CX686",
            "NoSuchOutput",
        ),
        (
            "  Parameters:\n    AppImageUrl:\n      Default: nginx:1.27\n",
            "CX685",
            "Parameters",
        ),
        (
            "  Resources:\n    AppService:\n      Type: AWS::ECS::TaskSet\n",
            "CX685",
            "AWS::ECS::TaskSet",
        ),
        (
            "  Resources:\n    AppService:\n      Propertes:\n        DesiredCount: 2\n",
            "CX685",
            "Propertes",
        ),
        ("  - Resources\n", "CX685", "- Resources"),
    ];
    for (overlay, code, spot) in cases {
        let text = format!("{APP}x-aws-cloudformation:\n{overlay}");
        for layout in [Layout::Single, Layout::Nested] {
            let out = run(&text, layout);
            assert!(out.files.is_empty(), "{overlay}: nothing written");
            let errs = errors(&out);
            assert_eq!(errs.len(), 1, "{overlay}: {errs:#?}");
            assert_eq!(errs[0].code, *code, "{overlay}");
            assert_eq!(at(errs[0], &text), *spot, "{overlay}");
        }
    }
    // The did-you-mean names the real id.
    let text = format!(
        "{APP}x-aws-cloudformation:\n  Resources:\n    AppServce:\n      Properties: {{}}\n"
    );
    let out = run(&text, Layout::Nested);
    let help = errors(&out)[0].help.clone().unwrap_or_default();
    assert!(help.contains("`AppService`"), "{help}");
    // A reference to a resource of another nested stack works only in the single layout.
    let text = format!("{APP}x-aws-cloudformation:\n  Resources:\n    AppService:\n      DependsOn: [OtherService]\n");
    assert!(errors(&run(&text, Layout::Single)).is_empty());
    let out = run(&text, Layout::Nested);
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(
        (errs[0].code, at(errs[0], &text)),
        ("CX685", "[OtherService]")
    );
}

#[test]
fn an_overlay_past_a_quota_is_caught_by_cx404() {
    let mut text = format!("{APP}x-aws-cloudformation:\n  Resources:\n");
    for i in 0..500 {
        text.push_str(&format!(
            "    Extra{i:03}:\n      Type: AWS::SNS::Topic\n      Properties:\n        KmsMasterKeyId: alias/aws/sns\n"
        ));
    }
    for layout in [Layout::Single, Layout::Nested] {
        let out = run(&text, layout);
        assert!(out.files.is_empty());
        let quota: Vec<_> = errors(&out)
            .into_iter()
            .filter(|d| d.code == "CX404")
            .collect();
        assert_eq!(quota.len(), 1, "{:#?}", out.diagnostics);
        assert!(
            quota[0].message.contains("resources"),
            "{}",
            quota[0].message
        );
    }
}

#[test]
fn docker_values_composex_cannot_use_are_located_errors() {
    let cases: &[(&str, &str, &str)] = &[
        ("x-aws-vpc: default\nservices:\n  app:\n    image: nginx\n", "CX681", "default"),
        (
            "x-aws-loadbalancer: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1\nservices:\n  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n",
            "CX682",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1",
        ),
        (
            "x-aws-loadbalancer: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/a/1\nx-elbv2:\n  lb:\n    Properties: {}\nservices:\n  app:\n    image: nginx\n",
            "CX682",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/a/1",
        ),
        (
            "services:\n  app:\n    image: nginx\n    ports:\n      - target: 80\n        x-aws-protocol: grpc\n",
            "CX683",
            "grpc",
        ),
        (
            "services:\n  app:\n    image: nginx\n    networks: [back]\nnetworks:\n  back:\n    x-aws-securitygroup: [sg-1]\n",
            "CX684",
            "[sg-1]",
        ),
        (
            "services:\n  app:\n    image: nginx\n    deploy:\n      x-aws-autoscaling: {max: 3, memory: 150}\n",
            "CX324",
            "150",
        ),
    ];
    // A misspelt Docker key where Docker read x-aws keys: a warning naming the right one.
    let text = "services:\n  app:\n    image: nginx\n    ports:\n      - target: 8080\n        x-aws-protcol: http\n";
    let out = run(text, Layout::Single);
    let typo = out
        .diagnostics
        .iter()
        .find(|d| d.code == "CX687")
        .expect("CX687");
    assert_eq!(at(typo, text), "x-aws-protcol");
    assert_eq!(typo.help.as_deref(), Some("did you mean `x-aws-protocol`?"));
    for (text, code, spot) in cases {
        let out = run(text, Layout::Single);
        let errs = errors(&out);
        assert!(
            errs.iter().any(|d| d.code == *code && at(d, text) == *spot),
            "{text}: {errs:#?}"
        );
    }
}

#[test]
fn a_network_load_balancer_given_by_arn_takes_any_port_and_terminates_tls() {
    let text = "x-aws-loadbalancer: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/shop/1\nservices:\n  db:\n    image: postgres:16\n    expose: [\"5432\"]\n    ports:\n      - target: 5432\n        published: 5432\n        x-aws-certificate: arn:aws:acm:eu-west-1:123456789012:certificate/1\n";
    let out = run(text, Layout::Single);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let t = file(&out, "composex.json").to_string();
    assert!(t.contains("\"Protocol\":\"TLS\""), "{t}");
    assert!(t.contains("\"Protocol\":\"TCP\""), "{t}");
}

/// The migration page lists every `x-aws-*` key composex knows, each in a row of its table at
/// the scope it is written (a key read at two places has a row for each place).
#[test]
fn the_migration_page_lists_every_x_aws_key() {
    use composex_core::xkeys::{self, Scope};
    let page = include_str!("../../docs/src/migration/docker-ecs.md");
    let rows: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("| `x-aws-"))
        .collect();
    let mut keys: Vec<&str> = xkeys::ALL
        .iter()
        .map(|k| k.key)
        .filter(|k| k.starts_with("x-aws-"))
        .collect();
    keys.dedup();
    assert!(keys.len() >= 15, "{keys:?}");
    for key in keys {
        let row = rows
            .iter()
            .find(|r| r.starts_with(&format!("| `{key}` |")))
            .unwrap_or_else(|| panic!("{key} has no row in docs/src/migration/docker-ecs.md"));
        // The row says where the key is written, for each scope composex reads it at.
        for k in xkeys::ALL.iter().filter(|k| k.key == key) {
            let place = match k.scope {
                Scope::TopLevel => "top level",
                Scope::Service => "service",
                Scope::Deploy => "`deploy`",
                Scope::Secret => "secret",
                Scope::Volume => "volume",
                Scope::Network => "network",
                Scope::Port => "port",
                Scope::UpdateConfig => "`deploy.update_config`",
            };
            assert!(
                rows.iter()
                    .filter(|r| r.starts_with(&format!("| `{key}` |")))
                    .any(|r| r.split('|').nth(2).is_some_and(|c| c.contains(place))),
                "{key} ({place}): {row}"
            );
        }
    }
}
