//! Test support: a compose text through the x-modules, and a readable summary of what they
//! produced (the module stacks before layout, each family's policies, env vars and scaling, and
//! the diagnostics with their line:column) for snapshots.

use crate::cfn::Template;
use crate::compose::{self, Project};
use crate::diagnostic::Diagnostic;
use crate::modules::Links;
use crate::stack::Stacks;
use crate::{Input, SourceFile};

/// What the x-modules made of one compose text.
pub struct Rendered {
    /// The stacks (module stacks, and family stacks holding imports / parameters).
    pub stacks: Stacks,
    /// What families get.
    pub links: Links,
    /// Diagnostics, located.
    pub diags: Vec<Diagnostic>,
}

/// The typed project of `text`, loaded as `render` loads it (panics on errors: fixtures are ours).
pub fn project(text: &str) -> Project {
    project_with(text, &[])
}

/// [`project`] with extra files (`(key, text)`: files the compose text names).
pub fn project_with(text: &str, extra: &[(&str, &str)]) -> Project {
    let input = Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        extra_files: extra
            .iter()
            .map(|(k, t)| {
                let file = SourceFile {
                    name: k.to_string(),
                    text: t.to_string(),
                };
                (k.to_string(), file)
            })
            .collect(),
        ..Input::default()
    };
    let loaded = compose::load(&input);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "fixture: {errors:?}");
    loaded.project.expect("a project")
}

/// Runs the x-modules over `text`.
pub fn emit(text: &str) -> Rendered {
    emit_with(text, &[])
}

/// [`emit`] with extra files (`(key, text)`), located in them too.
pub fn emit_with(text: &str, extra: &[(&str, &str)]) -> Rendered {
    let project = project_with(text, extra);
    let mut stacks = Stacks::new("test");
    let mut diags = Vec::new();
    let defs: Vec<_> = crate::registry::resource_modules().collect();
    let links = crate::modules::emit(&project, &defs, &mut stacks, true, &mut diags);
    let mut files = vec![SourceFile {
        name: "docker-compose.yml".into(),
        text: text.into(),
    }];
    let mut extra: Vec<_> = extra.to_vec();
    extra.sort();
    files.extend(extra.iter().map(|(k, t)| SourceFile {
        name: k.to_string(),
        text: t.to_string(),
    }));
    crate::diagnostic::sort(&mut diags);
    for d in &mut diags {
        d.locate(&files);
    }
    Rendered {
        stacks,
        links,
        diags,
    }
}

impl Rendered {
    /// `code line:col message` per diagnostic.
    pub fn diagnostics(&self) -> Vec<String> {
        self.diags
            .iter()
            .map(|d| {
                let at = d
                    .location
                    .as_ref()
                    .map(|l| format!("{}:{}", l.line, l.column))
                    .unwrap_or_default();
                let help = d
                    .help
                    .as_deref()
                    .map(|h| format!(" (help: {h})"))
                    .unwrap_or_default();
                format!(
                    "{} {} {at} {}{help}",
                    d.severity.as_str(),
                    d.code,
                    d.message
                )
            })
            .collect()
    }

    /// The codes of the errors.
    pub fn error_codes(&self) -> Vec<&'static str> {
        self.diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect()
    }

    /// Template of stack `name` (before layout).
    pub fn template(&self, name: &str) -> &Template {
        &self
            .stacks
            .get(name)
            .unwrap_or_else(|| panic!("no stack {name}"))
            .template
    }

    /// The actions of the policy statements family `family` gets from `policy`.
    pub fn actions(&self, family: &str, policy: &str) -> Vec<Vec<&'static str>> {
        let links = self
            .links
            .family(family)
            .unwrap_or_else(|| panic!("no links for {family}"));
        let p = links
            .policies
            .iter()
            .find(|p| p.name == policy)
            .unwrap_or_else(|| panic!("no policy {policy}"));
        p.statements.iter().map(|s| s.actions.clone()).collect()
    }

    /// Everything, for a snapshot.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for stack in self.stacks.iter() {
            if stack.template.resources.is_empty()
                && stack.template.parameters.is_empty()
                && stack.imports().next().is_none()
            {
                continue;
            }
            out.push_str(&format!("=== stack {}\n", stack.name));
            let imports: Vec<&str> = stack.imports().collect();
            if !imports.is_empty() {
                out.push_str(&format!("imports: {}\n", imports.join(", ")));
            }
            out.push_str(&stack.template.to_yaml());
        }
        for (family, links) in self.links.iter() {
            out.push_str(&format!("=== family {family}\n"));
            let policies = serde_json::Value::Array(links.policies_json());
            out.push_str(&serde_yaml::to_string(&policies).unwrap_or_default());
            for var in &links.environment {
                let only = var
                    .service
                    .as_deref()
                    .map(|s| format!(" (container {s} only)"))
                    .unwrap_or_default();
                out.push_str(&format!("env {} = {}{only}\n", var.name, var.value));
            }
            for var in &links.secrets {
                let only = var
                    .service
                    .as_deref()
                    .map(|s| format!(" (container {s} only)"))
                    .unwrap_or_default();
                out.push_str(&format!("secret {} = {}{only}\n", var.name, var.value_from));
            }
            if !links.execution.is_empty() {
                out.push_str("execution role:\n");
                let policies: Vec<serde_json::Value> =
                    links.execution.iter().map(|p| p.to_json()).collect();
                out.push_str(&serde_yaml::to_string(&policies).unwrap_or_default());
            }
            if links.no_service {
                out.push_str("no ECS service\n");
            }
            for s in &links.scaling {
                out.push_str(&format!(
                    "scaling {} on {}/{} {:?}: steps {:?}, cooldowns out {} in {}\n",
                    s.name,
                    s.namespace,
                    s.metric,
                    s.dimensions,
                    s.steps,
                    s.scale_out_cooldown,
                    s.scale_in_cooldown
                ));
            }
        }
        if !self.stacks.known_values.is_empty() {
            out.push_str(&format!(
                "=== known parameter values\n{:?}\n",
                self.stacks.known_values
            ));
        }
        out.push_str("=== diagnostics\n");
        for d in self.diagnostics() {
            out.push_str(&d);
            out.push('\n');
        }
        out
    }
}

/// The ```yaml blocks of a module README that are whole compose files (they hold `services:`).
pub fn readme_examples(readme: &str) -> Vec<&str> {
    readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.starts_with("services:") || block.contains("\nservices:"))
        .collect()
}

/// Renders every compose example of a module README: none may give an error or a warning.
pub fn assert_readme_examples_render(readme: &str) {
    let examples = readme_examples(readme);
    assert!(!examples.is_empty(), "the README shows no compose example");
    for text in examples {
        let r = emit(text);
        let problems: Vec<String> = r
            .diagnostics()
            .into_iter()
            .filter(|d| !d.starts_with("info"))
            .collect();
        assert!(problems.is_empty(), "{text}\n{problems:?}");
    }
}
