//! Standard output, shared by tower-lsp and the diagnostics publisher.
//!
//! tower-lsp turns every outgoing notification into a `serde_json::Value` tree, encodes the
//! tree and drops it; for a publishDiagnostics of 500 diagnostics with related locations that
//! costs more than computing them. The publisher therefore serialises its notifications
//! directly and queues the finished frames to the same writer thread as tower-lsp's own output.
//! Frames never interleave: the bytes tower-lsp writes are cut into whole frames (by their
//! `Content-Length`) before they enter the queue, and one thread writes the queue in order.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::AsyncWrite;
use tokio::sync::oneshot;

/// The most bytes queued before tower-lsp's writes wait (back-pressure on a client that stops
/// reading: tower-lsp then stops taking requests). Published diagnostics never wait: a newer
/// list for a document replaces its unwritten older one, so they are bounded by the number of
/// documents.
pub const MAX_QUEUED_BYTES: usize = 16 * 1024 * 1024;

struct Entry {
    frame: Vec<u8>,
    /// Frames with the same key supersede each other while unwritten.
    key: Option<String>,
}

#[derive(Default)]
struct State {
    frames: VecDeque<Entry>,
    bytes: usize,
    /// No more frames are taken (closed, or stdout is gone).
    closed: bool,
    /// tower-lsp writes waiting for room.
    wakers: Vec<Waker>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    ready: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a frame; false once closed.
    fn push(&self, frame: Vec<u8>, key: Option<String>) -> bool {
        let mut st = self.lock();
        if st.closed {
            return false;
        }
        if let Some(k) = &key {
            if let Some(i) = st.frames.iter().position(|e| e.key.as_ref() == Some(k)) {
                if let Some(old) = st.frames.remove(i) {
                    st.bytes -= old.frame.len();
                }
            }
        }
        st.bytes += frame.len();
        st.frames.push_back(Entry { frame, key });
        drop(st);
        self.ready.notify_one();
        true
    }
}

/// Where finished messages are queued for writing.
#[derive(Clone)]
pub struct OutputQueue {
    shared: Arc<Shared>,
}

/// Builds a notification frame whose `params` are already JSON, given in pieces.
fn notification(method: &str, params_json: &[&[u8]]) -> Vec<u8> {
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
    frame
}

impl OutputQueue {
    /// Queues a notification whose `params` are already JSON, given in pieces that are written
    /// straight into the frame (a megabyte of diagnostics is not copied into a params object
    /// first). Returns false once the output is closed.
    #[cfg(test)]
    pub fn notify_parts(&self, method: &str, params_json: &[&[u8]]) -> bool {
        self.shared.push(notification(method, params_json), None)
    }

    /// Like [`OutputQueue::notify_parts`], but replaces a notification queued with the same
    /// `key` and not yet written (an older diagnostics list of the same document is stale).
    pub fn notify_latest(&self, key: &str, method: &str, params_json: &[&[u8]]) -> bool {
        self.shared
            .push(notification(method, params_json), Some(key.to_string()))
    }

    /// Writes what is queued, then stops the writer (waiting at most `wait`).
    pub async fn close(&self, writer: Writer, wait: Duration) {
        {
            let mut st = self.shared.lock();
            st.closed = true;
            for w in st.wakers.drain(..) {
                w.wake();
            }
        }
        self.shared.ready.notify_all();
        let _ = tokio::time::timeout(wait, writer.done).await;
    }

    /// Bytes queued and not yet written.
    #[cfg(test)]
    pub fn queued_bytes(&self) -> usize {
        self.shared.lock().bytes
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
    let shared = Arc::new(Shared::default());
    let (done_tx, done) = oneshot::channel();
    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("stdout".into())
            .spawn(move || {
                write_frames(out, &shared);
                let _ = done_tx.send(());
            })?;
    }
    Ok((
        OutputQueue {
            shared: shared.clone(),
        },
        FrameSplitter {
            shared,
            pending: Vec::new(),
        },
        Writer { done },
    ))
}

fn write_frames<W: io::Write>(mut out: W, shared: &Shared) {
    loop {
        let (frame, more) = {
            let mut st = shared.lock();
            while st.frames.is_empty() && !st.closed {
                st = shared.ready.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            let Some(entry) = st.frames.pop_front() else {
                break; // closed and written out
            };
            st.bytes -= entry.frame.len();
            if st.bytes < MAX_QUEUED_BYTES {
                for w in st.wakers.drain(..) {
                    w.wake();
                }
            }
            (entry.frame, !st.frames.is_empty())
        };
        // Flush when nothing else is waiting: a burst goes out in one flush.
        if out.write_all(&frame).is_err() || (!more && out.flush().is_err()) {
            // The client is gone: nothing queued can be delivered, keep nothing.
            let mut st = shared.lock();
            st.closed = true;
            st.frames.clear();
            st.bytes = 0;
            for w in st.wakers.drain(..) {
                w.wake();
            }
            return;
        }
    }
    let _ = out.flush();
}

/// The `AsyncWrite` given to tower-lsp: it queues each complete frame it receives, and makes
/// tower-lsp wait while the queue is full.
pub struct FrameSplitter {
    shared: Arc<Shared>,
    pending: Vec<u8>,
}

impl FrameSplitter {
    /// Moves every complete frame at the start of `pending` to the queue.
    fn split(&mut self) -> io::Result<()> {
        while let Some(len) = frame_len(&self.pending) {
            let rest = self.pending.split_off(len);
            let frame = std::mem::replace(&mut self.pending, rest);
            if !self.shared.push(frame, None) {
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
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        {
            let mut st = this.shared.lock();
            if st.closed {
                return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
            }
            if st.bytes >= MAX_QUEUED_BYTES {
                st.wakers.push(cx.waker().clone());
                return Poll::Pending;
            }
        }
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
            let shared = Arc::new(super::Shared::default());
            let mut s = FrameSplitter {
                shared: shared.clone(),
                pending: Vec::new(),
            };
            for piece in all.chunks(chunk) {
                s.pending.extend_from_slice(piece);
                s.split().unwrap();
            }
            let got: Vec<Vec<u8>> = shared.lock().frames.drain(..).map(|e| e.frame).collect();
            assert_eq!(
                got,
                vec![frame(r#"{"a":"𠮷\r\n\r\n"}"#), frame("{}")],
                "{chunk}"
            );
            assert!(s.pending.is_empty());
        }
    }

    /// A client that stops reading: tower-lsp's writes wait once the queue is full, and a newer
    /// diagnostics list replaces the unwritten older one of the same document.
    #[tokio::test]
    async fn a_stalled_client_bounds_the_queue() {
        use tokio::io::AsyncWriteExt;
        struct Stalled(std::sync::mpsc::Receiver<()>);
        impl io::Write for Stalled {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                let _ = self.0.recv(); // blocks until the test ends
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (release, stalled) = std::sync::mpsc::channel();
        let (queue, mut splitter, _writer) = start(Stalled(stalled)).unwrap();
        let big = format!("{{\"x\":\"{}\"}}", "a".repeat(1 << 20));
        let mut written = 0;
        let outcome = tokio::time::timeout(Duration::from_secs(2), async {
            loop {
                splitter.write_all(&frame(&big)).await.unwrap();
                written += 1;
            }
        })
        .await;
        assert!(outcome.is_err(), "the writes never waited");
        assert!(written <= MAX_QUEUED_BYTES / (1 << 20) + 2, "{written}");
        assert!(queue.queued_bytes() <= MAX_QUEUED_BYTES + (2 << 20));
        let before = queue.queued_bytes();
        for _ in 0..100 {
            assert!(queue.notify_latest("file:///a", "d", &[big.as_bytes()]));
        }
        let one = notification("d", &[big.as_bytes()]).len();
        assert_eq!(queue.queued_bytes(), before + one);
        drop(release);
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
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl io::Write for Sink {
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
        let sink = Sink::default();
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
