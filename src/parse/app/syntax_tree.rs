//! The tree-sitter plumbing the app readers share: one parser per grammar per thread, node
//! kinds and fields looked up by id, and one walk over every node of a tree.
//!
//! Readers find what they look for in one walk per file, dispatching on each node's kind id.
//! They used tree-sitter queries before; a query cursor tracks every pattern at every node,
//! and with patterns for nodes as common as string literals it cost twice what the walk does.
//! The helpers below keep the walk's matching what those patterns matched.
//!
//! Nothing here runs at start-up: a grammar's parser and ids are set up the first time a
//! file of that language passes its reader's pre-filter.

use std::cell::RefCell;
use tree_sitter::{Language, Node, Parser, Tree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Grammar {
    Go,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Rust,
    Dockerfile,
}

impl Grammar {
    pub(super) fn language(self) -> Language {
        match self {
            Grammar::Go => tree_sitter_go::LANGUAGE.into(),
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Grammar::Rust => tree_sitter_rust::LANGUAGE.into(),
            Grammar::Dockerfile => arborium_dockerfile::language().into(),
        }
    }
}

thread_local! {
    /// Parsers are costly to set up and cheap to reuse; rayon workers each keep their own.
    static PARSERS: RefCell<Vec<(Grammar, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// An error node with more children than this is not searched (see [`parse`]).
const MAX_ERROR_WIDTH: usize = 4096;

/// Parses `text`. `None` if the grammar cannot be loaded (never expected), or if the text is so
/// broken that an error node holds thousands of children: text that broken says nothing
/// reliable, and looking into it can cost time quadratic in the node's width (tree-sitter's
/// query cursor took 0.3 s on 20,000 stray `(` in Python; `Node::parent` still scans every
/// sibling on its way down from the root).
pub(super) fn parse(grammar: Grammar, text: &str) -> Option<Tree> {
    let tree = parse_any(grammar, text)?;
    (!tree.root_node().has_error() || widest_error(&tree) <= MAX_ERROR_WIDTH).then_some(tree)
}

/// The most children any error node has, found with one cursor walk.
fn widest_error(tree: &Tree) -> usize {
    let mut cursor = tree.walk();
    let mut widest = 0;
    loop {
        let node = cursor.node();
        if node.is_error() {
            widest = widest.max(node.child_count() as usize);
        }
        // Only subtrees with an error in them can hold an error node.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return widest;
            }
        }
    }
}

fn parse_any(grammar: Grammar, text: &str) -> Option<Tree> {
    PARSERS.with(|cell| {
        // A reader never parses while another parse on this thread is running, but a failed
        // borrow must not panic either: fall back to a fresh parser.
        let Ok(mut parsers) = cell.try_borrow_mut() else {
            return fresh_parser(grammar)?.parse(text, None);
        };
        let index = match parsers.iter().position(|(g, _)| *g == grammar) {
            Some(index) => index,
            None => {
                parsers.push((grammar, fresh_parser(grammar)?));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        let tree = parser.parse(text, None);
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}

fn fresh_parser(grammar: Grammar) -> Option<Parser> {
    let mut parser = Parser::new();
    parser.set_language(&grammar.language()).ok()?;
    Some(parser)
}

/// Matches no node: no grammar has this many kinds.
const NO_KIND: u16 = u16::MAX;

/// The id of the named node kind `kind` in `language`, as [`Node::kind_id`] reports it
/// (aliases resolved, as a query pattern `(kind)` matches). A misspelt kind is a bug that the
/// readers' tests catch (`every_reader_runs_on_text_that_passes_its_pre_filter`); in a release
/// build it gets an id no node has, and the reader finds nothing of that kind.
pub(super) fn kind_id(language: &Language, kind: &str) -> u16 {
    let id = language.id_for_node_kind(kind, true);
    debug_assert!(id != 0, "no node kind {kind:?} in this grammar");
    if id == 0 {
        NO_KIND
    } else {
        id
    }
}

/// The id of field `name` in `language`, for [`Node::child_by_field_id`]; checked like
/// [`kind_id`], and 0 (which no child has) if the grammar lacks it.
pub(super) fn field_id(language: &Language, name: &str) -> u16 {
    let id = language.field_id_for_name(name).map_or(0, |id| id.get());
    debug_assert!(id != 0, "no field {name:?} in this grammar");
    id
}

/// Declares a struct holding the ids of node kinds (`lookup` = [`kind_id`]) or fields
/// ([`field_id`]) of one grammar, each struct field named after what it identifies (`r#type`
/// for `type`), and `new(language)` that looks them all up.
macro_rules! grammar_ids {
    ($(#[$doc:meta])* struct $name:ident: $lookup:ident { $($id:ident),* $(,)? }) => {
        $(#[$doc])*
        struct $name {
            $($id: u16,)*
        }

        impl $name {
            fn new(language: &tree_sitter::Language) -> $name {
                $name {
                    $($id: super::syntax_tree::$lookup(
                        language,
                        stringify!($id).trim_start_matches("r#"),
                    ),)*
                }
            }
        }
    };
}
pub(super) use grammar_ids;

/// The child in `field` when it has kind `kind`: what a query's `field: (kind)` matches. Every
/// field the readers use holds at most one node (the grammars' node-types say so), so the
/// first child in the field is the only candidate.
pub(super) fn field_of_kind<'t>(node: Node<'t>, field: u16, kind: u16) -> Option<Node<'t>> {
    node.child_by_field_id(field)
        .filter(|child| child.kind_id() == kind)
}

/// The child in `field` when it is a named node other than an error: what a query's
/// `field: (_)` matches.
pub(super) fn field_named<'t>(node: Node<'t>, field: u16) -> Option<Node<'t>> {
    node.child_by_field_id(field)
        .filter(|child| child.is_named() && !child.is_error())
}

/// Calls `visit` on every node of `tree`, parents before children, in document order.
pub(super) fn for_each_node<'t>(tree: &'t Tree, mut visit: impl FnMut(Node<'t>)) {
    let mut cursor = tree.walk();
    loop {
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The text of a node; empty if its range is not on character boundaries (never expected).
/// The leftmost operand of a chain of binary operations of `kind` (`"a" + b + c` → `"a"`),
/// followed at most 64 deep.
pub(super) fn leftmost_operand<'t>(node: Node<'t>, kind: &str) -> Node<'t> {
    let mut left = node;
    for _ in 0..64 {
        match left.child_by_field_name("left") {
            Some(next) if left.kind() == kind => left = next,
            _ => break,
        }
    }
    left
}

pub(super) fn node_text<'a>(node: Node, text: &'a str) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The named children of a node, skipping comments.
pub(super) fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| !n.kind().contains("comment"))
        .collect()
}
