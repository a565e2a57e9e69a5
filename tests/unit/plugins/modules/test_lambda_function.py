"""Unit tests of the lambda_function module: converge against moto, IAM propagation retried (Stubber)."""

from __future__ import annotations

import zipfile

import pytest

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_function

NOT_YET = "The role defined for the function cannot be assumed by Lambda."


def make_zip(path, body="def handler(event, context):\n    return 1\n"):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fn.py", body)
    return str(path)


@pytest.fixture
def sleeps(monkeypatch):
    """The retry sleeps, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(cloud.time, "sleep", slept.append)
    return slept


def fn_args(role_arn, zip_path, **extra):
    return {
        "name": "s-fn",
        "runtime": "python3.12",
        "handler": "fn.handler",
        "role": role_arn,
        "zip_file": zip_path,
        "timeout": 30,
        "environment_variables": {"STACK_NAME": "s"},
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def test_function_converges_and_a_rerun_changes_nothing(aws, role, run_module, tmp_path):
    zip_path = make_zip(tmp_path / "fn.zip")
    planned = run_module(lambda_function, fn_args(role, zip_path), check_mode=True)
    assert planned["changed"] is True and planned["changes"] == ["created"]
    assert aws("lambda").list_functions()["Functions"] == []
    created = run_module(lambda_function, fn_args(role, zip_path))
    assert created["changed"] is True and created["function"]["function_name"] == "s-fn"
    live = aws("lambda").get_function(FunctionName="s-fn")
    assert live["Configuration"]["Timeout"] == 30
    assert live["Configuration"]["Environment"]["Variables"] == {"STACK_NAME": "s"}
    assert live["Tags"] == {"wordpress_aws:stack": "s"}
    again = run_module(lambda_function, fn_args(role, zip_path))
    assert again["changed"] is False and again["changes"] == []
    assert again["diff"]["before"] == again["diff"]["after"]


def test_function_updates_configuration_code_and_tags(aws, role, run_module, tmp_path):
    zip_path = make_zip(tmp_path / "fn.zip")
    run_module(lambda_function, fn_args(role, zip_path))
    old_sha = aws("lambda").get_function(FunctionName="s-fn")["Configuration"]["CodeSha256"]
    new_zip = make_zip(tmp_path / "fn2.zip", body="def handler(event, context):\n    return 2\n")
    args = fn_args(role, new_zip, timeout=60, tags={"wordpress_aws:stack": "s", "tier": "data"})
    planned = run_module(lambda_function, args, check_mode=True)
    assert planned["changes"] == ["configuration timeout", "code", "tags"]
    assert aws("lambda").get_function(FunctionName="s-fn")["Configuration"]["Timeout"] == 30
    updated = run_module(lambda_function, args)
    assert updated["changed"] is True
    live = aws("lambda").get_function(FunctionName="s-fn")
    assert live["Configuration"]["Timeout"] == 60
    assert live["Configuration"]["CodeSha256"] != old_sha
    assert live["Configuration"]["CodeSha256"] == lambda_function.code_sha256(new_zip)[1]
    assert live["Tags"] == {"wordpress_aws:stack": "s", "tier": "data"}
    assert run_module(lambda_function, args)["changed"] is False


def test_function_is_deleted(aws, role, run_module, tmp_path):
    run_module(lambda_function, fn_args(role, make_zip(tmp_path / "fn.zip")))
    assert run_module(lambda_function, {"name": "s-fn", "state": "absent"}, check_mode=True)["changed"] is True
    assert len(aws("lambda").list_functions()["Functions"]) == 1
    gone = run_module(lambda_function, {"name": "s-fn", "state": "absent"})
    assert gone["changed"] is True and gone["function"] == {}
    assert aws("lambda").list_functions()["Functions"] == []
    assert run_module(lambda_function, {"name": "s-fn", "state": "absent"})["changed"] is False


def test_function_input_errors(aws, role, run_module, tmp_path):
    missing = run_module(lambda_function, {"name": "s-fn"})
    assert missing["failed"] and "give runtime, handler, role, zip_file" in missing["msg"]
    half_vpc = run_module(lambda_function, fn_args(role, make_zip(tmp_path / "fn.zip"), vpc_subnet_ids=["subnet-1"]))
    assert half_vpc["failed"] and "go together" in half_vpc["msg"]
    no_zip = run_module(lambda_function, fn_args(role, str(tmp_path / "missing.zip")))
    assert no_zip["failed"] and "missing.zip" in no_zip["msg"]


ARN = "arn:aws:lambda:eu-west-3:123456789012:function:s-fn"
CONFIG = {
    "FunctionName": "s-fn",
    "FunctionArn": ARN,
    "Runtime": "python3.12",
    "Role": "arn:aws:iam::123456789012:role/s-fn",
    "Handler": "fn.handler",
    "State": "Active",
    "LastUpdateStatus": "Successful",
}


def _queue_create(stub, zip_path, errors):
    stub.add_client_error("get_function", "ResourceNotFoundException", "Function not found", 404)
    for code, message in errors:
        stub.add_client_error("create_function", code, message, 400)


def test_a_role_still_propagating_is_retried_until_lambda_accepts_it(stubbed, run_module, sleeps, tmp_path):
    zip_path = make_zip(tmp_path / "fn.zip")
    stub = stubbed("lambda")
    vpc_not_yet = "The provided execution role does not have permissions to call CreateNetworkInterface on EC2"
    _queue_create(
        stub,
        zip_path,
        [("InvalidParameterValueException", NOT_YET)] * 3 + [("InvalidParameterValueException", vpc_not_yet)],
    )
    stub.add_response("create_function", CONFIG)
    stub.add_response("get_function", {"Configuration": CONFIG})  # the function_active_v2 waiter
    stub.add_response("get_function", {"Configuration": CONFIG, "Tags": {}})
    result = run_module(lambda_function, fn_args(CONFIG["Role"], zip_path, tags=None))
    assert result.get("failed") is not True, result
    assert result["changes"] == ["created"] and result["function"]["function_arn"] == ARN
    assert sleeps == [2, 3, 4.5, 6.75]  # backoff, not a blind pause


def test_a_genuine_parameter_error_fails_at_once(stubbed, run_module, sleeps, tmp_path):
    zip_path = make_zip(tmp_path / "fn.zip")
    stub = stubbed("lambda")
    _queue_create(
        stub, zip_path, [("InvalidParameterValueException", "The runtime parameter of python2.7 is not supported")]
    )
    result = run_module(lambda_function, fn_args(CONFIG["Role"], zip_path))
    assert result["failed"] and "python2.7" in result["msg"]
    assert sleeps == []


def test_propagation_is_given_up_after_about_two_minutes(stubbed, run_module, sleeps, tmp_path):
    zip_path = make_zip(tmp_path / "fn.zip")
    stub = stubbed("lambda")
    _queue_create(stub, zip_path, [("InvalidParameterValueException", NOT_YET)] * 12)
    result = run_module(lambda_function, fn_args(CONFIG["Role"], zip_path))
    assert result["failed"] and "cannot be assumed" in result["msg"]
    assert len(sleeps) == 11 and 100 < sum(sleeps) < 130


@pytest.mark.parametrize(
    "answer",
    [("ServiceException", 500), ("ResourceConflictException", 409)],
    ids=["the-500-itself", "the-conflict-botocore's-resend-meets"],
)
def test_a_lost_create_answer_adopts_the_function_the_first_attempt_made(stubbed, run_module, sleeps, tmp_path, answer):
    """CreateFunction has no token: after a lost answer (the 500 AWSRetry does not retry, or the conflict
    botocore's own resend meets) the function the first attempt made is found and adopted, never created again."""
    zip_path = make_zip(tmp_path / "fn.zip")
    stub = stubbed("lambda")
    stub.add_client_error("get_function", "ResourceNotFoundException", "Function not found", 404)
    stub.add_client_error("create_function", answer[0], "lost", answer[1])
    stub.add_response("get_function", {"Configuration": CONFIG, "Tags": {}})  # the adoption's find
    stub.add_response("get_function", {"Configuration": CONFIG})  # the function_active_v2 waiter
    stub.add_response("get_function", {"Configuration": CONFIG, "Tags": {}})
    result = run_module(lambda_function, fn_args(CONFIG["Role"], zip_path, tags=None))
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["function"]["function_arn"] == ARN
