//! A plain compose web + postgres + redis app (examples/plain-webapp): every consumer has a
//! path to every provider its environment names, read from the rendered templates: a Service
//! Connect alias `<provider>:<port>` in the namespace the consumer is a client of, and an
//! ingress rule on that port into a security group of the provider's tasks from a security
//! group of the consumer's tasks.

mod ecs_common;

use ecs_common::*;
use serde_json::{json, Value};

const WEBAPP: &str = include_str!("../../examples/plain-webapp/docker-compose.yml");

/// The single-layout template (every reference resolved inside one template).
fn single(text: &str) -> Value {
    let (files, diags) = render_text(text, Layout::Single);
    let problems: Vec<_> = diags
        .iter()
        .filter(|d| d.severity != composex_core::Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let all = templates(&files);
    assert_eq!(all.len(), 1, "single layout: one template");
    all[0].1.clone()
}

fn resources<'a>(t: &'a Value, type_: &'a str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    t["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(move |(_, r)| r["Type"] == type_)
}

/// The ECS service running compose service `name`, and its task definition.
fn ecs_service<'a>(t: &'a Value, name: &str) -> (&'a Value, &'a Value) {
    let (td_id, td) = resources(t, "AWS::ECS::TaskDefinition")
        .find(|(_, td)| {
            td["Properties"]["ContainerDefinitions"]
                .as_array()
                .is_some_and(|cs| cs.iter().any(|c| c["Name"] == name))
        })
        .unwrap_or_else(|| panic!("no task definition runs {name}"));
    let (_, service) = resources(t, "AWS::ECS::Service")
        .find(|(_, s)| s["Properties"]["TaskDefinition"] == json!({ "Ref": td_id }))
        .unwrap_or_else(|| panic!("no ECS service runs {td_id}"));
    (service, td)
}

fn groups(service: &Value) -> &Vec<Value> {
    service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"]
        .as_array()
        .expect("security groups")
}

/// Asserts `consumer` reaches `provider` on `port` by the name `provider`.
fn assert_path(t: &Value, consumer: &str, provider: &str, port: u16) {
    let (client, _) = ecs_service(t, consumer);
    let (server, server_td) = ecs_service(t, provider);
    let client_connect = &client["Properties"]["ServiceConnectConfiguration"];
    let server_connect = &server["Properties"]["ServiceConnectConfiguration"];
    assert_eq!(client_connect["Enabled"], true, "{consumer} is a client");
    assert_eq!(
        client_connect["Namespace"], server_connect["Namespace"],
        "{consumer} and {provider} are in one namespace"
    );
    let endpoint = server_connect["Services"]
        .as_array()
        .and_then(|list| {
            list.iter().find(|s| {
                s["ClientAliases"]
                    .as_array()
                    .is_some_and(|a| a.contains(&json!({ "DnsName": provider, "Port": port })))
            })
        })
        .unwrap_or_else(|| panic!("{provider} offers no alias {provider}:{port}"));
    let port_name = &endpoint["PortName"];
    let mapped = server_td["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["PortMappings"].as_array().cloned().unwrap_or_default())
        .any(|m| m["Name"] == *port_name && m["ContainerPort"] == port);
    assert!(mapped, "{provider}'s task maps {port} as {port_name}");
    let into = groups(server);
    let from = groups(client);
    let open = resources(t, "AWS::EC2::SecurityGroupIngress").any(|(_, rule)| {
        let p = &rule["Properties"];
        p["IpProtocol"] == "tcp"
            && p["FromPort"].as_u64() <= Some(u64::from(port))
            && p["ToPort"].as_u64() >= Some(u64::from(port))
            && into.contains(&p["GroupId"])
            && from.contains(&p["SourceSecurityGroupId"])
    });
    assert!(
        open,
        "an ingress rule lets {consumer} into {provider} on {port}"
    );
}

/// Whether any rule lets `consumer`'s groups into `provider`'s on `port`.
fn is_open(t: &Value, consumer: &str, provider: &str, port: u16) -> bool {
    let into = groups(ecs_service(t, provider).0);
    let from = groups(ecs_service(t, consumer).0);
    resources(t, "AWS::EC2::SecurityGroupIngress").any(|(_, rule)| {
        let p = &rule["Properties"];
        p["FromPort"] == port
            && into.contains(&p["GroupId"])
            && from.contains(&p["SourceSecurityGroupId"])
    })
}

#[test]
fn web_reaches_the_database_and_the_cache_it_names() {
    assert!(WEBAPP.contains("postgres://app@db:5432/app"));
    assert!(WEBAPP.contains("redis://cache"));
    let t = single(WEBAPP);
    assert_path(&t, "web", "db", 5432);
    assert_path(&t, "web", "cache", 6379);
    // Exactly the listening ports are open: not the cache's port on the database.
    assert!(!is_open(&t, "web", "db", 6379));
    assert!(!is_open(&t, "web", "cache", 5432));
}

#[test]
fn network_aliases_are_client_aliases_and_networks_limit_ingress() {
    let text = "services:\n  api:\n    image: acme/api\n    networks: [back]\n    environment:\n      DB: database:5432\n  db:\n    image: postgres\n    networks:\n      back:\n        aliases: [database]\n  admin:\n    image: acme/admin\n    networks: [front]\nnetworks:\n  back: {}\n  front: {}\n";
    let t = single(text);
    assert_path(&t, "api", "db", 5432);
    let (server, _) = ecs_service(&t, "db");
    let aliases =
        &server["Properties"]["ServiceConnectConfiguration"]["Services"][0]["ClientAliases"];
    assert_eq!(
        *aliases,
        json!([{ "DnsName": "db", "Port": 5432 }, { "DnsName": "database", "Port": 5432 }])
    );
    assert!(
        !is_open(&t, "admin", "db", 5432),
        "admin is on another network"
    );
}

#[test]
fn the_webapp_renders_in_the_nested_layout_too() {
    let (files, diags) = render_text(WEBAPP, Layout::Nested);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let all = templates(&files);
    let db = template(&all, "db");
    let mappings =
        &resource(&db, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]["PortMappings"];
    assert_eq!(
        *mappings,
        json!([{ "ContainerPort": 5432, "Protocol": "tcp", "Name": "tcp_5432" }])
    );
}

/// The resources of `type_` in the single template, by logical id.
fn of_type<'a>(t: &'a Value, type_: &'a str) -> Vec<(&'a String, &'a Value)> {
    resources(t, type_).collect()
}

#[test]
fn published_http_ports_get_an_application_load_balancer() {
    let t = single(WEBAPP);
    let lbs = of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer");
    assert_eq!(lbs.len(), 1);
    let (lb_id, lb) = lbs[0];
    assert_eq!(lb["Properties"]["Type"], "application");
    assert_eq!(lb["Properties"]["Scheme"], "internet-facing");
    let listeners = of_type(&t, "AWS::ElasticLoadBalancingV2::Listener");
    assert_eq!(listeners.len(), 1, "one listener per published port");
    let listener = &listeners[0].1["Properties"];
    assert_eq!(listener["Port"], 80);
    assert_eq!(listener["Protocol"], "HTTP");
    assert_eq!(listener["LoadBalancerArn"], json!({ "Ref": lb_id }));
    let tg_ref = &listener["DefaultActions"][0]["TargetGroupArn"];
    let tg_id = tg_ref["Ref"].as_str().unwrap();
    let tg = &t["Resources"][tg_id]["Properties"];
    assert_eq!(tg["Port"], 80);
    assert_eq!(tg["TargetType"], "ip");
    // From the compose healthcheck (wget http://localhost/, every 30s, 5s, 3 retries).
    assert_eq!(tg["HealthCheckPath"], "/");
    assert_eq!(tg["HealthCheckTimeoutSeconds"], 5);
    assert_eq!(tg["UnhealthyThresholdCount"], 3);
    let (web, _) = ecs_service(&t, "web");
    assert_eq!(
        web["Properties"]["LoadBalancers"],
        json!([{ "ContainerName": "web", "ContainerPort": 80, "TargetGroupArn": tg_ref }])
    );
    // Only web is published: db and cache stay private.
    assert!(ecs_service(&t, "db").0["Properties"]
        .get("LoadBalancers")
        .is_none());
    assert_eq!(
        t["Outputs"]["LoadBalancerDnsName"]["Value"],
        json!({ "Fn::GetAtt": [lb_id, "DNSName"] })
    );
    // The load balancer's group may reach web on 80.
    let lb_group = &lb["Properties"]["SecurityGroups"][0];
    let open = resources(&t, "AWS::EC2::SecurityGroupIngress").any(|(_, r)| {
        r["Properties"]["SourceSecurityGroupId"] == *lb_group
            && r["Properties"]["FromPort"] == 80
            && groups(web).contains(&r["Properties"]["GroupId"])
    });
    assert!(open);
}

#[test]
fn other_ports_get_a_network_load_balancer_listening_on_the_published_port() {
    let text = "services:\n  web:\n    image: nginx\n    ports: [\"8080:80\"]\n  mqtt:\n    image: eclipse-mosquitto\n    ports: [\"1883:1883\"]\n";
    let t = single(text);
    let lbs = of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer");
    assert_eq!(lbs[0].1["Properties"]["Type"], "network");
    let mut ports: Vec<(u64, String)> = of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")
        .iter()
        .map(|(_, l)| {
            let p = &l["Properties"];
            let tg = &t["Resources"][p["DefaultActions"][0]["TargetGroupArn"]["Ref"]
                .as_str()
                .unwrap()];
            assert_eq!(tg["Properties"]["Protocol"], "TCP");
            (
                p["Port"].as_u64().unwrap(),
                format!("{}->{}", p["Protocol"], tg["Properties"]["Port"]),
            )
        })
        .collect();
    ports.sort();
    assert_eq!(
        ports,
        vec![
            (1883, "\"TCP\"->1883".to_string()),
            (8080, "\"TCP\"->80".to_string())
        ]
    );
}

#[test]
fn x_composex_turns_it_off_and_x_elbv2_replaces_it() {
    let off = "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\nx-composex:\n  load_balancer: false\n";
    let t = single(off);
    assert!(of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer").is_empty());
    assert!(t
        .get("Outputs")
        .is_none_or(|o| o.get("LoadBalancerDnsName").is_none()));
    let seed = include_str!("../../examples/seed/docker-compose.yml");
    let t = single(seed);
    let lbs: Vec<&String> = of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(lbs, vec!["Elbv2PublicAlb"], "only the x-elbv2 one");
}

#[test]
fn a_port_published_twice_is_listened_on_once_with_a_warning() {
    let text = "services:\n  a:\n    image: nginx\n    ports: [\"80:80\"]\n  b:\n    image: nginx\n    ports: [\"80:80\"]\n";
    let (files, diags) = render_text(text, Layout::Single);
    let taken: Vec<_> = diags.iter().filter(|d| d.code == "CX387").collect();
    assert_eq!(taken.len(), 1, "{diags:#?}");
    let t = &templates(&files)[0].1;
    assert_eq!(of_type(t, "AWS::ElasticLoadBalancingV2::Listener").len(), 1);
}

const ECS_CONNECT: &str = "x-cloudmap:
  first:
    Name: first.internal
  second:
    Name: second.internal
services:
  app:
    image: acme/app
    ports: [\"4567:4567\"]
    x-network:
      x-ecs_connect:
        MacroParameters:
          x-cloudmap: second
          service_ports:
            tcp_4567:
              DnsName: app.second.internal
              CloudMapServiceName: appserver
              Timeout: {IdleTimeoutSeconds: 120}
  worker:
    image: acme/worker
    environment:
      APP: app:4567
x-composex:
  load_balancer: false
";

#[test]
fn composex_ecs_connect_settings_win() {
    let t = single(ECS_CONNECT);
    let (app, _) = ecs_service(&t, "app");
    let connect = &app["Properties"]["ServiceConnectConfiguration"];
    assert_eq!(
        connect["Services"],
        json!([{
            "PortName": "tcp_4567",
            "DiscoveryName": "appserver",
            "ClientAliases": [
                { "DnsName": "app.second.internal", "Port": 4567 },
                { "DnsName": "app", "Port": 4567 }
            ],
            "Timeout": { "IdleTimeoutSeconds": 120 }
        }])
    );
    // x-ecs_connect's namespace for app; the project's (the first of x-cloudmap) for worker.
    let namespace_of = |service: &Value| {
        service["Properties"]["ServiceConnectConfiguration"]["Namespace"]["Fn::Sub"][1]
            ["NamespaceId"]["Fn::GetAtt"][0]
            .clone()
    };
    assert_eq!(namespace_of(app), json!("CloudmapSecondInternal"));
    assert_eq!(
        namespace_of(ecs_service(&t, "worker").0),
        json!("CloudmapFirstInternal")
    );
}

#[test]
fn ecs_connect_naming_a_port_the_family_lacks_is_an_error() {
    let text = ECS_CONNECT.replace("tcp_4567:", "tcp_4568:");
    let (files, diags) = render_text(&text, Layout::Single);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    assert_eq!(errors[0].code, "CX388");
    assert!(errors[0].message.contains("no TCP port named `tcp_4568`"));
    assert!(files.is_empty());
}

#[test]
fn loopback_ports_stay_off_the_load_balancer() {
    let text =
        "services:\n  web:\n    image: nginx\n    ports: [\"80:80\", \"127.0.0.1:9000:9000\"]\n";
    let (files, diags) = render_text(text, Layout::Single);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "CX387" && d.message.contains("127.0.0.1 only")),
        "{diags:#?}"
    );
    let t = &templates(&files)[0].1;
    let ports: Vec<&Value> = of_type(t, "AWS::ElasticLoadBalancingV2::Listener")
        .iter()
        .map(|(_, l)| &l["Properties"]["Port"])
        .collect();
    assert_eq!(ports, vec![&json!(80)]);
    let lb = &of_type(t, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0].1;
    assert_eq!(lb["Properties"]["Type"], "application");
}

#[test]
fn a_load_balancer_takes_at_most_50_listeners() {
    let mut text = String::from("services:\n");
    for i in 0..52 {
        text.push_str(&format!(
            "  svc{i}:\n    image: acme/s\n    ports: [\"{}\"]\n",
            8000 + i
        ));
    }
    let (files, diags) = render_text(&text, Layout::Nested);
    let over: Vec<_> = diags.iter().filter(|d| d.code == "CX387").collect();
    assert_eq!(over.len(), 2, "{diags:#?}");
    assert!(over[0].message.contains("port 8050 is not published"));
    let all = templates(&files);
    let elbv2 = template(&all, "elbv2");
    assert_eq!(
        of_type(&elbv2, "AWS::ElasticLoadBalancingV2::Listener").len(),
        50
    );
}

#[test]
fn an_alias_already_offered_on_a_port_stays_with_the_first_service() {
    let text = "services:\n  one:\n    image: acme/one\n    expose: [\"8080\"]\n    networks:\n      default:\n        aliases: [api]\n  two:\n    image: acme/two\n    expose: [\"8080\"]\n    networks:\n      default:\n        aliases: [api]\n  three:\n    image: acme/three\n    expose: [\"9090\"]\n    networks:\n      default:\n        aliases: [api]\n";
    let t = single(text);
    let aliases = |name: &str| {
        let (service, _) = ecs_service(&t, name);
        service["Properties"]["ServiceConnectConfiguration"]["Services"][0]["ClientAliases"].clone()
    };
    let on = |port: u16, names: &[&str]| {
        let entries: Vec<Value> = names
            .iter()
            .map(|n| json!({ "DnsName": n, "Port": port }))
            .collect();
        Value::Array(entries)
    };
    assert_eq!(aliases("one"), on(8080, &["one", "api"]));
    // `api` on 8080 is taken: `two` keeps only its own name.
    assert_eq!(aliases("two"), on(8080, &["two"]));
    // The same alias on another port is another endpoint.
    assert_eq!(aliases("three"), on(9090, &["three", "api"]));
}
