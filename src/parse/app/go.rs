//! Go: where `net/http`, `net` and `crypto/tls` servers listen, and URL-like strings.
//!
//! Forms: `http.ListenAndServe(addr, h)` / `ListenAndServeTLS`, `&http.Server{Addr: addr}`
//! (with or without `&`), `net.Listen("tcp", addr)` / `net.ListenPacket`, `tls.Listen`. The
//! address is read when it is a literal, a `const`/`var`/`:=` bound once in the file to a
//! literal, or `"host:" + port` / `fmt.Sprintf("host:%d", port)` (the host is then written
//! even though the port is not). Import aliases are followed (`nethttp "net/http"`).

use super::bindings::Bindings;
use super::env_fallback::listen_fallback;
use super::found::{worth_reading, Found, C_COMMENTS};
use super::literal::{inner_range, unescape};
use super::syntax_tree::{
    field_of_kind, for_each_node, grammar_ids, leftmost_operand, named_children, node_text, parse, Grammar,
};
use crate::parse::app::facts::{AppFacts, ListenAddress};
use crate::source::FileId;
use std::ops::Range;
use std::sync::LazyLock;
use tree_sitter::Node;

/// Every listen form above contains `Listen`, `Addr:` or `Server{`.
const NEEDLES: &[&str] = &["Listen", "Addr:", "Server{"];

/// The functions whose calls listen, whatever their package; [`Reader::call`] checks which.
const LISTEN_FUNCTIONS: &[&str] = &["ListenAndServe", "ListenAndServeTLS", "Listen", "ListenPacket"];

pub(super) fn read(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !worth_reading(text, NEEDLES, C_COMMENTS) {
        return found.finish();
    }
    let Some(tree) = parse(Grammar::Go, text) else {
        return found.finish();
    };
    let syntax = &*SYNTAX;
    let kind = &syntax.kind;
    let mut reader = Reader {
        text,
        bindings: Bindings::default(),
        packages: Packages::default(),
    };
    // Listens are read once every import and binding in the file is known.
    let mut listens = Vec::new();
    for_each_node(&tree, |node| {
        let id = node.kind_id();
        if id == kind.interpreted_string_literal || id == kind.raw_string_literal {
            let contents = string_contents(node, text);
            let value = string_value(node, text, contents.clone());
            found.tree_string(contents, value, node, text);
        } else if id == kind.import_spec {
            reader.import(node);
        } else if syntax.is_binding(id) {
            reader.binding(node);
        } else if let Some(listen) = syntax.listen(node, text) {
            listens.push(listen);
        }
    });
    for listen in listens {
        reader.listen(&mut found, listen);
    }
    found.finish()
}

/// A node shaped like a listen; whether its package is the right one depends on imports.
enum ListenForm<'t> {
    /// `package.function(arguments)`, `function` one of [`LISTEN_FUNCTIONS`].
    Call {
        call: Node<'t>,
        package: Node<'t>,
        function: Node<'t>,
        arguments: Node<'t>,
    },
    /// `package.Server{…}`.
    Server {
        server: Node<'t>,
        package: Node<'t>,
        body: Node<'t>,
    },
}

/// The node kinds and fields the reader looks for, by id (see [`super::syntax_tree`]).
struct Syntax {
    kind: Kinds,
    field: Fields,
}

grammar_ids! {
    struct Kinds: kind_id {
        import_spec, call_expression, selector_expression, identifier, field_identifier,
        argument_list, composite_literal, qualified_type, package_identifier, type_identifier,
        literal_value, const_spec, var_spec, short_var_declaration, assignment_statement,
        interpreted_string_literal, raw_string_literal,
    }
}

grammar_ids! {
    struct Fields: field_id {
        function, arguments, operand, field, r#type, body, package, name,
    }
}

static SYNTAX: LazyLock<Syntax> = LazyLock::new(|| {
    let language = Grammar::Go.language();
    Syntax {
        kind: Kinds::new(&language),
        field: Fields::new(&language),
    }
});

impl Syntax {
    /// `const`, `var`, `:=` and `=`, which [`Reader::binding`] reads.
    fn is_binding(&self, id: u16) -> bool {
        let kind = &self.kind;
        [
            kind.const_spec,
            kind.var_spec,
            kind.short_var_declaration,
            kind.assignment_statement,
        ]
        .contains(&id)
    }

    /// `package.function(…)` with a listening function's name, or `package.Server{…}`.
    fn listen<'t>(&self, node: Node<'t>, text: &str) -> Option<ListenForm<'t>> {
        let (kind, field) = (&self.kind, &self.field);
        if node.kind_id() == kind.call_expression {
            let selector = field_of_kind(node, field.function, kind.selector_expression)?;
            let package = field_of_kind(selector, field.operand, kind.identifier)?;
            let function = field_of_kind(selector, field.field, kind.field_identifier)?;
            let arguments = field_of_kind(node, field.arguments, kind.argument_list)?;
            LISTEN_FUNCTIONS
                .contains(&node_text(function, text))
                .then_some(ListenForm::Call {
                    call: node,
                    package,
                    function,
                    arguments,
                })
        } else if node.kind_id() == kind.composite_literal {
            let qualified = field_of_kind(node, field.r#type, kind.qualified_type)?;
            let package = field_of_kind(qualified, field.package, kind.package_identifier)?;
            let name = field_of_kind(qualified, field.name, kind.type_identifier)?;
            let body = field_of_kind(node, field.body, kind.literal_value)?;
            (node_text(name, text) == "Server").then_some(ListenForm::Server {
                server: node,
                package,
                body,
            })
        } else {
            None
        }
    }
}

/// Local names of the standard packages that listen, after import aliases.
struct Packages {
    http: String,
    net: String,
    tls: String,
}

impl Default for Packages {
    fn default() -> Self {
        Packages {
            http: "http".into(),
            net: "net".into(),
            tls: "tls".into(),
        }
    }
}

struct Reader<'t, 'a> {
    text: &'a str,
    bindings: Bindings<'t>,
    packages: Packages,
}

impl<'t> Reader<'t, '_> {
    fn import(&mut self, spec: Node) {
        let (Some(path), alias) = (spec.child_by_field_name("path"), spec.child_by_field_name("name")) else {
            return;
        };
        let path = self.text.get(string_contents(path, self.text)).unwrap_or("");
        let slot = match path {
            "net/http" => &mut self.packages.http,
            "net" => &mut self.packages.net,
            "crypto/tls" => &mut self.packages.tls,
            _ => return,
        };
        if let Some(alias) = alias {
            *slot = node_text(alias, self.text).to_string();
        }
    }

    /// `const a, b = "x", "y"`, `var a = …`, `a := …`, `a = …`: pairs names with values.
    fn binding(&mut self, node: Node<'t>) {
        let (names, values): (Vec<Node>, Vec<Node>) = match node.kind() {
            "const_spec" | "var_spec" => {
                let mut cursor = node.walk();
                let names = node
                    .children_by_field_name("name", &mut cursor)
                    .filter(|n| n.is_named());
                let names = names.collect();
                let values = node
                    .child_by_field_name("value")
                    .map(named_children)
                    .unwrap_or_default();
                (names, values)
            }
            _ => {
                let side = |field| {
                    node.child_by_field_name(field)
                        .map(named_children)
                        .unwrap_or_default()
                };
                (side("left"), side("right"))
            }
        };
        for (i, name) in names.iter().enumerate() {
            if name.kind() == "identifier" {
                // `a, b := f()` binds both names to values that are not seen.
                let value = (values.len() == names.len()).then(|| values[i]);
                self.bindings.bind(node_text(*name, self.text), value);
            }
        }
    }

    fn listen(&self, found: &mut Found, form: ListenForm) {
        match form {
            ListenForm::Call {
                call,
                package,
                function,
                arguments,
            } => self.call(found, call, package, function, arguments),
            ListenForm::Server {
                server,
                package,
                body,
            } => self.server(found, server, package, body),
        }
    }

    fn call(&self, found: &mut Found, call: Node, package: Node, function: Node, arguments: Node) {
        let package = node_text(package, self.text);
        let function = node_text(function, self.text);
        let address_index = if package == self.packages.http && function.starts_with("ListenAndServe") {
            0
        } else if (package == self.packages.net && function.starts_with("Listen"))
            || (package == self.packages.tls && function == "Listen")
        {
            1
        } else {
            return;
        };
        let address = named_children(arguments)
            .get(address_index)
            .map_or(ListenAddress::Unknown, |arg| self.address(found, *arg));
        found.listen(call.byte_range(), format!("{package}.{function}"), address);
    }

    /// `http.Server{Addr: …}`. Without `Addr` the server listens on `:http`, every interface,
    /// unless the code sets the field later, which this reader does not follow.
    fn server(&self, found: &mut Found, server: Node, package: Node, body: Node) {
        let package = node_text(package, self.text);
        if package != self.packages.http {
            return;
        }
        let api = format!("{package}.Server");
        let addr = named_children(body).into_iter().find_map(|element| {
            let key = element.child_by_field_name("key")?;
            (node_text(key, self.text) == "Addr").then(|| element.child_by_field_name("value"))?
        });
        let address = match addr {
            Some(value) => {
                let value = named_children(value).first().copied().unwrap_or(value);
                self.address(found, value)
            }
            None if self.text.contains(".Addr =") => ListenAddress::Unknown,
            None => found.no_host(true, body.start_byte() + 1, "Addr: \"127.0.0.1:80\", "),
        };
        found.listen(server.byte_range(), api, address);
    }

    /// What an address expression says, following one identifier to its single binding.
    fn address(&self, found: &Found, node: Node) -> ListenAddress {
        self.address_at(found, node, 0)
    }

    fn address_at(&self, found: &Found, node: Node, depth: usize) -> ListenAddress {
        match node.kind() {
            "interpreted_string_literal" | "raw_string_literal" => {
                let contents = string_contents(node, self.text);
                found.host_port(&string_value(node, self.text, contents.clone()), contents)
            }
            "parenthesized_expression" if depth < 4 => match named_children(node).first() {
                Some(inner) => self.address_at(found, *inner, depth + 1),
                None => ListenAddress::Unknown,
            },
            "identifier" if depth == 0 => match self.bindings.single(node_text(node, self.text)) {
                Some(value) => self.address_at(found, value, depth + 1),
                None => ListenAddress::Unknown,
            },
            "binary_expression" => self.host_of_concatenation(found, node),
            // `getEnv("ADDR", ":8080")`, `cmp.Or(os.Getenv("ADDR"), ":8080")`.
            "call_expression" => {
                match listen_fallback(node, self.text, |f| self.address_at(found, f, depth + 1)) {
                    ListenAddress::Unknown => self.host_of_sprintf(found, node),
                    from_env => from_env,
                }
            }
            _ => ListenAddress::Unknown,
        }
    }

    /// `"0.0.0.0:" + port`: the leftmost operand's text before its last colon is the host.
    fn host_of_concatenation(&self, found: &Found, node: Node) -> ListenAddress {
        let left = leftmost_operand(node, "binary_expression");
        self.host_in_literal(found, left)
    }

    /// `fmt.Sprintf("0.0.0.0:%d", port)`.
    fn host_of_sprintf(&self, found: &Found, node: Node) -> ListenAddress {
        let function = node
            .child_by_field_name("function")
            .map(|f| node_text(f, self.text));
        let format = node
            .child_by_field_name("arguments")
            .and_then(|a| named_children(a).first().copied());
        match (function, format) {
            (Some("fmt.Sprintf"), Some(format)) => self.host_in_literal(found, format),
            _ => ListenAddress::Unknown,
        }
    }

    fn host_in_literal(&self, found: &Found, node: Node) -> ListenAddress {
        if !matches!(node.kind(), "interpreted_string_literal" | "raw_string_literal") {
            return ListenAddress::Unknown;
        }
        found.host_before_port(self.text, string_contents(node, self.text))
    }
}

fn string_contents(node: Node, text: &str) -> Range<usize> {
    let close = if node.kind() == "raw_string_literal" {
        "`"
    } else {
        "\""
    };
    inner_range(text, node.byte_range(), 1, close)
}

fn string_value(node: Node, text: &str, contents: Range<usize>) -> String {
    let raw = text.get(contents).unwrap_or("");
    if node.kind() == "raw_string_literal" {
        raw.to_string()
    } else {
        unescape(raw)
    }
}
