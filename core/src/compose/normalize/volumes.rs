//! Service volume short syntax (`src:dst[:opts]`), as compose-go's `format.ParseVolume` reads it.

use crate::compose::model::VolumeKind;

/// A parsed volume short syntax.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VolumeSpec {
    /// Bind mount or named/anonymous volume.
    pub kind: VolumeKind,
    /// Host path or volume name (`None`: anonymous volume).
    pub source: Option<String>,
    /// Container path, cleaned (`/data/` becomes `/data`).
    pub target: String,
    /// `ro` option.
    pub read_only: bool,
    /// `nocopy` option.
    pub nocopy: bool,
    /// Bind propagation option (`rprivate`, `shared`, ...).
    pub propagation: Option<String>,
    /// SELinux relabel option (`z` or `Z`).
    pub selinux: Option<String>,
}

const PROPAGATIONS: &[&str] = &[
    "private", "rprivate", "shared", "rshared", "slave", "rslave",
];

/// Parses `[source:]target[:options]`. A source starting with `.`, `/`, `~`, `\\` or a drive letter
/// is a bind mount, anything else names a volume. Unknown options are ignored, like compose-go.
pub fn parse_volume_spec(spec: &str) -> Result<VolumeSpec, String> {
    let mut volume = VolumeSpec::default();
    match spec.len() {
        0 => return Err("invalid empty volume spec".into()),
        1 | 2 => {
            volume.target = clean_path(spec);
            return Ok(volume);
        }
        _ => {}
    }
    let mut buffer = String::new();
    let mut in_substitution = 0usize;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && is_windows_drive(&buffer) {
            buffer.push(c);
        } else if c == '$' && chars.peek() == Some(&'{') {
            in_substitution += 1;
            buffer.push(c);
        } else if c == '}' && in_substitution > 0 {
            in_substitution -= 1;
            buffer.push(c);
        } else if c == ':' && in_substitution == 0 {
            take_section(&buffer, true, &mut volume)
                .map_err(|e| format!("invalid spec: {spec}: {e}"))?;
            buffer.clear();
        } else {
            buffer.push(c);
        }
    }
    take_section(&buffer, false, &mut volume).map_err(|e| format!("invalid spec: {spec}: {e}"))?;
    if volume.source.as_deref().is_some_and(is_file_path) {
        volume.kind = VolumeKind::Bind;
    }
    volume.target = clean_path(&volume.target);
    Ok(volume)
}

/// Fills source, then target, then options, from one colon-separated section.
fn take_section(section: &str, more_follow: bool, volume: &mut VolumeSpec) -> Result<(), String> {
    if section.is_empty() {
        return Err("empty section between colons".into());
    }
    if volume.source.is_none() && volume.target.is_empty() {
        if more_follow {
            volume.source = Some(section.to_string());
        } else {
            volume.target = section.to_string(); // anonymous volume
        }
        return Ok(());
    }
    if volume.target.is_empty() {
        volume.target = section.to_string();
        return Ok(());
    }
    if more_follow {
        return Err("too many colons".into());
    }
    for option in section.split(',') {
        match option {
            "ro" => volume.read_only = true,
            "rw" => volume.read_only = false,
            "nocopy" => volume.nocopy = true,
            "z" | "Z" => volume.selinux = Some(option.to_string()),
            p if PROPAGATIONS.contains(&p) => volume.propagation = Some(p.to_string()),
            _ => {}
        }
    }
    Ok(())
}

fn is_windows_drive(buffer: &str) -> bool {
    let mut chars = buffer.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

/// Whether a volume source is a host path rather than a volume name.
pub fn is_file_path(source: &str) -> bool {
    if source.starts_with(['.', '/', '~']) || source.starts_with("\\\\") {
        return true;
    }
    let mut chars = source.chars();
    matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_alphabetic())
}

/// Go's `path.Clean` for the container path: collapses `//`, `.` and `..`, drops a trailing `/`.
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}
