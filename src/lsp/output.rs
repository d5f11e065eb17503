//! Standard output, shared by tower-lsp and the diagnostics publisher.
//!
//! tower-lsp turns every outgoing notification into a `serde_json::Value` tree, encodes the
//! tree and drops it; for a publishDiagnostics of 500 diagnostics with related locations that
//! costs more than computing them. The publisher therefore serialises its notifications
//! directly and queues the finished frames to the same writer task as tower-lsp's own output.
//! Frames never interleave: the bytes tower-lsp writes are cut into whole frames (by their
//! `Content-Length`) before they enter the queue, and one task writes the queue in order.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

enum Out {
    Frame(Vec<u8>),
    Close,
}

/// Where finished messages are queued for writing.
#[derive(Clone)]
pub struct OutputQueue {
    tx: mpsc::UnboundedSender<Out>,
}

impl OutputQueue {
    /// Queues a notification whose `params` are already JSON. Returns false once the output
    /// is closed.
    pub fn notify_raw(&self, method: &str, params_json: &[u8]) -> bool {
        let mut body = Vec::with_capacity(params_json.len() + method.len() + 48);
        body.extend_from_slice(br#"{"jsonrpc":"2.0","method":"#);
        // A method name is plain ASCII; serialising it keeps the JSON valid whatever it is.
        body.extend_from_slice(
            serde_json::to_string(method)
                .unwrap_or_else(|_| "\"\"".to_string())
                .as_bytes(),
        );
        body.extend_from_slice(br#","params":"#);
        body.extend_from_slice(params_json);
        body.push(b'}');
        self.send_body(body)
    }

    fn send_body(&self, body: Vec<u8>) -> bool {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.tx.send(Out::Frame(frame)).is_ok()
    }

    /// Writes what is queued, then stops the writer (waiting at most `wait`).
    pub async fn close(&self, writer: JoinHandle<()>, wait: Duration) {
        let _ = self.tx.send(Out::Close);
        let _ = tokio::time::timeout(wait, writer).await;
    }
}

/// Starts the writer task over `out`; returns the queue and the `AsyncWrite` to hand to
/// tower-lsp. Must be called inside the tokio runtime.
pub fn start<O>(out: O) -> (OutputQueue, FrameSplitter, JoinHandle<()>)
where
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_all(out, rx));
    (
        OutputQueue { tx: tx.clone() },
        FrameSplitter {
            tx,
            pending: Vec::new(),
        },
        writer,
    )
}

async fn write_all<O: AsyncWrite + Unpin>(mut out: O, mut rx: mpsc::UnboundedReceiver<Out>) {
    while let Some(item) = rx.recv().await {
        match item {
            Out::Frame(frame) => {
                if out.write_all(&frame).await.is_err() {
                    return;
                }
                // Flush when nothing else is waiting: a burst goes out in one flush.
                if rx.is_empty() && out.flush().await.is_err() {
                    return;
                }
            }
            Out::Close => break,
        }
    }
    let _ = out.flush().await;
}

/// The `AsyncWrite` given to tower-lsp: it queues each complete frame it receives.
pub struct FrameSplitter {
    tx: mpsc::UnboundedSender<Out>,
    pending: Vec<u8>,
}

impl FrameSplitter {
    /// Moves every complete frame at the start of `pending` to the queue.
    fn split(&mut self) -> io::Result<()> {
        while let Some(len) = frame_len(&self.pending) {
            let rest = self.pending.split_off(len);
            let frame = std::mem::replace(&mut self.pending, rest);
            if self.tx.send(Out::Frame(frame)).is_err() {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
        }
        Ok(())
    }
}

/// The length of the complete frame at the start of `buf`, if it is all there. A header block
/// without a readable `Content-Length` (tower-lsp never writes one) goes out as it is.
fn frame_len(buf: &[u8]) -> Option<usize> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let header = std::str::from_utf8(&buf[..end]).ok();
    let length = header.and_then(|h| {
        h.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
    });
    match length {
        Some(n) => (buf.len() >= end + n).then_some(end + n),
        None => Some(end),
    }
}

impl AsyncWrite for FrameSplitter {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.pending.extend_from_slice(buf);
        Poll::Ready(this.split().map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames_are_cut_at_their_length_whatever_the_write_sizes() {
        let mut all = frame(r#"{"a":"𠮷\r\n\r\n"}"#);
        all.extend(frame("{}"));
        for chunk in [1, 3, 7, all.len()] {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let mut s = FrameSplitter {
                tx,
                pending: Vec::new(),
            };
            for piece in all.chunks(chunk) {
                s.pending.extend_from_slice(piece);
                s.split().unwrap();
            }
            let mut got = Vec::new();
            while let Ok(Out::Frame(f)) = rx.try_recv() {
                got.push(f);
            }
            assert_eq!(
                got,
                vec![frame(r#"{"a":"𠮷\r\n\r\n"}"#), frame("{}")],
                "{chunk}"
            );
            assert!(s.pending.is_empty());
        }
    }

    #[test]
    fn an_incomplete_frame_waits() {
        let f = frame(r#"{"x":1}"#);
        assert_eq!(frame_len(&f[..f.len() - 1]), None);
        assert_eq!(frame_len(&f), Some(f.len()));
        assert_eq!(frame_len(b"Content-Length: 5\r\n"), None);
    }

    #[tokio::test]
    async fn notifications_and_tower_frames_are_written_in_queue_order() {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let (queue, mut splitter, writer) = start(client);
        splitter.write_all(&frame("{\"id\":1}")).await.unwrap();
        assert!(queue.notify_raw("textDocument/publishDiagnostics", br#"{"uri":"file:///a"}"#));
        splitter.write_all(&frame("{\"id\":2}")).await.unwrap();
        queue.close(writer, Duration::from_secs(5)).await;
        drop(splitter);
        drop(queue);
        let mut out = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut server, &mut out)
            .await
            .unwrap();
        let mut expected = frame("{\"id\":1}");
        expected.extend(frame(
            r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a"}}"#,
        ));
        expected.extend(frame("{\"id\":2}"));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
