module "backend" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "0.1.1"

  family             = "backend"
  execution_role_arn = "arn:aws:iam::111111111111:role/execution-role"
  task_role_arn      = aws_iam_role.this_task.arn
  container_definitions = [
    {
      name      = "backend"
      image     = "docker.io/org/backend:v0.0.1"
      essential = true
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

  port                       = "9090"
  consul_server_service_name = module.dev_consul_server.ecs_service_name
}

resource "aws_ecs_service" "backend" {
  name            = "backend"
  cluster         = var.ecs_cluster_arn
  task_definition = module.backend.task_definition_arn
  desired_count   = 1
  network_configuration {
    subnets = var.subnet_ids
  }
  launch_type    = "FARGATE"
  propagate_tags = "TASK_DEFINITION"
}
