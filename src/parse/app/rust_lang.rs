//! Rust: `TcpListener::bind` (std and tokio), `UdpSocket::bind`, `axum::Server::bind` and
//! `hyper::Server::bind`, actix-web `HttpServer::…bind(…)`, warp `serve(…).run(…)`, tonic
//! `Server::builder()….serve(addr)` / `serve_with_shutdown(addr, …)`, and URL-like strings.
//!
//! Addresses are read through `&`, `.parse()`, `.unwrap()`, `?`, `.await`, `SocketAddr::from`,
//! `SocketAddr::new`, `(host, port)` tuples and `format!("0.0.0.0:{port}")`. A host written
//! as `[0, 0, 0, 0]` or `Ipv4Addr::UNSPECIFIED` is reported as a `Host` whose text is the
//! address it means (`0.0.0.0`) and whose span is the expression: the text then differs
//! from the source there, so a fix must replace the expression, not splice the text.

use super::bindings::Bindings;
use super::found::{worth_reading, Found, C_COMMENTS};
use super::literal::{inner_range, unescape};
use super::syntax_tree::{
    field_named, field_of_kind, for_each_node, grammar_ids, named_children, node_text, parse, Grammar,
};
use crate::parse::app::facts::{AppFacts, ListenAddress};
use crate::source::FileId;
use std::ops::Range;
use std::sync::LazyLock;
use tree_sitter::Node;

const NEEDLES: &[&str] = &["bind(", ".run(", ".serve"];

/// Wrappers and conversions looked through when reading an address expression.
const MAX_STEPS: usize = 16;

pub(super) fn read(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !worth_reading(text, NEEDLES, C_COMMENTS) {
        return found.finish();
    }
    let Some(tree) = parse(Grammar::Rust, text) else {
        return found.finish();
    };
    let syntax = &*SYNTAX;
    let kind = &syntax.kind;
    let mut reader = Reader {
        text,
        bindings: Bindings::default(),
    };
    // Calls are read once every binding in the file is known.
    let mut calls = Vec::new();
    for_each_node(&tree, |node| {
        let id = node.kind_id();
        if id == kind.string_literal || id == kind.raw_string_literal {
            let (contents, value) = string_parts(node, text);
            found.tree_string(contents, value, node, text);
        } else if let Some((name, value)) = syntax.binding(node) {
            reader.bindings.bind(node_text(name, text), Some(value));
        } else if let Some(call) = syntax.call(node, text) {
            calls.push(call);
        }
    });
    for (call, receiver, arguments) in calls {
        reader.call(&mut found, call, receiver, arguments);
    }
    found.finish()
}

/// The node kinds and fields the reader looks for, by id (see [`super::syntax_tree`]).
struct Syntax {
    kind: Kinds,
    field: Fields,
}

grammar_ids! {
    struct Kinds: kind_id {
        call_expression, scoped_identifier, field_expression, identifier, field_identifier,
        arguments, let_declaration, const_item, static_item, string_literal, raw_string_literal,
    }
}

grammar_ids! {
    struct Fields: field_id {
        function, arguments, name, value, field, pattern,
    }
}

static SYNTAX: LazyLock<Syntax> = LazyLock::new(|| {
    let language = Grammar::Rust.language();
    Syntax {
        kind: Kinds::new(&language),
        field: Fields::new(&language),
    }
});

impl Syntax {
    /// `let name = value;`, `const NAME: T = value;`, `static NAME: T = value;`.
    fn binding<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let (kind, field) = (&self.kind, &self.field);
        let id = node.kind_id();
        let name_field = if id == kind.let_declaration {
            field.pattern
        } else if id == kind.const_item || id == kind.static_item {
            field.name
        } else {
            return None;
        };
        let name = field_of_kind(node, name_field, kind.identifier)?;
        Some((name, field_named(node, field.value)?))
    }

    /// `path::bind(arguments)` (no receiver) or `receiver.bind(arguments)` /
    /// `receiver.run(arguments)` / `receiver.serve(arguments)` /
    /// `receiver.serve_with_shutdown(arguments)`: the call, its receiver and its arguments.
    #[allow(clippy::type_complexity)]
    fn call<'t>(&self, node: Node<'t>, text: &str) -> Option<(Node<'t>, Option<Node<'t>>, Node<'t>)> {
        let (kind, field) = (&self.kind, &self.field);
        if node.kind_id() != kind.call_expression {
            return None;
        }
        let arguments = field_of_kind(node, field.arguments, kind.arguments)?;
        let function = node.child_by_field_id(field.function)?;
        if function.kind_id() == kind.scoped_identifier {
            let name = field_of_kind(function, field.name, kind.identifier)?;
            (node_text(name, text) == "bind").then_some((node, None, arguments))
        } else if function.kind_id() == kind.field_expression {
            let receiver = field_named(function, field.value)?;
            let method = field_of_kind(function, field.field, kind.field_identifier)?;
            matches!(
                node_text(method, text),
                "bind" | "run" | "serve" | "serve_with_shutdown"
            )
            .then_some((node, Some(receiver), arguments))
        } else {
            None
        }
    }
}

struct Reader<'t, 'a> {
    text: &'a str,
    bindings: Bindings<'t>,
}

/// What an address expression turned out to be.
enum Address<'t> {
    /// A string holding host and port (or a `format!` string).
    Literal(Node<'t>),
    /// A host expression and, separately, a port.
    Host(Node<'t>),
    Unknown,
}

/// Where reading an address goes next.
enum Step<'t> {
    Next(Node<'t>),
    Host(Node<'t>),
    Unknown,
}

impl<'t> Reader<'t, '_> {
    fn call(&self, found: &mut Found, call: Node, receiver: Option<Node>, arguments: Node<'t>) {
        let function = call
            .child_by_field_name("function")
            .map_or("", |f| node_text(f, self.text));
        let Some(argument) = named_children(arguments).into_iter().next() else {
            return;
        };
        let address = self.address(argument);
        if let Some(receiver) = receiver {
            // `.bind`, `.run` and `.serve` are common method names (sqlx binds query
            // parameters, hyper's `Server::bind(…).serve(service)` takes a service): a method
            // call counts on a server builder or with an address-shaped argument.
            let receiver = node_text(receiver, self.text);
            let server = if function.ends_with(".serve") || function.ends_with(".serve_with_shutdown") {
                // tonic's router, built from `Server::builder()`.
                receiver.contains("Server::builder")
            } else {
                receiver.contains("Server") || (function.ends_with(".run") && receiver.contains("serve("))
            };
            let shaped = matches!(address, Address::Host(_))
                || matches!(address, Address::Literal(s) if node_text(s, self.text).contains(':'));
            if !server && !shaped {
                return;
            }
        }
        let api = match receiver {
            Some(_) => function
                .rsplit('.')
                .next()
                .map_or(String::new(), |m| format!(".{m}")),
            None => function.to_string(),
        };
        let address = match address {
            Address::Literal(node) => {
                let (contents, value) = string_parts(node, self.text);
                found.host_port(&value, contents)
            }
            Address::Host(node) => self.host(found, node),
            Address::Unknown => ListenAddress::Unknown,
        };
        found.listen(call.byte_range(), api, address);
    }

    /// Follows conversions, one binding and socket-address constructors to the literal.
    fn address(&self, mut node: Node<'t>) -> Address<'t> {
        let mut followed_name = false;
        for _ in 0..MAX_STEPS {
            match node.kind() {
                "string_literal" | "raw_string_literal" => return Address::Literal(node),
                "reference_expression"
                | "try_expression"
                | "await_expression"
                | "parenthesized_expression" => match named_children(node).last() {
                    Some(inner) => node = *inner,
                    None => return Address::Unknown,
                },
                "identifier" if !followed_name => match self.bindings.single(node_text(node, self.text)) {
                    Some(value) => {
                        followed_name = true;
                        node = value;
                    }
                    None => return Address::Unknown,
                },
                "tuple_expression" => {
                    return named_children(node)
                        .first()
                        .map_or(Address::Unknown, |h| Address::Host(*h));
                }
                "macro_invocation" => {
                    return self
                        .format_string(node)
                        .map_or(Address::Unknown, Address::Literal)
                }
                "call_expression" => match self.call_step(node) {
                    Step::Next(next) => node = next,
                    Step::Host(host) => return Address::Host(host),
                    Step::Unknown => return Address::Unknown,
                },
                _ => return Address::Unknown,
            }
        }
        Address::Unknown
    }

    /// One step into `x.parse()`, `x.unwrap()`, `SocketAddr::from(x)`; `SocketAddr::new(host,
    /// port)` ends at its host.
    fn call_step(&self, call: Node<'t>) -> Step<'t> {
        let Some(function) = call.child_by_field_name("function") else {
            return Step::Unknown;
        };
        let function = match function.kind() {
            "generic_function" => match function.child_by_field_name("function") {
                Some(inner) => inner,
                None => return Step::Unknown,
            },
            _ => function,
        };
        let arguments = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        let name = function
            .child_by_field_name("name")
            .or_else(|| function.child_by_field_name("field"));
        match (
            function.kind(),
            name.map_or("", |n| node_text(n, self.text)),
            arguments.as_slice(),
        ) {
            ("field_expression", "parse" | "unwrap" | "expect" | "into" | "to_owned" | "to_string", _) => {
                function
                    .child_by_field_name("value")
                    .map_or(Step::Unknown, Step::Next)
            }
            ("scoped_identifier", "from", [inner]) => Step::Next(*inner),
            ("scoped_identifier", "new", [host, _port]) => Step::Host(*host),
            _ => Step::Unknown,
        }
    }

    /// `format!("0.0.0.0:{}", port)`: the format string.
    fn format_string(&self, node: Node<'t>) -> Option<Node<'t>> {
        let name = node.child_by_field_name("macro").map(|m| node_text(m, self.text));
        if name != Some("format") {
            return None;
        }
        let tokens = named_children(node)
            .into_iter()
            .find(|c| c.kind() == "token_tree")?;
        named_children(tokens)
            .into_iter()
            .next()
            .filter(|s| s.kind() == "string_literal")
    }

    /// A host expression: a string, an IP array, an `Ipv4Addr`/`Ipv6Addr` constant or
    /// constructor, through `IpAddr::V4(…)`, `.into()` and one binding.
    fn host(&self, found: &Found, node: Node<'t>) -> ListenAddress {
        let mut node = node;
        let mut followed_name = false;
        for _ in 0..MAX_STEPS {
            let text = node_text(node, self.text);
            match node.kind() {
                "string_literal" | "raw_string_literal" => {
                    let (contents, value) = string_parts(node, self.text);
                    return found.host(&value, contents);
                }
                "array_expression" => return self.ip_array(found, node),
                "scoped_identifier" => {
                    let address = match (text.rsplit("::").next(), text.contains("Ipv6")) {
                        (Some("UNSPECIFIED"), true) => "::",
                        (Some("LOCALHOST"), true) => "::1",
                        (Some("UNSPECIFIED"), false) => "0.0.0.0",
                        (Some("LOCALHOST"), false) => "127.0.0.1",
                        _ => return ListenAddress::Unknown,
                    };
                    return found.host(address, node.byte_range());
                }
                "identifier" if !followed_name => match self.bindings.single(text) {
                    Some(value) => {
                        followed_name = true;
                        node = value;
                    }
                    None => return ListenAddress::Unknown,
                },
                "reference_expression" | "parenthesized_expression" => match named_children(node).last() {
                    Some(inner) => node = *inner,
                    None => return ListenAddress::Unknown,
                },
                "call_expression" => match self.host_call(found, node) {
                    Ok(address) => return address,
                    Err(next) => node = next,
                },
                _ => return ListenAddress::Unknown,
            }
        }
        ListenAddress::Unknown
    }

    /// `Ipv4Addr::new(0, 0, 0, 0)` is a host; `IpAddr::V4(x)`, `IpAddr::from(x)`, `x.into()`,
    /// `x.parse().unwrap()` wrap one.
    fn host_call(&self, found: &Found, call: Node<'t>) -> Result<ListenAddress, Node<'t>> {
        let function = call.child_by_field_name("function");
        let function_text = function.map_or("", |f| node_text(f, self.text));
        let arguments = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        if function_text.ends_with("Ipv4Addr::new") && arguments.len() == 4 {
            return Ok(self.ip_octets(found, call, &arguments));
        }
        let wraps_one = ["::V4", "::V6", "::from"]
            .iter()
            .any(|w| function_text.ends_with(w));
        if wraps_one && arguments.len() == 1 {
            return Err(arguments[0]);
        }
        let method = function.filter(|f| f.kind() == "field_expression");
        let name = method
            .and_then(|m| m.child_by_field_name("field"))
            .map(|f| node_text(f, self.text));
        match (name, method.and_then(|m| m.child_by_field_name("value"))) {
            (Some("into" | "parse" | "unwrap" | "expect"), Some(value)) => Err(value),
            _ => Ok(ListenAddress::Unknown),
        }
    }

    fn ip_array(&self, found: &Found, array: Node) -> ListenAddress {
        let octets = named_children(array);
        if octets.len() != 4 {
            return ListenAddress::Unknown;
        }
        self.ip_octets(found, array, &octets)
    }

    fn ip_octets(&self, found: &Found, whole: Node, octets: &[Node]) -> ListenAddress {
        let numbers: Option<Vec<u8>> = octets
            .iter()
            .map(|o| node_text(*o, self.text).trim_end_matches("u8").parse().ok())
            .collect();
        match numbers.as_deref() {
            Some([a, b, c, d]) => found.host(&format!("{a}.{b}.{c}.{d}"), whole.byte_range()),
            _ => ListenAddress::Unknown,
        }
    }
}

/// Contents and value of `"…"`, `b"…"`, `r#"…"#`; raw strings are not unescaped.
fn string_parts(node: Node, text: &str) -> (Range<usize>, String) {
    let source = node_text(node, text);
    let quote = source.find('"').unwrap_or(0);
    let prefix = &source[..quote];
    let hashes = prefix.bytes().filter(|b| *b == b'#').count();
    let close = format!("\"{}", "#".repeat(hashes));
    let contents = inner_range(text, node.byte_range(), quote + 1, &close);
    let raw = text.get(contents.clone()).unwrap_or("");
    let value = if prefix.contains('r') {
        raw.to_string()
    } else {
        unescape(raw)
    };
    (contents, value)
}
