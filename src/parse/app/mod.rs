//! Application sources: each language's reader turns a file into [`AppFacts`].
//!
//! Rules see facts, never syntax trees. Every reader first runs a cheap byte pre-filter so
//! that files which cannot hold a listener or a mesh URL are never parsed.
//!
//! What the facts promise:
//! * Spans of `HostPort`, `Host` and strings cover a literal's contents, without quotes. The
//!   text is the decoded value, which equals the source there unless the literal has escapes
//!   (`\"`, properties' `\:`) or the host is a Rust expression such as `[0, 0, 0, 0]` (text
//!   `0.0.0.0`). A fix should only splice inside a span whose source equals the text.
//! * `Default` comes with a zero-width span and the words that add `127.0.0.1` there,
//!   written for that spot (`, "127.0.0.1"`, ` --bind 127.0.0.1:8000`, `host="127.0.0.1"`).
//! * A value that is neither literal nor one obvious step away (a name bound once in the
//!   file, a parameter default) is `Unknown`. An environment lookup with a literal fallback
//!   (`os.environ.get("HOST", "0.0.0.0")`, `process.env.HOST || "0.0.0.0"`, Go's
//!   `getEnv("ADDR", ":8080")`) is `EnvFallback` in Python, JavaScript and Go readers, and a
//!   URL literal records the variable it is the fallback of (see `env_fallback`): rules weigh
//!   it against the task's environment. Shell's `${BIND:-0.0.0.0}` stays `Unknown`.
//!
//! Readers: `go`, `python`, `javascript` (JS/TS/TSX), `rust_lang`, `dockerfile`, `script`
//! (shell scripts, Procfiles), `spring`; `command` and `server_options` read the command
//! lines all of them may hold.

use crate::parse::app::facts::AppFacts;
use crate::source::FileId;
use std::path::Path;
use syntax_tree::Grammar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum SourceKind {
    Go,
    Python,
    /// A gunicorn configuration module (`gunicorn.conf.py`, `gunicorn_config.py`): Python
    /// whose module-level `bind = …` is where gunicorn listens.
    GunicornConfig,
    JavaScript,
    TypeScript,
    Tsx,
    Rust,
    Dockerfile,
    /// `*.sh` and scripts with a shell shebang named on the command line.
    Shell,
    Procfile,
    /// Java `*.properties` (Spring `server.address`).
    JavaProperties,
    /// Spring `application*.yml` / `.yaml`.
    SpringYaml,
}

impl SourceKind {
    /// Every kind, for tools and tests that run each reader.
    pub const ALL: [SourceKind; 12] = [
        SourceKind::Go,
        SourceKind::Python,
        SourceKind::GunicornConfig,
        SourceKind::JavaScript,
        SourceKind::TypeScript,
        SourceKind::Tsx,
        SourceKind::Rust,
        SourceKind::Dockerfile,
        SourceKind::Shell,
        SourceKind::Procfile,
        SourceKind::JavaProperties,
        SourceKind::SpringYaml,
    ];
}

/// The kind of application source a path holds, by name.
pub fn classify(path: &Path) -> Option<SourceKind> {
    let name = path.file_name()?.to_str()?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Some(match extension {
        "go" => SourceKind::Go,
        "py" if is_gunicorn_config(name) => SourceKind::GunicornConfig,
        "py" => SourceKind::Python,
        "js" | "mjs" | "cjs" | "jsx" => SourceKind::JavaScript,
        "ts" | "mts" | "cts" => SourceKind::TypeScript,
        "tsx" => SourceKind::Tsx,
        "rs" => SourceKind::Rust,
        "sh" | "bash" => SourceKind::Shell,
        "properties" => SourceKind::JavaProperties,
        "yml" | "yaml" if name.starts_with("application") => SourceKind::SpringYaml,
        _ if name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".dockerfile") => {
            SourceKind::Dockerfile
        }
        _ if name == "Procfile" => SourceKind::Procfile,
        _ => return None,
    })
}

/// `gunicorn*.py` or `*gunicorn*conf*.py`, the names gunicorn configuration goes by.
fn is_gunicorn_config(name: &str) -> bool {
    name.starts_with("gunicorn")
        || name
            .find("gunicorn")
            .is_some_and(|at| name[at..].contains("conf"))
}

/// Facts of one file. Never panics, whatever the input.
pub fn extract(kind: SourceKind, file: FileId, text: &str) -> AppFacts {
    match kind {
        SourceKind::Go => go::read(file, text),
        SourceKind::Python => python::read(file, text, false),
        SourceKind::GunicornConfig => python::read(file, text, true),
        SourceKind::JavaScript => javascript::read(Grammar::JavaScript, file, text),
        SourceKind::TypeScript => javascript::read(Grammar::TypeScript, file, text),
        SourceKind::Tsx => javascript::read(Grammar::Tsx, file, text),
        SourceKind::Rust => rust_lang::read(file, text),
        SourceKind::JavaProperties => spring::read_properties(file, text),
        SourceKind::SpringYaml => spring::read_yaml(file, text),
        SourceKind::Dockerfile => dockerfile::read(file, text),
        SourceKind::Shell => script::read_shell_script(file, text),
        SourceKind::Procfile => script::read_procfile(file, text),
    }
}

/// One argument of a command written as a list of string literals (an ECS container's
/// `command` or `entryPoint`): its value, and where it is written with and without quotes.
pub struct CommandWord {
    pub text: String,
    pub raw: std::ops::Range<usize>,
    pub value: std::ops::Range<usize>,
}

/// Where a command given as a list of words makes a server listen (`gunicorn --bind …`,
/// `sh -c '…'`, `--listen …`), read like a Dockerfile exec form. `source` is the text of the
/// file the words are written in.
pub fn command_listens(
    file: FileId,
    source: &str,
    words: &[CommandWord],
) -> Vec<crate::parse::app::facts::Listen> {
    let words: Vec<shell_words::Word> = words
        .iter()
        .map(|w| shell_words::Word {
            text: w.text.clone(),
            raw: w.raw.clone(),
            value: w.value.clone(),
        })
        .collect();
    let mut found = found::Found::new(file);
    command::read(&mut found, source, &words, command::Style::List);
    found.finish().listens
}

/// Whether the text at `offset` is inside a comment, as the language's grammar reads the
/// file; `None` for kinds read without a grammar (shell, Procfile, properties, YAML).
/// `--add-ignore` asks this of a line it inserted: inside a multi-line string the line would
/// be text.
pub fn comment_at(kind: SourceKind, text: &str, offset: usize) -> Option<bool> {
    use syntax_tree::Grammar;
    let grammar = match kind {
        SourceKind::Go => Grammar::Go,
        SourceKind::Python | SourceKind::GunicornConfig => Grammar::Python,
        SourceKind::JavaScript => Grammar::JavaScript,
        SourceKind::TypeScript => Grammar::TypeScript,
        SourceKind::Tsx => Grammar::Tsx,
        SourceKind::Rust => Grammar::Rust,
        SourceKind::Dockerfile => Grammar::Dockerfile,
        _ => return None,
    };
    let tree = syntax_tree::parse(grammar, text)?;
    // The marker's first character: the smallest node holding it, or one around it (Rust's
    // grammar gives `//` a token of its own inside the `line_comment`).
    let mut node = Some(tree.root_node().descendant_for_byte_range(offset, offset + 1)?);
    while let Some(current) = node {
        if current.kind().contains("comment") {
            return Some(true);
        }
        node = current.parent();
    }
    Some(false)
}

mod bindings;
mod command;
mod dockerfile;
mod env_fallback;
pub mod facts;
mod found;
mod go;
mod javascript;
mod literal;
mod python;
mod rust_lang;
mod script;
mod server_options;
mod shell_words;
mod spring;
mod syntax_tree;

#[cfg(test)]
mod tests;
