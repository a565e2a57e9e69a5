# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SNS topic calls. community.aws ``sns_topic`` cannot set a KMS key (KmsMasterKeyId) on a topic."""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

# Module option -> SNS attribute name, for the attributes we manage.
ATTRIBUTES = {"display_name": "DisplayName", "kms_key_id": "KmsMasterKeyId", "policy": "Policy"}


@AWSRetry.jittered_backoff()
def find_topic_arn(client, name: str) -> str | None:
    paginator = client.get_paginator("list_topics")
    for page in paginator.paginate():
        for topic in page.get("Topics", []):
            if topic["TopicArn"].rsplit(":", 1)[-1] == name:
                return topic["TopicArn"]
    return None


@AWSRetry.jittered_backoff()
def describe_topic(client, arn: str) -> dict | None:
    response = or_none(client.get_topic_attributes, "NotFound", TopicArn=arn)
    if response is None:
        return None
    attributes = response["Attributes"]
    tags = client.list_tags_for_resource(ResourceArn=arn).get("Tags", [])
    return {"topic_arn": arn, "attributes": attributes, "tags": boto3_tag_list_to_ansible_dict(tags)}


@AWSRetry.jittered_backoff()
def create_topic(client, name: str, attributes: dict, tags: dict) -> str:
    return client.create_topic(Name=name, Attributes=attributes, Tags=ansible_dict_to_boto3_tag_list(tags))["TopicArn"]


@AWSRetry.jittered_backoff()
def set_attribute(client, arn: str, name: str, value: str) -> None:
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)


@AWSRetry.jittered_backoff()
def delete_topic(client, arn: str) -> None:
    client.delete_topic(TopicArn=arn)


def desired_attributes(params: dict) -> dict:
    """SNS attributes from module options; unset options are left alone."""
    wanted = {}
    for option, attribute in ATTRIBUTES.items():
        value = params.get(option)
        if value is None:
            continue
        wanted[attribute] = json.dumps(value, sort_keys=True) if option == "policy" else str(value)
    return wanted


def attribute_changes(current: dict, wanted: dict) -> dict:
    """The attributes whose value differs from what the topic has."""
    changes = {}
    for attribute, value in wanted.items():
        have = current.get(attribute)
        if attribute == "Policy":
            if not have or compare_policies(json.loads(have), json.loads(value)):
                changes[attribute] = value
        elif (have or "") != value:
            changes[attribute] = value
    return changes
