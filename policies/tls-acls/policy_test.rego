# Unit tests on small models: `opa test policies/tls-acls` or `meshlint policy test policies/tls-acls`.
package meshlint.lib.tls_acls_test

import rego.v1

import data.meshlint.lib.tls_acls

span(line) := {"file": "main.tf", "start": {"line": line, "column": 1, "offset": 0}, "end": {"line": line, "column": 2, "offset": 1}}

known(value, line) := {"value": value, "span": span(line), "origins": []}

task(releases, inputs) := {
	"name": "web",
	"releases": releases,
	"inputs": inputs,
	"span": span(1),
}

model(tasks) := {"modules": [{"mesh_tasks": tasks}]}

prod := {"tags": known({"environment": "production"}, 5)}

test_production_without_tls_and_acls_is_reported_on_the_call if {
	findings := tls_acls.deny with input as model([task(["0.10.0"], prod)])
	count(findings) == 2
	every finding in findings {
		finding.at == span(1)
	}
}

test_false_values_are_reported_where_they_are_written if {
	inputs := object.union(prod, {"tls": known(false, 7), "acls": known("false", 8)})
	findings := tls_acls.deny with input as model([task(["0.10.0"], inputs)])
	{finding.at.span.start.line | some finding in findings} == {7, 8}
}

test_true_values_pass if {
	inputs := object.union(prod, {"tls": known(true, 7), "acls": known("true", 8)})
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], inputs)])
}

test_unknown_values_are_not_reported if {
	inputs := object.union(prod, {
		"tls": {"unknown": "variable `tls` has no default", "span": span(7), "origins": []},
		"acls": known(true, 8),
	})
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], inputs)])
}

test_unknown_tags_are_not_reported if {
	inputs := {"tags": {"unknown": "variable `tags` has no default", "span": span(5), "origins": []}}
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], inputs)])
}

test_no_tags_is_not_production if {
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], {})])
}

test_other_environments_pass if {
	inputs := {"tags": known({"Environment": "staging"}, 5)}
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], inputs)])
}

test_tag_key_and_value_are_matched_case_insensitively if {
	inputs := {"tags": known({"ENVIRONMENT": "Prod"}, 5), "tls": known(true, 7)}
	findings := tls_acls.deny with input as model([task(["0.10.0"], inputs)])
	count(findings) == 1
	some finding in findings
	contains(finding.msg, "`acls` is not set")
}

test_v0_1_has_neither_input if {
	count(tls_acls.deny) == 0 with input as model([task(["0.1.0", "0.1.1"], prod)])
}

test_absent_inputs_need_every_release_to_have_them if {
	count(tls_acls.deny) == 0 with input as model([task(["0.1.1", "0.2.0"], prod)])
}

test_a_set_input_is_checked_when_some_release_has_it if {
	inputs := object.union(prod, {"tls": known(false, 7), "acls": known(true, 8)})
	count(tls_acls.deny) == 1 with input as model([task(["0.1.1", "0.2.0"], inputs)])
}

test_no_known_release_reports_no_absent_input if {
	count(tls_acls.deny) == 0 with input as model([task([], prod)])
}

test_configured_tag_and_environments if {
	inputs := {"tags": known({"Stage": "live", "environment": "production"}, 5)}
	config := {"tag": "stage", "environments": ["LIVE"]}
	count(tls_acls.deny) == 2 with input as model([task(["0.10.0"], inputs)]) with data.meshlint.tls_acls as config
	production_only := {"tags": known({"environment": "production"}, 5)}
	count(tls_acls.deny) == 0 with input as model([task(["0.10.0"], production_only)]) with data.meshlint.tls_acls as config
}

test_declaration if {
	tls_acls.__meshlint__.id == "lib/tls-acls"
	tls_acls.__meshlint__.severity == "error"
}
