//! Service attributes: short syntax to long syntax, and the casts at service paths.

use super::*;

impl Normalizer {
    pub(super) fn service(&mut self, path: &str, map: &mut Map) {
        for key in ["command", "entrypoint"] {
            if let Some(node) = map.get_mut(key) {
                self.command(&format!("{path}.{key}"), node);
            }
        }
        if let Some(node) = map.get_mut("build") {
            self.build(&format!("{path}.build"), node);
        }
        if let Some(node) = map.get_mut("environment") {
            self.key_values(&format!("{path}.environment"), node, true);
        }
        for key in ["labels", "sysctls", "annotations"] {
            if let Some(node) = map.get_mut(key) {
                self.key_values(&format!("{path}.{key}"), node, false);
            }
        }
        if let Some(Value::Seq(items)) = map.get_mut("ports").map(|n| &mut n.value) {
            self.ports(&format!("{path}.ports"), items);
        }
        if let Some(Value::Seq(items)) = map.get_mut("expose").map(|n| &mut n.value) {
            for item in items.iter_mut() {
                if let Some(s) = item
                    .as_scalar()
                    .filter(|s| s.style == ScalarStyle::Plain && !s.is_null())
                {
                    *item = Node::string(s.text.clone(), item.span);
                }
            }
        }
        if let Some(Value::Seq(items)) = map.get_mut("volumes").map(|n| &mut n.value) {
            self.service_volumes(&format!("{path}.volumes"), items);
        }
        for key in ["secrets", "configs"] {
            if let Some(Value::Seq(items)) = map.get_mut(key).map(|n| &mut n.value) {
                self.file_references(&format!("{path}.{key}"), items);
            }
        }
        for key in ["cap_add", "cap_drop"] {
            if let Some(Value::Seq(items)) = map.get_mut(key).map(|n| &mut n.value) {
                self.capabilities(&format!("{path}.{key}"), items);
            }
        }
        if let Some(node) = map.get_mut("depends_on") {
            self.depends_on(&format!("{path}.depends_on"), node);
        }
        if let Some(node) = map.get_mut("healthcheck") {
            self.healthcheck(&format!("{path}.healthcheck"), node);
        }
        if let Some(node) = map.get_mut("networks") {
            if let Some(items) = node.as_seq() {
                for (i, item) in items.iter().enumerate() {
                    if item.as_str().is_none() {
                        self.not_a_name(&format!("{path}.networks[{i}]"), item);
                    }
                }
            }
            list_to_null_map(node);
        }
        if let Some(node) = map.get_mut("env_file") {
            self.env_file(&format!("{path}.env_file"), node);
        }
        for key in ["tmpfs", "dns", "dns_search", "label_file"] {
            if let Some(node) = map.get_mut(key) {
                string_to_list(node);
            }
        }
        if let Some(node) = map.get_mut("extends") {
            if let Some(text) = node.as_str() {
                *node = map_node(vec![("service", Node::string(text, node.span))], node.span);
            }
        }
        if let Some(Value::Map(ulimits)) = map.get_mut("ulimits").map(|n| &mut n.value) {
            for (name, _, limit) in &mut ulimits.entries {
                let limit_path = format!("{path}.ulimits.{name}");
                match &mut limit.value {
                    Value::Map(m) => {
                        self.casts(&limit_path, m, &[("soft", Cast::Int), ("hard", Cast::Int)])
                    }
                    _ => self.cast(&limit_path, limit, Cast::Int),
                }
            }
        }
        if let Some(Value::Map(deploy)) = map.get_mut("deploy").map(|n| &mut n.value) {
            self.deploy(&format!("{path}.deploy"), deploy);
        }
        self.casts(path, map, SERVICE_CASTS);
    }

    fn deploy(&mut self, path: &str, deploy: &mut Map) {
        self.casts(path, deploy, &[("replicas", Cast::Count)]);
        self.likely_one_of(
            path,
            deploy,
            "mode",
            &["replicated", "global", "replicated-job", "global-job"],
        );
        if let Some(node) = deploy.get_mut("labels") {
            self.key_values(&format!("{path}.labels"), node, false);
        }
        for key in ["update_config", "rollback_config"] {
            if let Some(Value::Map(m)) = deploy.get_mut(key).map(|n| &mut n.value) {
                let casts = [
                    ("parallelism", Cast::Int),
                    ("delay", Cast::Duration),
                    ("monitor", Cast::Duration),
                    ("max_failure_ratio", Cast::Float),
                ];
                let sub = format!("{path}.{key}");
                self.casts(&sub, m, &casts);
                self.likely_one_of(
                    &sub,
                    m,
                    "failure_action",
                    &["continue", "rollback", "pause"],
                );
                self.one_of(&sub, m, "order", &["stop-first", "start-first"]);
            }
        }
        if let Some(Value::Map(m)) = deploy.get_mut("restart_policy").map(|n| &mut n.value) {
            let casts = [
                ("max_attempts", Cast::Int),
                ("delay", Cast::Duration),
                ("window", Cast::Duration),
            ];
            self.casts(&format!("{path}.restart_policy"), m, &casts);
            self.likely_one_of(
                &format!("{path}.restart_policy"),
                m,
                "condition",
                &["none", "on-failure", "any"],
            );
        }
        if let Some(Value::Map(m)) = deploy.get_mut("placement").map(|n| &mut n.value) {
            self.casts(
                &format!("{path}.placement"),
                m,
                &[("max_replicas_per_node", Cast::Int)],
            );
        }
        if let Some(Value::Map(resources)) = deploy.get_mut("resources").map(|n| &mut n.value) {
            for key in ["limits", "reservations"] {
                if let Some(Value::Map(m)) = resources.get_mut(key).map(|n| &mut n.value) {
                    let casts = [
                        ("cpus", Cast::Float),
                        ("memory", Cast::Bytes),
                        ("pids", Cast::Int),
                    ];
                    self.casts(&format!("{path}.resources.{key}"), m, &casts);
                }
            }
        }
    }

    fn command(&mut self, path: &str, node: &mut Node) {
        let Some(text) = node.as_str() else {
            return;
        };
        match split_words(text) {
            Ok(words) => {
                let span = node.span;
                let items = words.into_iter().map(|w| Node::string(w, span)).collect();
                *node = Node::new(Value::Seq(items), span);
            }
            Err(e) => self.error(codes::BAD_COMMAND, format!("{path}: {e}"), node.span),
        }
    }

    fn build(&mut self, path: &str, node: &mut Node) {
        if let Some(text) = node.as_str() {
            let span = node.span;
            *node = map_node(
                vec![
                    ("context", Node::string(text, span)),
                    ("dockerfile", Node::string("Dockerfile", span)),
                ],
                span,
            );
            return;
        }
        if let Value::Map(map) = &mut node.value {
            for key in ["args", "labels"] {
                if let Some(values) = map.get_mut(key) {
                    self.key_values(&format!("{path}.{key}"), values, true);
                }
            }
        }
    }

    fn ports(&mut self, path: &str, items: &mut Vec<Node>) {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in std::mem::take(items).into_iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let span = item.span;
            match item.value {
                Value::Scalar(ref s) if !s.is_null() => match parse_port_spec(&s.text) {
                    Ok(specs) => out.extend(specs.into_iter().map(|p| port_node(&p, span))),
                    Err(e) => {
                        self.diagnostics.push(
                            Diagnostic::error(codes::BAD_PORT, format!("{item_path}: {e}"), span).with_help(
                                "ports are written `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`, e.g. \"8080:80\" or \"127.0.0.1:53:53/udp\"",
                            ),
                        );
                    }
                },
                Value::Map(mut map) => {
                    self.long_port(&item_path, &mut map);
                    out.push(Node {
                        value: Value::Map(map),
                        span,
                        tag: item.tag,
                    });
                }
                _ => out.push(item),
            }
        }
        *items = out;
    }

    fn long_port(&mut self, path: &str, map: &mut Map) {
        if let Some(target) = map.get_mut("target") {
            if let Some(s) = target.as_scalar().filter(|s| !s.is_null()) {
                match cast_int(s).ok().and_then(|n| u16::try_from(n).ok()) {
                    Some(n) => *target = plain(n.to_string(), target.span),
                    None => {
                        let msg =
                            format!("{path}.target must be a port number (0-65535): {}", s.text);
                        self.error(codes::BAD_PORT, msg, target.span);
                    }
                }
            }
        }
        if let Some(published) = map.get_mut("published") {
            if let Some(s) = published.as_scalar().filter(|s| !s.is_null()) {
                if parse_port_range(&s.text).is_err() {
                    let msg = format!(
                        "{path}.published must be a port or a port range: {}",
                        s.text
                    );
                    self.error(codes::BAD_PORT, msg, published.span);
                } else {
                    *published = Node::string(s.text.clone(), published.span);
                }
            }
        }
        if let Some(ip) = map
            .get("host_ip")
            .and_then(|n| n.as_str().map(|t| (t.to_string(), n.span)))
        {
            if ip.0.parse::<std::net::IpAddr>().is_err() {
                self.error(
                    codes::BAD_PORT,
                    format!("{path}.host_ip: invalid ip address: {}", ip.0),
                    ip.1,
                );
            }
        }
        if let Some(protocol) = map.get_mut("protocol") {
            if let Some(s) = protocol.as_scalar().filter(|s| !s.is_null()) {
                let lower = s.text.to_ascii_lowercase();
                if PROTOCOLS.contains(&lower.as_str()) {
                    *protocol = Node::string(lower, protocol.span);
                } else {
                    self.error(
                        codes::BAD_PORT,
                        format!("{path}.protocol: invalid proto: {}", s.text),
                        protocol.span,
                    );
                }
            }
        }
    }

    fn service_volumes(&mut self, path: &str, items: &mut Vec<Node>) {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in std::mem::take(items).into_iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let span = item.span;
            match item.value {
                Value::Scalar(ref s) if !s.is_null() => match parse_volume_spec(&s.text) {
                    Ok(spec) => out.push(volume_node(&spec, span)),
                    Err(e) => self.diagnostics.push(
                        Diagnostic::error(codes::BAD_VOLUME, format!("{item_path}: {e}"), span)
                            .with_help("volumes are written `[SOURCE:]TARGET[:OPTIONS]`, e.g. \"./data:/data:ro\" or \"cache:/var/cache\""),
                    ),
                },
                Value::Map(mut map) => {
                    self.casts(&item_path, &mut map, &[("read_only", Cast::Bool)]);
                    let kinds = ["volume", "bind", "tmpfs", "npipe", "cluster", "image"];
                    self.one_of(&item_path, &map, "type", &kinds);
                    if let Some(Value::Map(v)) = map.get_mut("volume").map(|n| &mut n.value) {
                        self.casts(&format!("{item_path}.volume"), v, &[("nocopy", Cast::Bool)]);
                    }
                    if let Some(Value::Map(t)) = map.get_mut("tmpfs").map(|n| &mut n.value) {
                        self.casts(&format!("{item_path}.tmpfs"), t, &[("size", Cast::Bytes)]);
                    }
                    out.push(Node { value: Value::Map(map), span, tag: item.tag });
                }
                _ => out.push(item),
            }
        }
        *items = out;
    }

    /// Service `secrets:` / `configs:`: a name becomes `{source: name}`; `mode` is checked.
    fn file_references(&mut self, path: &str, items: &mut [Node]) {
        for (i, item) in items.iter_mut().enumerate() {
            if let Some(text) = item.as_str() {
                *item = map_node(vec![("source", Node::string(text, item.span))], item.span);
            } else if let Value::Map(map) = &mut item.value {
                if let Some(mode) = map.get("mode") {
                    if let Some(s) = mode.as_scalar().filter(|s| !s.is_null()) {
                        if let Err(e) = cast_mode(s) {
                            self.error(
                                codes::BAD_MODE,
                                format!("{path}[{i}].mode: {e}"),
                                mode.span,
                            );
                        }
                    }
                }
            }
        }
    }

    fn depends_on(&mut self, path: &str, node: &mut Node) {
        if let Value::Seq(items) = &node.value {
            let mut map = Map::default();
            for (i, item) in items.iter().enumerate() {
                let Some(name) = item.as_str() else {
                    self.not_a_name(&format!("{path}[{i}]"), item);
                    continue;
                };
                let long = map_node(
                    vec![
                        ("condition", Node::string("service_started", item.span)),
                        ("required", plain("true", item.span)),
                    ],
                    item.span,
                );
                map.insert(name.to_string(), item.span, long);
            }
            node.value = Value::Map(map);
            return;
        }
        let Value::Map(map) = &mut node.value else {
            return;
        };
        for (name, _, entry) in &mut map.entries {
            let entry_path = format!("{path}.{name}");
            if entry.is_null() {
                *entry = map_node(
                    vec![
                        ("condition", Node::string("service_started", entry.span)),
                        ("required", plain("true", entry.span)),
                    ],
                    entry.span,
                );
                continue;
            }
            let Value::Map(m) = &mut entry.value else {
                continue;
            };
            if let Some(c) = m.get("condition") {
                if let Some(text) = c.as_str() {
                    if !CONDITIONS.contains(&text) {
                        let d = Diagnostic::error(
                            codes::BAD_ENUM,
                            format!("{entry_path}.condition: unknown condition {text:?}"),
                            c.span,
                        )
                        .with_help(format!("use one of {}", CONDITIONS.join(", ")));
                        let d = match crate::suggest::did_you_mean(text, CONDITIONS.iter().copied())
                        {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d,
                        };
                        self.diagnostics.push(d);
                    }
                }
            }
            if m.get("required").is_none() {
                m.insert("required".into(), entry.span, plain("true", entry.span));
            }
            self.casts(
                &entry_path,
                m,
                &[("required", Cast::Bool), ("restart", Cast::Bool)],
            );
        }
    }

    fn healthcheck(&mut self, path: &str, node: &mut Node) {
        let Value::Map(map) = &mut node.value else {
            return;
        };
        if let Some(test) = map.get_mut("test") {
            if let Some(text) = test.as_str() {
                let span = test.span;
                *test = Node::new(
                    Value::Seq(vec![
                        Node::string("CMD-SHELL", span),
                        Node::string(text, span),
                    ]),
                    span,
                );
            } else if let Some(first) = test.as_seq().and_then(|s| s.first()) {
                // a non-string first item is a kind error for the structure validator
                let head = if first.is_null() {
                    ""
                } else {
                    first.as_str().unwrap_or("CMD")
                };
                if !matches!(head, "CMD" | "CMD-SHELL" | "NONE") {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::BAD_HEALTHCHECK,
                            format!("{path}.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\""),
                            first.span,
                        )
                        .with_help("e.g. [\"CMD\", \"curl\", \"-f\", \"http://localhost\"] or a string (run by the shell)"),
                    );
                }
            }
        }
        let casts = [
            ("interval", Cast::Duration),
            ("timeout", Cast::Duration),
            ("start_period", Cast::Duration),
            ("start_interval", Cast::Duration),
            ("retries", Cast::Int),
            ("disable", Cast::Bool),
        ];
        self.casts(path, map, &casts);
    }

    fn env_file(&mut self, path: &str, node: &mut Node) {
        string_to_list(node);
        let Value::Seq(items) = &mut node.value else {
            return;
        };
        for (i, item) in items.iter_mut().enumerate() {
            if let Some(text) = item.as_str() {
                *item = map_node(
                    vec![
                        ("path", Node::string(text, item.span)),
                        ("required", plain("true", item.span)),
                    ],
                    item.span,
                );
            } else if let Value::Map(m) = &mut item.value {
                self.casts(&format!("{path}[{i}]"), m, &[("required", Cast::Bool)]);
            }
        }
    }
}

/// The `depends_on` conditions compose knows.
pub const CONDITIONS: &[&str] = &[
    "service_started",
    "service_healthy",
    "service_completed_successfully",
];

/// compose-go's type-cast table for keys directly on a service.
const SERVICE_CASTS: &[(&str, Cast)] = &[
    ("scale", Cast::Count),
    ("cpu_count", Cast::Int),
    ("cpu_period", Cast::Int),
    ("cpu_quota", Cast::Int),
    ("cpu_rt_period", Cast::Micros),
    ("cpu_rt_runtime", Cast::Micros),
    ("cpu_shares", Cast::Int),
    ("oom_score_adj", Cast::Int),
    ("pids_limit", Cast::Int),
    ("cpus", Cast::Float),
    ("cpu_percent", Cast::Float),
    ("init", Cast::Bool),
    ("privileged", Cast::Bool),
    ("read_only", Cast::Bool),
    ("stdin_open", Cast::Bool),
    ("tty", Cast::Bool),
    ("oom_kill_disable", Cast::Bool),
    ("mem_limit", Cast::Bytes),
    ("mem_reservation", Cast::Bytes),
    ("memswap_limit", Cast::Bytes),
    ("shm_size", Cast::Bytes),
    ("stop_grace_period", Cast::Duration),
];

fn port_node(p: &PortSpec, span: Span) -> Node {
    let mut entries = vec![("target", plain(p.target.to_string(), span))];
    if let Some(published) = &p.published {
        entries.push(("published", Node::string(published.clone(), span)));
    }
    if let Some(ip) = &p.host_ip {
        entries.push(("host_ip", Node::string(ip.clone(), span)));
    }
    entries.push(("protocol", Node::string(p.protocol.clone(), span)));
    entries.push(("mode", Node::string("ingress", span)));
    map_node(entries, span)
}

fn volume_node(v: &VolumeSpec, span: Span) -> Node {
    let mut entries = vec![("type", Node::string(v.kind.as_str(), span))];
    if let Some(source) = &v.source {
        entries.push(("source", Node::string(source.clone(), span)));
    }
    entries.push(("target", Node::string(v.target.clone(), span)));
    if v.read_only {
        entries.push(("read_only", plain("true", span)));
    }
    if v.kind == crate::compose::model::VolumeKind::Bind {
        let mut bind = vec![("create_host_path", plain("true", span))];
        if let Some(p) = &v.propagation {
            bind.push(("propagation", Node::string(p.clone(), span)));
        }
        if let Some(s) = &v.selinux {
            bind.push(("selinux", Node::string(s.clone(), span)));
        }
        entries.push(("bind", map_node(bind, span)));
    } else if v.nocopy {
        entries.push((
            "volume",
            map_node(vec![("nocopy", plain("true", span))], span),
        ));
    }
    map_node(entries, span)
}

/// A list of names becomes a mapping of names to null (service `networks:`).
fn list_to_null_map(node: &mut Node) {
    if let Value::Seq(items) = &node.value {
        let mut map = Map::default();
        for item in items {
            if let Some(name) = item.as_str() {
                map.insert(name.to_string(), item.span, plain("null", item.span));
            }
        }
        node.value = Value::Map(map);
    }
}

/// A single string becomes a one-item list.
fn string_to_list(node: &mut Node) {
    if let Some(text) = node.as_str() {
        let span = node.span;
        node.value = Value::Seq(vec![Node::string(text, span)]);
    }
}
