"""Unit tests of the sns_topic module (split out of tests/unit/test_foundation_modules.py)."""

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import sns
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import sns_topic

TAGS = {"wordpress_aws:stack": "blog"}


POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": "*",
        }
    ],
}


def test_topic_is_encrypted_and_idempotent(aws, run_module):
    client = aws("sns")
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    args = {"name": "blog-alerts", "kms_master_key_id": key, "policy": POLICY, "display_name": "Blog", "tags": TAGS}
    assert run_module(sns_topic, args, check_mode=True)["changed"] is True
    assert sns.find_topic_arn(client, "blog-alerts") is None

    created = run_module(sns_topic, args)
    assert created["changed"] is True
    attributes = client.get_topic_attributes(TopicArn=created["sns_topic"]["topic_arn"])["Attributes"]
    assert attributes["KmsMasterKeyId"] == key
    assert json.loads(attributes["Policy"])["Statement"][0]["Action"] == "sns:Publish"
    assert run_module(sns_topic, args)["changed"] is False
    assert run_module(sns_topic, args, check_mode=True)["changed"] is False


def test_topic_changes_only_what_differs(aws, run_module):
    run_module(sns_topic, {"name": "t", "display_name": "One", "tags": TAGS})
    result = run_module(sns_topic, {"name": "t", "display_name": "Two"})
    assert result["changed"] is True
    assert result["diff"]["before"]["attributes"]["DisplayName"] == "One"
    assert result["sns_topic"]["attributes"]["DisplayName"] == "Two"
    assert result["sns_topic"]["tags"] == TAGS  # tags unset: left alone


def test_topic_absent(aws, run_module):
    run_module(sns_topic, {"name": "t"})
    assert run_module(sns_topic, {"name": "t", "state": "absent"})["changed"] is True
    assert sns.find_topic_arn(aws("sns"), "t") is None
    assert run_module(sns_topic, {"name": "t", "state": "absent"})["changed"] is False
