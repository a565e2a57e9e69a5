# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cost tier: its per-environment profile, input rules, derived values, and the cost plan.

The cost plan is what ``cost_estimate`` prices. It is built from the tier plans every tier's validate entry point
publishes in ``wordpress_aws_tier_plans`` (never from another role's variables, never from a copied default), so
``site.yml --tags cost_guard`` prices exactly what the full play prices; a tier whose plan is missing, or whose
inputs are wrong, stops the estimate with a message naming it.
"""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import cloudfront_waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import ecs_wordpress
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import foundation
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import vpc
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import number
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import positive_decimal
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import whole_number

TIER = "cost_guard"
LABEL = "the cost tier (cost_guard)"
PROFILES = {
    "local": {"max_monthly_usd": 250, "uploads_gb": 5, "log_gb": 2, "nat_gb": 10, "anomaly_threshold_usd": 10},
    "dev": {"max_monthly_usd": 250, "uploads_gb": 5, "log_gb": 2, "nat_gb": 10, "anomaly_threshold_usd": 10},
    "staging": {"max_monthly_usd": 600, "uploads_gb": 20, "log_gb": 5, "nat_gb": 20, "anomaly_threshold_usd": 25},
    "production": {
        "max_monthly_usd": 2500,
        "uploads_gb": 100,
        "log_gb": 30,
        "nat_gb": 60,
        "anomaly_threshold_usd": 100,
    },
}
NOTIFICATION_TYPES = ("ACTUAL", "FORECASTED")
# The tiers whose plans the cost plan reads, in the order site.yml builds them (and this tier's own).
PRICED_TIERS = (foundation, vpc, rds, ecs_wordpress, cloudfront_waf, monitoring)
PLANNED = (*((tier.TIER, tier.LABEL) for tier in PRICED_TIERS), (TIER, LABEL))
# The plan the business-hours schedule reads: the day's capacity is the application tier's.
SCHEDULED = ((ecs_wordpress.TIER, ecs_wordpress.LABEL),)


def errors(inputs: dict) -> list[str]:
    """Errors in the cost tier's inputs, each naming its variable.

    inputs: environment, budget_usd, anomaly_threshold_usd, budget_notifications, schedule_enabled,
    business_hours, timezone.
    """
    out = []
    for name in ("budget_usd", "anomaly_threshold_usd"):
        value = inputs.get(name)
        if not positive_decimal(value):
            out.append(f"cost_guard_{name} {value} must be a number above 0")
    notifications = inputs.get("budget_notifications") or []
    for notification in notifications:
        if notification.get("type") not in NOTIFICATION_TYPES:
            out.append(f"cost_guard_budget_notifications type {notification.get('type')} must be ACTUAL or FORECASTED")
    for notification in notifications:
        threshold = number(notification.get("threshold_percent"))
        if threshold is None or threshold <= 0:
            out.append(
                f"cost_guard_budget_notifications threshold_percent {notification.get('threshold_percent')} "
                "must be above 0"
            )
    spot = inputs.get("spot_share_percent")
    if spot not in (None, "") and number(spot) is None:
        out.append(f"cost_guard_spot_share_percent {spot!r} must be a number between 0 and 100 (or empty)")
    if inputs.get("schedule_enabled"):
        hours = dict(inputs.get("business_hours") or {})
        out.extend(
            schedule.business_hours_errors(
                str(hours.get("start", "")), str(hours.get("end", "")), str(hours.get("days", ""))
            )
        )
        try:
            schedule.zone(str(inputs.get("timezone")))
        except ValueError as err:
            out.append(f"cost_guard_timezone: {err}")
        if inputs.get("environment") == "production":
            out.append("cost_guard_schedule_enabled: a production service is never scaled to zero on a schedule")
    return out


def derive(inputs: dict) -> dict:
    spot = inputs.get("spot_share_percent")
    if spot not in (None, ""):
        # as written (120, not 120.0): cost_estimate's messages quote it
        spot = whole_number(spot) if whole_number(spot) is not None else float(spot)
    return {
        "schedule_enabled": bool(inputs.get("schedule_enabled")),
        # the DB stop/start Lambda, deployed with the business-hours schedule
        "lambda_functions": 1 if inputs.get("schedule_enabled") else 0,
        "nat_gb": float(inputs.get("nat_gb") or 0),
        "uploads_gb": float(inputs.get("uploads_gb") or 0),
        "log_gb": float(inputs.get("log_gb") or 0),
        "spot_share_percent": None if spot in (None, "") else spot,
    }


def plan_errors(plans: dict, needed=PLANNED, reader: str = "the cost plan", verb: str = "price") -> list[str]:
    """What keeps ``reader`` (the cost plan, unless told) from being built: each of the ``needed`` (tier, label) whose
    plan is missing or whose inputs are wrong."""
    out = []
    for name, label in needed:
        plan = (plans or {}).get(name)
        if plan is None:
            out.append(
                f"{reader} lacks {label}: its validation did not run, so nothing says what it builds "
                f"(run playbooks/validate.yml or site.yml without skipping the tag {name})"
            )
        elif plan.get("errors"):
            out.append(f"{reader} cannot {verb} {label}, its inputs are wrong: {'; '.join(plan['errors'])}")
    return out


def day_capacity(plans: dict) -> dict:
    """The capacity the business-hours schedule restores each morning: the application tier's floor and ceiling.

    Raises ValueError naming the application tier when its plan is missing or wrong (never a guessed capacity).
    """
    found = plan_errors(plans, SCHEDULED, "the business-hours schedule", "scale")
    if found:
        raise ValueError("; ".join(found))
    app = plans[ecs_wordpress.TIER]
    return {"min_count": app["min_count"], "max_count": app["max_count"]}


def cost_config(plans: dict) -> dict:
    """The configuration cost_estimate prices, from the tier plans only (call plan_errors() first)."""
    net, db, app = plans["vpc"], plans["rds"], plans["ecs_wordpress"]
    edge, own = plans["cloudfront_waf"], plans["cost_guard"]
    return {
        "nat_gateways": net["nat_gateways"],
        "nat_gb": own["nat_gb"],
        "interface_endpoints": net["interface_endpoints"],
        "fargate_tasks": app["desired_count"],
        "fargate_vcpu": app["vcpu"],
        "fargate_memory_gb": app["memory_gb"],
        "ondemand_base": app["ondemand_base"],
        "ondemand_weight": app["ondemand_weight"],
        "spot_weight": app["spot_weight"],
        "spot_share_percent": own["spot_share_percent"],
        "rds_class": db["instance_class"],
        "rds_multi_az": db["multi_az"],
        "rds_replica": db["replica"],
        "rds_storage_gb": float(db["storage_gib"]),
        "rds_backup_retention_days": db["backup_retention_days"],
        "efs_gb": own["uploads_gb"],
        "price_class": edge["price_class"],
        "waf_rules": edge["waf_rules"],
        "kms_keys": sum(int(plans[tier.TIER].get("kms_keys") or 0) for tier in PRICED_TIERS),
        "secrets": sum(int(plans[tier.TIER].get("secrets") or 0) for tier in PRICED_TIERS),
        "alarms": monitoring.alarm_count(plans),
        "dashboards": plans["monitoring"]["dashboards"],
        "log_gb": own["log_gb"],
    }
