#!/usr/bin/env python3
"""Accuracy of analysis::report_year against the labels in tests/verdicts/report-year-labels.tsv
(read by hand from the text). Also reports how often it answers over the whole corpus and how
often its answer differs from the manifest's year (the file's label, which can be a year off).

    cargo build --example report_year && python3 benches/report_year_accuracy.py
"""
import csv, glob, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus-scale")
BIN = os.path.join(ROOT, "target", "debug", "examples", "report_year")

def run(files):
    out = subprocess.run([BIN] + files, capture_output=True, text=True, check=True).stdout
    return {l.split("\t")[0]: l.split("\t")[1:] for l in out.splitlines()}

labels = {}
with open(os.path.join(ROOT, "tests", "verdicts", "report-year-labels.tsv"), encoding="utf-8") as f:
    rows = [l for l in f if not l.startswith("#")]
for r in csv.DictReader(rows, delimiter="\t"):
    labels[r["file"]] = int(r["year"])

got = run([os.path.join(CORPUS, f) for f in labels])
right = wrong = none = 0
for f, y in labels.items():
    g = got[f][0]
    if g == "-":
        none += 1
        print(f"  no answer  {f} (label {y})")
    elif int(g) == y:
        right += 1
    else:
        wrong += 1
        print(f"  WRONG      {f}: {g} ({got[f][1]}), label {y}")
n = len(labels)
print(f"labelled sample: {n} reports, {right} right, {wrong} wrong, {none} no answer "
      f"(accuracy of answers {right}/{right + wrong}, coverage {right + wrong}/{n})")

manifest = {}
with open(os.path.join(CORPUS, "manifest.tsv"), encoding="utf-8") as f:
    for r in csv.DictReader(f, delimiter="\t"):
        manifest[r["new_name"]] = r["year"]
allf = sorted(glob.glob(os.path.join(CORPUS, "*.txt")))
res = run(allf)
answered = [f for f, v in res.items() if v[0] != "-"]
differs = [f for f in answered if res[f][0] != manifest.get(f)]
by_source = {}
for f in answered:
    by_source[res[f][1]] = by_source.get(res[f][1], 0) + 1
print(f"corpus-scale: {len(res)} reports, {len(answered)} answered {by_source}, "
      f"{len(differs)} differ from the manifest year")
if "-v" in sys.argv:
    for f in differs:
        print(f"  {f}: {res[f][0]} ({res[f][1]}) vs manifest {manifest.get(f)}")
