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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The static build takes about 18 minutes on the 2-core VM: an existing one is reused (the
# binary `make dist` left in target/<target>/release, else the one in its target/dist archive),
# and said so, with a note when it is older than the sources. Only when there is none is it built
# (`make dist`). BENCH_STATIC_REBUILD=1 builds it anew.
static=""
for candidate in target/x86_64-unknown-linux-musl/release/composex target/x86_64-unknown-linux-gnu/release/composex; do
  [ -x "$candidate" ] && static=$candidate && break
done
if [ -z "$static" ]; then
  archive=$(ls -t target/dist/composex-*.tar.gz 2>/dev/null | head -n 1 || true)
  if [ -n "$archive" ]; then
    tar -C "$work" -xzf "$archive"
    static=$(ls "$work"/composex-*/composex | head -n 1)
    echo "bench-static: reusing the static binary of $archive"
  fi
fi
if [ -z "$static" ] || [ "${BENCH_STATIC_REBUILD:-0}" = 1 ]; then
  echo "bench-static: no static build to reuse: running \`make dist\` (about 18 minutes on 2 cores)"
  scripts/dist.sh
  static=$(ls -t target/x86_64-unknown-linux-*/release/composex | head -n 1)
else
  echo "bench-static: reusing $static (built $(date -u -r "$static" '+%Y-%m-%d %H:%M UTC'); \`make dist\` or BENCH_STATIC_REBUILD=1 rebuilds it)"
  newest=$(find core/src cli/src -name '*.rs' -newer "$static" | head -n 1)
  [ -z "$newest" ] || echo "bench-static: note: sources changed since it was built ($newest): the ratio compares two versions"
fi
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
echo "bench-static: 100 services, median CPU time of $RUNS renders: dynamic glibc ${dynamic_ms} ms, static ${static_ms} ms"
awk -v s="$static_ms" -v d="$dynamic_ms" 'BEGIN { printf "bench-static: static / dynamic = %.2f\n", (d > 0 ? s / d : 0) }'
mkdir -p target/bench
printf '{"runs": %d, "dynamic_ms": %s, "static_ms": %s}\n' "$RUNS" "$dynamic_ms" "$static_ms" > target/bench/static.json
