#!/usr/bin/env python3
"""Soak: 10,000 random incremental edits (CJK, ASCII, newlines, CRLF; insertions, deletions and
replacements, positions in UTF-16 as most clients send them) against the real server. At the
end the server's text (the `report-lsp/documentText` request) must be identical to the
client's, and the server's RSS must be within 10% of its level after the first 1,000 edits.
Exits 1 otherwise.

  cargo build --release
  python3 benches/soak_edits.py [edits] [seed]

Every 100 edits the client waits for the diagnostics of that version (so the analysis really
runs on the edited text, not only the rope); RSS is read from /proc every 1,000 edits.
"""
import json, os, random, subprocess, sys, time

BIN = os.environ.get("REPORT_LSP_BIN", "target/release/report-lsp")
EDITS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 18
rng = random.Random(SEED)
PIECES = ["一", "、", "（二）", "增长6.5%", "，", "。", "地区生产总值", "abc", "12", " ", "\n", "\r\n",
          "𠮷", "城镇登记失业率控制在3%以内", "二、主要任务", "\t"]

p = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def send(msg):
    body = json.dumps(msg, ensure_ascii=False).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def recv():
    length = None
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b""):
            break
        k, v = line.decode().split(":", 1)
        if k.lower() == "content-length":
            length = int(v)
    msg = json.loads(p.stdout.read(length))
    if "id" in msg and "method" in msg:
        result = [{"diagnostics": {"delayMs": 0}}] if msg["method"] == "workspace/configuration" else None
        send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
    return msg


def wait(pred):
    while True:
        m = recv()
        if pred(m):
            return m


next_id = [0]


def request(method, params):
    next_id[0] += 1
    i = next_id[0]
    send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
    return wait(lambda m: m.get("id") == i and "method" not in m)


def rss_kb():
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def lines_of(text):
    """LSP lines: \\n, \\r\\n and \\r end a line."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r":
            i += 2 if text[i + 1:i + 2] == "\n" else 1
            out.append(start)
            start = i
        elif text[i] == "\n":
            i += 1
            out.append(start)
            start = i
        else:
            i += 1
    out.append(start)
    return out  # line start offsets (in str indices)


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def position(text, starts, k):
    """(line, utf-16 column) of str index k, never inside a \\r\\n."""
    line = max(i for i, s in enumerate(starts) if s <= k)
    return {"line": line, "character": utf16_len(text[starts[line]:k])}


def boundary(text, k):
    # Never split a \r\n (the server clamps such a position to the line end, as LSP says).
    if 0 < k < len(text) and text[k - 1] == "\r" and text[k] == "\n":
        k -= 1
    return k


SECTION = "一、主要目标\n地区生产总值增长5%左右，城镇调查失业率5.5%左右。\n（一）稳增长\n推进重大项目建设。\n"
text = "2024年政府工作报告\n" + SECTION * 40
SIZE = len(text)  # the document's size wanders around its initial one
uri = "file:///soak/report.txt"
request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
version = 1
rss = {}
started = time.time()
for n in range(1, EDITS + 1):
    starts = lines_of(text)
    a = boundary(text, rng.randint(0, len(text)))
    op = rng.random()
    if op < (0.6 if len(text) < SIZE else 0.4):
        b, new = a, "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
    elif op < 0.85:
        b, new = boundary(text, min(len(text), a + rng.randint(1, 12))), ""
    else:
        b = boundary(text, min(len(text), a + rng.randint(1, 6)))
        new = rng.choice(PIECES)
    rng_start, rng_end = position(text, starts, a), position(text, starts, b)
    text = text[:a] + new + text[b:]
    version += 1
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": version},
                     "contentChanges": [{"range": {"start": rng_start, "end": rng_end}, "text": new}]}})
    if n % 100 == 0:
        wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
             and m["params"]["uri"] == uri and m["params"].get("version") == version)
    if n % 1000 == 0:
        rss[n] = rss_kb()
        print(f"{n:6d} edits  {len(text):6d} chars  RSS {rss[n] / 1024:.1f} MB  {time.time() - started:.1f} s",
              flush=True)

got = request("report-lsp/documentText", {"textDocument": {"uri": uri}})["result"]
same = got["text"] == text and got["version"] == version
base = rss.get(1000) or rss[min(rss)]
final = rss[max(rss)]
growth = (final - base) / base * 100
print(f"text identical: {same} ({len(text)} chars, version {version})")
print(f"RSS after 1,000 edits {base / 1024:.1f} MB, at the end {final / 1024:.1f} MB ({growth:+.1f}%)")
request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=10)
sys.exit(0 if same and growth <= 10 else 1)
