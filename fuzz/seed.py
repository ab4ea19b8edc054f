#!/usr/bin/env python3
"""Writes the fuzzing seed corpus (gitignored, built at run time): every YAML file of examples/
and of ECS ComposeX's corpus (read by path, never committed), and for compose_load/render also
each multi-file corpus case joined with 0xFF bytes (how the fuzz targets split files).

usage: seed.py OUT_DIR TARGET [CORPUS_DIR]
"""
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def yaml_files(root: Path):
    return sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def main() -> int:
    out, target = Path(sys.argv[1]), sys.argv[2]
    corpus = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
    out.mkdir(parents=True, exist_ok=True)
    seeds = []
    for root in [REPO / "examples"] + ([corpus / "use-cases"] if corpus else []):
        if root.is_dir():
            seeds += [p.read_bytes() for p in yaml_files(root)]
    if corpus and target != "yaml_parse" and (corpus / "cases.tsv").is_file():
        rows = (corpus / "cases.tsv").read_text().splitlines()
        header = rows[0].split("\t")
        files_col = header.index("files")
        for row in rows[1:]:
            files = row.split("\t")[files_col].split("+")
            if len(files) > 1 and all((corpus / f).is_file() for f in files):
                seeds.append(b"\xff".join((corpus / f).read_bytes() for f in files))
    for seed in seeds:
        # Content-addressed names: re-running adds nothing new and never clobbers fuzzer finds.
        (out / ("seed-" + hashlib.sha1(seed).hexdigest())).write_bytes(seed)
    print(f"fuzz seeds for {target}: {len(seeds)} inputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
