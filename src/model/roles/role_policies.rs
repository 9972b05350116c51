//! Every policy Terraform attaches to an `aws_iam_role`, followed by reference.

use crate::model::roles::policy::{Insertion, PolicyReader, SourcedStatement};
use crate::model::terraform::Resource;
use crate::source::Span;
use crate::syntax::{Expr, ExprKind};
use std::collections::HashMap;

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

/// The resources that attach policies to roles by naming them (`aws_iam_role_policy`,
/// `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`,
/// `aws_iam_role_policy_attachments_exclusive`), indexed once per module by the role they
/// name: matching every attachment against every role was quadratic in modules with
/// thousands of roles.
#[derive(Default)]
pub struct Attachments<'m> {
    /// By the role resource a reference names: `aws_iam_role.<name>.<attr>`.
    by_reference: HashMap<&'m str, Vec<Attachment<'m>>>,
    /// By a role name the value is (or, for an ARN, ends with after `:role/`).
    by_name: HashMap<String, Vec<Attachment<'m>>>,
}

/// The kinds in the order [`RolePolicies::gather`] reads them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum AttachmentKind {
    RolePolicy,
    RolePolicyAttachment,
    PolicyAttachment,
    Exclusive,
}

#[derive(Clone, Copy)]
struct Attachment<'m> {
    kind: AttachmentKind,
    /// Position in [`crate::model::terraform::Module::resources`].
    position: usize,
    resource: &'m Resource,
}

impl<'m> Attachments<'m> {
    pub fn new(reader: &PolicyReader<'m>) -> Attachments<'m> {
        let mut index = Attachments::default();
        let kinds = [
            ("aws_iam_role_policy", "role", AttachmentKind::RolePolicy),
            (
                "aws_iam_role_policy_attachment",
                "role",
                AttachmentKind::RolePolicyAttachment,
            ),
            (
                "aws_iam_policy_attachment",
                "roles",
                AttachmentKind::PolicyAttachment,
            ),
            (
                "aws_iam_role_policy_attachments_exclusive",
                "role_name",
                AttachmentKind::Exclusive,
            ),
        ];
        for (resource_kind, key, kind) in kinds {
            for (position, resource) in reader.module.resources_of(resource_kind) {
                let Some(attr) = resource.attr(key) else { continue };
                let attachment = Attachment {
                    kind,
                    position,
                    resource,
                };
                match (kind, &attr.value.kind) {
                    (AttachmentKind::PolicyAttachment, ExprKind::Array(items)) => {
                        for item in items {
                            index.add(reader, item, attachment);
                        }
                    }
                    (AttachmentKind::PolicyAttachment, _) => {}
                    _ => index.add(reader, &attr.value, attachment),
                }
            }
        }
        index
    }

    /// Files `attachment` under every key a role could match `expr` by. `expr` names a role
    /// when it is `aws_iam_role.<name>.<attr>` (and then only that one), or when its value is
    /// the role's `name` or an ARN ending in `:role/<name>`.
    fn add(&mut self, reader: &PolicyReader<'m>, expr: &'m Expr, attachment: Attachment<'m>) {
        if let Some(["aws_iam_role", name, _attr]) = expr.reference().as_deref() {
            self.by_reference.entry(name).or_default().push(attachment);
            return;
        }
        let value = reader.eval.eval(expr);
        let Some(given) = value.as_str() else { return };
        let mut keys = vec![given.to_string()];
        keys.extend(
            given
                .match_indices(":role/")
                .map(|(at, _)| given[at + ":role/".len()..].to_string()),
        );
        keys.sort();
        keys.dedup();
        for key in keys {
            self.by_name.entry(key).or_default().push(attachment);
        }
    }

    /// The attachments naming `role`, in the order gather reads them, each once.
    fn of(&self, reader: &PolicyReader, role: &Resource) -> Vec<Attachment<'m>> {
        let mut found: Vec<Attachment> = self
            .by_reference
            .get(role.name.as_str())
            .cloned()
            .unwrap_or_default();
        if let Some(role_name) = role_name(reader, role) {
            found.extend(self.by_name.get(&role_name).into_iter().flatten().copied());
        }
        found.sort_by_key(|a| (a.kind, a.position));
        found.dedup_by_key(|a| (a.kind, a.position));
        found
    }
}

/// The role's `name`, when known.
fn role_name(reader: &PolicyReader, role: &Resource) -> Option<String> {
    role.attr("name")
        .and_then(|a| reader.eval.eval(&a.value).as_str().map(str::to_string))
}

impl RolePolicies {
    pub fn gather(reader: &PolicyReader, attachments: &Attachments, role: &Resource) -> RolePolicies {
        let mut out = RolePolicies::default();
        for block in role.block.body.blocks_named("inline_policy") {
            if let Some(policy) = block.body.attr("policy") {
                out.add_document(reader, &policy.value);
            }
        }
        for attachment in attachments.of(reader, role) {
            let resource = attachment.resource;
            match attachment.kind {
                AttachmentKind::RolePolicy => {
                    if let Some(policy) = resource.attr("policy") {
                        out.add_document(reader, &policy.value);
                    }
                }
                AttachmentKind::RolePolicyAttachment | AttachmentKind::PolicyAttachment => {
                    if let Some(arn) = resource.attr("policy_arn") {
                        out.add_policy_arn(reader, &arn.value);
                    }
                }
                AttachmentKind::Exclusive => {
                    out.add_policy_arn_list(reader, resource.attr("policy_arns").map(|a| &a.value));
                }
            }
        }
        if let Some(managed) = role.attr("managed_policy_arns") {
            out.add_policy_arn_list(reader, Some(&managed.value));
        }
        out.has_no_policy = out.statements.is_empty() && out.opaque.is_empty();
        let end = role.block.span;
        if end.end() > end.start() && role.block.complete {
            let brace = Span::new(end.file, end.end() - 1, end.end());
            out.role_end = Some((
                brace,
                reader
                    .sources
                    .get(role.block.span.file)
                    .indentation_at(role.block.span.start())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::terraform::Module;
    use crate::source::{FileId, SourceMap};

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

    /// The index finds exactly the attachments a check of every attachment against the role
    /// finds, in resource order: references, literal names, ARNs, names through variables,
    /// lists of roles, and names that match nothing.
    #[test]
    fn the_index_agrees_with_matching_every_attachment() {
        let text = r#"
variable "prefix" { default = "app" }
resource "aws_iam_role" "a" { name = "${var.prefix}-a" }
resource "aws_iam_role" "b" { name = "role-b" }
resource "aws_iam_role" "c" {}
resource "aws_iam_role_policy" "p1" { role = aws_iam_role.a.id }
resource "aws_iam_role_policy" "p2" { role = "role-b" }
resource "aws_iam_role_policy" "p3" { role = "arn:aws:iam::111111111111:role/app-a" }
resource "aws_iam_role_policy" "p4" { role = aws_iam_role.c.name }
resource "aws_iam_role_policy" "p5" { role = "someone-else" }
resource "aws_iam_role_policy_attachment" "t1" { role = "app-a" }
resource "aws_iam_role_policy_attachment" "t2" { role = aws_iam_role.b.name }
resource "aws_iam_policy_attachment" "l1" { roles = [aws_iam_role.b.name, "app-a"] }
resource "aws_iam_policy_attachment" "l2" { roles = var.unknown }
resource "aws_iam_role_policy_attachments_exclusive" "x1" { role_name = aws_iam_role.a.name }
"#;
        assert!(crate::parse::terraform(FileId(0), text).1.is_none());
        let module = Module::from_text(text, None);
        let sources = SourceMap::default();
        let reader = PolicyReader::new(&module, &sources);
        let index = Attachments::new(&reader);
        for (_, role) in module.resources_of("aws_iam_role") {
            let indexed: Vec<String> = index
                .of(&reader, role)
                .iter()
                .map(|a| a.resource.name.clone())
                .collect();
            let mut scanned = Vec::new();
            for kind in [
                ("aws_iam_role_policy", "role"),
                ("aws_iam_role_policy_attachment", "role"),
                ("aws_iam_policy_attachment", "roles"),
                ("aws_iam_role_policy_attachments_exclusive", "role_name"),
            ] {
                for (_, resource) in module.resources_of(kind.0) {
                    let Some(attr) = resource.attr(kind.1) else {
                        continue;
                    };
                    let names_role = match &attr.value.kind {
                        ExprKind::Array(items) if kind.1 == "roles" => {
                            items.iter().any(|i| refers_to(&reader, i, role))
                        }
                        _ if kind.1 == "roles" => false,
                        _ => refers_to(&reader, &attr.value, role),
                    };
                    if names_role {
                        scanned.push(resource.name.clone());
                    }
                }
            }
            assert_eq!(indexed, scanned, "role {}", role.name);
        }
        let names = |role: &str| {
            let role = module.resource("aws_iam_role", role).unwrap();
            index
                .of(&reader, role)
                .iter()
                .map(|a| a.resource.name.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(names("a"), "p1,p3,t1,l1,x1");
        assert_eq!(names("b"), "p2,t2,l1");
        assert_eq!(names("c"), "p4");
    }
}
