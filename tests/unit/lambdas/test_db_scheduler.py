"""The non-production DB stop/start Lambda against moto's in-process RDS."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[3]
SPEC = importlib.util.spec_from_file_location("db_scheduler", ROOT / "roles/cost_guard/files/db_scheduler.py")
db_scheduler = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(db_scheduler)


@pytest.fixture
def rds(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STACK_NAME", "s")
    monkeypatch.setenv("ENVIRONMENT", "staging")
    monkeypatch.setenv("DB_INSTANCE_ID", "s-db")
    with mock_aws():
        client = boto3.client("rds", region_name="eu-west-3")
        yield client


def create(client, name="s-db", stack="s", environment="staging"):
    client.create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t4g.micro",
        Engine="mysql",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20,
        Tags=[
            {"Key": "wordpress_aws:stack", "Value": stack},
            {"Key": "wordpress_aws:environment", "Value": environment},
        ],
    )


def status(client, name="s-db"):
    return client.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DBInstanceStatus"]


def test_stops_then_starts_and_repeats_are_no_ops(rds):
    create(rds)
    first = db_scheduler.handler({"action": "stop"}, None, rds)
    assert first["did"] == "stop" and status(rds) == "stopped"
    again = db_scheduler.handler({"action": "stop"}, None, rds)
    assert again["did"] == "none" and status(rds) == "stopped"
    up = db_scheduler.handler({"action": "start"}, None, rds)
    assert up["did"] == "start" and status(rds) == "available"
    assert db_scheduler.handler({"action": "start"}, None, rds)["did"] == "none"


@pytest.mark.parametrize(
    "tags, env, message",
    [
        ({"stack": "s", "environment": "production"}, "staging", "production database is never stopped"),
        ({"stack": "s", "environment": "staging"}, "production", "production database is never stopped"),
        ({"stack": "other", "environment": "staging"}, "staging", "does not carry wordpress_aws:stack=s"),
        ({"stack": "s", "environment": "dev"}, "staging", "wordpress_aws:environment is 'dev', not 'staging'"),
    ],
)
def test_never_touches_production_or_another_stack(rds, monkeypatch, tags, env, message):
    create(rds, **tags)
    monkeypatch.setenv("ENVIRONMENT", env)
    with pytest.raises(PermissionError, match=message):
        db_scheduler.handler({"action": "stop"}, None, rds)
    assert status(rds) == "available"


def test_unknown_action_and_busy_status():
    instance = {
        "DBInstanceStatus": "backing-up",
        "TagList": [{"Key": "wordpress_aws:stack", "Value": "s"}, {"Key": "wordpress_aws:environment", "Value": "dev"}],
    }
    assert db_scheduler.decide("reboot", instance, "s", "dev")[0] == "refuse"
    assert db_scheduler.decide("stop", instance, "s", "dev") == ("none", "status backing-up: left for the next run")
    with_replica = {**instance, "DBInstanceStatus": "available", "ReadReplicaDBInstanceIdentifiers": ["s-db-replica"]}
    assert db_scheduler.decide("stop", with_replica, "s", "dev")[0] == "refuse"
