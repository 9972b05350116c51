use super::*;
use crate::model::consul_ecs::version::Release;
use crate::model::terraform::TerraformFile;
use crate::source::FileId;

fn mesh_of(text: &str) -> Mesh {
    let (body, error) = crate::parse::terraform(FileId(0), text);
    assert!(error.is_none(), "{error:?}");
    let module = Module::build(
        "test".into(),
        vec![TerraformFile {
            id: FileId(0),
            body,
            is_tfvars: false,
            complete: true,
        }],
    );
    Mesh::build(&module).0
}

fn call(source: &str, body: &str) -> Releases {
    let mesh = mesh_of(&format!("module \"m\" {{\n  source = \"{source}\"\n{body}\n}}\n"));
    mesh.calls[0].releases.clone()
}

const MESH_TASK: &str = "hashicorp/consul-ecs/aws//modules/mesh-task";

#[test]
fn unpinned_consul_server_hosts_means_v0_7_or_later() {
    let releases = call(MESH_TASK, "family = \"a\"\nconsul_server_hosts = \"consul.dc1\"");
    assert_eq!(releases.set, ReleaseSet::from(Release::V0_7_0_RC1));
    assert_eq!(
        releases.basis,
        ReleaseBasis::Inferred(vec!["consul_server_hosts".into()])
    );
    let note = releases.note().unwrap();
    assert!(note.contains("inferred from `consul_server_hosts`"), "{note}");
}

#[test]
fn every_module_kind_is_inferred_from_its_inputs() {
    let dev = call("../modules/dev-server", "vpc_id = \"vpc-1\"\nsubnet_ids = []");
    assert_eq!(dev.set, ReleaseSet::from(Release::V0_2_0_BETA1));
    let gateway = call("../modules/gateway-task", "kind = \"mesh-gateway\"");
    assert_eq!(gateway.set, ReleaseSet::from(Release::V0_5_0));
    assert_eq!(gateway.basis, ReleaseBasis::Unknown);
}

#[test]
fn inputs_no_release_accepts_do_not_narrow_the_releases() {
    let releases = call(MESH_TASK, "task_role_arn = \"x\"\nmade_up_input = 1");
    assert_eq!(releases.set, ReleaseSet::range(Release::V0_1_0, Release::V0_1_1));
    assert_eq!(
        releases.basis,
        ReleaseBasis::Inferred(vec!["task_role_arn".into()])
    );
}

#[test]
fn contradictory_inputs_leave_the_release_unknown() {
    let releases = call(MESH_TASK, "task_role_arn = \"x\"\nconsul_server_hosts = \"y\"");
    assert_eq!(releases.set, ReleaseSet::all());
    assert_eq!(releases.basis, ReleaseBasis::Unknown);
}

#[test]
fn upstream_key_style_narrows_unless_it_contradicts_the_inputs() {
    let snake = "upstreams = [{ destination_name = \"b\", local_bind_port = 1 }]";
    let alone = call(MESH_TASK, snake);
    assert_eq!(alone.set, ReleaseSet::range(Release::V0_1_0, Release::V0_2_0));
    let with_hosts = call(MESH_TASK, &format!("consul_server_hosts = \"h\"\n{snake}"));
    assert_eq!(with_hosts.set, ReleaseSet::from(Release::V0_7_0_RC1));
    assert_eq!(
        with_hosts.basis,
        ReleaseBasis::Inferred(vec!["consul_server_hosts".into()])
    );
}

#[test]
fn constraints_and_git_refs_pin_the_releases() {
    let range = call(MESH_TASK, "version = \">= 0.5, < 0.7\"");
    assert_eq!(
        range.set.iter().collect::<Vec<_>>(),
        ["0.5.0", "0.5.1", "0.5.2", "0.6.0", "0.6.1", "0.6.2"]
    );
    let git = call(
        "git::https://github.com/hashicorp/terraform-aws-consul-ecs.git//modules/mesh-task?ref=v0.3.0",
        "",
    );
    assert_eq!(git.set, ReleaseSet::range(Release::V0_3_0, Release::V0_3_0));
}
