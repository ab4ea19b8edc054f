//! The allocator of composex's native binaries: mimalloc instead of the system's (glibc) malloc.
//!
//! Why: a render builds and drops many small JSON values and strings; with glibc's malloc,
//! allocation and freeing were a third of the seed's instructions. mimalloc does the same work in
//! about 29% fewer instructions (seed: 3.9 M -> 2.75 M a render, callgrind) and, tuned by
//! [`tune`], within the same peak memory (1,000 services: 44 MiB either way; 5,000: 195 -> 191
//! MiB; untuned, mimalloc's peaks were 52 and 205 MiB).
//! The core does not choose an allocator (the wasm build keeps its own): a binary links this
//! crate and calls [`tune_for`] with the size of the compose text before it renders (the CLI),
//! or [`tune`] (the benchmarks: the same policy at every size, so their series compare).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc 3's `mimalloc.h` (the
/// bindings do not name it; the versions are pinned, and a test checks its default).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns freed pages to the system at once instead of after mimalloc's default delay (one
/// second): a render frees as it goes, so its peak stays near what is alive, not what was.
pub fn tune() {
    // SAFETY: sets one integer option; mimalloc allows it at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

/// Compose text from which a render's freed memory goes back to the system at once: about 150
/// one-port services. Below it a render's memory is a few MiB, and handing it back while
/// rendering only costs time: on the seed, purging at once made the whole `composex render`
/// process about 10% slower (the pages are returned and then faulted in again).
pub const PURGE_AT_ONCE_FROM_BYTES: usize = 64 * 1024;

/// [`tune`] when the compose text to render is big enough for its peak to matter
/// ([`PURGE_AT_ONCE_FROM_BYTES`]); otherwise mimalloc keeps its default delay, and a short
/// process exits before it would return anything.
pub fn tune_for(input_bytes: usize) {
    if input_bytes >= PURGE_AT_ONCE_FROM_BYTES {
        tune();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_15_is_the_purge_delay_and_big_inputs_set_it_to_zero() {
        // SAFETY: reads one integer option.
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // mimalloc 3's default purge delay: another option at 15 would not have it.
            assert_eq!(get(), 1000);
        }
        // A small render keeps the default delay; a big one purges at once.
        tune_for(PURGE_AT_ONCE_FROM_BYTES - 1);
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        tune_for(PURGE_AT_ONCE_FROM_BYTES);
        assert_eq!(get(), 0);
        tune();
        assert_eq!(get(), 0);
        // The allocator in use is mimalloc: it owns what Box allocates.
        let boxed = Box::new([7u8; 100]);
        // SAFETY: asks mimalloc whether a live pointer is in its heap.
        assert!(unsafe { libmimalloc_sys::mi_is_in_heap_region(boxed.as_ptr().cast()) });
    }
}
