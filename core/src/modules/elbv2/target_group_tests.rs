//! `TargetGroups`: named target groups, every one attached by its listener rule or default
//! action, every service registered into each group it is listed in.

use serde_json::json;

use super::codes::*;
use super::tests::{at, errors, file, lay, render, render_all, template_of};
use super::*;
use crate::Layout;

const FIXTURE: &str = include_str!("fixtures/target_groups.yml");

#[test]
fn two_target_groups_behind_one_listener_on_two_paths() {
    let (stacks, attachments, diagnostics) = render(FIXTURE);
    // Only the notes that the public listener is the user's choice (CX540).
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code == crate::stack::posture::USER_CHOICE),
        "{diagnostics:#?}"
    );
    let laid = lay(&stacks, Layout::Nested);
    // Checked by hand: three ip target groups (web-pages on 80 with the `/` check, api-calls on
    // 8080 with its timings, path and deregistration delay, everyone on the traffic port); the
    // listener on 80 forwards what no rule takes to `everyone`; rule 1 sends /web to web-pages,
    // rule 2 /api to api-calls.
    insta::assert_snapshot!("target_groups", file(&laid, STACK).template.to_yaml());
    let t = &file(&laid, STACK).template;
    let groups: Vec<&String> = t
        .resources
        .iter()
        .filter(|(_, r)| r.type_ == "AWS::ElasticLoadBalancingV2::TargetGroup")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        groups,
        [
            "PublicAlbTgEveryone",
            "PublicAlbTgWebPages",
            "PublicAlbTgApiCalls"
        ]
    );
    let rule = |n: u32| &t.resources[&format!("PublicAlbListener80Rule{n}")].properties;
    for (n, path, group) in [
        (1, "/web", "PublicAlbTgWebPages"),
        (2, "/api", "PublicAlbTgApiCalls"),
    ] {
        assert_eq!(
            rule(n)["Conditions"],
            json!([{ "Field": "path-pattern", "PathPatternConfig": { "Values": [path, format!("{path}/*")] } }]),
            "rule {n}"
        );
        assert_eq!(
            rule(n)["Actions"],
            json!([{ "Type": "forward", "TargetGroupArn": { "Ref": group } }]),
            "rule {n}"
        );
        assert_eq!(
            rule(n)["ListenerArn"],
            json!({ "Ref": "PublicAlbListener80" })
        );
    }
    let listener = &t.resources["PublicAlbListener80"].properties;
    assert_eq!(
        listener["DefaultActions"],
        json!([{ "Type": "forward", "TargetGroupArn": { "Ref": "PublicAlbTgEveryone" } }])
    );
    let everyone = &t.resources["PublicAlbTgEveryone"].properties;
    assert!(everyone.get("HealthCheckPort").is_none(), "{everyone:?}");
    // Every group reaches the family stacks: one attachment per registered container.
    let attached: Vec<(&str, u16, &str, &[String])> = attachments
        .iter()
        .map(|a| {
            (
                a.family.as_str(),
                a.port,
                a.target_group.as_str(),
                a.attached_by.as_slice(),
            )
        })
        .collect();
    let listener_export = ["Elbv2PublicAlbListener80Arn".to_string()];
    let rule_export = |n: u32| [format!("Elbv2PublicAlbListener80Rule{n}Arn")];
    assert_eq!(
        attached,
        vec![
            (
                "web",
                80,
                "Elbv2PublicAlbTgEveryoneArn",
                &listener_export[..]
            ),
            (
                "api",
                8080,
                "Elbv2PublicAlbTgEveryoneArn",
                &listener_export[..]
            ),
            (
                "web",
                80,
                "Elbv2PublicAlbTgWebPagesArn",
                &rule_export(1)[..]
            ),
            (
                "api",
                8080,
                "Elbv2PublicAlbTgApiCallsArn",
                &rule_export(2)[..]
            ),
        ]
    );
}

#[test]
fn each_service_is_registered_in_each_of_its_groups() {
    let output = render_all(FIXTURE, Layout::Nested);
    assert!(!output.has_errors(), "{:#?}", output.diagnostics);
    for (family, port, groups) in [
        ("web", 80, ["Everyone", "WebPages"]),
        ("api", 8080, ["Everyone", "ApiCalls"]),
    ] {
        let template = template_of(&output, &format!("{family}.yaml"));
        let expected: Vec<_> = groups
            .iter()
            .map(|g| json!({ "ContainerName": family, "ContainerPort": port, "TargetGroupArn": { "Ref": format!("Elbv2PublicAlbTg{g}Arn") } }))
            .collect();
        assert_eq!(
            template["Resources"]["Service"]["Properties"]["LoadBalancers"],
            json!(expected),
            "{family}"
        );
    }
}

#[test]
fn bad_target_groups_give_located_errors() {
    let services = "services:\n  web: {image: x, ports: [\"80:80\"]}\n  api: {image: x, ports: [\"8080:8080\"]}\n  g: {image: x, ports: [\"80:80\"]}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: g}]}}\n";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "unknown key",
            "    TargetGroups: {g: {Prot: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: web:web, Port: 80}]}}\n",
            SHAPE,
            "Prot",
        ),
        (
            "no services",
            "    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\"}}\n",
            SHAPE,
            "g",
        ),
        (
            "unknown family",
            "    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: wbe:web, Port: 80}]}}\n",
            UNKNOWN_TARGET,
            "wbe:web",
        ),
        (
            "port not exposed",
            "    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: web:web, Port: 80}, {Name: api:api, Port: 80}]}}\n",
            PORT_NOT_EXPOSED,
            "80",
        ),
        (
            "member without port",
            "    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: web:web}]}}\n",
            SHAPE,
            "{Name: web:web}",
        ),
        (
            "member twice",
            "    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: web:web, Port: 80}, {Name: web:web, Port: 80}]}}\n",
            DUPLICATE,
            "web:web",
        ),
        (
            "no health check",
            "    TargetGroups: {g: {Port: 80, Services: [{Name: web:web, Port: 80}]}}\n",
            SHAPE,
            "g",
        ),
        (
            "a Services entry of the same name",
            "    Services: {g: {port: 80, healthcheck: \"80:HTTP:/\"}}\n    TargetGroups: {g: {Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{Name: web:web, Port: 80}]}}\n",
            DUPLICATE,
            "g",
        ),
    ];
    for (what, groups, code, located) in cases {
        let text = format!("{services}{groups}");
        let (_, _, diagnostics) = render(&text);
        let found = errors(&diagnostics);
        assert_eq!(found.len(), 1, "{what}: {found:#?}");
        assert_eq!(found[0].code, *code, "{what}: {found:#?}");
        assert_eq!(at(&text, found[0]), *located, "{what}");
    }
    // A target naming no group: reported at the target, with the groups it could name.
    let text = format!(
        "{}    TargetGroups: {{h: {{Port: 80, HealthCheck: \"80:HTTP:/\", Services: [{{Name: web:web, Port: 80}}]}}}}\n",
        services
    );
    let (_, _, diagnostics) = render(&text);
    let found = errors(&diagnostics);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].code, at(&text, found[0])),
        (UNKNOWN_SERVICE_ENTRY, "g")
    );
}

#[test]
fn alarm_dimensions_name_load_balancers_and_target_groups() {
    let alarm = |dimension: &str| {
        format!(
            "{FIXTURE}x-alarms:\n  unhealthy:\n    Properties:\n      Namespace: AWS/ApplicationELB\n      MetricName: UnHealthyHostCount\n      Dimensions:\n        - Name: LoadBalancer\n          Value: x-elbv2::public-alb\n        - Name: TargetGroup\n          Value: {dimension}\n      Statistic: Maximum\n      Period: 60\n      EvaluationPeriods: 1\n      Threshold: 1\n      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
        )
    };
    // A named target group, and a family's container port (the corpus's form).
    for (dimension, export) in [
        (
            "x-elbv2::public-alb::everyone",
            "Elbv2PublicAlbEveryone80TargetGroupFullName",
        ),
        (
            "x-elbv2::public-alb::api-calls",
            "Elbv2PublicAlbApiCalls8080TargetGroupFullName",
        ),
    ] {
        let output = render_all(&alarm(dimension), Layout::Nested);
        assert!(!output.has_errors(), "{:#?}", output.diagnostics);
        let alarms = template_of(&output, "alarms.yaml");
        let dimensions = &alarms["Resources"]["Unhealthy"]["Properties"]["Dimensions"];
        assert_eq!(
            dimensions,
            &json!([
                { "Name": "LoadBalancer", "Value": { "Ref": "Elbv2PublicAlbLoadBalancerFullName" } },
                { "Name": "TargetGroup", "Value": { "Ref": export } },
            ])
        );
        // The export is the target group's TargetGroupFullName.
        let elbv2 = template_of(&output, "elbv2.yaml");
        let group = if dimension.ends_with("everyone") {
            "PublicAlbTgEveryone"
        } else {
            "PublicAlbTgApiCalls"
        };
        assert_eq!(
            elbv2["Outputs"][export]["Value"],
            json!({ "Fn::GetAtt": [group, "TargetGroupFullName"] })
        );
    }
    let text = alarm("x-elbv2::public-alb::nobody");
    let output = render_all(&text, Layout::Nested);
    let found: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, crate::modules::BAD_REFERENCE);
    assert_eq!(at(&text, found[0]), "x-elbv2::public-alb::nobody");
}
