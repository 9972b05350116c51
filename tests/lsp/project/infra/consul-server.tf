# Consul server step. The guide printed an older registry address, a "<latest version>"
# placeholder and `load_balancer_enabled`; the v0.1.1 module takes `lb_enabled`.
module "dev_consul_server" {
  source  = "hashicorp/consul-ecs/aws//modules/dev-server"
  version = "0.1.1"

  ecs_cluster_arn             = var.ecs_cluster_arn
  subnet_ids                  = var.subnet_ids
  lb_vpc_id                   = var.vpc_id
  lb_enabled                  = true
  lb_subnets                  = var.lb_subnet_ids
  lb_ingress_rule_cidr_blocks = var.lb_ingress_rule_cidr_blocks

  # v0.1.1 changed the dev server's default launch type to EC2; the tasks here run on Fargate.
  launch_type = "FARGATE"

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.log_group.name
      awslogs-region        = var.region
      awslogs-stream-prefix = "consul-server"
    }
  }
}

data "aws_security_group" "vpc_default" {
  name   = "default"
  vpc_id = var.vpc_id
}

resource "aws_security_group_rule" "ingress_from_server_alb_to_ecs" {
  type                     = "ingress"
  from_port                = 8500
  to_port                  = 8500
  protocol                 = "tcp"
  source_security_group_id = module.dev_consul_server.lb_security_group_id
  security_group_id        = data.aws_security_group.vpc_default.id
}

output "consul_server_url" {
  value = "http://${module.dev_consul_server.lb_dns_name}:8500"
}
