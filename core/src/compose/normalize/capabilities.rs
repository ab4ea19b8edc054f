//! `cap_add` / `cap_drop`: names are written with or without `CAP_` and in any case (compose
//! passes them to Docker, which accepts all of these); they become the upper-case names ECS
//! takes (`SYS_PTRACE`), and a name ECS does not know is an error at the entry.

use super::*;

/// Unknown Linux capability in `cap_add` / `cap_drop`.
pub const UNKNOWN_CAPABILITY: &str = "CX286";

/// The capability names ECS accepts (`KernelCapabilities`), without `CAP_`.
pub const CAPABILITIES: &[&str] = &[
    "ALL",
    "AUDIT_CONTROL",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "SYSLOG",
    "WAKE_ALARM",
];

/// The ECS spelling of a capability name as compose accepts it (`cap_sys_ptrace` → `SYS_PTRACE`).
pub fn canonical(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

impl Normalizer {
    /// Rewrites each entry of `cap_add` / `cap_drop` to its ECS spelling; unknown names are errors.
    pub(super) fn capabilities(&mut self, path: &str, items: &mut [Node]) {
        for item in items.iter_mut() {
            let Some(text) = item.scalar_text() else {
                continue;
            };
            let name = canonical(text);
            if CAPABILITIES.contains(&name.as_str()) {
                *item = Node::string(name, item.span);
                continue;
            }
            let help = match crate::suggest::did_you_mean(&name, CAPABILITIES.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "capabilities are Linux capability names such as NET_ADMIN or SYS_PTRACE (with or without CAP_)".into(),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    UNKNOWN_CAPABILITY,
                    format!("{path}: `{text}` is not a Linux capability ECS knows"),
                    item.span,
                )
                .with_help(help),
            );
        }
    }
}
