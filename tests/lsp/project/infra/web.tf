# Routing step: web reaches backend through its sidecar, which listens on localhost:8080.
locals {
  web_family = "web"
}

module "web" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "0.1.1"

  family             = local.web_family
  execution_role_arn = "arn:aws:iam::111111111111:role/execution-role"
  task_role_arn      = aws_iam_role.this_task.arn
  upstreams = [
    {
      destination_name = "backend"
      local_bind_port  = 8080
    }
  ]
  container_definitions = [
    {
      name      = "web"
      image     = "docker.io/org/web:v0.0.1"
      essential = true
      environment = [
        {
          name  = "BACKEND_URL"
          value = "http://localhost:8080"
        }
      ]
      portMappings = [
        {
          containerPort = 9090
          hostPort      = 9090
          protocol      = "tcp"
        }
      ]
      cpu         = 0
      mountPoints = []
      volumesFrom = []
    }
  ]

  port                       = /* 🚀 */ 9090
  consul_server_service_name = module.dev_consul_server.ecs_service_name
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = var.ecs_cluster_arn
  task_definition = module.web.task_definition_arn
  desired_count   = 1
  network_configuration {
    subnets = var.subnet_ids
  }
  launch_type    = "FARGATE"
  propagate_tags = "TASK_DEFINITION"
}
