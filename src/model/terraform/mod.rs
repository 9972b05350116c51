//! One Terraform module (one directory, as Terraform sees it): its declarations, indexed.

pub mod eval;
mod functions;
pub mod instances;
mod operators;
pub mod standalone;
pub mod types;
pub mod value;

use crate::source::{FileId, Span};
use crate::syntax::{Attribute, Block, Body, Expr, ExprKind};
use std::collections::BTreeMap;

/// A parsed Terraform file handed to [`Module::build`].
pub struct TerraformFile {
    pub id: FileId,
    pub body: Body,
    /// `terraform.tfvars` / `*.auto.tfvars`: variable values, not configuration.
    pub is_tfvars: bool,
    /// False when the file had a syntax error and `body` is what could be recovered.
    pub complete: bool,
}

#[derive(Debug, Default)]
pub struct Module {
    /// Directory, as shown to users.
    pub dir: String,
    pub files: Vec<FileId>,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Attribute>,
    /// Values from `terraform.tfvars` and `*.auto.tfvars`, later files winning as in Terraform.
    pub tfvars: BTreeMap<String, Attribute>,
    pub resources: Vec<Resource>,
    pub data: Vec<Resource>,
    pub calls: Vec<ModuleCall>,
    pub outputs: Vec<Block>,
    /// False when a file of the module could only be partly read.
    pub complete: bool,
    /// Files the configuration reads with `file()` / `templatefile()`, by the relative path
    /// written there (`policy.json` for `"${path.module}/policy.json"`).
    pub read_files: BTreeMap<String, ReadFile>,
    /// Positions in `resources` / `data` sorted by type, name and position, for lookups by
    /// address: a scan per reference made a module with thousands of resources quadratic.
    resources_by_address: Vec<usize>,
    data_by_address: Vec<usize>,
    /// Positions in `calls` sorted by name and position.
    calls_by_name: Vec<usize>,
}

/// A file a `file()` or `templatefile()` call names, read once by the engine.
#[derive(Debug)]
pub struct ReadFile {
    pub id: FileId,
    pub text: String,
}

#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub block: Block,
    /// The declared `type`, as Terraform converts values assigned to the variable.
    pub declared: Option<types::Type>,
    /// The variable's value when the module stands alone (tfvars, else default, converted):
    /// computed on first use and shared by every instance and every rule.
    standalone: std::sync::OnceLock<eval::StandaloneValue>,
}

impl Variable {
    pub fn default(&self) -> Option<&Attribute> {
        self.block.body.attr("default")
    }

    /// The cached standalone value, computed by `compute` the first time.
    pub(crate) fn standalone(
        &self,
        compute: impl FnOnce() -> eval::StandaloneValue,
    ) -> &eval::StandaloneValue {
        self.standalone.get_or_init(compute)
    }
}

#[derive(Debug)]
pub struct Resource {
    pub kind: String,
    pub name: String,
    pub block: Block,
}

impl Resource {
    /// `aws_ecs_service.web`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }

    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.block.body.attr(key)
    }

    /// True when the resource has `count` or `for_each`: its attributes are per instance.
    pub fn is_repeated(&self) -> bool {
        self.attr("count").is_some() || self.attr("for_each").is_some()
    }
}

#[derive(Debug)]
pub struct ModuleCall {
    pub name: String,
    pub block: Block,
}

impl ModuleCall {
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.block.body.attr(key)
    }

    /// The literal `source` string, if written as one.
    pub fn source(&self) -> Option<(&str, Span)> {
        let attr = self.attr("source")?;
        match &attr.value.kind {
            ExprKind::String(s) => Some((s.as_str(), attr.value.span)),
            _ => None,
        }
    }

    /// Inputs given to the module: every attribute except Terraform's meta-arguments.
    pub fn inputs(&self) -> impl Iterator<Item = &Attribute> {
        const META: [&str; 6] = [
            "source",
            "version",
            "count",
            "for_each",
            "providers",
            "depends_on",
        ];
        self.block
            .body
            .attributes
            .iter()
            .filter(|a| !META.contains(&a.key.as_str()))
    }
}

impl Module {
    pub fn build(dir: String, files: Vec<TerraformFile>) -> Module {
        let mut module = Module {
            dir,
            complete: files.iter().all(|f| f.complete),
            ..Module::default()
        };
        // terraform.tfvars first, then *.auto.tfvars in name order (callers sort by path).
        let (tfvars, config): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.is_tfvars);
        for file in config {
            module.files.push(file.id);
            module.add_config(file.body);
        }
        for file in tfvars {
            module.files.push(file.id);
            for attr in file.body.attributes {
                module.tfvars.insert(attr.key.to_string(), attr);
            }
        }
        module.files.sort();
        module.resources_by_address = by_address(&module.resources);
        module.data_by_address = by_address(&module.data);
        module.calls_by_name = positions_sorted_by(module.calls.len(), |i| module.calls[i].name.as_str());
        module
    }

    fn add_config(&mut self, body: Body) {
        for block in body.blocks {
            match (block.ident.as_str(), block.labels.len()) {
                ("variable", 1) => {
                    let name = block.labels[0].value.to_string();
                    self.variables.entry(name.clone()).or_insert_with(|| {
                        let declared = block
                            .body
                            .attr("type")
                            .and_then(|t| types::Type::from_expr(&t.value));
                        Variable {
                            name,
                            block,
                            declared,
                            standalone: std::sync::OnceLock::new(),
                        }
                    });
                }
                ("locals", 0) => {
                    for attr in block.body.attributes {
                        self.locals.entry(attr.key.to_string()).or_insert(attr);
                    }
                }
                ("resource", 2) | ("data", 2) => {
                    let resource = Resource {
                        kind: block.labels[0].value.to_string(),
                        name: block.labels[1].value.to_string(),
                        block,
                    };
                    if resource.block.ident == "resource" {
                        self.resources.push(resource);
                    } else {
                        self.data.push(resource);
                    }
                }
                ("module", 1) => self.calls.push(ModuleCall {
                    name: block.labels[0].value.to_string(),
                    block,
                }),
                ("output", 1) => self.outputs.push(block),
                _ => {}
            }
        }
    }

    /// Paths inside the module directory that `file()` / `templatefile()` calls name.
    pub fn referenced_files(&self) -> Vec<String> {
        let mut paths = std::collections::BTreeSet::new();
        let mut visit = |expr: &Expr| {
            let call = expr.as_call("file").or_else(|| expr.as_call("templatefile"));
            if let Some(path) = call.and_then(|c| c.args.first()).and_then(module_relative_path) {
                paths.insert(path);
            }
        };
        let blocks = self
            .variables
            .values()
            .map(|v| &v.block)
            .chain(self.resources.iter().chain(&self.data).map(|r| &r.block))
            .chain(self.calls.iter().map(|c| &c.block))
            .chain(&self.outputs);
        for block in blocks {
            walk_body(&block.body, &mut visit);
        }
        for local in self.locals.values() {
            local.value.walk(&mut visit);
        }
        paths.into_iter().collect()
    }

    /// The first `resource "kind" "name"` block (Terraform rejects duplicates; the first one
    /// is what a reader of the file sees).
    pub fn resource(&self, kind: &str, name: &str) -> Option<&Resource> {
        find_by_address(&self.resources, &self.resources_by_address, kind, name)
    }

    /// Positions in [`Module::calls`] of the `module "name"` blocks, in file order (more than
    /// one only in an invalid configuration). Scans if `calls` changed since the build.
    pub fn calls_named(&self, name: &str) -> Vec<usize> {
        if self.calls_by_name.len() != self.calls.len() {
            return (0..self.calls.len())
                .filter(|&i| self.calls[i].name == name)
                .collect();
        }
        let from = self
            .calls_by_name
            .partition_point(|&i| self.calls[i].name.as_str() < name);
        self.calls_by_name[from..]
            .iter()
            .copied()
            .take_while(|&i| self.calls[i].name == name)
            .collect()
    }

    pub fn data_source(&self, kind: &str, name: &str) -> Option<&Resource> {
        find_by_address(&self.data, &self.data_by_address, kind, name)
    }

    pub fn resources_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (usize, &'a Resource)> + 'a {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.kind == kind)
    }
}

fn walk_body<'a>(body: &'a Body, visit: &mut dyn FnMut(&'a Expr)) {
    for attr in &body.attributes {
        attr.value.walk(visit);
    }
    for block in &body.blocks {
        walk_body(&block.body, visit);
    }
}

/// `"policy.json"`, `"./p/x.json"` or `"${path.module}/x.json"` as a path relative to the
/// module directory; `None` for anything else, or anything leaving the directory.
pub fn module_relative_path(expr: &Expr) -> Option<String> {
    let written = match &expr.kind {
        ExprKind::String(s) => s.to_string(),
        ExprKind::Template(t) => {
            let mut out = String::new();
            for part in &t.parts {
                match part {
                    crate::syntax::TemplatePart::Literal(text) => out.push_str(text),
                    crate::syntax::TemplatePart::Interpolation(e)
                        if matches!(e.reference().as_deref(), Some(["path", "module"])) =>
                    {
                        out.push('.')
                    }
                    _ => return None,
                }
            }
            out
        }
        _ => return None,
    };
    let parts: Vec<&str> = written
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let inside = !written.starts_with('/') && !parts.is_empty() && !parts.contains(&"..");
    inside.then(|| parts.join("/"))
}

/// Positions of `resources` sorted by (type, name, position).
fn by_address(resources: &[Resource]) -> Vec<usize> {
    positions_sorted_by(resources.len(), |i| {
        (resources[i].kind.as_str(), resources[i].name.as_str())
    })
}

/// `0..len` sorted by `key`; equal keys stay in position order (the sort is stable).
fn positions_sorted_by<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by_key(|&i| key(i));
    order
}

/// The first resource with this type and name, by binary search over `order`. The fields are
/// public: should `resources` have changed since the module was built, this scans instead.
fn find_by_address<'a>(
    resources: &'a [Resource],
    order: &[usize],
    kind: &str,
    name: &str,
) -> Option<&'a Resource> {
    if order.len() != resources.len() {
        return resources.iter().find(|r| r.kind == kind && r.name == name);
    }
    let at =
        order.partition_point(|&i| (resources[i].kind.as_str(), resources[i].name.as_str()) < (kind, name));
    let found = &resources[*order.get(at)?];
    (found.kind == kind && found.name == name).then_some(found)
}

#[cfg(test)]
mod tests;
