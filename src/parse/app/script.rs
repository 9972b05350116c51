//! Shell scripts and `Procfile`s: every command line goes through the shared command reader,
//! and every word holding a URL or a Consul name is kept as a string.

use super::command::read_shell;
use super::found::{mentions_any, Found};
use super::shell_words::commands;
use crate::parse::app::facts::AppFacts;
use crate::source::FileId;
use std::ops::Range;

/// Names of everything the command reader recognises, and the string markers.
pub(super) const COMMAND_NEEDLES: &[&str] = &[
    "runserver",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "flask",
    "http.server",
    "listen",
    "bind",
    "addr",
    "-b",
    "://",
    ".consul",
];

pub(super) fn read_shell_script(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if mentions_any(text, COMMAND_NEEDLES) {
        read_commands(&mut found, text, 0..text.len());
    }
    found.finish()
}

/// `web: gunicorn --bind 0.0.0.0:$PORT app:app`: one process type per line.
pub(super) fn read_procfile(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !mentions_any(text, COMMAND_NEEDLES) {
        return found.finish();
    }
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let is_process = !line.trim_start().starts_with('#');
        if let Some(colon) = line.find(':').filter(|_| is_process) {
            read_commands(&mut found, text, start + colon + 1..end);
        }
        start = end;
    }
    found.finish()
}

/// Listens and URL-like words in shell text `text[range]`.
pub(super) fn read_commands(found: &mut Found, text: &str, range: Range<usize>) {
    read_shell(found, text, range.clone());
    for words in commands(text, range) {
        for word in words {
            found.string(word.value, word.text);
        }
    }
}
