use super::*;

fn lifetime(kind: ModuleKind) -> ReleaseSet {
    match kind {
        ModuleKind::MeshTask | ModuleKind::DevServer => ReleaseSet::all(),
        ModuleKind::AclController => ReleaseSet::range(Release::V0_2_0_BETA1, Release::V0_6_2),
        ModuleKind::GatewayTask => ReleaseSet::from(Release::V0_5_0),
        ModuleKind::Controller => ReleaseSet::from(Release::V0_7_0_RC1),
    }
}

#[test]
fn every_module_file_loads_and_names_its_module() {
    for kind in ModuleKind::ALL {
        let schemas = module(kind);
        assert_eq!(schemas.module, kind.name());
        assert!(!schemas.schema.is_empty(), "{kind}: no entries");
    }
}

// build.rs rejects unknown releases and entries out of release order; this holds each module
// to the releases it exists in.
#[test]
fn every_release_of_a_modules_lifetime_is_covered_exactly_once() {
    for kind in ModuleKind::ALL {
        let schemas = module(kind);
        for release in Release::ALL {
            let covering = schemas
                .schema
                .iter()
                .filter(|s| s.releases.iter().any(|r| r == release.as_str()))
                .count();
            let expected = usize::from(lifetime(kind).contains(release));
            assert_eq!(covering, expected, "{kind} {release}: covered {covering} times");
            assert_eq!(schemas.at(release).is_some(), expected == 1, "{kind} {release}");
        }
        assert_eq!(schemas.lifetime(), lifetime(kind), "{kind}");
    }
}

#[test]
fn renamed_inputs_point_at_inputs_of_their_release() {
    for kind in ModuleKind::ALL {
        let schemas = module(kind);
        for renamed in &schemas.renamed {
            let since = Release::find(&renamed.since);
            assert!(since.is_some(), "{kind}: {renamed:?}");
            if let (Some(since), false) = (since, renamed.to.is_empty()) {
                // The replacement exists from `since` on, though not always at `since` itself
                // (`task_role` replaced `task_role_arn` one minor release later).
                let later = ReleaseSet::from(since);
                assert!(
                    schemas.accepting(&renamed.to).overlaps(later),
                    "{kind}: {} after {}",
                    renamed.to,
                    renamed.since
                );
            }
        }
    }
}

#[test]
fn mesh_task_server_join_inputs_by_release() {
    let mesh = module(ModuleKind::MeshTask);
    assert_eq!(
        mesh.accepting("consul_server_service_name"),
        ReleaseSet::range(Release::V0_1_0, Release::V0_1_1)
    );
    assert_eq!(
        mesh.accepting("retry_join"),
        ReleaseSet::range(Release::V0_1_0, Release::V0_6_2)
    );
    assert_eq!(
        mesh.accepting("consul_server_hosts"),
        ReleaseSet::from(Release::V0_7_0_RC1)
    );
    let v020 = mesh.at(Release::V0_2_0).unwrap();
    assert!(v020.required_inputs().any(|i| i == "retry_join"));
    assert!(
        !mesh
            .at(Release::V0_1_1)
            .unwrap()
            .input("retry_join")
            .unwrap()
            .required
    );
    assert_eq!(mesh.renamed("retry_join").unwrap().to, "consul_server_hosts");
}

#[test]
fn no_dev_server_release_accepts_load_balancer_enabled() {
    let dev = module(ModuleKind::DevServer);
    assert!(dev.accepting("load_balancer_enabled").is_empty());
    assert_eq!(dev.accepting("lb_enabled"), ReleaseSet::all());
}

#[test]
fn upstream_keys_change_style_at_v0_3_0() {
    let mesh = module(ModuleKind::MeshTask);
    let old = mesh.at(Release::V0_2_0).unwrap().input("upstreams").unwrap();
    assert!(old.is_typed_object());
    assert_eq!(
        old.keys.as_deref().unwrap(),
        ["destination_name".to_string(), "local_bind_port".to_string()]
    );
    let new = mesh.at(Release::V0_3_0).unwrap();
    assert!(!new.input("upstreams").unwrap().is_typed_object());
    assert!(new
        .allowed_keys("upstreams")
        .unwrap()
        .iter()
        .any(|k| k == "destinationName"));
}

#[test]
fn defaults_are_read_from_their_hcl_text() {
    let v010 = module(ModuleKind::MeshTask).at(Release::V0_10_0).unwrap();
    assert_eq!(
        v010.input("enable_transparent_proxy").unwrap().default_bool(),
        Some(true)
    );
    assert_eq!(
        v010.input("requires_compatibilities").unwrap().default_strings(),
        Some(vec!["EC2".to_string(), "FARGATE".to_string()])
    );
    assert_eq!(v010.input("port").unwrap().default_number(), Some(0.0));
    assert_eq!(
        v010.input("iam_role_path").unwrap().default_string().as_deref(),
        Some("/consul-ecs/")
    );
    assert!(v010.input("consul_service_name").unwrap().default_is_empty());
    assert!(v010.input("family").unwrap().default_is_empty());
    assert!(!v010.input("cpu").unwrap().default_is_empty());
}

#[test]
fn containers_and_reserved_ports_follow_the_architecture() {
    let mesh = module(ModuleKind::MeshTask);
    let names = |release: Release| -> Vec<String> {
        mesh.at(release)
            .unwrap()
            .containers
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    assert!(names(Release::V0_1_1).contains(&"sidecar-proxy".to_string()));
    assert!(names(Release::V0_7_0).contains(&"consul-dataplane".to_string()));
    assert!(mesh
        .at(Release::V0_10_0)
        .unwrap()
        .reserved_ports
        .iter()
        .any(|p| p.port == 22000));
}

// build.rs checks that every check names inputs of its entry; the patterns need a regex engine.
#[test]
fn regex_checks_compile() {
    for kind in ModuleKind::ALL {
        for schema in &module(kind).schema {
            for check in &schema.checks {
                if let Check::Regex { pattern, .. } = check {
                    assert!(regex::Regex::new(pattern).is_ok(), "{kind}: {pattern}");
                }
            }
        }
    }
}

#[test]
fn inputs_have_the_terraform_types_the_modules_declare() {
    let mesh = module(ModuleKind::MeshTask);
    let type_at = |release: Release, input: &str| {
        let schema = mesh.at(release).expect("a release of mesh-task");
        schema.input(input).expect(input).terraform_type().to_string()
    };
    assert_eq!(type_at(Release::V0_1_0, "retry_join"), "string");
    assert_eq!(type_at(Release::V0_2_0, "retry_join"), "list(string)");
    assert_eq!(type_at(Release::V0_7_0, "consul_server_hosts"), "string");
    assert_eq!(type_at(Release::V0_1_0, "container_definitions"), "list(any)");
    assert_eq!(type_at(Release::V0_10_0, "container_definitions"), "any");
    assert_eq!(type_at(Release::V0_10_0, "tags"), "map(string)");
    assert_eq!(type_at(Release::V0_10_0, "exclude_inbound_ports"), "list(number)");
    assert_eq!(
        type_at(Release::V0_1_0, "upstreams"),
        "list(object({ destination_name = string, local_bind_port = number }))"
    );
    assert_eq!(
        type_at(Release::V0_10_0, "task_role"),
        "object({ arn = string, id = string })"
    );
}
