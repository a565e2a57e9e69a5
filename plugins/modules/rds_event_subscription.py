#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: rds_event_subscription
short_description: An RDS event subscription that sends a database's events to an SNS topic
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
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

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import set_tags
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes

SOURCE_TYPES = [
    "db-instance",
    "db-cluster",
    "db-parameter-group",
    "db-security-group",
    "db-snapshot",
    "db-cluster-snapshot",
]
MODIFIABLE = {
    "sns_topic_arn": "SnsTopicArn",
    "source_type": "SourceType",
    "event_categories": "EventCategories",
    "enabled": "Enabled",
}


def describe(client, name):
    try:
        found = client.describe_event_subscriptions(SubscriptionName=name, aws_retry=True)["EventSubscriptionsList"]
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
    return {api: wanted[key] for key, api in MODIFIABLE.items() if current[key] != wanted[key]}


class Subscription:
    """The writes of one subscription; ``plan`` is what :meth:`differences` found to do."""

    def __init__(self, client, params: dict):
        self.client, self.params = client, params
        self.name = params["name"]
        self.wanted = {
            "name": self.name,
            "sns_topic_arn": params["sns_topic_arn"],
            "source_type": params["source_type"],
            "source_ids": sorted(set(params["source_ids"])),
            "event_categories": sorted(set(params["event_categories"])),
            "enabled": params["enabled"],
        }
        self.plan: dict = {}

    def find(self):
        return describe(self.client, self.name)

    def differences(self, raw) -> list[str]:
        current = view(raw)
        modify = modifications(current, self.wanted)
        to_add = sorted(set(self.wanted["source_ids"]) - set(current["source_ids"]))
        to_remove = sorted(set(current["source_ids"]) - set(self.wanted["source_ids"]))
        tags_add, tags_remove = {}, []
        if self.params["tags"] is not None:
            listed = self.client.list_tags_for_resource(ResourceName=raw["EventSubscriptionArn"], aws_retry=True)
            have_tags = boto3_tag_list_to_ansible_dict(listed.get("TagList", []))
            tags_add, tags_remove = tag_changes(self.params["tags"], have_tags, self.params["purge_tags"])
        self.plan = {"modify": modify, "add": to_add, "remove": to_remove, "tags": (tags_add, tags_remove)}
        changes = sorted(modify) + [f"add source {s}" for s in to_add] + [f"remove source {s}" for s in to_remove]
        return changes + (["tags"] if tags_add or tags_remove else [])

    def planned(self, raw) -> dict:
        return {**view(raw), **self.wanted} if raw else {**self.wanted, "status": "creating"}

    def create(self):
        request = {
            "SubscriptionName": self.name,
            "SnsTopicArn": self.wanted["sns_topic_arn"],
            "SourceType": self.wanted["source_type"],
            "Enabled": self.wanted["enabled"],
            "Tags": ansible_dict_to_boto3_tag_list(self.params["tags"] or {}),
        }
        if self.wanted["source_ids"]:
            request["SourceIds"] = self.wanted["source_ids"]
        if self.wanted["event_categories"]:
            request["EventCategories"] = self.wanted["event_categories"]
        # no token in CreateEventSubscription: a retry after a lost answer meets the subscription already made
        created, adopted = create_or_adopt(
            lambda: self.client.create_event_subscription(**request, aws_retry=True),
            self.find,
            ("SubscriptionAlreadyExist",),
        )
        return created if adopted else None  # converge describes a new one itself

    def update(self, raw, changes):
        client, name, arn = self.client, self.name, raw["EventSubscriptionArn"]
        if self.plan["modify"]:
            client.modify_event_subscription(SubscriptionName=name, **self.plan["modify"], aws_retry=True)
        for source in self.plan["add"]:
            client.add_source_identifier_to_subscription(SubscriptionName=name, SourceIdentifier=source, aws_retry=True)
        for source in self.plan["remove"]:
            client.remove_source_identifier_from_subscription(
                SubscriptionName=name, SourceIdentifier=source, aws_retry=True
            )
        set_tags(client, arn, *self.plan["tags"])

    def delete(self, raw):
        self.client.delete_event_subscription(SubscriptionName=self.name, aws_retry=True)


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            sns_topic_arn=dict(type="str"),
            source_type=dict(type="str", default="db-instance", choices=SOURCE_TYPES),
            source_ids=dict(type="list", elements="str", default=[]),
            event_categories=dict(type="list", elements="str", default=[]),
            enabled=dict(type="bool", default=True),
            **common_options(),
        ),
        required_if=[("state", "present", ["sns_topic_arn"])],
        supports_check_mode=True,
    )
    subscription = Subscription(aws_client(module, "rds"), module.params)
    converge(
        module,
        "subscription",
        find=subscription.find,
        differences=subscription.differences,
        create=subscription.create,
        update=subscription.update,
        delete=subscription.delete,
        result=view,
        planned=subscription.planned,
        label=f"the RDS event subscription {subscription.name}",
    )


if __name__ == "__main__":
    main()
