"""Unit tests of the ecs_cluster module (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_cluster

STRATEGY = [
    {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
    {"capacity_provider": "FARGATE_SPOT", "weight": 3},
]


def cluster_args(**extra):
    return {
        "name": "s",
        "container_insights": "enabled",
        "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
        "default_capacity_provider_strategy": STRATEGY,
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def test_cluster_converges_with_insights_providers_and_tags(aws, run_module):
    assert run_module(ecs_cluster, cluster_args(), check_mode=True)["changed"] is True
    assert aws("ecs").list_clusters()["clusterArns"] == []
    created = run_module(ecs_cluster, cluster_args())
    assert created["changed"] is True
    described = aws("ecs").describe_clusters(clusters=["s"], include=["SETTINGS", "TAGS"])["clusters"][0]
    assert {"name": "containerInsights", "value": "enabled"} in described["settings"]
    assert sorted(described["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert ecs.same_strategy(described["defaultCapacityProviderStrategy"], ecs.strategy_api(STRATEGY))
    assert {"key": "wordpress_aws:stack", "value": "s"} in described["tags"]
    assert run_module(ecs_cluster, cluster_args())["changed"] is False

    spot_heavy = [
        {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
        {"capacity_provider": "FARGATE_SPOT", "weight": 9},
    ]
    changed = run_module(ecs_cluster, cluster_args(default_capacity_provider_strategy=spot_heavy))
    assert changed["changed"] is True
    assert run_module(ecs_cluster, cluster_args(default_capacity_provider_strategy=spot_heavy))["changed"] is False
    assert run_module(ecs_cluster, {"name": "s", "state": "absent"})["changed"] is True
    assert run_module(ecs_cluster, {"name": "s", "state": "absent"})["changed"] is False


def test_cluster_strategy_must_name_its_providers(aws, run_module):
    result = run_module(ecs_cluster, cluster_args(capacity_providers=["FARGATE"]))
    assert result["failed"] and "FARGATE_SPOT" in result["msg"]
