# meshlint-input: fixtures/good-external-and-remote
package meshlint.lib.upstreams_in_project_test.good_external_and_remote

import rego.v1

import data.meshlint.lib.upstreams_in_project as policy

test_good_external_and_remote_is_clean if {
	count(policy.deny) == 0 with data.meshlint.external_services as ["identity"]
}

test_identity_is_reported_unless_listed if {
	findings := policy.deny with data.meshlint.external_services as []
	{f.at.destination | some f in findings} == {"identity"}
}
