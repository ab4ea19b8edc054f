//! `Lookup`: an existing load balancer and listeners as root parameters, rules, certificates
//! and target groups added to them; wrong lookups located.

use serde_json::json;

use super::existing::LOOKUP_PARAMETER;
use super::syntax::lookup::{LOOKUP_INGRESS, LOOKUP_SHAPE};
use super::tests::{at, errors, file, lay, render, render_all, template_of};
use super::*;
use crate::stack::posture::USER_CHOICE;
use crate::Layout;

const FIXTURE: &str = include_str!("fixtures/lookup_alb.yml");

#[test]
fn existing_alb_gets_rules_certificates_and_a_listener() {
    let (stacks, attachments, diagnostics) = render(FIXTURE);
    // The new listener's ingress is the user's (CX642) and it is plain HTTP (CX540); nothing is
    // left to fill: every ARN and the security group are written.
    let codes: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| (d.code, at(FIXTURE, d)))
        .collect();
    assert_eq!(
        codes,
        [(LOOKUP_INGRESS, "Listeners"), (USER_CHOICE, "8080")],
        "{diagnostics:#?}"
    );
    let laid = lay(&stacks, Layout::Nested);
    // Checked by hand: no load balancer, security group or listener on 443 is created; two ip
    // target groups; a ListenerCertificate for the certificate written on the existing
    // listener (it keeps its own); on it rule 200 sends /api to api, rule 201 (the catch-all
    // target, last) every other path to web; a new HTTP listener on 8080 of the existing load
    // balancer forwards to api. The ARNs come from the root parameters.
    insta::assert_snapshot!("lookup_alb", file(&laid, STACK).template.to_yaml());
    let t = &file(&laid, STACK).template;
    for absent in [
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::EC2::SecurityGroup",
    ] {
        assert!(!t.resources.values().any(|r| r.type_ == absent), "{absent}");
    }
    let listener_arn = json!({ "Ref": "Elbv2SharedAlbListener443Arn" });
    let rule = |n: u32| &t.resources[&format!("SharedAlbListener443Rule{n}")].properties;
    assert_eq!(rule(200)["ListenerArn"], listener_arn);
    assert_eq!(
        rule(200)["Conditions"][0]["PathPatternConfig"]["Values"],
        json!(["/api", "/api/*"])
    );
    assert_eq!(
        rule(201)["Conditions"],
        json!([{ "Field": "path-pattern", "PathPatternConfig": { "Values": ["/*"] } }])
    );
    assert_eq!(
        rule(201)["Actions"],
        json!([{ "Type": "forward", "TargetGroupArn": { "Ref": "SharedAlbTgWebWeb80" } }])
    );
    let certificate = &t.resources["SharedAlbListener443Certificate1"].properties;
    assert_eq!(certificate["ListenerArn"], listener_arn);
    assert_eq!(
        t.resources["SharedAlbListener8080"].properties["LoadBalancerArn"],
        json!({ "Ref": "Elbv2SharedAlbLoadBalancerArn" })
    );
    // Each family is attached once (api's one target group serves both listeners), opening its
    // port to the existing security group.
    let mut attached: Vec<(&str, u16, &str)> = attachments
        .iter()
        .map(|a| (a.family.as_str(), a.port, a.security_group.as_str()))
        .collect();
    attached.sort_unstable();
    assert_eq!(
        attached,
        [
            ("api", 8080, "Elbv2SharedAlbSecurityGroupId"),
            ("web", 80, "Elbv2SharedAlbSecurityGroupId"),
        ]
    );
}

#[test]
fn written_values_fill_the_parameter_files_in_both_layouts() {
    for layout in [Layout::Nested, Layout::Single] {
        let output = render_all(FIXTURE, layout);
        assert!(!output.has_errors(), "{:#?}", output.diagnostics);
        assert!(
            !output
                .diagnostics
                .iter()
                .any(|d| d.code == LOOKUP_PARAMETER),
            "{:#?}",
            output.diagnostics
        );
        let params = output
            .files
            .iter()
            .find(|f| f.path == "test.params.json")
            .unwrap_or_else(|| panic!("no params file"));
        let params: serde_json::Value = serde_json::from_str(&params.text).unwrap_or_default();
        let value = |key: &str| {
            params
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["ParameterKey"] == key)
                .map(|p| p["ParameterValue"].clone())
        };
        assert_eq!(
            value("Elbv2SharedAlbLoadBalancerArn"),
            Some(json!("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared-alb/50dc6c495c0c9188"))
        );
        assert_eq!(
            value("Elbv2SharedAlbSecurityGroupId"),
            Some(json!("sg-0123456789abcdef0"))
        );
        assert_eq!(
            value("Elbv2SharedAlbListener443Arn"),
            Some(json!("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"))
        );
        let root = template_of(&output, "test.yaml");
        assert_eq!(
            root["Parameters"]["Elbv2SharedAlbSecurityGroupId"]["Type"],
            json!("AWS::EC2::SecurityGroup::Id")
        );
        assert!(root["Outputs"].get("SharedAlbDnsName").is_none());
    }
}

#[test]
fn tags_only_leave_parameters_to_fill_with_a_warning_each() {
    // Found by tags only, and the load balancer ARN taken from nothing: three parameters to
    // fill, one warning each, at `Lookup`.
    let text = "services: {web: {image: nginx, ports: [\"80:80\"]}}\nx-elbv2:\n  shared:\n    Lookup:\n      loadbalancer: {Tags: {Name: shared}}\n      Listeners:\n        443:\n          Tags: [{Key: Name, Value: https}]\n          Targets: [{name: web:web, access: /web}]\n    Services:\n      web:web: {port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/\"}\n";
    let output = render_all(text, Layout::Nested);
    assert!(!output.has_errors(), "{:#?}", output.diagnostics);
    let mut warned: Vec<(String, &str)> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == LOOKUP_PARAMETER)
        .map(|d| {
            (
                d.message.clone(),
                at(text, d).lines().next().unwrap_or_default(),
            )
        })
        .collect();
    warned.sort();
    assert_eq!(warned.len(), 3, "{:#?}", output.diagnostics);
    assert!(
        warned.iter().all(|(_, at)| at.starts_with("loadbalancer")),
        "{warned:?}"
    );
    for name in [
        "Elbv2SharedListener443Arn",
        "Elbv2SharedLoadBalancerArn",
        "Elbv2SharedSecurityGroupId",
    ] {
        assert!(
            warned.iter().any(|(m, _)| m.contains(name)),
            "{name}: {warned:?}"
        );
    }
    let root = template_of(&output, "test.yaml");
    assert_eq!(
        root["Parameters"]["Elbv2SharedListener443Arn"]["Description"],
        json!("ARN of the existing listener on port 443 of shared (tags Key=Name, Value=https)")
    );
}

#[test]
fn the_load_balancer_arn_comes_from_a_listener_arn() {
    let text = "services: {web: {image: nginx, ports: [\"80:80\"]}}\nx-elbv2:\n  shared:\n    Lookup:\n      loadbalancer: {Tags: {Name: shared}}\n      Listeners:\n        443:\n          Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2\n          Targets: [{name: web:web}]\n    Listeners:\n      8443: {Protocol: HTTPS, Certificates: [{CertificateArn: \"arn:aws:acm:eu-west-1:123456789012:certificate/x\"}], Targets: [{name: web:web}]}\n    Services:\n      web:web: {port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/\"}\n";
    let output = render_all(text, Layout::Nested);
    assert!(!output.has_errors(), "{:#?}", output.diagnostics);
    let warned: Vec<&str> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == LOOKUP_PARAMETER)
        .map(|d| d.message.as_str())
        .collect();
    // Only the security group is left to fill.
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].contains("Elbv2SharedSecurityGroupId"));
    let params = &output
        .files
        .iter()
        .find(|f| f.path == "test.params.json")
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert!(
        params.contains("loadbalancer/app/shared/50dc6c495c0c9188\""),
        "{params}"
    );
}

#[test]
fn wrong_lookups_are_located() {
    let service = "services: {web: {image: nginx, ports: [\"80:80\"]}}\n";
    let services =
        "    Services:\n      web:web: {port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/\"}\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            "    Lookup:\n      loadbalancer: {Arn: \"arn:aws:s3:::bucket\"}\n      Listeners: {443: {Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "\"arn:aws:s3:::bucket\"",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {Arn: nope, Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "nope",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {DefaultActions: [{Redirect: HTTP_TO_HTTPS}], Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "DefaultActions",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {Targets: [{name: web:web}]}}\n    MacroParameters: {Ingress: {ExtSources: [{IPv4: 0.0.0.0/0}]}}\n",
            LOOKUP_SHAPE,
            "MacroParameters",
        ),
        (
            "    Properties: {Scheme: internal}\n    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "Scheme",
        ),
        (
            "    Lookup:\n      loadbalancer: {Arn: \"arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/n/1\"}\n      Listeners: {443: {Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "443",
        ),
        (
            "    Lookup:\n      Listeners: {443: {Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "Listeners: {443: {Targets: [{name: web:web}]}}",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n",
            super::codes::SHAPE,
            "lb",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {FirstRulePriority: 0, Targets: [{name: web:web}]}}\n",
            LOOKUP_SHAPE,
            "0",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {FirstRulePriority: 50000, Targets: [{name: web:web, access: /a}, {name: web:web, access: /b}]}}\n",
            LOOKUP_SHAPE,
            "443",
        ),
        (
            "    Lookup:\n      loadbalancer: {Tags: {Name: x}}\n      Listeners: {443: {Targets: [{name: web:wbe}]}}\n",
            super::codes::UNKNOWN_SERVICE_ENTRY,
            "web:wbe",
        ),
    ];
    for (lookup, code, located) in cases {
        let text = format!("{service}x-elbv2:\n  lb:\n{lookup}{services}");
        let (_, _, diagnostics) = render(&text);
        let found = errors(&diagnostics);
        assert!(
            found
                .iter()
                .any(|d| d.code == *code && at(&text, d).starts_with(located)),
            "{lookup}: {found:#?}"
        );
        // Errors stop the plan: nothing is written for the load balancer.
        let output = render_all(&text, Layout::Nested);
        assert!(output.files.is_empty(), "{lookup}");
    }
}

#[test]
fn alarms_cannot_name_an_existing_load_balancer_but_its_target_groups() {
    let (project, _) = super::tests::project(FIXTURE);
    assert!(reference_export(&project, "x-elbv2::shared-alb")
        .is_err_and(|why| why.contains("looked up")));
    assert_eq!(
        reference_export(&project, "x-elbv2::shared-alb::api::8080"),
        Ok("Elbv2SharedAlbApi8080TargetGroupFullName".into())
    );
}

#[test]
fn a_web_acl_protects_an_existing_load_balancer_through_its_arn_parameter() {
    let text = format!("{FIXTURE}x-wafv2_webacl:\n  acl:\n    LoadBalancers: [shared-alb]\n");
    let output = render_all(&text, Layout::Nested);
    assert!(!output.has_errors(), "{:#?}", output.diagnostics);
    let waf = template_of(&output, "wafv2.yaml");
    let association = waf["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .find(|(_, r)| r["Type"] == "AWS::WAFv2::WebACLAssociation")
        .map(|(_, r)| r["Properties"]["ResourceArn"].clone());
    assert_eq!(
        association,
        Some(json!({ "Ref": "Elbv2SharedAlbLoadBalancerArn" }))
    );
}
