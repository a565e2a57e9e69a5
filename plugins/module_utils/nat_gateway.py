# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAT gateway calls: one NAT gateway and its Elastic IP per name, found by tag, never duplicated.

amazon.aws ``ec2_eip`` reuses a tagged address only while it is unassociated, so once the NAT gateway
holds it a re-run allocates a new address, and ``ec2_vpc_nat_gateway`` then creates a second gateway.
Here the gateway is found by its ``Name`` tag and subnet first; a create carries a client token derived
from the name, so a run interrupted mid-create does not leave a duplicate behind.
"""

from __future__ import annotations

import hashlib

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import no_blind_retry

LIVE_STATES = ["pending", "available"]
EIP_TAG = "wordpress_aws:nat"


def client_token(name: str, subnet_id: str) -> str:
    """A stable idempotency token (at most 64 ASCII characters) for the create call."""
    return hashlib.sha256(f"{name}/{subnet_id}".encode()).hexdigest()[:64]


@AWSRetry.jittered_backoff()
def find_gateways(client, name: str, subnet_id: str | None = None, states=None) -> list:
    filters = [{"Name": "tag:Name", "Values": [name]}, {"Name": "state", "Values": states or LIVE_STATES}]
    if subnet_id:
        filters.append({"Name": "subnet-id", "Values": [subnet_id]})
    found = client.get_paginator("describe_nat_gateways").paginate(Filters=filters).build_full_result()
    return sorted(found.get("NatGateways", []), key=lambda gw: gw.get("CreateTime") or 0)


@AWSRetry.jittered_backoff()
def find_addresses(client, name: str) -> list:
    response = client.describe_addresses(Filters=[{"Name": f"tag:{EIP_TAG}", "Values": [name]}])
    return response.get("Addresses", [])


def allocate_address(client, name: str, tags: dict) -> str:
    """Allocate the gateway's address, tagged at allocation, never two for one applied call.

    AllocateAddress has no token: a blind retry after a lost answer allocates a second address. The call is sent
    once per attempt (botocore's resend vetoed) and after a lost answer the address is looked up by its tag
    (adopt.create_once); throttling is retried.
    """
    tags = {**tags, "Name": name, EIP_TAG: name}

    def allocate() -> str:
        with no_blind_retry(client, "AllocateAddress"):
            response = client.allocate_address(
                Domain="vpc",
                TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": ansible_dict_to_boto3_tag_list(tags)}],
            )
        return response["AllocationId"]

    allocation_id, _adopted = create_once(allocate, lambda: free_address(find_addresses(client, name)))
    return allocation_id


@AWSRetry.jittered_backoff()
def release_address(client, allocation_id: str) -> None:
    client.release_address(AllocationId=allocation_id)


@AWSRetry.jittered_backoff()
def create_gateway(client, name: str, subnet_id: str, allocation_id: str, tags: dict) -> dict:
    tags = {**tags, "Name": name}
    response = client.create_nat_gateway(
        SubnetId=subnet_id,
        AllocationId=allocation_id,
        ClientToken=client_token(name, subnet_id),
        TagSpecifications=[{"ResourceType": "natgateway", "Tags": ansible_dict_to_boto3_tag_list(tags)}],
    )
    return response["NatGateway"]


@AWSRetry.jittered_backoff()
def delete_gateway(client, gateway_id: str) -> None:
    client.delete_nat_gateway(NatGatewayId=gateway_id)


def free_address(addresses: list) -> str | None:
    """The allocation id of an address of ours that no gateway holds yet (left by an interrupted run)."""
    for address in addresses:
        if not address.get("AssociationId") and not address.get("NetworkInterfaceId"):
            return address["AllocationId"]
    return None


def allocation_ids(gateway: dict) -> list:
    return [a["AllocationId"] for a in gateway.get("NatGatewayAddresses", []) if a.get("AllocationId")]
