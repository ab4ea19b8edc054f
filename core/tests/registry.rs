//! The registry of x-modules: one entry per known key (the same keys as the names table that
//! validation reads), and every entry either makes what its examples promise or refuses its key
//! with a located error.

use std::collections::BTreeSet;

use composex_core::registry::{self, Proof, REGISTRY};
use composex_core::xkeys::{self, Scope, Support};
use composex_core::{render, Input, Options, Output, SourceFile};

fn run(name: &str, text: &str) -> Output {
    render(&Input {
        files: vec![SourceFile {
            name: name.into(),
            text: text.into(),
        }],
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    })
}

#[test]
fn the_registry_and_the_names_table_list_the_same_keys() {
    let mut registered = BTreeSet::new();
    for entry in REGISTRY {
        let key = entry.key();
        assert!(
            !key.key.is_empty(),
            "a registry entry's key is missing from xkeys::ALL"
        );
        assert!(
            registered.insert((key.key, format!("{:?}", key.scope))),
            "{} ({:?}) registered twice",
            key.key,
            key.scope
        );
    }
    let named: BTreeSet<_> = xkeys::ALL
        .iter()
        .map(|k| (k.key, format!("{:?}", k.scope)))
        .collect();
    assert_eq!(registered, named);
}

#[test]
fn resource_modules_run_in_registry_order_kms_first() {
    // Others encrypt with x-kms keys: KMS must be emitted first.
    let registered: Vec<&str> = registry::resource_modules().map(|m| m.key).collect();
    assert_eq!(registered.first(), Some(&"x-kms"));
    assert_eq!(registered.len(), 20, "{registered:?}");
}

/// A minimal compose file using `key` at `scope`.
fn using(key: &str, scope: Scope) -> String {
    let service = "services:\n  app:\n    image: nginx\n";
    match scope {
        Scope::TopLevel => format!("{service}{key}:\n  thing:\n    Properties: {{}}\n"),
        Scope::Service => format!("{service}    {key}: {{}}\n"),
        Scope::Deploy => format!("{service}    deploy:\n      {key}: {{}}\n"),
        Scope::Secret => format!("{service}secrets:\n  s:\n    {key}: {{}}\n"),
        Scope::Volume => {
            format!("{service}    volumes: [data:/data]\nvolumes:\n  data:\n    {key}: {{}}\n")
        }
        Scope::Network => format!("{service}networks:\n  n:\n    {key}: {{}}\n"),
        Scope::Port => format!("{service}    ports:\n      - target: 80\n        {key}: {{}}\n"),
        Scope::UpdateConfig => {
            format!("{service}    deploy:\n      update_config:\n        {key}: {{}}\n")
        }
    }
}

#[test]
fn every_entry_makes_what_its_examples_promise_or_refuses_at_its_key() {
    let (mut made, mut refused) = (0, 0);
    for entry in REGISTRY {
        let key = entry.key();
        match key.support {
            Support::NotYet(_) | Support::Equivalent(_) => {
                let text = using(key.key, key.scope);
                let out = run("docker-compose.yml", &text);
                assert!(out.files.is_empty(), "{}: no output", key.key);
                let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
                assert_eq!(
                    errors.len(),
                    1,
                    "{} ({:?}): {errors:#?}",
                    key.key,
                    key.scope
                );
                let code = match key.support {
                    Support::Equivalent(_) => "CX680",
                    _ => "CX374",
                };
                assert_eq!(errors[0].code, code);
                let span = errors[0].span.expect("located");
                assert_eq!(&text[span.start as usize..span.end as usize], key.key);
                assert!(entry.docs().examples.is_empty(), "{}: refused", key.key);
                refused += 1;
            }
            Support::Implemented => {
                let examples = entry.docs().examples;
                assert!(!examples.is_empty(), "{}: no example", key.key);
                for example in examples {
                    assert!(
                        example.text.contains(key.key),
                        "{}: {} does not use the key",
                        key.key,
                        example.path
                    );
                    let out = run(example.path, example.text);
                    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
                    assert!(errors.is_empty(), "{}: {errors:#?}", example.path);
                    let found = match example.proves {
                        Proof::Resource(t) => {
                            let line = format!("Type: {t}\n");
                            out.files.iter().any(|f| f.text.contains(&line))
                        }
                        Proof::Text(t) => out.files.iter().any(|f| f.text.contains(t)),
                    };
                    assert!(
                        found,
                        "{} ({:?}): {} does not give {:?}",
                        key.key, key.scope, example.path, example.proves
                    );
                }
                made += 1;
            }
        }
    }
    // 43 keys render, 20 are refused (CX374, CX680) when this was written.
    assert!(
        made >= 43 && refused <= 20,
        "{made} made, {refused} refused"
    );
    assert_eq!(made + refused, REGISTRY.len());
}

#[test]
fn every_resource_module_has_a_page_naming_its_key() {
    for entry in REGISTRY {
        if let Some(def) = entry.resource_module() {
            let page = entry.docs().readme.expect("a README.md");
            assert!(page.starts_with(&format!("# `{}`", def.key)), "{}", def.key);
        }
    }
}
