"""Unit tests of the kms_key module against moto: one key per alias, even after a lost answer."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import kms
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import kms_key

ALIAS = "alias/wordpress-aws/blog"
TAGS = {"wordpress_aws:stack": "blog"}


def policy(account="123456789012", sid="root"):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": sid,
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    )


def args(**extra):
    return {"alias": ALIAS, "description": "blog key", "policy": policy(), "tags": TAGS, **extra}


def customer_keys(client):
    keys = [client.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in client.list_keys()["Keys"]]
    return [k for k in keys if k["KeyManager"] == "CUSTOMER" and k["KeyState"] == "Enabled"]


def test_key_is_created_with_its_alias_and_a_rerun_changes_nothing(aws, run_module):
    client = aws("kms")
    check = run_module(kms_key, args(), check_mode=True)
    assert check["changed"] is True and customer_keys(client) == []
    created = run_module(kms_key, args())
    assert created["changed"] is True and created["changes"] == ["created"]
    (key,) = customer_keys(client)
    assert created["key_arn"] == key["Arn"] and created["key"]["alias"] == ALIAS
    assert client.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == key["KeyId"]
    assert created["key"]["enable_key_rotation"] is True
    assert created["key"]["tags"] == {**TAGS, kms.ALIAS_TAG: ALIAS}
    again = run_module(kms_key, args())
    assert again["changed"] is False, again["changes"]
    assert run_module(kms_key, args(), check_mode=True)["changed"] is False


def test_description_policy_rotation_and_tags_are_converged(aws, run_module):
    client = aws("kms")
    run_module(kms_key, args())
    changed = run_module(
        kms_key,
        args(description="new", policy=policy(sid="other"), enable_key_rotation=False, tags={"owner": "ops"}),
    )
    assert changed["changes"] == ["description", "policy", "rotation", "tags"]
    key_id = changed["key_id"]
    assert client.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "new"
    assert (
        json.loads(client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])["Statement"][0]["Sid"]
        == "other"
    )
    assert client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False
    # the alias tag survives the purge: the module finds the key by it
    assert changed["key"]["tags"] == {"owner": "ops", kms.ALIAS_TAG: ALIAS}


def test_a_lost_create_key_answer_makes_no_second_key(aws, run_module, lost_answer):
    """CreateKey has no token: the key the lost answer made is found by its tag, given its alias, and used."""
    client = aws("kms")
    calls = lost_answer("CreateKey")
    created = run_module(kms_key, args())
    assert created.get("failed") is not True, created
    assert created["changed"] is True and len(calls) == 1
    (key,) = customer_keys(client)
    assert created["key_id"] == key["KeyId"]
    assert client.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == key["KeyId"]


def test_a_lost_create_alias_answer_is_adopted(aws, run_module, lost_answer):
    """CreateAlias has no token: its retry answers AlreadyExistsException against our key, which is fine."""
    client = aws("kms")
    calls = lost_answer("CreateAlias")
    created = run_module(kms_key, args())
    assert created.get("failed") is not True, created
    assert len(calls) == 2 and len(customer_keys(client)) == 1


def test_a_key_left_without_its_alias_by_an_interrupted_run_is_adopted(aws, run_module):
    client = aws("kms")
    orphan = client.create_key(Tags=[{"TagKey": kms.ALIAS_TAG, "TagValue": ALIAS}])["KeyMetadata"]["KeyId"]
    client.create_key(Tags=[{"TagKey": kms.ALIAS_TAG, "TagValue": "alias/someone-else"}])
    result = run_module(kms_key, args())
    assert result["key_id"] == orphan and "alias" in result["changes"]
    assert client.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == orphan
    assert len(customer_keys(client)) == 2


def test_upstream_kms_key_under_the_same_fault_leaves_a_key_without_alias_and_makes_another(
    aws, run_module, lost_answer
):
    """Why this module exists: amazon.aws.kms_key finds a key by alias only, so a lost CreateKey answer fails the
    task, and the next run creates a second key (the first stays, without an alias, billed)."""
    from ansible_collections.amazon.aws.plugins.modules import kms_key as upstream

    client = aws("kms")
    lost_answer("CreateKey")
    upstream_args = {"alias": ALIAS, "description": "blog key", "tags": TAGS}
    assert run_module(upstream, upstream_args).get("failed") is True
    assert run_module(upstream, upstream_args).get("failed") is not True
    assert len(customer_keys(client)) == 2
