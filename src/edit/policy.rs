//! Text for adding an Allow statement to a role's policy, in the style that policy is
//! written in (HCL inside `jsonencode`, JSON, `statement {}` blocks, or a new `inline_policy`).

use crate::model::roles::policy::{Insertion, InsertionStyle};
use crate::model::roles::role_policies::RolePolicies;
use crate::model::terraform::Module;
use crate::source::Span;

/// One permission to add: an action and the resource it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub action: String,
    /// The resource, possibly with `${...}` references that only templates can use.
    pub resource: String,
}

/// The ARN of a module's ECS tasks, using the configuration's own region variable and caller
/// identity data source when it has both, `*` otherwise.
pub fn task_arn(module: &Module) -> String {
    let identity = module
        .data
        .iter()
        .find(|d| d.kind == "aws_caller_identity" && !d.is_repeated());
    match (module.variables.contains_key("region"), identity) {
        (true, Some(identity)) => {
            format!(
                "arn:aws:ecs:${{var.region}}:${{data.aws_caller_identity.{}.account_id}}:task/*",
                identity.name
            )
        }
        _ => "*".to_string(),
    }
}

/// Where and what to insert; `None` when the role's policies leave no clear place.
pub fn add_statements(policies: &RolePolicies, grants: &[Grant]) -> Option<(Span, String)> {
    if let Some(insertion) = &policies.insertion {
        return Some(insert_into(insertion, grants));
    }
    if policies.has_no_policy {
        let (brace, indent) = policies.role_end.as_ref()?;
        let before_brace = Span::new(brace.file, brace.start(), brace.start());
        return Some((before_brace, new_inline_policy(grants, indent)));
    }
    None
}

fn insert_into(insertion: &Insertion, grants: &[Grant]) -> (Span, String) {
    let at = Span::new(insertion.after.file, insertion.after.end(), insertion.after.end());
    let i = &insertion.indent;
    let mut text = String::new();
    for grant in grants {
        if insertion.one_line {
            text.push_str(&one_line_statement(insertion.style, grant));
            continue;
        }
        match insertion.style {
            InsertionStyle::HclList => text.push_str(&format!(
                ",\n{i}{{\n{i}  Effect   = \"Allow\"\n{i}  Action   = [\"{}\"]\n{i}  Resource = \"{}\"\n{i}}}",
                grant.action, grant.resource
            )),
            InsertionStyle::JsonArray { templated } => {
                let resource = if templated || !grant.resource.contains("${") { grant.resource.as_str() } else { "*" };
                text.push_str(&format!(
                    ",\n{i}{{\n{i}  \"Effect\": \"Allow\",\n{i}  \"Action\": [\"{}\"],\n{i}  \"Resource\": \"{resource}\"\n{i}}}",
                    grant.action
                ));
            }
            InsertionStyle::StatementBlock => text.push_str(&format!(
                "\n\n{i}statement {{\n{i}  effect    = \"Allow\"\n{i}  actions   = [\"{}\"]\n{i}  resources = [\"{}\"]\n{i}}}",
                grant.action, grant.resource
            )),
        }
    }
    (at, text)
}

fn one_line_statement(style: InsertionStyle, grant: &Grant) -> String {
    match style {
        InsertionStyle::JsonArray { templated } => {
            let resource = if templated || !grant.resource.contains("${") {
                grant.resource.as_str()
            } else {
                "*"
            };
            format!(
                ", {{ \"Effect\": \"Allow\", \"Action\": [\"{}\"], \"Resource\": \"{resource}\" }}",
                grant.action
            )
        }
        _ => format!(
            ", {{ Effect = \"Allow\", Action = [\"{}\"], Resource = \"{}\" }}",
            grant.action, grant.resource
        ),
    }
}

fn new_inline_policy(grants: &[Grant], indent: &str) -> String {
    let i = format!("{indent}  ");
    let statements: Vec<String> = grants
        .iter()
        .map(|g| {
            format!(
                "{i}      {{\n{i}        Effect   = \"Allow\"\n{i}        Action   = [\"{}\"]\n{i}        Resource = \"{}\"\n{i}      }},",
                g.action, g.resource
            )
        })
        .collect();
    format!(
        "\n{i}inline_policy {{\n{i}  name = \"consul-ecs-server-discovery\"\n{i}  policy = jsonencode({{\n{i}    Version = \"2012-10-17\"\n{i}    Statement = [\n{}\n{i}    ]\n{i}  }})\n{i}}}\n{indent}",
        statements.join("\n")
    )
}
