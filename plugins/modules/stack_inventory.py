#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: stack_inventory
short_description: List every resource of a WordPress stack by its tag
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Finds the resources tagged C(wordpress_aws:stack=<stack>) in one or more regions, with the Resource
    Groups Tagging API, EC2's tag index, the IAM roles under C(/wordpress-aws/<stack>/) and the AWS Backup
    plans.
  - KMS keys and secrets pending deletion are returned apart in RV(pending_deletion); AWS deletes them
    only after a waiting period. Final DB snapshots, and the KMS key they need, are returned in RV(retained).
  - Read only.
options:
  stack_name:
    description: The stack name (the value of the C(wordpress_aws:stack) tag).
    type: str
    required: true
  regions:
    description:
      - Regions to search besides the module's region (for example V(us-east-1) for CloudFront's WAF).
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: List what the stack holds
  techblogpro.wordpress_aws.stack_inventory:
    stack_name: techblog-prod
    regions: [us-east-1]
  register: inventory

- name: Fail when teardown left anything behind
  ansible.builtin.assert:
    that: inventory.count == 0
"""

RETURN = r"""
resources:
  description: The live resources of the stack.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The resource's ARN.
      type: str
    service:
      description: The AWS service.
      type: str
      sample: ec2
    resource_type:
      description: The resource type within the service.
      type: str
      sample: vpc
    id:
      description: The resource id or name.
      type: str
    region:
      description: The region (empty for global services).
      type: str
    tags:
      description: The tags as the source reported them.
      type: dict
count:
  description: How many live resources the stack has.
  returned: always
  type: int
by_type:
  description: Live resources counted per C(service:type).
  returned: always
  type: dict
  sample: {"ec2:vpc": 1, "ec2:subnet": 6}
pending_deletion:
  description: KMS keys and secrets of the stack that are scheduled for deletion.
  returned: always
  type: list
  elements: dict
retained:
  description: Resources kept on purpose after a teardown, final DB snapshots and the KMS key they need.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import inventory
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors

SERVICES = ("resourcegroupstaggingapi", "ec2", "backup", "kms", "secretsmanager", "rds", "ecs", "wafv2", "acm")


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            stack_name=dict(type="str", required=True),
            regions=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    stack_name = module.params["stack_name"]
    regions = [module.region] + [r for r in module.params["regions"] if r != module.region]
    resources, pending, retained = [], [], []
    with aws_errors(module, f"list the resources of stack {stack_name}"):
        for index, region in enumerate(regions):
            clients = {name: module.client(name, region=region) for name in SERVICES}
            if index == 0:
                clients["iam"] = module.client("iam")
                # CloudFront is global; its API answers in us-east-1.
                clients["cloudfront"] = module.client("cloudfront", region="us-east-1")
            live, gone, kept = inventory.collect(clients, stack_name, region, include_global=index == 0)
            resources.extend(live)
            pending.extend(gone)
            retained.extend(kept)
    # Global resources (CloudFront) may be reported by more than one region's index: keep each once.
    resources, pending, retained = inventory.merge(resources), inventory.merge(pending), inventory.merge(retained)
    module.exit_json(
        changed=False,
        resources=resources,
        count=len(resources),
        by_type=inventory.count_by_type(resources),
        pending_deletion=pending,
        retained=retained,
    )


if __name__ == "__main__":
    main()
