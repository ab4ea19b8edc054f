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
    # criterion writes `<input>/on` as the folder `<input>_on`.
    rows = []
    for on_dir in sorted(root.glob("*_on")):
        name = on_dir.name[: -len("_on")]
        off_dir = root / f"{name}_off"
        if not off_dir.is_dir():
            continue
        rows.append((name, median_ns(on_dir / "new" / "estimates.json"), median_ns(off_dir / "new" / "estimates.json")))
    print("\nvalidation with the Properties schema checks (median, native)")
    print(f"{'input':<24}{'checks on':>12}{'checks off':>12}{'on / off':>10}")
    for name, on, off in rows:
        print(f"{name:<24}{on / 1e6:>9.3f} ms{off / 1e6:>9.3f} ms{on / off:>9.2f}x")


if __name__ == "__main__":
    main()
