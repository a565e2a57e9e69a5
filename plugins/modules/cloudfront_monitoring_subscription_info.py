#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_monitoring_subscription_info
short_description: Whether a CloudFront distribution's additional metrics are on
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules,
   amazon.aws.boto3]
description:
  - Reads the monitoring subscription of the distribution O(distribution_id) and says whether its additional
    metrics (C(OriginLatency), C(CacheHitRate), error rates by code) are published, so alarms are built only on
    metrics that exist.
options:
  distribution_id:
    description: The distribution's id.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Are the distribution's additional metrics on?
  techblogpro.wordpress_aws.cloudfront_monitoring_subscription_info:
    distribution_id: E2ABCDEF123456
    region: us-east-1
  register: subscription
"""

RETURN = r"""
monitoring_subscription:
  description: The subscription (empty when the distribution has none).
  returned: always
  type: dict
  sample: {distribution_id: E2ABCDEF123456, status: Enabled}
additional_metrics:
  description: Whether the subscription exists with status C(Enabled).
  returned: always
  type: bool
  sample: true
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api as api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import report


def main():
    module = WordPressAWSModule(
        argument_spec=dict(distribution_id=dict(type="str", required=True)), supports_check_mode=True
    )
    distribution_id = module.params["distribution_id"]
    client = aws_client(module, "cloudfront")
    report(
        module,
        "monitoring_subscription",
        find=lambda: api.get_monitoring_subscription(client, distribution_id, gone_is_none=True),
        label=f"the monitoring subscription of distribution {distribution_id}",
        extra=lambda found: {"additional_metrics": found.get("status") == "Enabled"},
    )


if __name__ == "__main__":
    main()
