#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: lambda_eni_wait
short_description: Wait until Lambda has released the network interfaces of deleted VPC functions
version_added: 0.7.0
description:
  - A Lambda function in a VPC reaches it through network interfaces that Lambda owns (their description starts
    with C(AWS Lambda VPC ENI)). After the function is deleted, Lambda releases them on its own, which takes up to
    45 minutes (U(https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html)); until then deleting their
    security groups or subnets fails with C(DependencyViolation). Nobody else may delete them.
  - This module reads those interfaces in the given VPCs (and security groups) and waits up to O(timeout) seconds for
    them to go. It never deletes anything and runs in check mode. With a short O(timeout) in an C(until) loop, a
    teardown shows its progress, one retry line per round, and can be interrupted and run again.
options:
  vpc_ids:
    description: The VPCs to look in.
    type: list
    elements: str
    required: true
  security_group_ids:
    description: Only the interfaces in one of these groups (default any).
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds to wait in this call; V(0) reads once.
    type: int
    default: 60
  delay:
    description: Seconds between reads.
    type: int
    default: 10
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Wait until Lambda releases its network interfaces (AWS takes up to 45 minutes)
  techblogpro.wordpress_aws.lambda_eni_wait:
    vpc_ids: ["{{ vpc_id }}"]
    timeout: 60
  register: released
  until: released.release.released
  retries: 45
  delay: 0
"""

RETURN = r"""
release:
  description: What is left.
  returned: always
  type: dict
  contains:
    released:
      description: Whether no Lambda interface is left.
      type: bool
    waited:
      description: Seconds this call waited.
      type: int
    network_interfaces:
      description: The interfaces still there (id, status, description, groups).
      type: list
      elements: dict
changes:
  description: Always empty (the module only reads).
  returned: always
  type: list
  elements: str
"""

import time

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result

# How Lambda describes the interfaces it owns.
LAMBDA_DESCRIPTION = "AWS Lambda VPC ENI*"


@AWSRetry.jittered_backoff()
def lambda_interfaces(client, vpc_ids: list, group_ids: list) -> list:
    filters = [{"Name": "vpc-id", "Values": vpc_ids}, {"Name": "description", "Values": [LAMBDA_DESCRIPTION]}]
    if group_ids:
        filters.append({"Name": "group-id", "Values": group_ids})
    found = []
    for page in client.get_paginator("describe_network_interfaces").paginate(Filters=filters):
        found += [
            {
                "network_interface_id": eni["NetworkInterfaceId"],
                "status": eni.get("Status", ""),
                "description": eni.get("Description", ""),
                "groups": sorted(group["GroupId"] for group in eni.get("Groups", [])),
            }
            for eni in page["NetworkInterfaces"]
        ]
    return sorted(found, key=lambda eni: eni["network_interface_id"])


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            vpc_ids=dict(type="list", elements="str", required=True),
            security_group_ids=dict(type="list", elements="str", default=[]),
            timeout=dict(type="int", default=60),
            delay=dict(type="int", default=10),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p["timeout"] < 0 or p["delay"] < 1:
        module.fail_json(msg="timeout must be 0 or more and delay at least 1 second")
    if not p["vpc_ids"]:  # a teardown after the VPC is gone: nothing to wait for
        nothing = {"released": True, "waited": 0, "network_interfaces": []}
        exit_result(module, "release", nothing, nothing, [])
    client = aws_client(module, "ec2")
    started = time.monotonic()
    left: list = []
    with aws_errors(module, f"read the Lambda network interfaces of {', '.join(p['vpc_ids'])}"):
        while True:
            left = lambda_interfaces(client, p["vpc_ids"], p["security_group_ids"])
            if not left or time.monotonic() - started + p["delay"] > p["timeout"]:
                break
            time.sleep(p["delay"])
    view = {"released": not left, "waited": int(time.monotonic() - started), "network_interfaces": left}
    exit_result(module, "release", view, view, [])


if __name__ == "__main__":
    main()
