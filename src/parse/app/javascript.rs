//! JavaScript, TypeScript and TSX: `.listen(…)` of Node servers (`http`, Express, Koa, Nest,
//! socket.io) and of Fastify, gRPC servers' `bindAsync(…)` (`@grpc/grpc-js`) and `bind(…)`
//! (the older `grpc` package), and URL-like strings and template literals.
//!
//! Defaults when no host is given, from each API's documentation: Node's
//! `server.listen(port)` accepts connections on the unspecified address (`::`, or `0.0.0.0`
//! without IPv6), and every framework built on it inherits that; Fastify's `listen()` defaults
//! to `localhost`. Fastify is recognised when the receiver is bound to the result of calling
//! what `import … from "fastify"` or `require("fastify")` gives.

use super::bindings::Bindings;
use super::env_fallback::listen_fallback;
use super::found::{worth_reading, Found, C_COMMENTS};
use super::literal::{inner_range, unescape};
use super::syntax_tree::{
    field_named, field_of_kind, for_each_node, grammar_ids, leftmost_operand, named_children, node_text,
    parse, Grammar,
};
use crate::parse::app::facts::{AppFacts, ListenAddress};
use crate::source::FileId;
use std::collections::HashSet;
use std::sync::LazyLock;
use tree_sitter::Node;

/// `ServerCredentials` for the older `grpc` package's `server.bind(address, credentials)`.
const NEEDLES: &[&str] = &["listen", "bindAsync", "ServerCredentials"];

pub(super) fn read(grammar: Grammar, file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !worth_reading(text, NEEDLES, C_COMMENTS) {
        return found.finish();
    }
    let syntax = match grammar {
        Grammar::TypeScript => &*TYPESCRIPT,
        Grammar::Tsx => &*TSX,
        _ => &*JAVASCRIPT,
    };
    let Some(tree) = parse(grammar, text) else {
        return found.finish();
    };
    let kind = &syntax.kind;
    let mut reader = Reader {
        text,
        bindings: Bindings::default(),
        fastify: HashSet::new(),
    };
    let mut factories = HashSet::new();
    // Bindings to values, checked for Fastify instances once every import is known; listens,
    // read once every binding is.
    let mut bound = Vec::new();
    let mut listens = Vec::new();
    for_each_node(&tree, |node| {
        let id = node.kind_id();
        if id == kind.string || id == kind.template_string {
            let (contents, value) = string_value(node, text);
            found.tree_string(contents, value, node, text);
        } else if let Some((name, value)) = syntax.binding(node) {
            reader
                .bindings
                .bind(node_text(name, text), Some(value.unwrap_or(node)));
            bound.extend(value.map(|value| (name, value)));
        } else if let Some((module, import)) = syntax.module(node, text) {
            if string_value(module, text).1 == "fastify" {
                reader.fastify_import(module, import, &mut factories);
            }
        } else if let Some(listen) = syntax.listen(node, text) {
            listens.push(listen);
        }
    });
    reader.fastify_instances(&bound, &factories);
    for Call {
        call,
        object,
        method,
        arguments,
    } in listens
    {
        match method {
            Method::Listen => reader.listen(&mut found, call, object, arguments),
            Method::GrpcBind(name) => reader.grpc_bind(&mut found, call, object, name, arguments),
        }
    }
    found.finish()
}

/// `object.method(arguments)` for a method that may listen.
struct Call<'t> {
    call: Node<'t>,
    object: Node<'t>,
    method: Method,
    arguments: Node<'t>,
}

#[derive(Clone, Copy)]
enum Method {
    /// `listen`.
    Listen,
    /// gRPC's `bindAsync` or `bind`, by name.
    GrpcBind(&'static str),
}

/// The node kinds and fields the reader looks for in one grammar, by id (see
/// [`super::syntax_tree`]).
struct Syntax {
    kind: Kinds,
    field: Fields,
    /// TypeScript's alone: JavaScript writes a parameter default as `assignment_pattern`.
    parameter: Option<ParameterKinds>,
}

grammar_ids! {
    struct Kinds: kind_id {
        call_expression, member_expression, property_identifier, arguments, identifier,
        variable_declarator, assignment_expression, assignment_pattern, function_declaration,
        import_statement, string, template_string,
    }
}

grammar_ids! {
    /// TypeScript's parameters with a default value.
    struct ParameterKinds: kind_id {
        required_parameter, optional_parameter,
    }
}

grammar_ids! {
    struct Fields: field_id {
        function, object, property, arguments, name, value, left, right, source, pattern,
    }
}

static JAVASCRIPT: LazyLock<Syntax> = LazyLock::new(|| Syntax::new(Grammar::JavaScript));
static TYPESCRIPT: LazyLock<Syntax> = LazyLock::new(|| Syntax::new(Grammar::TypeScript));
static TSX: LazyLock<Syntax> = LazyLock::new(|| Syntax::new(Grammar::Tsx));

impl Syntax {
    fn new(grammar: Grammar) -> Syntax {
        let language = grammar.language();
        let typescript = matches!(grammar, Grammar::TypeScript | Grammar::Tsx);
        Syntax {
            kind: Kinds::new(&language),
            field: Fields::new(&language),
            parameter: typescript.then(|| ParameterKinds::new(&language)),
        }
    }

    /// A name and what it is bound to: `const name = value`, `name = value`, a parameter
    /// default `(name = value)`, and `function name() {}` (value `None`: the declaration).
    fn binding<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        let (kind, field) = (&self.kind, &self.field);
        let id = node.kind_id();
        let (name_field, value_field) = if id == kind.variable_declarator {
            (field.name, field.value)
        } else if id == kind.assignment_expression || id == kind.assignment_pattern {
            (field.left, field.right)
        } else if self
            .parameter
            .as_ref()
            .is_some_and(|p| id == p.required_parameter || id == p.optional_parameter)
        {
            (field.pattern, field.value)
        } else if id == kind.function_declaration {
            return Some((field_of_kind(node, field.name, kind.identifier)?, None));
        } else {
            return None;
        };
        let name = field_of_kind(node, name_field, kind.identifier)?;
        Some((name, Some(field_named(node, value_field)?)))
    }

    /// The module string of `import … from "module"` (with the import statement) or of
    /// `require("module")`.
    fn module<'t>(&self, node: Node<'t>, text: &str) -> Option<(Node<'t>, Option<Node<'t>>)> {
        let (kind, field) = (&self.kind, &self.field);
        let id = node.kind_id();
        if id == kind.import_statement {
            return Some((field_of_kind(node, field.source, kind.string)?, Some(node)));
        }
        if id != kind.call_expression {
            return None;
        }
        let function = field_of_kind(node, field.function, kind.identifier)?;
        let arguments = field_of_kind(node, field.arguments, kind.arguments)?;
        // The first named child, comments included, as a query's `(arguments . (string))`.
        let module = arguments.named_child(0).filter(|m| m.kind_id() == kind.string)?;
        (node_text(function, text) == "require").then_some((module, None))
    }

    /// `object.listen(arguments)`, `object.bindAsync(arguments)` or `object.bind(arguments)`.
    fn listen<'t>(&self, node: Node<'t>, text: &str) -> Option<Call<'t>> {
        let (kind, field) = (&self.kind, &self.field);
        if node.kind_id() != kind.call_expression {
            return None;
        }
        let member = field_of_kind(node, field.function, kind.member_expression)?;
        let object = field_named(member, field.object)?;
        let method = field_of_kind(member, field.property, kind.property_identifier)?;
        let arguments = field_of_kind(node, field.arguments, kind.arguments)?;
        let method = match node_text(method, text) {
            "listen" => Method::Listen,
            "bindAsync" => Method::GrpcBind("bindAsync"),
            // `fn.bind(this)` is everywhere; [`Reader::grpc_bind`] checks the credentials.
            "bind" => Method::GrpcBind("bind"),
            _ => return None,
        };
        Some(Call {
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
    /// Names bound to a Fastify instance.
    fastify: HashSet<String>,
}

impl<'t> Reader<'t, '_> {
    /// `import Fastify from "fastify"`, `import { fastify } from "fastify"`,
    /// `const Fastify = require("fastify")`; `const app = require("fastify")(…)` is an
    /// instance straight away.
    fn fastify_import(&mut self, module: Node, import: Option<Node>, factories: &mut HashSet<String>) {
        if let Some(import) = import {
            let mut stack: Vec<Node> = named_children(import);
            let mut budget = 64;
            while let Some(node) = stack.pop() {
                budget -= 1;
                if budget == 0 {
                    break;
                }
                match node.kind() {
                    "identifier" => {
                        factories.insert(node_text(node, self.text).to_string());
                    }
                    "import_clause" | "named_imports" | "import_specifier" | "namespace_import" => {
                        stack.extend(named_children(node));
                    }
                    _ => {}
                }
            }
            return;
        }
        let Some(require_call) = module.parent().and_then(|arguments| arguments.parent()) else {
            return;
        };
        let parent = require_call.parent();
        let (target, set) = match parent {
            Some(p) if p.kind() == "call_expression" => (p.parent(), &mut self.fastify),
            _ => (parent, factories),
        };
        if let Some(name) = target
            .filter(|t| t.kind() == "variable_declarator")
            .and_then(|t| t.child_by_field_name("name"))
        {
            set.insert(node_text(name, self.text).to_string());
        }
    }

    /// `const app = Fastify({ logger: true })`, also behind `await`; `bound` pairs names with
    /// the values bound to them.
    fn fastify_instances(&mut self, bound: &[(Node<'t>, Node<'t>)], factories: &HashSet<String>) {
        for &(name, value) in bound {
            let value = if value.kind() == "await_expression" {
                named_children(value).first().copied().unwrap_or(value)
            } else {
                value
            };
            let callee = value
                .child_by_field_name("function")
                .map(|f| node_text(f, self.text));
            if value.kind() == "call_expression" && callee.is_some_and(|c| factories.contains(c)) {
                self.fastify.insert(node_text(name, self.text).to_string());
            }
        }
    }

    fn listen(&self, found: &mut Found, call: Node, object: Node, arguments: Node<'t>) {
        let is_fastify = self.fastify.contains(node_text(object, self.text));
        let api = format!("{}.listen", self.receiver_name(object));
        let args = named_children(arguments);
        let address = match args.first().map(|a| (a.kind(), *a)) {
            None if is_fastify => found.no_host(false, arguments.start_byte() + 1, "{ host: \"127.0.0.1\" }"),
            // Node picks a free port on every interface.
            None => found.no_host(true, arguments.start_byte() + 1, "0, \"127.0.0.1\""),
            Some(("object", options)) => self.options(found, options, is_fastify),
            Some(("arrow_function" | "function_expression" | "function", _)) => return,
            Some(("string", path)) if !is_numeric(&string_value(path, self.text).1) => {
                let (contents, value) = string_value(path, self.text);
                found.host_port(&value, contents)
            }
            Some((_, port)) => match args.get(1) {
                Some(host) => self.host_argument(found, *host, port, is_fastify),
                None => found.no_host(!is_fastify, port.end_byte(), ", \"127.0.0.1\""),
            },
        };
        found.listen(call.byte_range(), api, address);
    }

    /// gRPC's `server.bindAsync("0.0.0.0:50051", credentials, callback)` (`@grpc/grpc-js`) and
    /// `server.bind(address, credentials)` (the `grpc` package, recognised by a
    /// `ServerCredentials` second argument): the address is host and port in one string.
    fn grpc_bind(&self, found: &mut Found, call: Node, object: Node, method: &str, arguments: Node<'t>) {
        let args = named_children(arguments);
        let Some(address) = args.first() else {
            return;
        };
        if method == "bind" {
            let credentials = args.get(1).map(|c| node_text(self.resolve(*c), self.text));
            if !credentials.is_some_and(|c| c.contains("ServerCredentials")) {
                return;
            }
        }
        let api = format!("{}.{method}", self.receiver_name(object));
        let address = self.host_port(found, *address);
        found.listen(call.byte_range(), api, address);
    }

    /// An address string holding host and port: a literal or a name bound once to one, or one
    /// whose port code fills in after a written host (`` `0.0.0.0:${port}` ``,
    /// `"0.0.0.0:" + port`).
    fn host_port(&self, found: &Found, node: Node<'t>) -> ListenAddress {
        let node = self.resolve(node);
        let from_env = listen_fallback(node, self.text, |fallback| self.host_port(found, fallback));
        if from_env != ListenAddress::Unknown {
            return from_env;
        }
        match node.kind() {
            "string" => {
                let (contents, value) = string_value(node, self.text);
                found.host_port(&value, contents)
            }
            "template_string" => {
                let (contents, value) = string_value(node, self.text);
                let substitution = named_children(node)
                    .into_iter()
                    .find(|c| c.kind() == "template_substitution");
                match substitution {
                    Some(first) => found.host_before_port(self.text, contents.start..first.start_byte()),
                    None => found.host_port(&value, contents),
                }
            }
            "binary_expression" => {
                let operator = node
                    .child_by_field_name("operator")
                    .map(|o| node_text(o, self.text));
                let left = leftmost_operand(node, "binary_expression");
                match (operator, left.kind()) {
                    (Some("+"), "string") => {
                        found.host_before_port(self.text, string_value(left, self.text).0)
                    }
                    _ => ListenAddress::Unknown,
                }
            }
            _ => ListenAddress::Unknown,
        }
    }

    /// `listen(port, host, …)`: the second argument is the host unless it is the callback.
    fn host_argument(&self, found: &Found, host: Node<'t>, port: Node, is_fastify: bool) -> ListenAddress {
        let resolved = self.resolve(host);
        match resolved.kind() {
            "string" | "template_string" => self.host(found, resolved),
            "arrow_function" | "function_expression" | "function" | "function_declaration" => {
                found.no_host(!is_fastify, port.end_byte(), ", \"127.0.0.1\"")
            }
            // `process.env.HOST || "0.0.0.0"`.
            _ => self.host(found, resolved),
        }
    }

    /// `listen({ port, host })`; `path` is a Unix socket or Windows pipe.
    fn options(&self, found: &Found, object: Node<'t>, is_fastify: bool) -> ListenAddress {
        let properties = named_children(object);
        for property in &properties {
            let (key, value) = match property.kind() {
                "pair" => (
                    property.child_by_field_name("key"),
                    property.child_by_field_name("value"),
                ),
                "shorthand_property_identifier" => (Some(*property), None),
                _ => continue,
            };
            let key = key.map(|k| node_text(k, self.text).trim_matches(['"', '\'']));
            match (key, value) {
                (Some("host"), Some(value)) => return self.host(found, self.resolve(value)),
                (Some("host"), None) => {
                    return self.host(found, self.resolve_name("host").unwrap_or(*property))
                }
                (Some("path"), Some(value)) => {
                    let value = self.resolve(value);
                    if value.kind() == "string" {
                        let (contents, text) = string_value(value, self.text);
                        return found.host_port(&text, contents);
                    }
                    return ListenAddress::Unknown;
                }
                _ => {}
            }
        }
        if properties.iter().any(|p| p.kind() == "spread_element") {
            return ListenAddress::Unknown;
        }
        match properties.last() {
            Some(last) => found.no_host(!is_fastify, last.end_byte(), ", host: \"127.0.0.1\""),
            None => found.no_host(!is_fastify, object.start_byte() + 1, " host: \"127.0.0.1\" "),
        }
    }

    /// A host literal (strings only: a template with `${…}` in it is not known), or the
    /// literal fallback of an environment lookup (`process.env.HOST || "0.0.0.0"`).
    fn host(&self, found: &Found, node: Node<'t>) -> ListenAddress {
        let is_literal = node.kind() == "string"
            || (node.kind() == "template_string"
                && !named_children(node)
                    .iter()
                    .any(|c| c.kind() == "template_substitution"));
        if !is_literal {
            return listen_fallback(node, self.text, |fallback| {
                self.host(found, self.resolve(fallback))
            });
        }
        let (contents, value) = string_value(node, self.text);
        found.host(&value, contents)
    }

    fn resolve(&self, node: Node<'t>) -> Node<'t> {
        if node.kind() != "identifier" {
            return node;
        }
        self.resolve_name(node_text(node, self.text)).unwrap_or(node)
    }

    fn resolve_name(&self, name: &str) -> Option<Node<'t>> {
        self.bindings.single(name)
    }

    /// `app`, `server.http`, `http.createServer(…)`.
    fn receiver_name(&self, object: Node) -> String {
        match object.kind() {
            "call_expression" => {
                let function = object
                    .child_by_field_name("function")
                    .map_or("", |f| node_text(f, self.text));
                format!("{function}(…)")
            }
            _ => node_text(object, self.text).to_string(),
        }
    }
}

fn is_numeric(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A string or template literal's contents and decoded value (`${…}` kept as written).
fn string_value(node: Node, text: &str) -> (std::ops::Range<usize>, String) {
    let source = text.get(node.byte_range()).unwrap_or("");
    let quote = if source.starts_with('\'') {
        "'"
    } else if source.starts_with('`') {
        "`"
    } else {
        "\""
    };
    let contents = inner_range(text, node.byte_range(), 1, quote);
    let value = unescape(text.get(contents.clone()).unwrap_or(""));
    (contents, value)
}
