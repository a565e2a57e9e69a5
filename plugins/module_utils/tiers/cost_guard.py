# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cost tier: its per-environment profile, input rules, derived values, and the cost plan.

The cost plan is what ``cost_estimate`` prices. It is built from the tier plans every tier's validate entry point
publishes in ``wordpress_aws_tier_plans`` (never from another role's variables, never from a copied default), so
``site.yml --tags cost_guard`` prices exactly what the full play prices; a tier whose plan is missing, or whose
inputs are wrong, stops the estimate with a message naming it.
"""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta
from datetime import timezone as _tz

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


# Two reference weeks (winter and summer time) in which a UTC window is placed to see it in the business-hours zone.
_UTC = _tz.utc  # noqa: UP017 (module_utils also run on older Pythons)
_REFERENCE_MONDAYS = (datetime(2026, 1, 5, tzinfo=_UTC), datetime(2026, 7, 6, tzinfo=_UTC))
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Secrets Manager's cron(min hour day-of-month month day-of-week year), in UTC.
_SM_CRON_RE = re.compile(r"^cron\((\d{1,2}) (\d{1,2}) (\S+) (\S+) (\S+) (\S+)\)$")
_DURATION_RE = re.compile(r"^([1-9]\d?)h$")


def _minutes(hhmm: str) -> int:
    hours, minutes = str(hhmm).split(":")
    return int(hours) * 60 + int(minutes)


def _inside(start: datetime, end: datetime, zone, days: set, first: int, last: int) -> bool:
    """Whether the UTC span [start, end] falls, in ``zone``, on one of ``days`` between minutes ``first``, ``last``."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() != local_end.date() or local_start.weekday() not in days:
        return False
    return first <= local_start.hour * 60 + local_start.minute and local_end.hour * 60 + local_end.minute <= last


def _weekly(weekday: int, minute_of_day: int, length: int, zone, days, first, last) -> bool:
    """A weekly UTC window (weekday, start minute, length) inside running hours in both reference weeks."""
    for monday in _REFERENCE_MONDAYS:
        start = monday + timedelta(days=weekday, minutes=minute_of_day)
        if not _inside(start, start + timedelta(minutes=length), zone, days, first, last):
            return False
    return True


def db_hours_errors(db: dict, hours: dict, timezone: str, lead_minutes) -> list[str]:
    """The data tier's backup, maintenance and rotation windows (UTC) against the hours the DB scheduler keeps a
    non-production DB running: business days, from ``lead_minutes`` before business hours start until they end, in
    ``timezone``. A stopped DB takes no automated backup, is not maintained and cannot be rotated (the rotation
    fails and Secrets Manager retries only at the next window). Checked in winter and summer time."""
    zone = schedule.zone(timezone)
    days = schedule.parse_days(str(hours.get("days")))
    first = _minutes(hours["start"]) - int(lead_minutes or 0)
    last = _minutes(hours["end"])
    where = (
        f"inside the hours the DB runs (cost_guard_business_hours {hours['start']}-{hours['end']} {hours['days']} "
        f"{timezone}, started cost_guard_db_start_lead_minutes {lead_minutes} early; the DB scheduler stops it "
        "otherwise), given in UTC"
    )
    out = []
    backup = str(db.get("backup_window", ""))
    if backup:
        begin, end = backup.split("-")
        length = (_minutes(end) - _minutes(begin)) % (24 * 60)
        # daily: it must hold on every day the DB runs (on the other days the DB is stopped and takes no backup)
        running = [d for d in range(7) if d in days]
        if not running or not all(_weekly(d, _minutes(begin), length, zone, days, first, last) for d in running):
            out.append(f"rds_backup_window {backup} must fall {where}")
    maintenance = str(db.get("maintenance_window", ""))
    if maintenance:
        begin, end = maintenance.split("-")
        day, start_hm = _WEEKDAYS.index(begin[:3]), begin[4:]
        end_day, end_hm = _WEEKDAYS.index(end[:3]), end[4:]
        length = ((end_day - day) % 7) * 24 * 60 + _minutes(end_hm) - _minutes(start_hm)
        if not _weekly(day, _minutes(start_hm), length, zone, days, first, last):
            out.append(f"rds_maintenance_window {maintenance} must fall on a business day {where}")
    rotation = str(db.get("rotation_schedule", ""))
    if rotation:
        out.extend(_rotation_errors(rotation, str(db.get("rotation_window", "")), zone, days, first, last, where))
    return out


def _rotation_errors(rotation: str, window: str, zone, days, first, last, where) -> list[str]:
    match = _SM_CRON_RE.match(rotation)
    if not match:
        # rate(N days): Secrets Manager's window opens at midnight UTC and lasts the whole day
        return [
            f"wordpress_aws_db_rotation_schedule {rotation}: a rate() rotates any time of the UTC day; with the DB "
            "scheduler on it must be cron(M H ? * DAY *) on a business day, with wordpress_aws_db_rotation_window, "
            f"{where}"
        ]
    minute, hour, dom, _month, dow, _year = match.groups()
    duration = _DURATION_RE.match(window)
    if not duration:
        return [
            f"wordpress_aws_db_rotation_window {window!r} must be a number of hours such as 2h: without it "
            f"Secrets Manager's window lasts until the end of the UTC day, past the hours the DB runs"
        ]
    try:
        rotation_days = schedule.parse_days(re.sub(r"#\d$", "", dow).upper()) if dom == "?" else set(range(7))
    except ValueError:
        rotation_days = set(range(7))
    length = int(duration.group(1)) * 60
    start = int(hour) * 60 + int(minute)
    if not all(_weekly(d, start, length, zone, days, first, last) for d in rotation_days):
        return [
            f"wordpress_aws_db_rotation_schedule {rotation} with wordpress_aws_db_rotation_window {window} must "
            f"fall on business days (a day-of-week cron) {where}"
        ]
    return []


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
        db = inputs.get("db")
        if not out and isinstance(db, dict) and not db.get("errors"):
            # a cross-tier rule: the data tier's windows against this tier's DB schedule (the data tier's plan)
            out.extend(db_hours_errors(db, hours, str(inputs.get("timezone")), inputs.get("db_start_lead_minutes")))
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
        # RDS Extended Support (accepted with rds_allow_extended_support) is billed per vCPU-hour of each instance
        "rds_extended_support": bool(db.get("extended_support")),
        "rds_vcpus": db["vcpus"],
        "rds_replica_vcpus": db["replica_vcpus"],
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
        "cloudfront_additional_metrics": bool(edge.get("additional_metrics")),
        "ecr_cached_image_gb": float(app.get("cached_image_gb") or 0),
        "waf_rules": edge["waf_rules"],
        "kms_keys": sum(int(plans[tier.TIER].get("kms_keys") or 0) for tier in PRICED_TIERS),
        "secrets": sum(int(plans[tier.TIER].get("secrets") or 0) for tier in PRICED_TIERS),
        "alarms": monitoring.alarm_count(plans),
        "dashboards": plans["monitoring"]["dashboards"],
        "log_gb": own["log_gb"],
    }
