//! CloudFormation's quotas on one template, checked on the finished files so that a project
//! CloudFormation would refuse fails here, with the stack named, instead of at deploy time.
//!
//! The values are CloudFormation's documented quotas (the ones cfn-lint checks as well): 500
//! resources, 200 parameters, outputs and mappings, names of 255 characters, a template body of
//! 1,000,000 bytes from S3 and 51,200 bytes sent in the request itself.

use std::collections::BTreeMap;

use super::layout::{file_name, LaidStack};
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::{Format, Layout};

/// A template goes past one of CloudFormation's quotas.
pub const TEMPLATE_QUOTA: &str = "CX404";
/// The root template is too big to send in the request: it has to go through S3.
pub const NEEDS_S3: &str = "CX405";

const MAX_RESOURCES: usize = 500;
const MAX_PARAMETERS: usize = 200;
const MAX_OUTPUTS: usize = 200;
const MAX_MAPPINGS: usize = 200;
const MAX_NAME: usize = 255;
const MAX_BODY_S3: usize = 1_000_000;
const MAX_BODY_REQUEST: usize = 51_200;

/// Where in the compose files each stack comes from, read off the project before it is
/// dropped (quota errors point there): a stack's x-module, else its family's first service; the
/// root stands for the whole project (its first service).
#[derive(Debug, Clone, Default)]
pub struct Origins {
    root: Option<Span>,
    stacks: BTreeMap<String, Span>,
}

impl Origins {
    /// The origins of every stack `project` can make.
    pub fn of(project: &Project) -> Self {
        let mut stacks = BTreeMap::new();
        // A stack named after an x-module points at the module's key, before any family.
        for (key, node) in &project.extensions {
            if let Some(module) = key.strip_prefix("x-") {
                stacks.insert(module.to_string(), node.span);
            }
        }
        for service in project.services.values() {
            for family in service.families() {
                stacks.entry(family).or_insert(service.span);
            }
        }
        Origins {
            root: project.services.values().next().map(|s| s.span),
            stacks,
        }
    }

    fn of_stack(&self, stack: &str, is_root: bool) -> Option<Span> {
        if is_root {
            return self.root;
        }
        self.stacks.get(stack).copied()
    }
}

/// Checks laid-out stack number `index` (the root is 0) against the quotas; `size` is the
/// length of its rendered template.
pub fn check(
    index: usize,
    stack: &LaidStack,
    size: usize,
    origins: &Origins,
    layout: Layout,
    format: Format,
    diags: &mut Vec<Diagnostic>,
) {
    let is_root = index == 0;
    let template = &stack.template;
    let path = file_name(&stack.name, format);
    let error = |message: String| {
        let diagnostic = Diagnostic::new(Severity::Error, TEMPLATE_QUOTA, message);
        match origins.of_stack(&stack.name, is_root) {
            Some(span) => diagnostic.at(span),
            None => diagnostic,
        }
    };
    let counts = [
        ("resources", template.resources.len(), MAX_RESOURCES),
        ("parameters", template.parameters.len(), MAX_PARAMETERS),
        ("outputs", template.outputs.len(), MAX_OUTPUTS),
        ("mappings", template.mappings.len(), MAX_MAPPINGS),
    ];
    for (what, count, max) in counts {
        if count > max {
            let message = format!(
                "{path} would declare {count} {what}; CloudFormation takes at most {max} per template"
            );
            diags.push(error(message).with_help(split_help(is_root, layout)));
        }
    }
    let names = template
        .resources
        .keys()
        .chain(template.parameters.keys())
        .chain(template.outputs.keys());
    if let Some(name) = names.into_iter().find(|n| n.len() > MAX_NAME) {
        let start: String = name.chars().take(40).collect();
        let message = format!(
            "{path}: the logical id `{start}...` is {} characters long; CloudFormation takes at most {MAX_NAME}",
            name.len()
        );
        diags.push(error(message).with_help("shorten the name it comes from"));
    }
    if size > MAX_BODY_S3 {
        let message = format!(
            "{path} is {size} bytes; CloudFormation reads templates of at most {MAX_BODY_S3} bytes"
        );
        diags.push(error(message).with_help(split_help(is_root, layout)));
    } else if is_root && size > MAX_BODY_REQUEST {
        diags.push(Diagnostic::new(
            Severity::Info,
            NEEDS_S3,
            format!(
                "{path} is {size} bytes, over the {MAX_BODY_REQUEST} bytes CloudFormation takes in a request: deploy it from S3 (`aws cloudformation package`, or `deploy --s3-bucket`)"
            ),
        ));
    }
}

fn split_help(is_root: bool, layout: Layout) -> &'static str {
    match (is_root, layout) {
        (true, Layout::Single) => "render without --single: each task family and x-module gets its own nested stack",
        (true, Layout::Nested) => "the root holds one nested stack per task family: split the project into several compose projects, each rendered with its own name (-n)",
        (false, _) => "split the task family (the ecs.task.family label) or the x-module's resources into several",
    }
}
