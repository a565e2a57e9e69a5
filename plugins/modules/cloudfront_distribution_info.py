#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_distribution_info
short_description: Describe the CloudFront distribution with a given caller reference
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Finds the distribution whose caller reference is O(caller_reference) and returns it with its config and
    tags; origin custom header values (the origin-verify secret) are redacted.
options:
  caller_reference:
    description: The distribution's caller reference.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: The stack's distribution
  techblogpro.wordpress_aws.cloudfront_distribution_info:
    caller_reference: wordpress-aws-techblog-prod
  register: edge
"""

RETURN = r"""
distribution:
  description:
    - The distribution (empty when none has the reference), in the shape
      M(techblogpro.wordpress_aws.cloudfront_distribution)
      returns it - C(id), C(arn), C(domain_name), C(status), C(distribution_config) (origin header values redacted)
      and C(tags).
  returned: always
  type: dict
  sample: {id: E2ABCDEF123456, domain_name: d111111abcdef8.cloudfront.net, status: Deployed}
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api as api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import report


def main():
    module = WordPressAWSModule(
        argument_spec=dict(caller_reference=dict(type="str", required=True)), supports_check_mode=True
    )
    client = aws_client(module, "cloudfront")
    report(
        module,
        "distribution",
        find=lambda: api.find_distribution(client, module.params["caller_reference"]),
        result=lambda found: api.result(found, api.tags(client, found["ARN"])),
        label=f"the distribution {module.params['caller_reference']}",
    )


if __name__ == "__main__":
    main()
