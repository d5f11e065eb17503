//! A tiny LSP client for the integration tests: spawns the real binary with `serve`, frames
//! messages with Content-Length, answers the server's own requests and fails the test on any
//! byte on stdout that is not part of a well-formed frame.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous: debug binary, two cores shared with other builds.
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub const BIN: &str = env!("CARGO_BIN_EXE_report-lsp");

pub struct Options {
    /// `capabilities.general.positionEncodings`; `None` sends none (→ UTF-16).
    pub position_encodings: Option<Vec<&'static str>>,
    pub initialization_options: Value,
    /// The answer to `workspace/configuration` (can be changed later with `set_settings`).
    pub settings: Value,
    pub root: Option<PathBuf>,
    /// Merged into the client capabilities (e.g. `{"window": {"workDoneProgress": true}}`).
    pub capabilities: Value,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            position_encodings: None,
            initialization_options: json!({ "diagnostics": { "delayMs": 0 } }),
            settings: json!({}),
            root: None,
            capabilities: json!({}),
        }
    }
}

/// Merges `extra` into `base`, objects key by key.
fn merge_json(base: &mut Value, extra: &Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge_json(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e.clone(),
    }
}

enum Incoming {
    Message(Value),
    Closed,
    Violation(String),
}

pub struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    rx: Receiver<Incoming>,
    backlog: VecDeque<Value>,
    next_id: i64,
    settings: Arc<Mutex<Value>>,
    config_answers: Arc<AtomicUsize>,
    config_delay_ms: Arc<AtomicU64>,
    stderr: Arc<Mutex<Vec<u8>>>,
    closed: bool,
    pub init_result: Value,
}

/// A request or notification; `Null` params are left out (`shutdown` and `exit` take none).
fn message(id: Option<i64>, method: &str, params: Value) -> Value {
    let mut m = json!({ "jsonrpc": "2.0", "method": method });
    if let Some(id) = id {
        m["id"] = json!(id);
    }
    if !params.is_null() {
        m["params"] = params;
    }
    m
}

fn write_frame(stdin: &Mutex<ChildStdin>, msg: &Value) {
    let body = serde_json::to_vec(msg).unwrap();
    let mut w = stdin.lock().unwrap();
    // A write error means the server is gone; the next wait reports that with its stderr.
    let _ = write!(w, "Content-Length: {}\r\n\r\n", body.len());
    let _ = w.write_all(&body);
    let _ = w.flush();
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
fn read_frame(r: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut len: Option<usize> = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
        if line.is_empty() && first {
            return Ok(None);
        }
        first = false;
        let text = String::from_utf8_lossy(&line).to_string();
        let Some(header) = text.strip_suffix("\r\n") else {
            return Err(format!("non-framed bytes on stdout: {text:?}"));
        };
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(": ")
            .ok_or_else(|| format!("non-framed bytes on stdout: {text:?}"))?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                len = Some(
                    value
                        .parse()
                        .map_err(|_| format!("bad Content-Length {value:?}"))?,
                )
            }
            "content-type" => {}
            _ => return Err(format!("non-framed bytes on stdout: {text:?}")),
        }
    }
    let len = len.ok_or("frame without Content-Length")?;
    let mut body = vec![0; len];
    r.read_exact(&mut body)
        .map_err(|e| format!("short frame body: {e}"))?;
    let v: Value = serde_json::from_slice(&body).map_err(|e| {
        format!(
            "frame body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&body)
        )
    })?;
    if v["jsonrpc"] != "2.0" {
        return Err(format!("not a JSON-RPC 2.0 message: {v}"));
    }
    Ok(Some(v))
}

/// Answers a server→client request; `None` if it is not one.
fn answer(msg: &Value, settings: &Mutex<Value>) -> Option<Value> {
    let (id, method) = (msg.get("id")?, msg.get("method")?.as_str()?);
    let result = match method {
        "workspace/configuration" => {
            let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
            Value::Array(vec![settings.lock().unwrap().clone(); n])
        }
        "client/registerCapability"
        | "client/unregisterCapability"
        | "window/workDoneProgress/create"
        | "window/showMessageRequest" => Value::Null,
        // Accepted; the test reads the edit from the request itself (`take_applied_edits`).
        "workspace/applyEdit" => json!({ "applied": true }),
        _ => {
            let error = json!({ "code": -32601, "message": format!("test client: no {method}") });
            return Some(json!({ "jsonrpc": "2.0", "id": id, "error": error }));
        }
    };
    Some(json!({ "jsonrpc": "2.0", "id": id, "result": result }))
}

fn reader(
    out: impl Read,
    tx: Sender<Incoming>,
    stdin: Arc<Mutex<ChildStdin>>,
    settings: Arc<Mutex<Value>>,
    config_answers: Arc<AtomicUsize>,
    config_delay_ms: Arc<AtomicU64>,
) {
    let mut r = BufReader::new(out);
    loop {
        match read_frame(&mut r) {
            Ok(Some(msg)) => {
                if let Some(reply) = answer(&msg, &settings) {
                    if msg["method"] == "workspace/configuration" {
                        let ms = config_delay_ms.load(Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(ms));
                    }
                    write_frame(&stdin, &reply);
                    if msg["method"] == "workspace/configuration" {
                        config_answers.fetch_add(1, Ordering::SeqCst);
                    }
                }
                if tx.send(Incoming::Message(msg)).is_err() {
                    return;
                }
            }
            Ok(None) => {
                let _ = tx.send(Incoming::Closed);
                return;
            }
            Err(e) => {
                let _ = tx.send(Incoming::Violation(e));
                return;
            }
        }
    }
}

impl Server {
    /// Spawns `report-lsp serve` without initializing it.
    pub fn spawn(settings: Value) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn report-lsp");
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let settings = Arc::new(Mutex::new(settings));
        let config_answers = Arc::new(AtomicUsize::new(0));
        let config_delay_ms = Arc::new(AtomicU64::new(0));
        let (tx, rx) = mpsc::channel();
        let (out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        {
            let (stdin, settings) = (stdin.clone(), settings.clone());
            let (answers, delay) = (config_answers.clone(), config_delay_ms.clone());
            std::thread::spawn(move || reader(out, tx, stdin, settings, answers, delay));
        }
        let stderr = Arc::new(Mutex::new(Vec::new()));
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = err.read(&mut buf) {
                    stderr.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        Server {
            child,
            stdin,
            rx,
            backlog: VecDeque::new(),
            next_id: 1,
            settings,
            config_answers,
            config_delay_ms,
            stderr,
            closed: false,
            init_result: Value::Null,
        }
    }

    /// Spawns, initializes, sends `initialized` and waits until the first settings pull is
    /// answered and applied.
    pub fn start(opts: Options) -> Server {
        let mut s = Server::spawn(opts.settings.clone());
        s.initialize(&opts);
        s
    }

    /// `initialize` and `initialized`, without waiting for the settings pull.
    pub fn initialize_without_waiting(&mut self, opts: &Options) {
        let mut general = json!({});
        if let Some(encs) = &opts.position_encodings {
            general["positionEncodings"] = json!(encs);
        }
        let root_uri = opts.root.as_deref().map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{ "uri": u, "name": "root" }]));
        let mut params = json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": folders,
            "initializationOptions": opts.initialization_options,
            "capabilities": {
                "general": general,
                "workspace": { "configuration": true },
                "textDocument": {
                    "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                    "publishDiagnostics": { "relatedInformation": true, "versionSupport": true },
                },
            },
        });
        merge_json(&mut params["capabilities"], &opts.capabilities);
        self.init_result = self.request("initialize", params);
        self.notify("initialized", json!({}));
    }

    pub fn initialize(&mut self, opts: &Options) -> Value {
        self.initialize_without_waiting(opts);
        let deadline = Instant::now() + TIMEOUT;
        while self.config_answers.load(Ordering::SeqCst) == 0 {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for the initial workspace/configuration"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // A round trip after the answer: the server has read it and applied the settings.
        self.request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": "file:///nothing.txt" } }),
        );
        self.init_result.clone()
    }

    pub fn encoding(&self) -> &str {
        self.init_result["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap_or("utf-16")
    }

    pub fn set_settings(&self, settings: Value) {
        *self.settings.lock().unwrap() = settings;
    }

    /// Makes the client slow to answer `workspace/configuration`, as a busy editor can be.
    pub fn set_config_delay(&self, delay: Duration) {
        self.config_delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn config_answers(&self) -> usize {
        self.config_answers.load(Ordering::SeqCst)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).to_string()
    }

    pub fn send(&self, msg: &Value) {
        write_frame(&self.stdin, msg);
    }

    pub fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.stdin.lock().unwrap();
        let _ = w.write_all(bytes);
        let _ = w.flush();
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&message(None, method, params));
    }

    /// The next incoming message, or a panic naming `what` on timeout, end of stream or a
    /// protocol violation.
    fn next(&mut self, deadline: Instant, what: &str) -> Value {
        if self.closed {
            panic!("server closed its stdout while waiting for {what}");
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(Incoming::Message(m)) => m,
            Ok(Incoming::Closed) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                panic!("server closed its stdout while waiting for {what}")
            }
            Ok(Incoming::Violation(e)) => {
                panic!("protocol violation while waiting for {what}: {e}")
            }
            Err(RecvTimeoutError::Timeout) => {
                panic!("timed out after {TIMEOUT:?} waiting for {what}")
            }
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&message(Some(id), method, params));
        self.response(id, method)
    }

    pub fn response(&mut self, id: i64, what: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let what = format!("the response to {what} (id {id})");
        loop {
            let m = self.next(deadline, &what);
            if m.get("method").is_some() {
                self.backlog.push_back(m);
            } else if m["id"] == id {
                return m;
            }
        }
    }

    /// Sends a request and returns its result; an error response fails the test.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Waits for a message from the server with this method (a notification, or a request the
    /// client has already answered) whose params satisfy `pred`; returns the params. Earlier
    /// non-matching messages stay available to later waits.
    pub fn wait_for_notification(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.backlog.remove(i).unwrap()["params"].take();
        }
        let deadline = Instant::now() + timeout;
        let what = format!("a matching {method}");
        loop {
            let mut m = self.next(deadline, &what);
            if m["method"] == method && pred(&m["params"]) {
                return m["params"].take();
            }
            if m.get("method").is_some() {
                self.backlog.push_back(m);
            }
        }
    }

    /// The server→client requests (or notifications) named `method` received so far, removed
    /// from the backlog.
    pub fn take_requests(&mut self, method: &str) -> Vec<Value> {
        let (taken, kept) = std::mem::take(&mut self.backlog)
            .into_iter()
            .partition(|m| m["method"] == method);
        self.backlog = kept;
        taken.into_iter().collect()
    }

    /// Waits for `publishDiagnostics` for `uri` (with this version, if given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let p = self.wait_for_notification(
            "textDocument/publishDiagnostics",
            |p| p["uri"] == uri && version.is_none_or(|v| p["version"] == v),
            TIMEOUT,
        );
        p["diagnostics"].clone()
    }

    pub fn open(&self, uri: &str, text: &str, version: i64) {
        let doc =
            json!({ "uri": uri, "languageId": "plaintext", "version": version, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    pub fn change(&self, uri: &str, version: i64, changes: Value) {
        let doc = json!({ "uri": uri, "version": version });
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": doc, "contentChanges": changes }),
        );
    }

    pub fn symbols(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
    }

    /// shutdown, exit, and the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.exit()
    }

    /// Sends `exit` (with or without a `shutdown` before) and waits for the process to end.
    pub fn exit(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for the server to exit"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            std::thread::sleep(Duration::from_millis(50));
            eprintln!(
                "---- report-lsp stderr ----\n{}\n---- end stderr ----",
                self.stderr()
            );
        }
    }
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("report-lsp-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The LSP position of byte `offset` in `text`, columns in `enc` units.
pub fn position(text: &str, offset: usize, enc: &str) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_text = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let col = match enc {
        "utf-8" => line_text.len(),
        "utf-32" => line_text.chars().count(),
        _ => line_text.encode_utf16().count(),
    };
    json!({ "line": line, "character": col })
}

/// The byte offset of an LSP position (test texts use `\n` only).
pub fn offset(text: &str, pos: &Value, enc: &str) -> usize {
    let (line, col) = (
        pos["line"].as_u64().unwrap() as usize,
        pos["character"].as_u64().unwrap() as usize,
    );
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += match enc {
            "utf-8" => c.len_utf8(),
            "utf-32" => 1,
            _ => c.len_utf16(),
        };
    }
    text.len()
}

/// Applies LSP `TextEdit`s (non-overlapping, any order) to `text`.
pub fn apply_edits(text: &str, edits: &[Value], enc: &str) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let (a, b) = (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
            );
            (a, b, e["newText"].as_str().unwrap())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, t);
    }
    out
}

/// The text edits for `uri` in a WorkspaceEdit, whether as `changes` or `documentChanges`.
pub fn workspace_edits(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(edits) = edit["changes"][uri].as_array() {
        return edits.clone();
    }
    let docs = edit["documentChanges"]
        .as_array()
        .expect("changes or documentChanges");
    docs.iter()
        .filter(|d| d["textDocument"]["uri"] == uri)
        .flat_map(|d| d["edits"].as_array().unwrap().clone())
        .collect()
}
