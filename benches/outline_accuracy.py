#!/usr/bin/env python3
"""Outline accuracy against the labels in tests/outline-labels/ (see its README.md).

    cargo build --release
    python3 benches/outline_accuracy.py [--bin target/release/report-lsp]
        [--corpus ../shared/corpus-scale] [--verbose] [--json OUT] [--heldout]

For every labelled report, runs `report-lsp outline --format json` and compares:
- heading entries: every section of kind title/heading except on lines labelled T (the document
  title, out of scope); an entry on a line labelled H is right, any other is a false entry;
- recall: labelled H lines shown as a heading entry (a list item there counts as missed);
- nesting: for each right entry, its nearest ancestor that is a heading entry (or none) must be
  the nearest labelled H ancestor (or none);
- list items shown on lines labelled I, and list items shown on lines labelled H (missed).
Prints a table per report and overall (micro-averaged) figures.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LABELS = os.path.join(ROOT, "tests", "outline-labels")


def read_labels(path):
    """Returns {line: (kind, parent_line_or_0)}; parent is the nearest shallower H line."""
    labels = {}
    stack = []  # (indent, line, kind)
    with open(path, encoding="utf-8") as f:
        for raw in f:
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            kind, line = raw.split()[:2]
            line = int(line)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = next((l for (_, l, k) in reversed(stack) if k == "H"), 0)
            labels[line] = (kind, parent)
            stack.append((indent, line, kind))
    return labels


def read_candidates(path):
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {int(l.split("\t", 1)[0]) for l in f if l.strip()}


def flatten(sections, titles):
    """[(line, kind, heading_parent_line_or_0)] for all sections."""
    out = []

    def walk(ss, parent):
        for s in ss:
            line = s["selection"]["line"]
            kind = s["kind"]
            is_heading = kind in ("title", "heading") and line not in titles
            out.append((line, kind if kind in ("title", "heading") else "item", parent, is_heading))
            walk(s.get("children", []), line if is_heading else parent)

    walk(sections, 0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "report-lsp"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus-scale"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--heldout", action="store_true", help="the held-out set instead of the sample")
    args = ap.parse_args()
    lists, labels_dir, cands_dir = ("sample.txt", "labels", "candidates")
    if args.heldout:
        lists, labels_dir, cands_dir = ("heldout.txt", "heldout", "candidates-heldout")
    with open(os.path.join(LABELS, lists), encoding="utf-8") as f:
        sample = [l.strip() for l in f if l.strip()]
    totals = dict(entries=0, right=0, labelled=0, found=0, nested=0, items_on_i=0,
                  items_on_h=0, unlabelled=0, perfect=0)
    rows = []
    for name in sample:
        labels = read_labels(os.path.join(LABELS, labels_dir, name))
        cands = read_candidates(os.path.join(LABELS, cands_dir, name.replace(".txt", ".tsv")))
        titles = {l for l, (k, _) in labels.items() if k == "T"}
        path = os.path.join(args.corpus, name)
        res = subprocess.run([args.bin, "outline", "--format", "json", path],
                             capture_output=True, text=True, check=True)
        secs = flatten(json.loads(res.stdout)["files"][0]["sections"], titles)
        shown = {}
        for line, kind, parent, is_heading in secs:
            shown.setdefault(line, (kind, parent, is_heading))
        h_lines = {l for l, (k, _) in labels.items() if k == "H"}
        entries = [(l, p) for (l, k, p, h) in secs if h]
        right = [(l, p) for (l, p) in entries if l in h_lines]
        false = [l for (l, p) in entries if l not in h_lines]
        unlabelled = [l for l in false if l not in labels and l not in cands]
        found = {l for (l, _) in right}
        missed = sorted(h_lines - found)
        nest_wrong = [(l, p, labels[l][1]) for (l, p) in right if p != labels[l][1]]
        items_on_i = sum(1 for (l, k, p, h) in secs if k == "item" and labels.get(l, ("N",))[0] == "I")
        items_on_h = sum(1 for (l, k, p, h) in secs if k == "item" and l in h_lines)
        r = dict(name=name, entries=len(entries), right=len(right), labelled=len(h_lines),
                 found=len(found), nested=len(right) - len(nest_wrong), false=false,
                 missed=missed, nest_wrong=nest_wrong, items_on_i=items_on_i,
                 items_on_h=items_on_h, unlabelled=unlabelled)
        rows.append(r)
        for k in ("entries", "right", "labelled", "found", "nested", "items_on_i", "items_on_h"):
            totals[k] += r[k]
        totals["unlabelled"] += len(unlabelled)
        totals["perfect"] += int(not false and not missed and not nest_wrong)

    def ratio(a, b):
        return a / b if b else 1.0

    print(f"{'report':36} {'shown':>5} {'right':>5} {'label':>5} {'P':>6} {'R':>6} {'nest':>6}")
    for r in rows:
        print(f"{r['name'][:36]:36} {r['entries']:5} {r['right']:5} {r['labelled']:5} "
              f"{ratio(r['right'], r['entries']):6.3f} {ratio(r['found'], r['labelled']):6.3f} "
              f"{ratio(r['nested'], r['right']):6.3f}")
        if args.verbose:
            for l in r["false"]:
                print(f"    false entry  L{l}" + ("  (not a candidate line)" if l in r["unlabelled"] else ""))
            for l in r["missed"]:
                print(f"    missed       L{l}")
            for l, got, want in r["nest_wrong"]:
                print(f"    nesting      L{l}: parent L{got}, labelled L{want}")
    t = totals
    p, rc, n = ratio(t["right"], t["entries"]), ratio(t["found"], t["labelled"]), ratio(t["nested"], t["right"])
    print()
    print(f"reports {len(rows)}, perfect {t['perfect']}")
    print(f"heading entries shown {t['entries']}, right {t['right']}, false {t['entries'] - t['right']} "
          f"(on lines outside the candidate lists: {t['unlabelled']})")
    print(f"labelled headings {t['labelled']}, found {t['found']}, missed {t['labelled'] - t['found']}")
    print(f"precision {p:.3f}  recall {rc:.3f}  nesting {n:.3f} ({t['nested']} of {t['right']})")
    print(f"list items on lines labelled I: {t['items_on_i']}; list items on labelled headings: {t['items_on_h']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(dict(totals=t, precision=p, recall=rc, nesting=n, reports=rows), f, indent=1)


main()
