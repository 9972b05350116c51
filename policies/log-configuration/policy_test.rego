# Unit tests on small models: `opa test policies/log-configuration` or
# `meshlint policy test policies/log-configuration`.
package meshlint.lib.log_configuration_test

import rego.v1

import data.meshlint.lib.log_configuration as policy

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

known(value, line) := {"value": value, "span": span(line), "origins": []}

model(inputs) := {"modules": [{"mesh_tasks": [{"name": "web", "releases": ["0.10.0"], "inputs": inputs, "span": span(1)}]}]}

awslogs := {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}}

test_set_passes if {
	count(policy.deny) == 0 with input as model({"log_configuration": known(awslogs, 7)})
}

test_missing_is_reported_on_the_call if {
	findings := policy.deny with input as model({"family": known("web", 3)})
	count(findings) == 1
	some finding in findings
	finding.at == span(1)
}

test_empty_and_null_are_reported_on_the_value if {
	empty := policy.deny with input as model({"log_configuration": known({}, 7)})
	{f.at.span | some f in empty} == {span(7)}
	null_value := policy.deny with input as model({"log_configuration": known(null, 8)})
	{f.at.span | some f in null_value} == {span(8)}
}

test_unknown_is_not_reported if {
	unknown := {"unknown": "variable `log_configuration` has no default", "span": span(7), "origins": []}
	count(policy.deny) == 0 with input as model({"log_configuration": unknown})
}

test_declaration if {
	policy.__meshlint__.id == "lib/log-configuration"
}
