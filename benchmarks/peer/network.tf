# Network tier (roles/vpc): VPC, subnets per tier and AZ, one NAT gateway, route tables, the S3 gateway endpoint,
# the security groups and their least-privilege rules, and the VPC flow log.

resource "aws_vpc" "stack" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  instance_tenancy     = "default"
  tags                 = { Name = "${local.stack}-vpc" }
}

resource "aws_internet_gateway" "stack" {
  vpc_id = aws_vpc.stack.id
  tags   = { Name = "${local.stack}-igw" }
}

locals {
  # tasks/network.yml: a /20 per tier and AZ (vpc_subnet_newbits 4); public 0-3, app 4-7, data 8-11.
  subnets = merge([for tier, base in { public = 0, app = 4, data = 8 } : {
    for index, az in local.azs : "${tier}-${az}" => {
      tier = tier
      az   = az
      cidr = cidrsubnet(aws_vpc.stack.cidr_block, 4, base + index)
    }
  }]...)
}

resource "aws_subnet" "stack" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.stack.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags = {
    Name                 = "${local.stack}-${each.key}"
    "wordpress_aws:tier" = each.value.tier
  }
}

resource "aws_eip" "nat" {
  domain = "vpc"
  tags   = { Name = "${local.stack}-nat-${local.azs[0]}" }
}

resource "aws_nat_gateway" "single" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.stack["public-${local.azs[0]}"].id
  tags          = { Name = "${local.stack}-nat-${local.azs[0]}" }
  depends_on    = [aws_internet_gateway.stack]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.stack.id
  tags   = { Name = "${local.stack}-public" }

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.stack.id
  }
}

resource "aws_route_table" "app" {
  for_each = toset(local.azs)
  vpc_id   = aws_vpc.stack.id
  tags     = { Name = "${local.stack}-app-${each.key}" }

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.single.id
  }
}

resource "aws_route_table" "data" {
  vpc_id = aws_vpc.stack.id
  tags   = { Name = "${local.stack}-data" }
}

resource "aws_route_table_association" "stack" {
  for_each       = local.subnets
  subnet_id      = aws_subnet.stack[each.key].id
  route_table_id = each.value.tier == "public" ? aws_route_table.public.id : each.value.tier == "app" ? aws_route_table.app[each.value.az].id : aws_route_table.data.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.stack.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat([for az in local.azs : aws_route_table.app[az].id], [aws_route_table.data.id])
  tags              = { Name = "${local.stack}-s3" }
}

# CloudFront's origin-facing addresses: the only source the ALB admits.
data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

locals {
  sg_descriptions = {
    lambda    = "DB bootstrap and rotation Lambdas (egress only)"
    alb       = "Application Load Balancer (HTTPS from CloudFront only)"
    app       = "WordPress tasks on Fargate (HTTP from the ALB only)"
    efs       = "EFS mount targets (NFS from the WordPress tasks only)"
    db        = "RDS MySQL (3306 from the WordPress tasks and DB Lambdas only)"
    endpoints = "Interface VPC endpoints (HTTPS from tasks and Lambdas)"
  }

  # roles/vpc/vars/main.yml __vpc_security_group_specs: group, direction, port, peer (a group, a CIDR or the prefix list).
  sg_rules = {
    lambda-egress-https      = { group = "lambda", type = "egress", port = 443, cidr = "0.0.0.0/0", description = "HTTPS to AWS APIs" }
    lambda-egress-db         = { group = "lambda", type = "egress", port = 3306, peer = "db", description = "to the database" }
    alb-ingress-cloudfront   = { group = "alb", type = "ingress", port = 80, prefix_list = true, description = null }
    alb-egress-app           = { group = "alb", type = "egress", port = 80, peer = "app", description = "to WordPress tasks" }
    app-ingress-alb          = { group = "app", type = "ingress", port = 80, peer = "alb", description = "from the ALB" }
    app-egress-https         = { group = "app", type = "egress", port = 443, cidr = "0.0.0.0/0", description = "HTTPS to AWS APIs, image registry and wordpress.org" }
    app-egress-db            = { group = "app", type = "egress", port = 3306, peer = "db", description = "to the database" }
    app-egress-efs           = { group = "app", type = "egress", port = 2049, peer = "efs", description = "NFS to EFS" }
    efs-ingress-app          = { group = "efs", type = "ingress", port = 2049, peer = "app", description = "NFS from WordPress tasks" }
    db-ingress-app           = { group = "db", type = "ingress", port = 3306, peer = "app", description = "from WordPress tasks" }
    db-ingress-lambda        = { group = "db", type = "ingress", port = 3306, peer = "lambda", description = "from the DB Lambdas" }
    endpoints-ingress-app    = { group = "endpoints", type = "ingress", port = 443, peer = "app", description = "from WordPress tasks" }
    endpoints-ingress-lambda = { group = "endpoints", type = "ingress", port = 443, peer = "lambda", description = "from the DB Lambdas" }
  }
}

resource "aws_security_group" "stack" {
  for_each    = local.sg_names
  name        = each.value
  description = local.sg_descriptions[each.key]
  vpc_id      = aws_vpc.stack.id
  tags = {
    Name                           = each.value
    "wordpress_aws:security-group" = each.key
  }
}

resource "aws_vpc_security_group_ingress_rule" "stack" {
  for_each                     = { for k, r in local.sg_rules : k => r if r.type == "ingress" }
  security_group_id            = aws_security_group.stack[each.value.group].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description
  referenced_security_group_id = try(aws_security_group.stack[each.value.peer].id, null)
  prefix_list_id               = try(each.value.prefix_list, false) ? data.aws_ec2_managed_prefix_list.cloudfront.id : null
}

resource "aws_vpc_security_group_egress_rule" "stack" {
  for_each                     = { for k, r in local.sg_rules : k => r if r.type == "egress" }
  security_group_id            = aws_security_group.stack[each.value.group].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.value.description
  referenced_security_group_id = try(aws_security_group.stack[each.value.peer].id, null)
  cidr_ipv4                    = try(each.value.cidr, null)
}

# The VPC's default group: no rules (ec2_security_groups empties it).
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.stack.id
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "${local.log_group_prefix}vpc-flow-logs"
  kms_key_id        = aws_kms_key.stack.arn
  retention_in_days = 7
}

resource "aws_iam_role" "flow_logs" {
  name        = "${local.stack}-vpc-flow-logs"
  path        = local.iam_path
  description = "VPC flow logs of wordpress_aws stack ${local.stack}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

resource "aws_iam_role_policy" "flow_logs" {
  name = "write-flow-log-group"
  role = aws_iam_role.flow_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "WriteTheStackFlowLogGroupOnly"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
        Resource = [aws_cloudwatch_log_group.flow_logs.arn, "${aws_cloudwatch_log_group.flow_logs.arn}:*"]
      },
      {
        Sid      = "FindTheFlowLogGroup"
        Effect   = "Allow"
        Action   = "logs:DescribeLogGroups"
        Resource = "*"
      },
    ]
  })
}

resource "aws_flow_log" "vpc" {
  vpc_id                   = aws_vpc.stack.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = 600
  tags                     = { Name = "${local.stack}-flow-log" }
}
