#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: elb_attributes
short_description: Set Elastic Load Balancing v2 load balancer or target group attributes
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Compares the attributes asked for with those the load balancer (or target group) reports and modifies
    only the difference. Attributes not listed are left alone.
  - An attribute the endpoint does not report counts as different and is set.
    M(amazon.aws.elb_application_lb) instead fails with a C(KeyError) when an attribute it manages is not
    reported (seen on a load balancer it has just created), so this collection sets attributes here.
options:
  arn:
    description: The load balancer or target group ARN.
    type: str
    required: true
  attributes:
    description: Attribute keys and values, for example C(idle_timeout.timeout_seconds=60).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Drop malformed headers, 60 s idle timeout, no deletion
  techblogpro.wordpress_aws.elb_attributes:
    arn: "{{ alb.load_balancer_arn }}"
    attributes:
      routing.http.drop_invalid_header_fields.enabled: true
      idle_timeout.timeout_seconds: 60
      deletion_protection.enabled: true
"""

RETURN = r"""
attributes:
  description: The attributes as reported after the run (all of them, as strings).
  returned: always
  type: dict
changes:
  description: The keys this run set (or would set in check mode).
  returned: always
  type: list
  elements: str
  sample: [idle_timeout.timeout_seconds]
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


def _is_target_group(arn):
    return ":targetgroup/" in arn


@AWSRetry.jittered_backoff()
def read(client, arn):
    if _is_target_group(arn):
        found = client.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]
    else:
        found = client.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    return {a["Key"]: a["Value"] for a in found}


@AWSRetry.jittered_backoff()
def write(client, arn, changes):
    attributes = [{"Key": k, "Value": v} for k, v in sorted(changes.items())]
    if _is_target_group(arn):
        client.modify_target_group_attributes(TargetGroupArn=arn, Attributes=attributes)
    else:
        client.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=attributes)


def as_text(value):
    """Attribute values are strings; YAML booleans become true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main():
    module = WordPressAWSModule(
        argument_spec=dict(arn=dict(type="str", required=True), attributes=dict(type="dict", required=True)),
        supports_check_mode=True,
    )
    p = module.params
    client = aws_client(module, "elbv2")
    with aws_errors(module, f"set the attributes of {p['arn']}"):
        before = read(client, p["arn"])
        wanted = {k: as_text(v) for k, v in p["attributes"].items()}
        changes = {k: v for k, v in wanted.items() if before.get(k) != v}
        after = {**before, **changes}
        if changes and not module.check_mode:
            write(client, p["arn"], changes)
            after = read(client, p["arn"])
    exit_result(
        module,
        "attributes",
        {k: before.get(k) for k in wanted},
        {k: after.get(k) for k in wanted},
        sorted(changes),
        attributes=after,
    )


if __name__ == "__main__":
    main()
