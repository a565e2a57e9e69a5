"""Unit tests of plugins/module_utils/schedule.py (split out of tests/unit/test_scheduled_scaling.py)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule

HOURS = schedule.business_hours("07:00", "20:00", "MON-FRI")


ACTIONS = [
    {"name": "s-hours-up", "schedule": HOURS["up"], "timezone": "Europe/Paris", "min_capacity": 1, "max_capacity": 2},
    {
        "name": "s-hours-down",
        "schedule": HOURS["down"],
        "timezone": "Europe/Paris",
        "min_capacity": 0,
        "max_capacity": 0,
    },
]


@pytest.mark.parametrize(
    "utc, holding",
    [
        ("2026-11-28T12:00:00", "s-hours-down"),  # Saturday noon: Friday evening's down holds
        ("2026-11-30T05:59:00", "s-hours-down"),  # Monday 06:59 in Paris
        ("2026-11-30T06:00:00", "s-hours-up"),  # Monday 07:00 in Paris
        ("2026-11-30T18:59:00", "s-hours-up"),  # Monday 19:59 in Paris
        ("2026-07-06T18:30:00", "s-hours-down"),  # a summer Monday 20:30 in Paris (UTC+2)
    ],
)
def test_the_action_that_fired_last_holds(utc, holding):
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert schedule.effective(ACTIONS, now)["name"] == holding


@pytest.mark.parametrize(
    "start, end, days, message",
    [
        ("7am", "20:00", "MON-FRI", "start '7am' is not a time of day"),
        ("20:00", "07:00", "MON-FRI", "start 20:00 must be before end 07:00"),
        ("07:00", "20:00", "MON-FUN", "is not a range of days"),
        ("07:00", "24:00", "MON-FRI", "end '24:00' is not a time of day"),
    ],
)
def test_business_hours_errors(start, end, days, message):
    errors = schedule.business_hours_errors(start, end, days)
    assert len(errors) == 1 and message in errors[0], errors


def test_other_schedule_forms_are_not_guessed():
    assert schedule.effective([{**ACTIONS[0], "schedule": "rate(1 hour)"}], datetime.now(UTC)) is None
    with pytest.raises(ValueError, match="not an IANA time zone"):
        schedule.zone("Europe/Atlantis")
