# Both providers talk to the local emulator only: every service this configuration uses has its endpoint here.
locals {
  emulator = "http://127.0.0.1:${var.emulator_port}"
}

provider "aws" {
  region                      = var.region
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  default_tags {
    tags = local.tags
  }

  endpoints {
    acm                      = local.emulator
    appautoscaling           = local.emulator
    backup                   = local.emulator
    budgets                  = local.emulator
    cloudfront               = local.emulator
    cloudwatch               = local.emulator
    ec2                      = local.emulator
    ecr                      = local.emulator
    ecs                      = local.emulator
    efs                      = local.emulator
    elbv2                    = local.emulator
    events                   = local.emulator
    iam                      = local.emulator
    kms                      = local.emulator
    lambda                   = local.emulator
    logs                     = local.emulator
    rds                      = local.emulator
    resourcegroupstaggingapi = local.emulator
    s3                       = local.emulator
    scheduler                = local.emulator
    secretsmanager           = local.emulator
    sns                      = local.emulator
    ssm                      = local.emulator
    sts                      = local.emulator
    wafv2                    = local.emulator
  }
}

# The edge tier's resources (CloudFront's web ACL, its log group and key), the edge alarms and their topic.
provider "aws" {
  alias                       = "us_east_1"
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  default_tags {
    tags = local.tags
  }

  endpoints {
    acm        = local.emulator
    budgets    = local.emulator
    cloudfront = local.emulator
    cloudwatch = local.emulator
    iam        = local.emulator
    kms        = local.emulator
    logs       = local.emulator
    sns        = local.emulator
    sts        = local.emulator
    wafv2      = local.emulator
  }
}
