"""Unit tests of the ecs_autoscaling module (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

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
    assert run_module(ecs_autoscaling, {"cluster": "s", "service": "s-wordpress", "state": "absent"})["changed"] is True
    assert client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
