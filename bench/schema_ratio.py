#!/usr/bin/env python3
"""Prints the validation time with the Properties schema checks on and off, and their ratio,
from criterion's estimates of `cargo bench -p composex-bench --bench schema` (`make bench-schema`).

Usage: schema_ratio.py <target/criterion>
"""
import json
import sys
from pathlib import Path


def median_ns(path):
    return json.loads(path.read_text())["median"]["point_estimate"]


def main():
    root = Path(sys.argv[1]) / "schema"
    if not root.is_dir():
        sys.exit(f"{root}: no estimates (run `cargo bench -p composex-bench --bench schema`)")
    rows = []
    for case in sorted(p for p in root.iterdir() if (p / "on").is_dir() and (p / "off").is_dir()):
        on = median_ns(case / "on" / "new" / "estimates.json")
        off = median_ns(case / "off" / "new" / "estimates.json")
        rows.append((case.name, on, off))
    print("\nvalidation with the Properties schema checks (median, native)")
    print(f"{'input':<24}{'checks on':>12}{'checks off':>12}{'on / off':>10}")
    for name, on, off in rows:
        print(f"{name:<24}{on / 1e6:>9.3f} ms{off / 1e6:>9.3f} ms{on / off:>9.2f}x")


if __name__ == "__main__":
    main()
