"""secret_version: stage and promote against moto; rotate against Stubber (RotateSecret runs a Lambda)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import secret_version as mod

NAME = "blog/cloudfront/origin-verify"


V1 = "fedcba9876543210fedcba9876543210"


GENERATE = [{"name": "value", "length": 48, "punctuation": False}]


def _value(client, stage):
    return json.loads(client.get_secret_value(SecretId=NAME, VersionStage=stage)["SecretString"])


@pytest.fixture
def origin(aws):
    client = aws("secretsmanager")
    client.create_secret(Name=NAME, SecretString=json.dumps({"value": "A" * 48, "kept": "x"}))
    return client


def test_stage_then_promote_with_resume_and_no_value_shown(origin, run_module):
    assert run_module(mod, {"secret_id": NAME, "action": "stage", "generate": GENERATE}, check_mode=True)["changed"]
    assert secretsmanager.labelled(origin.describe_secret(SecretId=NAME), "AWSPENDING") == ""

    staged = run_module(mod, {"secret_id": NAME, "action": "stage", "generate": GENERATE})
    pending = _value(origin, "AWSPENDING")
    assert staged["changed"] and pending["value"] != "A" * 48 and len(pending["value"]) == 48
    assert pending["value"].isalnum() and pending["kept"] == "x"
    assert pending["value"] not in json.dumps(staged)
    assert _value(origin, "AWSCURRENT")["value"] == "A" * 48  # nothing changes for the ALB and CloudFront yet

    again = run_module(mod, {"secret_id": NAME, "action": "stage", "generate": GENERATE})
    assert again["changed"] is False and again["version_id"] == staged["version_id"]
    assert _value(origin, "AWSPENDING") == pending  # an interrupted rotation resumes with the same value

    promoted = run_module(mod, {"secret_id": NAME, "action": "promote"})
    assert promoted["changed"] and promoted["version_id"] == staged["version_id"]
    assert _value(origin, "AWSCURRENT") == pending and _value(origin, "AWSPREVIOUS")["value"] == "A" * 48
    stages = promoted["stages"][staged["version_id"]]
    assert "AWSCURRENT" in stages and "AWSPENDING" not in stages
    assert run_module(mod, {"secret_id": NAME, "action": "promote"})["changed"] is False


def test_stage_refuses_a_bad_length(origin, run_module):
    result = run_module(mod, {"secret_id": NAME, "action": "stage", "generate": [{"name": "value", "length": 4}]})
    assert result["failed"] and "between 8 and 4096" in result["msg"]


def test_rotate_waits_until_the_new_version_is_current(monkeypatch, run_module, stubbed):
    monkeypatch.setattr(mod.time, "sleep", lambda seconds: None)
    arn = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:blog/db/app-AbCdEf"
    token = "0123456789abcdef0123456789abcdef"
    stub = stubbed("secretsmanager")
    stub.add_response("describe_secret", {"ARN": arn, "VersionIdsToStages": {V1: ["AWSCURRENT"]}})
    stub.add_response("rotate_secret", {"ARN": arn, "VersionId": token}, {"SecretId": arn})
    stub.add_response(
        "describe_secret", {"ARN": arn, "VersionIdsToStages": {V1: ["AWSCURRENT"], token: ["AWSPENDING"]}}
    )
    done = {V1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    stub.add_response("describe_secret", {"ARN": arn, "VersionIdsToStages": done})
    stub.add_response("describe_secret", {"ARN": arn, "VersionIdsToStages": done})
    result = run_module(mod, {"secret_id": "blog/db/app", "action": "rotate"})
    stub.assert_no_pending_responses()
    assert result["changed"] and result["version_id"] == token and result["stages"] == done


def test_rotate_times_out_naming_the_logs(monkeypatch, run_module, stubbed):
    clock = iter(range(0, 10_000, 400))
    monkeypatch.setattr(mod.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(mod.time, "sleep", lambda seconds: None)
    arn = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:blog/db/app-AbCdEf"
    stub = stubbed("secretsmanager")
    stub.add_response("describe_secret", {"ARN": arn, "VersionIdsToStages": {}})
    stub.add_response("rotate_secret", {"ARN": arn, "VersionId": "t" * 32})
    stub.add_response("describe_secret", {"ARN": arn, "VersionIdsToStages": {"t" * 32: ["AWSPENDING"]}})
    result = run_module(mod, {"secret_id": "blog/db/app", "action": "rotate", "wait_timeout": 600})
    assert result["failed"] and "did not finish within 600 s" in result["msg"]
