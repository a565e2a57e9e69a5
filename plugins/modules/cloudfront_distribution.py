#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_distribution
short_description: One CloudFront distribution, found by its caller reference, converged to a full config
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates or deletes the CloudFront distribution whose caller reference is O(caller_reference).
    The reference is derived from the stack, so an interrupted run never creates a second distribution
    (CloudFront refuses a second distribution with the same reference).
  - O(config) is a complete DistributionConfig in CloudFront's own shape (see the role's
    C(cloudfront_distribution_config) filter). The module compares it with what CloudFront reports, ignoring
    fields CloudFront adds, and updates only when something differs (M(community.aws.cloudfront_distribution)
    reports C(changed) on every run where the endpoint fills in defaults it did not send).
  - The origin custom header O(origin_header_name) gets its value from Secrets Manager inside the module; the
    value is never returned or shown in a diff.
  - With O(state=absent) the distribution is disabled, awaited until deployed, and deleted.
options:
  caller_reference:
    description: The distribution's unique caller reference (its identity).
    type: str
    required: true
  config:
    description:
      - The DistributionConfig without C(CallerReference). Required with O(state=present).
    type: dict
  origin_header_name:
    description: The origin custom header whose value comes from O(origin_header_secret_id).
    type: str
  origin_header_secret_id:
    description:
      - The Secrets Manager secret holding the header value (JSON field O(origin_header_secret_field)).
      - Give its ARN when the secret is in another region than O(region) (CloudFront is managed from us-east-1);
        a name is looked up in O(region).
    type: str
  origin_header_secret_field:
    description: The JSON field of the secret; empty for a plain string secret.
    type: str
    default: value
  origin_header_secret_stage:
    description:
      - The staging label of the secret's version whose value CloudFront sends. C(AWSPENDING) during a rotation
        of the header value, once the ALB accepts both values.
    type: str
    default: AWSCURRENT
  wait:
    description: Wait until the distribution is deployed (always with O(state=absent), before deleting).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 1800
"""

EXAMPLES = r"""
- name: The site's distribution in front of the ALB, origin-verify header from Secrets Manager
  techblogpro.wordpress_aws.cloudfront_distribution:
    caller_reference: techblog-prod-wordpress
    config: "{{ cloudfront_inputs | techblogpro.wordpress_aws.cloudfront_distribution_config }}"
    origin_header_name: X-Origin-Verify
    origin_header_secret_id: "{{ origin_secret_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod

- name: Remove it (disable, wait until deployed, delete)
  techblogpro.wordpress_aws.cloudfront_distribution:
    caller_reference: techblog-prod-wordpress
    state: absent
"""

RETURN = r"""
distribution:
  description: The distribution (empty when absent); origin header values are redacted.
  returned: always
  type: dict
  contains:
    id:
      description: The distribution id.
      type: str
    arn:
      description: The ARN.
      type: str
    domain_name:
      description: The C(*.cloudfront.net) name.
      type: str
    status:
      description: C(InProgress) or C(Deployed).
      type: str
    distribution_config:
      description: The config as CloudFront reports it (keys as CloudFront spells them).
      type: dict
    tags:
      description: The tags.
      type: dict
changes:
  description: What this run changed (or would change in check mode) - V(created), V(deleted), the config paths
    that differed before the update, V(tags).
  returned: always
  type: list
  elements: str
  sample: [DefaultCacheBehavior.DefaultTTL]
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api as api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import differences
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            caller_reference=dict(type="str", required=True),
            config=dict(type="dict"),
            origin_header_name=dict(type="str"),
            origin_header_secret_id=dict(type="str"),
            origin_header_secret_field=dict(type="str", default="value", no_log=False),
            origin_header_secret_stage=dict(type="str", default="AWSCURRENT", no_log=False),
            **common_options(name=False, wait=False, wait_timeout=1800),
        ),
        required_if=[("state", "present", ["config"])],
        required_together=[("origin_header_name", "origin_header_secret_id")],
        supports_check_mode=True,
    )
    p = module.params
    client = aws_client(module, "cloudfront")
    found = []
    with aws_errors(module, f"manage the distribution {p['caller_reference']}"):
        try:
            current = api.find_distribution(client, p["caller_reference"], p["config"])
            before_tags = api.tags(client, current["ARN"]) if current else {}
            after, after_tags = current, before_tags
            if p["state"] == "absent":
                if current:
                    found, after, after_tags = ["deleted"], None, {}
                    if not module.check_mode:
                        api.delete_distribution(client, current["Id"], p["wait_timeout"])
            else:
                desired = {**p["config"], "CallerReference": p["caller_reference"]}
                if p["origin_header_name"]:
                    # CloudFront answers in us-east-1; the secret lives in the stack's region (its ARN says which).
                    secret = p["origin_header_secret_id"]
                    region = secret.split(":")[3] if secret.startswith("arn:") else module.region
                    sm = aws_client(module, "secretsmanager", region=region)
                    value = sm_api.field(
                        sm,
                        p["origin_header_secret_id"],
                        p["origin_header_secret_field"],
                        p["origin_header_secret_stage"],
                    )
                    module.no_log_values.add(value)
                    desired = cloudfront.with_origin_header(desired, p["origin_header_name"], value)
                if current is None:
                    found = ["created"]
                    after = {"Status": "InProgress", "DistributionConfig": desired}
                    after_tags = p["tags"] or {}
                    if not module.check_mode:
                        after = api.create_distribution(client, desired, after_tags)
                else:
                    found = differences(desired, current["DistributionConfig"])
                    if found:
                        after = {**current, "DistributionConfig": desired}
                        if not module.check_mode:
                            after = api.update_distribution(client, current["Id"], desired)
                    to_add, to_remove = tagging.tag_changes(p["tags"], before_tags, p["purge_tags"])
                    if to_add or to_remove:
                        found.append("tags")
                        after_tags = {k: v for k, v in {**before_tags, **to_add}.items() if k not in to_remove}
                        if not module.check_mode:
                            tagging.set_tags(client, current["ARN"], to_add, to_remove)
                if p["wait"] and not module.check_mode and after.get("Id"):
                    after = api.wait_deployed(client, after["Id"], p["wait_timeout"])
        except ValueError as err:
            module.fail_json(msg=str(err))
        except TimeoutError as err:
            module.fail_json(msg=str(err))
    exit_result(module, "distribution", api.result(current, before_tags), api.result(after, after_tags), found)


if __name__ == "__main__":
    main()
