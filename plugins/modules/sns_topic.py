#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: sns_topic
short_description: Manage an SNS topic encrypted with a KMS key
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes a standard SNS topic with its display name, KMS key, access policy and tags.
  - M(community.aws.sns_topic) cannot set C(KmsMasterKeyId); this module exists for encryption at rest.
  - Subscriptions are not managed here.
options:
  name:
    description: The topic name.
    type: str
    required: true
  display_name:
    description: The display name (used as the sender of SMS and e-mail notifications).
    type: str
  kms_key_id:
    aliases: [kms_master_key_id]
    description: The KMS key (id, ARN or alias) that encrypts messages at rest.
    type: str
  policy:
    description: The topic's access policy, as a dict.
    type: dict
"""

EXAMPLES = r"""
- name: Create the encrypted alert topic
  techblogpro.wordpress_aws.sns_topic:
    name: techblog-prod-alerts
    kms_key_id: "{{ key_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), the SNS attributes set (V(DisplayName), V(KmsMasterKeyId), V(Policy)), V(tags).
  returned: always
  type: list
  elements: str
  sample: [DisplayName, tags]
sns_topic:
  description: The topic (empty when absent).
  returned: always
  type: dict
  contains:
    topic_arn:
      description: The topic ARN.
      type: str
    attributes:
      description: The topic attributes as SNS returns them.
      type: dict
    tags:
      description: The topic's tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import sns
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            display_name=dict(type="str"),
            kms_key_id=dict(type="str", no_log=False, aliases=["kms_master_key_id"]),
            policy=dict(type="dict"),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    p = module.params
    client = aws_client(module, "sns")
    wanted = sns.desired_attributes(p)

    def find():
        arn = sns.find_topic_arn(client, p["name"])
        return sns.describe_topic(client, arn) if arn else None

    def tag_changes(current):
        return tagging.tag_changes(p["tags"], current["tags"], p["purge_tags"])

    def differences(current):
        to_set, to_remove = tag_changes(current)
        return sorted(sns.attribute_changes(current["attributes"], wanted)) + (["tags"] if to_set or to_remove else [])

    def create():
        # The policy is set after creation: SNS rejects some policies at create time on some endpoints.
        arn = sns.create_topic(client, p["name"], {k: v for k, v in wanted.items() if k != "Policy"}, p["tags"] or {})
        if "Policy" in wanted:
            sns.set_attribute(client, arn, "Policy", wanted["Policy"])
        return sns.describe_topic(client, arn)

    def update(current, _changes):
        for attribute, value in sns.attribute_changes(current["attributes"], wanted).items():
            sns.set_attribute(client, current["topic_arn"], attribute, value)
        tagging.set_tags(client, current["topic_arn"], *tag_changes(current))
        return sns.describe_topic(client, current["topic_arn"])

    def planned(current):
        if current is None:
            return {"topic_arn": None, "attributes": wanted, "tags": p["tags"] or {}}
        to_set, to_remove = tag_changes(current)
        return {
            "topic_arn": current["topic_arn"],
            "attributes": {**current["attributes"], **sns.attribute_changes(current["attributes"], wanted)},
            "tags": {k: v for k, v in {**current["tags"], **to_set}.items() if k not in to_remove},
        }

    converge(
        module,
        "sns_topic",
        find=find,
        differences=differences,
        create=create,
        update=update,
        delete=lambda current: sns.delete_topic(client, current["topic_arn"]),
        planned=planned,
        label=f"SNS topic {p['name']}",
    )


if __name__ == "__main__":
    main()
