use serde_json::Value;

use super::DASHBOARD;
use crate::modules::testing::{emit, Rendered};
use crate::modules::IGNORED;

/// The dashboard `id`'s body text (parsed) and its `Fn::Sub` variables.
fn body(r: &Rendered, id: &str) -> (Value, serde_json::Map<String, Value>) {
    let props = &r.template("dashboards").resources[id].properties;
    let sub = props["DashboardBody"]["Fn::Sub"]
        .as_array()
        .expect("Fn::Sub");
    let text = sub[0].as_str().expect("text");
    let vars = sub[1].as_object().expect("variables").clone();
    // Every `${...}` is a variable of the Sub or the region, so CloudFormation resolves them all.
    for name in text
        .split("${")
        .skip(1)
        .map(|r| r.split('}').next().unwrap_or(""))
    {
        assert!(name == "AWS::Region" || vars.contains_key(name), "{name}");
    }
    (serde_json::from_str(text).expect("JSON"), vars)
}

/// `(type, x, y, width, height, title)` of each widget.
fn grid(body: &Value) -> Vec<(String, u64, u64, u64, u64, String)> {
    body["widgets"]
        .as_array()
        .expect("widgets")
        .iter()
        .map(|w| {
            let n = |k: &str| w[k].as_u64().expect(k);
            let title = w["properties"]["title"]
                .as_str()
                .or(w["properties"]["markdown"].as_str())
                .unwrap_or("")
                .to_string();
            (
                w["type"].as_str().unwrap_or("").to_string(),
                n("x"),
                n("y"),
                n("width"),
                n("height"),
                title,
            )
        })
        .collect()
}

#[test]
fn services_and_their_target_groups_get_widgets_on_one_grid() {
    let r = emit(include_str!("fixtures/dashboards.yml"));
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    let props = &r.template("dashboards").resources["AllServices"].properties;
    assert_eq!(props["DashboardName"], "test--all-services");
    let (body, vars) = body(&r, "AllServices");
    assert_eq!(body["start"], "-PT3H");
    let names: Vec<&str> = vars.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "ClusterName",
            "WebServiceName",
            "Elbv2FrontLoadBalancerFullName",
            "Elbv2FrontWeb80TargetGroupFullName",
            "WorkerServiceName"
        ]
    );
    let grid = grid(&body);
    let cells: Vec<(&str, u64, u64, u64, u64)> = grid
        .iter()
        .map(|(t, x, y, w, h, _)| (t.as_str(), *x, *y, *w, *h))
        .collect();
    assert_eq!(
        cells,
        [
            ("text", 0, 0, 24, 1),
            ("metric", 0, 1, 6, 6),
            ("metric", 6, 1, 6, 6),
            ("metric", 12, 1, 12, 6),
            ("metric", 0, 7, 12, 6),
            ("metric", 12, 7, 12, 6),
            ("metric", 0, 13, 12, 6),
            ("metric", 12, 13, 6, 6),
            ("metric", 18, 13, 6, 6),
            ("text", 0, 19, 24, 1),
            ("metric", 0, 20, 6, 6),
            ("metric", 6, 20, 6, 6),
            ("metric", 12, 20, 12, 6),
            ("metric", 0, 26, 12, 6),
            ("metric", 12, 26, 12, 6),
        ]
    );
    assert_eq!(grid[0].5, "# Service web");
    assert_eq!(grid[9].5, "# Service worker");
    // The service's metrics on its own dimensions; the target group's on the load balancer's.
    assert_eq!(
        body["widgets"][4]["properties"]["metrics"][0],
        serde_json::json!([
            "AWS/ECS",
            "CPUUtilization",
            "ServiceName",
            "${WebServiceName}",
            "ClusterName",
            "${ClusterName}"
        ])
    );
    assert_eq!(
        body["widgets"][6]["properties"]["metrics"][0],
        serde_json::json!(["AWS/ApplicationELB", "RequestCount", "TargetGroup", "${Elbv2FrontWeb80TargetGroupFullName}", "LoadBalancer", "${Elbv2FrontLoadBalancerFullName}", {"stat": "Sum"}])
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn a_network_load_balancer_shows_host_counts() {
    let text = "services:\n  game:\n    image: nginx\nx-elbv2:\n  nlb:\n    Properties: {Type: network}\n    Listeners:\n      - Port: 7001\n        Protocol: TCP\n        Targets: [{name: game:game}]\n    Services:\n      game:game: {port: 7001, protocol: TCP, healthcheck: \"7001:TCP\"}\nx-dashboards:\n  ops:\n    Services:\n      game: {}\n";
    let r = emit(text);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let (body, _) = body(&r, "Ops");
    let last = &body["widgets"][6];
    assert_eq!(last["width"], 24);
    let metrics: Vec<&str> = last["properties"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["HealthyHostCount", "UnHealthyHostCount"]);
    assert_eq!(last["properties"]["metrics"][0][0], "AWS/NetworkELB");
    assert_eq!(body["widgets"].as_array().unwrap().len(), 7);
}

#[test]
fn what_a_dashboard_cannot_render_is_located() {
    let text = "services:\n  app:\n    image: nginx\nx-dashboards:\n  board:\n    Type: grafana\n    Settings:\n      start: 12h\n    Services:\n      app:\n        UsePredefinedMetric: true\n        Metrics: [cpu]\n    Resources:\n      x-sqs::queue: {}\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        [
            format!("error {DASHBOARD} 6:11 x-dashboards board: Type must be cloudwatch (the only kind of dashboard) (help: Type: cloudwatch)"),
            "error CX361 8:14 x-dashboards board: start must be a duration before now, e.g. -PT12H (help: an ISO 8601 duration with a minus sign: -PT3H, -P1D, -P1W)".to_string(),
            format!("error {DASHBOARD} 11:9 x-dashboards board: `UsePredefinedMetric` is not a dashboard option of a service (help: did you mean `UsePredefinedMetrics`?)"),
            format!("warning {IGNORED} 12:9 x-dashboards board: Services.app.Metrics is ignored (help: only the predefined widgets are made (ComposeX makes none from Metrics either))"),
            format!("warning {IGNORED} 14:7 x-dashboards board: Resources (x-sqs::queue ...) is ignored (help: widgets are made for Services only (ComposeX makes none for Resources either))"),
        ]
    );
}

#[test]
fn a_dashboard_with_nothing_to_show_is_not_made() {
    let text = "services:\n  app:\n    image: nginx\nx-dashboards:\n  board:\n    Services:\n      app: {UsePredefinedMetrics: false}\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        [format!("warning {DASHBOARD} 5:3 x-dashboards board: no service to show; the dashboard is not made (help: list services: Services: {{<service>: {{UsePredefinedMetrics: true}}}})")]
    );
    assert!(r
        .stacks
        .get("dashboards")
        .is_none_or(|s| s.template.resources.is_empty()));
}

#[test]
fn a_family_in_two_target_groups_gets_a_row_for_each() {
    let text = format!(
        "{}\nx-dashboards:\n  ops:\n    Services:\n      web: {{}}\n",
        include_str!("../elbv2/fixtures/target_groups.yml")
    );
    let r = emit(&text);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let (body, vars) = body(&r, "Ops");
    let groups: Vec<&str> = vars
        .keys()
        .filter(|k| k.ends_with("TargetGroupFullName"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        groups,
        [
            "Elbv2PublicAlbWebPages80TargetGroupFullName",
            "Elbv2PublicAlbEveryone80TargetGroupFullName"
        ]
    );
    let titles: Vec<String> = grid(&body)
        .into_iter()
        .filter(|(_, x, ..)| *x == 0)
        .map(|(.., title)| title)
        .collect();
    assert_eq!(
        titles,
        [
            "# Service web",
            "CPU reserved / used",
            "CPU and memory utilisation",
            "public-alb web-pages: requests and 5XX",
            "public-alb everyone: requests and 5XX"
        ]
    );
}
