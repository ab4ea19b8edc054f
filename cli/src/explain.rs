//! `composex explain CX104` and `composex explain --list`: the core's code registry, printed.

use composex_core::codes;

/// Prints the long text of `code`, or the list of codes; an unknown code is a usage error.
pub fn run(code: Option<&str>, list: bool) -> Result<u8, String> {
    if list {
        for info in codes::all() {
            println!(
                "{}  {:<7}  {}",
                info.code,
                info.severity().as_str(),
                info.title
            );
        }
        return Ok(0);
    }
    let code = code.unwrap_or_default();
    match codes::explain(code) {
        Some(info) => {
            print!("{}", info.long_text());
            Ok(0)
        }
        None => Err(format!(
            "no diagnostic code `{code}` (`composex explain --list` shows every code)"
        )),
    }
}
