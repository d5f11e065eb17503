#!/usr/bin/env python3
"""Prints the candidate lines of one report for labelling (see README.md).

A candidate is every line that starts with a numbering marker (一、 （一） 1. （1） ① 第一章
一是 第一， bare numerals…), every short line (< 40 characters) that does not end with 。 (unless it directly continues a
line that ends mid-sentence), and
every line the outline of `report-lsp outline --format json` shows (passed with --outline, so
that nothing it shows escapes labelling; which lines those are is not printed).

    python3 tests/outline-labels/candidates.py FILE [--outline BIN]
Output: `line<TAB>chars<TAB>text (first 60 chars)<TAB>next non-blank line (first 20 chars)`.
Lines are 1-based, as in the labels.
"""
import json
import re
import subprocess
import sys

MARKER = re.compile(
    r"^[\s\u3000\u200b\ufeff]*("
    r"[一二三四五六七八九十百零〇]+\s*[、.．,，:：\s]|[一二三四五六七八九十百]+$"
    r"|[（(][一二三四五六七八九十百]+[)）]|[一二三四五六七八九十百]+[)）]"
    r"|[0-9０-９]+\s*[、.．,，:：)）]|[（(][0-9０-９]+[)）]|[①-⑳]"
    r"|第[一二三四五六七八九十百0-9]+[篇章节部分条项]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、]"
    r"|附\s*[件录]|名词解释|注释|附注|注[:：]"
    r")"
)


def blank(s):
    return s.strip(" \t\u3000\u200b\ufeff\xa0") == ""


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    shown = set()
    if "--outline" in sys.argv:
        binary = sys.argv[sys.argv.index("--outline") + 1]
        out = subprocess.run([binary, "outline", "--format", "json", path], capture_output=True, text=True).stdout
        def walk(ss):
            for s in ss:
                shown.add(s["selection"]["line"])
                walk(s.get("children", []))
        walk(json.loads(out)["files"][0]["sections"])
    for i, raw in enumerate(lines):
        n = i + 1
        t = raw.strip(" \t\u3000\u200b\ufeff\xa0")
        if not t:
            continue
        short = len(t) < 40 and not t.endswith("。")
        # A short line glued to a previous line that ends mid-sentence is the rest of that
        # sentence (PDF line breaks); it stays a candidate only through a marker or the outline.
        prev = lines[i - 1].strip(" \t\u3000\u200b\ufeff\xa0") if i else ""
        if prev and not re.search(r"[。！？!?：:；;）)”]$", prev):
            short = False
        if not (MARKER.match(raw) or short or n in shown):
            continue
        nxt = ""
        for j in range(i + 1, len(lines)):
            if not blank(lines[j]):
                nxt = lines[j].strip(" \t\u3000\u200b\ufeff\xa0")[:20]
                break
        print(f"{n}\t{len(t)}\t{t[:60]}\t» {nxt}")


main()
