# Only the services a team lists may call a service.
#
# `data.meshlint.allowed_calls` maps a destination service to the Consul services allowed to
# call it: {"payments": ["checkout", "orders"]}. A mesh task whose upstream names a listed
# destination, and whose own service name is not among its callers, is reported on the
# upstream. Destinations that are not listed may be called by anyone. Upstreams to another
# datacenter or a cluster peer are checked too: the map names services, wherever they run.
#
# Tasks whose service name cannot be told before apply, and upstreams whose destination cannot,
# are not reported. With no map configured the policy reports nothing.
package meshlint.lib.allowed_calls

import rego.v1

__meshlint__ := {
	"id": "lib/allowed-calls",
	"severity": "error",
	"title": "an upstream to a service that does not allow this caller",
	"help": "call the service through one it allows, or add this service to its callers in data.meshlint.allowed_calls (and to its Consul intentions)",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/allowed-calls/README.md",
}

# Configuration: destination service -> the services allowed to call it.
default allowed_calls := {}

allowed_calls := data.meshlint.allowed_calls

deny contains {"msg": msg, "at": upstream} if {
	some module in input.modules
	some task in module.mesh_tasks
	caller := task.service_name
	is_string(caller)
	some upstream in task.upstreams
	destination := upstream.destination
	is_string(destination)
	callers := allowed_calls[destination]
	not caller in callers
	msg := sprintf(
		"mesh-task `%s` (service `%s`) has an upstream to `%s`, which allows calls only from %s",
		[task.name, caller, destination, listed(callers)],
	)
}

listed(callers) := "no service" if count(callers) == 0

listed(callers) := concat(", ", [sprintf("`%s`", [c]) | some c in callers]) if count(callers) > 0
