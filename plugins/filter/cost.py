# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the cost tier: business hours turned into scheduled actions; the cost report written.

The cost tier's input rules and its cost plan are in plugins/module_utils/tiers/cost_guard.py (filters in tiers.py).
"""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost_report
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule


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


def _cost_guard_db_schedules(hours, lead_minutes):
    """The database's stop (at the end of business hours) and start (``lead_minutes`` before they begin) crons."""
    hours = dict(hours)
    start_h, start_m = (int(x) for x in str(hours["start"]).split(":"))
    early = (start_h * 60 + start_m - int(lead_minutes)) % (24 * 60)
    crons = schedule.business_hours(f"{early // 60:02d}:{early % 60:02d}", str(hours["end"]), str(hours["days"]))
    return {"start": crons["up"], "stop": crons["down"]}


def _cost_report_markdown(report, estimate=None):
    """cost_report_info's report as Markdown, the estimate (cost_estimate's) beside it."""
    return cost_report.markdown(dict(report), dict(estimate) if estimate else None)


def _cost_report_csv(report, estimate=None):
    """cost_report_info's report as CSV, one row per figure."""
    return cost_report.csv_text(dict(report), dict(estimate) if estimate else None)


class FilterModule:
    def filters(self):
        return {
            "cost_guard_scheduled_actions": _cost_guard_scheduled_actions,
            "cost_guard_db_schedules": _cost_guard_db_schedules,
            "cost_report_markdown": _cost_report_markdown,
            "cost_report_csv": _cost_report_csv,
        }
