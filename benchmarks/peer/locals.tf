# The names and tags of the stack, as plugins/module_utils/names.py and stack.py derive them for the same inputs.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  arn     = "arn:${data.aws_partition.current.partition}"
  stack   = var.stack_name

  tags = {
    "owner"                     = "platform-team"
    "wordpress_aws:stack"       = var.stack_name
    "wordpress_aws:environment" = "local"
    "wordpress_aws:managed-by"  = "ansible-techblogpro.wordpress_aws"
    "wordpress_aws:project"     = "techblogpro"
    "wordpress_aws:cost-centre" = "web-platform"
  }

  iam_path         = "/wordpress-aws/${local.stack}/"
  log_group_prefix = "/wordpress-aws/${local.stack}/"
  alert_topic      = "${local.stack}-alerts"
  edge_alert_topic = "${local.stack}-alerts-edge"
  azs              = ["${var.region}a", "${var.region}b"]

  sg_names = {
    lambda    = "${local.stack}-lambda"
    alb       = "${local.stack}-alb"
    app       = "${local.stack}-app"
    efs       = "${local.stack}-efs"
    db        = "${local.stack}-db"
    endpoints = "${local.stack}-endpoints"
  }

  # The services that publish to the encrypted alert topic (roles/foundation/templates/alert_publishers.json.j2):
  # the topic policy and the key policy share them.
  alert_publishers = [
    {
      sid     = "CloudWatchAlarmsOfThisAccount"
      service = "cloudwatch.amazonaws.com"
      condition = {
        ArnLike      = { "aws:SourceArn" = "${local.arn}:cloudwatch:${var.region}:${local.account}:alarm:*" }
        StringEquals = { "aws:SourceAccount" = local.account }
      }
    },
    {
      sid       = "EventBridgeRulesOfTheStack"
      service   = "events.amazonaws.com"
      condition = { ArnLike = { "aws:SourceArn" = ["${local.arn}:events:${var.region}:${local.account}:rule/${local.stack}-ecs-deployment-failed"] } }
    },
    {
      sid     = "BudgetsOfThisAccount"
      service = "budgets.amazonaws.com"
      condition = {
        StringEquals = { "aws:SourceAccount" = local.account }
        ArnLike      = { "aws:SourceArn" = "${local.arn}:budgets::${local.account}:*" }
      }
    },
    {
      sid       = "CostAnomalyDetectionOfThisAccount"
      service   = "costalerts.amazonaws.com"
      condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    },
    {
      sid       = "BackupVaultNotifications"
      service   = "backup.amazonaws.com"
      condition = null
    },
    {
      sid     = "RdsEventsOfTheStacksDatabases"
      service = "events.rds.amazonaws.com"
      condition = {
        ArnLike = { "aws:SourceArn" = [
          "${local.arn}:rds:${var.region}:${local.account}:db:${local.stack}-db",
          "${local.arn}:rds:${var.region}:${local.account}:db:${local.stack}-db-replica",
          "${local.arn}:rds:${var.region}:${local.account}:es:${local.stack}-db-events",
        ] }
        StringEquals = { "aws:SourceAccount" = local.account }
      }
    },
  ]
}
