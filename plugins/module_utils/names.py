# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every name the stack derives from its stack name, in one place.

Roles read these through the filter ``techblogpro.wordpress_aws.stack_names`` (the common role exposes the result
as ``wordpress_aws_names``); modules and module_utils import :func:`names`. A role never spells a resource name
itself: renaming a resource is a change here and nowhere else.
"""

from __future__ import annotations

# CloudFront, its WAF scope, its certificates, Cost Explorer and AWS Budgets answer in us-east-1 only.
GLOBAL_REGION = "us-east-1"

# The platform's security groups, in dependency order (a group's rules only name groups before it).
SECURITY_GROUPS = ("lambda", "alb", "app", "efs", "db", "endpoints")


def names(stack: str) -> dict:
    """The derived names of stack ``stack`` (resource names, aliases, prefixes, paths, the global region).

    Keys are stable; values are plain strings except ``security_groups`` (role -> group name).
    """
    s = str(stack)
    log_prefix = f"/wordpress-aws/{s}/"
    return {
        "stack": s,
        "global_region": GLOBAL_REGION,
        # identity and encryption
        "iam_path": log_prefix,
        "kms_alias": f"alias/wordpress-aws/{s}",
        "edge_kms_alias": f"alias/wordpress-aws/{s}/edge",
        # foundation
        "alert_topic": f"{s}-alerts",
        "edge_alert_topic": f"{s}-alerts-edge",
        "backup_vault": f"{s}-vault",
        "backup_plan": f"{s}-daily",
        "backup_selection": f"{s}-tagged",
        "backup_role": f"{s}-backup",
        # network
        "vpc": f"{s}-vpc",
        "nat_prefix": f"{s}-nat-",
        "flow_logs_group": f"{log_prefix}vpc-flow-logs",
        "flow_logs_role": f"{s}-vpc-flow-logs",
        "security_groups": {role: f"{s}-{role}" for role in SECURITY_GROUPS},
        # data
        "db_instance": f"{s}-db",
        "db_replica": f"{s}-db-replica",
        "db_subnet_group": f"{s}-data",
        "db_parameter_group": f"{s}-mysql84",
        "db_monitoring_role": f"{s}-rds-monitoring",
        "db_bootstrap_lambda": f"{s}-db-bootstrap",
        "db_rotation_lambda": f"{s}-db-rotation",
        "app_secret": f"{s}/db/app",
        "salts_secret": f"{s}/wordpress/salts",
        "origin_secret": f"{s}/cloudfront/origin-verify",
        # application
        "cluster": s,
        "service": f"{s}-wordpress",
        "alb": f"{s}-alb",
        "target_group": f"{s}-wordpress",
        "uploads": f"{s}-uploads",
        "access_point": f"{s}-wp-content",
        "log_group_prefix": log_prefix,
        "app_log_group": f"{log_prefix}wordpress",
        "execution_role": f"{s}-ecs-execution",
        "task_role": f"{s}-ecs-task",
        "redeploy_lambda": f"{s}-redeploy",
        "rotated_rule": f"{s}-db-rotated",
        "alb_log_bucket_prefix": f"{s}-alb-logs-",
        "lambda_prefix": f"{s}-",
        "build_dir_name": f"wordpress_aws-{s}",
        # the ECR pull-through cache rule of ECR Public: cached repositories are <prefix>/<upstream path>
        "ecr_cache_prefix": f"{s}-public",
        # edge
        "edge_acl": f"{s}-edge",
        "regional_acl": f"{s}-alb",
        "admin_ip_set": f"{s}-admins",
        "headers_policy": f"{s}-security-headers",
        "edge_waf_log_group": f"aws-waf-logs-{s}-edge",
        "regional_waf_log_group": f"aws-waf-logs-{s}-alb",
        "waf_log_group_prefix": f"aws-waf-logs-{s}",
        "caller_reference": f"wordpress-aws-{s}",
        "edge_certificate": f"{s}-edge",
        "alb_certificate": f"{s}-alb",
        # monitoring
        "alarm_prefix": f"{s}/",
        "site_down_alarm": f"{s}/site-down",
        "db_events": f"{s}-db-events",
        "deploy_rule": f"{s}-ecs-deployment-failed",
        "query_prefix": f"wordpress-aws/{s}/",
        "dashboard": s,
        # cost
        "budget": s,
        "anomaly_monitor": s,
        "schedule_prefix": f"{s}-business-hours-",
        "db_schedule_prefix": f"{s}-db-",
        "db_scheduler_lambda": f"{s}-db-scheduler",
        "scheduler_role": f"{s}-scheduler",
        "cost_report_prefix": f"{s}-cost-",
    }
