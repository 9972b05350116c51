//! IAM policy documents as Terraform writes them, turned into [`crate::iam::Statement`]s.
//!
//! Forms: an HCL object in `jsonencode(...)` (directly or through locals), JSON in a heredoc,
//! a string or a `file()`, and `data "aws_iam_policy_document"` with its source and override
//! documents. Template parts that cannot be evaluated stay in patterns as `${...}`, which the
//! IAM matcher reads as "whatever that ARN field is".

use super::statement::{effect_of, node_of, patterns, respan, statement_from_node};
use crate::iam::{Actions, Effect, Resources, Statement};
use crate::model::mesh::follow_locals;
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::Value;
use crate::model::terraform::{Module, Resource};
use crate::parse::document::{parse_json, Node};
use crate::source::{SourceMap, Span};
use crate::syntax::{Expr, ExprKind, TemplatePart};

/// How many documents may be followed through `source_policy_documents` and friends.
const MAX_DOCUMENT_DEPTH: usize = 8;

/// A statement and where it is written.
#[derive(Debug, Clone)]
pub struct SourcedStatement {
    pub statement: Statement,
    pub span: Span,
}

/// Where a new statement can be added to a document, in the document's own style.
#[derive(Debug, Clone, PartialEq)]
pub struct Insertion {
    pub style: InsertionStyle,
    /// The new statement goes right after this (the document's last statement).
    pub after: Span,
    /// Indentation of the line that statement starts on, for the new one.
    pub indent: String,
    /// The list is written on one line (`Statement = [{ ... }]`): add to that line.
    pub one_line: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertionStyle {
    /// An HCL `Statement = [...]` list inside `jsonencode`.
    HclList,
    /// A JSON `"Statement": [...]` array; `templated` when `${...}` is interpolated there
    /// (a heredoc), not when the JSON is read verbatim (a file).
    JsonArray { templated: bool },
    /// `statement {}` blocks of an `aws_iam_policy_document`.
    StatementBlock,
}

/// What one policy document holds.
#[derive(Debug, Default, Clone)]
pub struct Document {
    pub statements: Vec<SourcedStatement>,
    /// Why part of it could not be read, if so (the statements are then incomplete).
    pub unreadable: Option<(String, Span)>,
    pub insertion: Option<Insertion>,
}

pub struct PolicyReader<'m> {
    pub module: &'m Module,
    pub sources: &'m SourceMap,
    pub eval: Evaluator<'m>,
}

impl<'m> PolicyReader<'m> {
    pub fn new(module: &'m Module, sources: &'m SourceMap) -> PolicyReader<'m> {
        PolicyReader {
            module,
            sources,
            eval: Evaluator::new(module),
        }
    }

    /// The document a `policy` attribute holds.
    pub fn document(&self, expr: &Expr) -> Document {
        self.document_at_depth(expr, 0)
    }

    fn document_at_depth(&self, expr: &Expr, depth: usize) -> Document {
        let (_, target) = follow_locals(expr, self.module);
        if let Some(call) = target.as_call("jsonencode").filter(|c| c.args.len() == 1) {
            return self.json_document(self.node(&call.args[0], 0), InsertionStyle::HclList);
        }
        if let Some(file) = target
            .as_call("templatefile")
            .and_then(|c| c.args.first())
            .and_then(|path| {
                crate::model::terraform::module_relative_path(path)
                    .and_then(|p| self.module.read_files.get(&p))
            })
        {
            // Template variables are not substituted: `${...}` stays an unknown part.
            return match parse_json(&file.text, file.id, 0) {
                Ok(node) => self.json_document(node, InsertionStyle::JsonArray { templated: true }),
                Err(e) => unreadable(
                    format!("the policy template is not JSON meshlint can read ({e})"),
                    target.span,
                ),
            };
        }
        if let Some(["data", "aws_iam_policy_document", name, output]) = target.reference().as_deref() {
            if *output == "json" || *output == "minified_json" {
                return self.policy_document_data(name, depth, target.span);
            }
        }
        if let ExprKind::Template(t) = &target.kind {
            if t.heredoc {
                if let Some((text, base)) = heredoc_body(self.sources.slice(target.span), target.span.start())
                {
                    return match parse_json(text, target.span.file, base) {
                        Ok(node) => self.json_document(node, InsertionStyle::JsonArray { templated: true }),
                        Err(e) => unreadable(
                            format!("the policy is not JSON meshlint can read ({e})"),
                            target.span,
                        ),
                    };
                }
            }
        }
        let value = self.eval.eval(target);
        match value.as_str() {
            Some(text) => match self.json_text_node(text, &value) {
                Ok(node) => self.json_document(node, InsertionStyle::JsonArray { templated: false }),
                Err(e) => unreadable(
                    format!("the policy is not JSON meshlint can read ({e})"),
                    value.span,
                ),
            },
            None => unreadable(
                value
                    .unknown_reason()
                    .unwrap_or("the policy is not a JSON document")
                    .to_string(),
                expr.span,
            ),
        }
    }

    /// JSON text with spans into its source when the text is exactly what is written there
    /// (a file, a plain string); otherwise every node gets the value's span.
    fn json_text_node(&self, text: &str, value: &Value) -> Result<Node, String> {
        if self.sources.slice(value.span) == text {
            return parse_json(text, value.span.file, value.span.start());
        }
        parse_json(text, value.span.file, 0).map(|node| respan(node, value.span))
    }

    fn insertion(&self, style: InsertionStyle, after: Span) -> Insertion {
        let text = &self.sources.get(after.file).text;
        let rest = text.get(after.end()..).unwrap_or("");
        let closing = rest.find([']', '}']).unwrap_or(rest.len());
        let one_line = style != InsertionStyle::StatementBlock && !rest[..closing].contains('\n');
        Insertion {
            style,
            after,
            indent: self
                .sources
                .get(after.file)
                .indentation_at(after.start())
                .to_string(),
            one_line,
        }
    }

    fn json_document(&self, root: Node, style: InsertionStyle) -> Document {
        let mut document = Document::default();
        let Some(list) = root.get("Statement") else {
            return unreadable("the policy has no `Statement`".into(), root.span());
        };
        if let Node::List(items, _) = list {
            // Only when the statements are written out one by one can one be added after them.
            let spans_distinct = items.windows(2).all(|w| w[0].span() != w[1].span());
            if let (Some(last), true) = (items.last(), spans_distinct) {
                document.insertion = Some(self.insertion(style, last.span()));
            }
        }
        for item in list.items() {
            document.statements.push(SourcedStatement {
                statement: statement_from_node(item),
                span: item.span(),
            });
        }
        document
    }

    /// Source documents first, then the statements, then override documents. Overrides replace
    /// statements with the same `Sid`, which meshlint does not model: their statements are
    /// added, and the document is marked partly unreadable so that no finding rests on it.
    fn policy_document_data(&self, name: &str, depth: usize, reference: Span) -> Document {
        let Some(data) = self.module.data_source("aws_iam_policy_document", name) else {
            return unreadable(
                format!("`data.aws_iam_policy_document.{name}` is not defined in this module"),
                reference,
            );
        };
        if depth >= MAX_DOCUMENT_DEPTH {
            return unreadable(
                "policy documents nest too deeply".into(),
                data.block.header_span(),
            );
        }
        let mut document = Document::default();
        let included = |attr: &str, document: &mut Document| {
            let Some(list) = data.attr(attr) else { return };
            let ExprKind::Array(items) = &list.value.kind else {
                document.unreadable = Some((
                    format!("`{attr}` is not a list meshlint can read"),
                    list.value.span,
                ));
                return;
            };
            for item in items {
                let other = self.document_at_depth(item, depth + 1);
                document.statements.extend(other.statements);
                if document.unreadable.is_none() {
                    document.unreadable = other.unreadable;
                }
            }
        };
        included("source_policy_documents", &mut document);
        for block in data.block.body.blocks_named("statement") {
            document.statements.push(SourcedStatement {
                statement: self.statement_block(block),
                span: block.span,
            });
            document.insertion = Some(self.insertion(InsertionStyle::StatementBlock, block.span));
        }
        if data.attr("override_policy_documents").is_some() {
            included("override_policy_documents", &mut document);
            document.unreadable.get_or_insert((
                "`override_policy_documents` replace statements by `Sid`, which is not evaluated".into(),
                data.block.header_span(),
            ));
        }
        if document.statements.is_empty()
            && document.unreadable.is_none()
            && data.attr("source_json").is_some()
        {
            document.unreadable = Some((
                "`source_json` documents are not read".into(),
                data.block.header_span(),
            ));
        }
        document
    }

    fn statement_block(&self, block: &crate::syntax::Block) -> Statement {
        let body = &block.body;
        let list = |key: &str| body.attr(key).map(|a| patterns(&self.node(&a.value, 0)));
        let effect = match body.attr("effect").map(|a| self.eval.eval(&a.value)) {
            None => Effect::Allow,
            Some(v) => effect_of(v.as_str()),
        };
        let actions = match (list("actions"), list("not_actions")) {
            (Some(Some(p)), None) => Actions::Action(p),
            (None, Some(Some(p))) => Actions::NotAction(p),
            _ => Actions::Unknown,
        };
        let resources = match (list("resources"), list("not_resources")) {
            (Some(Some(p)), None) => Resources::Resource(p),
            (None, Some(Some(p))) => Resources::NotResource(p),
            _ => Resources::Unknown,
        };
        let dynamic = body.blocks_named("dynamic").next().is_some();
        Statement {
            effect: if dynamic { Effect::Unknown } else { effect },
            actions,
            resources,
            conditional: body.blocks_named("condition").next().is_some() || dynamic,
            origin: 0,
        }
    }

    /// A document node from an HCL expression, keeping each part's span. Strings with
    /// parts that cannot be evaluated keep those parts as `${...}`.
    pub fn node(&self, expr: &Expr, depth: usize) -> Node {
        if depth > 32 {
            return Node::Unknown("nested too deeply".into(), expr.span);
        }
        match &expr.kind {
            ExprKind::Array(items) => {
                Node::List(items.iter().map(|e| self.node(e, depth + 1)).collect(), expr.span)
            }
            ExprKind::Object(items) => Node::Object(
                items
                    .iter()
                    .map(|item| {
                        let key = item.key_name().map(str::to_string).unwrap_or_default();
                        (key, self.node(&item.value, depth + 1))
                    })
                    .collect(),
                expr.span,
            ),
            ExprKind::String(s) => Node::String(s.to_string(), expr.span),
            ExprKind::Template(t) if !t.heredoc => {
                let (pattern, shown) = self.template_pattern(&t.parts);
                if pattern == shown {
                    Node::String(pattern, expr.span)
                } else {
                    Node::Template {
                        pattern,
                        shown,
                        span: expr.span,
                    }
                }
            }
            ExprKind::Parenthesis(inner) => self.node(inner, depth + 1),
            _ => {
                if let Some(["local", _]) = expr.reference().as_deref() {
                    let (_, target) = follow_locals(expr, self.module);
                    return self.node(target, depth + 1);
                }
                if let Some(pattern) = self.role_arn_pattern(expr) {
                    return Node::Template {
                        pattern,
                        shown: self.sources.slice(expr.span).to_string(),
                        span: expr.span,
                    };
                }
                node_of(&self.eval.eval(expr))
            }
        }
    }

    /// The template as a pattern (parts not known, or decided by a variable, as `${?}`) and
    /// as messages show it (values where known, else the expressions as written).
    fn template_pattern(&self, parts: &[TemplatePart]) -> (String, String) {
        let mut pattern = String::new();
        let mut shown = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(text) => {
                    pattern.push_str(text);
                    shown.push_str(text);
                }
                TemplatePart::Interpolation(e) => {
                    // A value a variable decides may differ at apply time (`-var`): in a policy
                    // it stands for whatever the deployment uses, like an unknown.
                    let value = self.eval.eval(e);
                    match value.to_template_string() {
                        Some(text) => {
                            pattern.push_str(if value.depends_on_variable() {
                                "${?}"
                            } else {
                                &text
                            });
                            shown.push_str(&text);
                        }
                        None => {
                            pattern.push_str("${?}");
                            shown.push_str(&format!("${{{}}}", self.sources.slice(e.span).trim()));
                        }
                    }
                }
                TemplatePart::If(_) | TemplatePart::For(_) => {
                    pattern.push_str("${?}");
                    shown.push_str("%{…}");
                }
            }
        }
        (pattern, shown)
    }

    /// `aws_iam_role.x.arn` as an ARN pattern (see [`PolicyReader::role_arn`]).
    fn role_arn_pattern(&self, expr: &Expr) -> Option<String> {
        let parts = expr.reference()?;
        let ["aws_iam_role", name, "arn"] = parts.as_slice() else {
            return None;
        };
        self.role_arn(self.module.resource("aws_iam_role", name)?)
    }

    /// A role's ARN as a pattern: the account is unknown, the path and name are taken from the
    /// role when written literally. Lets "a role may read itself" be proved.
    pub fn role_arn(&self, role: &Resource) -> Option<String> {
        if role.is_repeated() {
            return None;
        }
        let literal = |key: &str| {
            role.attr(key)
                .and_then(|a| self.eval.eval(&a.value).as_str().map(str::to_string))
        };
        let path = literal("path").unwrap_or_else(|| {
            if role.attr("path").is_some() {
                "/${?}/".into()
            } else {
                "/".into()
            }
        });
        let role_name = literal("name").unwrap_or_else(|| "${?}".into());
        Some(format!("arn:aws:iam::${{?}}:role{path}{role_name}"))
    }
}

fn unreadable(reason: String, span: Span) -> Document {
    Document {
        unreadable: Some((reason, span)),
        ..Document::default()
    }
}

/// The JSON between a heredoc's opening line and its closing delimiter, with its offset.
fn heredoc_body(source: &str, start: usize) -> Option<(&str, usize)> {
    let body_start = source.find('\n')? + 1;
    let body_end = source.trim_end().rfind('\n')?;
    (body_start <= body_end).then(|| (&source[body_start..body_end], start + body_start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, SourceMap};

    /// The resource patterns of the one inline policy of `aws_iam_role.r`, as messages quote
    /// them, and whether each is fully known to the matcher.
    fn resources(text: &str) -> Vec<(String, bool)> {
        let module = Module::from_text(text, None);
        let mut sources = SourceMap::default();
        sources.add(SourceFile::new("main.tf".into(), "main.tf".into(), text.into()));
        let reader = PolicyReader::new(&module, &sources);
        let role = module.resource("aws_iam_role", "r").expect("the role");
        let block = role
            .block
            .body
            .blocks_named("inline_policy")
            .next()
            .expect("a policy");
        let policy = block.body.attr("policy").expect("its document");
        reader
            .document(&policy.value)
            .statements
            .iter()
            .flat_map(|s| match &s.statement.resources {
                Resources::Resource(patterns) => patterns.clone(),
                _ => Vec::new(),
            })
            .map(|p| (p.to_string(), p.is_fully_known()))
            .collect()
    }

    #[test]
    fn patterns_show_values_where_known_and_expressions_where_not() {
        let text = r#"
variable "region" { default = "us-east-1" }
variable "cluster" { default = "demo" }
variable "nothing" { type = string }
data "aws_caller_identity" "this" {}
locals { partition = "aws" }
resource "aws_iam_role" "r" {
  inline_policy {
    policy = jsonencode({
      Statement = [{
        Effect = "Allow"
        Action = "ecs:DescribeTasks"
        Resource = [
          "arn:${local.partition}:ecs:${var.region}:${data.aws_caller_identity.this.account_id}:task/${var.cluster}/*",
          "arn:aws:ecs:*:*:task/${var.nothing}/*",
          aws_iam_role.r.arn,
        ]
      }]
    })
  }
}
"#;
        assert_eq!(
            resources(text),
            [
                // A variable's default is shown, but matched as whatever the deployment uses.
                (
                    "arn:aws:ecs:us-east-1:${data.aws_caller_identity.this.account_id}:task/demo/*"
                        .to_string(),
                    false
                ),
                ("arn:aws:ecs:*:*:task/${var.nothing}/*".to_string(), false),
                ("aws_iam_role.r.arn".to_string(), false),
            ]
        );
    }
}
