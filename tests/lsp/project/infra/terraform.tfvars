ecs_cluster_arn             = "arn:aws:ecs:us-east-1:111111111111:cluster/my-cluster"
vpc_id                      = "vpc-abc123"
subnet_ids                  = ["subnet-abc123"]
lb_subnet_ids               = ["subnet-def456", "subnet-ghi789"]
lb_ingress_rule_cidr_blocks = ["203.0.113.10/32"]
