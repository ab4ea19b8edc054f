//! The ComposeX target-group health check shorthand:
//! `port:protocol[:healthy:unhealthy:interval:timeout][:path[:codes]]`,
//! e.g. `5000:HTTP:/healthcheck:200,201` or `5000:TCP:7:2:15:5`.
//!
//! The path runs to the last `:` that is followed by a status-code list, so `/:400` is the path
//! `/` with codes `400` (ComposeX bug #795 read it as the path `/:400`), while `/a:b` stays a path.

use std::ops::Range;

/// A parsed health check string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// `HealthCheckPort`.
    pub port: u16,
    /// `HealthCheckProtocol`: `HTTP`, `HTTPS` or `TCP`.
    pub protocol: String,
    /// Thresholds and timings, when written.
    pub timings: Option<Timings>,
    /// `HealthCheckPath` (HTTP/HTTPS only).
    pub path: Option<String>,
    /// `Matcher.HttpCode` (HTTP/HTTPS only): `200`, `200,201`, `200-299`.
    pub codes: Option<String>,
}

/// The four numbers of the long form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// `HealthyThresholdCount` (2-10).
    pub healthy: u32,
    /// `UnhealthyThresholdCount` (2-10).
    pub unhealthy: u32,
    /// `HealthCheckIntervalSeconds` (5-300).
    pub interval: u32,
    /// `HealthCheckTimeoutSeconds` (2-120, less than the interval).
    pub timeout: u32,
}

/// A parse error: what is wrong and the byte range of the text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheckError {
    /// One line saying what is wrong.
    pub message: String,
    /// Byte range inside the parsed text.
    pub range: Range<usize>,
}

/// Health check protocols a target group accepts.
pub const PROTOCOLS: [&str; 3] = ["HTTP", "HTTPS", "TCP"];

/// The expected shape, for help texts.
pub const SYNTAX: &str = "port:protocol[:healthy:unhealthy:interval:timeout][:path[:codes]], e.g. `5000:HTTP:/health:200` or `5000:TCP:3:3:10:5`";

fn error(message: impl Into<String>, range: Range<usize>) -> HealthCheckError {
    HealthCheckError {
        message: message.into(),
        range,
    }
}

/// Splits off the next `:`-separated field starting at `at`: (field, its range, next offset).
fn field(text: &str, at: usize) -> (&str, Range<usize>, Option<usize>) {
    let rest = text.get(at..).unwrap_or("");
    match rest.find(':') {
        Some(i) => (&rest[..i], at..at + i, Some(at + i + 1)),
        None => (rest, at..text.len(), None),
    }
}

fn number(
    text: &str,
    range: Range<usize>,
    what: &str,
    min: u32,
    max: u32,
) -> Result<u32, HealthCheckError> {
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        Ok(_) => Err(error(
            format!("{what} `{text}` is out of range {min}-{max}"),
            range,
        )),
        Err(_) => Err(error(format!("{what} `{text}` is not a number"), range)),
    }
}

/// True for a status-code list: `200`, `200,201`, `200-299`, `200-299,302`.
pub fn is_code_list(text: &str) -> bool {
    !text.is_empty()
        && text.split(',').all(|part| {
            let mut bounds = part.splitn(2, '-');
            bounds.all(|b| !b.is_empty() && b.len() <= 3 && b.bytes().all(|c| c.is_ascii_digit()))
        })
}

/// Checks every code of a list is an HTTP status ALB accepts for health checks (200-499) and
/// that ranges go upwards.
pub fn check_codes(text: &str) -> Result<(), String> {
    if !is_code_list(text) {
        return Err(format!(
            "`{text}` is not a list of HTTP codes like `200`, `200,201` or `200-299`"
        ));
    }
    for part in text.split(',') {
        let bounds: Vec<u32> = part.split('-').filter_map(|b| b.parse().ok()).collect();
        if bounds.iter().any(|c| !(200..=499).contains(c)) {
            return Err(format!("HTTP code `{part}` is outside 200-499"));
        }
        if let [low, high] = bounds.as_slice() {
            if low > high {
                return Err(format!("HTTP code range `{part}` goes downwards"));
            }
        }
    }
    Ok(())
}

/// Parses a health check string.
pub fn parse(text: &str) -> Result<HealthCheck, HealthCheckError> {
    let (port_text, port_range, next) = field(text, 0);
    let port = number(port_text, port_range.clone(), "health check port", 1, 65535)?;
    let Some(at) = next else {
        return Err(error("missing the protocol after the port", port_range));
    };
    let (protocol, protocol_range, mut next) = field(text, at);
    if !PROTOCOLS.contains(&protocol) {
        return Err(error(
            format!("health check protocol `{protocol}` is not one of HTTP, HTTPS, TCP"),
            protocol_range,
        ));
    }
    let mut timings = None;
    // `port:proto:codes` (no path): a code list up to the end is not the long form.
    let codes_only = next.is_some_and(|at| {
        let rest = &text[at..];
        !rest.contains(':') && is_code_list(rest) && (rest.contains([',', '-']) || rest.len() == 3)
    });
    if let Some(at) =
        next.filter(|&at| !codes_only && text[at..].starts_with(|c: char| c.is_ascii_digit()))
    {
        let mut values = [0u32; 4];
        let names = [
            ("healthy threshold", 2, 10),
            ("unhealthy threshold", 2, 10),
            ("interval", 5, 300),
            ("timeout", 2, 120),
        ];
        let mut at = Some(at);
        let mut timeout_range = 0..0;
        for (slot, (name, min, max)) in values.iter_mut().zip(names) {
            let Some(from) = at else {
                return Err(error(
                    "the long form needs four numbers: healthy:unhealthy:interval:timeout",
                    from_end(text),
                ));
            };
            let (value, range, after) = field(text, from);
            *slot = number(value, range.clone(), name, min, max)?;
            timeout_range = range;
            at = after;
        }
        let [healthy, unhealthy, interval, timeout] = values;
        if timeout >= interval {
            return Err(error(
                format!("timeout {timeout}s must be less than the interval {interval}s"),
                timeout_range,
            ));
        }
        timings = Some(Timings {
            healthy,
            unhealthy,
            interval,
            timeout,
        });
        next = at;
    }
    let (mut path, mut codes) = (None, None);
    if let Some(at) = next {
        let rest = &text[at..];
        if protocol != "TCP" && !rest.starts_with('/') && is_code_list(rest) {
            check_codes(rest).map_err(|m| error(m, at..text.len()))?;
            return Ok(HealthCheck {
                port: u16::try_from(port).unwrap_or(u16::MAX),
                protocol: protocol.to_string(),
                timings,
                path: None,
                codes: Some(rest.to_string()),
            });
        }
        if !rest.starts_with('/') {
            return Err(error(
                format!("expected a path starting with `/`, found `{rest}`"),
                at..text.len(),
            ));
        }
        let (path_text, codes_text) = match rest.rfind(':') {
            Some(i) if is_code_list(&rest[i + 1..]) => {
                (&rest[..i], Some((&rest[i + 1..], at + i + 1)))
            }
            _ => (rest, None),
        };
        if protocol == "TCP" {
            return Err(error(
                "a TCP health check takes no path or codes",
                at..text.len(),
            ));
        }
        if path_text.len() > 1024 {
            return Err(error(
                "the path is longer than 1024 characters",
                at..at + path_text.len(),
            ));
        }
        if let Some((list, from)) = codes_text {
            check_codes(list).map_err(|m| error(m, from..text.len()))?;
            codes = Some(list.to_string());
        }
        path = Some(path_text.to_string());
    }
    Ok(HealthCheck {
        port: u16::try_from(port).unwrap_or(u16::MAX),
        protocol: protocol.to_string(),
        timings,
        path,
        codes,
    })
}

fn from_end(text: &str) -> Range<usize> {
    text.len()..text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> HealthCheck {
        match parse(text) {
            Ok(h) => h,
            Err(e) => panic!("{text}: {e:?}"),
        }
    }

    fn err(text: &str) -> HealthCheckError {
        match parse(text) {
            Ok(h) => panic!("{text} parsed as {h:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn short_forms() {
        let h = ok("5000:HTTP:/healthcheck:200,201");
        assert_eq!((h.port, h.protocol.as_str()), (5000, "HTTP"));
        assert_eq!(h.path.as_deref(), Some("/healthcheck"));
        assert_eq!(h.codes.as_deref(), Some("200,201"));
        assert_eq!(h.timings, None);
        let h = ok("80:HTTP");
        assert_eq!((h.path, h.codes), (None, None));
        let h = ok("8080:HTTPS:/");
        assert_eq!(h.path.as_deref(), Some("/"));
    }

    #[test]
    fn root_path_with_codes_is_not_one_path() {
        // ComposeX #795: `/:400` must be the path `/` and the codes `400`.
        let h = ok("5000:HTTP:/:400");
        assert_eq!(h.path.as_deref(), Some("/"));
        assert_eq!(h.codes.as_deref(), Some("400"));
        // A colon followed by something that is not a code list stays in the path.
        let h = ok("5000:HTTP:/a:b");
        assert_eq!(h.path.as_deref(), Some("/a:b"));
        assert_eq!(h.codes, None);
        let h = ok("5000:HTTP:/x:y:200-299");
        assert_eq!(h.path.as_deref(), Some("/x:y"));
        assert_eq!(h.codes.as_deref(), Some("200-299"));
    }

    #[test]
    fn codes_without_path() {
        let h = ok("5000:HTTP:200,201,404");
        assert_eq!((h.path, h.codes.as_deref()), (None, Some("200,201,404")));
        let h = ok("5000:HTTP:200");
        assert_eq!(h.codes.as_deref(), Some("200"));
        let h = ok("5000:HTTP:3:3:10:5:200-299");
        assert_eq!(
            (h.timings.map(|t| t.healthy), h.codes.as_deref()),
            (Some(3), Some("200-299"))
        );
        assert!(
            err("5000:TCP:200").message.contains("out of range")
                || err("5000:TCP:200").message.contains("path")
        );
    }

    #[test]
    fn long_forms() {
        let h = ok("5000:HTTP:5:2:15:3:/ping.This.Method:200,201");
        assert_eq!(
            h.timings,
            Some(Timings {
                healthy: 5,
                unhealthy: 2,
                interval: 15,
                timeout: 3
            })
        );
        assert_eq!(h.path.as_deref(), Some("/ping.This.Method"));
        let h = ok("5000:TCP:7:2:15:5");
        assert_eq!(h.timings.map(|t| t.timeout), Some(5));
        assert_eq!(h.path, None);
    }

    #[test]
    fn errors_point_at_the_field() {
        let text = "5000:HTTQ:/";
        let e = err(text);
        assert_eq!(&text[e.range.clone()], "HTTQ");
        let text = "99999:HTTP";
        assert_eq!(&text[err(text).range], "99999");
        let text = "5000:HTTP:5:2:15";
        assert!(err(text).message.contains("four numbers"));
        let text = "5000:HTTP:5:2:10:10:/";
        let e = err(text);
        assert!(e.message.contains("less than the interval"), "{e:?}");
        assert_eq!(&text[e.range], "10");
        let text = "5000:HTTP:1:2:10:5";
        assert_eq!(&text[err(text).range], "1");
        let text = "5000:TCP:/ping";
        assert!(err(text).message.contains("TCP"));
        let text = "5000:HTTP:/ping:600";
        let e = err(text);
        assert_eq!(&text[e.range.clone()], "600");
        assert!(e.message.contains("200-499"));
        let text = "5000:HTTP:ping";
        assert!(err(text).message.contains("starting with `/`"));
        assert_eq!(&"5000"[err("5000").range], "5000");
        assert!(err("").message.contains("not a number"));
    }

    #[test]
    fn code_lists() {
        assert!(is_code_list("200"));
        assert!(is_code_list("200,201"));
        assert!(is_code_list("200-299,302"));
        assert!(!is_code_list(""));
        assert!(!is_code_list("abc"));
        assert!(!is_code_list("200-"));
        assert!(check_codes("299-200").is_err());
    }
}
