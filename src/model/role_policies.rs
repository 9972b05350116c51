//! Every policy Terraform attaches to an `aws_iam_role`, followed by reference.

use super::policy::{Insertion, PolicyReader, SourcedStatement};
use super::terraform::Resource;
use crate::source::Span;
use crate::syntax::{Expr, ExprKind};

/// AWS-managed policies are not in the configuration, so what they allow is not known here.
const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy/";

#[derive(Debug, Default, Clone)]
pub struct RolePolicies {
    /// All statements; a statement's `origin` is its index here.
    pub statements: Vec<SourcedStatement>,
    /// Policies that apply but cannot be read (managed elsewhere, unknown values), with why.
    pub opaque: Vec<(String, Span)>,
    /// Where a fix can add a statement, in the style the role's first readable policy uses.
    pub insertion: Option<Insertion>,
    /// True when the role has no policy at all, so a fix adds an `inline_policy` block.
    pub has_no_policy: bool,
    /// The role block's closing brace and the indentation of its header, for that block.
    pub role_end: Option<(Span, String)>,
}

/// True when `expr` names the role: `aws_iam_role.x.name|id|arn`, or its literal name.
fn refers_to(reader: &PolicyReader, expr: &Expr, role: &Resource) -> bool {
    if let Some(["aws_iam_role", name, _attr]) = expr.reference().as_deref() {
        return *name == role.name;
    }
    let role_name = role
        .attr("name")
        .and_then(|a| reader.eval.eval(&a.value).as_str().map(str::to_string));
    let value = reader.eval.eval(expr);
    match (role_name, value.as_str()) {
        (Some(role_name), Some(given)) => {
            given == role_name || given.ends_with(&format!(":role/{role_name}"))
        }
        _ => false,
    }
}

impl RolePolicies {
    pub fn gather(reader: &PolicyReader, role: &Resource) -> RolePolicies {
        let mut out = RolePolicies::default();
        for block in role.block.body.blocks_named("inline_policy") {
            if let Some(policy) = block.body.attr("policy") {
                out.add_document(reader, &policy.value);
            }
        }
        let module = reader.module;
        for (_, resource) in module.resources_of("aws_iam_role_policy") {
            if resource
                .attr("role")
                .is_some_and(|r| refers_to(reader, &r.value, role))
            {
                if let Some(policy) = resource.attr("policy") {
                    out.add_document(reader, &policy.value);
                }
            }
        }
        for (_, resource) in module.resources_of("aws_iam_role_policy_attachment") {
            if resource
                .attr("role")
                .is_some_and(|r| refers_to(reader, &r.value, role))
            {
                if let Some(arn) = resource.attr("policy_arn") {
                    out.add_policy_arn(reader, &arn.value);
                }
            }
        }
        for (_, resource) in module.resources_of("aws_iam_policy_attachment") {
            let attached = resource
                .attr("roles")
                .is_some_and(|roles| match &roles.value.kind {
                    ExprKind::Array(items) => items.iter().any(|i| refers_to(reader, i, role)),
                    _ => false,
                });
            if attached {
                if let Some(arn) = resource.attr("policy_arn") {
                    out.add_policy_arn(reader, &arn.value);
                }
            }
        }
        for (_, resource) in module.resources_of("aws_iam_role_policy_attachments_exclusive") {
            if resource
                .attr("role_name")
                .is_some_and(|r| refers_to(reader, &r.value, role))
            {
                out.add_policy_arn_list(reader, resource.attr("policy_arns").map(|a| &a.value));
            }
        }
        if let Some(managed) = role.attr("managed_policy_arns") {
            out.add_policy_arn_list(reader, Some(&managed.value));
        }
        out.has_no_policy = out.statements.is_empty() && out.opaque.is_empty();
        let end = role.block.span;
        if end.end > end.start && role.block.complete {
            let brace = Span::new(end.file, end.end - 1, end.end);
            out.role_end = Some((
                brace,
                reader
                    .sources
                    .get(role.block.span.file)
                    .indentation_at(role.block.span.start)
                    .to_string(),
            ));
        }
        out
    }

    fn add_document(&mut self, reader: &PolicyReader, expr: &Expr) {
        let document = reader.document(expr);
        for mut sourced in document.statements {
            sourced.statement.origin = self.statements.len();
            self.statements.push(sourced);
        }
        if let Some(reason) = document.unreadable {
            self.opaque.push(reason);
        }
        if self.insertion.is_none() {
            self.insertion = document.insertion;
        }
    }

    fn add_policy_arn_list(&mut self, reader: &PolicyReader, list: Option<&Expr>) {
        match list {
            Some(Expr {
                kind: ExprKind::Array(items),
                ..
            }) => items.iter().for_each(|item| self.add_policy_arn(reader, item)),
            Some(other) => self
                .opaque
                .push(("a list of policy ARNs is not known".into(), other.span)),
            None => {}
        }
    }

    /// `aws_iam_policy.x.arn` is read; anything else is opaque.
    fn add_policy_arn(&mut self, reader: &PolicyReader, expr: &Expr) {
        if let Some(["aws_iam_policy", name, "arn"]) = expr.reference().as_deref() {
            match reader
                .module
                .resource("aws_iam_policy", name)
                .and_then(|p| p.attr("policy"))
            {
                Some(policy) => self.add_document(reader, &policy.value),
                None => self.opaque.push((
                    format!("`aws_iam_policy.{name}` has no readable `policy`"),
                    expr.span,
                )),
            }
            return;
        }
        let value = reader.eval.eval(expr);
        let reason = match value.as_str() {
            Some(arn) if arn.starts_with(AWS_MANAGED_PREFIX) => {
                format!(
                    "the AWS-managed policy `{}` is not part of the configuration",
                    &arn[AWS_MANAGED_PREFIX.len()..]
                )
            }
            Some(arn) => format!("the policy `{arn}` is defined outside this configuration"),
            None => "an attached policy's ARN is not known before apply".into(),
        };
        self.opaque.push((reason, expr.span));
    }
}
