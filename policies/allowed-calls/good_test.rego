# meshlint-input: fixtures/good-allowed-callers
package meshlint.lib.allowed_calls_test.good_allowed_callers

import rego.v1

import data.meshlint.lib.allowed_calls as policy

test_good_allowed_callers_is_clean if {
	count(policy.deny) == 0 with data.meshlint.allowed_calls as {"payments": ["checkout"]}
}

# Were the experiment's service name known, it would be reported.
test_the_experiment_is_skipped_because_its_name_is_unknown if {
	some module in input.modules
	some task in module.mesh_tasks
	task.call == "experiment"
	task.service_name == null
}
