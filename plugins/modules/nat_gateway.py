#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: nat_gateway
short_description: Manage a named public NAT gateway and its Elastic IP, without duplicates
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Ensures exactly one public NAT gateway named O(name) in O(subnet_id), with an Elastic IP tagged
    C(wordpress_aws:nat=<name>) that this module allocates, and the given tags on both.
  - The gateway is found by its C(Name) tag and subnet, so re-runs and interrupted runs converge on the
    same gateway; M(amazon.aws.ec2_eip) with M(amazon.aws.ec2_vpc_nat_gateway) allocate a new address and
    gateway on every re-run once the first address is in use.
  - With O(state=absent) the gateways named O(name) are deleted and their tagged addresses released.
options:
  name:
    description: The gateway's name (its C(Name) tag), unique in the account and region.
    type: str
    required: true
  subnet_id:
    description: The public subnet of the gateway. Required with O(state=present).
    type: str
  wait:
    description: Wait until the gateway is available (or deleted).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: One NAT gateway in the first public subnet
  techblogpro.wordpress_aws.nat_gateway:
    name: techblog-prod-nat-eu-west-3a
    subnet_id: subnet-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted) or V(tags), the one thing an existing gateway can change.
  returned: always
  type: list
  elements: str
  sample: [tags]
nat_gateway:
  description: The gateway (empty when absent or not yet created in check mode).
  returned: always
  type: dict
  contains:
    nat_gateway_id:
      description: The gateway id.
      type: str
      sample: nat-0123456789abcdef0
    subnet_id:
      description: Its subnet.
      type: str
    state:
      description: Its state.
      type: str
    allocation_ids:
      description: Its Elastic IP allocations.
      type: list
      elements: str
    tags:
      description: Its tags.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.waiters import get_waiter
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import nat_gateway as ng
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(gateway):
    if not gateway:
        return {}
    return {
        "nat_gateway_id": gateway.get("NatGatewayId"),
        "subnet_id": gateway.get("SubnetId"),
        "vpc_id": gateway.get("VpcId"),
        "state": gateway.get("State"),
        "allocation_ids": ng.allocation_ids(gateway),
        "tags": tagging.tags_of(gateway),
    }


def _wait(module, client, waiter_name, gateway_ids):
    if not module.params["wait"] or not gateway_ids:
        return
    delay = 5
    attempts = max(1, module.params["wait_timeout"] // delay)
    get_waiter(client, waiter_name).wait(
        NatGatewayIds=gateway_ids, WaiterConfig={"Delay": delay, "MaxAttempts": attempts}
    )


def absent(module, client):
    name = module.params["name"]
    gateways = ng.find_gateways(client, name)
    addresses = ng.find_addresses(client, name)
    if not gateways and not addresses:
        return False, None
    if module.check_mode:
        return True, gateways[0] if gateways else None
    for gateway in gateways:
        ng.delete_gateway(client, gateway["NatGatewayId"])
    _wait(module, client, "nat_gateway_deleted", [gw["NatGatewayId"] for gw in gateways])
    for address in ng.find_addresses(client, name):
        ng.release_address(client, address["AllocationId"])
    return True, gateways[0] if gateways else None


def present(module, client):
    p = module.params
    name, subnet_id, tags = p["name"], p["subnet_id"], p["tags"] or {}
    gateways = ng.find_gateways(client, name, subnet_id)
    if gateways:
        gateway = gateways[0]
        if len(gateways) > 1:
            module.warn(f"{len(gateways)} NAT gateways are named {name}; keeping {gateway['NatGatewayId']}")
        if p["tags"] is None:
            return False, gateway, gateway
        to_add, to_remove = tagging.tag_changes({**tags, "Name": name}, tagging.tags_of(gateway), p["purge_tags"])
        if not to_add and not to_remove:
            return False, gateway, gateway
        if module.check_mode:
            return True, gateway, gateway
        tagging.set_tags(client, gateway["NatGatewayId"], to_add, to_remove)
        return True, gateway, ng.find_gateways(client, name, subnet_id)[0]

    if module.check_mode:
        return True, None, None
    allocation_id = ng.free_address(ng.find_addresses(client, name)) or ng.allocate_address(client, name, tags)
    created = ng.create_gateway(client, name, subnet_id, allocation_id, tags)
    _wait(module, client, "nat_gateway_available", [created["NatGatewayId"]])
    after = ng.find_gateways(client, name, subnet_id)
    return True, None, after[0] if after else created


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            subnet_id=dict(type="str"),
            **common_options(wait=True, wait_timeout=600),
        ),
        required_if=[("state", "present", ["subnet_id"])],
        supports_check_mode=True,
    )
    client = aws_client(module, "ec2")
    with aws_errors(module, f"manage NAT gateway {module.params['name']}"):
        if module.params["state"] == "absent":
            changed, before = absent(module, client)
            after = None
        else:
            changed, before, after = present(module, client)
    if not changed:
        changes = []
    elif module.params["state"] == "absent":
        changes = ["deleted"]
    else:
        changes = ["created"] if before is None else ["tags"]
    exit_result(module, "nat_gateway", _result(before), _result(after), changes)


if __name__ == "__main__":
    main()
