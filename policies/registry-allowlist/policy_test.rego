# Unit tests on small models: `opa test policies/registry-allowlist` or
# `meshlint policy test policies/registry-allowlist`.
package meshlint.lib.registry_allowlist_test

import rego.v1

import data.meshlint.lib.registry_allowlist as policy

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

known(value, line) := {"value": value, "span": span(line), "origins": []}

container(name, image) := {"name": name, "image": image, "span": span(20)}

model(containers) := {"modules": [{"mesh_tasks": [{"name": "web", "containers": containers, "span": span(1)}]}]}

ecr := "123456789012.dkr.ecr.us-east-1.amazonaws.com/"

digest := "@sha256:4b5e57f6eb2f42b9039b3d1e13929295f231749c510cbe341cd68036d9af97e2"

test_allowed_and_pinned_passes if {
	input_model := model([container("web", known(concat("", [ecr, "web", digest]), 21))])
	count(policy.deny) == 0 with input as input_model with data.meshlint.registries as [ecr]
	count(policy.warn) == 0 with input as input_model with data.meshlint.registries as [ecr]
}

test_other_registry_is_denied_at_the_image if {
	input_model := model([container("web", known(concat("", ["quay.io/acme/web", digest]), 21))])
	findings := policy.deny with input as input_model with data.meshlint.registries as [ecr]
	count(findings) == 1
	some finding in findings
	finding.at.span == span(21)
	contains(finding.msg, "quay.io/acme/web")
	count(policy.warn) == 0 with input as input_model with data.meshlint.registries as [ecr]
}

test_a_tag_is_a_warning if {
	input_model := model([container("web", known(concat("", [ecr, "web:1.0.0"]), 21))])
	count(policy.deny) == 0 with input as input_model with data.meshlint.registries as [ecr]
	count(policy.warn) == 1 with input as input_model with data.meshlint.registries as [ecr]
}

test_a_tag_and_a_digest_is_pinned if {
	input_model := model([container("web", known(concat("", [ecr, "web:1.0.0", digest]), 21))])
	count(policy.warn) == 0 with input as input_model
}

test_a_short_digest_is_not_pinned if {
	input_model := model([container("web", known(concat("", [ecr, "web@sha256:4b5e57f6"]), 21))])
	count(policy.warn) == 1 with input as input_model
}

test_no_registries_configured_checks_only_digests if {
	input_model := model([container("web", known("quay.io/acme/web:2", 21))])
	count(policy.deny) == 0 with input as input_model
	count(policy.warn) == 1 with input as input_model
}

test_docker_hub_short_names_match_their_full_name if {
	official := model([container("nginx", known(concat("", ["nginx", digest]), 21))])
	count(policy.deny) == 0 with input as official with data.meshlint.registries as ["docker.io/library/"]
	user := model([container("agent", known(concat("", ["grafana/agent", digest]), 21))])
	count(policy.deny) == 0 with input as user with data.meshlint.registries as ["docker.io/grafana/"]
	count(policy.deny) == 1 with input as user with data.meshlint.registries as ["docker.io/library/"]
}

test_registry_hosts_are_not_docker_hub if {
	policy.names("localhost:5000/web") == {"localhost:5000/web"}
	policy.names("registry.example.com/web") == {"registry.example.com/web"}
	policy.names("web") == {"web", "docker.io/library/web"}
}

test_unknown_images_and_containers_are_not_reported if {
	unknown_image := model([container("web", {"unknown": "variable `image` has no default", "span": span(21), "origins": []})])
	count(policy.deny) == 0 with input as unknown_image with data.meshlint.registries as [ecr]
	count(policy.warn) == 0 with input as unknown_image
	unknown_containers := model(null)
	count(policy.deny) == 0 with input as unknown_containers with data.meshlint.registries as [ecr]
	no_image := model([container("web", null)])
	count(policy.warn) == 0 with input as no_image
}

test_declaration if {
	policy.__meshlint__.id == "lib/registry-allowlist"
}
