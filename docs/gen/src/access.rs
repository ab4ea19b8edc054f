//! The IAM actions of each access level of an x-resource module, found the way a user would:
//! by rendering a service linked to a looked-up resource with that level, and reading the
//! actions its task role gets beyond those of the same service unlinked. The page cannot drift
//! from what the module renders.

use std::collections::BTreeSet;

use composex_core::modules::ModuleDef;
use composex_core::{Format, Input, Options, SourceFile};

const SERVICE: &str = "services:\n  app:\n    image: nginx:1.27\n";

/// The levels of a module as users write them under `Access`: `RO`, or for S3 the mappings
/// `{bucket: ListOnly}`, `{objects: RW}` (its names read `bucket: ListOnly | PowerUser`).
fn levels(def: &ModuleDef) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in def.levels {
        match name.split_once(": ") {
            Some((scope, names)) => {
                for level in names.split(" | ") {
                    out.push((format!("{scope}: {level}"), format!("{{{scope}: {level}}}")));
                }
            }
            None => out.push(((*name).to_owned(), (*name).to_owned())),
        }
    }
    out
}

/// Every `Action` string of every JSON template in the render of `text`.
fn actions(text: &str) -> Option<BTreeSet<String>> {
    let output = composex_core::render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.to_owned(),
        }],
        options: Options {
            format: Format::Json,
            ..Options::default()
        },
        ..Input::default()
    });
    if output.has_errors() {
        return None;
    }
    let mut found = BTreeSet::new();
    for file in &output.files {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&file.text) {
            collect(&json, &mut found);
        }
    }
    Some(found)
}

fn collect(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key == "Action" {
                    match v {
                        serde_json::Value::String(s) => {
                            out.insert(s.clone());
                        }
                        serde_json::Value::Array(items) => {
                            out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)));
                        }
                        _ => {}
                    }
                } else {
                    collect(v, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        _ => {}
    }
}

/// Each access level and the IAM actions it gives the linked service's task role (`None`
/// when the probe did not render: the page then says to see the module's README).
pub fn table(def: &ModuleDef) -> Vec<(String, Option<Vec<String>>)> {
    let Some(baseline) = actions(SERVICE) else {
        return Vec::new();
    };
    levels(def)
        .into_iter()
        .map(|(name, written)| {
            let text = format!(
                "{SERVICE}{key}:\n  probe:\n    Lookup:\n      Identifier: probe\n    Services:\n      app:\n        Access: {written}\n",
                key = def.key
            );
            let granted = actions(&text)
                .map(|all| all.difference(&baseline).cloned().collect::<Vec<_>>())
                .filter(|a| !a.is_empty());
            (name, granted)
        })
        .collect()
}
