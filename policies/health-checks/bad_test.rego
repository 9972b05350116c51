# meshlint-input: fixtures/bad-service-without-health-path
package meshlint.lib.health_checks_test.bad_service_without_health_path

import rego.v1

import data.meshlint.lib.health_checks as policy

# Only `rates` has no health_path: its healthCheck evaluates to null.
test_only_rates_is_reported if {
	count(policy.deny) == 1
	some finding in policy.deny
	contains(finding.msg, "`rates`")
	finding.at.start.line == 12
}
