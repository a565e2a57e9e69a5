"""ecs_cluster, ecs_task_definition and ecs_service against moto; service comparisons as AWS reports them."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_cluster
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_service
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_task_definition

STRATEGY = [
    {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
    {"capacity_provider": "FARGATE_SPOT", "weight": 3},
]
SECRET = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:s/db/app-AbCdEf"


def cluster_args(**extra):
    return {
        "name": "s",
        "container_insights": "enabled",
        "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
        "default_capacity_provider_strategy": STRATEGY,
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def container(**extra):
    return {
        "name": "wordpress",
        "image": "wordpress:6.8.3-php8.3-apache",
        "essential": True,
        "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
        "secrets": [{"name": "WORDPRESS_DB_PASSWORD", "valueFrom": f"{SECRET}:password::"}],
        "environment": [{"name": "WORDPRESS_DB_NAME_FROM", "value": "secret"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -fs http://localhost/ || exit 1"], "interval": 30},
        **extra,
    }


def td_args(**extra):
    return {
        "family": "s-wordpress",
        "cpu": "512",
        "memory": "1024",
        "runtime_platform": {"cpu_architecture": "X86_64"},
        "execution_role_arn": "arn:aws:iam::123456789012:role/exec",
        "container_definitions": [container()],
        "volumes": [
            {
                "name": "wp-content",
                "efsVolumeConfiguration": {
                    "fileSystemId": "fs-1",
                    "transitEncryption": "ENABLED",
                    "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"},
                },
            }
        ],
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


def test_task_definition_registers_only_on_change(aws, run_module):
    first = run_module(ecs_task_definition, td_args())
    assert first["changed"] is True and first["task_definition"]["revision"] == 1
    assert first["task_definition"]["tags"] == {"wordpress_aws:stack": "s"}
    assert run_module(ecs_task_definition, td_args())["changed"] is False
    assert run_module(ecs_task_definition, td_args(), check_mode=True)["changed"] is False

    newer = run_module(
        ecs_task_definition, td_args(container_definitions=[container(image="wordpress:6.8.4-php8.3-apache")])
    )
    assert newer["changed"] is True and newer["task_definition"]["revision"] == 2
    # The newest revision is the one compared (the emulator lists revisions oldest first whatever the sort asked).
    again = run_module(
        ecs_task_definition, td_args(container_definitions=[container(image="wordpress:6.8.4-php8.3-apache")])
    )
    assert again["changed"] is False and again["task_definition"]["revision"] == 2
    # A field removed from the definition is a change too.
    without_check = container(image="wordpress:6.8.4-php8.3-apache")
    del without_check["healthCheck"]
    third = run_module(ecs_task_definition, td_args(container_definitions=[without_check]))
    assert third["changed"] is True and third["task_definition"]["revision"] == 3
    arm = run_module(
        ecs_task_definition,
        td_args(container_definitions=[without_check], runtime_platform={"cpu_architecture": "ARM64"}),
    )
    assert arm["task_definition"]["runtime_platform"]["cpu_architecture"] == "ARM64"


def test_task_definition_prunes_old_revisions_and_absent_removes_all(aws, run_module):
    for tag in ("6.8.1", "6.8.2", "6.8.3"):
        run_module(
            ecs_task_definition,
            td_args(container_definitions=[container(image=f"wordpress:{tag}-php8.3-apache")], keep_revisions=2),
        )
    active = aws("ecs").list_task_definitions(familyPrefix="s-wordpress", status="ACTIVE")["taskDefinitionArns"]
    assert sorted(a.rsplit(":", 1)[1] for a in active) == ["2", "3"]
    gone = run_module(ecs_task_definition, {"family": "s-wordpress", "state": "absent"})
    assert gone["changed"] is True and len(gone["deregistered"]) == 2
    assert aws("ecs").list_task_definitions(familyPrefix="s-wordpress", status="ACTIVE")["taskDefinitionArns"] == []


@pytest.fixture
def service_env(aws, run_module):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.2.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    run_module(ecs_cluster, cluster_args())
    td = run_module(ecs_task_definition, td_args())["task_definition"]["task_definition_arn"]
    return {"subnets": subnets, "sg": sg, "td": td, "ecs": aws("ecs")}


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
    assert again["changed"] is False, again["updated_fields"]
    assert run_module(ecs_service, svc_args(env), check_mode=True)["changed"] is False


def test_service_keeps_the_autoscaled_desired_count(service_env, run_module):
    env = service_env
    run_module(ecs_service, svc_args(env, keep_desired_count=True))
    env["ecs"].update_service(cluster="s", service="s-wordpress", desiredCount=5)
    assert run_module(ecs_service, svc_args(env, keep_desired_count=True))["changed"] is False
    reset = run_module(ecs_service, svc_args(env))
    assert reset["changed"] is True and reset["updated_fields"] == ["desiredCount"]
    assert reset["service"]["desired_count"] == 2


def test_service_network_change_starts_a_deployment(service_env, run_module):
    env = service_env
    run_module(ecs_service, svc_args(env))
    before = env["ecs"].describe_services(cluster="s", services=["s-wordpress"])["services"][0]["deployments"][0]["id"]
    net = {"subnets": env["subnets"][:1], "security_groups": [env["sg"]]}
    moved = run_module(ecs_service, svc_args(env, network_configuration=net))
    assert moved["changed"] is True and moved["updated_fields"] == ["networkConfiguration"]
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
    assert (
        "resource_label"
        in run_module(
            ecs_autoscaling,
            {**args, "policies": [{"name": "r", "metric": "ALBRequestCountPerTarget", "target_value": 5}]},
        )["msg"]
    )
    assert run_module(ecs_autoscaling, {"cluster": "s", "service": "s-wordpress", "state": "absent"})["changed"] is True
    assert client.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []


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
