# Layout cases for settled_edits_agree_with_terraform_fmt (tests/fixes.rs): each key is
# renamed and each comment line removed, and the result must be what terraform fmt makes.
locals {
  short                = 1
  heredoc              = <<EOT
key = value
  ${upper("x")} = [
EOT
  indented             = <<-EOT
    a = b
  EOT
  after_heredoc        = 2
  /* block */ prefixed = 3
  suffixed             = 4 /* block */
  // slash comment
  templated    = "${var.a} = ${var.b}" # trailing
  quoted_brace = "{[("                 # trailing too
  nested       = { a = 1, bb = { c = 2 } }
  list         = [for k, v in var.m : v if k != "x"]
  cond         = var.a == 1 ? "a" : "b"
  arrow        = { for k, v in var.m : k => v }
  object = {
    one          = 1 # one
    three        = 3 # three
    "quoted key" = 4
    (var.k)      = 5
  }
  call = merge(
    { a = 1 },
    { bb = 2 },
  )
  multi = [ # opens
    1,      # one
    22,     # twenty-two
  ]
  after = "x"
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([
    {
      name         = "web"
      portMappings = [{ containerPort = 9090 }]
      environment = [
        { name = "A", value = "1" },
      ]
    }
  ])

  dynamic "setting" {
    for_each = var.settings
    content {
      name  = setting.key
      value = setting.value
    }
  }
  tags = {}
}
