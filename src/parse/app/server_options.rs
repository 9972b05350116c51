//! How each server the command reader recognises says where it listens: its options, the
//! environment variables it reads, and its default when given no host.

use super::command::{Program, Style};
use super::found::Found;
use super::shell_words::Word;
use crate::parse::app::facts::ListenAddress;
use std::ops::Range;

/// One command's words and where they were written.
pub(super) struct Line<'a> {
    source: &'a str,
    words: &'a [Word],
    style: Style,
    whole: Range<usize>,
}

impl<'a> Line<'a> {
    pub fn new(source: &'a str, words: &'a [Word], style: Style, whole: Range<usize>) -> Line<'a> {
        Line {
            source,
            words,
            style,
            whole,
        }
    }

    /// Reports where `program`, named by word `name_at`, listens; its arguments start at
    /// word `args`.
    pub fn program(&self, found: &mut Found, program: Program, name_at: usize, args: usize) {
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
    pub fn generic(&self, found: &mut Found, args: usize) {
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
