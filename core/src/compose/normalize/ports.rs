//! Port short syntax, as docker/go-connections `nat.ParsePortSpec` reads it and compose-go turns it
//! into long-form port entries.

use std::net::IpAddr;

/// One port entry of the long syntax, before spans are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    /// Container port.
    pub target: u16,
    /// Host port or host range; `None` when not published.
    pub published: Option<String>,
    /// Host IP without brackets.
    pub host_ip: Option<String>,
    /// Lower-case protocol.
    pub protocol: String,
}

/// The protocols compose accepts.
pub const PROTOCOLS: &[&str] = &["tcp", "udp", "sctp"];

/// Parses `[[host_ip:]published:]target[/protocol]` (ranges allowed on both sides) into one entry
/// per container port. Errors use go-connections' wording.
pub fn parse_port_spec(raw: &str) -> Result<Vec<PortSpec>, String> {
    let (ip, host_port, container_and_proto) = split_parts(raw);
    let (proto, container_port) = split_proto_port(container_and_proto);
    let ip = match ip.strip_prefix('[') {
        Some(inner) => match inner.strip_suffix(']') {
            Some(inner) if !inner.contains(['[', ']']) => inner,
            _ => return Err(format!("invalid IP address: {ip}")),
        },
        None => ip,
    };
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    if container_port.is_empty() {
        return Err(format!("no port specified: {raw}<empty>"));
    }
    let (start, end) = parse_port_range(container_port)
        .map_err(|_| format!("invalid containerPort: {container_port}"))?;
    let (host_start, host_end) = if host_port.is_empty() {
        (0, 0)
    } else {
        parse_port_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?
    };
    if !host_port.is_empty() && end - start != host_end - host_start && end != start {
        return Err(format!(
            "invalid ranges specified for container and host Ports: {container_port} and {host_port}"
        ));
    }
    let protocol = proto.to_ascii_lowercase();
    if !PROTOCOLS.contains(&protocol.as_str()) {
        return Err(format!("invalid proto: {proto}"));
    }
    let mut specs = Vec::new();
    for offset in 0..=(end - start) {
        let published = if host_port.is_empty() {
            None
        } else if start == end && host_start != host_end {
            Some(format!("{host_start}-{host_end}"))
        } else {
            Some((u32::from(host_start) + u32::from(offset)).to_string())
        };
        specs.push(PortSpec {
            target: start + offset,
            published,
            host_ip: (!ip.is_empty()).then(|| ip.to_string()),
            protocol: protocol.clone(),
        });
    }
    Ok(specs)
}

/// Splits on `:` from the right: the last part is the container port, the one before it the host
/// port, everything before that the IP (so `::1:80:80` keeps `::1`).
fn split_parts(raw: &str) -> (&str, &str, &str) {
    let Some((rest, container)) = raw.rsplit_once(':') else {
        return ("", "", raw);
    };
    match rest.rsplit_once(':') {
        Some((ip, host)) => (ip, host, container),
        None => ("", rest, container),
    }
}

fn split_proto_port(raw: &str) -> (&str, &str) {
    let mut parts = raw.split('/');
    let port = parts.next().unwrap_or("");
    if port.is_empty() {
        return ("", "");
    }
    match parts.next() {
        None | Some("") => ("tcp", port),
        Some(proto) => (proto, port),
    }
}

/// `80` or `80-90` (end not below start), each a 16-bit number.
pub fn parse_port_range(raw: &str) -> Result<(u16, u16), String> {
    let number = |s: &str| -> Result<u16, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("invalid port: {s}"));
        }
        s.parse().map_err(|_| format!("invalid port: {s}"))
    };
    match raw.split_once('-') {
        None => number(raw).map(|p| (p, p)),
        Some((a, b)) => {
            let (start, end) = (number(a)?, number(b)?);
            if end < start {
                return Err(format!("invalid range specified: {raw}"));
            }
            Ok((start, end))
        }
    }
}
