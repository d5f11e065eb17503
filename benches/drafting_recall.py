#!/usr/bin/env python3
"""Recall of three drafting rules on real reports with planted problems (issue 15), and the
findings the planting adds elsewhere (there should be none).

    cargo build --release && python3 benches/drafting_recall.py

From the corpus-scale reports whose text has a January–October dateline, random.Random(15)
draws 40; each gets three mutations, the way last year's text or an unfinished draft leaves them:
- placeholder: the first `增长N%` (N a number) becomes `增长XX%`;
- stale-year: the year of the first plan heading (`2025年工作安排`) goes back one year, as if
  copied from last year's report (only where such a heading exists);
- item-sequence: in the first paragraph enumerating `一是…二是…三是`, the `二是` clause is
  deleted (only where one exists).
The mutated copies are checked with `--only placeholder,stale-year,item-sequence`; a planted
problem counts as found when a finding of its rule starts on its line.
"""
import glob, json, os, random, re, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus-scale")
BIN = os.path.join(ROOT, "target", "release", "report-lsp")
CODES = "placeholder,stale-year,item-sequence"
DATELINE = re.compile(r"^[—―─（(\s]*(?:19|20)\d\d\s*年\s*([1-9]|10)\s*月.*(?:会议|代表大会)", re.M)
PLAN = re.compile(r"^(.{0,10}?)((?:19|20)\d\d)(年(?:工作安排|主要任务|重点工作|工作任务|目标任务|重点任务).{0,25})$", re.M)
ENUM = re.compile(r"([，。；：])二是(.*?)(?=[，。；：]三是)")


def check(paths):
    out = subprocess.run([BIN, "check", "--format", "json", "--fail-on", "never", "--only", CODES] + paths,
                         capture_output=True, text=True, check=True).stdout
    return {os.path.basename(f["path"]): [(x["code"], x["line"]) for x in f.get("findings", [])]
            for f in json.loads(out)["files"]}


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def main():
    files = sorted(glob.glob(os.path.join(CORPUS, "*.txt")))
    eligible = [f for f in files if DATELINE.search("\n".join(open(f, encoding="utf-8").read().split("\n")[:12]))]
    chosen = random.Random(15).sample(eligible, 40)
    planted = {}
    with tempfile.TemporaryDirectory() as tmp:
        for f in chosen:
            text = open(f, encoding="utf-8").read()
            name = os.path.basename(f)
            marks = []
            m = re.search(r"增长(\d+(?:\.\d+)?)%", text)
            if m:
                text = text[:m.start(1)] + "XX" + text[m.end(1):]
                marks.append(("placeholder", line_of(text, m.start(1))))
            m = PLAN.search(text)
            if m:
                text = text[:m.start(2)] + str(int(m.group(2)) - 1) + text[m.end(2):]
                marks.append(("stale-year", line_of(text, m.start(2))))
            m = ENUM.search(text)
            if m and "二是" not in m.group(2) and "\n" not in m.group(2):
                text = text[:m.start() + 1] + text[m.end():]
                marks.append(("item-sequence", line_of(text, m.start())))
            open(os.path.join(tmp, name), "w", encoding="utf-8").write(text)
            planted[name] = marks
        before = check(chosen)
        after = check([os.path.join(tmp, os.path.basename(f)) for f in chosen])
    found = {}
    extra = 0
    for name, marks in planted.items():
        got = list(after.get(name, []))
        for code, line in marks:
            hit = (code, line) in got
            found.setdefault(code, [0, 0])
            found[code][0] += hit
            found[code][1] += 1
            if hit:
                got.remove((code, line))
            else:
                print(f"  missed {code} {name}:{line}")
        # Findings that neither were there before nor are the planted ones.
        base = list(before.get(name, []))
        for g in got:
            if g in base:
                base.remove(g)
            else:
                extra += 1
                print(f"  extra  {g[0]} {name}:{g[1]}")
    for code, (h, n) in sorted(found.items()):
        print(f"{code}: {h}/{n} planted problems found")
    print(f"findings added elsewhere by the planting: {extra}")


if __name__ == "__main__":
    main()
