#!/usr/bin/env python3
"""The last step of `make bench`: one table from the figures of that run, written into README.md
between the `<!-- bench:begin -->` and `<!-- bench:end -->` markers (and printed).

Reads criterion's estimates (target/criterion, via table.py), the peak memory lines of peak_mem
(target/bench/peak-*.txt), the interleaved scaling rounds (target/bench/scaling.json), the
browser figures of tests/e2e/bench.mjs (target/bench/wasm.json), bench-static's
(target/bench/static.json) and, when `make bench-compare` has been run, target/bench/compare.json.
A figure that is missing is shown as "not measured".

usage: readme.py [README]   (default README.md; `-` only prints)
"""
import json
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from table import load

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "target/bench"
# The figure issue 20 started from (criterion, 2026-11-26): kept for the ratio.
SEED_BASELINE_MS = 2.16
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def read_json(name: str):
    path = BENCH / name
    return json.loads(path.read_text()) if path.is_file() else None


def peak_mib(services: int):
    path = BENCH / f"peak-{services}.txt"
    if not path.is_file():
        return None
    m = re.search(r"after ([\d.]+) MiB", path.read_text())
    return float(m.group(1)) if m else None


def ms(value):
    if value is None:
        return "not measured"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{value:,.3f} ms" if value < 10 else f"{value:,.1f} ms"


def verdict(ok):
    return "" if ok is None else ("met" if ok else "**not met**")


def rows():
    crit = load(REPO / "target/criterion")
    seed = next(iter(crit.get("seed", {}).values()), None)
    corpus = sorted(crit.get("corpus", {}).values())
    corpus_median = corpus[len(corpus) // 2] if corpus else None
    workers = crit.get("workers", {})
    web = crit.get("web", {})
    out = []
    speedup = SEED_BASELINE_MS / seed if seed else None
    out.append(("seed, in process (criterion mean)", ms(seed),
                f"{speedup:.2f}× faster than {SEED_BASELINE_MS} ms" if speedup else "",
                "≥ 4×", verdict(speedup >= 4 if speedup else None)))
    out.append(("corpus cases, in process (median)", ms(corpus_median), f"{len(corpus)} cases", "", ""))
    for n in ("10", "100", "1000", "5000"):
        if n in workers:
            out.append((f"{int(n):,} services (`workers`)", ms(workers[n]),
                        f"{workers[n] / int(n):.3f} ms a service", "", ""))
    if "100" in workers and "1000" in workers:
        growth = workers["1000"] / workers["100"]
        out.append(("t(1,000) / t(100) (`workers`)", f"{growth:.2f}", "", "≤ 11", verdict(growth <= 11)))
    scaling = read_json("scaling.json")
    if scaling:
        # The same ratio, timed in interleaved rounds beside two workloads that are linear by
        # construction: what this machine's caches give a linear program of the render's size.
        rounds = scaling["rounds"]
        r = scaling["render"]
        out.append(("t(1,000) / t(100) (`workers`), interleaved rounds", f"{r['ratio']:.2f}",
                    f"{ms(r['t100_ms'])} / {ms(r['t1000_ms'])}, medians of {rounds} rounds",
                    "", ""))
        for key in ("linear_output", "linear_peak"):
            w = scaling[key]
            out.append((f"t(1,000) / t(100), {w['what']}, same rounds", f"{w['ratio']:.2f}",
                        f"{ms(w['t100_ms'])} / {ms(w['t1000_ms'])}; the machine's own growth "
                        "(bench/src/bin/scaling.rs)", "", ""))
    for n in ("10", "100", "1000"):
        if n in web:
            out.append((f"{int(n):,} services (`web`)", ms(web[n]), f"{web[n] / int(n):.3f} ms a service", "", ""))
    if "100" in web and "1000" in web:
        # The one-port series: for comparison with `workers` (the target's row), no target of its own.
        out.append(("t(1,000) / t(100) (`web`)", f"{web['1000'] / web['100']:.2f}", "", "", ""))
    for services, limit in ((1000, 48), (5000, 200)):
        peak = peak_mib(services)
        out.append((f"peak RSS, {services:,} services (`workers`)",
                    "not measured" if peak is None else f"{peak:.1f} MiB", "", f"≤ {limit} MiB",
                    verdict(peak <= limit if peak is not None else None)))
    wasm = read_json("wasm.json")
    if wasm:
        wasm_gz = next((s["gz"] for s in wasm["sizes"] if s["path"].endswith(".wasm")), None)
        out.append(("seed in Chromium (wasm render, median)", ms(wasm["browser"]["median"]),
                    f"native {ms(wasm['native']['median_ms'])}", "", ""))
        worker = wasm.get("worker", {})
        if "seed" in worker:
            out.append(("keystroke, seed (worker round trip, median)", ms(worker["seed"]["median"]),
                        f"{ms(worker['seed']['renderMedian'])} inside the worker", "", ""))
        if "100 services" in worker:
            w = worker["100 services"]
            out.append(("keystroke, 100 services (worker round trip, median)", ms(w["median"]),
                        f"{ms(w['renderMedian'])} inside the worker; native {ms(wasm['native100']['median_ms'])}",
                        "≤ 30 ms", verdict(w["median"] <= 30)))
        if wasm_gz:
            out.append(("wasm download (gzip -9)", f"{wasm_gz / 1024:.1f} KiB", "", "", ""))
    else:
        out.append(("browser figures (bench-wasm)", "not measured", "", "", ""))
    static = read_json("static.json")
    if static and static["dynamic_ms"]:
        out.append(("static / dynamic binary, 100 services (CPU time)",
                    f"{static['static_ms'] / static['dynamic_ms']:.2f}",
                    f"{static['static_ms']} ms / {static['dynamic_ms']} ms", "", ""))
    compare = read_json("compare.json")
    if compare and "seed" in compare:
        s = compare["seed"]
        # A tool that stopped with an error did not do the whole work: the ratio is shown, not judged.
        both_ok = s["composex_ok"] and s["ours_ok"]
        outcome = "" if both_ok else (" (ComposeX ended with an error)" if not s["composex_ok"] else " (ours ended with an error)")
        out.append(("ECS ComposeX vs ours, seed, process to process", f"{s['ratio']:.0f}×",
                    f"{s['composex_s']:.2f} s vs {s['ours_s'] * 1000:.1f} ms, medians of "
                    f"{s.get('composex_runs', 3)} and {s.get('ours_runs', 3)} runs"
                    f"{' in rounds of both' if s.get('interleaved') else ''}{outcome} "
                    f"(ours: {s.get('cli_kind', 'the release build')}; "
                    "ComposeX reads the seed with `expose` as numbers and `Publish` for `SendOnly`: "
                    "bench/compare.py)", "≥ 400×",
                    verdict(s["ratio"] >= 400) if both_ok else "not comparable"))
    if compare and "corpus" in compare:
        c = compare["corpus"]
        out.append((f"ECS ComposeX vs ours, corpus median ({c['cases']} cases)", f"{c['ratio']:.0f}×",
                    f"{c['composex_s']:.2f} s vs {c['ours_s'] * 1000:.1f} ms", "", ""))
    if not compare:
        out.append(("ECS ComposeX vs ours (`make bench-compare`)", "not measured", "", "", ""))
    return out


def machine():
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    load1 = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").is_file() else "?"
    return (f"{time.strftime('%Y-%m-%d', time.gmtime())}, {platform.machine()}, {cores} cores, "
            f"load average {load1} when the table was written")


def block():
    lines = [BEGIN, "",
             f"Measured by `make bench` ({machine()}; `make bench-compare` figures from its own last run):", "",
             "| measure | figure | detail | target | |", "|---|---:|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows()]
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    target = sys.argv[1] if len(sys.argv) > 1 else str(REPO / "README.md")
    text = block()
    print(text)
    if target == "-":
        return 0
    readme = Path(target)
    current = readme.read_text()
    if BEGIN not in current or END not in current:
        print(f"{readme}: no {BEGIN} / {END} markers: table not written", file=sys.stderr)
        return 1
    start, end = current.index(BEGIN), current.index(END) + len(END)
    readme.write_text(current[:start] + text + current[end:])
    print(f"written into {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
