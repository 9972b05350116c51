//! Environment lookups with a literal fallback, in every language the readers parse:
//! `os.getenv("ORDERS_URL", "http://orders:9090")`, `process.env.ORDERS_URL || "http://…"`,
//! `getEnv("ORDERS_URL", "http://…")`, Go's `env.String("ORDERS_URL", false, "http://…", …)`
//! (github.com/nicholasjackson/env), `env::var("ORDERS_URL").unwrap_or("http://…".into())`.
//!
//! The fallback is what the app uses when the variable is unset — on a developer's machine or
//! in docker-compose, typically, while the deployment sets the variable. Rules weigh such a
//! literal against what the mesh task's environment says (see `rules/hardcoded-upstream-url.md`).
//!
//! Node kinds are compared by name: this runs only for the few strings that hold a URL, after
//! every cheaper test.

use super::facts::ListenAddress;
use tree_sitter::Node;

/// How far up from a string literal its lookup may sit: the literal, a conversion around it
/// (`"…".to_string()`, `String::from("…")`, a closure `|_| "…".into()`), its argument list,
/// the call.
const MAX_DEPTH: usize = 6;

/// The name of the environment variable whose fallback the string literal `string` is.
pub(super) fn fallback_variable(string: Node, text: &str) -> Option<String> {
    let mut node = string;
    for _ in 0..MAX_DEPTH {
        node = node.parent()?;
        if let Some((name, fallback)) = env_lookup(node, text) {
            let inside =
                fallback.start_byte() <= string.start_byte() && string.end_byte() <= fallback.end_byte();
            return inside.then_some(name);
        }
    }
    None
}

/// Reads a listen address that may be an environment lookup: when `node` is one, the address
/// `read` finds in its fallback, marked with the variable; else `Unknown`.
pub(super) fn listen_fallback<'t>(
    node: Node<'t>,
    text: &str,
    read: impl FnOnce(Node<'t>) -> ListenAddress,
) -> ListenAddress {
    let Some((variable, fallback)) = env_lookup(node, text) else {
        return ListenAddress::Unknown;
    };
    match read(fallback) {
        ListenAddress::Unknown => ListenAddress::Unknown,
        address => ListenAddress::EnvFallback {
            variable,
            fallback: Box::new(address),
        },
    }
}

/// An expression that reads an environment variable with a fallback: the variable's name and
/// the fallback expression.
fn env_lookup<'t>(node: Node<'t>, text: &str) -> Option<(String, Node<'t>)> {
    match node.kind() {
        // Python, Go, Rust, JavaScript calls.
        "call" | "call_expression" => call_with_fallback(node, text),
        // `process.env.X || "…"`, `process.env.X ?? "…"` (JavaScript/TypeScript).
        "binary_expression" => {
            let operator = node.child_by_field_name("operator")?;
            if !matches!(operator.kind(), "||" | "??") {
                return None;
            }
            let name = process_env(node.child_by_field_name("left")?, text)?;
            Some((name, node.child_by_field_name("right")?))
        }
        // `os.environ.get("X") or "…"` (Python).
        "boolean_operator" => {
            let operator = node.child_by_field_name("operator")?;
            if operator.kind() != "or" {
                return None;
            }
            let left = node.child_by_field_name("left")?;
            let (name, _) = lookup_call(left, text)?;
            Some((name, node.child_by_field_name("right")?))
        }
        _ => None,
    }
}

/// `getenv("X", fallback)`-style calls, Go's `cmp.Or(os.Getenv("X"), fallback)`, and Rust's
/// `env::var("X").unwrap_or(fallback)` / `.unwrap_or_else(|_| fallback)`.
fn call_with_fallback<'t>(call: Node<'t>, text: &str) -> Option<(String, Node<'t>)> {
    let function = call.child_by_field_name("function")?;
    let arguments = named_arguments(call)?;
    let last = last_segment(function, text);
    if last == "unwrap_or" || last == "unwrap_or_else" {
        // Rust: the receiver is `env::var("X")` (or `std::env::var`).
        let receiver = function.child_by_field_name("value")?;
        let (name, _) = lookup_call(receiver, text)?;
        return Some((name, *arguments.first()?));
    }
    if last == "Or" {
        // Go 1.22: `cmp.Or(os.Getenv("X"), "fallback")`.
        let (name, _) = lookup_call(*arguments.first()?, text)?;
        return Some((name, *arguments.get(1)?));
    }
    if node_text(function, text).starts_with("env.") && arguments.len() >= 3 {
        // github.com/nicholasjackson/env, which HashiCups' Go services use:
        // `env.String("BIND_ADDRESS", false, ":9090", "Bind address for the server")`.
        let required = node_text(arguments[1], text);
        if matches!(required, "true" | "false") {
            return Some((string_text(arguments[0], text)?, arguments[2]));
        }
    }
    let (name, args) = lookup_call(call, text)?;
    (args == 2).then(|| Some((name, *arguments.get(1)?))).flatten()
}

/// A call that reads an environment variable named by a string literal: the name, and how
/// many arguments the call has. `os.getenv`, `os.environ.get`, `os.Getenv`, `env::var`,
/// `std::env::var`, and helpers named for it (`getEnv`, `env_or`, `GetEnvOrDefault`, …).
fn lookup_call(call: Node, text: &str) -> Option<(String, usize)> {
    if !matches!(call.kind(), "call" | "call_expression") {
        return None;
    }
    let function = call.child_by_field_name("function")?;
    let last = last_segment(function, text).to_ascii_lowercase();
    let whole = node_text(function, text);
    let object = whole[..whole.len() - last.len()].trim_end_matches(['.', ':']);
    let reads_env = last.contains("env")
        || (last == "var" && object.ends_with("env"))
        || (matches!(last.as_str(), "get" | "setdefault") && object.ends_with("environ"));
    if !reads_env {
        return None;
    }
    let arguments = named_arguments(call)?;
    let name = string_text(*arguments.first()?, text)?;
    Some((name, arguments.len()))
}

/// `process.env.X` or `process.env["X"]`: `X`.
fn process_env(node: Node, text: &str) -> Option<String> {
    let written = node_text(node, text);
    if let Some(name) = written.strip_prefix("process.env.") {
        return is_name(name).then(|| name.to_string());
    }
    let inner = written.strip_prefix("process.env[")?.strip_suffix(']')?;
    let name = inner.trim_matches(['"', '\'', '`']);
    is_name(name).then(|| name.to_string())
}

/// The arguments of a call, without punctuation and comments.
fn named_arguments<'t>(call: Node<'t>) -> Option<Vec<Node<'t>>> {
    let list = call.child_by_field_name("arguments")?;
    let mut cursor = list.walk();
    Some(
        list.named_children(&mut cursor)
            .filter(|n| !n.kind().contains("comment"))
            .collect(),
    )
}

/// The last name of a function expression: `getenv` of `os.getenv`, `var` of `env::var`,
/// `unwrap_or` of `x.unwrap_or`.
fn last_segment<'t>(function: Node, text: &'t str) -> &'t str {
    let whole = node_text(function, text);
    let cut = whole.rfind(['.', ':']).map_or(0, |i| i + 1);
    &whole[cut..]
}

/// A string literal's text without quotes, when it is a plain name.
fn string_text(node: Node, text: &str) -> Option<String> {
    if !node.kind().contains("string") {
        return None;
    }
    let name = node_text(node, text).trim_matches(['"', '\'', '`']);
    is_name(name).then(|| name.to_string())
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn node_text<'t>(node: Node, text: &'t str) -> &'t str {
    text.get(node.byte_range()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::super::syntax_tree::{parse, Grammar};
    use super::*;

    /// The variable of the first string literal holding `://` in `source`.
    fn variable(grammar: Grammar, source: &str) -> Option<String> {
        let tree = parse(grammar, source).expect("parses");
        let mut found = None;
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind().contains("string") && node_text(node, source).contains("://") && found.is_none() {
                let outer = node.parent().filter(|p| p.kind().contains("string")).is_none();
                if outer {
                    found = Some(fallback_variable(node, source));
                }
            }
            let mut cursor = node.walk();
            let children: Vec<_> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        found.flatten()
    }

    #[test]
    fn python_lookups() {
        for source in [
            "import os\nURL = os.getenv(\"ORDERS_URL\", \"http://orders:9090\")\n",
            "import os\nURL = os.environ.get('ORDERS_URL', 'http://orders:9090')\n",
            "import os\nURL = os.environ.get(\"ORDERS_URL\") or \"http://orders:9090\"\n",
            "URL = env_or(\"ORDERS_URL\", \"http://orders:9090\")\n",
        ] {
            assert_eq!(
                variable(Grammar::Python, source).as_deref(),
                Some("ORDERS_URL"),
                "{source}"
            );
        }
        for source in [
            "URL = \"http://orders:9090\"\n",
            "URL = os.getenv(\"http://orders:9090\")\n",
            "URL = requests.get(\"ORDERS\", \"http://orders:9090\")\n",
            "URL = os.getenv(\"A\", os.getenv(\"B\")) + \"http://orders:9090\"\n",
        ] {
            assert_eq!(variable(Grammar::Python, source), None, "{source}");
        }
    }

    #[test]
    fn javascript_lookups() {
        for source in [
            "const url = process.env.ORDERS_URL || \"http://orders:9090\";\n",
            "const url = process.env[\"ORDERS_URL\"] ?? 'http://orders:9090';\n",
            "const url = getEnv(\"ORDERS_URL\", `http://orders:9090`);\n",
        ] {
            assert_eq!(
                variable(Grammar::JavaScript, source).as_deref(),
                Some("ORDERS_URL"),
                "{source}"
            );
        }
        let not = "const url = config.url || \"http://orders:9090\";\n";
        assert_eq!(variable(Grammar::JavaScript, not), None);
    }

    #[test]
    fn go_lookups() {
        for source in [
            "package main\nvar u = getEnv(\"ORDERS_URL\", \"http://orders:9090\")\n",
            "package main\nvar u = cmp.Or(os.Getenv(\"ORDERS_URL\"), \"http://orders:9090\")\n",
            "package main\nvar u = env.String(\"ORDERS_URL\", false, \"http://orders:9090\", \"Orders\")\n",
        ] {
            assert_eq!(
                variable(Grammar::Go, source).as_deref(),
                Some("ORDERS_URL"),
                "{source}"
            );
        }
        let not = "package main\nvar u = fmt.Sprintf(\"%s\", \"http://orders:9090\")\n";
        assert_eq!(variable(Grammar::Go, not), None);
    }

    #[test]
    fn rust_lookups() {
        for source in [
            "fn f() { let u = std::env::var(\"ORDERS_URL\").unwrap_or(\"http://orders:9090\".to_string()); }\n",
            "fn f() { let u = env::var(\"ORDERS_URL\").unwrap_or_else(|_| \"http://orders:9090\".into()); }\n",
            "fn f() { let u = env::var(\"ORDERS_URL\").unwrap_or(String::from(\"http://orders:9090\")); }\n",
        ] {
            assert_eq!(variable(Grammar::Rust, source).as_deref(), Some("ORDERS_URL"), "{source}");
        }
        let not = "fn f() { let u = cfg.get(\"x\").unwrap_or(\"http://orders:9090\"); }\n";
        assert_eq!(variable(Grammar::Rust, not), None);
    }
}
