# Unit tests on small models: `opa test policies/health-checks` or
# `meshlint policy test policies/health-checks`.
package meshlint.lib.health_checks_test

import rego.v1

import data.meshlint.lib.health_checks as policy

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

known(value, line) := {"value": value, "span": span(line), "origins": []}

check := {"command": ["CMD-SHELL", "curl -f http://localhost:9090/health || exit 1"], "interval": 30}

container(name, health_check, line) := {"name": name, "image": known("web:1", line), "health_check": health_check, "span": span(line)}

model(inputs, containers) := {"modules": [{"mesh_tasks": [{
	"name": "web",
	"releases": ["0.10.0"],
	"inputs": inputs,
	"containers": containers,
	"span": span(1),
}]}]}

test_containers_with_health_checks_pass if {
	count(policy.deny) == 0 with input as model({}, [container("web", known(check, 12), 10)])
}

test_a_container_without_one_is_reported_on_the_container if {
	findings := policy.deny with input as model({}, [container("web", known(check, 12), 10), container("worker", null, 20)])
	count(findings) == 1
	some finding in findings
	finding.at == span(20)
	contains(finding.msg, "`worker`")
}

test_a_health_check_that_evaluates_to_null_is_none if {
	count(policy.deny) == 1 with input as model({}, [container("web", known(null, 12), 10)])
}

test_an_unknown_health_check_is_not_reported if {
	unknown := {"unknown": "local `checks` is not known", "span": span(12), "origins": []}
	count(policy.deny) == 0 with input as model({}, [container("web", unknown, 10)])
}

test_unknown_containers_are_not_reported if {
	count(policy.deny) == 0 with input as model({}, null)
}

# The shapes of `essential` the model gives: an evaluated value, or null.
test_non_essential_containers_are_skipped_when_the_model_tells if {
	flag := object.union(container("collector", null, 20), {"essential": false})
	count(policy.deny) == 0 with input as model({}, [flag])
	evaluated := object.union(container("collector", null, 20), {"essential": known(false, 22)})
	count(policy.deny) == 0 with input as model({}, [evaluated])
	unknown := object.union(container("collector", null, 20), {"essential": {"unknown": "variable", "span": span(22), "origins": []}})
	count(policy.deny) == 0 with input as model({}, [unknown])
	essential := object.union(container("collector", null, 20), {"essential": known(true, 22)})
	count(policy.deny) == 1 with input as model({}, [essential])
}

test_native_consul_checks_exempt_the_task if {
	checks := {"checks": known([{"checkId": "web-http", "http": "http://localhost:9090/health", "interval": "10s"}], 5)}
	count(policy.deny) == 0 with input as model(checks, [container("web", null, 10)])
	unknown := {"checks": {"unknown": "variable `checks` has no default", "span": span(5), "origins": []}}
	count(policy.deny) == 0 with input as model(unknown, [container("web", null, 10)])
	empty := {"checks": known([], 5)}
	count(policy.deny) == 1 with input as model(empty, [container("web", null, 10)])
}

test_declaration if {
	policy.__meshlint__.id == "lib/health-checks"
}
