# meshlint-input: fixtures/good-production-secure
package meshlint.lib.tls_acls_test.good_production_secure

import rego.v1

import data.meshlint.lib.tls_acls

test_good_production_secure_is_clean if {
	count(tls_acls.deny) == 0
}

# The fixture is production: the policy looked at it.
test_good_production_secure_is_production if {
	some module in input.modules
	some task in module.mesh_tasks
	tls_acls.in_production(task)
}
