//! `fix`: applies every safe fix to report files. By default it writes a fixed copy next to each
//! file (`report.txt` → `report.fixed.txt`); with `--write` it rewrites the file in place after
//! keeping the original as a backup (`report.txt.bak`), and refuses to touch a file whose backup
//! cannot be written. Files are written in the encoding they were read in.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{config_for, read_inputs, FixArgs, EXIT_TROUBLE};
use crate::analysis::fix::fix_all;
use crate::decode::encode;

/// `report.txt` → `report.fixed.txt`; `report` → `report.fixed`.
pub fn fixed_copy_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.fixed.{}", ext.to_string_lossy()),
        None => format!("{stem}.fixed"),
    };
    path.with_file_name(name)
}

/// The first of `FILE.bak`, `FILE.bak.1`, … that does not exist yet.
fn backup_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    (0..1000)
        .map(|k| match k {
            0 => path.with_file_name(format!("{name}.bak")),
            k => path.with_file_name(format!("{name}.bak.{k}")),
        })
        .find(|p| !p.exists())
}

/// What identifies one version of a file: a replacement or an edit by another program changes
/// at least one of these.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    id: (u64, u64),
}

fn stamp(path: &Path) -> io::Result<Stamp> {
    let m = fs::metadata(path)?;
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let id = (0, 0);
    Ok(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
        id,
    })
}

/// Why a file must not be rewritten in place, if it must not: read-only (the user said so), or
/// more than one hard link (a rename would silently split them).
fn refuse_in_place(path: &Path) -> Option<String> {
    let m = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Some(e.to_string()),
    };
    if m.permissions().readonly() {
        return Some("the file is read-only".to_string());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if m.nlink() > 1 {
            return Some(format!(
                "the file has {} hard links and rewriting it would split them (use the fixed copy instead)",
                m.nlink()
            ));
        }
    }
    None
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so that
/// `path` holds either its old or its new content, never a partial write.
fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_file_checked(path, bytes, || Ok(()))
}

/// [`replace_file`], with `check` run after the new content is on disk and right before the
/// rename: an error from it leaves `path` as it is.
fn replace_file_checked(
    path: &Path,
    bytes: &[u8],
    check: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.report-lsp-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        check()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

pub fn fix(args: &FixArgs) -> ExitCode {
    if args.stdout && args.files.len() != 1 {
        eprintln!("report-lsp: --stdout takes exactly one file");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let inputs = read_inputs(&args.files, &args.common);
    let mut warned = Vec::new();
    let mut trouble = false;
    for input in &inputs {
        let path = &input.path;
        let shown = path.display();
        let decoded = match &input.result {
            Ok(d) => d,
            Err(e) => {
                eprintln!("report-lsp: {shown}: cannot read: {e}");
                trouble = true;
                continue;
            }
        };
        let config = config_for(path, &args.common, &mut warned);
        let result = fix_all(&decoded.text, &config.rules);
        let bytes = encode(&result.text, decoded.encoding);
        if args.stdout {
            let mut out = io::stdout().lock();
            let _ = out.write_all(result.text.as_bytes());
            let _ = out.flush();
            eprintln!(
                "report-lsp: {shown}: {} edit(s) in {} pass(es)",
                result.edits_applied, result.passes
            );
            continue;
        }
        if args.write {
            if result.passes == 0 {
                eprintln!("report-lsp: {shown}: nothing to fix");
                continue;
            }
            // A link is written through: the file it leads to is fixed, the link kept.
            let real = match fs::canonicalize(path) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("report-lsp: {shown}: {e}; file left unchanged");
                    trouble = true;
                    continue;
                }
            };
            let path = &real;
            if let Some(why) = refuse_in_place(path) {
                eprintln!("report-lsp: {shown}: not rewritten: {why}; file left unchanged");
                trouble = true;
                continue;
            }
            // What is on disk now must be what was fixed, and must stay so until the rename.
            let before = stamp(path);
            let same = crate::decode::read_file(path).is_ok_and(|d| d.text == decoded.text);
            let Some(before) = before.ok().filter(|_| same) else {
                eprintln!(
                    "report-lsp: {shown}: changed on disk since it was read; file left unchanged"
                );
                trouble = true;
                continue;
            };
            let Some(backup) = backup_path(path) else {
                eprintln!("report-lsp: {shown}: no free backup name; file left unchanged");
                trouble = true;
                continue;
            };
            if let Err(e) = fs::copy(path, &backup) {
                eprintln!(
                    "report-lsp: {shown}: cannot write backup {}: {e}; file left unchanged",
                    backup.display()
                );
                trouble = true;
                continue;
            }
            let unchanged = || {
                match stamp(path) {
                Ok(now) if now == before => Ok(()),
                _ => Err(io::Error::other(
                    "another program changed or replaced it while it was being fixed; its version is kept",
                )),
            }
            };
            match replace_file_checked(path, &bytes, unchanged) {
                Ok(()) => eprintln!(
                    "report-lsp: {shown}: {} edit(s) in {} pass(es); original kept as {}",
                    result.edits_applied,
                    result.passes,
                    backup.display()
                ),
                Err(e) => {
                    eprintln!("report-lsp: {shown}: not rewritten: {e}; file left unchanged");
                    let _ = fs::remove_file(&backup);
                    trouble = true;
                }
            }
            continue;
        }
        let copy = fixed_copy_path(path);
        if fs::metadata(&copy).is_ok_and(|m| m.permissions().readonly()) {
            eprintln!(
                "report-lsp: {shown}: {} is read-only; not overwritten",
                copy.display()
            );
            trouble = true;
            continue;
        }
        match replace_file(&copy, &bytes) {
            Ok(()) => eprintln!(
                "report-lsp: {shown}: {} edit(s) in {} pass(es); fixed copy written to {}",
                result.edits_applied,
                result.passes,
                copy.display()
            ),
            Err(e) => {
                eprintln!("report-lsp: {shown}: cannot write {}: {e}", copy.display());
                trouble = true;
            }
        }
    }
    if trouble {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_and_backup_names() {
        assert_eq!(
            fixed_copy_path(Path::new("/a/report.txt")),
            PathBuf::from("/a/report.fixed.txt")
        );
        assert_eq!(
            fixed_copy_path(Path::new("report")),
            PathBuf::from("report.fixed")
        );
        let dir = std::env::temp_dir().join(format!("report-lsp-bak-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("r.txt");
        fs::write(&file, "x").unwrap();
        assert_eq!(backup_path(&file), Some(dir.join("r.txt.bak")));
        fs::write(dir.join("r.txt.bak"), "x").unwrap();
        assert_eq!(backup_path(&file), Some(dir.join("r.txt.bak.1")));
        let _ = fs::remove_dir_all(&dir);
    }

    /// Another program replaces the file between the read and the rename: its version stays,
    /// and no temporary file is left behind.
    #[test]
    fn a_file_replaced_before_the_rename_is_kept() {
        let dir = std::env::temp_dir().join(format!("report-lsp-race-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("r.txt");
        fs::write(&file, "ours\n").unwrap();
        let before = stamp(&file).unwrap();
        let other = dir.join("other.txt");
        let result = replace_file_checked(&file, b"fixed\n", || {
            // The other program writes its version and renames it over the file.
            fs::write(&other, "theirs\n").unwrap();
            fs::rename(&other, &file).unwrap();
            match stamp(&file) {
                Ok(now) if now == before => Ok(()),
                _ => Err(io::Error::other("changed")),
            }
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&file).unwrap(), "theirs\n");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        let _ = fs::remove_dir_all(&dir);
    }
}
