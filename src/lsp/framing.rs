//! A guard in front of tower-lsp's reader.
//!
//! tower-lsp 0.20 stops serving after the first message it cannot decode: its codec returns an
//! error, tokio-util's `FramedRead` then ends the stream, and the server's read loop exits (and
//! with it the process). One malformed body, a wrong Content-Length or a `Content-Type` without
//! `charset=utf-8` was enough. This reader re-frames stdin: it passes on only messages that
//! decode as JSON-RPC requests or responses, reports the others on stderr, and resynchronises on
//! the next `Content-Length` header.
//!
//! It also ends the input after the `exit` notification: tower-lsp only notices `exit` when the
//! next message arrives, so a client that keeps stdin open after `exit` (as the specification
//! allows) would otherwise be left with a server that never exits.

use std::io::Read;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use tower_lsp::jsonrpc::{Request, Response};

const HEADER: &[u8] = b"Content-Length";
/// Larger bodies are refused rather than buffered.
const MAX_BODY: usize = 512 * 1024 * 1024;
/// Header bytes without a blank line after them: garbage.
const MAX_HEADER: usize = 8 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    /// A well-formed message, re-framed with a canonical header.
    Frame(Vec<u8>),
    /// The `exit` notification (or a request named `exit`), re-framed: the last message passed
    /// on.
    Exit(Vec<u8>),
    /// The `shutdown` request, re-framed (the exit status depends on it).
    Shutdown(Vec<u8>),
    /// Bytes skipped, and why.
    Dropped(String),
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Removes bytes up to the next `Content-Length` after the start (or all but a possible partial
/// header at the end).
fn resync(buf: &mut Vec<u8>) {
    let cut = find(buf, HEADER, 1).unwrap_or(buf.len().saturating_sub(HEADER.len() - 1));
    buf.drain(..cut);
}

/// The body length from a header block, if it is a well-formed one.
fn content_length(headers: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(headers).map_err(|_| "header is not UTF-8".to_string())?;
    let mut len = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("not a header line: {:?}", truncate(line)));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| format!("bad Content-Length {:?}", truncate(value)))?;
            if n > MAX_BODY {
                return Err(format!("Content-Length {n} is too large"));
            }
            len = Some(n);
        }
    }
    len.ok_or_else(|| "no Content-Length header".to_string())
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Takes the next item off the front of `buf`, or `None` when more bytes are needed.
pub fn next_item(buf: &mut Vec<u8>) -> Option<Item> {
    if buf.is_empty() {
        return None;
    }
    let Some(end) = find(buf, b"\r\n\r\n", 0) else {
        if buf.len() > MAX_HEADER {
            resync(buf);
            return Some(Item::Dropped("header without an end".to_string()));
        }
        return None;
    };
    let len = match content_length(&buf[..end]) {
        Ok(len) => len,
        Err(why) => {
            // Garbage before a header: drop up to the next one, or the whole block.
            match find(&buf[..end], HEADER, 1) {
                Some(p) => {
                    buf.drain(..p);
                }
                None => {
                    buf.drain(..end + 4);
                }
            }
            return Some(Item::Dropped(why));
        }
    };
    let body_start = end + 4;
    if buf.len() < body_start + len {
        return None;
    }
    let body = &buf[body_start..body_start + len];
    let request = serde_json::from_slice::<Request>(body).ok();
    // Decided on the parsed message: its method may be spelled with JSON escapes. An `exit`
    // sent as a request ends the input too (tower-lsp would stop answering and never end).
    let method = request.as_ref().map(|r| r.method());
    let exit = method == Some("exit");
    let shutdown = method == Some("shutdown") && request.as_ref().is_some_and(|r| r.id().is_some());
    let item = if request.is_some() || serde_json::from_slice::<Response>(body).is_ok() {
        let mut frame = format!("Content-Length: {len}\r\n\r\n").into_bytes();
        frame.extend_from_slice(body);
        if exit {
            Item::Exit(frame)
        } else if shutdown {
            Item::Shutdown(frame)
        } else {
            Item::Frame(frame)
        }
    } else {
        let preview = String::from_utf8_lossy(&body[..body.len().min(80)]).to_string();
        Item::Dropped(format!("not a JSON-RPC message ({len} bytes): {preview:?}"))
    };
    buf.drain(..body_start + len);
    Some(item)
}

/// Stdin, re-framed on a thread of its own (a blocking read there never holds up shutdown).
///
/// `shutdown_seen` is set when a `shutdown` request passes, for the exit status the
/// specification asks for (0 after `shutdown`, 1 otherwise).
pub fn sanitized_stdin(shutdown_seen: Arc<AtomicBool>) -> ChannelReader {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(16);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match stdin.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            buf.extend_from_slice(&chunk[..n]);
            while let Some(item) = next_item(&mut buf) {
                match item {
                    Item::Frame(frame) => {
                        if tx.blocking_send(frame).is_err() {
                            return;
                        }
                    }
                    Item::Shutdown(frame) => {
                        shutdown_seen.store(true, Ordering::SeqCst);
                        if tx.blocking_send(frame).is_err() {
                            return;
                        }
                    }
                    Item::Exit(frame) => {
                        let _ = tx.blocking_send(frame);
                        return;
                    }
                    Item::Dropped(why) => eprintln!("report-lsp: ignored malformed input: {why}"),
                }
            }
        }
    });
    ChannelReader {
        rx,
        current: Vec::new(),
        pos: 0,
    }
}

/// An `AsyncRead` over chunks from a channel; end of input when the sender is gone.
pub struct ChannelReader {
    rx: mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
}

impl AsyncRead for ChannelReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.pos >= this.current.len() {
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    this.current = chunk;
                    this.pos = 0;
                }
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = out.remaining().min(this.current.len() - this.pos);
        out.put_slice(&this.current[this.pos..this.pos + n]);
        this.pos += n;
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn drain(buf: &mut Vec<u8>) -> Vec<Item> {
        std::iter::from_fn(|| next_item(buf)).collect()
    }

    const OK: &str = r#"{"jsonrpc":"2.0","id":1,"method":"workspace/symbol"}"#;

    #[test]
    fn passes_messages_and_waits_for_more_bytes() {
        let f = frame(OK);
        let mut buf = f[..10].to_vec();
        assert!(drain(&mut buf).is_empty());
        buf.extend_from_slice(&f[10..f.len() - 1]);
        assert!(drain(&mut buf).is_empty());
        buf.push(*f.last().unwrap());
        assert_eq!(drain(&mut buf), vec![Item::Frame(f.clone())]);
        // Content-Type without a charset, odd header case: accepted and re-framed canonically.
        let mut buf = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{OK}",
            OK.len()
        )
        .into_bytes();
        assert_eq!(drain(&mut buf), vec![Item::Frame(f)]);
    }

    #[test]
    fn drops_bad_bodies_and_resynchronises() {
        let mut buf = frame("{\"jsonrpc\": \"2.0\", \"id\": ");
        buf.extend(frame("[1, 2]"));
        buf.extend(b"Content-Length: 5\r\n\r\n".iter().chain(OK.as_bytes()));
        buf.extend(b"Content-Length: x\r\n\r\n");
        buf.extend(b"stray text\r\n");
        buf.extend(frame(OK));
        let items = drain(&mut buf);
        let frames: Vec<&Item> = items
            .iter()
            .filter(|i| matches!(i, Item::Frame(_)))
            .collect();
        assert_eq!(frames, vec![&Item::Frame(frame(OK))]);
        assert!(buf.is_empty());
    }

    #[test]
    fn recognises_exit() {
        let exit = frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let mut buf = exit.clone();
        assert_eq!(drain(&mut buf), vec![Item::Exit(exit)]);
        // Sent as a request, it still ends the input.
        let exit = frame(r#"{"jsonrpc":"2.0","id":9,"method":"exit"}"#);
        let mut buf = exit.clone();
        assert_eq!(drain(&mut buf), vec![Item::Exit(exit)]);
    }

    #[test]
    fn recognises_shutdown_on_the_parsed_message() {
        let pad = "x".repeat(5000);
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#.to_string(),
            r#"{"jsonrpc":"2.0","id":1,"method":"shut\u0064own"}"#.to_string(),
            format!(r#"{{"jsonrpc":"2.0","id":1,"method":"shutdown","pad":"{pad}"}}"#),
        ] {
            let f = frame(&body);
            let mut buf = f.clone();
            assert_eq!(drain(&mut buf), vec![Item::Shutdown(f)], "{body}");
        }
        // A notification named shutdown is not the request.
        let f = frame(r#"{"jsonrpc":"2.0","method":"shutdown"}"#);
        let mut buf = f.clone();
        assert_eq!(drain(&mut buf), vec![Item::Frame(f)]);
    }
}
