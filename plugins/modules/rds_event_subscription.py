#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: rds_event_subscription
short_description: An RDS event subscription that sends a database's events to an SNS topic
version_added: 0.4.0
description:
  - Creates, updates or deletes the RDS event subscription O(name), which sends the events of O(event_categories)
    of the sources O(source_ids) (of O(source_type)) to O(sns_topic_arn).
  - Topic, source type, categories and the enabled switch change with C(ModifyEventSubscription); sources are
    added and removed one by one (C(AddSourceIdentifierToSubscription), C(RemoveSourceIdentifierFromSubscription)),
    so a read replica that appears or goes changes the subscription without recreating it.
  - No module of amazon.aws or community.aws manages RDS event subscriptions.
options:
  name:
    description: The subscription's name.
    type: str
    required: true
  sns_topic_arn:
    description: Where the events go. Required with O(state=present).
    type: str
  source_type:
    description: The kind of source.
    type: str
    choices: [db-instance, db-cluster, db-parameter-group, db-security-group, db-snapshot, db-cluster-snapshot]
    default: db-instance
  source_ids:
    description: The sources (for example DB instance identifiers); empty - every source of O(source_type).
    type: list
    elements: str
    default: []
  event_categories:
    description: The event categories (empty - all), for example C(failover), C(low storage), C(maintenance).
    type: list
    elements: str
    default: []
  enabled:
    description: Whether events are sent.
    type: bool
    default: true
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
author:
  - techblogpro platform team (@techblogpro)
"""

EXAMPLES = r"""
- name: Failover, storage and maintenance events of the database to the alert topic
  techblogpro.wordpress_aws.rds_event_subscription:
    name: techblog-prod-db-events
    sns_topic_arn: arn:aws:sns:eu-west-3:123456789012:techblog-prod-alerts
    source_ids: [techblog-prod-db]
    event_categories: [availability, failover, failure, low storage, maintenance, recovery]
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: What was created or changed (C(created), the modified parameters, sources added or removed, C(tags)).
  returned: always
  type: list
  elements: str
subscription:
  description: The subscription (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: Its name.
      type: str
    sns_topic_arn:
      description: The topic.
      type: str
    source_type:
      description: The kind of source.
      type: str
    source_ids:
      description: The sources.
      type: list
    event_categories:
      description: The categories.
      type: list
    enabled:
      description: Whether events are sent.
      type: bool
    status:
      description: RDS's status (C(active), C(no-permission) when the topic refuses RDS).
      type: str
"""

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule


@AWSRetry.jittered_backoff()
def describe(client, name):
    try:
        found = client.describe_event_subscriptions(SubscriptionName=name)["EventSubscriptionsList"]
    except is_boto3_error_code("SubscriptionNotFound"):
        return None
    return found[0] if found else None


def view(raw):
    if not raw:
        return {}
    return {
        "name": raw["CustSubscriptionId"],
        "arn": raw.get("EventSubscriptionArn", ""),
        "sns_topic_arn": raw.get("SnsTopicArn", ""),
        "source_type": raw.get("SourceType", ""),
        "source_ids": sorted(raw.get("SourceIdsList", [])),
        "event_categories": sorted(raw.get("EventCategoriesList", [])),
        "enabled": bool(raw.get("Enabled")),
        "status": raw.get("Status", ""),
    }


def modifications(current: dict, wanted: dict) -> dict:
    """The ModifyEventSubscription parameters whose value differs."""
    changes = {}
    if current["sns_topic_arn"] != wanted["sns_topic_arn"]:
        changes["SnsTopicArn"] = wanted["sns_topic_arn"]
    if current["source_type"] != wanted["source_type"]:
        changes["SourceType"] = wanted["source_type"]
    if current["event_categories"] != wanted["event_categories"]:
        changes["EventCategories"] = wanted["event_categories"]
    if current["enabled"] != wanted["enabled"]:
        changes["Enabled"] = wanted["enabled"]
    return changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            sns_topic_arn=dict(type="str"),
            source_type=dict(
                type="str",
                default="db-instance",
                choices=[
                    "db-instance",
                    "db-cluster",
                    "db-parameter-group",
                    "db-security-group",
                    "db-snapshot",
                    "db-cluster-snapshot",
                ],
            ),
            source_ids=dict(type="list", elements="str", default=[]),
            event_categories=dict(type="list", elements="str", default=[]),
            enabled=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["sns_topic_arn"])],
        supports_check_mode=True,
    )
    p = module.params
    name = p["name"]
    wanted = {
        "name": name,
        "sns_topic_arn": p["sns_topic_arn"],
        "source_type": p["source_type"],
        "source_ids": sorted(set(p["source_ids"])),
        "event_categories": sorted(set(p["event_categories"])),
        "enabled": p["enabled"],
    }
    client = module.client("rds")
    changed, changes = False, []
    try:
        raw = describe(client, name)
        current = view(raw)
        after = current
        if p["state"] == "absent":
            if raw:
                changed, after = True, {}
                if not module.check_mode:
                    client.delete_event_subscription(SubscriptionName=name)
        elif raw is None:
            changed, changes = True, ["created"]
            after = {**wanted, "status": "creating"}
            if not module.check_mode:
                request = {
                    "SubscriptionName": name,
                    "SnsTopicArn": wanted["sns_topic_arn"],
                    "SourceType": wanted["source_type"],
                    "Enabled": wanted["enabled"],
                    "Tags": ansible_dict_to_boto3_tag_list(p["tags"] or {}),
                }
                if wanted["source_ids"]:
                    request["SourceIds"] = wanted["source_ids"]
                if wanted["event_categories"]:
                    request["EventCategories"] = wanted["event_categories"]
                client.create_event_subscription(**request)
                after = view(describe(client, name))
        else:
            modify = modifications(current, wanted)
            to_add = sorted(set(wanted["source_ids"]) - set(current["source_ids"]))
            to_remove = sorted(set(current["source_ids"]) - set(wanted["source_ids"]))
            changes = sorted(modify) + [f"add source {s}" for s in to_add] + [f"remove source {s}" for s in to_remove]
            tags_add, tags_remove = {}, []
            if p["tags"] is not None:
                have_tags = boto3_tag_list_to_ansible_dict(
                    client.list_tags_for_resource(ResourceName=raw["EventSubscriptionArn"]).get("TagList", [])
                )
                tags_add, tags_remove = compare_aws_tags(have_tags, p["tags"], p["purge_tags"])
                if tags_add or tags_remove:
                    changes.append("tags")
            changed = bool(changes)
            after = {**current, **{k: wanted[k] for k in wanted}} if changed else current
            if changed and not module.check_mode:
                if modify:
                    client.modify_event_subscription(SubscriptionName=name, **modify)
                for source in to_add:
                    client.add_source_identifier_to_subscription(SubscriptionName=name, SourceIdentifier=source)
                for source in to_remove:
                    client.remove_source_identifier_from_subscription(SubscriptionName=name, SourceIdentifier=source)
                if tags_remove:
                    client.remove_tags_from_resource(ResourceName=raw["EventSubscriptionArn"], TagKeys=tags_remove)
                if tags_add:
                    client.add_tags_to_resource(
                        ResourceName=raw["EventSubscriptionArn"], Tags=ansible_dict_to_boto3_tag_list(tags_add)
                    )
                after = view(describe(client, name))
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage the RDS event subscription {name}")
    module.exit_json(changed=changed, changes=changes, subscription=after, diff={"before": current, "after": after})


if __name__ == "__main__":
    main()
