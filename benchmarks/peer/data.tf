# Data tier (roles/rds): subnet and parameter groups, the MySQL instance with its RDS-managed master secret, the
# application and salts secrets, and the bootstrap and rotation Lambdas with their log groups and roles.

resource "aws_db_subnet_group" "data" {
  name        = "${local.stack}-data"
  description = "wordpress_aws ${local.stack} data subnets"
  subnet_ids  = [for az in local.azs : aws_subnet.stack["data-${az}"].id]
}

resource "aws_db_parameter_group" "mysql" {
  name        = "${local.stack}-mysql84"
  family      = "mysql8.4"
  description = "WordPress on MySQL 8.4.7 (${local.stack})"

  dynamic "parameter" {
    for_each = {
      character_set_server          = "utf8mb4"
      collation_server              = "utf8mb4_unicode_ci"
      general_log                   = "0"
      innodb_lock_wait_timeout      = "20"
      innodb_print_all_deadlocks    = "1"
      log_output                    = "FILE"
      log_queries_not_using_indexes = "0"
      long_query_time               = "1"
      performance_schema            = "0"
      require_secure_transport      = "1"
      slow_query_log                = "1"
    }
    content {
      name         = parameter.key
      value        = parameter.value
      apply_method = "pending-reboot"
    }
  }

  # The emulator reads the user parameters back empty to the provider, which would rewrite them on every plan.
  lifecycle {
    ignore_changes = [parameter]
  }
}

resource "aws_db_instance" "main" {
  identifier                      = "${local.stack}-db"
  engine                          = "mysql"
  engine_version                  = "8.4.7"
  instance_class                  = "db.t4g.micro"
  username                        = "wpadmin"
  manage_master_user_password     = true
  master_user_secret_kms_key_id   = aws_kms_key.stack.arn
  allocated_storage               = 20
  max_allocated_storage           = 100
  storage_type                    = "gp3"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.stack.arn
  db_subnet_group_name            = aws_db_subnet_group.data.name
  vpc_security_group_ids          = [aws_security_group.stack["db"].id]
  parameter_group_name            = aws_db_parameter_group.mysql.name
  multi_az                        = false
  publicly_accessible             = false
  backup_retention_period         = 1
  backup_window                   = "12:00-12:30"
  maintenance_window              = "tue:13:00-tue:14:00"
  deletion_protection             = false
  copy_tags_to_snapshot           = true
  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
  monitoring_interval             = 0
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.stack}-db-final"
  apply_immediately               = true
  tags                            = { "wordpress_aws:backup" = "daily" }
}

# The secrets' resource policy: deny all but the stack's roles, the deploying principal and the root user.
locals {
  secret_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyAllButTheStackRolesAndAdmins"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "secretsmanager:*"
      Resource  = "*"
      Condition = {
        ArnNotLike = {
          "aws:PrincipalArn" = [
            "${local.arn}:iam::${local.account}:role${local.iam_path}*",
            "${local.arn}:iam::${local.account}:root",
            data.aws_caller_identity.current.arn,
          ]
        }
      }
    }]
  })
  salt_names = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
}

# Generated values are written once (write-only: they never reach the state), as random_secret generates them once.
ephemeral "aws_secretsmanager_random_password" "salts" {
  password_length     = 64 * 8
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "app" {
  password_length     = 32
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "salts" {
  name        = "${local.stack}/wordpress/salts"
  description = "WordPress authentication keys and salts of ${local.stack}"
  kms_key_id  = aws_kms_key.stack.arn
}

resource "aws_secretsmanager_secret_policy" "salts" {
  secret_arn = aws_secretsmanager_secret.salts.arn
  policy     = local.secret_policy
}

resource "aws_secretsmanager_secret_version" "salts" {
  secret_id                = aws_secretsmanager_secret.salts.id
  secret_string_wo         = jsonencode({ for index, name in local.salt_names : name => substr(ephemeral.aws_secretsmanager_random_password.salts.random_password, index * 64, 64) })
  secret_string_wo_version = 1
}

resource "aws_secretsmanager_secret" "app" {
  name        = "${local.stack}/db/app"
  description = "WordPress application DB user of ${local.stack}"
  kms_key_id  = aws_kms_key.stack.arn
}

resource "aws_secretsmanager_secret_policy" "app" {
  secret_arn = aws_secretsmanager_secret.app.arn
  policy     = local.secret_policy
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string_wo = jsonencode({
    username  = "wordpress"
    password  = ephemeral.aws_secretsmanager_random_password.app.random_password
    dbname    = "wordpress"
    masterarn = aws_db_instance.main.master_user_secret[0].secret_arn
    engine    = "mysql"
    host      = aws_db_instance.main.address
    port      = aws_db_instance.main.port
  })
  secret_string_wo_version = 1
}

locals {
  master_secret_arn = aws_db_instance.main.master_user_secret[0].secret_arn

  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })

  # What AWSLambdaVPCAccessExecutionRole grants a VPC function.
  attach_to_vpc = {
    Sid      = "AttachToTheVpc"
    Effect   = "Allow"
    Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
    Resource = "*"
  }

  # Every Lambda of the stack: its log group (30 days, stack key) and role are built with it.
  lambdas = {
    db-bootstrap = { role_description = "DB bootstrap Lambda of ${local.stack}", policy_name = "bootstrap-database" }
    db-rotation  = { role_description = "DB credentials rotation Lambda of ${local.stack}", policy_name = "rotate-application-secret" }
    redeploy     = { role_description = "Redeploys the WordPress service of ${local.stack} after a credentials rotation", policy_name = "redeploy-wordpress" }
    db-scheduler = { role_description = "DB stop/start Lambda of ${local.stack}", policy_name = "stop-start-database" }
  }

  lambda_policies = {
    db-bootstrap = [
      {
        Sid      = "ReadTheMasterAndApplicationSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = [local.master_secret_arn, aws_secretsmanager_secret.app.arn]
      },
      {
        Sid      = "DecryptWithTheStackKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey"]
        Resource = aws_kms_key.stack.arn
      },
      local.attach_to_vpc,
    ]
    db-rotation = [
      {
        Sid      = "RotateTheApplicationSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
        Resource = aws_secretsmanager_secret.app.arn
      },
      {
        Sid      = "ReadTheMasterSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = local.master_secret_arn
      },
      {
        Sid      = "DrawPasswords"
        Effect   = "Allow"
        Action   = "secretsmanager:GetRandomPassword"
        Resource = "*"
      },
      {
        Sid       = "ListTheServiceTasks"
        Effect    = "Allow"
        Action    = "ecs:ListTasks"
        Resource  = "*"
        Condition = { ArnEquals = { "ecs:cluster" = "${local.arn}:ecs:${var.region}:${local.account}:cluster/${local.stack}" } }
      },
      {
        Sid      = "SeeWhenTheTasksStarted"
        Effect   = "Allow"
        Action   = "ecs:DescribeTasks"
        Resource = "${local.arn}:ecs:${var.region}:${local.account}:task/${local.stack}/*"
      },
      {
        Sid      = "RedeployTheServiceWhenItsTasksAreOld"
        Effect   = "Allow"
        Action   = ["ecs:DescribeServices", "ecs:UpdateService"]
        Resource = "${local.arn}:ecs:${var.region}:${local.account}:service/${local.stack}/${local.stack}-wordpress"
      },
      {
        Sid      = "UseTheStackKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
        Resource = aws_kms_key.stack.arn
      },
      local.attach_to_vpc,
    ]
    redeploy = [
      {
        Sid      = "RedeployOnlyTheWordPressService"
        Effect   = "Allow"
        Action   = "ecs:UpdateService"
        Resource = "${local.arn}:ecs:${var.region}:${local.account}:service/${local.stack}/${local.stack}-wordpress"
      },
    ]
    db-scheduler = [
      {
        Sid      = "StopAndStartOnlyThisStacksDatabase"
        Effect   = "Allow"
        Action   = ["rds:DescribeDBInstances", "rds:StopDBInstance", "rds:StartDBInstance"]
        Resource = aws_db_instance.main.arn
      },
    ]
  }
}

resource "aws_cloudwatch_log_group" "lambda" {
  for_each          = local.lambdas
  name              = "/aws/lambda/${local.stack}-${each.key}"
  kms_key_id        = aws_kms_key.stack.arn
  retention_in_days = 30
}

resource "aws_iam_role" "lambda" {
  for_each           = local.lambdas
  name               = "${local.stack}-${each.key}"
  path               = local.iam_path
  description        = each.value.role_description
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.lambdas
  name     = each.value.policy_name
  role     = aws_iam_role.lambda[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.lambda_policies[each.key], [{
      Sid      = "WriteItsOwnLogGroup"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.lambda[each.key].arn}:*"
    }])
  })
}

resource "aws_lambda_function" "db_bootstrap" {
  function_name    = "${local.stack}-db-bootstrap"
  description      = "Creates the WordPress database and its least-privilege user (idempotent)"
  runtime          = "python3.12"
  handler          = "db_bootstrap.handler"
  role             = aws_iam_role.lambda["db-bootstrap"].arn
  filename         = "${var.lambda_zip_dir}/db-bootstrap.zip"
  source_code_hash = filebase64sha256("${var.lambda_zip_dir}/db-bootstrap.zip")
  timeout          = 60
  memory_size      = 256

  vpc_config {
    subnet_ids         = [for az in local.azs : aws_subnet.stack["app-${az}"].id]
    security_group_ids = [aws_security_group.stack["lambda"].id]
  }

  environment {
    variables = {
      DB_HOST           = aws_db_instance.main.address
      DB_PORT           = tostring(aws_db_instance.main.port)
      DB_NAME           = "wordpress"
      MASTER_SECRET_ARN = local.master_secret_arn
      APP_SECRET_ARN    = aws_secretsmanager_secret.app.arn
      DB_TLS            = "true"
      DB_CA_BUNDLE      = ""
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]
}

resource "aws_lambda_function" "db_rotation" {
  function_name    = "${local.stack}-db-rotation"
  description      = "Rotates the WordPress DB credentials with alternating users (Secrets Manager's four steps)"
  runtime          = "python3.12"
  handler          = "rotate_app_secret.handler"
  role             = aws_iam_role.lambda["db-rotation"].arn
  filename         = "${var.lambda_zip_dir}/db-rotation.zip"
  source_code_hash = filebase64sha256("${var.lambda_zip_dir}/db-rotation.zip")
  timeout          = 60
  memory_size      = 256

  vpc_config {
    subnet_ids         = [for az in local.azs : aws_subnet.stack["app-${az}"].id]
    security_group_ids = [aws_security_group.stack["lambda"].id]
  }

  environment {
    variables = {
      DB_TLS       = "true"
      DB_CA_BUNDLE = ""
      CLUSTER      = local.stack
      SERVICE      = "${local.stack}-wordpress"
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]
}

# Secrets Manager may invoke the rotation Lambda for the application secret only.
resource "aws_lambda_permission" "rotation" {
  statement_id  = "secretsmanager-${local.stack}-db-app"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.db_rotation.function_name
  principal     = "secretsmanager.amazonaws.com"
  source_arn    = aws_secretsmanager_secret.app.arn
}
