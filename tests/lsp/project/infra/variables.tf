variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "ecs_cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "vpc_id" {
  description = "ID of the cluster's VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the tasks run in."
  type        = list(string)
}

variable "lb_subnet_ids" {
  description = "Subnets for the Consul UI load balancer."
  type        = list(string)
}

variable "lb_ingress_rule_cidr_blocks" {
  description = "CIDR blocks allowed to reach the Consul UI load balancer."
  type        = list(string)
}
