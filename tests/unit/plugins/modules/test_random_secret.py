"""Unit tests of the random_secret module (split out of tests/unit/test_random_secret.py)."""

import json

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import random_secret

TAGS = {"wordpress_aws:stack": "blog"}


ARGS = {
    "name": "blog/db/app",
    "description": "WordPress DB user",
    "fields": {"username": "wpapp"},
    "generate": [{"name": "password", "length": 32}],
    "tags": TAGS,
}


def _value(client, name="blog/db/app"):
    return json.loads(client.get_secret_value(SecretId=name)["SecretString"])


def test_generated_once_and_kept(aws, run_module):
    client = aws("secretsmanager")
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    args = {**ARGS, "kms_key_id": key}
    assert run_module(random_secret, args, check_mode=True)["changed"] is True
    assert sm_api.describe(client, "blog/db/app") is None

    created = run_module(random_secret, args)
    assert created["changed"] is True
    value = _value(client)
    assert value["username"] == "wpapp" and len(value["password"]) == 32
    assert value["password"] not in json.dumps(created)
    assert created["secret"]["fields"] == ["password", "username"]
    assert created["secret"]["kms_key_id"] == key

    for check_mode in (True, False):
        again = run_module(random_secret, args, check_mode=check_mode)
        assert again["changed"] is False
    assert _value(client) == value


def test_static_field_change_keeps_the_generated_value(aws, run_module):
    client = aws("secretsmanager")
    run_module(random_secret, ARGS)
    before = _value(client)
    result = run_module(random_secret, {**ARGS, "fields": {"username": "wpapp2"}})
    assert result["changed"] is True
    after = _value(client)
    assert after == {"username": "wpapp2", "password": before["password"]}
    assert before["password"] not in json.dumps(result)


def test_new_generated_field_is_added(aws, run_module):
    client = aws("secretsmanager")
    run_module(random_secret, ARGS)
    password = _value(client)["password"]
    salts = [{"name": n, "length": 64} for n in ("AUTH_KEY", "SECURE_AUTH_KEY")]
    result = run_module(random_secret, {**ARGS, "generate": ARGS["generate"] + salts})
    assert result["changed"] is True
    value = _value(client)
    assert value["password"] == password
    assert len(value["AUTH_KEY"]) == 64 and value["AUTH_KEY"] != value["SECURE_AUTH_KEY"]


def test_tags_and_description(aws, run_module):
    run_module(random_secret, ARGS)
    result = run_module(random_secret, {**ARGS, "description": "changed", "tags": {"team": "web"}})
    assert result["changed"] is True
    assert result["secret"]["description"] == "changed"
    assert result["secret"]["tags"] == {"team": "web"}
    assert result["diff"]["before"]["tags"] == TAGS


def test_absent_and_restore(aws, run_module):
    client = aws("secretsmanager")
    run_module(random_secret, ARGS)
    password = _value(client)["password"]
    assert run_module(random_secret, {"name": ARGS["name"], "state": "absent", "recovery_window_days": 7})["changed"]
    assert sm_api.describe(client, ARGS["name"])["PendingDeletion"]
    restored = run_module(random_secret, ARGS)
    assert restored["changed"] is True
    assert _value(client)["password"] == password
    assert run_module(random_secret, {"name": ARGS["name"], "state": "absent", "recovery_window_days": 0})["changed"]
    assert sm_api.describe(client, ARGS["name"]) is None


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"recovery_window_days": 3}, "recovery_window_days 3"),
        ({"generate": [{"name": "password", "length": 4}]}, "length 4 must be between 8 and 4096"),
        ({"generate": [{"name": "username"}]}, "field username is both static"),
    ],
)
def test_bad_arguments(aws, run_module, override, message):
    result = run_module(random_secret, {**ARGS, **override})
    assert result["failed"] and message in result["msg"]


def test_initial_fields_are_written_once_and_a_rotated_user_name_is_kept(aws, run_module):
    client = aws("secretsmanager")
    args = {**ARGS, "fields": {"dbname": "wordpress"}, "initial_fields": {"username": "wpapp"}}
    assert run_module(random_secret, args)["changed"] is True
    first = _value(client)
    assert first["username"] == "wpapp" and first["dbname"] == "wordpress"
    # a rotation with alternating users makes the clone current, with a new password
    rotated = {**first, "username": "wpapp_clone", "password": "rotated-password-0123456789abcdef"}
    client.put_secret_value(SecretId="blog/db/app", SecretString=json.dumps(rotated))
    for check_mode in (True, False):
        assert run_module(random_secret, args, check_mode=check_mode)["changed"] is False
    assert _value(client) == rotated
    # a static field still converges, the rotated user name and password stay
    assert run_module(random_secret, {**args, "fields": {"dbname": "blog"}})["changed"] is True
    assert _value(client) == {**rotated, "dbname": "blog"}


def test_a_field_both_initial_and_static_is_refused(aws, run_module):
    result = run_module(random_secret, {**ARGS, "initial_fields": {"username": "wpapp"}})
    assert result["failed"] and "both static (fields) and initial (initial_fields)" in result["msg"]


STACK_PATH = "/wordpress-aws/blog/"
ADMIN = "arn:aws:iam::123456789012:role/SecurityAdmin"


def _policy(client, name="blog/db/app"):
    raw = client.get_resource_policy(SecretId=name).get("ResourcePolicy")
    return json.loads(raw) if raw else None


def test_the_resource_policy_denies_all_but_the_stack_roles_the_deployer_root_and_admins(aws, run_module):
    client = aws("secretsmanager")
    args = {**ARGS, "allowed_principals": {"iam_paths": [STACK_PATH], "arns": [ADMIN]}}
    run_module(random_secret, ARGS)
    assert _policy(client) is None
    # check mode reports the change and writes nothing
    assert run_module(random_secret, args, check_mode=True)["changed"] is True
    assert _policy(client) is None
    result = run_module(random_secret, args)
    assert result["changed"] is True
    caller = aws("sts").get_caller_identity()["Arn"]
    expected = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyAllButTheStackRolesAndAdmins",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "secretsmanager:*",
                "Resource": "*",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": sorted(
                            [
                                "arn:aws:iam::123456789012:role/wordpress-aws/blog/*",
                                "arn:aws:iam::123456789012:root",
                                ADMIN,
                                caller,
                            ]
                        )
                    }
                },
            }
        ],
    }
    assert _policy(client) == expected
    assert result["secret"]["resource_policy"] == expected
    assert result["diff"]["before"]["resource_policy"] is None
    # idempotent; an equivalent policy written in another order is not rewritten
    for check_mode in (True, False):
        assert run_module(random_secret, args, check_mode=check_mode)["changed"] is False
    reordered = json.loads(json.dumps(expected))
    reordered["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"].reverse()
    reordered["Statement"][0]["Action"] = ["secretsmanager:*"]
    client.put_resource_policy(SecretId="blog/db/app", ResourcePolicy=json.dumps(reordered))
    assert run_module(random_secret, args)["changed"] is False
    # a drifted policy (an admin removed) is put back; without the option the policy is left alone
    drifted = json.loads(json.dumps(expected))
    drifted["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"].append("arn:aws:iam::123456789012:role/x")
    client.put_resource_policy(SecretId="blog/db/app", ResourcePolicy=json.dumps(drifted))
    assert run_module(random_secret, ARGS)["changed"] is False
    assert run_module(random_secret, args)["changed"] is True
    assert _policy(client) == expected


def test_a_new_secret_gets_its_policy_at_creation(aws, run_module):
    client = aws("secretsmanager")
    run_module(random_secret, {**ARGS, "allowed_principals": {"iam_paths": [STACK_PATH]}})
    patterns = _policy(client)["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert "arn:aws:iam::123456789012:role/wordpress-aws/blog/*" in patterns


def test_bad_principals_are_refused_before_any_call(aws, run_module):
    client = aws("secretsmanager")
    result = run_module(
        random_secret, {**ARGS, "allowed_principals": {"iam_paths": ["wordpress-aws"], "arns": ["SecurityAdmin"]}}
    )
    assert result["failed"]
    assert "iam_paths entry 'wordpress-aws' must be an IAM path" in result["msg"]
    assert "arns entry 'SecurityAdmin' must be an IAM principal ARN" in result["msg"]
    assert sm_api.describe(client, "blog/db/app") is None


def test_put_policy_blocks_public_policies(aws):
    """Stubber: the request Secrets Manager gets (BlockPublicPolicy on), checked against the service model."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("secretsmanager", region_name="eu-west-3")
    policy = {"Version": "2012-10-17", "Statement": []}
    with Stubber(client) as stub:
        stub.add_response(
            "put_resource_policy",
            {"ARN": "arn:aws:secretsmanager:eu-west-3:123456789012:secret:blog/db/app-AbCdEf", "Name": "blog/db/app"},
            {"SecretId": "blog/db/app", "ResourcePolicy": json.dumps(policy), "BlockPublicPolicy": True},
        )
        sm_api.put_policy(client, "blog/db/app", policy)
        stub.assert_no_pending_responses()


def test_a_lost_create_answer_resends_one_token_and_adopts_the_secret(aws, run_module, lost_answer):
    """CreateSecret after a lost answer: the retry carries the same ClientRequestToken (botocore makes a new one per
    call) and its ResourceExistsException adopts the secret the first attempt stored."""
    client = aws("secretsmanager")
    calls = lost_answer("CreateSecret")
    result = run_module(random_secret, ARGS)
    assert result.get("failed") is not True, result
    assert result["changed"] is True and len(calls) == 2
    assert calls[0]["ClientRequestToken"] == calls[1]["ClientRequestToken"]
    assert calls[0]["SecretString"] == calls[1]["SecretString"]
    assert _value(client)["username"] == "wpapp"
    assert len(client.list_secrets()["SecretList"]) == 1


def test_a_lost_put_value_answer_resends_the_same_version_token(aws, run_module, lost_answer):
    """PutSecretValue after a lost answer: the same ClientRequestToken, so AWS stores no second version."""
    run_module(random_secret, ARGS)
    calls = lost_answer("PutSecretValue")
    result = run_module(random_secret, {**ARGS, "fields": {"username": "wpapp2"}})
    assert result.get("failed") is not True, result
    assert len(calls) == 2 and calls[0]["ClientRequestToken"] == calls[1]["ClientRequestToken"]
    assert _value(aws("secretsmanager"))["username"] == "wpapp2"
