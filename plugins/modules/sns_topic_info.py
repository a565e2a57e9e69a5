#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: sns_topic_info
short_description: Find an SNS topic by name, without its subscriptions
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Returns the ARN of the topic O(name) in the module's region, or an empty string when there is none.
  - M(community.aws.sns_topic_info) also returns every subscription's endpoint, and an HTTPS endpoint (a chat
    webhook) is a credential; this module never reads them.
options:
  name:
    description: The topic's name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Find the stack's alert topic
  techblogpro.wordpress_aws.sns_topic_info:
    name: techblog-prod-alerts
  register: topic
"""

RETURN = r"""
topic:
  description: The topic (empty when there is none) - its C(name) and C(arn).
  returned: always
  type: dict
  sample: {name: techblog-prod-alerts, arn: "arn:aws:sns:eu-west-3:123456789012:techblog-prod-alerts"}
topic_arn:
  description: The topic's ARN (empty when there is none), the C(arn) of RV(topic).
  returned: always
  type: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import report
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.sns import find_topic_arn
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(argument_spec=common_options(state=False, tags=False), supports_check_mode=True)
    name = module.params["name"]
    client = aws_client(module, "sns")

    def find():
        arn = find_topic_arn(client, name)
        return {"name": name, "arn": arn} if arn else None

    report(
        module, "topic", find=find, label=f"the topic {name}", extra=lambda topic: {"topic_arn": topic.get("arn", "")}
    )


if __name__ == "__main__":
    main()
