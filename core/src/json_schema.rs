//! `composex schema`: one JSON Schema (draft 2020-12) for compose files with composex's
//! x-extensions, for editors (yaml-language-server) and the playground: the compose structure
//! the validator checks, every known `x-*` key, each x-resource's keys, access levels and its
//! `Properties` from the CloudFormation schema table. Values follow CloudFormation's own
//! conversions (a quoted number is a number) and accept intrinsic functions and
//! `x-<module>::<name>` references wherever a value goes.

use serde_json::{json, Map, Value};

use crate::compose::validate::{compose_structure, ComposeShape};
use crate::modules::ModuleDef;
use crate::registry::REGISTRY;
use crate::schema::{self, kind, Shape, Ty};
use crate::xkeys::{self, Scope, Support};

/// Resource types a module's `Properties` may also be (besides its `resource_type`): an RDS
/// engine without Aurora makes a DB instance, a composite alarm is another type, a cache is a
/// cluster or a replication group.
const ALSO: &[(&str, &str)] = &[
    ("x-rds", "AWS::RDS::DBInstance"),
    ("x-alarms", "AWS::CloudWatch::CompositeAlarm"),
    ("x-elasticache", "AWS::ElastiCache::ReplicationGroup"),
];

/// Nested properties CloudFormation requires that a module writes itself when they are left
/// out (x-kinesis_firehose: each source's and destination's `RoleARN`, the encryption's
/// `KeyType`): the editor must not ask for them.
const FILLED_NESTED: &[&str] = &["RoleARN", "KeyType"];

/// The JSON Schema, as pretty-printed JSON.
pub fn text() -> String {
    serde_json::to_string_pretty(&schema()).unwrap_or_default() + "\n"
}

/// The JSON Schema.
pub fn schema() -> Value {
    let mut defs = Map::new();
    defs.insert(
        "cfn-function".into(),
        json!({
            "description": "an intrinsic function (Ref, Fn::*) or an x-<module>::<name> reference",
            "anyOf": [
                {"type": "object", "minProperties": 1, "maxProperties": 1,
                 "patternProperties": {"^(Ref|Condition|Fn::[A-Za-z0-9]+)$": {}},
                 "additionalProperties": false},
                {"type": "string", "pattern": "^x-[A-Za-z0-9_-]+::"}
            ]
        }),
    );
    let mut writer = Writer { defs };
    let mut top = Map::new();
    for (key, shape) in compose_structure() {
        top.insert((*key).into(), compose(*shape));
    }
    for x in xkeys::ALL.iter().filter(|x| x.scope == Scope::TopLevel) {
        top.insert(x.key.into(), writer.xkey(x));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://composex.dev/schema/compose.json",
        "title": "docker compose file with composex x-extensions",
        "type": "object",
        "properties": top,
        "patternProperties": {"^x-": {}},
        "additionalProperties": false,
        "$defs": writer.defs,
    })
}

/// The compose structure as the validator reads it (`x-*` keys are free in every object).
fn compose(shape: ComposeShape) -> Value {
    match shape {
        ComposeShape::Any => json!({}),
        ComposeShape::Scalar => json!({"type": ["string", "number", "boolean", "null"]}),
        ComposeShape::List(item) => json!({"type": ["array", "null"], "items": compose(*item)}),
        ComposeShape::Dict(value) => {
            json!({"type": ["object", "null"], "additionalProperties": compose(*value)})
        }
        ComposeShape::Object(fields) => {
            let props: Map<String, Value> = fields
                .iter()
                .map(|(k, s)| ((*k).to_string(), compose(*s)))
                .collect();
            json!({"type": ["object", "null"], "properties": props,
                   "patternProperties": {"^x-": {}}, "additionalProperties": false})
        }
        ComposeShape::OneOf(options) => {
            json!({"anyOf": options.iter().map(|o| compose(*o)).collect::<Vec<_>>()})
        }
    }
}

/// The access levels of a module: plain names (or a mapping of names, `{DBCluster: RO}`), or
/// `key: A | B` lines (an object of levels).
pub fn access_levels(def: &ModuleDef) -> Value {
    if def.levels.iter().any(|l| l.contains(':')) {
        // `Kind: A|B` lines; a kind may also come back on several lines (`Http: RO`, `Http: RW`).
        let mut kinds: indexmap::IndexMap<&str, Vec<&str>> = indexmap::IndexMap::new();
        for line in def.levels {
            if let Some((key, names)) = line.split_once(':') {
                kinds
                    .entry(key.trim())
                    .or_default()
                    .extend(names.split('|').map(str::trim));
            }
        }
        let props: Map<String, Value> = kinds
            .into_iter()
            .map(|(key, names)| (key.to_owned(), json!({"enum": names})))
            .collect();
        json!({"type": "object", "properties": props})
    } else {
        json!({"anyOf": [
            {"enum": def.levels},
            {"type": "object", "additionalProperties": {"enum": def.levels}}
        ]})
    }
}

struct Writer {
    defs: Map<String, Value>,
}

impl Writer {
    fn xkey(&mut self, x: &xkeys::XKey) -> Value {
        let def = REGISTRY
            .iter()
            .find(|e| e.key().key == x.key && e.key().scope == x.scope)
            .and_then(|e| e.resource_module());
        let description = match x.support {
            Support::Implemented => format!("composex renders {}", x.key),
            Support::NotYet(what) => format!("{what}: not rendered by composex yet"),
            Support::Equivalent(instead) => format!("refused by composex: {instead}"),
        };
        match (x.shape, def) {
            (xkeys::Shape::Resources(keys), Some(def)) => {
                let mut props = Map::new();
                for key in keys {
                    props.insert((*key).into(), json!({}));
                }
                props.insert("Properties".into(), self.properties(def));
                props.insert(
                    "Services".into(),
                    json!({"type": ["object", "null"], "additionalProperties": {
                        "type": ["object", "null"],
                        "properties": {"Access": access_levels(def), "ReturnValues": {"type": "object"}}
                    }}),
                );
                json!({"description": format!("{description} ({})", def.resource_type),
                       "type": ["object", "null"],
                       "properties": {"DeletionPolicy": {"enum": ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]}},
                       "patternProperties": {"^x-": {}},
                       "additionalProperties": {"type": ["object", "null"], "properties": props, "additionalProperties": false}})
            }
            _ => json!({"description": description}),
        }
    }

    fn properties(&mut self, def: &ModuleDef) -> Value {
        let mut types = vec![def.resource_type];
        types.extend(ALSO.iter().filter(|(k, _)| *k == def.key).map(|(_, t)| *t));
        let mut options: Vec<Value> = Vec::new();
        for type_name in types {
            let Some(resource) = schema::resource(type_name) else {
                continue;
            };
            let name = self.shape(resource.shape, false);
            options.push(json!({"$ref": format!("#/$defs/{name}"), "description": resource.doc}));
        }
        match options.len() {
            0 => json!({"type": ["object", "null"]}),
            1 => options.remove(0),
            _ => json!({"anyOf": options}),
        }
    }

    /// The `$defs` name of shape `index` (written once); top-level shapes require nothing (the
    /// modules write some required properties themselves).
    fn shape(&mut self, index: u16, nested: bool) -> String {
        let name = if nested {
            format!("s{index}")
        } else {
            format!("p{index}")
        };
        if self.defs.contains_key(&name) {
            return name;
        }
        self.defs.insert(name.clone(), json!({}));
        let shape: &Shape = schema::shape(index);
        let mut props = Map::new();
        for p in shape.props {
            let mut v = self.ty(schema::ty(p.ty));
            if let Value::Object(o) = &mut v {
                if !p.doc.is_empty() {
                    o.insert("description".into(), json!(p.doc));
                }
                if p.status != 0 {
                    o.insert("deprecated".into(), json!(true));
                }
            }
            props.insert(p.name.into(), v);
        }
        let mut out = json!({"type": "object", "properties": props});
        if nested {
            let required: Vec<&str> = shape
                .props
                .iter()
                .filter(|p| p.required && !FILLED_NESTED.contains(&p.name))
                .map(|p| p.name)
                .collect();
            if !required.is_empty() {
                out["required"] = json!(required);
            }
        }
        out["additionalProperties"] = if !shape.open {
            json!(false)
        } else if shape.values != schema::NONE {
            self.ty(schema::ty(shape.values))
        } else {
            json!(true)
        };
        self.defs.insert(name.clone(), out);
        name
    }

    fn ty(&mut self, t: &Ty) -> Value {
        if t.kinds == 0 && t.shape == schema::NONE {
            return json!({});
        }
        let mut options: Vec<Value> = Vec::new();
        if !t.values.is_empty() {
            let mut values: Vec<Value> = t.values.iter().map(|v| json!(v)).collect();
            for v in t.values {
                if let Ok(n) = v.parse::<i64>() {
                    values.push(json!(n));
                } else if let Ok(b) = v.parse::<bool>() {
                    values.push(json!(b));
                }
            }
            options.push(json!({"enum": values}));
        } else {
            if t.kinds & kind::STRING != 0 {
                options.push(json!({"type": ["string", "number", "boolean"]}));
            }
            if t.kinds & kind::INTEGER != 0 {
                options.push(json!({"type": "integer"}));
                options.push(json!({"type": "string", "pattern": "^\\s*[-+]?[0-9]+\\s*$"}));
            }
            if t.kinds & kind::NUMBER != 0 {
                options.push(json!({"type": "number"}));
                options.push(json!({"type": "string", "pattern": "^\\s*[-+]?[0-9.]+([eE][-+]?[0-9]+)?\\s*$"}));
            }
            if t.kinds & kind::BOOLEAN != 0 {
                options.push(json!({"type": "boolean"}));
                options.push(json!({"enum": ["true", "false", "True", "False", "TRUE", "FALSE"]}));
            }
        }
        if t.kinds & kind::OBJECT != 0 || t.shape != schema::NONE {
            match t.object() {
                Some(_) => {
                    options.push(json!({"$ref": format!("#/$defs/{}", self.shape(t.shape, true))}))
                }
                None => options.push(json!({"type": "object"})),
            }
        }
        if t.kinds & kind::ARRAY != 0 {
            let items = t.item().map(|i| self.ty(i)).unwrap_or(json!({}));
            options.push(json!({"type": "array", "items": items}));
        }
        options.push(json!({"$ref": "#/$defs/cfn-function"}));
        options.push(json!({"type": "null"}));
        json!({"anyOf": options})
    }
}
