#!/usr/bin/env python3
"""Draws the labelled outline sample from ../shared/corpus-scale (seeded, stratified).

Strata: decade (pre-2000 / 2000s / 2010s / 2020s) x level (city / provincial), plus the
national plan outlines, plus reports with a glossary (名词解释/注释/附注) and reports with an
appendix (附件/附录). Prints one file name per line.

    python3 tests/outline-labels/sample.py ../shared/corpus-scale > tests/outline-labels/sample.txt
"""
import os
import random
import re
import sys

SEED = 11
root = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus-scale"
rows = []
with open(os.path.join(root, "manifest.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        name, _orig, _bytes, level, year, _region = line.rstrip("\n").split("\t")
        rows.append((name, level, int(year)))


def text(name):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        return f.read()


def decade(y):
    return "pre2000" if y < 2000 else f"{y // 10 * 10}s"


rng = random.Random(SEED)
picked = []


def take(pool, n):
    pool = sorted(p for p in pool if p not in picked)
    rng.shuffle(pool)
    picked.extend(pool[:n])


# National plan outlines 1953-2001.
take([r[0] for r in rows if r[1] == "national"], 3)
# Decade x level.
quota = {"pre2000": 3, "2000s": 4, "2010s": 5, "2020s": 5}
for dec, n in quota.items():
    for level in ("city", "provincial"):
        take([r[0] for r in rows if r[1] == level and decade(r[2]) == dec], n)
# Source forms: glossaries and appendices.
glossary = re.compile(r"^\s*(名词解释|注释|附注|附录)", re.M)
appendix = re.compile(r"^\s*(附件|附录|附\s*录)", re.M)
take([r[0] for r in rows if r[1] != "national" and glossary.search(text(r[0]))], 4)
take([r[0] for r in rows if r[1] != "national" and appendix.search(text(r[0]))], 3)
for p in picked:
    print(p)
