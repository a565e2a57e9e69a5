#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_monitoring_subscription
short_description: Turn a CloudFront distribution's additional metrics on or off
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - With O(state=present), gives the distribution O(distribution_id) a monitoring subscription with
    C(RealtimeMetricsSubscriptionStatus) C(Enabled), so CloudFront publishes its additional metrics
    (C(CacheHitRate), C(OriginLatency) and the C(401), C(403), C(404), C(502), C(503) and C(504) error rates) to
    CloudWatch in us-east-1. Without it those metrics do not exist and an alarm on them stays in
    C(INSUFFICIENT_DATA) forever.
  - The additional metrics are billed as eight CloudWatch metrics per distribution per month
    (U(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html)).
  - With O(state=absent), removes the subscription (the additional metrics stop and are no longer billed).
    A distribution that no longer exists counts as absent.
options:
  distribution_id:
    description: The distribution's id.
    type: str
    required: true
  state:
    description: Whether the distribution's additional metrics are on (V(present)) or off (V(absent)).
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Turn on the additional metrics (OriginLatency, CacheHitRate, error rates by code)
  techblogpro.wordpress_aws.cloudfront_monitoring_subscription:
    distribution_id: E2ABCDEF123456
    region: us-east-1

- name: Turn them off again
  techblogpro.wordpress_aws.cloudfront_monitoring_subscription:
    distribution_id: E2ABCDEF123456
    region: us-east-1
    state: absent
"""

RETURN = r"""
changes:
  description: V(created), V(deleted) or what differed (the status).
  returned: always
  type: list
  elements: str
  sample: [status Disabled -> Enabled]
monitoring_subscription:
  description: The subscription (empty when the distribution has none).
  returned: always
  type: dict
  contains:
    distribution_id:
      description: The distribution's id.
      type: str
      sample: E2ABCDEF123456
    status:
      description: C(RealtimeMetricsSubscriptionStatus), V(Enabled) or V(Disabled).
      type: str
      sample: Enabled
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api as api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            distribution_id=dict(type="str", required=True),
            **common_options(name=False, tags=False),
        ),
        supports_check_mode=True,
    )
    distribution_id = module.params["distribution_id"].strip()
    if not distribution_id:
        module.fail_json(msg="distribution_id must name a distribution (e.g. E2ABCDEF123456)")
    client = aws_client(module, "cloudfront")
    absent = module.params["state"] == "absent"
    converge(
        module,
        "monitoring_subscription",
        find=lambda: api.get_monitoring_subscription(client, distribution_id, gone_is_none=absent),
        differences=lambda current: (
            [] if current["status"] == "Enabled" else [f"status {current['status']} -> Enabled"]
        ),
        create=lambda: api.put_monitoring_subscription(client, distribution_id),
        update=lambda _current, _changes: api.put_monitoring_subscription(client, distribution_id),
        delete=lambda _current: api.delete_monitoring_subscription(client, distribution_id),
        planned=lambda _current: {"distribution_id": distribution_id, "status": "Enabled"},
        label=f"the monitoring subscription of distribution {distribution_id}",
    )


if __name__ == "__main__":
    main()
