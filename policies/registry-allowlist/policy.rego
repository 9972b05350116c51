# Container images of mesh tasks come from allowed registries and are pinned by digest.
#
# Every app container of a mesh task (`containers[].image`; the sidecars the module adds are not
# among them) must:
# - start with one of the prefixes in `data.meshlint.registries` (a `deny`; silent when no
#   registries are configured). Docker Hub's short names are also compared in full:
#   `nginx:1.27` as `docker.io/library/nginx:1.27`, `grafana/agent` as `docker.io/grafana/agent`;
# - be pinned by digest, `…@sha256:<64 hex digits>` (a `warn`: a tag can be moved to other
#   content, a digest cannot).
#
# Images that are not known before apply, and tasks whose container definitions are not known,
# are not reported.
package meshlint.lib.registry_allowlist

import rego.v1

__meshlint__ := {
	"id": "lib/registry-allowlist",
	"severity": "error",
	"title": "a mesh task's container image from a registry that is not allowed, or not pinned by digest",
	"help": "pull the image from an allowed registry (data.meshlint.registries) and pin it by digest: `<registry>/<name>@sha256:<digest>`",
	"url": "https://github.com/meshlint/meshlint/blob/main/policies/registry-allowlist/README.md",
}

# Configuration: the allowed prefixes, e.g. ["123456789012.dkr.ecr.us-east-1.amazonaws.com/"].
default registries := []

registries := data.meshlint.registries

prefixes := [prefix | some prefix in registries; is_string(prefix); prefix != ""]

# The known images of the mesh tasks' app containers, with where they are written and whose
# they are. An array of small objects: a set would compare whole tasks to keep them unique.
images := [{"image": image, "at": container.image, "where": where(task, container)} |
	some module in input.modules
	some task in module.mesh_tasks
	is_array(task.containers)
	some container in task.containers
	image := container.image.value
	is_string(image)
	image != ""
]

# The image as written, and its full name when it is a Docker Hub short name.
names(image) := {image, docker_hub(image)} if is_docker_hub(image)

names(image) := {image} if not is_docker_hub(image)

# A reference's first part is a registry host when it has a `.` or `:`, or is `localhost`.
is_docker_hub(image) if {
	first := split(image, "/")[0]
	count(split(image, "/")) > 1
	not contains(first, ".")
	not contains(first, ":")
	first != "localhost"
}

is_docker_hub(image) if count(split(image, "/")) == 1

docker_hub(image) := concat("", ["docker.io/library/", image]) if count(split(image, "/")) == 1

docker_hub(image) := concat("", ["docker.io/", image]) if count(split(image, "/")) > 1

allowed(image) if {
	some name in names(image)
	some prefix in prefixes
	startswith(name, prefix)
}

pinned(image) if regex.match(`@sha256:[a-f0-9]{64}$`, image)

where(task, container) := sprintf("container `%s` of mesh-task `%s`", [container.name, task.name]) if is_string(container.name)

where(task, container) := sprintf("a container of mesh-task `%s`", [task.name]) if not is_string(container.name)

deny contains {"msg": msg, "at": item.at} if {
	count(prefixes) > 0
	some item in images
	not allowed(item.image)
	msg := sprintf(
		"image `%s` of %s comes from no allowed registry (allowed: %s)",
		[item.image, item.where, concat(", ", [sprintf("`%s`", [p]) | some p in prefixes])],
	)
}

warn contains {"msg": msg, "at": item.at} if {
	some item in images
	not pinned(item.image)
	msg := sprintf(
		"image `%s` of %s is not pinned by digest: the tag can be moved to other content",
		[item.image, item.where],
	)
}
