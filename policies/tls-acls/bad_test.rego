# meshlint-input: fixtures/bad-production-defaults
package meshlint.lib.tls_acls_test.bad_production_defaults

import rego.v1

import data.meshlint.lib.tls_acls

# Both for_each instances run in production: `tls` comes from a variable's default of false
# and `acls` is not set.
test_bad_production_defaults_findings if {
	count(tls_acls.deny) == 4
	lines := {sprintf("%s:%d", [basename(f.at), line(f.at)]) | some f in tls_acls.deny}
	lines == {"variables.tf:19", "main.tf:17"}
}

test_bad_production_defaults_names_both_instances if {
	names := {name | some f in tls_acls.deny; some name in ["service[\"checkout\"]", "service[\"payments\"]"]; contains(f.msg, name)}
	count(names) == 2
}

# A finding's place: an evaluated value (with a span) or a span.
place(at) := at.span if at.span

place(at) := at if not at.span

line(at) := place(at).start.line

basename(at) := name if {
	parts := split(place(at).file, "/")
	name := parts[count(parts) - 1]
}
