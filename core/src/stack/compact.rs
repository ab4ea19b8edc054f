//! Compaction of finished templates: a big project holds thousands of small JSON objects at
//! once (every stack is alive until the layout has wired them), and a `serde_json` object that
//! grew key by key keeps room for several more entries (its `IndexMap` grows its entries to
//! its hash table's capacity: a one-key `{"Ref": ..}` reserves three). Rebuilding each object
//! at its exact size keeps the same keys, values and order in about half the bytes.

use serde_json::{Map, Value};

use super::Stack;
use crate::cfn::Template;

/// Compacts `stack`: its template and the values it exports.
pub fn stack(stack: &mut Stack) {
    template(&mut stack.template);
    for export in stack.exports.values_mut() {
        value(&mut export.value);
    }
    stack.imports.shrink_to_fit();
    stack.exports.shrink_to_fit();
}

/// Rebuilds every object, array and string of `template` at its exact size (content and
/// order unchanged).
pub fn template(template: &mut Template) {
    for value in template.metadata.values_mut() {
        self::value(value);
    }
    for value in template.conditions.values_mut() {
        self::value(value);
    }
    for value in template.mappings.values_mut() {
        self::value(value);
    }
    for resource in template.resources.values_mut() {
        object(&mut resource.properties);
        if let Some(metadata) = resource.metadata.as_mut() {
            self::value(metadata);
        }
    }
    for output in template.outputs.values_mut() {
        self::value(&mut output.value);
        if let Some(name) = output.export_name.as_mut() {
            self::value(name);
        }
    }
    template.metadata.shrink_to_fit();
    template.parameters.shrink_to_fit();
    template.conditions.shrink_to_fit();
    template.mappings.shrink_to_fit();
    template.resources.shrink_to_fit();
    template.outputs.shrink_to_fit();
}

/// [`template`] for one value.
pub fn value(value: &mut Value) {
    match value {
        Value::Object(map) => object(map),
        Value::Array(items) => {
            items.iter_mut().for_each(self::value);
            items.shrink_to_fit();
        }
        Value::String(text) => text.shrink_to_fit(),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Rebuilds `map` at its exact size: `serde_json::Map` has no `shrink_to_fit`, but collecting
/// its entries allocates exactly one slot per entry. A map whose length is one of the
/// capacities it grows through (3, 7, 14, 28, ...) is already full: only its values are
/// compacted (rebuilding rehashes every key, the costly part).
fn object(map: &mut Map<String, Value>) {
    if is_full(map.len()) {
        map.values_mut().for_each(value);
        return;
    }
    let entries = std::mem::take(map);
    *map = entries
        .into_iter()
        .map(|(key, mut value)| {
            self::value(&mut value);
            (key, value)
        })
        .collect();
}

/// True for the lengths at which an object built key by key has no spare room: 0, 3, and 7
/// doubled any number of times (the capacities of its hash table, which its entries follow).
fn is_full(len: usize) -> bool {
    len == 0 || len == 3 || (len % 7 == 0 && (len / 7).is_power_of_two())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn compacting_keeps_every_key_value_and_order() {
        let mut built = json!({
            "Type": "AWS::ECS::Service",
            "Properties": { "Cluster": { "Ref": "ClusterName" }, "DesiredCount": 1,
                "Tags": [{ "Key": "a", "Value": "b" }, { "Key": "c", "Value": null }] },
            "Empty": {}, "Three": { "z": 1, "a": 2, "m": [true, false] },
        });
        let before = serde_json::to_string(&built).unwrap();
        value(&mut built);
        assert_eq!(serde_json::to_string(&built).unwrap(), before);
    }

    #[test]
    fn full_lengths_are_the_growth_capacities() {
        let full: Vec<usize> = (0..60).filter(|&n| is_full(n)).collect();
        assert_eq!(full, vec![0, 3, 7, 14, 28, 56]);
    }
}
