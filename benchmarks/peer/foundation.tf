# Foundation tier (roles/foundation): the stack key, the alert topic, the backup vault, role and plan.

resource "aws_kms_key" "stack" {
  description             = "wordpress_aws ${local.stack}: encrypts logs, topic, secrets, database, file system and backups"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AccountAdministersTheKeyThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "${local.arn}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheStackLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = [
              "${local.arn}:logs:${var.region}:${local.account}:log-group:${local.log_group_prefix}*",
              "${local.arn}:logs:${var.region}:${local.account}:log-group:aws-waf-logs-${local.stack}*",
              "${local.arn}:logs:${var.region}:${local.account}:log-group:/aws/lambda/${local.stack}-*",
            ]
          }
        }
      },
      {
        Sid       = "AccountServicesUseTheKeyOnTheStacksBehalf"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account
            "kms:ViaService"    = [for s in ["sns", "secretsmanager", "rds", "elasticfilesystem", "backup"] : "${s}.${var.region}.amazonaws.com"]
          }
        }
      },
      ], [for p in local.alert_publishers : merge({
        Sid       = p.sid
        Effect    = "Allow"
        Principal = { Service = p.service }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
    }, p.condition == null ? {} : { Condition = p.condition })])
  })
}

resource "aws_kms_alias" "stack" {
  name          = "alias/wordpress-aws/${local.stack}"
  target_key_id = aws_kms_key.stack.key_id
}

resource "aws_sns_topic" "alerts" {
  name              = local.alert_topic
  display_name      = "WordPress ${local.stack} alerts"
  kms_master_key_id = aws_kms_key.stack.arn
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AccountManagesTheTopic"
        Effect    = "Allow"
        Principal = { AWS = "${local.arn}:iam::${local.account}:root" }
        Action    = ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"]
        Resource  = aws_sns_topic.alerts.arn
      },
      ], [for p in local.alert_publishers : merge({
        Sid       = p.sid
        Effect    = "Allow"
        Principal = { Service = p.service }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alerts.arn
    }, p.condition == null ? {} : { Condition = p.condition })])
  })
}

resource "aws_backup_vault" "stack" {
  name        = "${local.stack}-vault"
  kms_key_arn = aws_kms_key.stack.arn

  # The emulator reads no tags back for AWS Backup (README.md).
  lifecycle {
    ignore_changes = [tags_all]
  }
}

resource "aws_iam_role" "backup" {
  name        = "${local.stack}-backup"
  path        = local.iam_path
  description = "AWS Backup for wordpress_aws stack ${local.stack}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

resource "aws_iam_role_policy" "backup" {
  name = "backup-stack-resources"
  role = aws_iam_role.backup.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "SnapshotTheStacksDatabases"
        Effect    = "Allow"
        Action    = "rds:CreateDBSnapshot"
        Resource  = "${local.arn}:rds:*:${local.account}:db:*"
        Condition = { StringEquals = { "aws:ResourceTag/wordpress_aws:stack" = local.stack } }
      },
      {
        Sid      = "ManageTheSnapshotsAwsBackupCreates"
        Effect   = "Allow"
        Action   = ["rds:CreateDBSnapshot", "rds:CopyDBSnapshot", "rds:DeleteDBSnapshot", "rds:ModifyDBSnapshotAttribute", "rds:AddTagsToResource"]
        Resource = "${local.arn}:rds:*:${local.account}:snapshot:awsbackup:*"
      },
      {
        Sid      = "DescribeDatabasesForSelection"
        Effect   = "Allow"
        Action   = ["rds:DescribeDBInstances", "rds:DescribeDBSnapshots", "rds:ListTagsForResource"]
        Resource = "*"
      },
      {
        Sid       = "BackUpTheStacksFileSystems"
        Effect    = "Allow"
        Action    = ["elasticfilesystem:Backup", "elasticfilesystem:DescribeTags", "elasticfilesystem:ListTagsForResource"]
        Resource  = "${local.arn}:elasticfilesystem:*:${local.account}:file-system/*"
        Condition = { StringEquals = { "aws:ResourceTag/wordpress_aws:stack" = local.stack } }
      },
      {
        Sid      = "UseTheStackKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"]
        Resource = aws_kms_key.stack.arn
      },
      {
        Sid      = "WriteToTheStackVaults"
        Effect   = "Allow"
        Action   = ["backup:DescribeBackupVault", "backup:CopyIntoBackupVault"]
        Resource = "${local.arn}:backup:*:${local.account}:backup-vault:${aws_backup_vault.stack.name}"
      },
      {
        Sid      = "TagRecoveryPoints"
        Effect   = "Allow"
        Action   = ["tag:GetResources", "backup:TagResource"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_backup_plan" "daily" {
  name = "${local.stack}-daily"

  rule {
    rule_name           = "daily"
    target_vault_name   = aws_backup_vault.stack.name
    schedule            = "cron(0 3 * * ? *)"
    start_window        = 60
    completion_window   = 360
    recovery_point_tags = local.tags

    lifecycle {
      delete_after = 7
    }
  }

  # The emulator reads no tags back for AWS Backup (README.md).
  lifecycle {
    ignore_changes = [tags_all]
  }
}
