"""secret_rotation: permissions, the RotationSucceeded rule and its target against moto; the schedule against
Stubber (moto's RotateSecret invokes the function, which needs Docker; the local emulator cannot either)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import secret_rotation as mod

REGION = "eu-west-3"


TAGS = {"wordpress_aws:stack": "blog"}


def _function(aws, name):
    role = aws("iam").create_role(
        RoleName=f"{name}-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return aws("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
    )["FunctionArn"]


@pytest.fixture
def wired(aws):
    secret = aws("secretsmanager").create_secret(Name="blog/db/app", SecretString="{}")["ARN"]
    return {
        "secret": secret,
        "args": {
            "secret_id": "blog/db/app",
            "rotation_lambda_arn": _function(aws, "blog-db-rotation"),
            "redeploy_lambda_arn": _function(aws, "blog-redeploy"),
            "rule_name": "blog-db-rotated",
            "manage_schedule": False,
            "tags": TAGS,
        },
    }


def _policy(aws, name):
    return json.loads(aws("lambda").get_policy(FunctionName=name)["Policy"])["Statement"]


def test_wires_permissions_rule_target_and_tags_then_changes_nothing(aws, run_module, wired):
    assert run_module(mod, wired["args"], check_mode=True)["changed"] is True
    assert aws("events").list_rules(NamePrefix="blog-db-rotated")["Rules"] == []

    first = run_module(mod, wired["args"])
    assert first["changed"] is True and "rotation" not in first
    rotation = _policy(aws, "blog-db-rotation")
    assert rotation[0]["Principal"]["Service"] == "secretsmanager.amazonaws.com"
    assert rotation[0]["Condition"]["ArnLike"]["AWS:SourceArn"] == wired["secret"]
    rule = aws("events").describe_rule(Name="blog-db-rotated")
    pattern = json.loads(rule["EventPattern"])
    assert pattern["detail"]["eventName"] == ["RotationSucceeded"]
    assert pattern["detail"]["additionalEventData"]["SecretId"] == [wired["secret"]]
    targets = aws("events").list_targets_by_rule(Rule="blog-db-rotated")["Targets"]
    assert [(t["Id"], t["Arn"]) for t in targets] == [("redeploy", wired["args"]["redeploy_lambda_arn"])]
    redeploy = _policy(aws, "blog-redeploy")
    assert redeploy[0]["Principal"]["Service"] == "events.amazonaws.com"
    assert redeploy[0]["Condition"]["ArnLike"]["AWS:SourceArn"] == rule["Arn"]
    tags = aws("events").list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]
    assert tags == [{"Key": "wordpress_aws:stack", "Value": "blog"}]

    for check_mode in (True, False):
        again = run_module(mod, wired["args"], check_mode=check_mode)
        assert again["changed"] is False, again["changes"]


def test_a_drifted_target_is_set_back(aws, run_module, wired):
    run_module(mod, wired["args"])
    aws("events").put_targets(
        Rule="blog-db-rotated", Targets=[{"Id": "other", "Arn": wired["args"]["rotation_lambda_arn"]}]
    )
    result = run_module(mod, wired["args"])
    assert result["changes"] == ["set the target of rule blog-db-rotated"]
    targets = aws("events").list_targets_by_rule(Rule="blog-db-rotated")["Targets"]
    assert [t["Id"] for t in targets] == ["redeploy"]


def test_absent_removes_rule_and_permissions(aws, run_module, wired):
    run_module(mod, wired["args"])
    gone = run_module(mod, {**wired["args"], "state": "absent"})
    assert gone["changed"] is True
    assert aws("events").list_rules(NamePrefix="blog-db-rotated")["Rules"] == []
    for name in ("blog-db-rotation", "blog-redeploy"):
        with pytest.raises(aws("lambda").exceptions.ResourceNotFoundException):
            aws("lambda").get_policy(FunctionName=name)
    assert run_module(mod, {**wired["args"], "state": "absent"})["changed"] is False


@pytest.fixture
def stubbed_secrets(aws, stubbed, wired):
    """Secrets Manager from Stubber, Lambda and EventBridge from moto, the wiring already in place."""
    return stubbed("secretsmanager", REGION), wired


def _described(wired, **rotation):
    return {"ARN": wired["secret"], "Name": "blog/db/app", **rotation}


def test_schedule_is_set_without_rotating_at_once(run_module, stubbed_secrets):
    stub, wired = stubbed_secrets
    # the wiring (permissions, rule) is made with moto's Secrets Manager first
    args = {**wired["args"], "manage_schedule": True, "schedule_expression": "rate(30 days)"}
    stub.add_response("describe_secret", _described(wired), {"SecretId": "blog/db/app"})
    stub.add_response(
        "rotate_secret",
        {"ARN": wired["secret"], "Name": "blog/db/app"},
        {
            "SecretId": wired["secret"],
            "RotationLambdaARN": args["rotation_lambda_arn"],
            "RotationRules": {"ScheduleExpression": "rate(30 days)"},
            "RotateImmediately": False,
        },
    )
    result = run_module(mod, args)
    assert not result.get("failed"), result.get("msg")
    assert "set the rotation of blog/db/app to rate(30 days)" in result["changes"]
    assert result["rotation"]["enabled"] is True


def test_schedule_in_place_is_kept_and_a_new_one_replaces_it(run_module, stubbed_secrets):
    stub, wired = stubbed_secrets
    stub.add_response("describe_secret", _described(wired))
    assert run_module(mod, wired["args"])["changed"] is True  # the wiring first, without the schedule
    args = {**wired["args"], "manage_schedule": True}
    rotating = _described(
        wired,
        RotationEnabled=True,
        RotationLambdaARN=args["rotation_lambda_arn"],
        RotationRules={"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)"},
    )
    stub.add_response("describe_secret", rotating)
    assert run_module(mod, args)["changed"] is False
    stub.add_response("describe_secret", rotating)
    stub.add_response("rotate_secret", {"ARN": wired["secret"]})
    changed = run_module(mod, {**args, "schedule_expression": "rate(7 days)"})
    assert changed["changes"] == ["set the rotation of blog/db/app to rate(7 days)"]
    assert changed["diff"]["before"]["rotation"]["schedule_expression"] == "rate(30 days)"


def test_absent_cancels_the_rotation(run_module, stubbed_secrets):
    stub, wired = stubbed_secrets
    stub.add_response(
        "describe_secret",
        _described(wired, RotationEnabled=True, RotationLambdaARN=wired["args"]["rotation_lambda_arn"]),
    )
    stub.add_response("cancel_rotate_secret", {"ARN": wired["secret"]}, {"SecretId": wired["secret"]})
    result = run_module(mod, {**wired["args"], "manage_schedule": True, "state": "absent"})
    assert result["changes"][0] == "cancelled the rotation of blog/db/app"


def test_a_lost_add_permission_answer_is_not_a_failure(aws, run_module, wired, lost_answer):
    """AddPermission has no token: its retry after a lost answer answers ResourceConflictException for the statement
    the first attempt added (the emulator would store a second statement of the same id: AWS's answer is given);
    the statement is ours, so the task goes on."""
    calls = lost_answer("AddPermission", conflict="ResourceConflictException")
    first = run_module(mod, wired["args"])
    assert first.get("failed") is not True, first
    assert len(calls) == 3  # the lost one, its retry, the redeploy Lambda's
    assert len(_policy(aws, "blog-db-rotation")) == 1
