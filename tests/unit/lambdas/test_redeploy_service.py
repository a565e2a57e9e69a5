"""The redeploy Lambda: a successful rotation of the stack's secret forces one new deployment of its service."""

from __future__ import annotations

import sys
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "roles" / "ecs_wordpress" / "files"))
import redeploy_service as redeploy

SECRET = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:blog/db/app-AbCdEf"


def rotation_event(secret=SECRET, name="RotationSucceeded"):
    """The CloudTrail event EventBridge delivers for a finished rotation (AWS Service Event via CloudTrail)."""
    return {
        "source": "aws.secretsmanager",
        "detail-type": "AWS Service Event via CloudTrail",
        "detail": {
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": name,
            "additionalEventData": {"SecretId": secret},
        },
    }


@pytest.fixture
def env(monkeypatch):
    for key, value in {"CLUSTER": "blog", "SERVICE": "blog-wordpress", "SECRET_ARN": SECRET}.items():
        monkeypatch.setenv(key, value)


def test_a_rotation_of_the_stacks_secret_forces_a_new_deployment(env):
    client = boto3.client("ecs", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:
        stub.add_response(
            "update_service",
            {"service": {"serviceName": "blog-wordpress", "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY"}]}},
            {"cluster": "blog", "service": "blog-wordpress", "forceNewDeployment": True},
        )
        result = redeploy.handler(rotation_event(), None, client)
        stub.assert_no_pending_responses()
    assert result == {"redeployed": True, "service": "blog-wordpress", "deployment": "ecs-svc/1"}


def test_the_secret_matches_without_its_random_suffix(env):
    client = boto3.client("ecs", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:
        stub.add_response("update_service", {"service": {"deployments": []}})
        assert redeploy.handler(rotation_event(SECRET.rsplit("-", 1)[0] + "-XyZ123"), None, client)["redeployed"]


@pytest.mark.parametrize(
    "event",
    [
        rotation_event("arn:aws:secretsmanager:eu-west-3:123456789012:secret:blog-staging/db/app-QwErTy"),
        rotation_event(name="RotationFailed"),
        rotation_event(name="RotationStarted"),
        {},
    ],
)
def test_other_events_are_ignored_without_a_call(env, event):
    client = boto3.client("ecs", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:  # no response queued: any call would fail the test
        assert redeploy.handler(event, None, client)["redeployed"] is False
        stub.assert_no_pending_responses()


def test_unconfigured_refuses(monkeypatch):
    monkeypatch.delenv("SECRET_ARN", raising=False)
    with pytest.raises(redeploy.RedeployError, match="must be set"):
        redeploy.handler(rotation_event(), None, object())


def test_against_moto_the_service_is_updated(aws, env):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="blog")
    ecs.register_task_definition(
        family="blog-wordpress", containerDefinitions=[{"name": "wp", "image": "wordpress", "memory": 512}]
    )
    ecs.create_service(cluster="blog", serviceName="blog-wordpress", taskDefinition="blog-wordpress", desiredCount=1)
    result = redeploy.handler(rotation_event(), None, ecs)
    assert result["redeployed"] is True and result["service"] == "blog-wordpress"
    assert ecs.describe_services(cluster="blog", services=["blog-wordpress"])["services"][0]["status"] == "ACTIVE"
