//! Bytes on disk to text: UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK (still
//! common for official documents), and a clear refusal for binary or undecodable files.

use std::fmt;
use std::path::Path;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl SourceEncoding {
    pub fn label(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "utf-8",
            SourceEncoding::Utf8Bom => "utf-8-bom",
            SourceEncoding::Utf16Le => "utf-16le",
            SourceEncoding::Utf16Be => "utf-16be",
            SourceEncoding::Gb18030 => "gb18030",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text without any byte-order mark.
    pub text: String,
    pub encoding: SourceEncoding,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// NUL bytes or many control characters: not a text file.
    Binary,
    /// Neither valid UTF-8 nor valid GB18030.
    UnknownEncoding,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => {
                write!(f, "binary file (contains NUL or control bytes), not text")
            }
            DecodeError::UnknownEncoding => {
                write!(
                    f,
                    "not valid UTF-8 or GB18030 text; convert the file to UTF-8"
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = std::str::from_utf8(rest).map_err(|_| DecodeError::UnknownEncoding)?;
        return checked(text.to_string(), SourceEncoding::Utf8Bom);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (enc, label) = if bytes[0] == 0xFF {
            (UTF_16LE, SourceEncoding::Utf16Le)
        } else {
            (UTF_16BE, SourceEncoding::Utf16Be)
        };
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(DecodeError::UnknownEncoding);
        }
        return checked(text.into_owned(), label);
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return checked(text.to_string(), SourceEncoding::Utf8);
    }
    match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => checked(text.into_owned(), SourceEncoding::Gb18030),
        None => Err(DecodeError::UnknownEncoding),
    }
}

/// Text back to bytes in the encoding it was read from (BOM included), so that writing a fixed
/// file changes only what the fixes changed.
pub fn encode(text: &str, encoding: SourceEncoding) -> Vec<u8> {
    match encoding {
        SourceEncoding::Utf8 => text.as_bytes().to_vec(),
        SourceEncoding::Utf8Bom => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            b
        }
        SourceEncoding::Utf16Le | SourceEncoding::Utf16Be => {
            let le = encoding == SourceEncoding::Utf16Le;
            let mut b = Vec::with_capacity(2 + text.len() * 2);
            for u in std::iter::once(0xFEFF).chain(text.encode_utf16()) {
                b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            b
        }
        // GB18030 maps every Unicode scalar value, so nothing is lost.
        SourceEncoding::Gb18030 => GB18030.encode(text).0.into_owned(),
    }
}

/// Rejects decoded text that is mostly control characters (a binary file that happens to decode).
fn checked(text: String, encoding: SourceEncoding) -> Result<Decoded, DecodeError> {
    let mut controls = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}' | '\u{0B}') {
            controls += 1;
        }
    }
    if text.contains('\0') || (total > 0 && controls * 100 > total) {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding })
}

/// Why a file could not be read as a report.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Decode(DecodeError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Decode(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// The most read from anything but a regular file (a pipe, a device) before giving up.
pub const MAX_STREAM_BYTES: u64 = 128 * 1024 * 1024;

/// Reads and decodes a report file named by the user. A regular file is read whole. Anything
/// else (a pipe from `<(…)`, a FIFO, a device) is opened without waiting for a writer and read
/// up to [`MAX_STREAM_BYTES`]: a FIFO that nobody writes to reads as empty instead of blocking
/// forever, and `/dev/zero` stops at the limit instead of filling memory.
pub fn read_file(path: &Path) -> Result<Decoded, ReadError> {
    read_file_capped(path, u64::MAX)
}

/// [`read_file`] with a cap on regular files too (the CLI passes `workspace.maxFileSize`): a
/// larger file is an error naming the setting, judged on its size before anything is read (a
/// 1 GB sparse file costs nothing), and a file growing while read stops at the cap.
pub fn read_file_capped(path: &Path, max: u64) -> Result<Decoded, ReadError> {
    use std::io::Read;
    let too_large = |len: u64| {
        ReadError::Io(std::io::Error::other(format!(
            "not read: {len} bytes is more than workspace.maxFileSize ({max})"
        )))
    };
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::Io(std::io::Error::other("a folder, not a file")));
    }
    let bytes = if meta.is_file() {
        if meta.len() > max {
            return Err(too_large(meta.len()));
        }
        let file = std::fs::File::open(path).map_err(ReadError::Io)?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        if bytes.len() as u64 > max {
            return Err(too_large(bytes.len() as u64));
        }
        bytes
    } else {
        read_stream(path, MAX_STREAM_BYTES).map_err(ReadError::Io)?
    };
    decode(&bytes).map_err(ReadError::Decode)
}

fn read_stream(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading would otherwise wait for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    // A writer blocked in opening the FIFO is let in by our open, but counts only once it
    // runs: until then the FIFO reads as ended. An empty end is believed after a short grace.
    let mut grace = 50;
    loop {
        match file.read(&mut buf) {
            Ok(0) if bytes.is_empty() && grace > 0 => {
                grace -= 1;
                std::thread::sleep(std::time::Duration::from_millis(4));
            }
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                bytes.extend_from_slice(&buf[..n]);
                if bytes.len() as u64 > max {
                    return Err(std::io::Error::other(format!(
                        "not a regular file and more than {max} bytes"
                    )));
                }
            }
            // A writer is there but has not written yet (non-blocking mode).
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
        assert_eq!(
            unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
            0,
            "mkfifo {path:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_read_without_hanging_or_filling_memory() {
        let dir = std::env::temp_dir().join(format!("report-lsp-decode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A FIFO nobody writes to: empty, at once.
        let idle = dir.join("idle.txt");
        mkfifo(&idle);
        let started = std::time::Instant::now();
        assert_eq!(read_file(&idle).unwrap().text, "");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A FIFO with a slow writer (`report-lsp check <(…)`): all of it.
        let fed = dir.join("fed.txt");
        mkfifo(&fed);
        // The writer is connected before the read starts (as the command of `<(…)` is): a
        // reader held here lets its open return at once, whatever the machine's load.
        let _held = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&fed)
                .unwrap()
        };
        let (opened, connected) = std::sync::mpsc::channel();
        let writer = {
            let fed = fed.clone();
            std::thread::spawn(move || {
                let mut f = std::fs::OpenOptions::new().write(true).open(fed).unwrap();
                opened.send(()).unwrap();
                for part in ["各位代表：\n", "现在，我代表市人民政府。\n"] {
                    std::thread::sleep(std::time::Duration::from_millis(30));
                    std::io::Write::write_all(&mut f, part.as_bytes()).unwrap();
                }
            })
        };
        connected.recv().unwrap();
        assert_eq!(
            read_file(&fed).unwrap().text,
            "各位代表：\n现在，我代表市人民政府。\n"
        );
        writer.join().unwrap();
        // An endless device stops at the limit.
        let err = read_stream(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        assert!(read_file(&dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("各位代表：".as_bytes()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("各位代表：", SourceEncoding::Utf8)
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("一、甲".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("一、甲", SourceEncoding::Utf8Bom)
        );
    }

    #[test]
    fn gb18030_is_detected_and_decoded() {
        let text = "北京市政府工作报告\r\n一、2019年工作回顾\r\n地区生产总值增长6.5%左右。𠮷";
        let (bytes, _, unmappable) = GB18030.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, SourceEncoding::Gb18030);
        assert_eq!(d.text, text);
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "一、甲".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("一、甲", SourceEncoding::Utf16Le)
        );
    }

    #[test]
    fn binary_and_garbage_are_refused() {
        assert_eq!(decode(&[0u8; 64]), Err(DecodeError::Binary));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(
            decode(&[0xFF, 0x80, 0xFF, 0x80, 0x81]),
            Err(DecodeError::UnknownEncoding)
        );
        let controls: Vec<u8> = (1u8..8).cycle().take(200).collect();
        assert_eq!(decode(&controls), Err(DecodeError::Binary));
    }

    #[test]
    fn encode_round_trips_every_encoding() {
        let text = "北京市政府工作报告\r\n一、甲𠮷\n";
        for enc in [
            SourceEncoding::Utf8,
            SourceEncoding::Utf8Bom,
            SourceEncoding::Utf16Le,
            SourceEncoding::Utf16Be,
            SourceEncoding::Gb18030,
        ] {
            let d = decode(&encode(text, enc)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, enc));
        }
    }

    #[test]
    fn empty_file_is_empty_text() {
        assert_eq!(decode(b"").unwrap().text, "");
    }
}
