#!/usr/bin/env bash
# `make bench-static`: the static binary of `make dist` against the ordinary (dynamically linked)
# release build, rendering a 100-service compose file; prints the median of each and their ratio.
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

# Median wall time in milliseconds of $RUNS renders.
median_ms() {
  local binary=$1 times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$binary" render -f "$work/compose.yml" -n bench -d "$work/out" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

dynamic_ms=$(median_ms target/release/composex)
static_ms=$(median_ms "$static")
echo "bench-static: 100 services, median of $RUNS renders: dynamic glibc ${dynamic_ms} ms, static glibc ${static_ms} ms"
awk -v s="$static_ms" -v d="$dynamic_ms" 'BEGIN { printf "bench-static: static / dynamic = %.2f\n", (d > 0 ? s / d : 0) }'
