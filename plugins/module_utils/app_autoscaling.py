# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Application Auto Scaling for an ECS service: the scalable target and its target-tracking policies.

community.aws ``application_autoscaling_policy`` declares check mode but registers targets and writes
policies in check mode, cannot tag the target, and leaves the target behind when a policy is removed.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"

# The options naming the ECS service of ecs_autoscaling and ecs_scheduled_scaling (doc fragment
# techblogpro.wordpress_aws.scalable_service).
SERVICE_OPTIONS = dict(cluster=dict(type="str", required=True), service=dict(type="str", required=True))


def resource_id(cluster: str, service: str) -> str:
    return f"service/{cluster}/{service}"


@AWSRetry.jittered_backoff()
def describe_target(client, rid: str) -> dict | None:
    found = client.describe_scalable_targets(ServiceNamespace=NAMESPACE, ResourceIds=[rid], ScalableDimension=DIMENSION)
    targets = found.get("ScalableTargets", [])
    return targets[0] if targets else None


@AWSRetry.jittered_backoff()
def register_target(client, rid: str, min_capacity: int, max_capacity: int, tags: dict | None) -> None:
    params = {
        "ServiceNamespace": NAMESPACE,
        "ResourceId": rid,
        "ScalableDimension": DIMENSION,
        "MinCapacity": min_capacity,
        "MaxCapacity": max_capacity,
    }
    if tags:
        params["Tags"] = tags
    client.register_scalable_target(**params)


@AWSRetry.jittered_backoff()
def deregister_target(client, rid: str) -> None:
    client.deregister_scalable_target(ServiceNamespace=NAMESPACE, ResourceId=rid, ScalableDimension=DIMENSION)


@AWSRetry.jittered_backoff()
def policies(client, rid: str) -> list:
    pages = client.get_paginator("describe_scaling_policies").paginate(
        ServiceNamespace=NAMESPACE, ResourceId=rid, ScalableDimension=DIMENSION
    )
    return pages.build_full_result().get("ScalingPolicies", [])


def policy_config(spec: dict) -> dict:
    """The API's TargetTrackingScalingPolicyConfiguration from the module's snake_case policy."""
    metric = {"PredefinedMetricType": spec["metric"]}
    if spec.get("resource_label"):
        metric["ResourceLabel"] = spec["resource_label"]
    return {
        "TargetValue": float(spec["target_value"]),
        "PredefinedMetricSpecification": metric,
        "ScaleInCooldown": spec["scale_in_cooldown"],
        "ScaleOutCooldown": spec["scale_out_cooldown"],
        "DisableScaleIn": bool(spec.get("disable_scale_in")),
    }


def same_config(have: dict, want: dict) -> bool:
    return (
        float(have.get("TargetValue", 0)) == want["TargetValue"]
        and have.get("PredefinedMetricSpecification", {}) == want["PredefinedMetricSpecification"]
        and have.get("ScaleInCooldown") == want["ScaleInCooldown"]
        and have.get("ScaleOutCooldown") == want["ScaleOutCooldown"]
        and bool(have.get("DisableScaleIn", False)) == want["DisableScaleIn"]
    )


def policy_plan(current: list, desired: list, purge: bool) -> tuple[list, list]:
    """(policies to put, policy names to delete)."""
    by_name = {p["PolicyName"]: p for p in current}
    put = []
    for spec in desired:
        want = policy_config(spec)
        have = by_name.get(spec["name"])
        if (
            have is None
            or have.get("PolicyType") != "TargetTrackingScaling"
            or not same_config(have.get("TargetTrackingScalingPolicyConfiguration", {}), want)
        ):
            put.append((spec["name"], want))
    names = {spec["name"] for spec in desired}
    delete = sorted(n for n in by_name if n not in names) if purge else []
    return put, delete


@AWSRetry.jittered_backoff()
def put_policy(client, rid: str, name: str, config: dict) -> None:
    client.put_scaling_policy(
        PolicyName=name,
        ServiceNamespace=NAMESPACE,
        ResourceId=rid,
        ScalableDimension=DIMENSION,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=config,
    )


@AWSRetry.jittered_backoff()
def delete_policy(client, rid: str, name: str) -> None:
    client.delete_scaling_policy(
        PolicyName=name, ServiceNamespace=NAMESPACE, ResourceId=rid, ScalableDimension=DIMENSION
    )


@AWSRetry.jittered_backoff()
def scheduled_actions(client, rid: str) -> list:
    """The target's scheduled actions, in the shape schedule.effective() reads (plus the raw name)."""
    paginator = client.get_paginator("describe_scheduled_actions")
    out = []
    for page in paginator.paginate(ServiceNamespace=NAMESPACE, ResourceId=rid, ScalableDimension=DIMENSION):
        for action in page.get("ScheduledActions", []):
            capacity = action.get("ScalableTargetAction", {})
            out.append(
                {
                    "name": action["ScheduledActionName"],
                    "schedule": action.get("Schedule", ""),
                    "timezone": action.get("Timezone") or "UTC",
                    "min_capacity": capacity.get("MinCapacity"),
                    "max_capacity": capacity.get("MaxCapacity"),
                }
            )
    return out


@AWSRetry.jittered_backoff()
def put_scheduled_action(client, rid: str, action: dict) -> None:
    client.put_scheduled_action(
        ServiceNamespace=NAMESPACE,
        ResourceId=rid,
        ScalableDimension=DIMENSION,
        ScheduledActionName=action["name"],
        Schedule=action["schedule"],
        Timezone=action["timezone"],
        ScalableTargetAction={"MinCapacity": action["min_capacity"], "MaxCapacity": action["max_capacity"]},
    )


@AWSRetry.jittered_backoff()
def delete_scheduled_action(client, rid: str, name: str) -> None:
    client.delete_scheduled_action(
        ServiceNamespace=NAMESPACE, ResourceId=rid, ScalableDimension=DIMENSION, ScheduledActionName=name
    )
