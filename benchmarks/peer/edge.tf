# Edge tier (roles/cloudfront_waf): the us-east-1 key and WAF log group, the CloudFront web ACL and its logging,
# and the distribution in front of the ALB (CloudFront's own domain and certificate: no domain name locally).

resource "aws_kms_key" "edge" {
  provider                = aws.us_east_1
  description             = "wordpress_aws ${local.stack}: encrypts the CloudFront WAF logs in us-east-1"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = { "wordpress_aws:kms-alias" = "alias/wordpress-aws/${local.stack}/edge" }
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKeyThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "${local.arn}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheEdgeWafLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.us-east-1.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "${local.arn}:logs:us-east-1:${local.account}:log-group:aws-waf-logs-${local.stack}*" } }
      },
      {
        Sid       = "SnsEncryptsTheEdgeAlertTopic"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:CallerAccount" = local.account, "kms:ViaService" = "sns.us-east-1.amazonaws.com" } }
      },
      {
        Sid       = "CloudWatchAlarmsPublishToTheEdgeAlertTopic"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          ArnLike      = { "aws:SourceArn" = "${local.arn}:cloudwatch:us-east-1:${local.account}:alarm:*" }
          StringEquals = { "aws:SourceAccount" = local.account }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "edge" {
  provider      = aws.us_east_1
  name          = "alias/wordpress-aws/${local.stack}/edge"
  target_key_id = aws_kms_key.edge.key_id
}

resource "aws_cloudwatch_log_group" "edge_waf" {
  provider          = aws.us_east_1
  name              = "aws-waf-logs-${local.stack}-edge"
  kms_key_id        = aws_kms_key.edge.arn
  retention_in_days = 14
}

resource "aws_wafv2_web_acl" "edge" {
  provider    = aws.us_east_1
  name        = "${local.stack}-edge"
  description = "WordPress ${local.stack}: CloudFront"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  # The rules as roles/cloudfront_waf builds them: xmlrpc block, login and global rate limits, the AWS managed rule
  # groups with their body rules counted, and each counted body rule blocked except for logged-in editors.
  rule_json = templatefile("${path.module}/waf_rules.json.tftpl", { stack = local.stack })

  visibility_config {
    sampled_requests_enabled   = true
    cloudwatch_metrics_enabled = true
    metric_name                = "${local.stack}-edge"
  }
}

resource "aws_wafv2_web_acl_logging_configuration" "edge" {
  provider                = aws.us_east_1
  resource_arn            = aws_wafv2_web_acl.edge.arn
  log_destination_configs = [aws_cloudwatch_log_group.edge_waf.arn]

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
}

locals {
  dynamic_headers = ["Host", "Origin", "Referer", "Authorization", "Accept", "Accept-Language", "User-Agent", "X-WP-Nonce", "CloudFront-Forwarded-Proto"]
  all_methods     = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
}

resource "aws_cloudfront_distribution" "site" {
  provider        = aws.us_east_1
  comment         = "wordpress_aws ${local.stack}: WordPress"
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  price_class     = "PriceClass_100"
  web_acl_id      = aws_wafv2_web_acl.edge.arn

  origin {
    origin_id           = "alb"
    domain_name         = aws_lb.main.dns_name
    connection_attempts = 3
    connection_timeout  = 10

    custom_header {
      name  = "X-Origin-Verify"
      value = local.origin_verify
    }

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "http-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = 30
      origin_keepalive_timeout = 5
    }
  }

  default_cache_behavior {
    target_origin_id       = "alb"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.all_methods
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    min_ttl                = 0
    default_ttl            = 300
    max_ttl                = 900

    forwarded_values {
      query_string = true
      headers      = ["Host", "CloudFront-Forwarded-Proto"]
      cookies {
        forward           = "whitelist"
        whitelisted_names = ["wordpress_logged_in_*", "wp-postpass_*", "comment_author_*"]
      }
    }
  }

  # Dynamic paths: never cached, everything forwarded.
  dynamic "ordered_cache_behavior" {
    for_each = ["wp-admin/*", "wp-login.php", "wp-json/*", "wp-cron.php", "xmlrpc.php"]
    content {
      path_pattern           = ordered_cache_behavior.value
      target_origin_id       = "alb"
      viewer_protocol_policy = "redirect-to-https"
      allowed_methods        = local.all_methods
      cached_methods         = ["GET", "HEAD"]
      compress               = true
      min_ttl                = 0
      default_ttl            = 0
      max_ttl                = 0

      forwarded_values {
        query_string = true
        headers      = local.dynamic_headers
        cookies {
          forward = "all"
        }
      }
    }
  }

  # Static assets: a week by default, a year at most, no cookies.
  dynamic "ordered_cache_behavior" {
    for_each = ["wp-content/*", "wp-includes/*"]
    content {
      path_pattern           = ordered_cache_behavior.value
      target_origin_id       = "alb"
      viewer_protocol_policy = "redirect-to-https"
      allowed_methods        = ["GET", "HEAD"]
      cached_methods         = ["GET", "HEAD"]
      compress               = true
      min_ttl                = 0
      default_ttl            = 604800
      max_ttl                = 31536000

      forwarded_values {
        query_string = true
        headers      = ["Host"]
        cookies {
          forward = "none"
        }
      }
    }
  }

  dynamic "custom_error_response" {
    for_each = [500, 502, 503, 504]
    content {
      error_code            = custom_error_response.value
      error_caching_min_ttl = 10
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
    ssl_support_method             = "sni-only"
  }
}
