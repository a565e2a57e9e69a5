"""Unit tests of the ecs_service module (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_service

from .test_ecs_cluster import STRATEGY


def svc_args(env, **extra):
    return {
        "name": "s-wordpress",
        "cluster": "s",
        "task_definition": env["td"],
        "desired_count": 2,
        "capacity_provider_strategy": STRATEGY,
        "network_configuration": {"subnets": env["subnets"], "security_groups": [env["sg"]]},
        "health_check_grace_period_seconds": 120,
        "deployment_configuration": {"circuit_breaker": {"enable": True, "rollback": True}},
        "propagate_tags": "SERVICE",
        "enable_execute_command": False,
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def test_service_converges_on_first_run_and_stays_converged(service_env, run_module):
    env = service_env
    assert run_module(ecs_service, svc_args(env), check_mode=True)["changed"] is True
    assert env["ecs"].list_services(cluster="s")["serviceArns"] == []
    created = run_module(ecs_service, svc_args(env))
    assert created["changed"] is True
    described = env["ecs"].describe_services(cluster="s", services=["s-wordpress"])["services"][0]
    assert ecs.same_strategy(described["capacityProviderStrategy"], ecs.strategy_api(STRATEGY))
    assert described["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert described["healthCheckGracePeriodSeconds"] == 120
    assert described["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    again = run_module(ecs_service, svc_args(env))
    assert again["changed"] is False, again["changes"]
    assert run_module(ecs_service, svc_args(env), check_mode=True)["changed"] is False


def test_service_keeps_the_autoscaled_desired_count(service_env, run_module):
    env = service_env
    run_module(ecs_service, svc_args(env, keep_desired_count=True))
    env["ecs"].update_service(cluster="s", service="s-wordpress", desiredCount=5)
    assert run_module(ecs_service, svc_args(env, keep_desired_count=True))["changed"] is False
    reset = run_module(ecs_service, svc_args(env))
    assert reset["changed"] is True and reset["changes"] == ["desiredCount"]
    assert reset["service"]["desired_count"] == 2


def test_service_network_change_starts_a_deployment(service_env, run_module):
    env = service_env
    run_module(ecs_service, svc_args(env))
    before = env["ecs"].describe_services(cluster="s", services=["s-wordpress"])["services"][0]["deployments"][0]["id"]
    net = {"subnets": env["subnets"][:1], "security_groups": [env["sg"]]}
    moved = run_module(ecs_service, svc_args(env, network_configuration=net))
    assert moved["changed"] is True and moved["changes"] == ["networkConfiguration"]
    after = env["ecs"].describe_services(cluster="s", services=["s-wordpress"])["services"][0]
    assert after["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == env["subnets"][:1]
    assert after["deployments"][0]["id"] != before


def test_service_input_errors_and_absent(service_env, run_module):
    env = service_env
    two_bases = [
        {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
        {"capacity_provider": "FARGATE_SPOT", "base": 1, "weight": 1},
    ]
    assert (
        "only one capacity provider"
        in run_module(ecs_service, svc_args(env, capacity_provider_strategy=two_bases))["msg"]
    )
    no_weight = [{"capacity_provider": "FARGATE", "base": 1, "weight": 0}]
    assert "weight above 0" in run_module(ecs_service, svc_args(env, capacity_provider_strategy=no_weight))["msg"]
    run_module(ecs_service, svc_args(env))
    assert run_module(ecs_service, {"name": "s-wordpress", "cluster": "s", "state": "absent"})["changed"] is True
    assert run_module(ecs_service, {"name": "s-wordpress", "cluster": "s", "state": "absent"})["changed"] is False


def _rollout(state, reason=""):
    deployment = {"status": "PRIMARY", "rolloutState": state, "rolloutStateReason": reason}
    return {"services": [{"serviceName": "s-wordpress", "status": "ACTIVE", "deployments": [deployment]}]}


@pytest.mark.parametrize(
    ("states", "outcome"),
    [
        (["IN_PROGRESS", "IN_PROGRESS", "COMPLETED"], "COMPLETED"),
        (["IN_PROGRESS", "FAILED"], "deployment failed: ECS deployment circuit breaker: tasks failed to start"),
    ],
)
def test_deployment_wait_ends_on_completed_or_on_the_circuit_breaker(monkeypatch, states, outcome):
    """Stubber: the emulator starts no task, so it never reports a rollout (docs/not-emulated.md, ecs_tasks)."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("ecs", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    sleeps = []
    monkeypatch.setattr(ecs_service.time, "sleep", sleeps.append)
    reason = "ECS deployment circuit breaker: tasks failed to start"
    with Stubber(client) as stub:
        for state in states:
            expected = {"cluster": "s", "services": ["s-wordpress"], "include": ["TAGS"]}
            stub.add_response("describe_services", _rollout(state, reason if state == "FAILED" else ""), expected)
        params = {"cluster": "s", "name": "s-wordpress"}
        if outcome == "COMPLETED":
            service = ecs_service._wait_deployed(client, params, timeout=900)
            assert service["deployments"][0]["rolloutState"] == "COMPLETED"
        else:
            with pytest.raises(RuntimeError, match=outcome):
                ecs_service._wait_deployed(client, params, timeout=900)
        stub.assert_no_pending_responses()
    assert sleeps == [15] * (len(states) - 1)


def test_deployment_wait_times_out(monkeypatch):
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("ecs", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    clock = iter([0.0, 10.0, 20.0, 31.0])
    monkeypatch.setattr(ecs_service.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(ecs_service.time, "sleep", lambda _s: None)
    with Stubber(client) as stub:
        for _attempt in range(3):
            stub.add_response("describe_services", _rollout("IN_PROGRESS"))
        with pytest.raises(TimeoutError, match="still IN_PROGRESS after 30 s"):
            ecs_service._wait_deployed(client, {"cluster": "s", "name": "s-wordpress"}, timeout=30)


def test_a_lost_create_answer_is_retried_with_the_same_client_token(service_env, run_module, lost_answer):
    """CreateService takes a clientToken botocore does not fill: the module passes one, and the retry after a lost
    answer resends it (AWS then answers the first answer again); one service exists."""
    env = service_env
    calls = lost_answer("CreateService")
    result = run_module(ecs_service, svc_args(env))
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert len(calls) == 2 and calls[0]["clientToken"] and calls[0]["clientToken"] == calls[1]["clientToken"]
    assert len(env["ecs"].list_services(cluster="s")["serviceArns"]) == 1
