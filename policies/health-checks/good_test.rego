# meshlint-input: fixtures/good-every-container-checked
package meshlint.lib.health_checks_test.good_every_container_checked

import rego.v1

import data.meshlint.lib.health_checks as policy

test_good_every_container_checked_is_clean if {
	count(policy.deny) == 0
}
