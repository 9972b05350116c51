# The project the language-server tests drive (tests/lsp): the install guide's final
# configuration, with one mistake in web.tf (`port` as a number, behind a comment with a
# character outside the Basic Multilingual Plane) and web's app in services/web.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.42.0"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "this" {}

resource "aws_cloudwatch_log_group" "log_group" {
  name = "consul-ecs"
}
