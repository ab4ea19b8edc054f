#!/usr/bin/env bash
# `make dist`: a statically linked composex in target/dist/ as composex-<version>-<target>.tar.gz
# with a SHA256SUMS file, then checks that `file` calls it static and that it renders the seed
# exactly as the debug build does.
#
# The target: x86_64-unknown-linux-musl when rustup has it installed; otherwise glibc linked
# statically (x86_64-unknown-linux-gnu with `-C target-feature=+crt-static`), which needs no
# download: glibc's static archives come with the system C compiler. A non-PIE executable
# (`relocation-model=static`), which `file` calls "statically linked". glibc's allocator comes
# along, so the static binary is not slowed by musl's.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
if rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
  target=x86_64-unknown-linux-musl
  flags=""
else
  target=x86_64-unknown-linux-gnu
  flags="-C target-feature=+crt-static -C relocation-model=static"
fi
echo "dist: building composex $version for $target ${flags:+($flags)}"
# --target keeps these RUSTFLAGS off the host build scripts and out of target/release.
start=$(date +%s)
RUSTFLAGS="${RUSTFLAGS:-} $flags" $CARGO build -q --release --locked -p composex --target "$target"
echo "dist: built in $(( $(date +%s) - start )) s"

binary="target/$target/release/composex"
kind=$(file -b "$binary")
echo "dist: $kind"
case "$kind" in
  *"statically linked"*) ;;
  *) echo "dist: $binary is not statically linked" >&2; exit 1 ;;
esac
if ldd "$binary" >/dev/null 2>&1; then
  echo "dist: ldd finds shared libraries in $binary" >&2; exit 1
fi

out=target/dist
name="composex-$version-$target"
rm -rf "$out/$name"
mkdir -p "$out/$name"
cp "$binary" README.md "$out/$name/"
tar -C "$out" -czf "$out/$name.tar.gz" --owner=0 --group=0 --numeric-owner "$name"
rm -rf "$out/$name"
(cd "$out" && sha256sum composex-*.tar.gz > SHA256SUMS)
echo "dist: $out/$name.tar.gz ($(stat -c %s "$out/$name.tar.gz") bytes), $out/SHA256SUMS"
# Where the binary is, for `make bench-compare` (which times it as a user runs it).
echo "$binary" > "$out/BINARY"

# The static binary renders the seed, both layouts, byte for byte as the debug build does.
$CARGO build -q -p composex
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$out/$name.tar.gz"
for layout in "" "--single"; do
  "$work/$name/composex" render -f examples/seed/docker-compose.yml -n seed -d "$work/static" $layout 2>/dev/null
  target/debug/composex render -f examples/seed/docker-compose.yml -n seed -d "$work/debug" $layout 2>/dev/null
  diff -r "$work/static" "$work/debug"
  echo "dist: the static binary renders the seed ($(ls "$work/static" | wc -l) files${layout:+, $layout}) as the debug build does"
  rm -rf "$work/static" "$work/debug"
done
