#!/usr/bin/env python3
"""`make bench-compare`: ECS ComposeX 1.1.9 and composex-rs render the same corpus cases in the
same run; prints both times per case, the ratio, and the medians.

ComposeX needs AWS APIs even to render: STS (account id) comes from a moto server started here on
127.0.0.1 and reset before every case; its CloudFormation ValidateTemplate call is switched off by
bench/cx_render.py. Both tools are timed as whole processes (start-up included, as a pipeline
step sees them), one after the other, with the same files and working directory (the corpus root,
so relative file references resolve).

The seed is the one case written in our spelling: ECS ComposeX 1.1.9 stops on it ("Expose port
value is invalid": it takes `expose` entries as numbers only, the compose spec allows strings, and
it names the send-only SQS access `Publish` where the seed says `SendOnly`). ComposeX gets a copy
with those two spellings changed (`seed_for_composex`), so both tools do the whole work on the same
project; ours renders the seed as it is.

usage: compare.py --composex-python PY --moto-python PY --cli PATH [--cases GLOB] [--repeat N]
"""
import argparse
import fnmatch
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

# Runs behind the seed's medians (the headline figure), in SEED_COMPOSEX_RUNS rounds of one
# ComposeX run and five of ours: ours last a few ms, where one slow process start shows;
# ComposeX's first run also compiles its bytecode.
SEED_COMPOSEX_RUNS = 5
SEED_OUR_RUNS = 25

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def corpus_dir() -> Path | None:
    env = os.environ.get("COMPOSEX_CORPUS")
    candidates = [Path(env)] if env else [REPO / "../shared/corpus/composex", REPO / "../../shared/corpus/composex"]
    return next((c.resolve() for c in candidates if (c / "cases.tsv").is_file()), None)


def cases(corpus: Path):
    rows = (corpus / "cases.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    slug, files = header.index("case_slug"), header.index("files")
    for row in rows[1:]:
        cells = row.split("\t")
        yield cells[slug], cells[files].split("+")


def seed_for_composex(seed: Path, work: Path) -> Path:
    """A copy of the seed folder in ComposeX 1.1.9's spelling: `expose: ["5000"]` entries as numbers
    and the SQS access `SendOnly` as `Publish` (its name for sqs:SendMessage). Nothing else changes;
    a spelling that is no longer found fails loudly rather than timing a different project."""
    copy = work / "seed-composex"
    shutil.copytree(seed, copy)
    compose = copy / "docker-compose.yml"
    text = compose.read_text()
    edits = [('    expose:\n      - "5000"\n', '    expose:\n      - 5000\n'),
             ("Access: SendOnly", "Access: Publish")]
    for old, new in edits:
        if old not in text:
            raise SystemExit(f"seed_for_composex: {old!r} is no longer in the seed; update the edit")
        text = text.replace(old, new)
    compose.write_text(text)
    return copy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """A moto server on 127.0.0.1, stopped on exit."""

    def __init__(self, python: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1)
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"moto server did not start (log: {log})")

    def reset(self):
        # A loaded machine can stall moto for a while: retry rather than abort the whole run.
        for attempt in range(3):
            try:
                req = urllib.request.Request(self.url + "/moto-api/reset", method="POST")
                urllib.request.urlopen(req, timeout=30)
                return
            except OSError:
                if attempt == 2:
                    raise
                time.sleep(2)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def timed(cmd, cwd: Path, env: dict, timeout: float):
    """Wall time of one run, its exit code (or "timeout") and its standard error.

    The timeout is a watchdog thread, not `subprocess.run(timeout=...)`: with a timeout, Python
    waits for the child by polling with sleeps of 0.5 ms and up, which added about 1 ms to each
    of our runs (a quarter of the seed's time) and nothing measurable to ComposeX's.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, err = proc.communicate()
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    rc = "timeout" if timed_out.is_set() else proc.returncode
    return elapsed, rc, err.decode(errors="replace")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--composex-python", required=True, help="python of the venv with ecs-composex 1.1.9")
    ap.add_argument("--moto-python", required=True, help="python of a venv with moto[server]")
    ap.add_argument("--cli", required=True, help="our composex binary (release build)")
    ap.add_argument("--cli-kind", default="the release build",
                    help="what --cli is, for the README table (e.g. the static binary of `make dist`)")
    ap.add_argument("--cases", default="*", help="only case slugs matching this glob")
    ap.add_argument("--repeat", type=int, default=3, help="runs of our CLI per case (median taken)")
    args = ap.parse_args()

    corpus = corpus_dir()
    if corpus is None:
        print("corpus: skipped (not present)")
        return 0
    cli = Path(args.cli).resolve()
    # abspath, not resolve(): a venv's python is a symlink, and following it leaves the venv.
    args.composex_python = os.path.abspath(args.composex_python)
    args.moto_python = os.path.abspath(args.moto_python)
    # The seed example first (run from its own folder), then the corpus cases.
    seed_dir = REPO / "examples/seed"
    work = Path(tempfile.mkdtemp(prefix="bench-compare-", dir=REPO / "target"))
    # (slug, files, our working directory, ComposeX's working directory)
    selected = [("seed", ["docker-compose.yml"], seed_dir, seed_for_composex(seed_dir, work))] \
        if fnmatch.fnmatch("seed", args.cases) else []
    selected += [(s, f, corpus, corpus) for s, f in cases(corpus) if fnmatch.fnmatch(s, args.cases)]
    moto = Moto(args.moto_python, work / "moto.log")
    env = dict(os.environ, AWS_DEFAULT_REGION="eu-west-1", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_ENDPOINT_URL=moto.url, AWS_MAX_ATTEMPTS="1")
    env.pop("AWS_PROFILE", None)
    rows = []
    seed_counts = (0, 0)
    try:
        print(f"ECS ComposeX 1.1.9 vs composex-rs on {len(selected)} corpus cases (moto on {moto.url})")
        print(f"{'case':<58} {'ComposeX':>10} {'ours':>9} {'speed-up':>9}  outcome (ComposeX / ours)")
        for slug, files, cwd, cx_cwd in selected:
            flags = [a for f in files for a in ("-f", f)]
            cx_out = work / "cx" / slug
            # The seed is the headline figure (more runs of both); a corpus case runs ComposeX once
            # (130 cases of ~1 s each) and ours --repeat times.
            headline = slug == "seed"
            # The seed runs in rounds, one ComposeX run then several of ours, so that both tools
            # meet the same machine: measured one tool after the other, a slow spell (seen right
            # after `make dist` had built) fell on our 3 ms runs alone and read as half more time.
            rounds = max(SEED_COMPOSEX_RUNS, args.repeat) if headline else 1
            ours_per_round = -(-max(SEED_OUR_RUNS, args.repeat) // rounds) if headline else max(1, args.repeat)
            cx_runs, ours = [], []
            for _ in range(rounds):
                # Each tool starts with no dirty pages left to write back (a build or the other
                # tool's output): writeback during a 3 ms run showed as a quarter more time.
                os.sync()
                moto.reset()
                shutil.rmtree(cx_out, ignore_errors=True)
                cx_runs.append(timed([args.composex_python, str(HERE / "cx_render.py"), "render", "-n", "test",
                                      *flags, "-d", str(cx_out), "--format", "yaml"], cx_cwd, env, 120))
                os.sync()
                for _ in range(ours_per_round):
                    our_out = work / "ours" / slug
                    shutil.rmtree(our_out, ignore_errors=True)
                    s, our_rc, our_err = timed([str(cli), "render", "-n", "test", *flags, "-d", str(our_out)],
                                               cwd, env, 120)
                    ours.append(s)
            cx_s = statistics.median(r[0] for r in cx_runs)
            _, cx_rc, cx_err = cx_runs[-1]
            if headline:
                seed_counts = (len(cx_runs), len(ours))
            our_s = statistics.median(ours)
            ratio = cx_s / our_s if our_s > 0 else float("inf")
            outcome = f"{'ok' if cx_rc == 0 else 'error'} / {'ok' if our_rc == 0 else 'error'}"
            if cx_rc != 0 and cx_err.strip():
                outcome += f" (ComposeX: {cx_err.strip().splitlines()[-1][:80]})"
            if isinstance(our_rc, int) and our_rc not in (0, 1):
                outcome += f" (ours rc {our_rc}: {our_err.strip().splitlines()[-1][:60] if our_err.strip() else ''})"
            rows.append((slug, cx_s, cx_rc, our_s, our_rc, ratio))
            print(f"{slug:<58} {cx_s:>9.2f}s {our_s * 1000:>7.1f}ms {ratio:>8.0f}x  {outcome}", flush=True)
    finally:
        moto.stop()
    if not rows:
        print("no cases selected")
        return 0
    seed = next((r for r in rows if r[0] == "seed"), None)
    rows = [r for r in rows if r[0] != "seed"]
    # Merged into the last run's figures, so `CASES=seed` refreshes the seed's alone.
    summary_path = REPO / "target/bench/compare.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    print()
    if seed:
        summary["seed"] = {"composex_s": seed[1], "ours_s": seed[3], "ratio": seed[5],
                           "composex_ok": seed[2] == 0, "ours_ok": seed[4] == 0,
                           "composex_runs": seed_counts[0], "ours_runs": seed_counts[1],
                           "interleaved": True, "cli": str(cli),
                           "cli_kind": args.cli_kind}
        print(f"seed: ComposeX {seed[1]:.2f} s, ours {seed[3] * 1000:.1f} ms, speed-up {seed[5]:.0f}x")
    if rows:
        summary["corpus"] = {"cases": len(rows), "composex_s": statistics.median(r[1] for r in rows),
                             "ours_s": statistics.median(r[3] for r in rows),
                             "ratio": statistics.median(r[5] for r in rows)}
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.write_text(json.dumps(summary, indent=2) + "\n")
    if not rows:
        print(f"outputs in {work}")
        return 0
    both_ok = [r for r in rows if r[2] == 0 and r[4] == 0]
    print(f"median over {len(rows)} cases: ComposeX {statistics.median(r[1] for r in rows):.2f} s, "
          f"ours {statistics.median(r[3] for r in rows) * 1000:.1f} ms, "
          f"speed-up {statistics.median(r[5] for r in rows):.0f}x")
    if both_ok:
        print(f"median over the {len(both_ok)} cases both render: ComposeX "
              f"{statistics.median(r[1] for r in both_ok):.2f} s, ours "
              f"{statistics.median(r[3] for r in both_ok) * 1000:.1f} ms, "
              f"speed-up {statistics.median(r[5] for r in both_ok):.0f}x")
    print(f"outputs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
