#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: rds_subnet_group
short_description: Manage an RDS DB subnet group that survives a lost create answer
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates (description, subnets, tags) and deletes a DB subnet group, found by name.
  - C(CreateDBSubnetGroup) has no idempotency token. When its answer is lost after RDS created the group, the
    retry answers C(DBSubnetGroupAlreadyExists); M(amazon.aws.rds_subnet_group) fails there, this module finds
    the group and adopts it.
options:
  name:
    description: The group name.
    type: str
    required: true
  description:
    description: The group description. Defaults to the name.
    type: str
  subnets:
    description: The subnet ids (at least two Availability Zones). Required with O(state=present).
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Ensure the DB subnet group over the data subnets
  techblogpro.wordpress_aws.rds_subnet_group:
    name: techblog-prod-data
    description: wordpress_aws techblog-prod data subnets
    subnets: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    tags:
      wordpress_aws:stack: techblog-prod

- name: Remove it
  techblogpro.wordpress_aws.rds_subnet_group:
    name: techblog-prod-data
    state: absent
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), or what was updated (V(description), V(subnets), V(tags)).
  returned: always
  type: list
  elements: str
  sample: [subnets]
subnet_group:
  description: The group (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The group name.
      type: str
      sample: techblog-prod-data
    description:
      description: The description.
      type: str
    arn:
      description: The group ARN.
      type: str
    vpc_id:
      description: Its VPC.
      type: str
    subnet_ids:
      description: Its subnets, sorted.
      type: list
      elements: str
    status:
      description: The group status.
      type: str
      sample: Complete
    tags:
      description: The group's tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_subnet_group as sg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def view(group):
    if not group:
        return {}
    return {
        "name": group["DBSubnetGroupName"],
        "description": group.get("DBSubnetGroupDescription", ""),
        "arn": group.get("DBSubnetGroupArn", ""),
        "vpc_id": group.get("VpcId", ""),
        "subnet_ids": sg.subnet_ids(group),
        "status": group.get("SubnetGroupStatus", ""),
        "tags": dict(group.get("Tags") or {}),
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            description=dict(type="str"),
            subnets=dict(type="list", elements="str"),
            **common_options(),
        ),
        required_if=[("state", "present", ["subnets"])],
        supports_check_mode=True,
    )
    p = module.params
    name = p["name"]
    description = p["description"] or name
    client = aws_client(module, "rds")

    def tag_changes(current):
        return tagging.tag_changes(p["tags"], current.get("Tags", {}), p["purge_tags"])

    def differences(current):
        return sg.differences(current, description, p["subnets"]) + (["tags"] if any(tag_changes(current)) else [])

    def update(current, changes):
        if {"description", "subnets"} & set(changes):
            sg.modify(client, name, description, p["subnets"])
        tagging.set_tags(client, current["DBSubnetGroupArn"], *tag_changes(current))

    def planned(current):
        base = current or {"DBSubnetGroupName": name, "Tags": p["tags"] or {}}
        to_set, to_remove = tag_changes(base) if current else ({}, [])
        tags = {k: v for k, v in {**base.get("Tags", {}), **to_set}.items() if k not in to_remove}
        subnets = [{"SubnetIdentifier": s} for s in sorted(set(p["subnets"] or []))]
        return view({**base, "DBSubnetGroupDescription": description, "Subnets": subnets, "Tags": tags})

    converge(
        module,
        "subnet_group",
        find=lambda: sg.describe(client, name),
        differences=differences,
        create=lambda: sg.create(client, name, description, p["subnets"], p["tags"] or {}),
        update=update,
        delete=lambda _current: sg.delete(client, name),
        result=view,
        planned=planned,
        label=f"DB subnet group {name}",
    )


if __name__ == "__main__":
    main()
