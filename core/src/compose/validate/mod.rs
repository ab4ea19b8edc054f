//! Validation of a loaded compose project: every problem in one pass, each located.
//!
//! Three passes over the normalised tree and the typed [`Project`]:
//! - `structure`: kinds and allowed keys of the compose specification;
//! - `meaning`: references, dependency cycles, images, port clashes, contradictions;
//! - `xmodules`: ComposeX top-level `x-*` modules and per-service extensions.
//!
//! Codes (stable; CX2xx compose, CX3xx ComposeX x-modules). CX200-CX203 and CX290-CX299 belong to
//! interpolation, merge and `.env` (see those modules):
//!
//! | code  | severity | meaning |
//! |-------|----------|---------|
//! | CX210 | error    | unknown key inside a compose object (service, deploy, port, ...), with "did you mean" |
//! | CX211 | warning  | unknown top-level key that does not start with `x-` |
//! | CX212 | error    | wrong kind of value (`ports` must be a sequence, ...) |
//! | CX213 | error    | invalid port (short or long syntax) |
//! | CX214 | error    | invalid volume short syntax |
//! | CX215 | error    | invalid duration |
//! | CX216 | error    | invalid byte size |
//! | CX217 | error    | not an integer where compose wants one |
//! | CX218 | error    | not a boolean where compose wants one |
//! | CX219 | warning  | YAML 1.1 boolean (`yes`, `off`, ...) at a boolean path |
//! | CX220 | error    | not a number where compose wants one |
//! | CX221 | error    | invalid `KEY=VALUE` entry (empty name, spaces around the name) |
//! | CX222 | error    | healthcheck test does not start with CMD, CMD-SHELL or NONE |
//! | CX223 | error    | unknown enumerated value (depends_on condition) |
//! | CX224 | error    | invalid file mode |
//! | CX225 | error    | command string that cannot be split (unclosed quote) |
//! | CX230 | error    | depends_on names an undefined service |
//! | CX231 | error    | service uses an undefined network |
//! | CX232 | error    | service uses an undefined volume |
//! | CX233 | error    | service uses an undefined secret |
//! | CX234 | error    | service uses an undefined config |
//! | CX235 | error    | depends_on cycle |
//! | CX236 | error    | service has neither image nor build |
//! | CX237 | retired  | was: `build` without `image`; now rendered with a required image parameter (warning CX331) |
//! | CX238 | error    | clashing ports within a task family |
//! | CX239 | error    | contradicting attributes (cpus vs deploy limits, network_mode vs networks, external vs driver) |
//! | CX240 | error    | top-level secret with both `file` and `environment` (warning when it has no source at all) |
//! | CX241 | warning  | secret-looking `environment` entry with a value written in plain text (see `literal_secrets`) |
//! | CX280-CX285 | info/warning/error | what ECS makes of each compose key (see [`crate::compose::support`]) |
//! | CX286 | error    | unknown Linux capability in `cap_add` / `cap_drop` (normalisation) |
//! | CX301 | warning  | top-level `x-*` key that is not a ComposeX module |
//! | CX302 | error    | x-module value or resource of the wrong kind |
//! | CX303 | error    | unknown key in an x-resource (common keys: Properties, Settings, Services, Lookup, MacroParameters) |
//! | CX304 | error    | `Services` entry naming neither a service nor a task family |
//! | CX305 | error    | legacy list form of `Services` (help shows the mapping form) |
//! | CX306 | warning  | service `x-*` key that is not a ComposeX service extension |
//! | CX307 | error    | x-module keys that exclude each other (`x-vpc` with both `Properties` and `Lookup`) |

pub mod literal_secrets;
mod meaning;
mod structure;
mod xmodules;

pub use structure::{service_keys, top_level as compose_structure, Shape as ComposeShape};
pub use xmodules::{is_service_extension, module_names, NOT_SUPPORTED_YET};

use crate::compose::model::{convert, Project};
use crate::compose::normalize::normalize;
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

/// The stable codes of this stage (see the table above).
pub mod codes {
    pub use crate::compose::normalize::codes::*;
    /// Unknown key in a compose object.
    pub const UNKNOWN_KEY: &str = "CX210";
    /// Unknown non-`x-` top-level key.
    pub const UNKNOWN_TOP_LEVEL_KEY: &str = "CX211";
    /// depends_on names an undefined service.
    pub const UNDEFINED_SERVICE: &str = "CX230";
    /// Undefined network.
    pub const UNDEFINED_NETWORK: &str = "CX231";
    /// Undefined volume.
    pub const UNDEFINED_VOLUME: &str = "CX232";
    /// Undefined secret.
    pub const UNDEFINED_SECRET: &str = "CX233";
    /// Undefined config.
    pub const UNDEFINED_CONFIG: &str = "CX234";
    /// depends_on cycle.
    pub const DEPENDENCY_CYCLE: &str = "CX235";
    /// Neither image nor build.
    pub const MISSING_IMAGE: &str = "CX236";
    /// Retired: `build` without `image` is no longer an error (the render warns, CX331).
    pub const BUILD_WITHOUT_IMAGE: &str = "CX237";
    /// Clashing ports.
    pub const PORT_CLASH: &str = "CX238";
    /// Contradicting attributes.
    pub const CONFLICTING_VALUES: &str = "CX239";
    /// Top-level secret source.
    pub const SECRET_SOURCE: &str = "CX240";
    /// Unknown top-level x- key.
    pub const UNKNOWN_X_MODULE: &str = "CX301";
    /// x-module value of the wrong kind.
    pub const X_WRONG_KIND: &str = "CX302";
    /// Unknown key in an x-resource.
    pub const X_UNKNOWN_KEY: &str = "CX303";
    /// Services entry naming no service or family.
    pub const X_UNKNOWN_SERVICE: &str = "CX304";
    /// Legacy list form of Services.
    pub const X_LEGACY_SERVICES_LIST: &str = "CX305";
    /// Unknown service x- key.
    pub const UNKNOWN_SERVICE_EXTENSION: &str = "CX306";
    /// x-module keys that exclude each other.
    pub const X_CONFLICTING_KEYS: &str = "CX307";
}

/// A merged tree after normalisation, typing and validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The normalised tree (long syntax), what `composex merge` prints.
    pub tree: Node,
    /// The typed project.
    pub project: Project,
    /// Every problem found by normalisation and validation, unsorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Normalises the merged tree, builds the project and validates it: the stage after the merge.
pub fn check(merged: &Node) -> Checked {
    let mut tree = merged.clone();
    let mut diagnostics = normalize(&mut tree);
    let project = convert(&tree);
    diagnostics.extend(validate(&tree, &project));
    Checked {
        tree,
        project,
        diagnostics,
    }
}

/// Validates a normalised tree and the project built from it.
pub fn validate(tree: &Node, project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    structure::check_top_level(tree, &mut out);
    meaning::check(tree, project, &mut out);
    xmodules::check(tree, project, &mut out);
    crate::compose::support::check(tree, project, &mut out);
    out
}
