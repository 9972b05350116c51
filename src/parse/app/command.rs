//! Where a command line makes a server listen: `gunicorn --bind`, `uvicorn --host`,
//! `manage.py runserver ADDR`, `flask run --host`, `hypercorn --bind`, `daphne --bind`,
//! `python -m http.server --bind`, and for any other program `--listen`/`--bind`/`-addr`.
//!
//! The words come from a shell line, a Dockerfile exec-form array or a list in a program;
//! [`Style`] says how to write an added argument in each. Defaults when no host is given:
//! gunicorn, hypercorn, daphne, uvicorn, `flask run` and `runserver` all bind 127.0.0.1
//! (gunicorn uses `0.0.0.0:$PORT` only when `$PORT` is set, which this reader cannot know);
//! `python -m http.server` binds every interface.
//!
//! This file finds the program among the words (through `exec`, `env`, `poetry run`,
//! `python -m`, entrypoint scripts and `sh -c`); [`super::server_options`] reads its options.

use super::found::Found;
use super::server_options::Line;
use super::shell_words::{commands, Word};

/// How the words were written, and so how to add two more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// A shell line: `gunicorn app` → `gunicorn --bind 127.0.0.1:8000 app`.
    Shell,
    /// A list of quoted strings: `["gunicorn", "app"]` → `["gunicorn", "--bind", "127.0.0.1:8000", "app"]`.
    List,
}

impl Style {
    /// `args` written as words to add after another word.
    pub(super) fn arguments(self, args: &[&str]) -> String {
        match self {
            Style::Shell => args.iter().map(|a| format!(" {a}")).collect(),
            Style::List => args.iter().map(|a| format!(", \"{a}\"")).collect(),
        }
    }
}

/// `sh -c 'gunicorn …'` nests a script; this many levels are followed.
const MAX_NESTED_SCRIPTS: usize = 3;

/// Reads every simple command in shell text `source[range]`.
pub(super) fn read_shell(found: &mut Found, source: &str, range: std::ops::Range<usize>) {
    read_shell_at(found, source, range, 0);
}

fn read_shell_at(found: &mut Found, source: &str, range: std::ops::Range<usize>, depth: usize) {
    for words in commands(source, range) {
        read_at(found, source, &words, Style::Shell, depth);
    }
}

/// Reads one command given as words.
pub(super) fn read(found: &mut Found, source: &str, words: &[Word], style: Style) {
    read_at(found, source, words, style, 0);
}

fn read_at(found: &mut Found, source: &str, words: &[Word], style: Style, depth: usize) {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return;
    };
    let line = Line::new(source, words, style, first.raw.start..last.raw.end);
    let mut i = 0;
    while i < words.len() {
        let name = basename(&words[i].text);
        if let Some(script) = nested_script(words, i) {
            if depth < MAX_NESTED_SCRIPTS && source.get(script.value.clone()) == Some(script.text.as_str()) {
                read_shell_at(found, source, script.value.clone(), depth + 1);
            }
            return;
        }
        if let Some(program) = Program::named(name) {
            return line.program(found, program, i, i + 1);
        }
        if name.starts_with("python") {
            if let Some((program, at, args)) = python_program(words, i) {
                return line.program(found, program, at, args);
            }
            return line.generic(found, i + 1);
        }
        if !is_wrapper(name, &words[i].text) {
            return line.generic(found, i + 1);
        }
        i += 1;
    }
}

/// Words that start another program without being it: `exec`, `env A=b`, `tini --`,
/// `poetry run`, an entrypoint script given the command as arguments.
fn is_wrapper(name: &str, word: &str) -> bool {
    let assignment = word
        .find('=')
        .is_some_and(|eq| eq > 0 && word[..eq].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    assignment
        || word.starts_with('-')
        || name.ends_with(".sh")
        || name.contains("entrypoint")
        || matches!(
            name,
            "exec"
                | "env"
                | "nohup"
                | "sudo"
                | "time"
                | "tini"
                | "dumb-init"
                | "gosu"
                | "su-exec"
                | "poetry"
                | "pipenv"
                | "uv"
                | "pdm"
                | "hatch"
                | "rye"
                | "run"
                | "opentelemetry-instrument"
                | "ddtrace-run"
                | "newrelic-admin"
                | "run-program"
        )
}

/// `sh -c 'script'`: the script word.
fn nested_script(words: &[Word], i: usize) -> Option<&Word> {
    let shell = matches!(basename(&words[i].text), "sh" | "bash" | "dash" | "ash" | "zsh");
    let flag = words.get(i + 1)?;
    let is_c = flag.text.starts_with('-') && !flag.text.starts_with("--") && flag.text.ends_with('c');
    (shell && is_c).then(|| words.get(i + 2)).flatten()
}

/// `python -m gunicorn …`, `python3 manage.py runserver`: the program, where its name is,
/// and where its arguments start.
fn python_program(words: &[Word], i: usize) -> Option<(Program, usize, usize)> {
    let mut j = i + 1;
    while let Some(word) = words.get(j) {
        match word.text.as_str() {
            "-m" => {
                let module = words.get(j + 1)?;
                return Some((Program::module(&module.text)?, j + 1, j + 2));
            }
            flag if flag.starts_with('-') => j += 1,
            script => return Some((Program::named(basename(script))?, j, j + 1)),
        }
    }
    None
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The servers whose options (and defaults) the reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Program {
    Gunicorn,
    Hypercorn,
    Daphne,
    Uvicorn,
    Flask,
    Django(&'static str),
    HttpServer,
}

impl Program {
    fn named(name: &str) -> Option<Program> {
        Some(match name {
            "gunicorn" => Program::Gunicorn,
            "hypercorn" => Program::Hypercorn,
            "daphne" => Program::Daphne,
            "uvicorn" => Program::Uvicorn,
            "flask" => Program::Flask,
            "manage.py" => Program::Django("manage.py"),
            "django-admin" | "django-admin.py" => Program::Django("django-admin"),
            _ => return None,
        })
    }

    fn module(module: &str) -> Option<Program> {
        match module {
            "http.server" => Some(Program::HttpServer),
            "django" => Some(Program::Django("django-admin")),
            other => Program::named(other),
        }
    }
}
