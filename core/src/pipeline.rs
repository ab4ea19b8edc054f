//! The pipeline, the top layer: load → validate (both in [`crate::compose`]) → plan and emit the
//! network, cluster and task families ([`crate::emit`]) → the x-modules ([`crate::modules`]) →
//! tags → security posture → layout → the `x-aws-cloudformation` overlay → limits → files ([`crate::stack`]). Only this module knows every stage; the
//! stages below it import downwards only (`stack` at the bottom, `emit` and `modules` side by
//! side above it).

use crate::cfn::Template;
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::graph::Graph;
use crate::sourcemap::{self, SourceMap};
use crate::stack::{self, Stacks};
use crate::{emit, modules, Input, Output, OutputFile};

/// Renders the compose files into CloudFormation templates and parameter files (none when the
/// input has errors; every problem is in `diagnostics`).
pub fn render(input: &Input) -> Output {
    run(input, false).0
}

/// [`render`] with the source map, plus the resource graph of the project (None when the
/// compose files could not be loaded into a project).
pub fn render_with_graph(input: &Input) -> (Output, Option<Graph>) {
    run(input, true)
}

/// Load, render and (when `graph`) build the graph from the same loaded project. The graph
/// needs the source map, so asking for it maps the render without copying the input (the
/// playground does this on every keystroke).
fn run(input: &Input, graph: bool) -> (Output, Option<Graph>) {
    run_loaded(input, crate::compose::load(input), graph)
}

/// [`render`] from `loaded`, which is [`crate::compose::load`] of this same `input`: a caller that
/// loaded to learn which extra files to read (the CLI) renders without loading a second time.
pub fn render_loaded(input: &Input, loaded: crate::compose::Loaded) -> Output {
    run_loaded(input, loaded, false).0
}

/// [`run`] after loading.
fn run_loaded(
    input: &Input,
    mut loaded: crate::compose::Loaded,
    graph: bool,
) -> (Output, Option<Graph>) {
    let mapped = graph || input.options.source_map;
    // The typed project is all the later stages read: the tree goes before they allocate
    // (the graph reads it).
    if !graph {
        loaded.tree = None;
    }
    let mut diagnostics = loaded.diagnostics;
    let mut source_map = SourceMap::new();
    let loaded_ok = !diagnostics.iter().any(Diagnostic::is_error);
    // Without the graph nothing reads the project after the emitters: it is handed over, to
    // be dropped before the layout allocates.
    let handed_over = if graph { None } else { loaded.project.take() };
    let (files, more) = match (handed_over, loaded.project.as_ref()) {
        (Some(project), _) if loaded_ok => {
            render_owned_project(input, project, mapped, &mut source_map)
        }
        (None, Some(project)) if loaded_ok => {
            render_project_mapped(input, project, mapped, &mut source_map)
        }
        _ => (Vec::new(), Vec::new()),
    };
    diagnostics.extend(more);
    let output = Output {
        files,
        diagnostics,
        source_map,
    }
    .finish(input);
    let project = loaded.project.as_ref().filter(|_| graph);
    let graph = project.map(|project| {
        let sources = input.sources();
        Graph::build(project, loaded.tree.as_ref(), &output.source_map, &sources)
    });
    (output, graph)
}

/// From this many services on, each family's stack is compacted once written (see
/// [`stack::compact`]): every stack stays alive until the layout, and at 1,000 services their
/// spare room is about 10 MiB, for about 7% more time. A smaller project is not worth that
/// time, nor is a mapped render (the playground's keystroke, where latency is what counts).
const COMPACT_FROM_SERVICES: usize = 50;

/// Nothing to deploy: no services and no x-vpc / x-cluster.
pub const NOTHING_TO_DEPLOY: &str = "CX391";

/// Everything after loading: the emitters fill the stacks, then layout and files. Errors from
/// any stage leave the files empty (the caller's `Output::finish` drops them).
pub fn render_project(input: &Input, project: &Project) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mapped = input.options.source_map;
    render_project_mapped(input, project, mapped, &mut SourceMap::new())
}

/// [`render_project`], also filling `source_map` when `mapped`.
fn render_project_mapped(
    input: &Input,
    project: &Project,
    mapped: bool,
    source_map: &mut SourceMap,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(built) = build_checked(input, project, mapped, &mut diagnostics) else {
        return (Vec::new(), diagnostics);
    };
    let read = ReadLater::of(project);
    lay_out_and_write(input, built, &read, mapped, source_map, diagnostics)
}

/// [`render_project_mapped`] of a project nobody reads afterwards: it is dropped as soon as
/// the emitters are done (at 1,000 services it is about 5 MiB the layout need not share).
fn render_owned_project(
    input: &Input,
    project: Project,
    mapped: bool,
    source_map: &mut SourceMap,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(built) = build_checked(input, &project, mapped, &mut diagnostics) else {
        return (Vec::new(), diagnostics);
    };
    let read = ReadLater::of(&project);
    drop(project);
    lay_out_and_write(input, built, &read, mapped, source_map, diagnostics)
}

/// What the stages after the emitters read of the project.
struct ReadLater {
    /// Docker's `x-aws-cloudformation` fragment.
    overlay: Option<crate::yaml::Node>,
    /// Where each stack comes from (quota errors).
    origins: stack::limits::Origins,
}

impl ReadLater {
    fn of(project: &Project) -> Self {
        ReadLater {
            overlay: project.extension("x-aws-cloudformation").cloned(),
            origins: stack::limits::Origins::of(project),
        }
    }
}

/// [`build`], None also when an emitter reported an error.
fn build_checked(
    input: &Input,
    project: &Project,
    mapped: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Stacks, Vec<(String, String)>)> {
    let built = build(input, project, mapped, diagnostics)?;
    // An emitter that refused part of the input leaves imports nobody exports: wiring the rest
    // would only add internal errors after the user's own.
    if diagnostics.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(built)
}

/// The stages after the emitters: layout, overlay, source map, the templates' texts, quotas and
/// parameter files.
fn lay_out_and_write(
    input: &Input,
    (stacks, tags): (Stacks, Vec<(String, String)>),
    read: &ReadLater,
    mapped: bool,
    source_map: &mut SourceMap,
    mut diagnostics: Vec<Diagnostic>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let options = &input.options;
    // The layout takes the stacks over; the parameter files need only these two tables.
    let mut stacks = stacks;
    let known_values = std::mem::take(&mut stacks.known_values);
    let unfilled_warnings = std::mem::take(&mut stacks.unfilled_warnings);
    let flat_ids = match read.overlay {
        Some(_) => stack::layout::FlatIds::Record,
        None => stack::layout::FlatIds::Skip,
    };
    let (mut laid, wiring) =
        stack::layout::layout_owned(stacks, options.layout, options.format, flat_ids);
    diagnostics.extend(wiring);
    // Docker's escape hatch: a fragment merged into the finished templates, before the quotas.
    if let Some(overlay) = &read.overlay {
        stack::overlay::apply(&mut laid, overlay, &mut diagnostics);
    }
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
    if mapped {
        *source_map = sourcemap::build(&laid, options.format, &input.sources());
    }
    // Each stack's text and parameter files are written in one visit, while its template is
    // in cache, then the stack goes (a big project's templates are cold by the next pass).
    let mut files: Vec<OutputFile> = Vec::with_capacity(laid.len());
    let mut param_files = Vec::new();
    let mut param_diagnostics = Vec::new();
    let mut laid = laid.into_iter();
    let Some(mut root) = laid.next() else {
        return (files, diagnostics);
    };
    files.push(write_text(0, &mut root, read, options, &mut diagnostics));
    // The root's parameters stay: every stack's parameter files read their values.
    let root_values = stack::params::RootValues::of(
        &root,
        options,
        &known_values,
        &unfilled_warnings,
        &tags,
        &mut param_diagnostics,
    );
    root_values.files(0, &root, &mut param_files);
    for (index, mut laid_stack) in (1..).zip(laid) {
        files.push(write_text(
            index,
            &mut laid_stack,
            read,
            options,
            &mut diagnostics,
        ));
        root_values.files(index, &laid_stack, &mut param_files);
    }
    // In the order of the separate passes they replace: texts, then parameter files.
    files.extend(param_files);
    diagnostics.extend(param_diagnostics);
    (files, diagnostics)
}

/// The text of the `index`-th laid stack, checked against the quotas. The text replaces the
/// template, of which only the parameters stay (the parameter files read them).
fn write_text(
    index: usize,
    laid_stack: &mut stack::layout::LaidStack,
    read: &ReadLater,
    options: &crate::Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> OutputFile {
    let text = laid_stack.template.render(options.format);
    stack::limits::check(
        index,
        laid_stack,
        text.len(),
        &read.origins,
        options.layout,
        options.format,
        diagnostics,
    );
    let parameters = std::mem::take(&mut laid_stack.template.parameters);
    laid_stack.template = Template::default();
    laid_stack.template.parameters = parameters;
    OutputFile {
        path: stack::layout::file_name(&laid_stack.name, options.format),
        text,
    }
}

/// Runs every emitter over `project`; None when there is nothing to deploy. Returns the stacks
/// and the x-tags (for the parameter files).
pub fn build_stacks(
    input: &Input,
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Stacks, Vec<(String, String)>)> {
    build(input, project, input.options.source_map, diagnostics)
}

/// [`build_stacks`], recording each definition's origin when `mapped`.
fn build(
    input: &Input,
    project: &Project,
    mapped: bool,
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
    // As docker compose: the given name, else the file's top-level `name:`.
    let from_file = project.name.as_ref().map(|n| n.value.trim());
    let name = match input.options.project_name.trim() {
        "" => from_file.filter(|n| !n.is_empty()).unwrap_or("composex"),
        n => n,
    };
    let mut stacks = Stacks::new(name);
    if mapped {
        stacks.track_origins();
    }
    if !mapped && project.services.len() >= COMPACT_FROM_SERVICES {
        stacks.compact_finished_stacks();
    }
    // About one stack per service (its family), plus the network's, cluster's and modules'.
    stacks.reserve(project.services.len() + 2);
    // The source map: what no compose key asked for (a default VPC and cluster, the project's
    // load balancer) comes from the project as a whole, its first file.
    let whole = Span::new(0, 0, input.files.first().map_or(0, |f| f.text.len()));
    let x_aws_vpc = project.extension("x-aws-vpc");
    emit::network::emit(x_vpc, x_aws_vpc, &mut stacks, diagnostics);
    stacks.note_origin(x_vpc.or(x_aws_vpc).map_or(whole, |n| n.span));
    let gpu_wanted = project
        .services
        .values()
        .any(|s| s.deploy.devices.is_some());
    emit::cluster::emit(
        x_cluster,
        x_aws_cluster,
        gpu_wanted,
        &mut stacks,
        diagnostics,
    );
    stacks.note_origin(x_cluster.or(x_aws_cluster).map_or(whole, |n| n.span));
    // Task families and services, each into its own stack; the stacks of the x-modules are
    // reserved names a family must not take.
    let reserved = crate::registry::reserved_stacks();
    let secrets = emit::ecs::read_secrets(project, diagnostics);
    let mut families = emit::ecs::plan(project, &secrets, &reserved, &mut stacks, diagnostics);
    // The x-modules return what they add to the families; each family is then written once.
    let resource_modules: Vec<_> = crate::registry::resource_modules().collect();
    stacks.note_origin(whole);
    let links = modules::emit(
        project,
        &resource_modules,
        &mut stacks,
        input.options.check_properties,
        diagnostics,
    );
    let mut load_balanced = modules::elbv2::emit(project, &mut stacks, diagnostics);
    // Plain compose: published ports without x-elbv2 get one load balancer for the project.
    let serving = families.serving(&links);
    load_balanced.extend(emit::project_lb::emit(
        project,
        &serving,
        &mut stacks,
        diagnostics,
    ));
    stacks.note_origin(first_published_port(project).unwrap_or(whole));
    let extras = emit::ecs::plan_extras(&mut families, project, &mut stacks, diagnostics);
    stacks.note_origin(whole);
    let tags = emit::tags::read(project.extension("x-tags"), diagnostics);
    // A family's stack is finished as soon as it is complete, while it is in cache, when
    // nothing after the emitters reads its resources: tags, the security checks we do not
    // follow, what the nested layout does to its own imports, and its resources written as
    // text. The source map, the overlay and the single layout read the resources later.
    let freezing = !mapped
        && project.extension("x-aws-cloudformation").is_none()
        && input.options.layout == crate::Layout::Nested;
    let mut finish = |stack: &mut stack::Stack| {
        if freezing {
            emit::tags::apply_to(&tags, stack);
            stack::posture::apply_to(stack);
            stack::layout::resolve_own_imports(stack);
            stack.template.freeze_resources(input.options.format);
        }
    };
    emit::ecs::write(
        &mut families,
        &links,
        &load_balanced,
        &extras,
        project,
        &mut stacks,
        diagnostics,
        &mut finish,
    );
    stacks.note_origin(whole);
    // The other stacks (all of them when not freezing).
    emit::tags::apply(&tags, &mut stacks);
    // The security checks we do not follow, suppressed with their reasons.
    stack::posture::apply(&mut stacks);
    Some((stacks, tags))
}

/// The first published port of the project (what makes the project's load balancer).
fn first_published_port(project: &Project) -> Option<Span> {
    let ports = project.services.values().flat_map(|s| s.ports.iter());
    ports
        .filter(|p| p.published.is_some())
        .map(|p| p.span)
        .next()
}
