//! The facts every application-source reader finds in every file below a folder, one JSON line
//! per file and reader, in path order. `scripts/app-corpus` builds a corpus of real sources and
//! compares this dump between two builds: a faster reader must find exactly what the one before
//! it found, in every file, including broken ones.
//!
//! usage: cargo run --release --example app_facts -- DIR [--every-reader N]
//!
//! Each file is read by the reader its name selects (as `meshlint check` does); every Nth file
//! (default 7) is also read by every other reader, so that a reader given another language's
//! text is exercised too. A file that is not text is listed without facts, as the engine does
//! not read it; a reader that panics is listed as `"panic"` (a bug the dump makes visible).

use meshlint::parse::app::{classify, extract, SourceKind};
use meshlint::source::FileId;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut every = 7usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--every-reader" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => every = n,
                None => return usage("--every-reader takes a number"),
            },
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return usage("one folder only"),
        }
    }
    let Some(dir) = dir else {
        return usage("no folder given");
    };
    let mut files = Vec::new();
    if let Err(e) = walk(&dir, &mut files) {
        eprintln!("app_facts: cannot read {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    files.sort();

    let lines: Vec<Vec<String>> = files
        .par_iter()
        .enumerate()
        .map(|(index, path)| dump(&dir, path, every > 0 && index % every == 0))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut read, mut with_facts) = (0usize, 0usize);
    for line in lines.iter().flatten() {
        read += 1;
        with_facts += usize::from(!line.contains(r#""facts":{"listens":[],"strings":[]}"#));
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    eprintln!(
        "app_facts: {} files, {read} readings, {with_facts} with facts",
        files.len()
    );
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("app_facts: {problem}\nusage: app_facts DIR [--every-reader N]");
    ExitCode::from(2)
}

/// Every file below `dir`, symbolic links not followed.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

/// The lines of one file: one per reader that reads it.
fn dump(dir: &Path, path: &Path, every_reader: bool) -> Vec<String> {
    let shown = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let own = classify(path);
    let mut readers: Vec<SourceKind> = own.into_iter().collect();
    if every_reader {
        readers.extend(SourceKind::ALL.iter().copied().filter(|k| Some(*k) != own));
        readers.dedup();
    }
    if readers.is_empty() {
        return Vec::new();
    }
    let decoded = match std::fs::read(path) {
        Ok(bytes) => meshlint::parse::decode(bytes),
        Err(e) => {
            return vec![line(
                &shown,
                None,
                serde_json::json!({ "unreadable": e.to_string() }),
            )]
        }
    };
    if let Some((offset, message)) = decoded.error {
        return vec![line(
            &shown,
            None,
            serde_json::json!({ "not_text": [offset, message] }),
        )];
    }
    readers
        .into_iter()
        .map(|kind| {
            let read = std::panic::catch_unwind(|| extract(kind, FileId(0), &decoded.text));
            let facts = match read {
                Ok(facts) => {
                    serde_json::to_value(&facts).unwrap_or_else(|e| serde_json::json!(e.to_string()))
                }
                Err(_) => serde_json::json!("panic"),
            };
            line(&shown, Some(kind), facts)
        })
        .collect()
}

fn line(file: &str, reader: Option<SourceKind>, facts: serde_json::Value) -> String {
    serde_json::json!({ "file": file, "reader": reader, "facts": facts }).to_string()
}
