# Every mesh task sets the mesh-task `log_configuration` input.
#
# mesh-task has had `log_configuration` since v0.1.0, in every release. The module gives it, as
# `logConfiguration`, to the containers it adds (Consul client, Envoy or consul-dataplane,
# mesh-init, health-sync); without it their logs are not collected anywhere (the default is
# `null` up to v0.3.x and `{}` from v0.4.0). App containers keep their own `logConfiguration`:
# the input does not reach them, and this policy does not check them.
#
# A call without the input is reported on the call; an input set to `null` or `{}` is reported
# where that value is written. An input whose value is not known is not reported.
package meshlint.lib.log_configuration

import rego.v1

__meshlint__ := {
	"id": "lib/log-configuration",
	"severity": "error",
	"title": "a mesh task without the `log_configuration` input",
	"help": "pass `log_configuration` (for example an `awslogs` configuration with a log group) so that the sidecars' logs are kept",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/log-configuration/README.md",
}

# An array, not a set: a set of task objects would compare whole tasks to keep them unique.
mesh_tasks := [task | some module in input.modules; some task in module.mesh_tasks]

deny contains {"msg": msg, "at": task.span} if {
	some task in mesh_tasks
	not "log_configuration" in object.keys(task.inputs)
	msg := sprintf(
		"mesh-task `%s` does not set `log_configuration`: the logs of the containers the module adds are not collected",
		[task.name],
	)
}

deny contains {"msg": msg, "at": value} if {
	some task in mesh_tasks
	value := task.inputs.log_configuration
	"value" in object.keys(value)
	empty(value.value)
	msg := sprintf(
		"mesh-task `%s` sets `log_configuration` to %s: the logs of the containers the module adds are not collected",
		[task.name, json.marshal(value.value)],
	)
}

empty(value) if value == null

empty(value) if value == {}
