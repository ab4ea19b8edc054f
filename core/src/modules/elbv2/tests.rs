//! Module tests: fixtures rendered to templates (snapshots, read through by hand), located
//! diagnostics for bad input, and the ECS attachment hook.

use serde_json::{json, Value};

use super::*;
use crate::compose::model::build;
use crate::diagnostic::Severity;
use crate::stack::layout::{layout, LaidStack};
use crate::yaml::{parse, Limits};
use crate::{Format, Layout};

/// The project of one compose text (parsed, normalised, typed).
pub(crate) fn project(text: &str) -> (Project, Vec<Diagnostic>) {
    let (docs, mut diagnostics) = parse(0, text, &Limits::default());
    let Some(tree) = docs.into_iter().next() else {
        return (Project::default(), diagnostics);
    };
    let (project, more) = build(&tree);
    diagnostics.extend(more);
    (project, diagnostics)
}

/// Stacks holding the network composex creates when there is no x-vpc (the `vpc` stack exports
/// the VPC id and subnet lists the load balancers import).
pub(crate) fn stacks() -> Stacks {
    let mut stacks = Stacks::new("test");
    let mut diagnostics = Vec::new();
    crate::emit::network::emit(None, None, &mut stacks, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    stacks
}

/// Emits `text`; returns the stacks, the attachments and every diagnostic.
pub(crate) fn render(text: &str) -> (Stacks, Vec<Attachment>, Vec<Diagnostic>) {
    let (project, mut diagnostics) = project(text);
    assert!(
        !diagnostics.iter().any(Diagnostic::is_error),
        "compose errors: {diagnostics:#?}"
    );
    let mut stacks = stacks();
    let attachments = emit(&project, &mut stacks, &mut diagnostics);
    (stacks, attachments, diagnostics)
}

pub(crate) fn lay(stacks: &Stacks, mode: Layout) -> Vec<LaidStack> {
    let (laid, wiring) = layout(stacks, mode, Format::Yaml);
    assert!(wiring.is_empty(), "{wiring:#?}");
    laid
}

pub(crate) fn file<'a>(laid: &'a [LaidStack], name: &str) -> &'a LaidStack {
    laid.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no stack {name}"))
}

pub(crate) fn errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The text a diagnostic's span covers.
pub(crate) fn at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    let span = d.span.unwrap_or_else(|| panic!("no span: {d:?}"));
    &text[span.start as usize..span.end as usize]
}

#[test]
fn seed_alb_template() {
    let text = include_str!("fixtures/seed_alb.yml");
    let (stacks, attachments, diagnostics) = render(text);
    // Two notes (CX540): the listener on 80 is plain HTTP, at its port; the load balancer is
    // open to anyone on it, at its name.
    let notes: Vec<(&str, &str)> = diagnostics.iter().map(|d| (d.code, at(text, d))).collect();
    assert_eq!(
        notes,
        [("CX540", "public-alb"), ("CX540", "80")],
        "{diagnostics:#?}"
    );
    let laid = lay(&stacks, Layout::Nested);
    let elbv2 = file(&laid, STACK);
    // Checked by hand: internet-facing ALB in the public subnets, security group open on port 80
    // only (IPv4, no dualstack), one ip target group on 5000 with the `/` health check and
    // Matcher 200, listener 80 forwarding to it.
    insta::assert_snapshot!("seed_alb", elbv2.template.to_yaml());
    let lb = &elbv2.template.resources["PublicAlb"];
    assert_eq!(lb.properties["Scheme"], "internet-facing");
    assert_eq!(lb.properties["Subnets"], json!({ "Ref": "PublicSubnets" }));
    let sg = &elbv2.template.resources["PublicAlbSecurityGroup"];
    let ingress = sg.properties["SecurityGroupIngress"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(ingress.len(), 1);
    assert_eq!(ingress[0]["CidrIp"], "0.0.0.0/0");
    assert_eq!(
        (ingress[0]["FromPort"].clone(), ingress[0]["ToPort"].clone()),
        (json!(80), json!(80))
    );
    // The family stack's view.
    assert_eq!(attachments.len(), 1);
    let a = &attachments[0];
    assert_eq!(
        (a.family.as_str(), a.container.as_str(), a.port),
        ("app01", "app01", 5000)
    );
    assert_eq!(
        a.attached_by,
        vec!["Elbv2PublicAlbListener80Arn".to_string()]
    );
    // The DNS name is a root output.
    let root = file(&laid, "test");
    assert_eq!(
        root.template.outputs["PublicAlbDnsName"].value,
        json!({ "Fn::GetAtt": ["Elbv2", "Outputs.Elbv2PublicAlbDnsName"] })
    );
}

#[test]
fn https_rules_template() {
    let text = include_str!("fixtures/https_rules.yml");
    let (stacks, attachments, diagnostics) = render(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let laid = lay(&stacks, Layout::Nested);
    // Checked by hand: redirect on 80; 443 HTTPS with the x-acm certificate (a parameter fed
    // from the acm stack) plus a ListenerCertificate for the ARN; catch-all `front:web` as
    // default action; rule 1 = host+path admin (most specific), rule 2 = /api; ingress from the
    // two CIDRs on both ports (no 0.0.0.0/0 default since Ingress is given).
    insta::assert_snapshot!("https_rules", file(&laid, STACK).template.to_yaml());
    insta::assert_snapshot!(
        "https_rules_acm",
        file(&laid, acm::STACK).template.to_yaml()
    );
    let t = &file(&laid, STACK).template;
    let rule1 = &t.resources["AlbListener443Rule1"];
    assert_eq!(
        rule1.properties["Conditions"][0]["HostHeaderConfig"]["Values"],
        json!(["admin.example.com"])
    );
    let rule2 = &t.resources["AlbListener443Rule2"];
    assert_eq!(
        rule2.properties["Conditions"][0]["PathPatternConfig"]["Values"],
        json!(["/api", "/api/*"])
    );
    let families: Vec<(&str, &str)> = attachments
        .iter()
        .map(|a| (a.family.as_str(), a.container.as_str()))
        .collect();
    assert_eq!(
        families,
        vec![("front", "web"), ("admin", "admin"), ("front", "api")]
    );
}

#[test]
fn dns_alias_template() {
    let (stacks, _, diagnostics) = render(include_str!("fixtures/dns_alias.yml"));
    // Only the notes on choices a security scanner reports (a wildcard name, plain HTTP, ...).
    assert!(
        diagnostics.iter().all(|d| d.code == "CX540"),
        "{diagnostics:#?}"
    );
    let nested = lay(&stacks, Layout::Nested);
    // Checked by hand: one A alias record per name in the zone (id from the root parameter
    // Route53PublicHostedZoneId), aliasing the ALB's DNS name and canonical zone; the certificate
    // validates both names in the same zone.
    insta::assert_snapshot!("dns_alias", file(&nested, STACK).template.to_yaml());
    insta::assert_snapshot!(
        "dns_alias_acm",
        file(&nested, acm::STACK).template.to_yaml()
    );
    assert_eq!(
        stacks
            .known_values
            .get("Route53PublicHostedZoneId")
            .map(String::as_str),
        Some("Z0123456789ABCDEFGHIJ")
    );
    let root = file(&nested, "test");
    assert_eq!(
        root.template.parameters["Route53PublicHostedZoneId"].type_,
        "AWS::Route53::HostedZone::Id"
    );

    // A name outside the zone, and an unknown zone, are located errors.
    let text = include_str!("fixtures/dns_alias.yml")
        .replace(
            "          - www.example.com\n          - \"*.apps",
            "          - www.example.org\n          - \"*.apps",
        )
        .replace(
            "HostedZoneId: x-route53::public",
            "HostedZoneId: x-route53::publik",
        );
    let (project, mut diagnostics) = project(&text);
    emit(&project, &mut self::stacks(), &mut diagnostics);
    let found: Vec<(&str, &str)> = errors(&diagnostics)
        .iter()
        .map(|d| (d.code, at(&text, d)))
        .collect();
    assert_eq!(
        found,
        vec![
            (codes::ROUTE53, "x-route53::publik"),
            (codes::ROUTE53, "x-route53::public")
        ],
        "{diagnostics:#?}"
    );
    assert!(errors(&diagnostics)[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("`public`")));
    assert!(errors(&diagnostics)[1].message.contains("www.example.org"));
}

#[test]
fn nlb_templates() {
    let (stacks, attachments, diagnostics) = render(include_str!("fixtures/nlb.yml"));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let laid = lay(&stacks, Layout::Nested);
    // Checked by hand: two EIPs mapped to the first two public subnets, TCP and UDP listeners,
    // a TCP health check (no path/matcher) on both target groups, SG rules tcp/7000 and udp/7001.
    insta::assert_snapshot!("nlb", file(&laid, STACK).template.to_yaml());
    assert_eq!(
        attachments
            .iter()
            .map(|a| a.ip_protocol)
            .collect::<Vec<_>>(),
        vec!["tcp", "udp"]
    );

    let (stacks, _, diagnostics) = render(include_str!("fixtures/internal_nlb_tls.yml"));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let laid = lay(&stacks, Layout::Nested);
    // Checked by hand: internal NLB in the app subnets without EIPs, TLS listener with the ARN
    // and the given policy, ingress from 10.0.0.0/8 only.
    insta::assert_snapshot!("internal_nlb_tls", file(&laid, STACK).template.to_yaml());
}

/// Renders `text` through the whole pipeline (`crate::render`) as project `test`.
pub(crate) fn render_all(text: &str, layout: Layout) -> crate::Output {
    let input = crate::Input {
        files: vec![crate::SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        options: crate::Options {
            project_name: "test".into(),
            layout,
            ..crate::Options::default()
        },
        ..crate::Input::default()
    };
    crate::render(&input)
}

pub(crate) fn template_of(output: &crate::Output, path: &str) -> Value {
    let file = output
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", output.diagnostics));
    serde_yaml::from_str(&file.text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn family_stack_is_attached_in_both_layouts() {
    let text = include_str!("fixtures/seed_alb.yml");
    // Nested: the family stack gets the target group ARN and the LB security group id as
    // parameters (fed from the elbv2 stack's outputs, so it waits for the listener); no DependsOn.
    let nested = render_all(text, Layout::Nested);
    assert!(!nested.has_errors(), "{:#?}", nested.diagnostics);
    let app01 = template_of(&nested, "app01.yaml");
    let service = &app01["Resources"]["Service"];
    assert_eq!(
        service["Properties"]["LoadBalancers"],
        json!([{ "ContainerName": "app01", "ContainerPort": 5000, "TargetGroupArn": { "Ref": "Elbv2PublicAlbTgApp01App015000Arn" } }])
    );
    assert!(service.get("DependsOn").is_none());
    let ingress = &app01["Resources"]["FromPublicAlbTo5000Tcp"]["Properties"];
    assert_eq!(
        ingress["SourceSecurityGroupId"],
        json!({ "Ref": "Elbv2PublicAlbSecurityGroupId" })
    );
    assert_eq!(
        ingress["GroupId"],
        json!({ "Fn::GetAtt": ["SecurityGroup", "GroupId"] })
    );
    assert_eq!(
        (ingress["FromPort"].clone(), ingress["IpProtocol"].clone()),
        (json!(5000), json!("tcp"))
    );
    let root = template_of(&nested, "test.yaml");
    assert_eq!(
        root["Resources"]["App01"]["Properties"]["Parameters"]["Elbv2PublicAlbTgApp01App015000Arn"],
        json!({ "Fn::GetAtt": ["Elbv2", "Outputs.Elbv2PublicAlbTgApp01App015000Arn"] })
    );
    assert_eq!(
        root["Outputs"]["PublicAlbDnsName"]["Value"],
        json!({ "Fn::GetAtt": ["Elbv2", "Outputs.Elbv2PublicAlbDnsName"] })
    );
    // Single: the service refers to the target group directly, so it must wait for the listener.
    let single = render_all(text, Layout::Single);
    assert!(!single.has_errors(), "{:#?}", single.diagnostics);
    let flat = template_of(&single, "test.yaml");
    let service = &flat["Resources"]["App01Service"];
    assert_eq!(service["DependsOn"], json!("Elbv2PublicAlbListener80"));
    assert_eq!(
        service["Properties"]["LoadBalancers"][0]["TargetGroupArn"],
        json!({ "Ref": "Elbv2PublicAlbTgApp01App015000" })
    );
}

#[test]
fn health_check_port_is_opened_too() {
    // `front:web` listens on 80 but is health checked on 8081: the family security group must
    // let the load balancer reach both.
    let text = "services:\n  web:\n    image: nginx\n    ports: [\"80:80\", \"8081:8081\"]\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: web:web}]}}\n    Services: {web:web: {port: 80, healthcheck: \"8081:HTTP:/health\"}}\n";
    let out = render_all(text, Layout::Nested);
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    let web = template_of(&out, "web.yaml");
    let ports: Vec<Value> = web["Resources"]
        .as_object()
        .into_iter()
        .flat_map(|r| r.iter())
        .filter(|(id, _)| id.starts_with("FromLb"))
        .map(|(_, r)| r["Properties"]["FromPort"].clone())
        .collect();
    assert_eq!(ports, vec![json!(80), json!(8081)]);
}

#[test]
fn rule_priorities_are_unique_and_stable() {
    let text = include_str!("fixtures/https_rules.yml");
    let first = lay(&render(text).0, Layout::Nested);
    let second = lay(&render(text).0, Layout::Nested);
    let t = &file(&first, STACK).template;
    assert_eq!(t, &file(&second, STACK).template);
    let priorities: Vec<Value> = t
        .resources
        .values()
        .filter(|r| r.type_ == "AWS::ElasticLoadBalancingV2::ListenerRule")
        .map(|r| r.properties["Priority"].clone())
        .collect();
    assert_eq!(priorities, vec![json!(1), json!(2)]);
}

/// One bad input: (what it shows, compose text, expected code, text under the span).
const NEGATIVE: &[(&str, &str, &str, &str)] = &[
    (
        "unknown family",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app02:app01}]}}\n    Services: {app02:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::UNKNOWN_TARGET,
        "app02:app01",
    ),
    (
        "unknown container",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:web}]}}\n    Services: {app01:web: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::UNKNOWN_TARGET,
        "app01:web",
    ),
    (
        "port not exposed",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 8080, healthcheck: \"8080:HTTP:/\"}}\n",
        codes::PORT_NOT_EXPOSED,
        "8080",
    ),
    (
        "bad healthcheck protocol, located inside the string",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: 5000:HTPP:/}}\n",
        codes::HEALTHCHECK,
        "HTPP",
    ),
    (
        "bad healthcheck codes in a quoted string",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/:600\"}}\n",
        codes::HEALTHCHECK,
        "600",
    ),
    (
        "HTTPS without certificate",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {443: {Protocol: HTTPS, Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::NO_CERTIFICATE,
        "HTTPS",
    ),
    (
        "target not in Services",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app1}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::UNKNOWN_SERVICE_ENTRY,
        "app01:app1",
    ),
    (
        "unknown x-acm certificate",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {443: {Protocol: HTTPS, Certificates: [{x-acm: nope}], Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::UNKNOWN_CERTIFICATE,
        "nope",
    ),
    (
        "legacy Services list",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: [{name: app01:app01, port: 5000}]\n",
        codes::LEGACY_LIST,
        "[{name: app01:app01, port: 5000}]",
    ),
    (
        "two catch-all targets",
        "services: {app01: {image: x, ports: [\"5000:5000\", \"6000:6000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01:5000}, {name: app01:app01:6000, access: /}]}}\n    Services: {app01:app01:5000: {port: 5000, healthcheck: \"5000:HTTP:/\"}, app01:app01:6000: {port: 6000, healthcheck: \"6000:HTTP:/\"}}\n",
        codes::DUPLICATE,
        "{name: app01:app01:6000, access: /}",
    ),
    (
        "NLB with an HTTP listener",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Properties: {Type: network}\n    Listeners: {80: {Protocol: HTTP, Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:TCP\"}}\n",
        codes::PROTOCOL,
        "HTTP",
    ),
    (
        "bad access",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01, access: \"bad host/x\"}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::ACCESS,
        "\"bad host/x\"",
    ),
    (
        "unknown key with a suggestion",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\", protocl: HTTP}}\n",
        codes::SHAPE,
        "protocl",
    ),
    (
        "bad Type",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Properties: {Type: gateway}\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {app01:app01: {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::VALUE,
        "gateway",
    ),
    (
        "bad target name",
        "services: {app01: {image: x, ports: [\"5000:5000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Targets: [{name: app01:app01}]}}\n    Services: {\"app01:app01:http\": {port: 5000, healthcheck: \"5000:HTTP:/\"}}\n",
        codes::TARGET_NAME,
        "\"app01:app01:http\"",
    ),
];

#[test]
fn negative_inputs_give_located_errors() {
    for (what, text, code, under) in NEGATIVE {
        let (project, mut diagnostics) = project(text);
        assert!(
            errors(&diagnostics).is_empty(),
            "{what}: compose errors {diagnostics:#?}"
        );
        let mut stacks = stacks();
        emit(&project, &mut stacks, &mut diagnostics);
        let found = errors(&diagnostics)
            .into_iter()
            .find(|d| d.code == *code)
            .unwrap_or_else(|| panic!("{what}: no {code} in {diagnostics:#?}"));
        assert_eq!(at(text, found), *under, "{what}: {found:#?}");
        assert!(
            found.help.is_some() || !found.labels.is_empty() || *code == codes::PROTOCOL,
            "{what}: no help"
        );
    }
}

#[test]
fn warnings_for_ignored_and_unused_input() {
    let text = "services: {app01: {image: x, ports: [\"5000:5000\", \"6000:6000\"]}}\nx-elbv2:\n  lb:\n    Listeners: {80: {Protocol: HTTP, Certificates: [{CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/x}], Targets: [{name: app01:app01:5000}]}}\n    Services: {app01:app01:5000: {port: 5000, healthcheck: \"5000:HTTP:/\"}, app01:app01:6000: {port: 6000, healthcheck: \"6000:HTTP:/\"}}\n";
    let (stacks, attachments, diagnostics) = render(text);
    assert!(errors(&diagnostics).is_empty(), "{diagnostics:#?}");
    let warnings: Vec<(&str, &str)> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.code, at(text, d)))
        .collect();
    assert_eq!(
        warnings,
        vec![
            (
                codes::IGNORED,
                "[{CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/x}]"
            ),
            (codes::UNUSED, "app01:app01:6000"),
        ]
    );
    // The unused entry gets no target group, the HTTP listener no certificate.
    assert_eq!(attachments.len(), 1);
    let t = &stacks
        .get(STACK)
        .map(|s| s.template.clone())
        .unwrap_or_default();
    assert!(!t.resources["LbListener80"]
        .properties
        .contains_key("Certificates"));
}

#[test]
fn no_x_elbv2_no_stack() {
    let (stacks, attachments, diagnostics) = render("services: {app01: {image: x}}\n");
    assert!(diagnostics.is_empty());
    assert!(attachments.is_empty());
    assert!(!stacks.contains(STACK));
}

#[test]
fn looked_up_certificates_become_root_parameters() {
    let text = |lookup: &str| {
        format!(
            "services: {{web: {{image: nginx, ports: [\"80:80\"]}}}}\nx-acm:\n  existing:\n    Lookup: {lookup}\nx-elbv2:\n  lb:\n    Listeners: {{443: {{Protocol: HTTPS, Certificates: [{{x-acm: existing}}], Targets: [{{name: web:web}}]}}}}\n    Services: {{web:web: {{port: 80, healthcheck: \"80:HTTP:/\"}}}}\n"
        )
    };
    let arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    let given = render_all(&text(&format!("{{Arn: \"{arn}\"}}")), Layout::Nested);
    assert!(!given.has_errors(), "{:#?}", given.diagnostics);
    assert!(!given.diagnostics.iter().any(|d| d.code == codes::LOOKUP));
    let root = template_of(&given, "test.yaml");
    assert_eq!(
        root["Parameters"]["AcmExistingCertificateArn"]["Type"],
        "String"
    );
    assert!(
        !given.files.iter().any(|f| f.path == "acm.yaml"),
        "no certificate is created"
    );
    let params = given
        .files
        .iter()
        .find(|f| f.path == "test.params.json")
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert!(params.contains(arn), "{params}");
    let elbv2 = template_of(&given, "elbv2.yaml");
    assert_eq!(
        elbv2["Resources"]["LbListener443"]["Properties"]["Certificates"],
        json!([{ "CertificateArn": { "Ref": "AcmExistingCertificateArn" } }])
    );

    let source = text("{Tags: [{Name: www.example.com}]}");
    let by_tags = render_all(&source, Layout::Nested);
    assert!(!by_tags.has_errors(), "{:#?}", by_tags.diagnostics);
    let warning = by_tags
        .diagnostics
        .iter()
        .find(|d| d.code == codes::LOOKUP)
        .expect("a CX357 warning");
    assert_eq!(at(&source, warning), "Lookup");
}

/// Every fixture cut at each line, and with each line's value replaced by values of other
/// kinds, renders without a panic (errors are fine), and bad input never yields files.
#[test]
fn mangled_fixtures_never_panic() {
    let fixtures = [
        include_str!("fixtures/seed_alb.yml"),
        include_str!("fixtures/https_rules.yml"),
        include_str!("fixtures/nlb.yml"),
        include_str!("fixtures/internal_nlb_tls.yml"),
        include_str!("fixtures/dns_alias.yml"),
        include_str!("fixtures/target_groups.yml"),
        include_str!("fixtures/cognito_auth.yml"),
        include_str!("fixtures/lookup_alb.yml"),
    ];
    let replacements = ["[]", "~", "99999", "\"a:b:c:d\""];
    let mut renders = 0;
    for fixture in fixtures {
        let lines: Vec<&str> = fixture.lines().collect();
        // Values inside the x-acm / x-elbv2 sections (the rest is other modules' input).
        let first = lines
            .iter()
            .position(|l| l.starts_with("x-"))
            .unwrap_or(lines.len());
        for cut in first..lines.len() {
            let text = lines[..cut].join("\n");
            let out = render_all(&text, Layout::Single);
            assert!(!out.has_errors() || out.files.is_empty());
            renders += 1;
        }
        // Values inside the x-acm / x-elbv2 sections (the rest is other modules' input).
        let first = lines
            .iter()
            .position(|l| l.starts_with("x-"))
            .unwrap_or(lines.len());
        for (n, line) in lines.iter().enumerate().skip(first) {
            let Some((key, _)) = line.split_once(": ") else {
                continue;
            };
            for value in replacements {
                let mut changed = lines.clone();
                let replaced = format!("{key}: {value}");
                changed[n] = &replaced;
                let out = render_all(&changed.join("\n"), Layout::Nested);
                assert!(!out.has_errors() || out.files.is_empty());
                renders += 1;
            }
        }
    }
    assert!(renders > 250, "{renders}");
}

#[test]
fn references_for_other_modules() {
    let text = include_str!("fixtures/nlb.yml");
    let (project, _) = project(text);
    assert_eq!(
        reference_export(&project, "x-elbv2::nlb"),
        Ok("Elbv2NlbLoadBalancerFullName".into())
    );
    assert_eq!(
        reference_export(&project, "x-elbv2::nlb::game::7001"),
        Ok("Elbv2NlbGame7001TargetGroupFullName".into())
    );
    assert!(reference_export(&project, "x-elbv2::nlb::game::9999").is_err());
    assert!(reference_export(&project, "x-elbv2::alb").is_err());
    assert!(reference_export(&project, "x-elbv2::nlb::game").is_err());
    // The exports exist: a stack importing them lays out with no wiring error.
    let (mut stacks, _, _) = render(text);
    let root = stacks.root();
    for name in [
        "Elbv2NlbLoadBalancerFullName",
        "Elbv2NlbGame7001TargetGroupFullName",
    ] {
        let value = root.import(name);
        root.add_output(name, crate::cfn::Output::new(value));
    }
    let nested = lay(&stacks, Layout::Nested);
    assert_eq!(
        file(&nested, "test").template.outputs["Elbv2NlbGame7001TargetGroupFullName"].value,
        json!({ "Fn::GetAtt": ["Elbv2", "Outputs.Elbv2NlbGame7001TargetGroupFullName"] })
    );
}

#[test]
fn zones_come_from_the_one_x_route53_reader() {
    let fixture = include_str!("fixtures/dns_alias.yml");
    // The id as the AWS CLI prints it is accepted; the parameter files get the bare id.
    let text = fixture.replace(
        "HostedZoneId: Z0123456789ABCDEFGHIJ",
        "HostedZoneId: /hostedzone/Z0123456789ABCDEFGHIJ",
    );
    let output = render_all(&text, Layout::Nested);
    assert!(
        !output.diagnostics.iter().any(Diagnostic::is_error),
        "{:#?}",
        output.diagnostics
    );
    let params = output
        .files
        .iter()
        .find(|f| f.path == "test.params.json")
        .expect("root parameter file");
    assert!(
        params
            .text
            .contains("\"ParameterValue\": \"Z0123456789ABCDEFGHIJ\""),
        "{}",
        params.text
    );
    // A bad id is one error, at the Lookup, from the x-route53 reader (not one per reader); the
    // references to the broken zone add nothing.
    let text = fixture.replace("HostedZoneId: Z0123456789ABCDEFGHIJ", "HostedZoneId: z0123");
    let output = render_all(&text, Layout::Nested);
    let found: Vec<(&str, &str)> = errors(&output.diagnostics)
        .iter()
        .map(|d| (d.code, at(&text, d)))
        .collect();
    assert_eq!(
        found,
        vec![(crate::modules::route53::ZONE, "HostedZoneId: z0123")],
        "{:#?}",
        output.diagnostics
    );
    let bad_id = output
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("is not a hosted zone id"))
        .count();
    assert_eq!(bad_id, 1);
}

#[test]
fn tea_pot_and_one_listener_certificate_per_extra_certificate() {
    // ComposeX's predefined TEA_POT default action; an HTTPS listener with three certificates:
    // the first is the listener's, the two others one ListenerCertificate each (the resource
    // holds one certificate).
    let text = "services: {web: {image: nginx, ports: [\"80:80\"]}}\nx-elbv2:\n  lb:\n    Listeners:\n      8443: {Protocol: HTTP, DefaultActions: [{Redirect: TEA_POT}]}\n      443:\n        Protocol: HTTPS\n        Certificates:\n          - CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/a\n          - CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/b\n          - CertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/c\n        Targets: [{name: web:web}]\n    Services:\n      web:web: {port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/\"}\n";
    let (stacks, _, diagnostics) = render(text);
    assert!(errors(&diagnostics).is_empty(), "{diagnostics:#?}");
    let laid = lay(&stacks, Layout::Nested);
    let t = &file(&laid, STACK).template;
    assert_eq!(
        t.resources["LbListener8443"].properties["DefaultActions"],
        json!([{
            "Type": "fixed-response",
            "FixedResponseConfig": {
                "StatusCode": "418",
                "ContentType": "application/json",
                "MessageBody": "{\"Info\": \"Be our guest\"}",
            },
        }])
    );
    assert_eq!(
        t.resources["LbListener443"].properties["Certificates"],
        json!([{ "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/a" }])
    );
    let extra: Vec<(&String, &serde_json::Map<String, Value>)> = t
        .resources
        .iter()
        .filter(|(_, r)| r.type_ == "AWS::ElasticLoadBalancingV2::ListenerCertificate")
        .map(|(id, r)| (id, &r.properties))
        .collect();
    assert_eq!(extra.len(), 2, "{extra:#?}");
    for ((id, props), (name, arn)) in extra.iter().zip([
        ("LbListener443Certificate2", "b"),
        ("LbListener443Certificate3", "c"),
    ]) {
        assert_eq!(id.as_str(), name);
        assert_eq!(props["ListenerArn"], json!({ "Ref": "LbListener443" }));
        assert_eq!(
            props["Certificates"],
            json!([{ "CertificateArn": format!("arn:aws:acm:eu-west-1:123456789012:certificate/{arn}") }])
        );
    }
}
