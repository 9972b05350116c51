//! Recognising consul-ecs module calls by their `source`, in every form seen in practice.

use std::fmt;

/// The consul-ecs submodules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModuleKind {
    MeshTask,
    DevServer,
    GatewayTask,
    AclController,
    Controller,
}

impl ModuleKind {
    pub const ALL: [ModuleKind; 5] = [
        ModuleKind::MeshTask,
        ModuleKind::DevServer,
        ModuleKind::GatewayTask,
        ModuleKind::AclController,
        ModuleKind::Controller,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ModuleKind::MeshTask => "mesh-task",
            ModuleKind::DevServer => "dev-server",
            ModuleKind::GatewayTask => "gateway-task",
            ModuleKind::AclController => "acl-controller",
            ModuleKind::Controller => "controller",
        }
    }

    fn from_name(name: &str) -> Option<ModuleKind> {
        ModuleKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for ModuleKind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a `source` string says about a consul-ecs module call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceAddress {
    pub kind: ModuleKind,
    /// The `?ref=` of a git source, with its byte range inside the source string.
    pub git_ref: Option<(String, std::ops::Range<usize>)>,
}

const REGISTRY_ADDRESSES: [&str; 2] = [
    "hashicorp/consul-ecs/aws//modules/",
    // The address printed in the 2021 docs.
    "hashicorp/consul/aws-ecs//modules/",
];

const REPOSITORIES: [&str; 2] = [
    "hashicorp/terraform-aws-consul-ecs",
    // The repository's name before its first release.
    "hashicorp/terraform-aws-ecs-consul",
];

pub fn parse(source: &str) -> Option<SourceAddress> {
    let (path, query, query_start) = match source.find('?') {
        Some(i) => (&source[..i], &source[i + 1..], i + 1),
        None => (source, "", source.len()),
    };
    let path = path.trim_end_matches('/');
    let kind = registry(path)
        .or_else(|| repository(path))
        .or_else(|| relative(path))?;
    Some(SourceAddress {
        kind,
        git_ref: git_ref(query, query_start),
    })
}

fn registry(path: &str) -> Option<ModuleKind> {
    let path = path.strip_prefix("registry.terraform.io/").unwrap_or(path);
    REGISTRY_ADDRESSES
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .and_then(ModuleKind::from_name)
}

/// `github.com/hashicorp/terraform-aws-consul-ecs//modules/X`, `git::https://…/X.git//modules/X`,
/// `git@github.com:hashicorp/…`, `git::ssh://…`.
fn repository(path: &str) -> Option<ModuleKind> {
    let (repo, subdir) = path.split_once("//modules/").or_else(|| {
        // `git::https://host/...//modules/X` has a `//` after the scheme too.
        let at = path.rfind("//modules/")?;
        Some((&path[..at], &path[at + "//modules/".len()..]))
    })?;
    let repo = repo.trim_end_matches(".git").replace(':', "/");
    let is_consul_ecs = REPOSITORIES.iter().any(|r| repo.ends_with(r));
    if !is_consul_ecs {
        return None;
    }
    ModuleKind::from_name(subdir)
}

/// `../../modules/mesh-task`, as in every official example.
fn relative(path: &str) -> Option<ModuleKind> {
    if !(path.starts_with("./") || path.starts_with("../")) {
        return None;
    }
    let (parent, name) = path.rsplit_once('/')?;
    if parent == "modules" || parent.ends_with("/modules") {
        ModuleKind::from_name(name)
    } else {
        None
    }
}

fn git_ref(query: &str, query_start: usize) -> Option<(String, std::ops::Range<usize>)> {
    let mut offset = query_start;
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("ref=") {
            let start = offset + "ref=".len();
            return Some((value.to_string(), start..start + value.len()));
        }
        offset += pair.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(source: &str) -> Option<ModuleKind> {
        parse(source).map(|s| s.kind)
    }

    #[test]
    fn recognises_every_source_form() {
        let mesh = Some(ModuleKind::MeshTask);
        for source in [
            "hashicorp/consul-ecs/aws//modules/mesh-task",
            "registry.terraform.io/hashicorp/consul-ecs/aws//modules/mesh-task",
            "hashicorp/consul/aws-ecs//modules/mesh-task",
            "github.com/hashicorp/terraform-aws-consul-ecs//modules/mesh-task?ref=v0.1.0",
            "git::https://github.com/hashicorp/terraform-aws-consul-ecs.git//modules/mesh-task?ref=v0.1.0",
            "git::ssh://git@github.com/hashicorp/terraform-aws-consul-ecs.git//modules/mesh-task",
            "git@github.com:hashicorp/terraform-aws-consul-ecs.git//modules/mesh-task",
            "github.com/hashicorp/terraform-aws-ecs-consul//modules/mesh-task",
            "../../modules/mesh-task",
            "../../../../../../modules/mesh-task/",
            "./modules/mesh-task",
        ] {
            assert_eq!(kind(source), mesh, "{source}");
        }
        assert_eq!(
            kind("hashicorp/consul-ecs/aws//modules/dev-server"),
            Some(ModuleKind::DevServer)
        );
        assert_eq!(kind("../../modules/gateway-task"), Some(ModuleKind::GatewayTask));
    }

    #[test]
    fn ignores_other_modules() {
        for source in [
            "terraform-aws-modules/ecs/aws",
            "hashicorp/consul/aws",
            "hashicorp/consul-ecs/aws//modules/unknown",
            "github.com/acme/terraform-aws-consul-ecs-fork//modules/mesh-task",
            "../../my-modules/mesh-task",
            "modules/mesh-task",
        ] {
            assert_eq!(kind(source), None, "{source}");
        }
    }

    #[test]
    fn extracts_the_git_ref_with_its_range() {
        let source = "github.com/hashicorp/terraform-aws-consul-ecs//modules/mesh-task?depth=1&ref=v0.1.1";
        let (value, range) = parse(source).unwrap().git_ref.unwrap();
        assert_eq!(value, "v0.1.1");
        assert_eq!(&source[range], "v0.1.1");
    }
}
