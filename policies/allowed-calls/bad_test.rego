# meshlint-input: fixtures/bad-callers-not-allowed
package meshlint.lib.allowed_calls_test.bad_callers_not_allowed

import rego.v1

import data.meshlint.lib.allowed_calls as policy

calls := {"payments": ["checkout", "orders"], "ledger": ["payments"]}

test_frontend_and_reporting_are_reported if {
	findings := policy.deny with data.meshlint.allowed_calls as calls
	{f.at.destination | some f in findings} == {"payments", "ledger"}
	{f.at.span.start.line | some f in findings} == {17, 43}
}
