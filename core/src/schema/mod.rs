//! CloudFormation resource schemas as data: the generated table (`make schemas` writes
//! `table.rs` from the provider schemas the pinned cfn-lint ships) and the check of user-written
//! `Properties` against it ([`check`]). The same table feeds `composex schema` and the
//! playground's completion and hover.
//!
//! The table is compiled in (feature `embedded-schema`, on by default) or, in the wasm build,
//! loaded at run time from the file [`encode`] writes ([`install`]); until then every lookup
//! finds nothing, so the checks that need the table are skipped rather than wrong.

mod check;
mod classes;
mod file;
pub mod model;
pub mod pattern;
#[cfg(feature = "embedded-schema")]
#[rustfmt::skip]
mod table;

pub use check::{
    check, is_intrinsic, Check, BAD_ENUM, BAD_FORMAT, DEPRECATED, MISSING_REQUIRED, OUT_OF_RANGE,
    UNKNOWN_PROPERTY, WRONG_TYPE,
};
pub use classes::{check_class, classes_of, UNKNOWN_CLASS};
pub use file::{decode, encode, install};
pub use model::{format, kind, ClassRule, Prop, Resource, Shape, Ty, NONE};

/// The whole table: what `make schemas` generates, compiled in or loaded.
#[derive(Debug)]
pub struct Tables {
    /// Resource types, sorted by name.
    pub resources: &'static [Resource],
    /// Object shapes (resource Properties and nested definitions).
    pub shapes: &'static [Shape],
    /// Value types.
    pub types: &'static [Ty],
    /// Every instance class or node type of `class_rules`, sorted.
    pub class_names: &'static [&'static str],
    /// The classes each resource type (per engine) offers in some region.
    pub class_rules: &'static [ClassRule],
}

#[cfg(feature = "embedded-schema")]
static EMBEDDED: Tables = Tables {
    resources: table::RESOURCES,
    shapes: table::SHAPES,
    types: table::TYPES,
    class_names: table::CLASS_NAMES,
    class_rules: table::CLASS_RULES,
};

/// The table loaded by [`install`] (builds without the embedded one).
static LOADED: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();

/// The table, if this build has it (compiled in, or installed).
#[cfg(feature = "embedded-schema")]
pub fn tables() -> Option<&'static Tables> {
    Some(&EMBEDDED)
}

/// The table, if this build has it (compiled in, or installed).
#[cfg(not(feature = "embedded-schema"))]
pub fn tables() -> Option<&'static Tables> {
    LOADED.get()
}

/// Whether the table is there: checks and completion that need it run only then.
pub fn loaded() -> bool {
    tables().is_some()
}

/// Every resource type in the table, sorted by name (none before the table is loaded).
pub fn resources() -> &'static [Resource] {
    tables().map_or(&[], |t| t.resources)
}

/// The schema of resource type `name` (`AWS::SQS::Queue`).
pub fn resource(name: &str) -> Option<&'static Resource> {
    resources().iter().find(|r| r.name == name)
}

/// The Properties of resource type `name`.
pub fn properties_of(name: &str) -> Option<&'static Shape> {
    resource(name).map(|r| shape(r.shape))
}

/// Shape number `index` of the table (an index read from the table itself).
pub fn shape(index: u16) -> &'static Shape {
    &tables().map_or(&[][..], |t| t.shapes)[usize::from(index)]
}

/// Type number `index` of the table (an index read from the table itself).
pub fn ty(index: u16) -> &'static Ty {
    &tables().map_or(&[][..], |t| t.types)[usize::from(index)]
}

impl Shape {
    /// Property `name`.
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props
            .binary_search_by(|p| p.name.cmp(name))
            .ok()
            .map(|i| &self.props[i])
    }

    /// The property names.
    pub fn names(&self) -> Vec<&'static str> {
        self.props.iter().map(|p| p.name).collect()
    }
}

impl Ty {
    /// The shape of its objects, if it has one.
    pub fn object(&self) -> Option<&'static Shape> {
        (self.shape != NONE).then(|| shape(self.shape))
    }

    /// The type of its list items, if it says.
    pub fn item(&self) -> Option<&'static Ty> {
        (self.items != NONE).then(|| ty(self.items))
    }

    /// How users read the type: `string`, `integer`, `list of Tag`, ...
    pub fn describe(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for (bit, name) in [
            (kind::STRING, "string"),
            (kind::INTEGER, "integer"),
            (kind::NUMBER, "number"),
            (kind::BOOLEAN, "boolean"),
            (kind::OBJECT, "mapping"),
            (kind::ARRAY, "list"),
        ] {
            if self.kinds & bit != 0 {
                names.push(name);
            }
        }
        match names.as_slice() {
            [] => "any value".into(),
            [one] => (*one).into(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }
}

#[cfg(all(test, feature = "embedded-schema"))]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let mut previous = "";
        for r in resources() {
            assert!(r.name > previous, "{} sorted", r.name);
            previous = r.name;
        }
        for s in table::SHAPES {
            assert!(s.props.windows(2).all(|w| w[0].name < w[1].name));
            for p in s.props {
                let t = ty(p.ty);
                assert!(t.shape == NONE || usize::from(t.shape) < table::SHAPES.len());
                assert!(t.items == NONE || usize::from(t.items) < table::TYPES.len());
            }
        }
        for t in table::TYPES {
            if !t.pattern.is_empty() {
                assert!(pattern::matches(t.pattern, "x").is_some(), "{}", t.pattern);
            }
        }
    }

    #[test]
    fn lookups_find_properties_and_their_types() {
        let queue = properties_of("AWS::SQS::Queue").unwrap();
        let delay = queue.prop("DelaySeconds").unwrap();
        assert_eq!(ty(delay.ty).kinds, kind::INTEGER);
        assert_eq!(ty(delay.ty).max, Some(900.0));
        assert!(
            queue.prop("Arn").is_none(),
            "read-only properties are not writable"
        );
        let table = properties_of("AWS::DynamoDB::Table").unwrap();
        let billing = ty(table.prop("BillingMode").unwrap().ty);
        assert_eq!(billing.values, &["PAY_PER_REQUEST", "PROVISIONED"]);
        assert!(table.prop("KeySchema").unwrap().required);
        let bucket = properties_of("AWS::S3::Bucket").unwrap();
        assert_eq!(bucket.prop("AccessControl").unwrap().status, 2);
    }
}
