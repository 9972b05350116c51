# Every essential app container of a mesh task declares an ECS `healthCheck`.
#
# From v0.2.0 mesh-task turns the ECS health checks of the essential app containers into Consul
# checks (a TTL check per container that the health-sync container keeps in step with ECS), so
# Consul stops routing to a task whose app is unhealthy. A container without a `healthCheck`
# is invisible to that: Consul calls the service healthy as soon as its sidecar is. In v0.1.x
# the module synced nothing, but ECS still needs the check to replace a hung task.
#
# Not reported:
# - tasks whose container definitions are not known (`containers` is null);
# - containers marked `essential = false`, or whose `essential` is not known (a definition
#   without the key counts as essential, as ECS treats it);
# - tasks that pass Consul native `checks` (v0.2.0-beta2 to v0.6.x): then Consul has its own
#   checks and the module does not sync ECS health checks (also when `checks` is unknown);
# - a `healthCheck` whose value is not known.
package meshlint.lib.health_checks

import rego.v1

__meshlint__ := {
	"id": "lib/health-checks",
	"severity": "error",
	"title": "an essential app container of a mesh task without a `healthCheck`",
	"help": "add a `healthCheck` to the container definition (e.g. `command = [\"CMD-SHELL\", \"curl -f http://localhost:9090/health || exit 1\"]`); from v0.2.0 the module makes it a Consul check",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/health-checks/README.md",
}

deny contains {"msg": msg, "at": container.span} if {
	some module in input.modules
	some task in module.mesh_tasks
	is_array(task.containers)
	not consul_checks(task)
	some container in task.containers
	essential(container)
	no_health_check(container)
	msg := sprintf(
		"%s of mesh-task `%s` declares no `healthCheck`: neither ECS nor Consul can tell when the app stops answering",
		[what(container), task.name],
	)
}

no_health_check(container) if container.health_check == null

no_health_check(container) if container.health_check.value == null

# The model gives `essential` as an evaluated value, null when the definition has no key
# (ECS then treats the container as essential); false or unknown is skipped.
essential(container) if not "essential" in object.keys(container)

essential(container) if container.essential == null

essential(container) if container.essential == true

essential(container) if container.essential.value == true

essential(container) if container.essential.value == "true"

# Native Consul checks (v0.2.0-beta2 to v0.6.x), or a `checks` input that cannot be told.
consul_checks(task) if {
	checks := task.inputs.checks.value
	is_array(checks)
	count(checks) > 0
}

consul_checks(task) if task.inputs.checks.unknown

what(container) := sprintf("essential container `%s`", [container.name]) if is_string(container.name)

what(container) := "an essential container" if not is_string(container.name)
