# meshlint-input: fixtures/bad-unlisted-registries
package meshlint.lib.registry_allowlist_test.bad_unlisted_registries

import rego.v1

import data.meshlint.lib.registry_allowlist as policy

registries := ["123456789012.dkr.ecr.us-east-1.amazonaws.com/", "ghcr.io/acme/"]

named(findings) := {image | some f in findings; some image in images; contains(f.msg, sprintf("`%s`", [image]))}

images := [
	"public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0",
	"redis:7.2-alpine",
	"ghcr.io/acme/cart-worker:1.4.0",
	"123456789012.dkr.ecr.us-east-1.amazonaws.com/cart@sha256:14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479",
]

test_unlisted_registries_are_denied if {
	# The collector runs in two tasks: one finding for each.
	denied := policy.deny with data.meshlint.registries as registries
	count(denied) == 3
	named(denied) == {"public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", "redis:7.2-alpine"}
}

test_every_tag_is_a_warning if {
	named(policy.warn) == {"public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", "redis:7.2-alpine", "ghcr.io/acme/cart-worker:1.4.0"}
}

test_without_configuration_nothing_is_denied if {
	count(policy.deny) == 0 with data.meshlint.registries as []
}
