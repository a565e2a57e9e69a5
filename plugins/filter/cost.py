# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the cost tier: business hours checked and turned into scheduled actions."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule


def _cost_guard_schedule_errors(hours, timezone):
    hours = dict(hours or {})
    errors = schedule.business_hours_errors(
        str(hours.get("start", "")), str(hours.get("end", "")), str(hours.get("days", ""))
    )
    try:
        schedule.zone(str(timezone))
    except ValueError as err:
        errors.append(f"cost_guard_timezone: {err}")
    return errors


def _cost_guard_scheduled_actions(hours, timezone, prefix, day_min, day_max):
    """The two actions of business hours: the day's capacity in the morning, none in the evening."""
    hours = dict(hours)
    crons = schedule.business_hours(str(hours["start"]), str(hours["end"]), str(hours["days"]))
    return [
        {
            "name": f"{prefix}up",
            "schedule": crons["up"],
            "timezone": str(timezone),
            "min_capacity": int(day_min),
            "max_capacity": int(day_max),
        },
        {
            "name": f"{prefix}down",
            "schedule": crons["down"],
            "timezone": str(timezone),
            "min_capacity": 0,
            "max_capacity": 0,
        },
    ]


class FilterModule:
    def filters(self):
        return {
            "cost_guard_schedule_errors": _cost_guard_schedule_errors,
            "cost_guard_scheduled_actions": _cost_guard_scheduled_actions,
        }
