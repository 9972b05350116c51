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

const GITHUB_MESH_TASK: &str = "github.com/hashicorp/terraform-aws-consul-ecs//modules/mesh-task";

#[test]
fn a_branch_or_unknown_commit_leaves_the_release_unknown() {
    for reference in ["main", "dev-server-extraconfig", "1234abc", "release/0.7.x"] {
        let releases = call(
            &format!("{GITHUB_MESH_TASK}?ref={reference}"),
            "consul_server_service_name = \"x\"",
        );
        assert!(releases.set.is_empty(), "{reference}");
        assert!(
            matches!(releases.basis, ReleaseBasis::Unreleased(_)),
            "{reference}: {:?}",
            releases.basis
        );
    }
}

#[test]
fn the_commit_of_a_release_tag_pins_that_release() {
    let releases = call(
        &format!("{GITHUB_MESH_TASK}?ref=8443ed861e814ed30158b0eb1973f4a18aa45534"),
        "",
    );
    assert_eq!(releases.set, ReleaseSet::only(Release::V0_2_0));
    assert!(matches!(releases.basis, ReleaseBasis::GitRef(_)));
}

#[test]
fn a_placeholder_ref_pins_nothing_so_the_inputs_decide() {
    let releases = call(
        &format!("{GITHUB_MESH_TASK}?ref=<latest version>"),
        "consul_server_service_name = \"x\"",
    );
    assert_eq!(releases.set, ReleaseSet::range(Release::V0_1_0, Release::V0_1_1));
    assert!(matches!(releases.basis, ReleaseBasis::Inferred(_)));
}

#[test]
fn a_version_constraint_wins_over_the_ref() {
    let releases = call(&format!("{GITHUB_MESH_TASK}?ref=main"), "version = \"0.1.1\"");
    assert_eq!(releases.set, ReleaseSet::only(Release::V0_1_1));
}

#[test]
fn the_ref_span_covers_the_ref_inside_the_source() {
    let text = format!("module \"m\" {{\n  source = \"{GITHUB_MESH_TASK}?ref=main\"\n}}\n");
    let mesh = mesh_of(&text);
    let git_ref = mesh.calls[0].git_ref.as_ref().expect("a ref");
    assert_eq!(&text[git_ref.span.start()..git_ref.span.end()], "main");
}
