use crate::modules::testing::emit;

const ALBS: &str = "services:
  app:
    image: nginx
    ports: [\"80:80\"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      80: {Protocol: HTTP, Targets: [{name: app:app, access: /}]}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/:200\"}
  game:
    Properties: {Type: network}
    Listeners:
      81: {Protocol: TCP, Targets: [{name: app:app, access: /}]}
    Services:
      app:app: {port: 81, protocol: TCP, healthcheck: \"81:TCP\"}
";

#[test]
fn new_web_acl_gets_secure_defaults_and_an_association() {
    let r = emit(include_str!("fixtures/web_acls.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let waf = r.template("wafv2");
    let acl = &waf.resources["FrontAcl"].properties;
    assert_eq!(acl["Scope"], "REGIONAL");
    assert_eq!(acl["DefaultAction"], serde_json::json!({"Allow": {}}));
    assert_eq!(acl["VisibilityConfig"]["CloudWatchMetricsEnabled"], true);
    assert_eq!(
        acl["Rules"][0]["Statement"]["ManagedRuleGroupStatement"]["Name"],
        "AWSManagedRulesKnownBadInputsRuleSet"
    );
    assert_eq!(acl["Description"], "front end protection");
    let association = &waf.resources["FrontAclPublicAlbAssociation"];
    assert_eq!(association.type_, "AWS::WAFv2::WebACLAssociation");
    assert_eq!(
        association.properties["WebACLArn"],
        serde_json::json!({"Fn::GetAtt": ["FrontAcl", "Arn"]})
    );
    assert_eq!(
        association.properties["ResourceArn"],
        serde_json::json!({"Ref": "Elbv2PublicAlbLoadBalancerArn"})
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn users_properties_win_over_the_defaults() {
    let text = "services:\n  app:\n    image: nginx\nx-wafv2_webacl:\n  acl:\n    Properties:\n      DefaultAction: {Block: {}}\n      Rules: []\n      VisibilityConfig: {CloudWatchMetricsEnabled: false, MetricName: m, SampledRequestsEnabled: false}\n";
    let r = emit(text);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let acl = &r.template("wafv2").resources["Acl"].properties;
    assert_eq!(acl["DefaultAction"], serde_json::json!({"Block": {}}));
    assert_eq!(acl["Rules"], serde_json::json!([]));
    assert_eq!(acl["VisibilityConfig"]["MetricName"], "m");
}

#[test]
fn looked_up_web_acl_is_associated_through_its_arn_parameter() {
    let arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/526c0a30";
    let text = format!(
        "{ALBS}x-wafv2_webacl:\n  shared:\n    Lookup:\n      Arn: {arn}\n    LoadBalancers: [front]\n"
    );
    let r = emit(&text);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let waf = r.template("wafv2");
    assert!(!waf.resources.contains_key("Shared"));
    let association = &waf.resources["SharedFrontAssociation"];
    let parameter = association.properties["WebACLArn"]["Ref"]
        .as_str()
        .expect("a parameter");
    assert!(waf.parameters.contains_key(parameter));
    assert_eq!(r.stacks.known_values[parameter], arn);
}

#[test]
fn network_and_unknown_load_balancers_are_refused_at_their_line() {
    let text =
        format!("{ALBS}x-wafv2_webacl:\n  acl:\n    LoadBalancers:\n      - game\n      - fornt\n");
    let r = emit(&text);
    assert_eq!(
        r.diagnostics(),
        [
            "error CX660 21:9 x-wafv2_webacl acl: `game` is a network load balancer; WAF protects only application load balancers (help: remove `game` from LoadBalancers)",
            "error CX660 22:9 x-wafv2_webacl acl: x-elbv2 has no load balancer `fornt` (help: did you mean `front`?)",
        ]
    );
}

#[test]
fn cloudfront_scope_and_services_are_refused() {
    let text = format!(
        "{ALBS}x-wafv2_webacl:\n  acl:\n    Properties: {{Scope: CLOUDFRONT}}\n    LoadBalancers: [front]\n    Services:\n      app: {{}}\n"
    );
    let r = emit(&text);
    assert_eq!(r.error_codes(), ["CX660", "CX661"], "{:?}", r.diagnostics());
    let text = format!("{ALBS}x-wafv2_webacl:\n  acl:\n    LoadBalancers: front\n");
    assert_eq!(emit(&text).error_codes(), ["CX660"]);
}
