//! The tree-sitter plumbing the app readers share: one parser per grammar per thread, queries
//! compiled once on first use, and iteration over query matches.
//!
//! Nothing here runs at start-up: a grammar's parser and queries are built the first time a
//! file of that language passes its reader's pre-filter.

use std::cell::RefCell;
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

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
/// broken that an error node holds thousands of children: tree-sitter's query cursor takes
/// time quadratic in the width of such a node (20,000 stray `(` in Python took 0.3 s, a
/// megabyte of them would take minutes), and text that broken says nothing reliable anyway.
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

/// Compiles a reader's query. A query that does not compile is a bug that the readers' tests
/// catch (`queries_compile`); in a release build the reader then simply finds nothing.
pub(super) fn compile(grammar: Grammar, source: &str) -> Option<Query> {
    let query = Query::new(&grammar.language(), source);
    debug_assert!(query.is_ok(), "query for {grammar:?} does not compile: {query:?}");
    query.ok()
}

/// One match: its captures by name.
pub(super) struct Match<'q, 't> {
    pub captures: Vec<(&'q str, Node<'t>)>,
}

impl<'t> Match<'_, 't> {
    /// The first node captured as `name`.
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.captures
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, node)| *node)
    }
}

/// Every match of `query` in `tree`, in document order, with text predicates applied.
pub(super) fn matches<'q, 't>(query: &'q Query, tree: &'t Tree, text: &str) -> Vec<Match<'q, 't>> {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut found = Vec::new();
    let mut iter = cursor.matches(query, tree.root_node(), text.as_bytes());
    while let Some(m) = iter.next() {
        let captures = m
            .captures()
            .iter()
            .filter_map(|c| Some((*names.get(c.index as usize)?, c.node)))
            .collect();
        found.push(Match { captures });
    }
    found
}

/// The text of a node; empty if its range is not on character boundaries (never expected).
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
