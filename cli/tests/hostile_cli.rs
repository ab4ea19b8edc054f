//! Hostile input files through the `composex` binary: the bytes the core never sees (invalid
//! UTF-8) and file-level oddities (NUL, BOM, CRLF, empty) end in a clear message and exit code,
//! never a panic.

use std::path::Path;
use std::process::{Command, Output};

fn composex(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run composex")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn validate(bytes: &[u8]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yml"), bytes).unwrap();
    composex(dir.path(), &["validate", "-f", "in.yml"])
}

#[test]
fn invalid_utf8_is_an_io_error_pointing_at_the_first_bad_byte() {
    let out = validate(b"services:\n  app:\n    image: ngi\xff\xfenx\n");
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    // Line 3, column 15 is the 0xFF byte; byte 31 is its offset.
    assert!(
        text.contains("in.yml:3:15: the file is not valid UTF-8 (byte 31)"),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn nul_byte_is_a_yaml_error_at_its_line() {
    let out = validate(b"services:\n  app:\n    image: ng\0inx\n");
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("error[CX100]"), "{text}");
    assert!(text.contains("--> in.yml:3:"), "{text}");
}

#[test]
fn bom_crlf_and_json_files_validate() {
    for bytes in [
        &b"\xef\xbb\xbfservices:\n  app:\n    image: nginx\n"[..],
        b"services:\r\n  app:\r\n    image: nginx\r\n",
        br#"{"services": {"app": {"image": "nginx"}}}"#,
    ] {
        let out = validate(bytes);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn empty_file_is_an_error() {
    let out = validate(b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[CX203]: empty compose file"));
}
