//! Document nodes turned into IAM statements, and evaluated values into document nodes.

use crate::iam::{Actions, Effect, Pattern, Resources, Statement};
use crate::model::terraform::value::{Value, ValueKind};
use crate::parse::document::Node;
use crate::source::Span;

pub(super) fn effect_of(text: Option<&str>) -> Effect {
    match text {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        _ => Effect::Unknown,
    }
}

/// String patterns of a string-or-list node; `None` when any part is unknown.
pub(super) fn patterns(node: &Node) -> Option<Vec<Pattern>> {
    node.items()
        .into_iter()
        .map(|item| match item {
            Node::String(s, _) => Some(Pattern::parse(s)),
            Node::Template { pattern, shown, .. } => Some(Pattern::parse(pattern).shown_as(shown)),
            _ => None,
        })
        .collect()
}

pub(super) fn statement_from_node(node: &Node) -> Statement {
    if !matches!(node, Node::Object(..)) {
        return Statement::unknown(0);
    }
    let effect = match node.get("Effect") {
        Some(Node::String(e, _)) => effect_of(Some(e)),
        _ => Effect::Unknown,
    };
    let actions = match (node.get("Action"), node.get("NotAction")) {
        (Some(a), None) => patterns(a).map_or(Actions::Unknown, Actions::Action),
        (None, Some(a)) => patterns(a).map_or(Actions::Unknown, Actions::NotAction),
        _ => Actions::Unknown,
    };
    let resources = match (node.get("Resource"), node.get("NotResource")) {
        (Some(r), None) => patterns(r).map_or(Resources::Unknown, Resources::Resource),
        (None, Some(r)) => patterns(r).map_or(Resources::Unknown, Resources::NotResource),
        _ => Resources::Unknown,
    };
    Statement {
        effect,
        actions,
        resources,
        conditional: node.get("Condition").is_some(),
        origin: 0,
    }
}

pub(super) fn respan(node: Node, span: Span) -> Node {
    match node {
        Node::String(s, _) => Node::String(s, span),
        Node::Template { pattern, shown, .. } => Node::Template { pattern, shown, span },
        Node::List(items, _) => Node::List(items.into_iter().map(|n| respan(n, span)).collect(), span),
        Node::Object(fields, _) => Node::Object(
            fields.into_iter().map(|(k, n)| (k, respan(n, span))).collect(),
            span,
        ),
        Node::Scalar(_) => Node::Scalar(span),
        Node::Unknown(reason, _) => Node::Unknown(reason, span),
    }
}

/// An evaluated value as a document node, spans kept.
pub(super) fn node_of(value: &Value) -> Node {
    match &value.kind {
        ValueKind::String(s) => Node::String(s.clone(), value.span),
        ValueKind::List(items) => Node::List(items.iter().map(node_of).collect(), value.span),
        ValueKind::Object(fields) => Node::Object(
            fields.iter().map(|(k, v)| (k.clone(), node_of(v))).collect(),
            value.span,
        ),
        ValueKind::Unknown(reason) | ValueKind::Error(reason) => Node::Unknown(reason.clone(), value.span),
        ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_) => Node::Scalar(value.span),
    }
}
