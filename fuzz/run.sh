#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS (one libFuzzer job at a time: the machine is shared),
# seeded from examples/ and the ECS ComposeX corpus, then prints executions and crashes per target.
# usage: fuzz/run.sh [TARGET...]   env: FUZZ_SECONDS (default 300), COMPOSEX_CORPUS,
#   FUZZ_SANITIZER (default none: the core forbids unsafe code, and AddressSanitizer cut executions per second by a
#   factor of 4.5 on yaml_parse here (2,210 against 10,034); set address to fuzz the dependencies' unsafe code too)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-300}"
sanitizer="${FUZZ_SANITIZER:-none}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml_parse compose_load render)
corpus="${COMPOSEX_CORPUS:-}"
if [ -z "$corpus" ]; then
  for d in ../../shared/corpus/composex ../../../shared/corpus/composex; do
    [ -f "$d/cases.tsv" ] && corpus="$d" && break
  done
fi
[ -n "$corpus" ] || echo "corpus: skipped (not present); seeding from examples/ only"
mkdir -p logs
export RUSTC_BOOTSTRAP=1   # cargo-fuzz needs nightly flags; the machine has one stable toolchain
total=0
summary=()
failed=()
# Build every target first: a target that no longer compiles fails the run (no silent skip).
: >logs/build.log
for t in "${targets[@]}"; do
  if ! cargo fuzz build -O -s "$sanitizer" "$t" >>logs/build.log 2>&1; then
    tail -30 logs/build.log
    echo "fuzz: FAILED: target $t does not build (fuzz/logs/build.log)"
    exit 1
  fi
done
for t in "${targets[@]}"; do
  python3 seed.py "corpus/$t" "$t" "$corpus"
  # One process (no -jobs: that sends the output to fuzz-N.log). -timeout: an input that takes over 10 s is reported as a hang (never a hang is a requirement).
  # libFuzzer exits non-zero on a crash, a failed check, a timeout or an out-of-memory.
  rc=0
  cargo fuzz run -O -s "$sanitizer" "$t" "corpus/$t" -- -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"logs/$t.log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1 || true)
  runs=${runs:-0}
  crashes=$(ls "artifacts/$t" 2>/dev/null | grep -c -E '^(crash|timeout|oom|leak)-' || true)
  total=$((total + runs))
  summary+=("$(printf '%-14s %12s executions  %3s crash/timeout/oom artifacts  (%ss)  exit %s' "$t" "$runs" "$crashes" "$seconds" "$rc")")
  grep -E 'SUMMARY|panicked|ERROR: libFuzzer' "logs/$t.log" | head -5 || true
  if [ "$rc" -ne 0 ] || [ "$runs" -eq 0 ]; then
    failed+=("$t (exit $rc, $runs executions; fuzz/logs/$t.log)")
  fi
done
echo
echo "fuzz results (logs in fuzz/logs, artifacts in fuzz/artifacts):"
printf '  %s\n' "${summary[@]}"
echo "  total          $total executions"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
