//! Standard output, shared by tower-lsp and the diagnostics publisher.
//!
//! tower-lsp turns every outgoing notification into a `serde_json::Value` tree, encodes the
//! tree and drops it; for a publishDiagnostics of 500 diagnostics with related locations that
//! costs more than computing them. The publisher therefore serialises its notifications
//! directly and queues the finished frames to the same writer thread as tower-lsp's own output.
//! Frames never interleave: the bytes tower-lsp writes are cut into whole frames (by their
//! `Content-Length`) before they enter the queue, and one thread writes the queue in order.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::AsyncWrite;
use tokio::sync::{mpsc, oneshot};

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
    /// Queues a notification whose `params` are already JSON, given in pieces that are written
    /// straight into the frame (a megabyte of diagnostics is not copied into a params object
    /// first). Returns false once the output is closed.
    pub fn notify_parts(&self, method: &str, params_json: &[&[u8]]) -> bool {
        // A method name is plain ASCII; serialising it keeps the JSON valid whatever it is.
        let method = serde_json::to_string(method).unwrap_or_else(|_| "\"\"".to_string());
        const HEAD: &[u8] = br#"{"jsonrpc":"2.0","method":"#;
        const PARAMS: &[u8] = br#","params":"#;
        let params_len: usize = params_json.iter().map(|p| p.len()).sum();
        let body_len = HEAD.len() + method.len() + PARAMS.len() + params_len + 1;
        let header = format!("Content-Length: {body_len}\r\n\r\n");
        let mut frame = Vec::with_capacity(header.len() + body_len);
        frame.extend_from_slice(header.as_bytes());
        frame.extend_from_slice(HEAD);
        frame.extend_from_slice(method.as_bytes());
        frame.extend_from_slice(PARAMS);
        for p in params_json {
            frame.extend_from_slice(p);
        }
        frame.push(b'}');
        self.tx.send(Out::Frame(frame)).is_ok()
    }

    /// Writes what is queued, then stops the writer (waiting at most `wait`).
    pub async fn close(&self, writer: Writer, wait: Duration) {
        let _ = self.tx.send(Out::Close);
        let _ = tokio::time::timeout(wait, writer.done).await;
    }
}

/// The thread writing the queue; [`OutputQueue::close`] waits for it.
pub struct Writer {
    done: oneshot::Receiver<()>,
}

/// Starts the writer thread over `out`; returns the queue and the `AsyncWrite` to hand to
/// tower-lsp. A plain thread with blocking writes, not a task: tokio's stdout would copy every
/// frame into its own buffer and hop through the blocking pool per chunk, which for the
/// megabyte of a large diagnostics list cost milliseconds per edit.
pub fn start<W>(out: W) -> io::Result<(OutputQueue, FrameSplitter, Writer)>
where
    W: io::Write + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let (done_tx, done) = oneshot::channel();
    std::thread::Builder::new()
        .name("stdout".into())
        .spawn(move || {
            write_frames(out, rx);
            let _ = done_tx.send(());
        })?;
    Ok((
        OutputQueue { tx: tx.clone() },
        FrameSplitter {
            tx,
            pending: Vec::new(),
        },
        Writer { done },
    ))
}

fn write_frames<W: io::Write>(mut out: W, mut rx: mpsc::UnboundedReceiver<Out>) {
    while let Some(item) = rx.blocking_recv() {
        match item {
            Out::Frame(frame) => {
                if out.write_all(&frame).is_err() {
                    return;
                }
                // Flush when nothing else is waiting: a burst goes out in one flush.
                if rx.is_empty() && out.flush().is_err() {
                    return;
                }
            }
            Out::Close => break,
        }
    }
    let _ = out.flush();
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

    /// A `Write` whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn notifications_and_tower_frames_are_written_in_queue_order() {
        use tokio::io::AsyncWriteExt;
        let sink = Shared::default();
        let (queue, mut splitter, writer) = start(sink.clone()).unwrap();
        splitter.write_all(&frame("{\"id\":1}")).await.unwrap();
        assert!(queue.notify_parts(
            "textDocument/publishDiagnostics",
            &[br#"{"uri":"file:///a"}"#]
        ));
        assert!(queue.notify_parts("n", &[b"[1,", b"2]"]));
        splitter.write_all(&frame("{\"id\":2}")).await.unwrap();
        queue.close(writer, Duration::from_secs(5)).await;
        // Closed: nothing more is queued.
        assert!(!queue.notify_parts("n", &[b"{}"]));
        let out = sink.0.lock().unwrap().clone();
        let mut expected = frame("{\"id\":1}");
        expected.extend(frame(
            r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a"}}"#,
        ));
        expected.extend(frame(r#"{"jsonrpc":"2.0","method":"n","params":[1,2]}"#));
        expected.extend(frame("{\"id\":2}"));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
