//! One page per registry entry, assembled from what the entry carries: its module folder's
//! `README.md`, its [`ModuleDef`] (resource type, properties, return values, settings, access
//! levels, lookup) and its example compose files, which become live examples that must render
//! what the registry says they prove. A module added to the registry gets its page with no edit
//! to the docs.

use composex_core::modules::ModuleDef;
use composex_core::registry::{self, Proof, XModule};
use composex_core::xkeys::{Scope, Shape, Support};

use crate::{access, Page};

/// Where a key is written, in words.
pub fn scope_words(scope: Scope) -> &'static str {
    match scope {
        Scope::TopLevel => "at the top level of the compose file",
        Scope::Service => "in a service (`services.<name>.KEY`)",
        Scope::Deploy => "in a service's `deploy` (`services.<name>.deploy.KEY`)",
        Scope::Secret => "in a top-level secret (`secrets.<name>.KEY`)",
        Scope::Volume => "in a top-level volume (`volumes.<name>.KEY`)",
        Scope::Network => "in a top-level network (`networks.<name>.KEY`)",
        Scope::Port => "in a service's long-form port (`ports: [{target: 80, KEY: ...}]`)",
        Scope::UpdateConfig => "in a service's `deploy.update_config`",
    }
}

/// The page (path in the book) of a registry entry.
pub fn page_path(entry: &dyn XModule) -> String {
    let key = entry.key();
    let prefix = match key.scope {
        Scope::TopLevel => "",
        Scope::Service => "service-",
        Scope::Deploy => "deploy-",
        Scope::Secret => "secret-",
        Scope::Volume => "volume-",
        Scope::Network => "network-",
        Scope::Port => "port-",
        Scope::UpdateConfig => "update-config-",
    };
    format!("modules/{prefix}{}.md", key.key)
}

/// The README without its first heading, with links into the module folder (which the book
/// does not hold) turned into plain code names.
fn readme_body(readme: &str) -> String {
    let mut lines = readme.lines().peekable();
    if lines.peek().is_some_and(|l| l.starts_with("# ")) {
        lines.next();
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&unlink(line));
        out.push('\n');
    }
    out
}

/// `[text](relative/path)` becomes `text`; links with a scheme or an anchor stay.
fn unlink(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        let target = &rest[close + 2..end];
        out.push_str(&rest[..open]);
        if target.contains("://") || target.starts_with('#') {
            out.push_str(&rest[open..=end]);
        } else {
            out.push_str(&rest[open + 1..close]);
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn list(items: &[&str]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The access levels and the IAM actions each gives a linked service's task role, as the
/// module renders them ([`crate::access`]).
fn access_levels(def: &ModuleDef) -> String {
    let rows: Vec<String> = access::table(def)
        .into_iter()
        .filter_map(|(level, actions)| {
            actions.map(|a| {
                let a: Vec<&str> = a.iter().map(String::as_str).collect();
                format!("| `{level}` | {} |\n", list(&a))
            })
        })
        .collect();
    if rows.is_empty() {
        return "Linking a service gives its task role no IAM action.\n\n".to_owned();
    }
    format!(
        "## Access levels\n\nWhat `Services.<name>.Access` gives the service's task role, on \
         this resource only (read from what the module renders):\n\n\
         | access | IAM actions |\n|---|---|\n{}\n",
        rows.concat()
    )
}

/// The facts of an x-resource module, from its definition.
fn definition(def: &ModuleDef) -> String {
    let values: Vec<String> = def
        .return_values
        .iter()
        .map(|v| match v.attribute {
            None => format!("`{}` (`Ref`)", v.name),
            Some(attribute) => format!("`{}` (`Fn::GetAtt {attribute}`)", v.name),
        })
        .collect();
    let env = match (def.default_env, def.return_values.first()) {
        (true, Some(first)) => format!(
            "linked services get `{}` as an environment variable named after the resource",
            first.name
        ),
        _ => "linked services get no default environment variable".to_owned(),
    };
    format!(
        "## What it renders\n\n\
         | | |\n|---|---|\n\
         | resource | `{resource}` in stack `{stack}` |\n\
         | `Properties` (checked against the CloudFormation schema) | {properties} |\n\
         | `ReturnValues` | {values} |\n\
         | `Settings` / `MacroParameters` | {settings} |\n\
         | access levels (`Services.<name>.Access`) | {levels} |\n\
         | default environment variable | {env} |\n\
         | `Services.<name>.Scaling` | {scaling} |\n\n\
         `Lookup` makes no AWS call: a looked-up resource becomes stack parameters, filled from \
         `Lookup.Arn` / `Lookup.Identifier` where given.\n\n{access}",
        resource = def.resource_type,
        stack = def.stack,
        properties = composex_core::schema::properties_of(def.resource_type)
            .map_or_else(|| "none".to_owned(), |shape| list(&shape.names())),
        values = if values.is_empty() {
            "none".to_owned()
        } else {
            values.join(", ")
        },
        settings = list(def.settings),
        access = access_levels(def),
        levels = list(def.levels),
        scaling = if def.scaling.is_some() {
            "scales the linked service on this resource"
        } else {
            "not available: warned about and ignored"
        },
    )
}

/// A short compose file that writes `key` where it belongs.
fn refused_example(key: &str, scope: Scope, shape: Shape) -> String {
    let service = "services:\n  app:\n    image: nginx:1.27\n";
    match scope {
        Scope::TopLevel => match shape {
            Shape::Resources(_) => format!("{service}{key}:\n  example:\n    Properties: {{}}\n"),
            _ => format!("{service}{key}: {{}}\n"),
        },
        Scope::Service => format!("{service}    {key}: {{}}\n"),
        Scope::Deploy => format!("{service}    deploy:\n      {key}: {{}}\n"),
        Scope::Secret => format!("{service}secrets:\n  example:\n    {key}: {{}}\n"),
        Scope::Volume => format!(
            "{service}    volumes:\n      - example:/data\nvolumes:\n  example:\n    {key}: {{}}\n"
        ),
        Scope::Network => {
            format!("{service}    networks: [example]\nnetworks:\n  example:\n    {key}: {{}}\n")
        }
        Scope::Port => format!("{service}    ports:\n      - target: 80\n        {key}: {{}}\n"),
        Scope::UpdateConfig => {
            format!("{service}    deploy:\n      update_config:\n        {key}: {{}}\n")
        }
    }
}

/// The page of one registry entry.
pub fn page(entry: &dyn XModule) -> Page {
    let key = entry.key();
    let docs = entry.docs();
    let mut text = format!("# `{}`\n\n", key.key);
    let status = match key.support {
        Support::Implemented => "rendered".to_owned(),
        _ => "**not rendered yet**: composex refuses it with an error at the key \
              ([CX374](../reference/cx3.md#cx374)), never drops it silently"
            .to_owned(),
    };
    text.push_str(&format!(
        "Written {}; {status}.\n\n",
        scope_words(key.scope).replace("KEY", key.key)
    ));
    match key.shape {
        Shape::Resources(keys) => text.push_str(&format!(
            "Syntax: a mapping of named resources (`{k}: {{name: {{...}}}}`); each takes {}.\n\n",
            list(keys),
            k = key.key
        )),
        Shape::Single(keys) => text.push_str(&format!(
            "Syntax: one mapping (`{}: {{...}}`) with {}.\n\n",
            key.key,
            list(keys)
        )),
        Shape::Free => {}
    }
    if let Support::NotYet(what) = key.support {
        text.push_str(&format!(
            "It would render: {what}. Until then a file that uses it is refused at the key:\n\n\
             ```compose expect=CX374 project=demo\n{}```\n\n",
            refused_example(key.key, key.scope, key.shape)
        ));
    }
    let stacks = entry.stacks();
    if !stacks.is_empty() {
        text.push_str(&format!("Stacks it makes: {}.\n\n", list(&stacks)));
    }
    if let Some(readme) = docs.readme {
        text.push_str(&readme_body(readme));
        text.push('\n');
    }
    if let Some(def) = entry.resource_module() {
        text.push_str(&definition(def));
    }
    if !docs.examples.is_empty() {
        text.push_str(
            "## Live examples\n\nEach is a test fixture of the module too; edit it to see the \
             templates and the diagnostics change.\n\n",
        );
    }
    for example in docs.examples {
        let proves = match example.proves {
            Proof::Resource(t) | Proof::Text(t) => t,
        };
        let quote = if proves.contains('"') { '\'' } else { '"' };
        text.push_str(&format!(
            "`{path}` renders `{proves}`:\n\n```compose proves={quote}{proves}{quote} project=demo\n{body}```\n\n",
            path = example.path,
            body = example.text,
        ));
    }
    let title = match key.scope {
        Scope::TopLevel => key.key.to_owned(),
        Scope::Service => format!("{} (service)", key.key),
        Scope::Deploy => format!("{} (deploy)", key.key),
        Scope::Secret => format!("{} (secret)", key.key),
        Scope::Volume => format!("{} (volume)", key.key),
        Scope::Network => format!("{} (network)", key.key),
        Scope::Port => format!("{} (port)", key.key),
        Scope::UpdateConfig => format!("{} (update_config)", key.key),
    };
    Page::new(&page_path(entry), &title, text)
}

/// The index of the module pages and one page per registry entry, in registry order.
pub fn pages() -> Vec<Page> {
    let mut index = String::from(
        "# x-keys\n\nEvery `x-*` key composex knows, in the order the registry renders them. \
         A key marked *not yet* is refused with an error at the key, never dropped.\n\n\
         | key | where | status |\n|---|---|---|\n",
    );
    let mut pages = Vec::new();
    for entry in registry::REGISTRY {
        let page = page(*entry);
        let key = entry.key();
        index.push_str(&format!(
            "| [`{}`]({}) | {} | {} |\n",
            key.key,
            page.path.trim_start_matches("modules/"),
            scope_words(key.scope).replace("KEY", key.key),
            match key.support {
                Support::Implemented => "rendered",
                _ => "not yet",
            }
        ));
        pages.push(page);
    }
    pages.insert(0, Page::new("modules/index.md", "x-keys", index));
    pages
}
