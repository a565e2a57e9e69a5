"""Unit tests of the cloudwatch_log_groups module: moto for the converge, Stubber for lost answers and KMS."""

from __future__ import annotations

import json
import time

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_log_groups

from . import _front

TAGS = {"wordpress_aws:stack": "blog"}

# the fault front's fixtures (tests/unit/plugins/modules/_front.py)
emulator_port = _front.emulator_port
lost_front = _front.lost_front


def _group(logs, name):
    found = [g for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name]
    return found[0] if found else None


def _args(key, **extra):
    return {
        "log_groups": [
            {"name": "/blog/app", "kms_key_id": key, "retention_days": 90},
            {"name": "/aws/lambda/blog-fn", "kms_key_id": key, "retention_days": 30, "tags": {"fn": "yes"}},
        ],
        "tags": TAGS,
        **extra,
    }


@pytest.fixture
def key(aws):
    return aws("kms").create_key()["KeyMetadata"]["Arn"]


def test_log_groups_are_created_once_with_key_retention_and_tags_and_a_rerun_changes_nothing(aws, run_module, key):
    logs = aws("logs")
    planned = run_module(cloudwatch_log_groups, _args(key), check_mode=True)
    assert planned["changed"] is True
    assert planned["log_groups"]["/blog/app"]["created"] is True
    assert logs.describe_log_groups()["logGroups"] == []

    first = run_module(cloudwatch_log_groups, _args(key))
    assert first["changes"] == [
        "/blog/app: created",
        "/blog/app: retention",
        "/aws/lambda/blog-fn: created",
        "/aws/lambda/blog-fn: retention",
    ]
    app = first["log_groups"]["/blog/app"]
    assert app["arn"].endswith(":log-group:/blog/app")
    assert (app["retention_in_days"], app["kms_key_id"], app["tags"]) == (90, key, TAGS)
    assert first["log_groups"]["/aws/lambda/blog-fn"]["tags"] == {**TAGS, "fn": "yes"}
    assert _group(logs, "/aws/lambda/blog-fn")["retentionInDays"] == 30

    for check_mode in (True, False):
        again = run_module(cloudwatch_log_groups, _args(key), check_mode=check_mode)
        assert again["changed"] is False, again["changes"]
        assert again["log_groups"]["/blog/app"]["created"] is False
    assert len(logs.describe_log_groups()["logGroups"]) == 2


def test_drift_of_retention_and_tags_is_repaired_and_check_mode_writes_nothing(aws, run_module, key):
    logs = aws("logs")
    run_module(cloudwatch_log_groups, _args(key))
    logs.delete_retention_policy(logGroupName="/blog/app")
    arn = _group(logs, "/blog/app")["logGroupArn"]
    logs.tag_resource(resourceArn=arn, tags={"stray": "1"})

    planned = run_module(cloudwatch_log_groups, _args(key), check_mode=True)
    assert planned["changes"] == ["/blog/app: retention", "/blog/app: tags"]
    assert planned["log_groups"]["/blog/app"]["retention_in_days"] == 90
    assert "retentionInDays" not in _group(logs, "/blog/app")

    repaired = run_module(cloudwatch_log_groups, _args(key))
    assert repaired["changes"] == ["/blog/app: retention", "/blog/app: tags"]
    assert _group(logs, "/blog/app")["retentionInDays"] == 90
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == TAGS
    assert run_module(cloudwatch_log_groups, _args(key))["changed"] is False


def test_absent_deletes_the_groups_in_their_regions(aws, run_module, key):
    logs, east = aws("logs"), aws("logs", "us-east-1")
    groups = [{"name": "/blog/app", "retention_days": 30}, {"name": "aws-waf-logs-blog", "region": "us-east-1"}]
    run_module(cloudwatch_log_groups, {"log_groups": groups, "tags": TAGS})
    assert _group(east, "aws-waf-logs-blog") is not None
    assert _group(logs, "aws-waf-logs-blog") is None

    gone = {"log_groups": groups, "state": "absent"}
    assert run_module(cloudwatch_log_groups, gone, check_mode=True)["changed"] is True
    assert _group(logs, "/blog/app") is not None
    assert run_module(cloudwatch_log_groups, gone)["changes"] == ["/blog/app: deleted", "aws-waf-logs-blog: deleted"]
    assert logs.describe_log_groups()["logGroups"] == east.describe_log_groups()["logGroups"] == []
    assert run_module(cloudwatch_log_groups, gone)["changed"] is False


def test_a_group_can_be_absent_beside_present_ones(aws, run_module, key):
    logs = aws("logs")
    run_module(cloudwatch_log_groups, _args(key))
    groups = [{"name": "/blog/app", "kms_key_id": key, "retention_days": 90},
              {"name": "/aws/lambda/blog-fn", "state": "absent"}]  # fmt: skip
    assert run_module(cloudwatch_log_groups, {"log_groups": groups, "tags": TAGS})["changes"] == [
        "/aws/lambda/blog-fn: deleted"
    ]
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == ["/blog/app"]


def test_a_retention_cloudwatch_does_not_accept_fails_before_any_call(run_module):
    result = run_module(cloudwatch_log_groups, {"log_groups": [{"name": "/x", "retention_days": 45}]})
    assert result["failed"] is True
    assert "log_groups[/x].retention_days 45: not a retention CloudWatch Logs accepts" in result["msg"]


# --- lost answers and the KMS key, through botocore's Stubber -------------------------------------------------

ARN = "arn:aws:logs:eu-west-3:123456789012:log-group:/blog/app"
KEY = "arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _described(**fields):
    group = {"logGroupName": "/blog/app", "arn": ARN + ":*", "logGroupArn": ARN, "creationTime": 1, **fields}
    return {"logGroups": [group]}


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


@pytest.mark.parametrize("lost", ["ServiceUnavailable", "InternalFailure"])
def test_a_lost_create_answer_adopts_the_group_the_first_attempt_made(stubbed, run_module, no_sleep, lost):
    logs = stubbed("logs")
    prefix = {"logGroupNamePrefix": "/blog/app"}
    logs.add_response("describe_log_groups", {"logGroups": []}, prefix)
    create = {"logGroupName": "/blog/app", "kmsKeyId": KEY, "tags": TAGS}
    # The first CreateLogGroup was applied, its answer lost (a 5xx); the retry finds the group made.
    status = 503 if lost == "ServiceUnavailable" else 500
    logs.add_client_error("create_log_group", lost, http_status_code=status, expected_params=create)
    logs.add_client_error("create_log_group", "ResourceAlreadyExistsException", http_status_code=400,
                          expected_params=create)  # fmt: skip
    logs.add_response("describe_log_groups", _described(kmsKeyId=KEY), prefix)
    logs.add_response("list_tags_for_resource", {"tags": TAGS}, {"resourceArn": ARN})
    logs.add_response("put_retention_policy", {}, {"logGroupName": "/blog/app", "retentionInDays": 90})
    logs.add_response("describe_log_groups", _described(kmsKeyId=KEY, retentionInDays=90), prefix)
    logs.add_response("list_tags_for_resource", {"tags": TAGS}, {"resourceArn": ARN})

    result = run_module(
        cloudwatch_log_groups,
        {"log_groups": [{"name": "/blog/app", "kms_key_id": KEY, "retention_days": 90}], "tags": TAGS},
    )
    assert not result.get("failed"), result
    group = result["log_groups"]["/blog/app"]
    assert (group["created"], group["arn"], group["retention_in_days"]) == (True, ARN, 90)
    assert result["changes"] == ["/blog/app: created", "/blog/app: retention"]
    # The Stubber refuses any call not queued: no third CreateLogGroup.


def test_a_new_kms_key_is_associated_and_a_lost_delete_answer_is_success(stubbed, run_module, no_sleep):
    logs = stubbed("logs")
    prefix = {"logGroupNamePrefix": "/blog/app"}
    other = KEY.replace("1234abcd", "9999ffff")
    logs.add_response("describe_log_groups", _described(kmsKeyId=other, retentionInDays=90), prefix)
    logs.add_response("associate_kms_key", {}, {"logGroupName": "/blog/app", "kmsKeyId": KEY})
    logs.add_response("describe_log_groups", _described(kmsKeyId=KEY, retentionInDays=90), prefix)
    result = run_module(cloudwatch_log_groups, {"log_groups": [{"name": "/blog/app", "kms_key_id": KEY}]})
    assert result["changes"] == ["/blog/app: kms key"], result

    logs.add_response("describe_log_groups", _described(kmsKeyId=KEY), prefix)
    logs.add_client_error("delete_log_group", "ServiceUnavailable", http_status_code=503)
    logs.add_client_error("delete_log_group", "ResourceNotFoundException", http_status_code=400)
    result = run_module(cloudwatch_log_groups, {"log_groups": [{"name": "/blog/app"}], "state": "absent"})
    assert not result.get("failed"), result
    assert result["changes"] == ["/blog/app: deleted"]


# --- a lost CreateLogGroup answer, through scripts/fault_front.py and botocore's own retry -----------------------


@pytest.mark.parametrize("mode", ["500", "close"])
def test_through_the_fault_front_a_lost_create_answer_adopts_the_one_group(lost_front, run_module, mode):
    """Every successful write's answer is lost: botocore retries CreateLogGroup, meets the conflict; adopted."""
    connection, ledger, direct = lost_front(mode)
    name = f"/blog/lost-{mode}"
    args = {"log_groups": [{"name": name}], "tags": TAGS, **connection}
    result = run_module(cloudwatch_log_groups, args)
    assert not result.get("failed"), result
    assert result["log_groups"][name]["created"] is True
    assert result["log_groups"][name]["tags"] == TAGS
    assert json.loads(ledger.read_text())["counts"]["lost_response"] == 1
    assert len([g for g in direct("logs").describe_log_groups()["logGroups"] if g["logGroupName"] == name]) == 1
    assert run_module(cloudwatch_log_groups, args)["changed"] is False
