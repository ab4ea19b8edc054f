//! The allocator of composex's native binaries: mimalloc instead of the system's (glibc) malloc.
//!
//! Why: a render builds and drops many small JSON values and strings; with glibc's malloc,
//! allocation and freeing were a third of the seed's instructions. mimalloc does the same work in
//! about 29% fewer instructions (seed: 3.9 M -> 2.75 M a render, callgrind).
//!
//! It runs with mimalloc's own settings. Big renders used to hand freed pages back at once
//! (purge delay 0) to keep their peak down while every family's values were alive until the
//! layout. Since the families are written as text when finished, the peak is low without it
//! (1,000 services: 29.8 MiB untuned against 24.9 tuned; 5,000: 124 against 99), and handing
//! pages back only to fault them in again made `composex render` of 1,000 services about 15% slower
//! (79 against 68 ms, medians of 15).
//! The core does not choose an allocator (the wasm build keeps its own): a binary links this
//! crate with `extern crate composex_alloc;` (a `use composex_alloc as _;` left it out of the
//! CLI's binary: `nm` found no mimalloc symbol); the CLI's test `the_binary_allocates_with_mimalloc`
//! checks the link.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    #[test]
    fn the_allocator_in_use_is_mimalloc() {
        // It owns what Box allocates.
        let boxed = Box::new([7u8; 100]);
        // SAFETY: asks mimalloc whether a live pointer is in its heap.
        assert!(unsafe { libmimalloc_sys::mi_is_in_heap_region(boxed.as_ptr().cast()) });
    }
}
