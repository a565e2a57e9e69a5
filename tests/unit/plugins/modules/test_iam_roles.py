"""Unit tests of the iam_roles module: moto for the converge, botocore's Stubber for a lost CreateRole answer."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import iam_roles

from . import _front

TAGS = {"wordpress_aws:stack": "blog"}

# the fault front's fixtures (tests/unit/plugins/modules/_front.py)
emulator_port = _front.emulator_port
lost_front = _front.lost_front
PATH = "/wordpress-aws/blog/"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:log-group:x:*"}],
}
SECRETS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}],
}


def _roles(trust=None, logs=None):
    trust = TRUST if trust is None else trust
    logs = LOGS if logs is None else logs
    return [
        {
            "name": "blog-fn",
            "path": PATH,
            "description": "the function",
            "assume_role_policy": json.dumps(trust),
            "managed_policy_arns": [],
            "inline_policies": {"write-logs": json.dumps(logs)},
        },
        {
            "name": "blog-other",
            "path": PATH,
            "description": "another",
            "assume_role_policy": trust,
            "managed_policy_arns": [],
            "inline_policies": {"read-secrets": SECRETS},
            "max_session_duration": 7200,
        },
    ]


def _args(**extra):
    return {"roles": _roles(), "tags": TAGS, **extra}


def test_roles_are_created_once_with_their_policies_and_a_rerun_changes_nothing(aws, run_module):
    iam = aws("iam")
    planned = run_module(iam_roles, _args(), check_mode=True)
    assert planned["changed"] is True
    assert planned["iam_roles"]["blog-fn"]["created"] is True
    assert planned["iam_roles"]["blog-fn"]["arn"] == ""
    assert iam.list_roles()["Roles"] == []

    first = run_module(iam_roles, _args())
    assert first["changed"] is True, first
    fn = first["iam_roles"]["blog-fn"]
    assert fn["created"] is True and fn["changed"] is True and fn["policies_changed"] is True
    assert fn["arn"].endswith(":role/wordpress-aws/blog/blog-fn")
    assert fn["inline_policy_names"] == ["write-logs"]
    assert first["iam_roles"]["blog-other"]["max_session_duration"] == 7200
    assert iam.get_role_policy(RoleName="blog-fn", PolicyName="write-logs")["PolicyDocument"] == LOGS
    assert {t["Key"]: t["Value"] for t in iam.get_role(RoleName="blog-other")["Role"]["Tags"]} == TAGS

    for check_mode in (True, False):
        again = run_module(iam_roles, _args(), check_mode=check_mode)
        assert again["changed"] is False, again["changes"]
        assert again["iam_roles"]["blog-fn"]["arn"] == fn["arn"]
        assert again["iam_roles"]["blog-fn"]["created"] is False
    assert len(iam.list_roles()["Roles"]) == 2


def test_a_policy_written_in_another_spelling_is_not_rewritten(aws, run_module):
    run_module(iam_roles, _args())
    # The same policy, its single action as a string and its keys reordered: the same document to IAM.
    same = {"Statement": [{"Resource": LOGS["Statement"][0]["Resource"], "Action": "logs:PutLogEvents",
                           "Effect": "Allow"}], "Version": "2012-10-17"}  # fmt: skip
    roles = _roles(logs=same)
    assert run_module(iam_roles, {"roles": roles, "tags": TAGS})["changed"] is False


def test_drift_of_trust_inline_managed_and_tags_is_repaired(aws, run_module):
    iam = aws("iam")
    run_module(iam_roles, _args())
    managed = iam.create_policy(PolicyName="extra", PolicyDocument=json.dumps(SECRETS))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="blog-fn", PolicyArn=managed)
    iam.put_role_policy(RoleName="blog-fn", PolicyName="write-logs", PolicyDocument=json.dumps(SECRETS))
    iam.put_role_policy(RoleName="blog-fn", PolicyName="stray", PolicyDocument=json.dumps(SECRETS))
    iam.update_assume_role_policy(RoleName="blog-fn", PolicyDocument=json.dumps(
        {**TRUST, "Statement": [{**TRUST["Statement"][0], "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}
    ))  # fmt: skip
    iam.tag_role(RoleName="blog-fn", Tags=[{"Key": "extra", "Value": "1"}])

    planned = run_module(iam_roles, _args(), check_mode=True)
    assert sorted(planned["iam_roles"]["blog-fn"]["changes"]) == sorted(
        ["trust policy", "tags", f"detach {managed}", "update policy write-logs", "delete policy stray"]
    )
    assert sorted(iam.list_role_policies(RoleName="blog-fn")["PolicyNames"]) == ["stray", "write-logs"]  # unwritten

    repaired = run_module(iam_roles, _args())
    assert repaired["changed"] is True
    assert repaired["iam_roles"]["blog-fn"]["created"] is False
    assert repaired["iam_roles"]["blog-fn"]["policies_changed"] is True
    assert repaired["iam_roles"]["blog-other"]["changed"] is False
    assert repaired["iam_roles"]["blog-other"]["policies_changed"] is False
    assert iam.list_role_policies(RoleName="blog-fn")["PolicyNames"] == ["write-logs"]
    assert iam.get_role_policy(RoleName="blog-fn", PolicyName="write-logs")["PolicyDocument"] == LOGS
    assert iam.list_attached_role_policies(RoleName="blog-fn")["AttachedPolicies"] == []
    role = iam.get_role(RoleName="blog-fn")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert {t["Key"] for t in role["Tags"]} == set(TAGS)
    assert run_module(iam_roles, _args())["changed"] is False


def test_absent_deletes_policies_and_attachments_then_the_role(aws, run_module):
    iam = aws("iam")
    run_module(iam_roles, _args())
    managed = iam.create_policy(PolicyName="extra", PolicyDocument=json.dumps(SECRETS))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="blog-other", PolicyArn=managed)
    iam.create_instance_profile(InstanceProfileName="blog-other")
    iam.add_role_to_instance_profile(InstanceProfileName="blog-other", RoleName="blog-other")
    gone = {"roles": [{"name": "blog-fn"}, {"name": "blog-other"}], "state": "absent"}

    planned = run_module(iam_roles, gone, check_mode=True)
    assert planned["changed"] is True
    assert len(iam.list_roles()["Roles"]) == 2

    done = run_module(iam_roles, gone)
    assert done["changes"] == ["blog-fn: deleted", "blog-other: deleted"]
    assert iam.list_roles()["Roles"] == []
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    assert run_module(iam_roles, gone)["changed"] is False


def test_a_role_listed_absent_beside_present_ones_is_deleted(aws, run_module):
    iam = aws("iam")
    run_module(iam_roles, _args())
    roles = [_roles()[0], {"name": "blog-other", "state": "absent"}]
    result = run_module(iam_roles, {"roles": roles, "tags": TAGS})
    assert result["changes"] == ["blog-other: deleted"]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["blog-fn"]


def test_bad_input_fails_before_any_call_naming_the_role_and_option(run_module):
    roles = [{"name": "ok", "assume_role_policy": "{not json", "max_session_duration": 60},
             {"name": "ok", "inline_policies": {"p": {"Version": "2012-10-17"}}}]  # fmt: skip
    result = run_module(iam_roles, {"roles": roles})
    assert result["failed"] is True
    assert "roles[ok].assume_role_policy: not a JSON policy document" in result["msg"]
    assert "roles[ok].max_session_duration 60" in result["msg"]
    assert "roles[ok]: listed twice" in result["msg"]
    assert "roles[ok].inline_policies.p: a policy document needs a Statement" in result["msg"]


# --- a lost CreateRole answer, through botocore's Stubber ------------------------------------------------------

ARN = "arn:aws:iam::123456789012:role/wordpress-aws/blog/blog-fn"
CREATED = "2026-12-02T06:00:00Z"


def _aws_role(tags=None):
    tags = TAGS if tags is None else tags
    return {
        "Path": PATH,
        "RoleName": "blog-fn",
        "RoleId": "AROAEXAMPLEEXAMPLE01",
        "Arn": ARN,
        "CreateDate": CREATED,
        "AssumeRolePolicyDocument": quote(json.dumps(TRUST)),  # IAM answers URL-encoded JSON
        "Description": "the function",
        "MaxSessionDuration": 3600,
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


@pytest.mark.parametrize("lost", ["ServiceUnavailable", "InternalFailure"])
def test_a_lost_create_answer_adopts_the_role_the_first_attempt_made(stubbed, run_module, no_sleep, lost):
    iam = stubbed("iam", "us-east-1")
    name = {"RoleName": "blog-fn"}
    iam.add_client_error("get_role", "NoSuchEntity", http_status_code=404, expected_params=name)
    # The first CreateRole was applied, its answer lost (a 5xx); the retry finds the role made.
    iam.add_client_error("create_role", lost, http_status_code=503 if lost == "ServiceUnavailable" else 500)
    iam.add_client_error("create_role", "EntityAlreadyExists", http_status_code=409)
    # Adopted: read whole, then only what CreateRole could not take is written (the inline policy).
    iam.add_response("get_role", {"Role": _aws_role()}, name)
    iam.add_response("list_role_policies", {"PolicyNames": [], "IsTruncated": False}, name)
    iam.add_response("list_attached_role_policies", {"AttachedPolicies": [], "IsTruncated": False}, name)
    iam.add_response(
        "put_role_policy",
        {},
        {"RoleName": "blog-fn", "PolicyName": "write-logs", "PolicyDocument": json.dumps(LOGS, sort_keys=True)},
    )
    iam.add_response("get_role", {"Role": _aws_role()}, name)
    iam.add_response("list_role_policies", {"PolicyNames": ["write-logs"], "IsTruncated": False}, name)
    iam.add_response(
        "get_role_policy",
        {"RoleName": "blog-fn", "PolicyName": "write-logs", "PolicyDocument": quote(json.dumps(LOGS))},
        {"RoleName": "blog-fn", "PolicyName": "write-logs"},
    )
    iam.add_response("list_attached_role_policies", {"AttachedPolicies": [], "IsTruncated": False}, name)

    result = run_module(iam_roles, {"roles": [_roles()[0]], "tags": TAGS})
    assert not result.get("failed"), result
    role = result["iam_roles"]["blog-fn"]
    assert role["arn"] == ARN
    assert role["created"] is True
    assert role["changes"] == ["created", "put policy write-logs"]
    # The Stubber refuses any call not queued: no third CreateRole, no second role.


def test_a_lost_delete_answer_is_success(stubbed, run_module, no_sleep):
    iam = stubbed("iam", "us-east-1")
    name = {"RoleName": "blog-fn"}
    iam.add_response("get_role", {"Role": _aws_role()}, name)
    iam.add_response("list_role_policies", {"PolicyNames": ["write-logs"], "IsTruncated": False}, name)
    iam.add_client_error("delete_role_policy", "ServiceUnavailable", http_status_code=503)
    iam.add_client_error("delete_role_policy", "NoSuchEntity", http_status_code=404)
    iam.add_response("list_attached_role_policies", {"AttachedPolicies": [], "IsTruncated": False}, name)
    iam.add_response("list_instance_profiles_for_role", {"InstanceProfiles": [], "IsTruncated": False}, name)
    iam.add_client_error("delete_role", "InternalFailure", http_status_code=500)
    iam.add_client_error("delete_role", "NoSuchEntity", http_status_code=404)
    result = run_module(iam_roles, {"roles": [{"name": "blog-fn"}], "state": "absent"})
    assert not result.get("failed"), result
    assert result["changes"] == ["blog-fn: deleted"]


# --- a lost CreateRole answer, through scripts/fault_front.py and botocore's own retry ---------------------------


@pytest.mark.parametrize("mode", ["500", "close"])
def test_through_the_fault_front_a_lost_create_role_answer_adopts_the_one_role(lost_front, run_module, mode):
    """Every successful write's answer is lost: botocore retries CreateRole, meets EntityAlreadyExists; adopted."""
    connection, ledger, direct = lost_front(mode)
    name = f"blog-lost-{mode}"
    role = {"name": name, "path": PATH, "description": "the function", "assume_role_policy": TRUST}
    result = run_module(iam_roles, {"roles": [role], "tags": TAGS, **connection})
    assert not result.get("failed"), result
    assert result["iam_roles"][name]["created"] is True
    assert result["iam_roles"][name]["arn"].endswith(f":role/wordpress-aws/blog/{name}")
    assert json.loads(ledger.read_text())["counts"]["lost_response"] == 1
    roles = [r for r in direct("iam").list_roles()["Roles"] if r["RoleName"] == name]
    assert len(roles) == 1
    assert run_module(iam_roles, {"roles": [role], "tags": TAGS, **connection})["changed"] is False


def test_a_tag_change_alone_is_not_a_policy_change(aws, run_module):
    run_module(iam_roles, _args())
    aws("iam").tag_role(RoleName="blog-fn", Tags=[{"Key": "extra", "Value": "1"}])
    role = run_module(iam_roles, _args())["iam_roles"]["blog-fn"]
    assert (role["changed"], role["policies_changed"], role["changes"]) == (True, False, ["tags"])
