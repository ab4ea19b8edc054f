//! wasm-bindgen API over composex-core.
