#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: sns_topic
short_description: Manage an SNS topic encrypted with a KMS key
version_added: 0.1.0
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
  kms_master_key_id:
    description: The KMS key (id, ARN or alias) that encrypts messages at rest.
    type: str
  policy:
    description: The topic's access policy, as a dict.
    type: dict
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create the encrypted alert topic
  techblogpro.wordpress_aws.sns_topic:
    name: techblog-prod-alerts
    kms_master_key_id: "{{ key_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
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

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import sns
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule


def _diffable(topic):
    if not topic:
        return {}
    keep = ("DisplayName", "KmsMasterKeyId", "Policy")
    return {
        "topic_arn": topic.get("topic_arn"),
        "attributes": {k: v for k, v in topic["attributes"].items() if k in keep},
        "tags": topic["tags"],
    }


def ensure(module, client):
    p = module.params
    arn = sns.find_topic_arn(client, p["name"])
    current = sns.describe_topic(client, arn) if arn else None
    if p["state"] == "absent":
        if current and not module.check_mode:
            sns.delete_topic(client, arn)
        return current is not None, current, None

    wanted = sns.desired_attributes(p)
    if current is None:
        if module.check_mode:
            return True, None, {"topic_arn": None, "attributes": wanted, "tags": p["tags"] or {}}
        # The policy is set after creation: SNS rejects some policies at create time on some endpoints.
        create_attrs = {k: v for k, v in wanted.items() if k != "Policy"}
        arn = sns.create_topic(client, p["name"], create_attrs, p["tags"] or {})
        if "Policy" in wanted:
            sns.set_attribute(client, arn, "Policy", wanted["Policy"])
        return True, None, sns.describe_topic(client, arn)

    changes = sns.attribute_changes(current["attributes"], wanted)
    to_add, to_remove = ({}, [])
    if p["tags"] is not None:
        to_add, to_remove = tagging.tag_changes(p["tags"], current["tags"], p["purge_tags"])
    if not changes and not to_add and not to_remove:
        return False, current, current
    if module.check_mode:
        planned = {
            "topic_arn": arn,
            "attributes": {**current["attributes"], **changes},
            "tags": {k: v for k, v in {**current["tags"], **to_add}.items() if k not in to_remove},
        }
        return True, current, planned
    for attribute, value in changes.items():
        sns.set_attribute(client, arn, attribute, value)
    tagging.set_tags(client, arn, to_add, to_remove)
    return True, current, sns.describe_topic(client, arn)


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            display_name=dict(type="str"),
            kms_master_key_id=dict(type="str"),
            policy=dict(type="dict"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("sns")
    try:
        changed, before, after = ensure(module, client)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage SNS topic {module.params['name']}")
    module.exit_json(
        changed=changed, sns_topic=after or {}, diff={"before": _diffable(before), "after": _diffable(after)}
    )


if __name__ == "__main__":
    main()
