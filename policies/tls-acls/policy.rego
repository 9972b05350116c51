# Production mesh tasks must turn on TLS and ACLs.
#
# A mesh task is in production when the `tags` input of its mesh-task call has a tag whose key
# is `data.meshlint.tls_acls.tag` (default "environment"; keys compared case-insensitively) and
# whose value is one of `data.meshlint.tls_acls.environments` (default ["production", "prod"];
# compared case-insensitively too). Such a task must pass `tls = true` and `acls = true`.
#
# mesh-task has both inputs from v0.2.0-beta1 on (v0.1.x has neither). A value set to false is
# reported where it is written; an input that is absent is reported on the module call, but only
# when every release the call may use has the input. Unknown tags or values are never reported.
package meshlint.lib.tls_acls

import rego.v1

__meshlint__ := {
	"id": "lib/tls-acls",
	"severity": "error",
	"title": "a production mesh task without `tls = true` and `acls = true`",
	"help": "set `tls = true` and `acls = true` on the mesh-task call, with the CA certificate and server settings its release needs",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/tls-acls/README.md",
}

# Configuration (data.meshlint.tls_acls.*), with defaults.

default tag_key := "environment"

tag_key := data.meshlint.tls_acls.tag

default environment_names := ["production", "prod"]

environment_names := data.meshlint.tls_acls.environments

production_environments := {lower(name) | some name in environment_names; is_string(name)}

# The inputs this policy requires, and what they do.
settings := {
	"tls": "TLS",
	"acls": "ACLs",
}

# mesh-task releases with `tls` and `acls`: every release from v0.2.0-beta1 on.
release_has_settings(release) if not startswith(release, "0.1.")

# The call may use a release that has the inputs (an input that is set is checked then).
some_release_has_settings(task) if {
	some release in task.releases
	release_has_settings(release)
}

# Every release the call may use has the inputs (an absent input is reported only then).
every_release_has_settings(task) if {
	count(task.releases) > 0
	every release in task.releases {
		release_has_settings(release)
	}
}

# `key = "value"` of the tags that put the task in a production environment; empty when none
# does or the tags are not known.
production_tags(task) := {sprintf("`%s = %q`", [key, value]) |
	some key, value in task.inputs.tags.value
	is_string(key)
	lower(key) == lower(tag_key)
	is_string(value)
	lower(value) in production_environments
}

in_production(task) := concat(", ", sort(tags)) if {
	tags := production_tags(task)
	count(tags) > 0
}

# Terraform converts "true"/"false" strings to bool inputs.
enabled(value) if value == true

enabled(value) if value == "true"

# An array, not a set: a set of task objects would compare whole tasks to keep them unique.
mesh_tasks := [task | some module in input.modules; some task in module.mesh_tasks]

# Set, known, and not true.
deny contains {"msg": msg, "at": value} if {
	some task in mesh_tasks
	tags := in_production(task)
	some setting, what in settings
	value := task.inputs[setting]
	"value" in object.keys(value)
	not enabled(value.value)
	some_release_has_settings(task)
	msg := sprintf(
		"mesh-task `%s` runs in production (tag %s) with %s off: `%s` is %s",
		[task.name, tags, what, setting, json.marshal(value.value)],
	)
}

# Not set: the module's default is false.
deny contains {"msg": msg, "at": task.span} if {
	some task in mesh_tasks
	tags := in_production(task)
	some setting, what in settings
	not setting in object.keys(task.inputs)
	every_release_has_settings(task)
	msg := sprintf(
		"mesh-task `%s` runs in production (tag %s) with %s off: `%s` is not set and defaults to false",
		[task.name, tags, what, setting],
	)
}
