#!/usr/bin/env bash
# Renders every example, fixture and corpus case (both layouts, both formats) with the work tree
# and compares the result with a baseline: a folder rendered earlier, or a git revision (rendered
# now in a temporary worktree). Prints the diff and the counts; exits 1 when anything differs.
#
#   scripts/compare-outputs.sh BASELINE_DIR     # e.g. /tmp/baseline from an earlier run
#   scripts/compare-outputs.sh --rev REV        # render REV first (slow: builds REV)
#   scripts/compare-outputs.sh --save DIR       # only render the work tree into DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
render() { (cd "$1" && cargo run -q -p composex-tests --bin render_all -- "$2"); }

case "${1:-}" in
--save)
  rm -rf "$2"
  render "$root" "$2"
  exit 0
  ;;
--rev)
  tmp=$(mktemp -d)
  trap 'git -C "$root" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
  git -C "$root" worktree add --detach "$tmp/src" "$2" >/dev/null
  CARGO_TARGET_DIR="$root/target" render "$tmp/src" "$tmp/base"
  baseline="$tmp/base"
  ;;
"")
  echo "usage: $0 BASELINE_DIR | --rev REV | --save DIR" >&2
  exit 2
  ;;
*) baseline=$1 ;;
esac

current=$(mktemp -d)
render "$root" "$current/out"
files=$(find "$current/out" -type f | wc -l)
if diff -r "$baseline" "$current/out"; then
  echo "identical: $files files compared"
  rm -rf "$current"
else
  echo "DIFFERENT (current output kept in $current/out; $files files)"
  exit 1
fi
