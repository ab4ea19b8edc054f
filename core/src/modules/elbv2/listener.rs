//! A new listener of an x-elbv2 load balancer (its default action and the certificates it
//! serves), and the forward actions and conditions of listener rules.

use serde_json::{json, Map, Value};

use super::acm;
use super::syntax::{Certificate, DefaultAction, LoadBalancer};
use super::template::{export_name, DEFAULT_SSL_POLICY};
use super::validate::Default;
use crate::cfn::{logical_id, ref_, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::posture::{user_choice, PLAIN_HTTP_CHECKS};
use crate::stack::Stack;

/// Writes a new listener; returns its logical id and the certificates beyond its first.
pub(super) fn write_listener(
    lb: &LoadBalancer,
    listener: &super::syntax::Listener,
    planned: &super::validate::PlannedListener,
    group_ids: &[String],
    lb_ref: &Value,
    stack: &mut Stack,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Vec<Value>) {
    let lb_name = logical_id(&lb.name);
    let mut props = Map::new();
    props.insert("LoadBalancerArn".into(), lb_ref.clone());
    props.insert("Port".into(), json!(listener.port));
    props.insert("Protocol".into(), json!(listener.protocol));
    let default_actions = match &planned.default {
        Default::Forward(g) => vec![forward(group_ids.get(*g), None)],
        Default::NotFound => vec![json!({
            "Type": "fixed-response",
            "FixedResponseConfig": { "StatusCode": "404", "ContentType": "text/plain", "MessageBody": "Not Found" },
        })],
        Default::Actions(actions) => actions.iter().map(default_action).collect(),
    };
    props.insert("DefaultActions".into(), Value::Array(default_actions));
    let mut certificates: Vec<Value> = planned
        .certificates
        .iter()
        .map(|c| certificate_arn(c, stack))
        .collect();
    let extra = if certificates.len() > 1 {
        certificates.split_off(1)
    } else {
        Vec::new()
    };
    if let Some(first) = certificates.pop() {
        props.insert("Certificates".into(), json!([{ "CertificateArn": first }]));
        props.insert(
            "SslPolicy".into(),
            json!(listener
                .ssl_policy
                .clone()
                .unwrap_or_else(|| DEFAULT_SSL_POLICY.into())),
        );
    }
    let redirects_to_https = props["DefaultActions"].as_array().is_some_and(|actions| {
        actions
            .iter()
            .any(|a| a["Type"] == "redirect" && a["RedirectConfig"]["Protocol"] == "HTTPS")
    });
    let mut resource = Resource::new(
        "AWS::ElasticLoadBalancingV2::Listener",
        Value::Object(props),
    );
    if listener.protocol == "HTTP" && !redirects_to_https {
        let reason = format!(
            "x-elbv2.{}.Listeners port {} is plain HTTP (Protocol HTTPS with Certificates gives TLS)",
            lb.name, listener.port
        );
        user_choice(
            &mut resource,
            PLAIN_HTTP_CHECKS,
            &reason,
            listener.port_span,
            diagnostics,
        );
    }
    let listener_id =
        stack.add_resource(&format!("{lb_name} listener {}", listener.port), resource);
    let listener_export = export_name(&format!("{listener_id}Arn"));
    stack.export(
        &listener_export,
        ref_(&listener_id),
        "String",
        &format!("Listener on port {} of {}", listener.port, lb.name),
    );
    (listener_id, extra)
}

pub(super) fn forward(group: Option<&String>, order: Option<u32>) -> Value {
    let mut action =
        json!({ "Type": "forward", "TargetGroupArn": ref_(group.map_or("", String::as_str)) });
    if let Some(order) = order {
        action["Order"] = json!(order);
    }
    action
}

fn default_action(action: &DefaultAction) -> Value {
    match action {
        DefaultAction::RedirectToHttps => json!({
            "Type": "redirect",
            "RedirectConfig": {
                "Protocol": "HTTPS",
                "Port": "443",
                "Host": "#{host}",
                "Path": "/#{path}",
                "Query": "#{query}",
                "StatusCode": "HTTP_301",
            },
        }),
        DefaultAction::TeaPot => json!({
            "Type": "fixed-response",
            "FixedResponseConfig": {
                "StatusCode": "418",
                "ContentType": "application/json",
                "MessageBody": "{\"Info\": \"Be our guest\"}",
            },
        }),
        DefaultAction::Raw(value) => value.clone(),
    }
}

pub(super) fn certificate_arn(certificate: &Certificate, stack: &mut Stack) -> Value {
    match certificate {
        Certificate::Arn(arn) => json!(arn),
        Certificate::Acm(name, _) => stack.import(&acm::arn_export(name)),
    }
}

/// Host and path conditions of an `access` string.
pub(super) fn conditions(host: Option<&str>, path: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(host) = host {
        out.push(json!({ "Field": "host-header", "HostHeaderConfig": { "Values": [host] } }));
    }
    if let Some(path) = path.filter(|p| *p != "/" || host.is_none()) {
        let values = if path.ends_with('*') {
            vec![path.to_string()]
        } else if path == "/" {
            vec!["/*".to_string()]
        } else {
            let base = path.trim_end_matches('/');
            vec![base.to_string(), format!("{base}/*")]
        };
        out.push(json!({ "Field": "path-pattern", "PathPatternConfig": { "Values": values } }));
    }
    out
}
