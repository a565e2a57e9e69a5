"""Business hours: cron evaluation in a time zone, ecs_scheduled_scaling against moto, and ecs_autoscaling keeping
the capacity the schedule holds (a converge at night does not scale the service back up)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_autoscaling
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_scheduled_scaling

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


class FixedTime(datetime):
    moment = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # a Saturday

    @classmethod
    def now(cls, tz=None):
        return cls.moment.astimezone(tz) if tz else cls.moment


def test_schedule_is_applied_kept_by_autoscaling_and_removed(run_module, monkeypatch, aws):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="s")
    family = ecs.register_task_definition(
        family="s-wordpress", containerDefinitions=[{"name": "wordpress", "image": "wordpress:6.8.3", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(cluster="s", serviceName="s-wordpress", taskDefinition=family, desiredCount=1)
    monkeypatch.setattr(ecs_scheduled_scaling, "datetime", FixedTime)
    monkeypatch.setattr(ecs_autoscaling, "datetime", FixedTime)
    scaling = {"cluster": "s", "service": "s-wordpress", "min_capacity": 1, "max_capacity": 2}
    assert run_module(ecs_autoscaling, scaling)["changed"] is True
    args = {"cluster": "s", "service": "s-wordpress", "prefix": "s-hours-", "actions": ACTIONS}
    check = run_module(ecs_scheduled_scaling, args, check_mode=True)
    assert check["changes"] == [
        "created s-hours-down",
        "created s-hours-up",
        "applied s-hours-down: 0-0 tasks until the next action",
    ]
    first = run_module(ecs_scheduled_scaling, args)
    assert first["changes"] == check["changes"] and first["holding"] == "s-hours-down"
    client = aws("application-autoscaling")
    stored = client.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]
    assert sorted((a["ScheduledActionName"], a["Schedule"], a.get("Timezone")) for a in stored) == [
        ("s-hours-down", "cron(0 20 ? * MON-FRI *)", "Europe/Paris"),
        ("s-hours-up", "cron(0 7 ? * MON-FRI *)", "Europe/Paris"),
    ]
    # The application tier's converge on a Saturday keeps 0 tasks, and neither module changes anything again.
    assert run_module(ecs_autoscaling, scaling)["changed"] is False
    assert run_module(ecs_scheduled_scaling, args)["changed"] is False
    target = client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (0, 0)
    # Monday 09:00 in Paris: the morning action holds.
    monkeypatch.setattr(FixedTime, "moment", datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert run_module(ecs_autoscaling, scaling)["changed"] is True
    assert run_module(ecs_scheduled_scaling, args)["changed"] is False
    gone = run_module(ecs_scheduled_scaling, {**args, "state": "absent"})
    assert gone["changes"] == ["deleted s-hours-down", "deleted s-hours-up"]
    assert client.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"] == []


def test_bad_actions_are_refused(aws, run_module):
    bad = {**ACTIONS[0], "schedule": "cron(0 25 ? * MON-FRI *)"}
    result = run_module(
        ecs_scheduled_scaling, {"cluster": "s", "service": "s-wordpress", "prefix": "s-hours-", "actions": [bad]}
    )
    assert result["failed"] and "names no valid time of day" in result["msg"]


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
