# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitoring tier: its per-environment profile, input rules (thresholds, receivers, tiers, retention) and
derived values (the tiers it watches, how many alarms and dashboards the planned stack gets)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.logs import RETENTION_DAYS
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import EMAIL_RE
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import is_email

TIER = "monitoring"
LABEL = "the monitoring tier (monitoring)"
# The tiers monitoring_tiers may name (each alarm is tagged with one).
TIERS = ("edge", "load_balancer", "service", "database", "storage", "functions", "logs")
PROFILES = {
    "local": {"log_retention_days": 7},
    "dev": {"log_retention_days": 7},
    "staging": {"log_retention_days": 30},
    "production": {"log_retention_days": 90},
}
DASHBOARDS = 1

# threshold name -> (tier, lowest accepted, highest accepted, what it means)
THRESHOLDS = {
    "alb_5xx_percent": ("load_balancer", 0.1, 100, "percent of requests the ALB itself answers 5xx"),
    "target_5xx_percent": ("load_balancer", 0.1, 100, "percent of requests WordPress answers 5xx"),
    "target_p95_seconds": ("load_balancer", 0.05, 60, "p95 target response time, seconds"),
    "service_cpu_percent": ("service", 1, 100, "average task CPU, percent"),
    "service_memory_percent": ("service", 1, 100, "average task memory, percent"),
    "db_cpu_percent": ("database", 1, 100, "database CPU, percent"),
    "db_free_storage_gib": ("database", 1, 65536, "free database storage, GiB"),
    "db_freeable_memory_mib": ("database", 16, 1048576, "freeable database memory, MiB"),
    "db_connections_percent": ("database", 1, 100, "connections, percent of max_connections"),
    "db_replica_lag_seconds": ("database", 1, 86400, "replica lag, seconds"),
    "db_cpu_credits": ("database", 1, 10000, "CPU credit balance of a burstable (db.t*) class"),
    "efs_io_limit_percent": ("storage", 1, 100, "EFS percent of the I/O limit"),
    "cloudfront_5xx_percent": ("edge", 0.1, 100, "percent of viewer requests answered 5xx"),
    "cloudfront_origin_latency_ms": ("edge", 10, 60000, "origin latency, milliseconds"),
    "waf_blocked_per_5min": ("edge", 1, 100000000, "requests WAF blocks in 5 minutes"),
}


def input_errors(thresholds: dict, emails: list, tiers: list, var_prefix: str = "monitoring_") -> list[str]:
    """Errors in the monitoring inputs, each naming its variable."""
    errors = []
    for name, value in (thresholds or {}).items():
        if name not in THRESHOLDS:
            errors.append(
                f"{var_prefix}thresholds has an unknown entry {name!r} (known: {', '.join(sorted(THRESHOLDS))})"
            )
            continue
        _tier, low, high, meaning = THRESHOLDS[name]
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors.append(f"{var_prefix}thresholds.{name} {value!r} must be a number ({meaning})")
            continue
        if not low <= number <= high:
            errors.append(f"{var_prefix}thresholds.{name} {value} is out of range {low}..{high} ({meaning})")
    for email in emails or []:
        if not is_email(email):
            errors.append(f"{var_prefix}alert_emails entry {email!r} is not an email address")
    for tier in tiers or []:
        if tier not in TIERS:
            errors.append(f"{var_prefix}tiers entry {tier!r} is not a tier (choose from {', '.join(TIERS)})")
    return errors


def errors(inputs: dict) -> list[str]:
    """Errors in the monitoring inputs, each naming its variable.

    inputs: environment, thresholds (the environment's merged with monitoring_thresholds), emails,
    https_endpoints, tiers, retention_days, db_max_connections.
    """
    out = input_errors(inputs.get("thresholds") or {}, inputs.get("emails") or [], inputs.get("tiers"))
    for url in inputs.get("https_endpoints") or []:
        if not str(url).startswith("https://") or len(str(url)) <= len("https://"):
            out.append(f"monitoring_alert_https_endpoints entry {url!r} must be an https:// URL")
    retention = inputs.get("retention_days")
    if retention is not None and str(retention) not in {str(days) for days in RETENTION_DAYS}:
        out.append(
            f"monitoring_log_retention_days {retention} is not a retention CloudWatch Logs accepts "
            f"({', '.join(str(d) for d in RETENTION_DAYS)})"
        )
    max_connections = inputs.get("db_max_connections", 0)
    if not str(max_connections).isdigit():
        out.append(f"monitoring_db_max_connections {max_connections} must be 0 (derive it) or a positive whole number")
    if inputs.get("environment") == "production" and not (inputs.get("emails") or inputs.get("https_endpoints")):
        out.append(
            "a production stack must alert someone: set monitoring_alert_emails or monitoring_alert_https_endpoints"
        )
    return out


def derive(inputs: dict) -> dict:
    return {
        "tiers": list(inputs.get("tiers") or TIERS),
        "dashboards": DASHBOARDS,
        "db_max_connections": int(inputs.get("db_max_connections") or 0),
    }


def alarm_count(plans: dict) -> int:
    """How many alarms monitoring builds for the stack the tier plans describe (alarms.py's table counts them)."""
    rds, ecs = plans.get("rds") or {}, plans.get("ecs_wordpress") or {}
    edge, plan = plans.get("cloudfront_waf") or {}, plans.get("monitoring") or {}
    functions = sum(int((plans.get(tier) or {}).get("lambda_functions") or 0) for tier in plans)
    watched = {
        "load_balancer": bool(ecs),
        "service": bool(ecs),
        "storage": bool(ecs),
        "logs": bool(ecs),
        "database": bool(rds),
        "replica": bool(rds.get("replica")),
        "db_class": rds.get("instance_class", ""),
        "db_max_connections": plan.get("db_max_connections") or rds.get("max_connections", 0),
        "distribution": bool(edge),
        "additional_metrics": bool(edge.get("additional_metrics")),
        "web_acl": bool(edge),
        "functions": functions,
    }
    return alarms.alarm_count(watched, plan.get("tiers"))


__all__ = ["EMAIL_RE", "RETENTION_DAYS", "THRESHOLDS", "TIERS", "alarm_count", "derive", "errors", "input_errors"]
