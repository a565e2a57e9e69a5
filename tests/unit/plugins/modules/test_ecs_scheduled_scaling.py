"""Unit tests of the ecs_scheduled_scaling module (split out of tests/unit/test_scheduled_scaling.py)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_autoscaling
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_scheduled_scaling

from ..module_utils.test_schedule import ACTIONS


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
    # Monday 09:00 in Paris: the morning action is AWS's to fire; the converge does not race it (issue 21, 13).
    monkeypatch.setattr(FixedTime, "moment", datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert run_module(ecs_autoscaling, scaling)["changed"] is False
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
