# meshlint-input: fixtures/good-ecr-digests
package meshlint.lib.registry_allowlist_test.good_ecr_digests

import rego.v1

import data.meshlint.lib.registry_allowlist as policy

test_good_ecr_digests_is_clean if {
	registries := ["123456789012.dkr.ecr.us-east-1.amazonaws.com/", "docker.io/library/"]
	count(policy.deny) == 0 with data.meshlint.registries as registries
	count(policy.warn) == 0
	count(policy.images) == 3
}
