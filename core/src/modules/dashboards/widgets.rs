//! The widgets of a dashboard, laid out top to bottom on CloudWatch's 24-column grid. Values
//! written `${Name}` are `Fn::Sub` variables (the cluster, the ECS service, the load balancer and
//! target group full names); `${AWS::Region}` is the stack's region.

use serde_json::{json, Value};

use super::targets::TargetGroup;

/// The widgets so far and the next free row.
#[derive(Debug, Default)]
pub struct Layout {
    /// The widgets, in order.
    pub widgets: Vec<Value>,
    y: u32,
}

/// A metric widget at (`x`, `y`) of `width` x 6.
fn metric(x: u32, y: u32, width: u32, properties: Value) -> Value {
    json!({"type": "metric", "x": x, "y": y, "width": width, "height": 6, "properties": properties})
}

/// `metric` of `namespace` for the ECS service `service` of cluster `cluster`, then `more`
/// metrics on the same dimensions (CloudWatch's `.` repeats the first row's value).
fn ecs_metrics(namespace: &str, service: &str, cluster: &str, first: &str, more: &[&str]) -> Value {
    let mut rows = vec![json!([
        namespace,
        first,
        "ServiceName",
        format!("${{{service}}}"),
        "ClusterName",
        format!("${{{cluster}}}")
    ])];
    rows.extend(more.iter().map(|m| json!([".", m, ".", ".", ".", "."])));
    Value::Array(rows)
}

impl Layout {
    /// The widgets ComposeX makes for an ECS service: a title row, then CPU and memory reserved
    /// against used, the task counts, utilisation and network traffic.
    pub fn service(&mut self, family: &str, service: &str, cluster: &str) {
        let y = self.y;
        let m =
            |ns: &str, first: &str, more: &[&str]| ecs_metrics(ns, service, cluster, first, more);
        let region = "${AWS::Region}";
        self.widgets.push(json!({
            "type": "text", "x": 0, "y": y, "width": 24, "height": 1,
            "properties": {"markdown": format!("# Service {family}")}
        }));
        self.widgets.push(metric(
            0,
            y + 1,
            6,
            json!({
                "title": "CPU reserved / used", "view": "pie", "region": region,
                "metrics": m("ECS/ContainerInsights", "CpuReserved", &["CpuUtilized"]),
                "labels": {"visible": true}, "legend": {"position": "hidden"}
            }),
        ));
        self.widgets.push(metric(
            6,
            y + 1,
            6,
            json!({
                "title": "Memory reserved / used", "view": "pie", "region": region,
                "metrics": m("ECS/ContainerInsights", "MemoryReserved", &["MemoryUtilized"]),
                "labels": {"visible": true}
            }),
        ));
        self.widgets.push(metric(12, y + 1, 12, json!({
            "title": "Tasks", "view": "singleValue", "region": region, "period": 300,
            "metrics": m("ECS/ContainerInsights", "RunningTaskCount", &["PendingTaskCount", "DesiredTaskCount"]),
            "legend": {"position": "bottom"}
        })));
        self.widgets.push(metric(
            0,
            y + 7,
            12,
            json!({
                "title": "CPU and memory utilisation", "view": "timeSeries", "stacked": false,
                "region": region, "period": 300,
                "metrics": m("AWS/ECS", "CPUUtilization", &["MemoryUtilization"])
            }),
        ));
        self.widgets.push(metric(
            12,
            y + 7,
            12,
            json!({
                "title": "Network IN/OUT", "view": "timeSeries", "stacked": false, "region": region,
                "metrics": m("ECS/ContainerInsights", "NetworkTxBytes", &["NetworkRxBytes"])
            }),
        ));
        self.y = y + 13;
    }

    /// A row for a target group the service is in: traffic and health on the load balancer.
    pub fn target_group(&mut self, tg: &TargetGroup) {
        let y = self.y;
        let region = "${AWS::Region}";
        let lb = format!("${{{}}}", tg.lb_export);
        let group = format!("${{{}}}", tg.tg_export);
        let title = format!("{} {}", tg.load_balancer, tg.label);
        let namespace = if tg.application {
            "AWS/ApplicationELB"
        } else {
            "AWS/NetworkELB"
        };
        let row = |metric: &str, stat: &str| json!([namespace, metric, "TargetGroup", group, "LoadBalancer", lb, {"stat": stat}]);
        let hosts = json!({
            "title": format!("{title}: healthy / unhealthy hosts"), "view": "timeSeries",
            "stacked": false, "region": region, "period": 60,
            "metrics": [row("HealthyHostCount", "Minimum"), row("UnHealthyHostCount", "Maximum")]
        });
        if tg.application {
            self.widgets.push(metric(
                0,
                y,
                12,
                json!({
                    "title": format!("{title}: requests and 5XX"), "view": "timeSeries",
                    "stacked": false, "region": region, "period": 60,
                    "metrics": [row("RequestCount", "Sum"), row("HTTPCode_Target_5XX_Count", "Sum")]
                }),
            ));
            self.widgets.push(metric(
                12,
                y,
                6,
                json!({
                    "title": format!("{title}: response time"), "view": "timeSeries",
                    "stacked": false, "region": region, "period": 60,
                    "metrics": [row("TargetResponseTime", "p90")]
                }),
            ));
            self.widgets.push(metric(18, y, 6, hosts));
        } else {
            self.widgets.push(metric(0, y, 24, hosts));
        }
        self.y = y + 6;
    }
}
