//! Python: Flask/uvicorn/aiohttp/socket listeners, gRPC servers' `add_insecure_port` and
//! `add_secure_port` (grpcio and `grpc.aio`), Django `runserver` command lines held in strings
//! or argv lists, gunicorn configuration files, and URL-like strings.
//!
//! Defaults when no `host=` is given, from each API's documentation: Flask `app.run()` and
//! Flask-SocketIO `socketio.run()` listen on 127.0.0.1, as does `uvicorn.run()`; aiohttp
//! `web.run_app()` listens on every interface (`0.0.0.0`).

use super::bindings::Bindings;
use super::command::{self, Style};
use super::env_fallback::listen_fallback;
use super::found::{worth_reading, Found, HASH_COMMENTS};
use super::literal::{inner_range, unescape};
use super::shell_words::Word;
use super::syntax_tree::{
    field_named, field_of_kind, for_each_node, grammar_ids, leftmost_operand, named_children, node_text,
    parse, Grammar,
};
use crate::parse::app::facts::{AppFacts, ListenAddress};
use crate::source::FileId;
use std::ops::Range;
use std::sync::LazyLock;
use tree_sitter::Node;

/// `bind` alone for gunicorn's `bind = …` setting, which only configuration files have.
const NEEDLES: &[&str] = &[
    ".run(",
    "run_app(",
    "bind(",
    "runserver",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "add_insecure_port",
    "add_secure_port",
];
const CONFIG_NEEDLES: &[&str] = &["bind"];

/// Programs and subcommands whose argv lists are command lines worth reading.
const COMMAND_WORDS: &[&str] = &["runserver", "gunicorn", "uvicorn", "hypercorn", "daphne"];

pub(super) fn read(file: FileId, text: &str, gunicorn_config: bool) -> AppFacts {
    let mut found = Found::new(file);
    let needles = if gunicorn_config { CONFIG_NEEDLES } else { NEEDLES };
    if !worth_reading(text, needles, HASH_COMMENTS) {
        return found.finish();
    }
    let Some(tree) = parse(Grammar::Python, text) else {
        return found.finish();
    };
    let syntax = &*SYNTAX;
    let kind = &syntax.kind;
    let mut reader = Reader {
        text,
        bindings: Bindings::default(),
    };
    // Calls and gunicorn settings are read once every binding in the file is known.
    let mut calls = Vec::new();
    let mut settings = Vec::new();
    for_each_node(&tree, |node| {
        let id = node.kind_id();
        if id == kind.string {
            reader.string(&mut found, node);
        } else if id == kind.list {
            reader.argv_list(&mut found, node);
        } else if id == kind.module {
            // Only a gunicorn configuration module's settings are read.
            if gunicorn_config {
                settings.extend(syntax.module_assignments(node));
            }
        } else if let Some((name, value)) = syntax.binding(node) {
            reader.bindings.bind(node_text(name, text), Some(value));
        } else if let Some(call) = syntax.call(node, text) {
            calls.push(call);
        }
    });
    for call in calls {
        reader.call(&mut found, call);
    }
    for (setting, value) in settings {
        if node_text(setting, text) == "bind" {
            reader.gunicorn_bind(&mut found, setting.parent().unwrap_or(value), value);
        }
    }
    found.finish()
}

/// `object.method(arguments)` or `method(arguments)`, `method` one of `run`, `run_app`, `bind`,
/// `add_insecure_port`, `add_secure_port`.
struct Call<'t> {
    call: Node<'t>,
    object: Option<Node<'t>>,
    method: Node<'t>,
    arguments: Node<'t>,
}

/// The node kinds and fields the reader looks for, by id (see [`super::syntax_tree`]).
struct Syntax {
    kind: Kinds,
    field: Fields,
}

grammar_ids! {
    struct Kinds: kind_id {
        call, attribute, identifier, argument_list, assignment, default_parameter,
        typed_default_parameter, module, expression_statement, list, string,
    }
}

grammar_ids! {
    struct Fields: field_id {
        function, object, attribute, arguments, left, right, name, value,
    }
}

static SYNTAX: LazyLock<Syntax> = LazyLock::new(|| {
    let language = Grammar::Python.language();
    Syntax {
        kind: Kinds::new(&language),
        field: Fields::new(&language),
    }
});

impl Syntax {
    /// `name = value`, and a parameter's `name=value` or `name: T = value`.
    fn binding<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let (kind, field) = (&self.kind, &self.field);
        let id = node.kind_id();
        if id == kind.assignment {
            self.assignment(node)
        } else if id == kind.default_parameter || id == kind.typed_default_parameter {
            let name = field_of_kind(node, field.name, kind.identifier)?;
            Some((name, field_named(node, field.value)?))
        } else {
            None
        }
    }

    /// `name = value` with a plain name on the left.
    fn assignment<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let name = field_of_kind(node, self.field.left, self.kind.identifier)?;
        Some((name, field_named(node, self.field.right)?))
    }

    /// The `name = value` statements directly in a module: gunicorn's settings.
    fn module_assignments<'t>(&self, module: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
        let mut assignments = Vec::new();
        let mut statements = module.walk();
        for statement in module.children(&mut statements) {
            if statement.kind_id() != self.kind.expression_statement {
                continue;
            }
            let mut children = statement.walk();
            for child in statement.children(&mut children) {
                if child.kind_id() == self.kind.assignment {
                    assignments.extend(self.assignment(child));
                }
            }
        }
        assignments
    }

    fn call<'t>(&self, node: Node<'t>, text: &str) -> Option<Call<'t>> {
        let (kind, field) = (&self.kind, &self.field);
        if node.kind_id() != kind.call {
            return None;
        }
        let function = node.child_by_field_id(field.function)?;
        let (object, method) = if function.kind_id() == kind.attribute {
            let object = field_named(function, field.object)?;
            (
                Some(object),
                field_of_kind(function, field.attribute, kind.identifier)?,
            )
        } else if function.kind_id() == kind.identifier {
            (None, function)
        } else {
            return None;
        };
        let arguments = field_of_kind(node, field.arguments, kind.argument_list)?;
        let listens = matches!(
            node_text(method, text),
            "run" | "run_app" | "bind" | "add_insecure_port" | "add_secure_port"
        );
        listens.then_some(Call {
            call: node,
            object,
            method,
            arguments,
        })
    }
}

struct Reader<'t, 'a> {
    text: &'a str,
    bindings: Bindings<'t>,
}

impl<'t> Reader<'t, '_> {
    fn call(&self, found: &mut Found, call: Call<'t>) {
        let Call {
            call,
            object,
            method,
            arguments,
        } = call;
        let object_text = object.map_or("", |o| node_text(o, self.text));
        match node_text(method, self.text) {
            "bind" => self.socket_bind(found, call, object_text, arguments),
            method @ ("add_insecure_port" | "add_secure_port") if object.is_some() => {
                self.grpc_port(found, call, format!("{object_text}.{method}"), arguments);
            }
            "add_insecure_port" | "add_secure_port" => {}
            "run_app" => {
                let api = if object_text.is_empty() {
                    "run_app".to_string()
                } else {
                    format!("{object_text}.run_app")
                };
                self.run_with_host(found, call, api, arguments, Some(true));
            }
            _ => {
                let api = format!("{object_text}.run");
                let default_all = match object {
                    _ if object_text == "uvicorn" => Some(false),
                    Some(object) if self.is_app_object(object) => Some(false),
                    _ => None,
                };
                if object.is_some() {
                    self.run_with_host(found, call, api, arguments, default_all);
                }
            }
        }
    }

    /// `X = Flask(__name__)` or `X = SocketIO(app)` one step away, or `app` in a module that
    /// imports Flask (the application-factory pattern, `app = create_app()`).
    fn is_app_object(&self, object: Node<'t>) -> bool {
        let imports_flask = self.text.contains("from flask import") || self.text.contains("import flask");
        if imports_flask && node_text(object, self.text) == "app" {
            return true;
        }
        let bound =
            (object.kind() == "identifier").then(|| self.bindings.single(node_text(object, self.text)));
        let Some(Some(value)) = bound else {
            return false;
        };
        let function = value
            .child_by_field_name("function")
            .map(|f| node_text(f, self.text));
        value.kind() == "call" && function.is_some_and(|f| f.ends_with("Flask") || f.ends_with("SocketIO"))
    }

    /// A call that takes `host=`; `default_all` is the API's default when it is missing
    /// (`None`: not a known server, so a call without `host=` is not a listen).
    fn run_with_host(
        &self,
        found: &mut Found,
        call: Node,
        api: String,
        arguments: Node<'t>,
        default_all: Option<bool>,
    ) {
        let args = named_children(arguments);
        let host = args.iter().find_map(|arg| {
            let name = arg.child_by_field_name("name")?;
            (arg.kind() == "keyword_argument" && node_text(name, self.text) == "host")
                .then(|| arg.child_by_field_name("value"))?
        });
        let address = match (host, default_all) {
            (Some(value), _) => self.host(found, value),
            (None, Some(all)) => match args.last() {
                Some(last) => found.no_host(all, last.end_byte(), ", host=\"127.0.0.1\""),
                None => found.no_host(all, arguments.start_byte() + 1, "host=\"127.0.0.1\""),
            },
            (None, None) => return,
        };
        found.listen(call.byte_range(), format!("{api}(host=…)"), address);
    }

    /// `sock.bind(("0.0.0.0", 80))`, `sock.bind(ADDRESS)`, ZeroMQ `sock.bind("tcp://*:5555")`.
    fn socket_bind(&self, found: &mut Found, call: Node, object: &str, arguments: Node<'t>) {
        let Some(first) = named_children(arguments).into_iter().next() else {
            return;
        };
        let resolved = self.resolve(first);
        let address = match resolved.kind() {
            "tuple" => match named_children(resolved).first() {
                Some(host) => self.host(found, *host),
                None => return,
            },
            "string" => match self.literal(resolved) {
                Some((contents, value)) => found.host_port(&value, contents),
                None => ListenAddress::Unknown,
            },
            // Many objects have a `bind` method; an unknown argument counts only on a socket.
            _ if object.contains("sock") => ListenAddress::Unknown,
            _ => return,
        };
        found.listen(call.byte_range(), format!("{object}.bind"), address);
    }

    /// gRPC's `server.add_insecure_port("[::]:50051")` and `add_secure_port(address,
    /// credentials)`, on a grpcio or `grpc.aio` server: the address is host and port in one
    /// string, its first argument or `address=`.
    fn grpc_port(&self, found: &mut Found, call: Node, api: String, arguments: Node<'t>) {
        let args = named_children(arguments);
        let address = args.iter().find_map(|arg| {
            if arg.kind() != "keyword_argument" {
                return None;
            }
            let name = arg.child_by_field_name("name")?;
            (node_text(name, self.text) == "address").then(|| arg.child_by_field_name("value"))?
        });
        let first = args.first().filter(|a| a.kind() != "keyword_argument").copied();
        let Some(address) = address.or(first) else {
            return;
        };
        let address = self.host_port(found, address);
        found.listen(call.byte_range(), api, address);
    }

    /// An address string holding host and port: a literal or a name bound once to one, or one
    /// whose port code fills in after a written host (`f"[::]:{port}"`, `"[::]:" + port`,
    /// `"[::]:%d" % port`, `"[::]:{}".format(port)`).
    fn host_port(&self, found: &Found, node: Node<'t>) -> ListenAddress {
        let node = self.resolve(node);
        if let Some((contents, value)) = self.literal(node) {
            return found.host_port(&value, contents);
        }
        let from_env = listen_fallback(node, self.text, |fallback| self.host_port(found, fallback));
        if from_env != ListenAddress::Unknown {
            return from_env;
        }
        match node.kind() {
            // An f-string: the text before its first `{…}`.
            "string" => {
                let (contents, _) = string_parts(node, self.text);
                let first = named_children(node)
                    .into_iter()
                    .find(|c| c.kind() == "interpolation");
                match first {
                    Some(first) => found.host_before_port(self.text, contents.start..first.start_byte()),
                    None => ListenAddress::Unknown,
                }
            }
            "binary_operator" => {
                let operator = node
                    .child_by_field_name("operator")
                    .map(|o| node_text(o, self.text));
                let left = leftmost_operand(node, "binary_operator");
                match (operator, self.literal(left)) {
                    (Some("+" | "%"), Some((contents, _))) => found.host_before_port(self.text, contents),
                    _ => ListenAddress::Unknown,
                }
            }
            "call" => {
                let function = node
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "attribute");
                let method = function
                    .and_then(|f| f.child_by_field_name("attribute"))
                    .map(|m| node_text(m, self.text));
                let template = function
                    .and_then(|f| f.child_by_field_name("object"))
                    .and_then(|o| self.literal(o));
                match (method, template) {
                    (Some("format"), Some((contents, _))) => found.host_before_port(self.text, contents),
                    _ => ListenAddress::Unknown,
                }
            }
            _ => ListenAddress::Unknown,
        }
    }

    /// gunicorn's `bind = "…"` or `bind = ["…", …]`: one listen per address.
    fn gunicorn_bind(&self, found: &mut Found, statement: Node, value: Node<'t>) {
        let elements = match value.kind() {
            "list" | "tuple" => named_children(value),
            _ => vec![value],
        };
        for element in elements {
            let address = match self.literal(self.resolve(element)) {
                Some((contents, value)) => found.host_port(&value, contents),
                None => ListenAddress::Unknown,
            };
            found.listen(statement.byte_range(), "gunicorn bind", address);
        }
    }

    /// A string literal: URL-like, or a command line running Django's `runserver`.
    fn string(&self, found: &mut Found, string: Node) {
        let (contents, value) = string_parts(string, self.text);
        if value.contains("runserver") && self.text.get(contents.clone()) == Some(value.as_str()) {
            command::read_shell(found, self.text, contents.clone());
        }
        found.tree_string(contents, value, string, self.text);
    }

    /// `["python", "manage.py", "runserver", "0.0.0.0:8000"]` as passed to `subprocess`.
    fn argv_list(&self, found: &mut Found, list: Node) {
        let elements = named_children(list);
        let words: Vec<Word> = elements
            .iter()
            .map(|element| match self.literal(*element) {
                Some((contents, value)) => Word::quoted(value, element.byte_range(), contents),
                // An expression: unknown until run time, like a shell variable.
                None => Word::quoted("{…}".into(), element.byte_range(), element.byte_range()),
            })
            .collect();
        let is_command = words.iter().any(|w| {
            let name = w.text.rsplit('/').next().unwrap_or("");
            COMMAND_WORDS.contains(&name)
        });
        if is_command {
            command::read(found, self.text, &words, Style::List);
        }
    }

    /// A host argument: a literal, a name bound once to a literal, or the literal fallback of
    /// an environment lookup (`os.environ.get("HOST", "0.0.0.0")`).
    fn host(&self, found: &Found, node: Node<'t>) -> ListenAddress {
        let node = self.resolve(node);
        match self.literal(node) {
            Some((contents, value)) => found.host(&value, contents),
            None => listen_fallback(node, self.text, |fallback| self.host(found, fallback)),
        }
    }

    /// Follows a name to its single binding, one step.
    fn resolve(&self, node: Node<'t>) -> Node<'t> {
        if node.kind() != "identifier" {
            return node;
        }
        self.bindings.single(node_text(node, self.text)).unwrap_or(node)
    }

    /// A plain string literal's contents and value (no f-string interpolation).
    fn literal(&self, node: Node) -> Option<(Range<usize>, String)> {
        let has_interpolation = named_children(node).iter().any(|c| c.kind() == "interpolation");
        (node.kind() == "string" && !has_interpolation).then(|| string_parts(node, self.text))
    }
}

/// Contents between the opening and closing quotes (prefixes and triple quotes included),
/// and the value with escapes decoded unless the string is raw.
fn string_parts(node: Node, text: &str) -> (Range<usize>, String) {
    let children = named_children(node);
    let start = children.iter().find(|c| c.kind() == "string_start");
    let end = children.iter().rev().find(|c| c.kind() == "string_end");
    let contents = match (start, end) {
        (Some(s), Some(e)) if s.end_byte() <= e.start_byte() => s.end_byte()..e.start_byte(),
        (Some(s), _) => inner_range(text, s.end_byte()..node.end_byte(), 0, ""),
        _ => node.byte_range(),
    };
    let prefix = start.map_or("", |s| node_text(*s, text));
    let raw = text.get(contents.clone()).unwrap_or("");
    let value = if prefix.contains(['r', 'R']) {
        raw.to_string()
    } else {
        unescape(raw)
    };
    (contents, value)
}
