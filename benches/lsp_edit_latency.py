#!/usr/bin/env python3
"""End-to-end latency of a one-character edit: didChange -> publishDiagnostics of that version,
through the real server (release build) with a synthetic workspace indexed. The time is taken
when the notification's body has been read, before the client parses it; the server's CPU time
per edit (all threads, from /proc) is printed too, since wall times on a shared machine include
waiting for a core.

  cargo build --release
  python3 benches/lsp_edit_latency.py /tmp/report-lsp-dups-100mb/docs [edits]

The workspace folder is indexed on initialize; the 363 KB corpus file (one report pasted eight
times) is opened from a copy inside that folder; `diagnostics.delayMs` is 0, so the figures are
the cost beyond the configured debounce.
"""
import json, os, shutil, subprocess, sys, time

BIN = os.environ.get("REPORT_LSP_BIN", "target/release/report-lsp")
root = os.path.abspath(sys.argv[1])
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 40
src = "tests/fixtures/corpus/beijing-2017-report-pasted-8-times.txt"
path = os.path.join(root, "zz-open-8-copies.txt")
shutil.copy(src, path)
uri = "file://" + path
text = open(path, encoding="utf-8").read()

p = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


arrived = 0.0  # when the body of the last message was read (before parsing it)


def recv():
    global arrived
    length = None
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b""):
            break
        k, v = line.decode().split(":", 1)
        if k.lower() == "content-length":
            length = int(v)
    body = p.stdout.read(length)
    arrived = time.time()
    msg = json.loads(body)
    if "id" in msg and "method" in msg:  # a request from the server: answer it
        result = [{}] if msg["method"] == "workspace/configuration" else None
        send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
    return msg


def wait(pred):
    while True:
        m = recv()
        if pred(m):
            return m


t0 = time.time()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": None, "rootUri": "file://" + root,
    "workspaceFolders": [{"uri": "file://" + root, "name": "ws"}],
    "initializationOptions": {"diagnostics": {"delayMs": 0}},
    "capabilities": {"window": {"workDoneProgress": True}, "workspace": {"configuration": True}}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
end = wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
t_index = time.time() - t0
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
t1 = time.time()
first = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
t_open = time.time() - t1
rss = int(open(f"/proc/{p.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024
line = 380  # inside copy 5


def cpu_seconds():
    fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


cpu0 = cpu_seconds()
times = []
for i in range(edits):
    version = i + 2
    if i % 2 == 0:
        change = {"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}}, "text": "字"}
    else:
        change = {"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 5}}, "text": ""}
    t = time.time()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
         and m["params"].get("version") == version)
    times.append((arrived - t) * 1000)
cpu_per_edit = (cpu_seconds() - cpu0) / max(edits, 1) * 1000
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
wait(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=10)
os.remove(path)
times.sort()
print(f"index: {end['params']['value'].get('message')} (initialize → progress end {t_index:.2f} s); "
      f"RSS {rss} MB after opening; open → first diagnostics {t_open*1000:.0f} ms ({len(first['params']['diagnostics'])} diagnostics)")
print(f"one-character edit → publishDiagnostics: p50 {times[len(times)//2]:.1f} ms, "
      f"p99 {times[int(len(times)*0.99)]:.1f} ms, max {times[-1]:.1f} ms over {len(times)} edits; "
      f"server CPU {cpu_per_edit:.1f} ms per edit")
