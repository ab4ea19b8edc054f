use serde_json::json;

use super::{check, hosted_zone};
use crate::diagnostic::Span;
use crate::modules::testing::project;
use crate::stack::Stacks;
use crate::SourceFile;

const ZONES: &str = "x-route53:\n  public:\n    ZoneName: example.com\n    Lookup:\n      HostedZoneId: Z0123456789ABC\n  private:\n    Name: internal.example.com.\n    Lookup:\n      IsPrivateZone: true\n";

#[test]
fn zones_are_parameters_filled_from_lookup() {
    let p = project(ZONES);
    let mut stacks = Stacks::new("test");
    let mut diags = Vec::new();
    let zone = hosted_zone(
        &p,
        &mut stacks,
        "elbv2",
        "x-route53::public",
        Span::default(),
        &mut diags,
    )
    .expect("public zone");
    assert_eq!(zone.id, json!({"Ref": "Route53PublicHostedZoneId"}));
    assert_eq!(zone.name, "example.com");
    assert!(!zone.private);
    assert_eq!(
        stacks
            .known_values
            .get("Route53PublicHostedZoneId")
            .map(String::as_str),
        Some("Z0123456789ABC")
    );
    let parameter =
        &stacks.get("elbv2").expect("elbv2").template.parameters["Route53PublicHostedZoneId"];
    assert_eq!(parameter.type_, "AWS::Route53::HostedZone::Id");
    // No id given: a required parameter, and a warning kept for when it is declared unfilled.
    let zone = hosted_zone(
        &p,
        &mut stacks,
        "acm",
        "x-route53::private",
        Span::default(),
        &mut diags,
    )
    .expect("private zone");
    assert_eq!(zone.name, "internal.example.com");
    assert!(zone.private);
    assert!(stacks
        .unfilled_warnings
        .contains_key("Route53PrivateHostedZoneId"));
    assert!(diags.is_empty(), "{diags:?}");
}

fn located(text: &str, diags: &mut [crate::diagnostic::Diagnostic]) -> Vec<String> {
    let files = [SourceFile {
        name: "c.yml".into(),
        text: text.into(),
    }];
    diags
        .iter_mut()
        .map(|d| {
            d.locate(&files);
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.line, l.column))
                .unwrap_or_default();
            format!("{} {at} {}", d.code, d.message)
        })
        .collect()
}

#[test]
fn bad_zones_and_references_are_located() {
    let text = "x-route53:\n  a:\n    ZoneName: example.com\n  b:\n    Lookup: true\n  c:\n    ZoneName: example.com\n    Lookup:\n      HostedZoneId: nope\n";
    let p = project(text);
    let mut diags = Vec::new();
    check(&p, &mut diags);
    let mut stacks = Stacks::new("test");
    let span = Span {
        file: 0,
        start: 2,
        end: 9,
    };
    assert!(hosted_zone(&p, &mut stacks, "elbv2", "x-route53::d", span, &mut diags).is_none());
    assert_eq!(
        located(text, &mut diags),
        [
            "CX383 3:5 x-route53 a: zones can only be looked up",
            "CX383 5:5 x-route53 b: a zone needs ZoneName, a DNS name",
            "CX383 9:7 x-route53 c: `nope` is not a hosted zone id",
            "CX363 1:3 `x-route53::d`: x-route53 has no zone `d`",
        ]
    );
}

#[test]
fn hosted_zone_ids_follow_the_route53_rule() {
    use super::hosted_zone_id;
    assert_eq!(
        hosted_zone_id("Z0123456789ABCDEFGHIJ"),
        Some("Z0123456789ABCDEFGHIJ")
    );
    // what `aws route53 list-hosted-zones` prints: the prefix is dropped
    assert_eq!(
        hosted_zone_id("/hostedzone/Z1D633PJN98FT9"),
        Some("Z1D633PJN98FT9")
    );
    let longest = format!("Z{}", "A".repeat(31));
    assert_eq!(hosted_zone_id(&longest), Some(longest.as_str()));
    for bad in [
        "",
        "Z",
        "zone-1",
        "Zabc",
        "0123456789ABC",
        "Z0123-456",
        "/hostedzone/",
        "hostedzone/Z01",
        &format!("Z{}", "A".repeat(32)),
    ] {
        assert_eq!(hosted_zone_id(bad), None, "{bad}");
    }
}

#[test]
fn zones_are_read_once_with_lower_case_domains_and_bare_ids() {
    let text = "x-route53:\n  public:\n    ZoneName: Example.COM.\n    Lookup:\n      HostedZoneId: /hostedzone/Z0123\n      IsPrivateZone: true\n  broken: [1]\n";
    let p = project_unchecked(text);
    let mut diags = Vec::new();
    let zones = super::read(p.extension("x-route53"), &mut diags);
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].name, "public");
    assert_eq!(zones[0].domain, "example.com");
    assert_eq!(zones[0].id.as_deref(), Some("Z0123"));
    assert!(zones[0].private);
    assert_eq!(
        located(text, &mut diags),
        ["CX383 7:11 x-route53 broken: a zone needs ZoneName, a DNS name"]
    );
    assert_eq!(super::zones(&p), zones);
}

/// The project of `text`, loaded without the compose validation (which refuses some of the
/// shapes these tests feed the reader).
fn project_unchecked(text: &str) -> crate::compose::Project {
    let (docs, _) = crate::yaml::parse(0, text, &crate::yaml::Limits::default());
    let tree = docs.into_iter().next().expect("a document");
    crate::compose::model::build(&tree).0
}
