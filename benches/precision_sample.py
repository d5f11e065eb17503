#!/usr/bin/env python3
"""Precision of the rules on reports nobody tuned for: draw a seeded random sample of findings
per rule over ../shared/corpus-scale/, print each with its text so that it can be read and
judged, and check the recorded verdicts (tests/verdicts/<code>.tsv) against today's output.

Verdict files (one per rule code, tab-separated, UTF-8):
    # comment lines: date, sampling command and seed, findings at sampling time, commit
    file    line    rule    verdict    reason    [excerpt]
file = name in corpus-scale (no directory), line = 1-based line of the finding's start,
verdict = true | false, reason = one line in English.

Usage (from the repository root, after `cargo build --release`):
    benches/precision_sample.py sample --seed 12 --per-rule 25 [--rules a,b] [--out DIR]
        writes DIR/<code>.tsv skeletons (verdict `?`) and DIR/<code>.txt reading sheets
    benches/precision_sample.py check
        findings judged false that came back, true findings that are gone; exit 1 on either
    benches/precision_sample.py table
        precision per rule from the verdict files + today's finding counts (markdown)
"""

import argparse
import collections
import csv
import datetime
import glob
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus-scale")
DEFAULT_BIN = os.path.join(ROOT, "target", "release", "report-lsp")
VERDICTS = os.path.join(ROOT, "tests", "verdicts")
# Duplicate findings are judged by their own accuracy work (issue 6), not sampled here.
SKIP_BY_DEFAULT = {"duplicate-passage", "near-duplicate-passage"}


def run_check(binary, corpus):
    files = sorted(glob.glob(os.path.join(corpus, "*.txt")))
    out = subprocess.run(
        [binary, "check", "--format", "json", "--fail-on", "never", *files],
        capture_output=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"check failed ({out.returncode}): {out.stderr.decode(errors='replace')[:2000]}")
    data = json.loads(out.stdout)
    findings = []
    for f in data["files"]:
        name = os.path.basename(f["path"])
        for x in f.get("findings", []):
            findings.append((name, x))
    return findings


def commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def read_lines(corpus, name, cache={}):
    if name not in cache:
        with open(os.path.join(corpus, name), encoding="utf-8", errors="replace") as fh:
            cache[name] = fh.read().split("\n")
    return cache[name]


def clip(s, around=None, width=160):
    if len(s) <= width:
        return s
    if around is None:
        return s[:width] + "…"
    lo = max(0, around - width // 2)
    return ("…" if lo else "") + s[lo : lo + width] + "…"


def sheet(corpus, name, x):
    """A reading sheet entry: the message, the fix and the lines around the finding."""
    lines = read_lines(corpus, name)
    ln, col = x["line"], x.get("column", 1)
    out = [f"== {name}:{ln}:{col} [{x['severity']}] {x['message']}"]
    for r in x.get("related", [])[:4]:
        out.append(f"   related {os.path.basename(r.get('path', name))}:{r.get('line')}: {r.get('message', '')}")
    for fx in x.get("fixes", [])[:1]:
        edits = fx["edits"]
        out.append(f"   fix: {fx['title']} ({len(edits)} edits)")
        for e in edits[:3]:
            old = "\n".join(lines[e["line"] - 1 : e["endLine"]])
            out.append(f"     L{e['line']}-{e['endLine']} -> {e['newText']!r}  (in: {clip(old, e['column'], 60)!r})")
    for i in range(max(1, ln - 3), min(len(lines), x.get("endLine", ln) + 2) + 1):
        mark = ">>" if ln <= i <= x.get("endLine", ln) else "  "
        out.append(f"{mark}{i:5} {clip(lines[i - 1], col if i == ln else None)}")
    return "\n".join(out)


def excerpt(corpus, name, x):
    line = read_lines(corpus, name)[x["line"] - 1]
    col = x.get("column", 1) - 1
    return line[max(0, col - 10) : col + 30].replace("\t", " ")


def cmd_sample(a):
    findings = run_check(a.bin, a.corpus)
    by_rule = collections.defaultdict(list)
    for name, x in findings:
        by_rule[x["code"]].append((name, x))
    rules = a.rules.split(",") if a.rules else sorted(r for r in by_rule if r not in SKIP_BY_DEFAULT)
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    known = {(r["file"], r["line"], r["rule"]): (r["verdict"], r["reason"]) for r in load_verdicts(a.verdicts)}
    today = datetime.date.today().isoformat()
    for code in rules:
        pool = sorted(by_rule.get(code, []), key=lambda t: (t[0], t[1]["line"], t[1].get("column", 0)))
        picked = pool if len(pool) <= a.per_rule else rng.sample(pool, a.per_rule)
        picked.sort(key=lambda t: (t[0], t[1]["line"]))
        with open(os.path.join(a.out, f"{code}.tsv"), "w", encoding="utf-8") as fh:
            fh.write(f"# date: {today}\n")
            fh.write(f"# command: benches/precision_sample.py sample --seed {a.seed} --per-rule {a.per_rule}\n")
            fh.write(f"# findings over corpus-scale: {len(pool)}; sampled: {len(picked)}\n")
            fh.write(f"# commit measured: {commit()}\n")
            fh.write("file\tline\trule\tverdict\treason\texcerpt\n")
            for name, x in picked:
                # A finding judged in an earlier sample keeps its verdict (not re-read).
                v, why = known.get((name, x["line"], code), ("?", ""))
                fh.write(f"{name}\t{x['line']}\t{code}\t{v}\t{why}\t{excerpt(a.corpus, name, x)}\n")
        with open(os.path.join(a.out, f"{code}.txt"), "w", encoding="utf-8") as fh:
            for name, x in picked:
                fh.write(sheet(a.corpus, name, x) + "\n\n")
        print(f"{code}: {len(pool)} findings, {len(picked)} sampled")


def load_verdicts(directory):
    """Rows of every verdict file; each row knows the seed of the sample it came from (the
    last `--seed N` named in a comment above it: later samples are appended with their own
    comment block)."""
    rows = []
    for path in sorted(glob.glob(os.path.join(directory, "*.tsv"))):
        header = None
        seed = None
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    m = re.search(r"--seed (\d+)", line) or re.search(r"# sample: (\S+)", line)
                    if m:
                        seed = m.group(1)
                    continue
                if not line.strip():
                    continue
                cells = line.rstrip("\n").split("\t")
                if header is None:
                    header = cells
                    if "verdict" not in header:
                        break  # not a verdict file (e.g. report-year-labels.tsv)
                    continue
                if cells == header:
                    continue
                r = dict(zip(header, cells))
                r["line"] = int(r["line"])
                r["_seed"] = seed
                rows.append(r)
    return rows


def cmd_check(a):
    rows = load_verdicts(a.verdicts)
    present = collections.Counter()
    for name, x in run_check(a.bin, a.corpus):
        present[(name, x["line"], x["code"])] += 1
    back, gone = [], []
    stats = collections.defaultdict(lambda: [0, 0, 0, 0])  # true, true kept, false, false back
    for r in rows:
        key = (r["file"], r["line"], r["rule"])
        s = stats[r["rule"]]
        if r["verdict"] == "true":
            s[0] += 1
            if present[key]:
                s[1] += 1
            else:
                gone.append(r)
        elif r["verdict"] == "false":
            s[2] += 1
            if present[key]:
                s[3] += 1
                back.append(r)
    print("| rule | true kept | false back |")
    print("| --- | --- | --- |")
    for rule, (t, tk, f, fb) in sorted(stats.items()):
        print(f"| {rule} | {tk}/{t} | {fb}/{f} |")
    for r in back:
        print(f"FALSE BACK  {r['file']}:{r['line']} {r['rule']}: {r['reason']}")
    for r in gone:
        print(f"TRUE GONE   {r['file']}:{r['line']} {r['rule']}: {r['reason']}")
    sys.exit(1 if back or (gone and not a.allow_gone) else 0)


def pct(t, f):
    return f"{100 * t / (t + f):.0f}%" if t + f else "—"


def cmd_table(a):
    """Precision per rule today: every judged finding (all samples) that `check` still
    reports, true against false; and each sample's own precision when it was drawn."""
    findings = run_check(a.bin, a.corpus)
    counts = collections.Counter(x["code"] for _, x in findings)
    # Default severities from the settings schema (`--schema-bin`, the debug build of the same
    # tree by default: severities do not change the findings, only how they are shown).
    schema = json.loads(subprocess.run([a.schema_bin, "settings-schema"], capture_output=True).stdout)
    rules_schema = schema.get("reportLsp.rules", {}).get("properties", {})
    severity = {code: v.get("default", "—") for code, v in rules_schema.items()}
    present = set()
    for name, x in findings:
        present.add((name, x["line"], x["code"]))
    by_rule = collections.defaultdict(list)
    for r in load_verdicts(a.verdicts):
        by_rule[r["rule"]].append(r)
    out = [
        f"Measured {datetime.date.today().isoformat()} at commit {commit()} over the "
        f"{len(glob.glob(os.path.join(a.corpus, '*.txt')))} reports of `../shared/corpus-scale/`; "
        "verdicts in `tests/verdicts/<rule>.tsv`, drawn and checked with "
        "`benches/precision_sample.py` (`sample --seed N --per-rule 25`, `check`, `table`). "
        "*Now*: the judged findings (all samples) that `check` still reports. *Per sample*: "
        "true/judged when the sample was drawn, by seed.",
        "",
        "| rule | severity | findings | judged now | true | false | precision now | per sample |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in sorted(set(by_rule) | {c for c in counts if c not in SKIP_BY_DEFAULT}):
        rs = by_rule.get(rule, [])
        seen = set()
        now = []
        for r in rs:
            key = (r["file"], r["line"], r["rule"])
            if key in present and key not in seen:
                seen.add(key)
                now.append(r)
        t = sum(r["verdict"] == "true" for r in now)
        f = sum(r["verdict"] == "false" for r in now)
        samples = []
        for seed in sorted({r["_seed"] for r in rs if r["_seed"] is not None}, key=lambda x: (not x.isdigit(), x.zfill(9))):
            st = sum(r["verdict"] == "true" for r in rs if r["_seed"] == seed)
            sf = sum(r["verdict"] == "false" for r in rs if r["_seed"] == seed)
            samples.append(f"{'seed ' if seed.isdigit() else ''}{seed}: {st}/{st + sf}")
        sev = severity.get(rule, "—")
        out.append(
            f"| {rule} | {sev} | {counts.get(rule, 0)} | {t + f} | {t} | {f} | {pct(t, f)} | "
            + ("; ".join(samples) or "—")
            + " |"
        )
    text = "\n".join(out) + "\n"
    if a.write:
        with open(a.write, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(text, end="")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default=DEFAULT_CORPUS)
    p.add_argument("--bin", default=DEFAULT_BIN)
    p.add_argument("--verdicts", default=VERDICTS)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--seed", type=int, default=12)
    s.add_argument("--per-rule", type=int, default=25)
    s.add_argument("--rules", default="")
    s.add_argument("--out", default="/tmp/precision-sample")
    c = sub.add_parser("check")
    c.add_argument("--allow-gone", action="store_true", help="report true findings gone without failing")
    t = sub.add_parser("table")
    t.add_argument("--write", default="", help="also write the table to this file")
    t.add_argument("--schema-bin", default=os.path.join(ROOT, "target", "debug", "report-lsp"))
    # `--check` / `--table` are accepted as spellings of the subcommands.
    argv = [{"--check": "check", "--table": "table", "--sample": "sample"}.get(x, x) for x in sys.argv[1:]]
    a = p.parse_args(argv)
    {"sample": cmd_sample, "check": cmd_check, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
