#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_subnets
short_description: Manage all the subnets of one VPC in one call, surviving lost answers and slow releases
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Ensures the subnets O(subnets) in O(vpc_id), each identified by its CIDR block (unique within a VPC). The
    VPC's subnets are described once; the missing ones are created with their tags (C(TagSpecifications)) and
    the existing ones get their tags and C(MapPublicIpOnLaunch) converged.
  - CreateSubnet has no idempotency token. When AWS applies it but its answer is lost (a 5xx or a closed
    connection), botocore resends it and AWS answers C(InvalidSubnet.Conflict); M(amazon.aws.ec2_vpc_subnet)
    fails there. This module then describes the VPC again and adopts the subnet whose CIDR is exactly the
    requested one, so a subnet is never created twice and the run goes on.
  - With O(state=absent) the subnets are deleted. AWS answers C(DependencyViolation) while network interfaces
    remain in a subnet (a deleted VPC Lambda's for up to 45 minutes); the module retries with a backoff for up to
    O(timeout) seconds in all and reports its attempts and the seconds it waited. A deleted subnet is done, so an
    interrupted run can be run again.
options:
  vpc_id:
    description: The VPC of the subnets.
    type: str
    required: true
  subnets:
    description:
      - The subnets, in the order RV(subnet_set.subnets) returns them.
      - Required with O(state=present). With O(state=absent), unset means every subnet of O(vpc_id) carrying all
        of O(tags) (then O(tags) is required).
    type: list
    elements: dict
    suboptions:
      cidr:
        description: The subnet's IPv4 CIDR block, inside the VPC's.
        type: str
        required: true
      az:
        description: Its Availability Zone (unset lets AWS choose on create). An existing subnet in another zone is
          an error, as AWS cannot move a subnet.
        type: str
      tags:
        description: Its own tags, merged over O(tags) (they win on a common key).
        type: dict
      map_public:
        description: Whether instances launched in it get a public IPv4 address.
        type: bool
        default: false
  tags:
    description:
      - Tags of every subnet (each subnet's own O(subnets[].tags) are merged over them). Unset with no
        O(subnets[].tags) leaves the tags of existing subnets alone.
  timeout:
    description: With O(state=absent), the seconds to keep retrying C(DependencyViolation), over all the subnets.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Ensure the stack's subnets
  techblogpro.wordpress_aws.ec2_subnets:
    vpc_id: vpc-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
    subnets:
      - cidr: 10.40.0.0/20
        az: eu-west-3a
        tags: {Name: techblog-prod-public-eu-west-3a, "wordpress_aws:tier": public}
      - cidr: 10.40.64.0/20
        az: eu-west-3a
        tags: {Name: techblog-prod-app-eu-west-3a, "wordpress_aws:tier": app}

- name: Update the tags of the subnets (the same call; only the differences are written)
  techblogpro.wordpress_aws.ec2_subnets:
    vpc_id: vpc-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
      cost-centre: blog
    subnets:
      - cidr: 10.40.0.0/20
        az: eu-west-3a

- name: Delete every subnet of the VPC carrying the stack tag, waiting out Lambda's interfaces
  techblogpro.wordpress_aws.ec2_subnets:
    vpc_id: vpc-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
    timeout: 900
    state: absent
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one sentence per subnet and attribute.
  returned: always
  type: list
  elements: str
  sample: ["created 10.40.0.0/20", "adopted 10.40.16.0/20 after a lost answer", "tags of 10.40.64.0/20"]
subnet_set:
  description: The subnets after the run.
  returned: always
  type: dict
  contains:
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    subnets:
      description: The subnets in the order of O(subnets) (empty after O(state=absent); in check mode a subnet
        still to create has no RV(subnet_set.subnets[].id)).
      type: list
      elements: dict
      contains:
        id:
          description: The subnet id (as M(amazon.aws.ec2_vpc_subnet) returns it).
          type: str
          sample: subnet-0123456789abcdef0
        subnet_id:
          description: The subnet id.
          type: str
        cidr_block:
          description: Its CIDR block.
          type: str
        availability_zone:
          description: Its zone.
          type: str
        map_public_ip_on_launch:
          description: Whether it assigns public addresses on launch.
          type: bool
        state:
          description: Its state.
          type: str
        tags:
          description: Its tags.
          type: dict
subnet_ids:
  description: The subnet ids in the order of O(subnets).
  returned: when O(state=present)
  type: list
  elements: str
  sample: [subnet-0123456789abcdef0]
release:
  description: What deleting took with O(state=absent).
  returned: when O(state=absent)
  type: dict
  contains:
    attempts:
      description: Delete calls made.
      type: int
      sample: 8
    waited:
      description: Seconds slept while AWS answered C(DependencyViolation).
      type: int
      sample: 35
    retried:
      description: The CIDR blocks whose delete was retried.
      type: list
      elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_subnets as es
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import retry_dependency
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import run_family
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import selected
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _wanted(module):
    p = module.params
    wanted = []
    for subnet in p["subnets"] or []:
        tags = None
        if p["tags"] is not None or subnet.get("tags") is not None:
            tags = {**(p["tags"] or {}), **(subnet.get("tags") or {})}
        wanted.append({**subnet, "tags": tags})
    cidrs = [subnet["cidr"] for subnet in wanted]
    duplicates = sorted({cidr for cidr in cidrs if cidrs.count(cidr) > 1})
    if duplicates:
        module.fail_json(msg=f"subnets lists the CIDR block(s) {', '.join(duplicates)} more than once")
    return wanted


def present(module, client, wanted):
    p = module.params
    vpc_id = p["vpc_id"]
    found = es.describe_subnets(client, vpc_id)
    before = [es.view(found[w["cidr"]]) for w in wanted if w["cidr"] in found]
    changes, planned = [], []
    for w in wanted:
        cidr = w["cidr"]
        subnet = found.get(cidr)
        if subnet is not None and w.get("az") and subnet.get("AvailabilityZone") != w["az"]:
            module.fail_json(
                msg=f"subnet {subnet['SubnetId']} ({cidr}) is in {subnet.get('AvailabilityZone')}, not {w['az']}:"
                " AWS cannot move a subnet; delete it first"
            )
        if subnet is None:
            changes.append(f"created {cidr}")
            if module.check_mode:
                planned.append(_new(vpc_id, w))
                continue
            subnet, adopted = es.create_subnet(client, vpc_id, cidr, w.get("az"), w["tags"] or {})
            if adopted:
                changes[-1] = f"adopted {cidr} after a lost answer"
        differences, to_set, to_remove = es.differences(w, subnet, p["purge_tags"])
        changes.extend(differences)
        planned.append(_planned(es.view(subnet), w, p["purge_tags"]))
        if differences and not module.check_mode:
            if bool(subnet.get("MapPublicIpOnLaunch")) != w["map_public"]:
                es.set_map_public(client, subnet["SubnetId"], w["map_public"])
            if to_set or to_remove:
                tagging.set_tags(client, subnet["SubnetId"], to_set, to_remove)
    if module.check_mode:
        return before, planned, changes
    if changes:
        found = es.describe_subnets(client, vpc_id)
    return before, [es.view(found.get(w["cidr"])) for w in wanted], changes


def _new(vpc_id, wanted):
    """What check mode reports for a subnet still to create."""
    return {
        "id": None,
        "subnet_id": None,
        "cidr_block": wanted["cidr"],
        "availability_zone": wanted.get("az"),
        "vpc_id": vpc_id,
        "state": None,
        "map_public_ip_on_launch": wanted["map_public"],
        "tags": wanted["tags"] or {},
    }


def _planned(item, wanted, purge_tags):
    """The subnet as it will be once the differences are written (what check mode reports)."""
    planned = dict(item)
    planned["map_public_ip_on_launch"] = wanted["map_public"]
    if wanted.get("tags") is not None:
        to_set, to_remove = tagging.tag_changes(wanted["tags"], item["tags"], purge_tags)
        planned["tags"] = {k: v for k, v in {**item["tags"], **to_set}.items() if k not in to_remove}
    return planned


def absent(module, client, wanted, progress):
    p = module.params
    found = es.describe_subnets(client, p["vpc_id"])
    doomed = selected(found, [w["cidr"] for w in wanted or []], p["tags"])
    before = [es.view(subnet) for subnet in doomed]
    changes = [f"deleted {subnet['CidrBlock']}" for subnet in doomed]
    if not module.check_mode:
        for subnet in doomed:
            retry_dependency(
                lambda subnet=subnet: es.delete_subnet(client, subnet["SubnetId"]),
                subnet["CidrBlock"],
                progress,
                p["timeout"],
            )
    return before, [], changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            vpc_id=dict(type="str", required=True),
            subnets=dict(
                type="list",
                elements="dict",
                options=dict(
                    cidr=dict(type="str", required=True),
                    az=dict(type="str"),
                    tags=dict(type="dict"),
                    map_public=dict(type="bool", default=False),
                ),
            ),
            timeout=dict(type="int", default=600),
            **common_options(name=False),
        ),
        required_if=[("state", "present", ["subnets"])],
        supports_check_mode=True,
    )
    wanted = _wanted(module)
    client = aws_client(module, "ec2")

    def ensure():
        before, after, changes = present(module, client, wanted)
        return before, after, changes, {"subnet_ids": [s.get("id") for s in after]}

    run_family(
        module, "subnets", "subnets", "subnet_set", ensure, lambda progress: absent(module, client, wanted, progress)
    )


if __name__ == "__main__":
    main()
