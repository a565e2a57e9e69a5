"""Unit tests of plugins/module_utils/ecs.py (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs

from ..modules.test_ecs_cluster import STRATEGY


def test_service_differences_on_an_aws_shaped_description():
    """AWS omits launchType with a strategy and reports base 0; neither is a difference."""
    described = {
        "taskDefinition": "arn:aws:ecs:eu-west-3:123456789012:task-definition/s-wordpress:4",
        "capacityProviderStrategy": [
            {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
            {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        ],
        "desiredCount": 6,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "alarms": {"alarmNames": [], "enable": False, "rollback": False},
        },
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["b", "a"], "securityGroups": ["sg"], "assignPublicIp": "DISABLED"}
        },
        "loadBalancers": [{"targetGroupArn": "tg", "containerName": "wordpress", "containerPort": 80}],
    }
    request = {
        "taskDefinition": "s-wordpress:4",
        "capacityProviderStrategy": ecs.strategy_api(STRATEGY),
        "desiredCount": 2,
        "deploymentConfiguration": {
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        },
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["a", "b"], "securityGroups": ["sg"], "assignPublicIp": "DISABLED"}
        },
        "loadBalancers": [{"targetGroupArn": "tg", "containerName": "wordpress", "containerPort": 80}],
    }
    assert ecs.service_differences(described, request, keep_desired_count=True) == {}
    assert ecs.service_differences(described, request, keep_desired_count=False) == {"desiredCount": 2}
    spot_only = {**request, "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]}
    changes = ecs.service_differences(described, spot_only, keep_desired_count=True)
    assert set(changes) == {"capacityProviderStrategy", "forceNewDeployment"}
