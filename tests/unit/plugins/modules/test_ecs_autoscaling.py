"""Unit tests of the ecs_autoscaling module (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_service

from .test_ecs_service import svc_args


def test_autoscaling_target_and_policies(service_env, run_module):
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_autoscaling

    env = service_env
    run_module(ecs_service, svc_args(env, keep_desired_count=True))
    label = "app/s-alb/0123456789abcdef/targetgroup/s-tg/0123456789abcdef"
    args = {
        "cluster": "s",
        "service": "s-wordpress",
        "min_capacity": 1,
        "max_capacity": 4,
        "policies": [
            {"name": "cpu", "metric": "ECSServiceAverageCPUUtilization", "target_value": 60},
            {"name": "requests", "metric": "ALBRequestCountPerTarget", "resource_label": label, "target_value": 1000},
        ],
        "tags": {"wordpress_aws:stack": "s"},
    }
    client = __import__("boto3").client("application-autoscaling", region_name="eu-west-3")
    assert run_module(ecs_autoscaling, args, check_mode=True)["changed"] is True
    assert client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    created = run_module(ecs_autoscaling, args)
    assert created["changed"] is True
    assert created["changes"] == ["created", "created policy cpu", "created policy requests"]
    target = client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 4)
    pols = {p["PolicyName"]: p for p in client.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]}
    cfg = pols["cpu"]["TargetTrackingScalingPolicyConfiguration"]
    assert cfg["ScaleInCooldown"] > cfg["ScaleOutCooldown"]
    assert (
        pols["requests"]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["ResourceLabel"]
        == label
    )
    assert run_module(ecs_autoscaling, args)["changed"] is False
    fewer = run_module(ecs_autoscaling, {**args, "max_capacity": 8, "policies": args["policies"][:1]})
    assert fewer["changed"] is True and [p["policy_name"] for p in fewer["policies"]] == ["cpu"]
    assert fewer["changes"] == ["capacity 1-8", "deleted policy requests"]
    assert (
        "resource_label"
        in run_module(
            ecs_autoscaling,
            {**args, "policies": [{"name": "r", "metric": "ALBRequestCountPerTarget", "target_value": 5}]},
        )["msg"]
    )
    alarms = __import__("boto3").client("cloudwatch", region_name="eu-west-3")
    assert [a for a in alarms.describe_alarms()["MetricAlarms"] if a["AlarmName"].startswith("TargetTracking-")]
    absent = {"cluster": "s", "service": "s-wordpress", "state": "absent"}
    assert run_module(ecs_autoscaling, absent, check_mode=True)["changes"] == ["deleted policy cpu", "deleted"]
    assert client.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
    removed = run_module(ecs_autoscaling, absent)
    assert removed["changed"] is True and removed["changes"] == ["deleted policy cpu", "deleted"]
    assert client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    # nothing of the target is left: its policies and the alarms target tracking made for them
    assert client.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"] == []
    assert [a for a in alarms.describe_alarms()["MetricAlarms"] if a["AlarmName"].startswith("TargetTracking-")] == []
    assert run_module(ecs_autoscaling, absent)["changed"] is False


# Europe/Paris, 2026-12-01 is a Tuesday (UTC+1): the service scales down at 20:00 and up at 07:00 on weekdays.
NIGHT = {"name": "s-night", "schedule": "cron(0 20 ? * MON-FRI *)", "capacity": (1, 1)}
MORNING = {"name": "s-morning", "schedule": "cron(0 7 ? * MON-FRI *)", "capacity": (1, 4)}
CLOCK = [
    "2026-12-01T18:59:00+00:00",  # 19:59 Paris, before the night action
    "2026-12-01T19:45:00+00:00",  # 20:45 Paris, after it (the emulator never fires it; on AWS it may be late)
    "2026-12-02T05:59:00+00:00",  # 06:59 Paris, before the morning action
    "2026-12-02T06:30:00+00:00",  # 07:30 Paris, after it
    "2026-12-05T12:00:00+00:00",  # Saturday
]


@pytest.mark.parametrize("now", CLOCK)
@pytest.mark.parametrize("live", [(1, 4), (1, 1)])
def test_scheduled_actions_own_the_capacity_at_any_hour(service_env, run_module, monkeypatch, now, live):
    """A re-run at any hour reports changed=0 once business-hours actions exist, whatever they left in place."""
    from datetime import datetime

    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_autoscaling

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.fromisoformat(now).astimezone(tz)

    monkeypatch.setattr(ecs_autoscaling, "datetime", Clock, raising=False)
    run_module(ecs_service, svc_args(service_env, keep_desired_count=True))
    args = {"cluster": "s", "service": "s-wordpress", "min_capacity": 1, "max_capacity": 4}
    assert run_module(ecs_autoscaling, args)["changes"] == ["created"]
    client = __import__("boto3").client("application-autoscaling", region_name="eu-west-3")
    for action in (NIGHT, MORNING):
        client.put_scheduled_action(
            ServiceNamespace="ecs",
            ResourceId="service/s/s-wordpress",
            ScalableDimension="ecs:service:DesiredCount",
            ScheduledActionName=action["name"],
            Schedule=action["schedule"],
            Timezone="Europe/Paris",
            ScalableTargetAction={"MinCapacity": action["capacity"][0], "MaxCapacity": action["capacity"][1]},
        )
    # Whatever the last action (or none) left on the target, at whatever hour: the converge leaves it alone.
    client.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId="service/s/s-wordpress",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=live[0],
        MaxCapacity=live[1],
    )
    again = run_module(ecs_autoscaling, args)
    assert again["changed"] is False and again["changes"] == []
    assert again["capacity_owner"] == "scheduled actions"
    target = client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]
    assert (target["MinCapacity"], target["MaxCapacity"]) == live
