//! How a family's tasks are replaced and how much disk they get: compose `deploy.update_config`
//! (`order`, `parallelism`) as the ECS deployment percentages, and `storage_opt.size` or the
//! ComposeX deploy label `ecs.ephemeral.storage` as the task's ephemeral storage.

use super::{CLAMPED, X_ECS};
use crate::compose::model::{Service, UpdateConfig};
use crate::diagnostic::Diagnostic;

/// `storage_opt.size` outside what Fargate offers (21-200 GiB).
pub const STORAGE_SIZE: &str = "CX278";
/// `update_config` the ECS percentages cannot follow (x-aws-min_percent / max_percent win).
pub const UPDATE_ORDER: &str = "CX279";

/// Fargate's ephemeral storage range, GiB (20 GiB is the default, not a setting).
const STORAGE_GIB: std::ops::RangeInclusive<u64> = 21..=200;

/// `MinimumHealthyPercent` / `MaximumPercent`: `x-aws-min_percent` / `x-aws-max_percent` when
/// given (the ECS plugin keys, on the service or in `update_config`), else from `update_config` as swarm replaces tasks, `parallelism`
/// (default 1) at a time out of `replicas`: `stop-first` (compose's default order) lets that many
/// stop before their replacements start (minimum below 100, maximum 100), `start-first` starts
/// them first (minimum 100, maximum above 100). One task, stop-first: 0 / 100.
pub fn percents(services: &[&Service], replicas: u32, diags: &mut Vec<Diagnostic>) -> (u32, u32) {
    let mut read = |key: &str, range: std::ops::RangeInclusive<i64>| {
        // On the service (as ComposeX reads them) or in `deploy.update_config` (as Docker's ECS
        // integration did).
        let (service, n) = services.iter().find_map(|s| {
            s.extension(key)
                .or_else(|| s.deploy.update_config.as_ref()?.extensions.get(key))
                .map(|n| (s, n))
        })?;
        match n.integer().filter(|v| range.contains(v)) {
            Some(v) => Some((v as u32, service.name.as_str())),
            None => {
                diags.push(Diagnostic::error(
                    X_ECS,
                    format!(
                        "{key} must be a percentage in {}..{}",
                        range.start(),
                        range.end()
                    ),
                    n.span,
                ));
                None
            }
        }
    };
    let min = read("x-aws-min_percent", 0..=100);
    let max = read("x-aws-max_percent", 100..=200);
    let update = services.iter().find_map(|s| {
        s.deploy
            .update_config
            .as_ref()
            .filter(|u| u.order.is_some() || u.parallelism.is_some())
    });
    let Some(update) = update else {
        return (min.map_or(100, |m| m.0), max.map_or(200, |m| m.0));
    };
    if let Some((_, service)) = min.or(max) {
        let span = update
            .order
            .as_ref()
            .map(|o| o.span)
            .or(update.parallelism.as_ref().map(|p| p.span));
        if let Some(span) = span {
            diags.push(
                Diagnostic::warning(
                    UPDATE_ORDER,
                    format!("deploy.update_config is not used: x-aws-min_percent / x-aws-max_percent of {service} set the deployment percentages"),
                    span,
                )
                .with_help("keep one of them: update_config (order, parallelism) or the x-aws percentages"),
            );
        }
        return (min.map_or(100, |m| m.0), max.map_or(200, |m| m.0));
    }
    from_update_config(update, replicas)
}

/// The percentages that replace `parallelism` of `replicas` tasks at a time in `order`.
fn from_update_config(update: &UpdateConfig, replicas: u32) -> (u32, u32) {
    let tasks = u64::from(replicas.max(1));
    // 0 is all at once; compose's default is one at a time.
    let at_once = match update.parallelism.as_ref().map(|p| p.value) {
        Some(0) => tasks,
        Some(n) => n.min(tasks),
        None => 1,
    };
    let start_first = update
        .order
        .as_ref()
        .is_some_and(|o| o.value == "start-first");
    if start_first {
        // ECS runs at most floor(tasks * max / 100): round up so `at_once` more fit.
        let extra = (100 * at_once).div_ceil(tasks);
        (100, (100 + extra).min(200) as u32)
    } else {
        // ECS keeps at least ceil(tasks * min / 100) running: round down.
        let kept = 100 * (tasks - at_once) / tasks;
        (kept as u32, 100)
    }
}

/// The task's ephemeral storage in GiB, when more than Fargate's default 20 GiB: the largest of
/// the family's `storage_opt.size` (21-200 GiB, an error outside) and ComposeX's deploy label
/// `ecs.ephemeral.storage` (GiB or a size; 21 GiB and less is the default, more than 200 capped).
pub fn ephemeral_storage(services: &[&Service], diags: &mut Vec<Diagnostic>) -> Option<u32> {
    const LABEL: &str = "ecs.ephemeral.storage";
    let mut largest: Option<u32> = None;
    let mut keep = |gib: u32| largest = Some(largest.map_or(gib, |l: u32| l.max(gib)));
    for s in services {
        if let Some(size) = &s.storage_size {
            let gib = size.value.div_ceil(1 << 30);
            if STORAGE_GIB.contains(&gib) {
                keep(gib as u32);
            } else {
                diags.push(
                    Diagnostic::error(
                        STORAGE_SIZE,
                        format!(
                            "services.{}.storage_opt.size is {gib} GiB: Fargate gives a task 21 to 200 GiB of ephemeral storage",
                            s.name
                        ),
                        size.span,
                    )
                    .with_help("every Fargate task has 20 GiB without asking: leave `storage_opt` out for that, or ask for 21G to 200G"),
                );
            }
        }
        let Some(value) = s.deploy.labels.get(LABEL) else {
            continue;
        };
        let value = value.trim();
        let gib = match value.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Some(n.ceil().min(f64::from(u32::MAX)) as u32),
            Ok(_) => None,
            Err(_) => crate::compose::normalize::parse_bytes(value)
                .ok()
                .filter(|b| *b >= 0)
                .map(|b| u32::try_from((b as u64).div_ceil(1 << 30)).unwrap_or(u32::MAX)),
        };
        let Some(mut gib) = gib else {
            diags.push(Diagnostic::error(
                X_ECS,
                format!("services.{}: deploy label {LABEL} `{value}` is not a size (GiB or e.g. `50GB`)", s.name),
                s.span,
            ));
            continue;
        };
        if gib > 200 {
            diags.push(Diagnostic::warning(
                CLAMPED,
                format!(
                    "services.{}: {LABEL} {gib} GiB is more than Fargate's 200 GiB; 200 is used",
                    s.name
                ),
                s.span,
            ));
            gib = 200;
        }
        keep(gib);
    }
    largest.filter(|g| *g > 21)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::Spanned;
    use crate::diagnostic::Span;

    fn update(order: Option<&str>, parallelism: Option<u64>) -> UpdateConfig {
        UpdateConfig {
            order: order.map(|o| Spanned::new(o.to_string(), Span::default())),
            parallelism: parallelism.map(|p| Spanned::new(p, Span::default())),
            ..UpdateConfig::default()
        }
    }

    #[test]
    fn stop_first_lets_parallelism_tasks_stop_first() {
        // One task: stop it, then start the new one.
        assert_eq!(
            from_update_config(&update(Some("stop-first"), None), 1),
            (0, 100)
        );
        // Four tasks, one at a time: three keep running (ceil(4 * 75%) = 3).
        assert_eq!(from_update_config(&update(None, Some(1)), 4), (75, 100));
        // Three tasks, two at a time: one keeps running (ceil(3 * 33%) = 1).
        assert_eq!(from_update_config(&update(None, Some(2)), 3), (33, 100));
        // All at once.
        assert_eq!(
            from_update_config(&update(Some("stop-first"), Some(0)), 5),
            (0, 100)
        );
    }

    #[test]
    fn start_first_starts_parallelism_tasks_first() {
        assert_eq!(
            from_update_config(&update(Some("start-first"), None), 1),
            (100, 200)
        );
        // Four tasks, one at a time: at most five run (floor(4 * 125%) = 5).
        assert_eq!(
            from_update_config(&update(Some("start-first"), Some(1)), 4),
            (100, 125)
        );
        // Three tasks, one at a time: floor(3 * 134%) = 4.
        assert_eq!(
            from_update_config(&update(Some("start-first"), Some(1)), 3),
            (100, 134)
        );
        // More than the tasks: all of them, at most double.
        assert_eq!(
            from_update_config(&update(Some("start-first"), Some(9)), 3),
            (100, 200)
        );
    }
}
