//! Dockerfiles: the command each stage runs and URL-like `ENV`/`ARG` values.
//!
//! Only the last `ENTRYPOINT` and the last `CMD` of a stage take effect, so earlier ones are
//! not listens. An exec-form `ENTRYPOINT` gets the exec-form `CMD` as arguments, so the two
//! are read as one command line (`ENTRYPOINT ["gunicorn"]` + `CMD ["--bind", …]`). `ENV`
//! lines are settings, not listens; the rules read bind-address variables from Terraform.

use super::command::{self, Style};
use super::found::{mentions_any, Found};
use super::literal::{inner_range, unescape};
use super::script::{read_commands, COMMAND_NEEDLES};
use super::shell_words::Word;
use super::syntax_tree::{named_children, node_text, parse, Grammar};
use crate::parse::app::facts::AppFacts;
use crate::source::FileId;
use tree_sitter::Node;

pub(super) fn read(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !mentions_any(text, COMMAND_NEEDLES) {
        return found.finish();
    }
    let Some(tree) = parse(Grammar::Dockerfile, text) else {
        return found.finish();
    };
    let mut stage = Stage::default();
    for instruction in named_children(tree.root_node()) {
        match instruction.kind() {
            "from_instruction" => std::mem::take(&mut stage).read(&mut found, text),
            "entrypoint_instruction" => stage.entrypoint = Some(instruction),
            "cmd_instruction" => stage.cmd = Some(instruction),
            "env_instruction" | "arg_instruction" => read_settings(&mut found, text, instruction),
            _ => {}
        }
    }
    stage.read(&mut found, text);
    found.finish()
}

/// The instructions that decide what one build stage runs.
#[derive(Default)]
struct Stage<'t> {
    entrypoint: Option<Node<'t>>,
    cmd: Option<Node<'t>>,
}

/// A `CMD` or `ENTRYPOINT` argument: exec form (a JSON array) or shell form.
enum Form<'t> {
    Exec(Vec<Word>),
    Shell(Node<'t>),
}

impl<'t> Stage<'t> {
    fn read(self, found: &mut Found, text: &str) {
        let entrypoint = self.entrypoint.and_then(|n| form(n, text));
        let cmd = self.cmd.and_then(|n| form(n, text));
        for form in [&entrypoint, &cmd].into_iter().flatten() {
            if let Form::Exec(words) = form {
                for word in words {
                    found.string(word.value.clone(), word.text.clone());
                }
            }
        }
        match (entrypoint, cmd) {
            (Some(Form::Exec(mut words)), cmd) => {
                match cmd {
                    Some(Form::Exec(args)) => words.extend(args),
                    // Docker appends `/bin/sh -c "…"` to the entrypoint; read the script alone.
                    Some(Form::Shell(shell)) => read_commands(found, text, shell.byte_range()),
                    None => {}
                }
                command::read(found, text, &words, Style::List);
            }
            // A shell-form entrypoint ignores CMD altogether.
            (Some(Form::Shell(shell)), _) | (None, Some(Form::Shell(shell))) => {
                read_commands(found, text, shell.byte_range());
            }
            (None, Some(Form::Exec(words))) => command::read(found, text, &words, Style::List),
            (None, None) => {}
        }
    }
}

fn form<'t>(instruction: Node<'t>, text: &str) -> Option<Form<'t>> {
    let argument = named_children(instruction).into_iter().next()?;
    match argument.kind() {
        "json_string_array" => {
            let words = named_children(argument)
                .into_iter()
                .filter(|n| n.kind() == "json_string")
                .map(|s| {
                    let value = inner_range(text, s.byte_range(), 1, "\"");
                    let decoded = unescape(text.get(value.clone()).unwrap_or(""));
                    Word::quoted(decoded, s.byte_range(), value)
                })
                .collect();
            Some(Form::Exec(words))
        }
        "shell_command" => Some(Form::Shell(argument)),
        _ => None,
    }
}

/// `ENV URL=http://billing.service.consul` and `ARG URL=…`: values kept as strings.
fn read_settings(found: &mut Found, text: &str, instruction: Node) {
    let values = if instruction.kind() == "arg_instruction" {
        instruction.child_by_field_name("default").into_iter().collect()
    } else {
        named_children(instruction)
            .into_iter()
            .filter_map(|pair| pair.child_by_field_name("value"))
            .collect::<Vec<_>>()
    };
    for value in values {
        let (contents, decoded) = match value.kind() {
            "double_quoted_string" => {
                let contents = inner_range(text, value.byte_range(), 1, "\"");
                let decoded = unescape(text.get(contents.clone()).unwrap_or(""));
                (contents, decoded)
            }
            "single_quoted_string" => {
                let contents = inner_range(text, value.byte_range(), 1, "'");
                (contents.clone(), text.get(contents).unwrap_or("").to_string())
            }
            _ => (value.byte_range(), node_text(value, text).to_string()),
        };
        found.string(contents, decoded);
    }
}
