# Application tier (roles/ecs_wordpress): the uploads file system, the container log group, the origin-verify
# secret, the task roles, the cluster, the task definition, the load balancer, the service and its autoscaling,
# and the redeploy Lambda that follows a credentials rotation.

resource "aws_efs_file_system" "uploads" {
  creation_token   = "${local.stack}-uploads"
  encrypted        = true
  kms_key_id       = aws_kms_key.stack.arn
  performance_mode = "generalPurpose"
  throughput_mode  = "bursting"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }
  lifecycle_policy {
    transition_to_primary_storage_class = "AFTER_1_ACCESS"
  }

  tags = {
    Name                   = "${local.stack}-uploads"
    "wordpress_aws:backup" = "daily"
  }
}

resource "aws_efs_file_system_policy" "uploads" {
  file_system_id = aws_efs_file_system.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyUnencryptedTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyRootAccess"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "elasticfilesystem:ClientRootAccess"
      },
    ]
  })
}

resource "aws_efs_mount_target" "uploads" {
  for_each        = toset(local.azs)
  file_system_id  = aws_efs_file_system.uploads.id
  subnet_id       = aws_subnet.stack["app-${each.key}"].id
  security_groups = [aws_security_group.stack["efs"].id]
}

resource "aws_efs_access_point" "wp_content" {
  file_system_id = aws_efs_file_system.uploads.id

  posix_user {
    uid = 33
    gid = 33
  }

  root_directory {
    path = "/wp-content"
    creation_info {
      owner_uid   = 33
      owner_gid   = 33
      permissions = "0755"
    }
  }

  tags = { Name = "${local.stack}-wp-content" }
}

resource "aws_cloudwatch_log_group" "wordpress" {
  name              = "${local.log_group_prefix}wordpress"
  kms_key_id        = aws_kms_key.stack.arn
  retention_in_days = 14
}

# The header value CloudFront sends and the ALB requires: generated once (the later reads keep the stored value).
data "aws_secretsmanager_random_password" "origin" {
  password_length     = 48
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "origin" {
  name        = "${local.stack}/cloudfront/origin-verify"
  description = "Header value CloudFront sends to the ALB of ${local.stack}"
  kms_key_id  = aws_kms_key.stack.arn
}

resource "aws_secretsmanager_secret_policy" "origin" {
  secret_arn = aws_secretsmanager_secret.origin.arn
  policy     = local.secret_policy
}

resource "aws_secretsmanager_secret_version" "origin" {
  secret_id     = aws_secretsmanager_secret.origin.id
  secret_string = jsonencode({ value = data.aws_secretsmanager_random_password.origin.random_password })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

locals {
  origin_verify = jsondecode(aws_secretsmanager_secret_version.origin.secret_string).value

  ecs_tasks_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnLike      = { "aws:SourceArn" = "${local.arn}:ecs:${var.region}:${local.account}:*" }
        StringEquals = { "aws:SourceAccount" = local.account }
      }
    }]
  })
}

resource "aws_iam_role" "execution" {
  name               = "${local.stack}-ecs-execution"
  path               = local.iam_path
  description        = "ECS task execution role of ${local.stack} WordPress"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_iam_role_policy" "execution" {
  name = "wordpress-execution"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadThisStacksWordPressSecrets"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = [aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.salts.arn]
      },
      {
        Sid       = "DecryptThemWithTheStackKey"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = aws_kms_key.stack.arn
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${var.region}.amazonaws.com" } }
      },
      {
        Sid      = "WriteTheContainerLogGroupOnly"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.wordpress.arn}:*"
      },
    ]
  })
}

resource "aws_iam_role" "task" {
  name               = "${local.stack}-ecs-task"
  path               = local.iam_path
  description        = "ECS task role of ${local.stack} WordPress"
  assume_role_policy = local.ecs_tasks_trust
}

resource "aws_iam_role_policy" "task" {
  name = "wordpress-task"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "MountAndWriteUploadsThroughTheAccessPoint"
      Effect    = "Allow"
      Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
      Resource  = aws_efs_file_system.uploads.arn
      Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.wp_content.arn } }
    }]
  })
}

resource "aws_ecs_cluster" "main" {
  name = local.stack

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
    base              = 0
  }
}

locals {
  app_secret_fields   = { WORDPRESS_DB_HOST = "host", WORDPRESS_DB_NAME = "dbname", WORDPRESS_DB_USER = "username", WORDPRESS_DB_PASSWORD = "password" }
  health_path         = "/wp-includes/images/blank.gif"
  alb_arn_suffix      = aws_lb.main.arn_suffix
  target_group_suffix = aws_lb_target_group.wordpress.arn_suffix
}

resource "aws_ecs_task_definition" "wordpress" {
  family                   = "${local.stack}-wordpress"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    cpu_architecture        = "X86_64"
    operating_system_family = "LINUX"
  }

  volume {
    name = "wp-content"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.uploads.id
      root_directory     = "/"
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.wp_content.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([{
    name         = "wordpress"
    image        = "wordpress:6.8.3-php8.3-apache"
    cpu          = 0
    essential    = true
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
    environment  = [{ name = "WORDPRESS_CONFIG_EXTRA", value = chomp(file("${path.module}/config_extra.php")) }]
    mountPoints  = [{ sourceVolume = "wp-content", containerPath = "/var/www/html/wp-content", readOnly = false }]
    volumesFrom  = []
    secrets = concat(
      [for name, field in local.app_secret_fields : { name = name, valueFrom = "${aws_secretsmanager_secret.app.arn}:${field}::" }],
      [for name in local.salt_names : { name = "WORDPRESS_${name}", valueFrom = "${aws_secretsmanager_secret.salts.arn}:${name}::" }],
    )
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.wordpress.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "wordpress"
      }
    }
    healthCheck = {
      command     = ["CMD-SHELL", "curl -fsS -o /dev/null http://localhost${local.health_path} || exit 1"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 60
    }
  }])
}

resource "aws_lb_target_group" "wordpress" {
  name                 = "${local.stack}-wordpress"
  protocol             = "HTTP"
  port                 = 80
  target_type          = "ip"
  vpc_id               = aws_vpc.stack.id
  deregistration_delay = 30

  health_check {
    protocol            = "HTTP"
    path                = local.health_path
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }

  stickiness {
    type    = "lb_cookie"
    enabled = false
  }
}

resource "aws_lb" "main" {
  name                       = "${local.stack}-alb"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = [for az in local.azs : aws_subnet.stack["public-${az}"].id]
  security_groups            = [aws_security_group.stack["alb"].id]
  ip_address_type            = "ipv4"
  drop_invalid_header_fields = true
  idle_timeout               = 60
  enable_deletion_protection = false
}

# The default action is a 403: only the origin-verify rule forwards to WordPress (HTTP 80 only, no certificate).
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "Forbidden"
      status_code  = "403"
    }
  }
}

resource "aws_lb_listener_rule" "origin_verify" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 10

  condition {
    http_header {
      http_header_name = "X-Origin-Verify"
      values           = [local.origin_verify]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.wordpress.arn
  }
}

resource "aws_ecs_service" "wordpress" {
  name                               = "${local.stack}-wordpress"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.wordpress.arn
  desired_count                      = 1
  platform_version                   = "LATEST"
  health_check_grace_period_seconds  = 120
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 100
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true
  enable_execute_command             = false
  wait_for_steady_state              = false

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
    base              = 0
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = [for az in local.azs : aws_subnet.stack["app-${az}"].id]
    security_groups  = [aws_security_group.stack["app"].id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.wordpress.arn
    container_name   = "wordpress"
    container_port   = 80
  }

  # The count is the autoscaling's after creation. The emulator reads the strategy back empty (launch type EC2),
  # which would replace the service on every plan (README.md).
  lifecycle {
    ignore_changes = [desired_count, capacity_provider_strategy]
  }

  depends_on = [aws_lb_listener_rule.origin_verify, aws_ecs_cluster_capacity_providers.main]
}



resource "aws_lambda_function" "redeploy" {
  function_name    = "${local.stack}-redeploy"
  description      = "Forces a new deployment of ${local.stack}-wordpress after its DB credentials rotate"
  runtime          = "python3.12"
  handler          = "redeploy_service.handler"
  role             = aws_iam_role.lambda["redeploy"].arn
  filename         = "${var.lambda_zip_dir}/redeploy.zip"
  source_code_hash = filebase64sha256("${var.lambda_zip_dir}/redeploy.zip")
  timeout          = 30
  memory_size      = 128

  environment {
    variables = {
      CLUSTER    = local.stack
      SERVICE    = "${local.stack}-wordpress"
      SECRET_ARN = aws_secretsmanager_secret.app.arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]
}

# Every successful rotation of the application secret redeploys WordPress (the rotation schedule itself is not set
# locally: setting it makes Secrets Manager invoke the rotation Lambda, which the emulator cannot).
resource "aws_cloudwatch_event_rule" "rotated" {
  name        = "${local.stack}-db-rotated"
  description = "wordpress_aws: redeploy after a successful rotation of ${aws_secretsmanager_secret.app.arn}"
  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["AWS Service Event via CloudTrail"]
    detail = {
      eventSource         = ["secretsmanager.amazonaws.com"]
      eventName           = ["RotationSucceeded"]
      additionalEventData = { SecretId = [aws_secretsmanager_secret.app.arn] }
    }
  })
}

resource "aws_cloudwatch_event_target" "rotated" {
  rule      = aws_cloudwatch_event_rule.rotated.name
  target_id = "redeploy"
  arn       = aws_lambda_function.redeploy.arn
}

resource "aws_lambda_permission" "redeploy" {
  statement_id  = "events-${local.stack}-db-rotated"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.redeploy.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.rotated.arn
}
