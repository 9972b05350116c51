# Every upstream names a Consul service of the project, or one listed as external.
#
# The project's services are the service names of its mesh tasks and every name the model's
# modules define (`service_names`: mesh tasks, gateways, task definitions a terminating gateway
# may front, names given by Consul config entries), across all the folders scanned together.
# `data.meshlint.external_services` lists the services that live elsewhere (another repository,
# a VM in the same datacenter). Upstreams to another datacenter or a cluster peer (`remote`)
# are not checked.
#
# Not reported: an upstream whose destination is not known, and every upstream when some mesh
# task's service name is not known (the destination could be that task).
package meshlint.lib.upstreams_in_project

import rego.v1

__meshlint__ := {
	"id": "lib/upstreams-in-project",
	"severity": "error",
	"title": "an upstream to a service that is neither in the project nor listed as external",
	"help": "point the upstream at a service of the project, or list the service in data.meshlint.external_services",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/upstreams-in-project/README.md",
}

# Configuration: services outside the project that upstreams may name.
default external_services := []

external_services := data.meshlint.external_services

# An array, not a set: a set of task objects would compare whole tasks to keep them unique.
mesh_tasks := [task | some module in input.modules; some task in module.mesh_tasks]

project_services contains name if {
	some task in mesh_tasks
	name := task.service_name
	is_string(name)
}

project_services contains name if {
	some module in input.modules
	some name in module.service_names
}

# Some mesh task's service name cannot be told before apply.
unnamed_task if {
	some task in mesh_tasks
	not is_string(task.service_name)
}

deny contains {"msg": msg, "at": upstream} if {
	not unnamed_task
	some task in mesh_tasks
	some upstream in task.upstreams
	not upstream.remote
	destination := upstream.destination
	is_string(destination)
	not destination in project_services
	not destination in external_services
	msg := sprintf(
		"upstream `%s` of mesh-task `%s` is no service of this project and is not listed in `external_services`",
		[destination, task.name],
	)
}
