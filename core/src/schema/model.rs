//! The types of the generated table (`table.rs`, written by `make schemas`).

/// "No index" in [`Ty::shape`], [`Ty::items`] and [`Shape::values`].
pub const NONE: u16 = u16::MAX;

/// Kind bits of [`Ty::kinds`]; 0 means any value.
pub mod kind {
    /// A string (any scalar: CloudFormation turns numbers and booleans into strings).
    pub const STRING: u8 = 1;
    /// A whole number (or a string holding one).
    pub const INTEGER: u8 = 2;
    /// A number (or a string holding one).
    pub const NUMBER: u8 = 4;
    /// A boolean (or the string `true` / `false`).
    pub const BOOLEAN: u8 = 8;
    /// A mapping.
    pub const OBJECT: u8 = 16;
    /// A list.
    pub const ARRAY: u8 = 32;
}

/// Formats of [`Ty::formats`] (a value must match one of the bits set).
pub mod format {
    /// A KMS key ARN (`arn:aws:kms:<region>:<account>:key/<id>` or `...:alias/<name>`).
    pub const KMS_KEY_ARN: u8 = 1;
    /// A KMS key id (a UUID, `mrk-<32 hex>`, or `alias/<name>`).
    pub const KMS_KEY_ID: u8 = 2;
    /// A KMS alias name (`alias/<name>`).
    pub const KMS_ALIAS: u8 = 4;
}

/// A resource type whose Properties are checked.
#[derive(Debug)]
pub struct Resource {
    /// `AWS::SQS::Queue`.
    pub name: &'static str,
    /// Index of its Properties in `SHAPES`.
    pub shape: u16,
    /// One line about the resource.
    pub doc: &'static str,
}

/// An object: its properties, in name order.
#[derive(Debug)]
pub struct Shape {
    /// Keys other than `props` are allowed (a free-form or pattern-keyed object).
    pub open: bool,
    /// The type of the values of other keys, [`NONE`] when anything goes.
    pub values: u16,
    /// The known properties, sorted by name.
    pub props: &'static [Prop],
}

/// One property of an object.
#[derive(Debug)]
pub struct Prop {
    /// Its name.
    pub name: &'static str,
    /// Index of its type in `TYPES`.
    pub ty: u16,
    /// CloudFormation refuses the object without it.
    pub required: bool,
    /// 0 current, 1 deprecated, 2 legacy (still accepted, not recommended).
    pub status: u8,
    /// One line about it (from the schema's description).
    pub doc: &'static str,
}

/// A value type.
#[derive(Debug)]
pub struct Ty {
    /// The [`kind`] bits allowed (0: anything).
    pub kinds: u8,
    /// For objects: the index of the shape in `SHAPES`, or [`NONE`].
    pub shape: u16,
    /// For lists: the index of the items' type in `TYPES`, or [`NONE`].
    pub items: u16,
    /// The allowed values, when the schema lists them.
    pub values: &'static [&'static str],
    /// An anchored pattern in the subset [`super::pattern`] runs, or empty.
    pub pattern: &'static str,
    /// The [`format`] bits, or 0.
    pub formats: u8,
    /// Smallest number allowed.
    pub min: Option<f64>,
    /// Largest number allowed.
    pub max: Option<f64>,
    /// Fewest characters (strings) or items (lists).
    pub min_len: Option<u32>,
    /// Most characters (strings) or items (lists).
    pub max_len: Option<u32>,
}

/// The instance classes (or node types) a resource type offers, for one engine: the union over
/// every region of cfn-lint's pricing-derived data (a name outside it is refused everywhere).
#[derive(Debug)]
pub struct ClassRule {
    /// `AWS::RDS::DBInstance`.
    pub type_name: &'static str,
    /// The property, dotted when nested (`ClusterConfig.InstanceType`).
    pub path: &'static str,
    /// The lower-case `Engine` it applies to, empty when the type has one list.
    pub engine: &'static str,
    /// Indexes into the sorted class names.
    pub classes: &'static [u16],
}
