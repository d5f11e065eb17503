#!/usr/bin/env python3
"""Duplicate findings as a drafter sees them: every year of several governments of
../shared/corpus-scale in one workspace folder, `report-lsp check --format json` over it.

Prints the duplicate findings per report and per code (and per severity), and with --sample N
draws N findings at random (seeded) and prints each with both texts, for reading; --tsv writes
the sampled rows in the verdict format (verdict and reason left to the reader).

    cargo build --release
    python3 benches/dup_workspace.py                        # counts
    python3 benches/dup_workspace.py --sample 60 --seed 13  # + the sample to read
    python3 benches/dup_workspace.py --regions all          # all 753 reports in one workspace

The governments are the manifest's regions; the default seven are those of issue 13's note
(largest year series first). Findings of a code switched off by default (`template-passage`)
are counted only with --all-codes.
"""

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "corpus-scale")
DEFAULT_REGIONS = ["广州市", "北京市", "南昌市", "江苏省", "济南市", "杭州市", "长春市"]
CODES = ("duplicate-passage", "near-duplicate-passage", "template-passage")


def manifest():
    rows = []
    with open(os.path.join(CORPUS, "manifest.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def line_of(text, offset_line):
    lines = text.split("\n")
    return lines[offset_line] if 0 <= offset_line < len(lines) else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--regions", default=",".join(DEFAULT_REGIONS), help="manifest regions, or all")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "report-lsp"))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--tsv", help="write the sampled findings as verdict rows (one file per code)")
    ap.add_argument("--per-report", action="store_true", help="print the count of every report")
    ap.add_argument("--config", help="a report-lsp.toml copied to the workspace root")
    args = ap.parse_args()

    every = manifest()
    regions = sorted({r["region"] for r in every}) if args.regions == "all" else args.regions.split(",")
    rows = [r for r in every if r["region"] in regions]
    files = [r["new_name"] for r in rows]
    region_of = {r["new_name"]: r["region"] for r in rows}
    ws = tempfile.mkdtemp(prefix="dup-ws-")
    try:
        for name in files:
            shutil.copy(os.path.join(CORPUS, name), os.path.join(ws, name))
        if args.config:
            shutil.copy(args.config, os.path.join(ws, "report-lsp.toml"))
        proc = subprocess.run(
            [args.binary, "check", "--format", "json", ws],
            capture_output=True,
            text=True,
        )
        doc = json.loads(proc.stdout)
        texts = {n: open(os.path.join(ws, n), encoding="utf-8").read() for n in files}
    finally:
        shutil.rmtree(ws)

    findings = []
    per_report = collections.Counter()
    per_code = collections.Counter()
    for f in doc["files"]:
        name = os.path.basename(f["path"])
        for x in f.get("findings", []):
            if x["code"] not in CODES:
                continue
            findings.append((name, x))
            per_report[name] += 1
            per_code[(x["code"], x["severity"])] += 1
    n = len(files)
    shown = ",".join(regions) if len(regions) <= 10 else f"{','.join(regions[:10])},…"
    print(f"workspace: {n} reports of {len(regions)} governments ({shown})")
    print(f"duplicate findings: {len(findings)}, {len(findings) / max(n, 1):.2f} per report, "
          f"on {len(per_report)} reports; {n - len(per_report)} reports without any")
    for (code, sev), c in sorted(per_code.items()):
        print(f"  {code:24} {sev:12} {c}")
    by_region = collections.Counter()
    for name, c in per_report.items():
        by_region[region_of[name]] += c
    for r, c in by_region.most_common():
        print(f"  {r:28} {c}")
    if args.per_report:
        for name in sorted(files):
            print(f"  {name} {per_report[name]}")

    if args.sample:
        rng = random.Random(args.seed)
        ordered = sorted(findings, key=lambda p: (p[0], p[1]["line"], p[1]["column"], p[1]["code"]))
        picked = rng.sample(ordered, min(args.sample, len(ordered)))
        rows = collections.defaultdict(list)
        for k, (name, x) in enumerate(picked, 1):
            text = texts[name]
            lines = text.split("\n")
            raw = text.encode("utf-8")
            here = raw[x["byteStart"] : x["byteEnd"]].decode("utf-8", "replace")
            print(f"\n=== {k}. {name}:{x['line']} {x['code']} {x['severity']}: {x['message']}")
            print("  HERE:", here[:600].replace("\n", "\n        "))
            for r in x.get("related", [])[:2]:
                other = os.path.basename(r["path"]) if r.get("path") else name
                oraw = texts.get(other, "").encode("utf-8")
                there = oraw[r["byteStart"] : r["byteEnd"]].decode("utf-8", "replace")
                print(f"  THERE {other}:{r['line']}:", there[:600].replace("\n", "\n        "))
            excerpt = lines[x["line"] - 1].strip()[:40].replace("\t", " ")
            rows[x["code"]].append(f"{name}\t{x['line']}\t{x['code']}\t?\t?\t{excerpt}")
        if args.tsv:
            for code, rs in rows.items():
                with open(f"{args.tsv}.{code}.tsv", "w", encoding="utf-8") as out:
                    out.write("\n".join(rs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
