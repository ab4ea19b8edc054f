//! CloudFormation resource schemas as data: the generated table (`make schemas` writes
//! `table.rs` from the provider schemas the pinned cfn-lint ships) and the check of user-written
//! `Properties` against it ([`check`]). The same table feeds `composex schema` and the
//! playground's completion and hover.

mod check;
mod classes;
pub mod model;
pub mod pattern;
#[rustfmt::skip]
mod table;

pub use check::{
    check, is_intrinsic, Check, BAD_ENUM, BAD_FORMAT, DEPRECATED, MISSING_REQUIRED, OUT_OF_RANGE,
    UNKNOWN_PROPERTY, WRONG_TYPE,
};
pub use classes::{check_class, classes_of, UNKNOWN_CLASS};
pub use model::{format, kind, ClassRule, Prop, Resource, Shape, Ty, NONE};

/// Every resource type in the table, sorted by name.
pub fn resources() -> &'static [Resource] {
    table::RESOURCES
}

/// The schema of resource type `name` (`AWS::SQS::Queue`).
pub fn resource(name: &str) -> Option<&'static Resource> {
    table::RESOURCES.iter().find(|r| r.name == name)
}

/// The Properties of resource type `name`.
pub fn properties_of(name: &str) -> Option<&'static Shape> {
    resource(name).map(|r| shape(r.shape))
}

/// Shape number `index` of the table.
pub fn shape(index: u16) -> &'static Shape {
    &table::SHAPES[usize::from(index)]
}

/// Type number `index` of the table.
pub fn ty(index: u16) -> &'static Ty {
    &table::TYPES[usize::from(index)]
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

#[cfg(test)]
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
