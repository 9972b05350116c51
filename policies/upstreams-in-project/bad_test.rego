# meshlint-input: fixtures/bad-two-stacks
package meshlint.lib.upstreams_in_project_test.bad_two_stacks

import rego.v1

import data.meshlint.lib.upstreams_in_project as policy

# catalog-api and pricing-api are in the other stack; legacy-auth is external.
test_only_recommendations_api_is_reported if {
	findings := policy.deny with data.meshlint.external_services as ["legacy-auth"]
	{f.at.destination | some f in findings} == {"recommendations-api"}
}

# Without the configuration, legacy-auth is reported too.
test_legacy_auth_needs_the_configuration if {
	findings := policy.deny with data.meshlint.external_services as []
	{f.at.destination | some f in findings} == {"legacy-auth", "recommendations-api"}
}

test_services_of_both_stacks_are_known if {
	{"catalog-api", "pricing-api", "storefront"} == policy.project_services
}
