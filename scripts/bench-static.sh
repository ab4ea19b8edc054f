#!/usr/bin/env bash
# `make bench-static`: the static binary of `make dist` against the ordinary (dynamically linked)
# release build, rendering a 100-service compose file; prints the median CPU time of each and
# their ratio (issue: a musl build with musl's allocator was 1.6x slower; static glibc keeps
# glibc's allocator).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
RUNS=${RUNS:-15}

$CARGO build -q --release --locked -p composex
target=x86_64-unknown-linux-gnu
static="target/$target/release/composex"
[ -x "$static" ] || { echo "bench-static: run \`make dist\` first ($static is missing)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "services:"
  for i in $(seq -w 1 100); do
    printf '  app%s:\n    image: example/app:%s\n    ports: ["%d:8080"]\n    environment:\n      PEER: app%s\n' \
      "$i" "$i" $((8000 + 10#$i)) "$i"
    printf '    deploy:\n      resources:\n        limits: {cpus: "0.5", memory: 1G}\n'
  done
} > "$work/compose.yml"

# CPU time (user + system) in milliseconds of one render: on a shared machine wall time mostly
# measures the neighbours' load.
render_ms() {
  /usr/bin/time -f '%U %S' -o "$work/time" "$1" render -f "$work/compose.yml" -n bench -d "$work/out" >/dev/null 2>&1
  awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$work/time"
}
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }

# The two binaries take turns, so a change in the machine's load touches both alike.
: > "$work/dynamic"; : > "$work/static"
for _ in $(seq "$RUNS"); do
  render_ms target/release/composex >> "$work/dynamic"
  render_ms "$static" >> "$work/static"
done
dynamic_ms=$(median < "$work/dynamic")
static_ms=$(median < "$work/static")
echo "bench-static: 100 services, median CPU time of $RUNS renders: dynamic glibc ${dynamic_ms} ms, static glibc ${static_ms} ms"
awk -v s="$static_ms" -v d="$dynamic_ms" 'BEGIN { printf "bench-static: static / dynamic = %.2f\n", (d > 0 ? s / d : 0) }'
