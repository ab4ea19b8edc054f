// Writes the file the wasm build loads at run time; the IO ban is for the core's library.
#![allow(clippy::disallowed_methods, clippy::print_stderr)]

//! `cargo run -p composex-core --example schema_file -- <out.json>`: the compiled-in schema table
//! as the file `schema::install` reads (`make wasm` puts it next to the wasm module).

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: schema_file <out.json>");
        std::process::exit(2);
    };
    let text = composex_core::schema::encode().expect("this build has the table compiled in");
    if let Err(e) = std::fs::write(&out, text) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}
