//! Where a command line makes a server listen: `gunicorn --bind`, `uvicorn --host`,
//! `manage.py runserver ADDR`, `flask run --host`, `hypercorn --bind`, `daphne --bind`,
//! `python -m http.server --bind`, and for any other program `--listen`/`--bind`/`-addr`.
//!
//! The words come from a shell line, a Dockerfile exec-form array or a list in a program;
//! [`Style`] says how to write an added argument in each. Defaults when no host is given:
//! gunicorn, hypercorn, daphne, uvicorn, `flask run` and `runserver` all bind 127.0.0.1
//! (gunicorn uses `0.0.0.0:$PORT` only when `$PORT` is set, which this reader cannot know);
//! `python -m http.server` binds every interface.

use super::found::Found;
use super::shell_words::{commands, Word};
use crate::model::app::ListenAddress;

/// How the words were written, and so how to add two more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    /// A shell line: `gunicorn app` → `gunicorn --bind 127.0.0.1:8000 app`.
    Shell,
    /// A list of quoted strings: `["gunicorn", "app"]` → `["gunicorn", "--bind", "127.0.0.1:8000", "app"]`.
    List,
}

impl Style {
    fn arguments(self, args: &[&str]) -> String {
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
    let line = Line {
        source,
        words,
        style,
        whole: first.raw.start..last.raw.end,
    };
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Program {
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

/// One command's words and where they were written.
struct Line<'a> {
    source: &'a str,
    words: &'a [Word],
    style: Style,
    whole: std::ops::Range<usize>,
}

impl Line<'_> {
    fn program(&self, found: &mut Found, program: Program, name_at: usize, args: usize) {
        match program {
            Program::Gunicorn => self.binds(
                found,
                "gunicorn",
                args,
                &["-b", "--bind"],
                false,
                "127.0.0.1:8000",
            ),
            Program::Hypercorn => self.binds(
                found,
                "hypercorn",
                args,
                &["-b", "--bind"],
                false,
                "127.0.0.1:8000",
            ),
            Program::Daphne => self.binds(found, "daphne", args, &["-b", "--bind"], true, "127.0.0.1"),
            Program::Uvicorn => self.binds(found, "uvicorn", args, &["--host"], true, "127.0.0.1"),
            Program::HttpServer => self.http_server(found, name_at, args),
            Program::Flask => self.flask(found, args),
            Program::Django(name) => self.runserver(found, name, args),
        }
    }

    /// Servers configured by options: one listen per option, or the default after the name.
    fn binds(
        &self,
        found: &mut Found,
        name: &str,
        args: usize,
        options: &[&'static str],
        host_only: bool,
        default: &str,
    ) {
        let values = self.option_values(args, options);
        if values.is_empty() {
            let config = self.option_values(args, &["-c", "--config"]);
            let address = if config.is_empty() {
                let option = options[options.len() - 1];
                let insert = self.style.arguments(&[option, default]);
                found.no_host(false, self.words[args - 1].raw.end, &insert)
            } else {
                // The configuration file decides; it is read on its own if it is Python.
                ListenAddress::Unknown
            };
            found.listen(self.whole.clone(), name, address);
        }
        for (option, value) in values {
            let api = format!("{name} {option}");
            found.listen(self.whole.clone(), api, self.address(found, &value, host_only));
        }
    }

    fn http_server(&self, found: &mut Found, name_at: usize, args: usize) {
        let values = self.option_values(args, &["-b", "--bind"]);
        if values.is_empty() {
            // http.server binds every interface unless told otherwise.
            let insert = self.style.arguments(&["--bind", "127.0.0.1"]);
            let address = found.no_host(true, self.words[name_at].raw.end, &insert);
            found.listen(self.whole.clone(), "python -m http.server", address);
        }
        for (option, value) in values {
            let api = format!("python -m http.server {option}");
            found.listen(self.whole.clone(), api, self.address(found, &value, true));
        }
    }

    /// `flask run [--host H]`; `FLASK_RUN_HOST=H flask run` sets the same option.
    fn flask(&self, found: &mut Found, args: usize) {
        let Some(run) = (args..self.words.len()).find(|&j| self.words[j].text == "run") else {
            return;
        };
        let mut values = self.option_values(run + 1, &["-h", "--host"]);
        for word in &self.words[..run] {
            if word.text.starts_with("FLASK_RUN_HOST=") {
                values.push(("FLASK_RUN_HOST", word.after("FLASK_RUN_HOST=", self.source)));
            }
        }
        if values.is_empty() {
            let insert = self.style.arguments(&["--host", "127.0.0.1"]);
            let address = found.no_host(false, self.words[run].raw.end, &insert);
            found.listen(self.whole.clone(), "flask run", address);
        }
        for (option, value) in values {
            let api = format!("flask run {option}");
            found.listen(self.whole.clone(), api, self.address(found, &value, true));
        }
    }

    /// `manage.py runserver [options] [addrport]`. A port alone keeps Django's default host.
    fn runserver(&self, found: &mut Found, name: &str, args: usize) {
        let Some(sub) = (args..self.words.len()).find(|&j| self.words[j].text.starts_with("runserver"))
        else {
            return;
        };
        let api = format!("{name} {}", self.words[sub].text);
        let mut j = sub + 1;
        let mut addrport = None;
        while let Some(word) = self.words.get(j) {
            match word.text.as_str() {
                "--settings" | "--pythonpath" | "--verbosity" | "-v" => j += 2,
                flag if flag.starts_with('-') => j += 1,
                _ => {
                    addrport = Some(word);
                    break;
                }
            }
        }
        let address = match addrport {
            Some(word) if word.is_dynamic() => ListenAddress::Unknown,
            Some(word) if word.text.bytes().all(|b| b.is_ascii_digit()) && !word.text.is_empty() => {
                // Django listens on 127.0.0.1 when given only a port.
                found.no_host(false, word.value.start, "127.0.0.1:")
            }
            Some(word) => found.host_port(&word.text, word.value.clone()),
            None => {
                let insert = self.style.arguments(&["127.0.0.1:8000"]);
                found.no_host(false, self.words[sub].raw.end, &insert)
            }
        };
        found.listen(self.whole.clone(), api, address);
    }

    /// Options of any other program that name where it listens.
    fn generic(&self, found: &mut Found, args: usize) {
        const OPTIONS: &[&str] = &[
            "listen",
            "listen-address",
            "listen-addr",
            "listen_addr",
            "bind",
            "bind-address",
            "bind-addr",
            "addr",
        ];
        let mut j = args;
        while let Some(word) = self.words.get(j) {
            j += 1;
            let text = word.text.as_str();
            let dashes = if text.starts_with("--") {
                2
            } else {
                usize::from(text.starts_with('-'))
            };
            let (name, inline) = match text[dashes..].split_once('=') {
                Some((name, _)) => (name, true),
                None => (&text[dashes..], false),
            };
            let is_short_b = text == "-b";
            if dashes == 0 || !(OPTIONS.contains(&name) || is_short_b) {
                continue;
            }
            let value = if inline {
                word.after(&text[..dashes + name.len() + 1], self.source)
            } else {
                match self.words.get(j) {
                    Some(next) => {
                        j += 1;
                        next.clone()
                    }
                    None => continue,
                }
            };
            // `-b` means many things; only an address-looking value makes it a bind.
            if is_short_b && !looks_like_address(&value.text) {
                continue;
            }
            let api = &text[..dashes + name.len()];
            found.listen(self.whole.clone(), api, self.address(found, &value, false));
        }
    }

    /// Values of `options` (`-b X`, `--bind X`, `--bind=X`, `-bX`) from word `from` on.
    fn option_values(&self, from: usize, options: &[&'static str]) -> Vec<(&'static str, Word)> {
        let mut values = Vec::new();
        let mut j = from;
        while let Some(word) = self.words.get(j) {
            j += 1;
            for option in options {
                let long = option.starts_with("--");
                if word.text == *option {
                    if let Some(next) = self.words.get(j) {
                        values.push((*option, next.clone()));
                        j += 1;
                    }
                } else if word.text.starts_with(option) {
                    let rest = &word.text[option.len()..];
                    let attached = if long {
                        rest.starts_with('=')
                    } else {
                        !rest.is_empty()
                    };
                    if attached {
                        let prefix_len = option.len() + usize::from(long);
                        let prefix = &word.text[..prefix_len];
                        values.push((*option, word.after(prefix, self.source)));
                    }
                } else {
                    continue;
                }
                break;
            }
        }
        values
    }

    fn address(&self, found: &Found, value: &Word, host_only: bool) -> ListenAddress {
        if value.is_dynamic() {
            ListenAddress::Unknown
        } else if host_only {
            found.host(&value.text, value.value.clone())
        } else {
            found.host_port(&value.text, value.value.clone())
        }
    }
}

fn looks_like_address(text: &str) -> bool {
    text.contains(':') || text.split('.').count() == 4 || text.starts_with('$')
}
