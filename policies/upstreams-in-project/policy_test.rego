# Unit tests on small models: `opa test policies/upstreams-in-project` or
# `meshlint policy test policies/upstreams-in-project`.
package meshlint.lib.upstreams_in_project_test

import rego.v1

import data.meshlint.lib.upstreams_in_project as policy

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

upstream(destination, remote, line) := {"destination": destination, "local_bind_port": 1234, "remote": remote, "span": span(line)}

task(name, upstreams) := {"name": name, "service_name": name, "upstreams": upstreams, "span": span(1)}

model(tasks, names) := {"modules": [{"mesh_tasks": tasks, "service_names": names}]}

test_a_project_service_passes if {
	m := model([task("web", [upstream("api", false, 5)]), task("api", [])], ["web", "api"])
	count(policy.deny) == 0 with input as m
}

test_an_unknown_service_is_reported_on_the_upstream if {
	m := model([task("web", [upstream("api", false, 5), upstream("ledger", false, 6)]), task("api", [])], ["web", "api"])
	findings := policy.deny with input as m
	count(findings) == 1
	some finding in findings
	finding.at.span == span(6)
	contains(finding.msg, "`ledger`")
}

test_names_of_other_modules_count if {
	m := {"modules": [
		{"mesh_tasks": [task("web", [upstream("tgw-external-app", false, 5)])], "service_names": ["web"]},
		{"mesh_tasks": [], "service_names": ["tgw-external-app"]},
	]}
	count(policy.deny) == 0 with input as m
}

test_external_services_pass if {
	m := model([task("web", [upstream("ledger", false, 6)])], ["web"])
	count(policy.deny) == 0 with input as m with data.meshlint.external_services as ["ledger"]
}

test_remote_upstreams_are_not_checked if {
	m := model([task("web", [upstream("ledger", true, 6)])], ["web"])
	count(policy.deny) == 0 with input as m
}

test_unknown_destinations_are_not_reported if {
	m := model([task("web", [upstream(null, false, 6)])], ["web"])
	count(policy.deny) == 0 with input as m
}

test_a_task_with_an_unknown_name_silences_the_policy if {
	unnamed := object.union(task("x", []), {"service_name": null})
	m := model([task("web", [upstream("ledger", false, 6)]), unnamed], ["web"])
	count(policy.deny) == 0 with input as m
}

test_declaration if {
	policy.__meshlint__.id == "lib/upstreams-in-project"
}
