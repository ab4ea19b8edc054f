//! The pipeline, the top layer: load → validate (both in [`crate::compose`]) → plan and emit the
//! network, cluster and task families ([`crate::emit`]) → the x-modules ([`crate::modules`]) →
//! tags → layout → limits → files ([`crate::stack`]). Only this module knows every stage; the
//! stages below it import downwards only (`stack` at the bottom, `emit` and `modules` side by
//! side above it).

use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::{self, Stacks};
use crate::{emit, modules, Input, Output, OutputFile};

/// Renders the compose files into CloudFormation templates and parameter files (none when the
/// input has errors; every problem is in `diagnostics`).
pub fn render(input: &Input) -> Output {
    let mut loaded = crate::compose::load(input);
    // The typed project is all the later stages read: the tree goes before they allocate.
    loaded.tree = None;
    let mut diagnostics = loaded.diagnostics;
    let mut files = Vec::new();
    let loaded_ok = !diagnostics.iter().any(Diagnostic::is_error);
    if let Some(project) = loaded.project.as_ref().filter(|_| loaded_ok) {
        let (rendered, more) = render_project(input, project);
        files = rendered;
        diagnostics.extend(more);
    }
    Output { files, diagnostics }.finish(input)
}

/// Nothing to deploy: no services and no x-vpc / x-cluster.
pub const NOTHING_TO_DEPLOY: &str = "CX391";

/// Everything after loading: the emitters fill the stacks, then layout and files. Errors from
/// any stage leave the files empty (the caller's `Output::finish` drops them).
pub fn render_project(input: &Input, project: &Project) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some((stacks, tags)) = build_stacks(input, project, &mut diagnostics) else {
        return (Vec::new(), diagnostics);
    };
    // An emitter that refused part of the input leaves imports nobody exports: wiring the rest
    // would only add internal errors after the user's own.
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (Vec::new(), diagnostics);
    }
    let options = &input.options;
    // The layout takes the stacks over; the parameter files need only these two tables.
    let mut stacks = stacks;
    let known_values = std::mem::take(&mut stacks.known_values);
    let unfilled_warnings = std::mem::take(&mut stacks.unfilled_warnings);
    let (laid, wiring) = stack::layout::layout_owned(stacks, options.layout, options.format);
    diagnostics.extend(wiring);
    if laid
        .first()
        .is_none_or(|root| root.template.resources.is_empty())
    {
        diagnostics.push(
            Diagnostic::new(
                crate::Severity::Warning,
                NOTHING_TO_DEPLOY,
                "nothing to deploy: the templates would hold no resource",
            )
            .with_help(
                "an existing VPC and cluster are only parameters: add a service that runs in them",
            ),
        );
        return (Vec::new(), diagnostics);
    }
    let mut files: Vec<OutputFile> = laid
        .iter()
        .map(|s| OutputFile {
            path: stack::layout::file_name(&s.name, options.format),
            text: s.template.render(options.format),
        })
        .collect();
    stack::limits::check(
        &laid,
        &files,
        project,
        options.layout,
        options.format,
        &mut diagnostics,
    );
    files.extend(stack::params::files(
        &laid,
        options,
        &known_values,
        &unfilled_warnings,
        &tags,
        &mut diagnostics,
    ));
    (files, diagnostics)
}

/// Runs every emitter over `project`; None when there is nothing to deploy. Returns the stacks
/// and the x-tags (for the parameter files).
pub fn build_stacks(
    input: &Input,
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Stacks, Vec<(String, String)>)> {
    let x_vpc = project.extension("x-vpc");
    let x_cluster = project.extension("x-cluster");
    let x_aws_cluster = project.extension("x-aws-cluster");
    if project.services.is_empty()
        && x_vpc.is_none()
        && x_cluster.is_none()
        && x_aws_cluster.is_none()
    {
        diagnostics.push(
            Diagnostic::new(
                crate::Severity::Warning,
                NOTHING_TO_DEPLOY,
                "nothing to deploy: no services, x-vpc or x-cluster",
            )
            .with_help("add a service under `services:`"),
        );
        return None;
    }
    let name = match input.options.project_name.trim() {
        "" => "composex",
        n => n,
    };
    let mut stacks = Stacks::new(name);
    emit::network::emit(x_vpc, &mut stacks, diagnostics);
    emit::cluster::emit(x_cluster, x_aws_cluster, &mut stacks, diagnostics);
    // Task families and services, each into its own stack; the stacks of the x-modules are
    // reserved names a family must not take.
    let reserved = crate::registry::reserved_stacks();
    let secrets = emit::ecs::read_secrets(project, diagnostics);
    let mut families = emit::ecs::plan(project, &secrets, &reserved, &mut stacks, diagnostics);
    // The x-modules return what they add to the families; each family is then written once.
    let resource_modules: Vec<_> = crate::registry::resource_modules().collect();
    let links = modules::emit(project, &resource_modules, &mut stacks, diagnostics);
    let mut load_balanced = modules::elbv2::emit(project, &mut stacks, diagnostics);
    // Plain compose: published ports without x-elbv2 get one load balancer for the project.
    let serving = families.serving(&links);
    load_balanced.extend(emit::project_lb::emit(
        project,
        &serving,
        &mut stacks,
        diagnostics,
    ));
    emit::ecs::write(
        &mut families,
        &links,
        &load_balanced,
        project,
        &mut stacks,
        diagnostics,
    );
    let tags = emit::tags::read(project.extension("x-tags"), diagnostics);
    emit::tags::apply(&tags, &mut stacks);
    Some((stacks, tags))
}
