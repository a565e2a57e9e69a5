#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_vpc
short_description: Manage a named VPC and its internet gateway, created once even when an answer is lost
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.tags,
   amazon.aws.boto3]
description:
  - Ensures one VPC named O(name) (its C(Name) tag) with the primary CIDR O(cidr_block), its DNS attributes and
    tags, and with O(internet_gateway_name) one internet gateway attached to it.
  - CreateVpc and CreateInternetGateway have no idempotency token and AWS never refuses a second VPC or gateway, so
    when the answer to a create is lost botocore's own resend creates a second one (M(amazon.aws.ec2_vpc_net) then
    fails on every later run with "Found multiple VPCs"; M(amazon.aws.ec2_vpc_igw) leaves the other gateway
    behind). This module creates both with their tags (C(TagSpecifications)) on a client whose botocore retries are
    off and, after a lost answer (a 5xx or a closed connection), looks the resource up by those tags for a few
    seconds before it tries the create again.
  - Deleting is left to M(amazon.aws.ec2_vpc_net) and M(amazon.aws.ec2_vpc_igw) with C(state=absent).
options:
  name:
    description: The VPC's name (its C(Name) tag); with O(cidr_block) it identifies the VPC.
    type: str
    required: true
  cidr_block:
    description: The VPC's primary IPv4 CIDR block.
    type: str
    required: true
  tenancy:
    description: The instance tenancy, set on create only.
    type: str
    choices: [default, dedicated]
    default: default
  dns_support:
    description: Whether the VPC resolves DNS through the Amazon-provided server.
    type: bool
    default: true
  dns_hostnames:
    description: Whether instances get public DNS host names.
    type: bool
    default: true
  internet_gateway_name:
    description: The C(Name) tag of an internet gateway to create and attach (with O(tags)); unset leaves gateways
      alone.
    type: str
"""

EXAMPLES = r"""
- name: Ensure the VPC and its internet gateway
  techblogpro.wordpress_aws.ec2_vpc:
    name: techblog-prod
    cidr_block: 10.40.0.0/16
    internet_gateway_name: techblog-prod-igw
    tags:
      wordpress_aws:stack: techblog-prod

- name: Change its tags (the same call; only the differences are written)
  techblogpro.wordpress_aws.ec2_vpc:
    name: techblog-prod
    cidr_block: 10.40.0.0/16
    tags:
      wordpress_aws:stack: techblog-prod
      cost-centre: blog
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode).
  returned: always
  type: list
  elements: str
  sample: ["created VPC", "adopted internet gateway after a lost answer", "attached internet gateway"]
vpc:
  description: The VPC (empty in check mode before it exists).
  returned: always
  type: dict
  contains:
    id:
      description: The VPC id (as M(amazon.aws.ec2_vpc_net) returns it).
      type: str
      sample: vpc-0123456789abcdef0
    vpc_id:
      description: The VPC id.
      type: str
    cidr_block:
      description: Its primary CIDR block.
      type: str
    instance_tenancy:
      description: Its tenancy.
      type: str
    state:
      description: Its state.
      type: str
    dns_support:
      description: Whether Amazon-provided DNS is on.
      type: bool
    dns_hostnames:
      description: Whether DNS host names are on.
      type: bool
    tags:
      description: Its tags.
      type: dict
    internet_gateway:
      description: Its internet gateway with O(internet_gateway_name) (empty otherwise).
      type: dict
      contains:
        gateway_id:
          description: The gateway id.
          type: str
          sample: igw-0123456789abcdef0
        tags:
          description: Its tags.
          type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_vpc as ev
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import no_retry_config
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

ATTRIBUTES = {"dns_support": "enableDnsSupport", "dns_hostnames": "enableDnsHostnames"}


def _attributes(client, vpc):
    return {attr: ev.vpc_attribute(client, vpc["VpcId"], attr) for attr in ATTRIBUTES.values()} if vpc else {}


def converge(module, client, once):
    p = module.params
    name, cidr, check = p["name"], p["cidr_block"], module.check_mode
    tags = {**(p["tags"] or {}), "Name": name} if p["tags"] is not None else None
    changes = []
    found = ev.find_vpcs(client, name, cidr)
    if len(found) > 1:
        module.warn(f"{len(found)} VPCs are named {name} with {cidr}; keeping {found[0]['VpcId']}")
    vpc = found[0] if found else None
    gateway = None
    if vpc is not None and p["internet_gateway_name"]:
        gateways = ev.find_gateways(client, vpc["VpcId"], p["internet_gateway_name"])
        gateway = gateways[0] if gateways else None
    before = ev.vpc_view(vpc, _attributes(client, vpc), gateway)

    if vpc is None:
        changes.append("created VPC")
        if check:
            return before, {}, changes
        vpc, adopted = ev.create_vpc(once, client, name, cidr, p["tenancy"], tags or {})
        if adopted:
            changes[-1] = "adopted VPC after a lost answer"
    else:
        to_set, to_remove = tagging.tag_changes(tags, tagging.tags_of(vpc), p["purge_tags"])
        if to_set or to_remove:
            changes.append("tags of the VPC")
            if not check:
                tagging.set_tags(client, vpc["VpcId"], to_set, to_remove)
    vpc_id = vpc["VpcId"]
    attributes = _attributes(client, vpc)
    for option, attribute in ATTRIBUTES.items():
        if attributes.get(attribute, attribute == "enableDnsSupport") != p[option]:
            changes.append(f"{option} of the VPC")
            if not check:
                ev.set_vpc_attribute(client, vpc_id, attribute, p[option])

    if p["internet_gateway_name"]:
        gw_name = p["internet_gateway_name"]
        gw_tags = {**(p["tags"] or {}), "Name": gw_name} if p["tags"] is not None else None
        if gateway is None:
            changes.append("created internet gateway")
            if not check:
                gateway, adopted = ev.create_gateway(once, client, vpc_id, gw_name, gw_tags or {})
                if adopted:
                    changes[-1] = "adopted internet gateway after a lost answer"
        else:
            to_set, to_remove = tagging.tag_changes(gw_tags, tagging.tags_of(gateway), p["purge_tags"])
            if to_set or to_remove:
                changes.append("tags of the internet gateway")
                if not check:
                    tagging.set_tags(client, gateway["InternetGatewayId"], to_set, to_remove)
        if gateway is not None and not any(a.get("VpcId") == vpc_id for a in gateway.get("Attachments") or []):
            changes.append("attached internet gateway")
            if not check:
                ev.attach_gateway(client, gateway["InternetGatewayId"], vpc_id)
    if check:
        return before, before, changes
    vpc = ev.find_vpcs(client, name, cidr)[0] if changes else vpc
    if p["internet_gateway_name"] and changes:
        gateways = ev.find_gateways(client, vpc_id, p["internet_gateway_name"])
        gateway = gateways[0] if gateways else None
    return before, ev.vpc_view(vpc, _attributes(client, vpc), gateway), changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            cidr_block=dict(type="str", required=True),
            tenancy=dict(type="str", choices=["default", "dedicated"], default="default"),
            dns_support=dict(type="bool", default=True),
            dns_hostnames=dict(type="bool", default=True),
            internet_gateway_name=dict(type="str"),
            **common_options(state=False),
        ),
        supports_check_mode=True,
    )
    client = aws_client(module, "ec2")
    once = module.client("ec2", config=no_retry_config())
    before, after, changes = {}, {}, []
    with aws_errors(module, f"manage VPC {module.params['name']}"):
        before, after, changes = converge(module, client, once)
    exit_result(module, "vpc", before, after, changes)


if __name__ == "__main__":
    main()
