# meshlint-input: fixtures/bad-empty-default-passed-through
package meshlint.lib.log_configuration_test.bad_empty_default_passed_through

import rego.v1

import data.meshlint.lib.log_configuration as policy

# shipping keeps the wrapper's default of {}; tracking passes an awslogs configuration.
test_only_shipping_is_reported if {
	count(policy.deny) == 1
	some finding in policy.deny
	contains(finding.msg, "module.shipping.module.task")
	endswith(finding.at.span.file, "modules/service/variables.tf")
	finding.at.span.start.line == 20
}
