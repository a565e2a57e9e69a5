#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_response_headers_policy
short_description: A CloudFront response headers policy with the site's security headers
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state,
   amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates or deletes the custom response headers policy O(name) - HSTS, C(X-Content-Type-Options
    nosniff), C(X-Frame-Options SAMEORIGIN) and C(Referrer-Policy strict-origin-when-cross-origin), each
    overriding what the origin sends.
  - Response headers policies are free; a CloudFront Function adding the same headers is billed per request.
  - M(community.aws.cloudfront_response_headers_policy) compares the whole config including defaults CloudFront
    fills in; this module compares only what it sets.
options:
  name:
    description: The policy's name (unique in the account).
    type: str
    required: true
  hsts_max_age:
    description: C(Strict-Transport-Security) max-age, seconds.
    type: int
    default: 31536000
  hsts_include_subdomains:
    description: Add C(includeSubDomains) to HSTS (only when every subdomain serves HTTPS).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Security headers for every response of the site
  techblogpro.wordpress_aws.cloudfront_response_headers_policy:
    name: techblog-prod-security-headers
    hsts_max_age: 63072000
"""

RETURN = r"""
changes:
  description: V(created), V(deleted) or the paths of the policy config that differed.
  returned: always
  type: list
  elements: str
  sample: [SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec]
policy:
  description: The policy (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: The policy id (what a cache behaviour's C(ResponseHeadersPolicyId) takes).
      type: str
    config:
      description: The policy config as CloudFront reports it.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api as api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import differences
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(policy):
    if not policy:
        return {}
    return {"id": policy.get("Id", ""), "config": policy.get("ResponseHeadersPolicyConfig", {})}


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            hsts_max_age=dict(type="int", default=31536000),
            hsts_include_subdomains=dict(type="bool", default=False),
            **common_options(tags=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not 0 <= p["hsts_max_age"] <= 2**31 - 1:
        module.fail_json(msg=f"hsts_max_age {p['hsts_max_age']} must be between 0 and 2147483647 seconds")
    client = aws_client(module, "cloudfront")
    desired = cloudfront.security_headers_config(p["name"], p["hsts_max_age"], p["hsts_include_subdomains"])
    converge(
        module,
        "policy",
        find=lambda: api.find_response_headers_policy(client, p["name"]),
        differences=lambda current: differences(desired, current["ResponseHeadersPolicyConfig"]),
        # no token in CreateResponseHeadersPolicy: a retry after a lost answer meets the policy the first attempt
        # made (ResponseHeadersPolicyAlreadyExists) and adopts it
        create=lambda: create_or_adopt(
            lambda: client.create_response_headers_policy(ResponseHeadersPolicyConfig=desired, aws_retry=True)[
                "ResponseHeadersPolicy"
            ],
            lambda: api.find_response_headers_policy(client, p["name"]),
            ("ResponseHeadersPolicyAlreadyExists",),
        )[0],
        update=lambda current, _changes: client.update_response_headers_policy(
            Id=current["Id"], IfMatch=current["ETag"], ResponseHeadersPolicyConfig=desired, aws_retry=True
        )["ResponseHeadersPolicy"],
        delete=lambda current: client.delete_response_headers_policy(
            Id=current["Id"], IfMatch=current["ETag"], aws_retry=True
        ),
        result=_result,
        planned=lambda current: _result({**(current or {}), "ResponseHeadersPolicyConfig": desired}),
        label=f"the response headers policy {p['name']}",
    )


if __name__ == "__main__":
    main()
