# Unit tests on small models: `opa test policies/allowed-calls` or
# `meshlint policy test policies/allowed-calls`.
package meshlint.lib.allowed_calls_test

import rego.v1

import data.meshlint.lib.allowed_calls as policy

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

upstream(destination, line) := {"destination": destination, "local_bind_port": 1234, "remote": false, "span": span(line)}

task(service, upstreams) := {"name": "t", "service_name": service, "upstreams": upstreams, "span": span(1)}

model(tasks) := {"modules": [{"mesh_tasks": tasks}]}

calls := {"payments": ["checkout", "orders"], "vault": []}

test_an_allowed_caller_passes if {
	m := model([task("checkout", [upstream("payments", 5)])])
	count(policy.deny) == 0 with input as m with data.meshlint.allowed_calls as calls
}

test_another_caller_is_reported_on_the_upstream if {
	m := model([task("frontend", [upstream("catalog", 4), upstream("payments", 5)])])
	findings := policy.deny with input as m with data.meshlint.allowed_calls as calls
	count(findings) == 1
	some finding in findings
	finding.at.span == span(5)
	contains(finding.msg, "`frontend`")
}

test_an_empty_list_allows_nobody if {
	m := model([task("checkout", [upstream("vault", 5)])])
	findings := policy.deny with input as m with data.meshlint.allowed_calls as calls
	count(findings) == 1
	some finding in findings
	contains(finding.msg, "only from no service")
}

test_unlisted_destinations_are_unrestricted if {
	m := model([task("frontend", [upstream("catalog", 4)])])
	count(policy.deny) == 0 with input as m with data.meshlint.allowed_calls as calls
}

test_unknown_caller_or_destination_is_not_reported if {
	m := model([task(null, [upstream("payments", 5)]), task("frontend", [upstream(null, 6)])])
	count(policy.deny) == 0 with input as m with data.meshlint.allowed_calls as calls
}

test_remote_upstreams_are_checked if {
	remote := object.union(upstream("payments", 5), {"remote": true})
	m := model([task("frontend", [remote])])
	count(policy.deny) == 1 with input as m with data.meshlint.allowed_calls as calls
}

test_no_configuration_reports_nothing if {
	m := model([task("frontend", [upstream("payments", 5)])])
	count(policy.deny) == 0 with input as m
}

test_declaration if {
	policy.__meshlint__.id == "lib/allowed-calls"
}
