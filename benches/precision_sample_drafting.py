#!/usr/bin/env python3
"""Precision samples of the drafting rules of issue 15 (placeholder, item-sequence,
percentage-point, ratio-sum, range-notation, stale-year) over ../shared/corpus-scale/.

    cargo build --release
    python3 benches/precision_sample_drafting.py            # print the sample rows to label
    python3 benches/precision_sample_drafting.py --check    # compare with tests/verdicts/

Runs `target/release/report-lsp check --format json --only CODES` over every corpus-scale
report, groups the findings by rule and draws all of them when there are at most 25, else 25
with random.Random(SEED). Rows follow the shared verdict format (file, line, rule, verdict,
reason, excerpt); the verdict and reason are written by reading the text. `--check` reports,
per rule, the findings now and those of the verdict file: false findings that came back and
true findings that are gone.
"""
import collections, csv, glob, json, os, random, subprocess, sys

SEED = 15
N = 25
CODES = ["placeholder", "item-sequence", "percentage-point", "ratio-sum", "range-notation", "stale-year"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus-scale")
BIN = os.path.join(ROOT, "target", "release", "report-lsp")


def findings():
    files = sorted(glob.glob(os.path.join(CORPUS, "*.txt")))
    out = subprocess.run(
        [BIN, "check", "--format", "json", "--fail-on", "never", "--only", ",".join(CODES)] + files,
        capture_output=True, text=True, check=True).stdout
    by_rule = collections.defaultdict(list)
    texts = {}
    for f in json.loads(out)["files"]:
        name = os.path.basename(f["path"])
        for x in f.get("findings", []):
            if name not in texts:
                with open(f["path"], encoding="utf-8") as fh:
                    texts[name] = fh.read().encode("utf-8")
            ex = texts[name][x["byteStart"]:x["byteEnd"]].decode("utf-8", "replace")
            by_rule[x["code"]].append((name, x["line"], ex[:40], x["message"]))
    return by_rule


def sample(rows):
    rows = sorted(rows)
    return rows if len(rows) <= N else random.Random(SEED).sample(rows, N)


def main():
    by_rule = findings()
    if "--check" in sys.argv:
        bad = 0
        for code in CODES:
            now = {(f, l) for f, l, _, _ in by_rule.get(code, [])}
            path = os.path.join(ROOT, "tests", "verdicts", f"{code}.tsv")
            if not os.path.exists(path):
                print(f"{code}: {len(now)} findings, no verdict file")
                continue
            with open(path, encoding="utf-8") as fh:
                rows = list(csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t"))
            true_gone = [r for r in rows if r["verdict"] == "true" and (r["file"], int(r["line"])) not in now]
            false_back = [r for r in rows if r["verdict"] == "false" and (r["file"], int(r["line"])) in now]
            t = sum(r["verdict"] == "true" for r in rows)
            print(f"{code}: {len(now)} findings now; verdicts {t}/{len(rows)} true; "
                  f"{len(false_back)} false came back, {len(true_gone)} true gone")
            for r in false_back:
                print(f"  false back: {r['file']}:{r['line']} {r['reason']}")
            for r in true_gone:
                print(f"  true gone:  {r['file']}:{r['line']} {r['reason']}")
            bad += len(false_back)
        sys.exit(1 if bad else 0)
    for code in CODES:
        rows = by_rule.get(code, [])
        print(f"# {code}: {len(rows)} findings over corpus-scale, seed {SEED}")
        for f, l, ex, msg in sample(rows):
            print(f"{f}\t{l}\t{code}\t\t{msg}\t{ex}")


if __name__ == "__main__":
    main()
