# With ACLs on, only the calls the intentions allow go through: deny-all, then one allow per edge.
resource "consul_config_entry" "deny_all" {
  name = "*"
  kind = "service-intentions"
  config_json = jsonencode({
    Sources = [{ Name = "*", Action = "deny" }]
  })
}

resource "consul_config_entry" "backend" {
  name = "backend"
  kind = "service-intentions"
  config_json = jsonencode({
    Sources = [{ Name = "web", Action = "allow" }]
  })
}
