# Monitoring tier (roles/monitoring): alert subscriptions and the us-east-1 topic, log metric filters, the RDS and
# ECS event routes, the alarms and the dashboard.

resource "aws_sns_topic_subscription" "alerts" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "platform-team@techblogpro.example"
}

resource "aws_sns_topic" "edge_alerts" {
  provider          = aws.us_east_1
  name              = local.edge_alert_topic
  display_name      = "WordPress ${local.stack} edge alerts"
  kms_master_key_id = aws_kms_key.edge.arn
}

resource "aws_sns_topic_policy" "edge_alerts" {
  provider = aws.us_east_1
  arn      = aws_sns_topic.edge_alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountManagesTheTopic"
        Effect    = "Allow"
        Principal = { AWS = "${local.arn}:iam::${local.account}:root" }
        Action    = ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"]
        Resource  = aws_sns_topic.edge_alerts.arn
      },
      {
        Sid       = "CloudWatchAlarmsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.edge_alerts.arn
        Condition = {
          ArnLike      = { "aws:SourceArn" = "${local.arn}:cloudwatch:us-east-1:${local.account}:alarm:*" }
          StringEquals = { "aws:SourceAccount" = local.account }
        }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "edge_alerts" {
  provider  = aws.us_east_1
  topic_arn = aws_sns_topic.edge_alerts.arn
  protocol  = "email"
  endpoint  = "platform-team@techblogpro.example"
}

resource "aws_cloudwatch_log_metric_filter" "wordpress" {
  for_each = {
    php-fatal     = "?\"PHP Fatal error\" ?\"PHP Parse error\""
    db-connection = "?wordpress_aws_db_unreachable ?\"Error establishing a database connection\" ?\"MySQL server has gone away\""
  }
  name           = "${local.stack}-${each.key}"
  log_group_name = aws_cloudwatch_log_group.wordpress.name
  pattern        = each.value

  metric_transformation {
    name          = each.key
    namespace     = "WordPressAWS/${local.stack}"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_db_event_subscription" "db" {
  name             = "${local.stack}-db-events"
  sns_topic        = aws_sns_topic.alerts.arn
  source_type      = "db-instance"
  source_ids       = [aws_db_instance.main.identifier]
  event_categories = ["availability", "failover", "failure", "low storage", "maintenance", "recovery"]
}

resource "aws_cloudwatch_event_rule" "deployment_failed" {
  name        = "${local.stack}-ecs-deployment-failed"
  description = "wordpress_aws ${local.stack}: a WordPress deployment failed or tasks cannot start"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Deployment State Change", "ECS Service Action"]
    resources     = [aws_ecs_service.wordpress.id]
    detail        = { eventName = ["SERVICE_DEPLOYMENT_FAILED", "SERVICE_TASK_START_IMPAIRED", "SERVICE_TASK_PLACEMENT_FAILURE"] }
  })
}

resource "aws_cloudwatch_event_target" "deployment_failed" {
  rule      = aws_cloudwatch_event_rule.deployment_failed.name
  target_id = "alerts"
  arn       = aws_sns_topic.alerts.arn
}

locals {
  db_dim      = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  alb_dim     = { LoadBalancer = local.alb_arn_suffix }
  tg_dim      = { TargetGroup = local.target_group_suffix, LoadBalancer = local.alb_arn_suffix }
  service_dim = { ClusterName = aws_ecs_cluster.main.name, ServiceName = aws_ecs_service.wordpress.name }
  efs_dim     = { FileSystemId = aws_efs_file_system.uploads.id }

  # The single-metric alarms: metric, namespace, statistic, dimensions, period, periods, threshold, comparison.
  alarms = merge({
    "database/connections"               = { metric = "DatabaseConnections", ns = "AWS/RDS", stat = "Maximum", dims = local.db_dim, period = 60, periods = 3, threshold = 76.5, op = "GreaterThanThreshold", description = "Connections above 90% of max_connections (85): tasks may leak connections or the service scaled beyond what the class holds." }
    "database/cpu"                       = { metric = "CPUUtilization", ns = "AWS/RDS", stat = "Average", dims = local.db_dim, period = 60, periods = 3, threshold = 90, op = "GreaterThanThreshold", description = "Database CPU above 90%: find the slow queries (slow query log, Performance Insights); consider a larger class or the read replica." }
    "database/cpu-credits"               = { metric = "CPUCreditBalance", ns = "AWS/RDS", stat = "Minimum", dims = local.db_dim, period = 300, periods = 3, threshold = 10, op = "LessThanThreshold", description = "The burstable database has fewer than 10 CPU credits left: it now bills surplus credits (unlimited mode) or slows to its baseline. Move to a db.m* class if it stays low." }
    "database/free-storage"              = { metric = "FreeStorageSpace", ns = "AWS/RDS", stat = "Minimum", dims = local.db_dim, period = 60, periods = 3, threshold = 2147483648, op = "LessThanThreshold", description = "Less than 2 GiB free: storage autoscaling may be at its maximum (rds_max_allocated_storage_gib)." }
    "database/freeable-memory"           = { metric = "FreeableMemory", ns = "AWS/RDS", stat = "Minimum", dims = local.db_dim, period = 60, periods = 3, threshold = 67108864, op = "LessThanThreshold", description = "Less than 64 MiB freeable memory: the class is too small for the buffer pool and connections." }
    "load_balancer/rejected-connections" = { metric = "RejectedConnectionCount", ns = "AWS/ApplicationELB", stat = "Sum", dims = local.alb_dim, period = 60, periods = 1, threshold = 0, op = "GreaterThanThreshold", description = "The ALB rejects connections (it reached its connection limit). Contact AWS support to pre-warm or check for a flood the WAF did not stop." }
    "load_balancer/unhealthy-hosts"      = { metric = "UnHealthyHostCount", ns = "AWS/ApplicationELB", stat = "Maximum", dims = local.tg_dim, period = 60, periods = 3, threshold = 0, op = "GreaterThanThreshold", description = "A WordPress task fails its health check. Read its logs; the circuit breaker rolls back a bad deployment by itself." }
    "logs/db-connection"                 = { metric = "db-connection", ns = "WordPressAWS/${local.stack}", stat = "Sum", dims = {}, period = 300, periods = 1, threshold = 0, op = "GreaterThanThreshold", description = "WordPress cannot reach its database: check the database alarms, the app secret (rotation) and the security groups." }
    "logs/php-fatal"                     = { metric = "php-fatal", ns = "WordPressAWS/${local.stack}", stat = "Sum", dims = {}, period = 300, periods = 1, threshold = 0, op = "GreaterThanThreshold", description = "PHP fatal errors in the container logs: a plugin or theme broke. Find the file in the log line; deactivate the plugin or roll back the image." }
    "service/cpu-high"                   = { metric = "CPUUtilization", ns = "AWS/ECS", stat = "Average", dims = local.service_dim, period = 60, periods = 5, threshold = 90, op = "GreaterThanThreshold", description = "Tasks average CPUUtilization above 90% although autoscaling should add tasks: the service may be at its maximum count. Raise ecs_wordpress_max_count or the task size." }
    "service/memory-high"                = { metric = "MemoryUtilization", ns = "AWS/ECS", stat = "Average", dims = local.service_dim, period = 60, periods = 5, threshold = 90, op = "GreaterThanThreshold", description = "Tasks average MemoryUtilization above 90% although autoscaling should add tasks: the service may be at its maximum count. Raise ecs_wordpress_max_count or the task size." }
    "storage/burst-credits"              = { metric = "BurstCreditBalance", ns = "AWS/EFS", stat = "Minimum", dims = local.efs_dim, period = 300, periods = 3, threshold = 1073741824, op = "LessThanThreshold", description = "EFS burst credits are nearly spent (bursting throughput): throughput drops to the baseline. Switch to elastic throughput." }
    "storage/io-limit"                   = { metric = "PercentIOLimit", ns = "AWS/EFS", stat = "Maximum", dims = local.efs_dim, period = 60, periods = 3, threshold = 95, op = "GreaterThanThreshold", description = "EFS above 95% of its I/O limit: uploads and plugin reads slow down. Consider elastic throughput or fewer files per request (object cache)." }
    }, merge([for fn in keys(local.lambdas) : {
      for kind, metric in { errors = "Errors", throttles = "Throttles" } : "functions/${local.stack}-${fn}-${kind}" => {
        metric                     = metric, ns = "AWS/Lambda", stat = "Sum", dims = { FunctionName = "${local.stack}-${fn}" }, period = 300, periods = 1, threshold = 0, op = "GreaterThanThreshold"
        description                = "${local.stack}-${fn} reports ${kind}. Read /aws/lambda/${local.stack}-${fn}; throttles mean the account's concurrency is exhausted."
      }
  }]...))

  # The metric-math alarms: a 5xx rate of the ALB and of the targets, and running minus desired tasks.
  rate_alarms = {
    "load_balancer/alb-5xx"    = { errors = "HTTPCode_ELB_5XX_Count", dims = local.alb_dim, label = "ALB 5xx %", description = "The ALB answers 5xx to more than 5% of requests (no healthy target, or WordPress too slow). Check unhealthy hosts and the service's events; scale out if CPU-bound." }
    "load_balancer/target-5xx" = { errors = "HTTPCode_Target_5XX_Count", dims = local.tg_dim, label = "target 5xx %", description = "WordPress answers 5xx to more than 5% of requests. Read the container logs (PHP fatal errors, database connection errors) and the last deployment." }
  }
}

resource "aws_cloudwatch_metric_alarm" "stack" {
  for_each            = local.alarms
  alarm_name          = "${local.stack}/${each.key}"
  alarm_description   = each.value.description
  metric_name         = each.value.metric
  namespace           = each.value.ns
  statistic           = each.value.stat
  dimensions          = each.value.dims
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.op
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "p95_latency" {
  alarm_name          = "${local.stack}/load_balancer/p95-latency"
  alarm_description   = "p95 response time above 3 s. Check database CPU and slow queries, the cache hit rate, and task CPU."
  metric_name         = "TargetResponseTime"
  namespace           = "AWS/ApplicationELB"
  extended_statistic  = "p95"
  dimensions          = local.tg_dim
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 3
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "rate" {
  for_each            = local.rate_alarms
  alarm_name          = "${local.stack}/${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  dynamic "metric_query" {
    for_each = { errors = each.value.errors, requests = "RequestCount" }
    content {
      id          = metric_query.key
      return_data = false
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = each.value.dims
        period      = 60
        stat        = "Sum"
      }
    }
  }

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = each.value.label
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "tasks_below_desired" {
  alarm_name          = "${local.stack}/service/tasks-below-desired"
  alarm_description   = "Fewer WordPress tasks run than desired for 5 minutes (Spot reclaimed, image pull or secret errors). Read the service's events and stopped tasks' reasons."
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = 0
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  dynamic "metric_query" {
    for_each = { running = "RunningTaskCount", desired = "DesiredTaskCount" }
    content {
      id          = metric_query.key
      return_data = false
      metric {
        namespace   = "ECS/ContainerInsights"
        metric_name = metric_query.value
        dimensions  = local.service_dim
        period      = 60
        stat        = "Average"
      }
    }
  }

  metric_query {
    id          = "missing"
    expression  = "running - desired"
    label       = "running - desired"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "waf_blocked_surge" {
  provider            = aws.us_east_1
  alarm_name          = "${local.stack}/edge/waf-blocked-surge"
  alarm_description   = "WAF blocked more than 5000 requests in 5 minutes: an attack or a rule blocking real users. Read the WAF logs (aws-waf-logs-*) by rule."
  metric_name         = "BlockedRequests"
  namespace           = "AWS/WAFV2"
  statistic           = "Sum"
  dimensions          = { WebACL = aws_wafv2_web_acl.edge.name, Rule = "ALL" }
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.edge_alerts.arn]
  ok_actions          = [aws_sns_topic.edge_alerts.arn]
}

resource "aws_cloudwatch_dashboard" "stack" {
  dashboard_name = local.stack
  dashboard_body = jsonencode(jsondecode(templatefile("${path.module}/dashboard.json.tftpl", {
    stack        = local.stack
    region       = var.region
    alb          = local.alb_arn_suffix
    target_group = local.target_group_suffix
    file_system  = aws_efs_file_system.uploads.id
  })))
}
