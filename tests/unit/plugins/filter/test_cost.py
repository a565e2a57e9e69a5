"""Unit tests of plugins/filter/cost.py (split out of tests/unit/test_scheduled_scaling.py)."""

from __future__ import annotations


def test_database_starts_before_business_hours_and_stops_at_their_end():
    from ansible_collections.techblogpro.wordpress_aws.plugins.filter.cost import FilterModule

    crons = FilterModule().filters()["cost_guard_db_schedules"](
        {"start": "07:00", "end": "20:00", "days": "MON-FRI"}, 30
    )
    assert crons == {"start": "cron(30 6 ? * MON-FRI *)", "stop": "cron(0 20 ? * MON-FRI *)"}
    early = FilterModule().filters()["cost_guard_db_schedules"](
        {"start": "00:10", "end": "20:00", "days": "MON-FRI"}, 0
    )
    assert early["start"] == "cron(10 0 ? * MON-FRI *)"
