#!/usr/bin/env python3
"""Prints the tables of `make bench` from criterion's estimates (target/criterion).

Groups: `seed`, `corpus` (one entry per ECS ComposeX corpus case), `workers` and `web` (synthetic
projects of n services). For the synthetic series it prints t(n) and the growth ratio to the
previous size, e.g. t(100)/t(10).
"""
import json
import statistics
import sys
from pathlib import Path


def load(root: Path):
    results = {}
    for bench in root.glob("*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        group = meta.get("group_id")
        name = meta.get("function_id") or meta.get("value_str") or ""
        results.setdefault(group, {})[name] = est["mean"]["point_estimate"] / 1e6  # ns -> ms
    return results


def fmt_ms(ms: float) -> str:
    return f"{ms:,.3f} ms" if ms < 10 else f"{ms:,.1f} ms"


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    results = load(root)
    if not results:
        print(f"no criterion results under {root}")
        return 1

    if "seed" in results:
        print("\n## seed example (examples/seed/docker-compose.yml)")
        for name, ms in results["seed"].items():
            print(f"  render: {fmt_ms(ms)}")
    checks = results.get("seed-validate", {})
    if "schema checks on" in checks and "schema checks off" in checks:
        on, off = checks["schema checks on"], checks["schema checks off"]
        print("\n## seed validation with the Properties checks against the CloudFormation schemas")
        print(f"  schema checks on:  {fmt_ms(on)}")
        print(f"  schema checks off: {fmt_ms(off)}")
        print(f"  ratio on/off:      {on / off:.3f}")

    mapped = results.get("sourcemap", {})
    if mapped:
        print("\n## source map: render time without / with it (Options.source_map), and with the graph")
        for case in sorted({n.split("/")[0] for n in mapped}):
            plain = mapped.get(f"{case}/plain")
            with_map = mapped.get(f"{case}/mapped")
            graph = mapped.get(f"{case}/graph")
            if plain and with_map and graph:
                print(f"  {case:<12} plain {fmt_ms(plain):>12}  mapped {fmt_ms(with_map):>12}"
                      f"  ratio {with_map / plain:.2f}  graph {fmt_ms(graph):>12}  ratio {graph / plain:.2f}")

    corpus = results.get("corpus", {})
    if corpus:
        print(f"\n## corpus: native render per ECS ComposeX case ({len(corpus)} cases, mean time)")
        width = max(len(n) for n in corpus)
        for name in sorted(corpus):
            print(f"  {name:<{width}}  {fmt_ms(corpus[name]):>12}")
        times = list(corpus.values())
        print(f"  {'median':<{width}}  {fmt_ms(statistics.median(times)):>12}")
        print(f"  {'max':<{width}}  {fmt_ms(max(times)):>12}")
    else:
        print("\ncorpus: skipped (not present)")

    for group, what in [("workers", "services with no published port"),
                        ("web", "services with a port on the default network")]:
        series = results.get(group)
        if not series:
            continue
        print(f"\n## scaling: {group} ({what})")
        print(f"  {'services':>8}  {'time':>12}  {'per service':>12}  growth")
        prev = None
        for n in sorted(series, key=int):
            ms = series[n]
            growth = ""
            if prev is not None:
                pn, pms = prev
                growth = f"t({n})/t({pn}) = {ms / pms:.1f} (x{int(n) // int(pn)} services)"
            print(f"  {n:>8}  {fmt_ms(ms):>12}  {fmt_ms(ms / int(n)):>12}  {growth}")
            prev = (n, ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
