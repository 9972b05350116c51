# meshlint-input: fixtures/good-awslogs-everywhere
package meshlint.lib.log_configuration_test.good_awslogs_everywhere

import rego.v1

import data.meshlint.lib.log_configuration as policy

test_good_awslogs_everywhere_is_clean if {
	count(policy.deny) == 0
	count(policy.mesh_tasks) == 3
}
