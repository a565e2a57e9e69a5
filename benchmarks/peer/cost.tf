# Cost tier (roles/cost_guard): the DB scheduler Lambda with the EventBridge Scheduler schedules that stop and start
# the database. Left out (README.md): the budget and the service's business-hours scaling (apply hangs on the emulator).



resource "aws_lambda_function" "db_scheduler" {
  function_name    = "${local.stack}-db-scheduler"
  description      = "Stops ${local.stack}-db out of business hours and starts it before (non-production only)"
  runtime          = "python3.12"
  handler          = "db_scheduler.handler"
  role             = aws_iam_role.lambda["db-scheduler"].arn
  filename         = "${var.lambda_zip_dir}/db-scheduler.zip"
  source_code_hash = filebase64sha256("${var.lambda_zip_dir}/db-scheduler.zip")
  timeout          = 30
  memory_size      = 128

  environment {
    variables = {
      STACK_NAME     = local.stack
      ENVIRONMENT    = "local"
      DB_INSTANCE_ID = aws_db_instance.main.identifier
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]
}

resource "aws_iam_role" "scheduler" {
  name        = "${local.stack}-scheduler"
  path        = local.iam_path
  description = "EventBridge Scheduler of ${local.stack}: invokes the DB scheduler Lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

resource "aws_iam_role_policy" "scheduler" {
  name = "invoke-db-scheduler"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeTheDatabaseScheduler"
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = aws_lambda_function.db_scheduler.arn
    }]
  })
}

resource "aws_scheduler_schedule" "db" {
  for_each                     = { stop = "cron(0 20 ? * MON-FRI *)", start = "cron(30 6 ? * MON-FRI *)" }
  name                         = "${local.stack}-db-${each.key}"
  group_name                   = "default"
  description                  = "wordpress_aws ${local.stack}: ${each.key} the non-production database"
  schedule_expression          = each.value
  schedule_expression_timezone = "Europe/Paris"
  state                        = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.db_scheduler.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ action = each.key })

    retry_policy {
      maximum_event_age_in_seconds = 86400
      maximum_retry_attempts       = 185
    }
  }
}
