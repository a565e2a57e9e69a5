# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A named VPC and its internet gateway, found by tags, created once even when a create's answer is lost.

CreateVpc and CreateInternetGateway have no idempotency token, and CIDRs may repeat across VPCs, so AWS never
refuses a second one: when the answer to a create is lost, botocore's own resend creates a second VPC (amazon.aws
``ec2_vpc_net`` then fails on every later run, "Found multiple VPCs with name ... and CIDR"), or a second gateway
(amazon.aws ``ec2_vpc_igw`` attaches one; the other stays behind, tagged, and a teardown by VPC misses it). Here
both are created with their tags (``TagSpecifications``) on a client whose botocore retries are off, and a lost
answer is followed by a look-up by those tags (``ec2_writes.create_once``).
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

LIVE = ("pending", "available")


@AWSRetry.jittered_backoff()
def find_vpcs(client, name: str, cidr: str) -> list:
    """The VPCs named ``name`` (their ``Name`` tag) with the primary CIDR ``cidr``, oldest id first."""
    filters = [{"Name": "tag:Name", "Values": [name]}, {"Name": "cidr-block", "Values": [cidr]}]
    found = client.get_paginator("describe_vpcs").paginate(Filters=filters).build_full_result()
    return sorted(
        (vpc for vpc in found.get("Vpcs", []) if vpc.get("State", "available") in LIVE and vpc["CidrBlock"] == cidr),
        key=lambda vpc: vpc["VpcId"],
    )


@AWSRetry.jittered_backoff()
def vpc_attribute(client, vpc_id: str, attribute: str) -> bool:
    key = attribute[0].upper() + attribute[1:]
    return bool(client.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"])


@AWSRetry.jittered_backoff()
def set_vpc_attribute(client, vpc_id: str, attribute: str, value: bool) -> None:
    key = attribute[0].upper() + attribute[1:]
    client.modify_vpc_attribute(VpcId=vpc_id, **{key: {"Value": value}})


def create_vpc(once_client, client, name: str, cidr: str, tenancy: str, tags: dict) -> tuple[dict, bool]:
    """Create the VPC with its tags once; ``(vpc, adopted)``. ``once_client`` has botocore's retries off."""

    def create():
        return once_client.create_vpc(
            CidrBlock=cidr,
            InstanceTenancy=tenancy,
            TagSpecifications=[{"ResourceType": "vpc", "Tags": ansible_dict_to_boto3_tag_list({**tags, "Name": name})}],
        )["Vpc"]

    def find():
        found = find_vpcs(client, name, cidr)
        return found[0] if found else None

    return create_once(create, find)


@AWSRetry.jittered_backoff()
def find_gateways(client, vpc_id: str, name: str) -> list:
    """The gateways attached to ``vpc_id``, then the unattached ones named ``name`` (left by a lost answer)."""
    attached = client.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    named = client.describe_internet_gateways(Filters=[{"Name": "tag:Name", "Values": [name]}])
    loose = [gw for gw in named.get("InternetGateways", []) if not gw.get("Attachments")]
    return attached.get("InternetGateways", []) + sorted(loose, key=lambda gw: gw["InternetGatewayId"])


def create_gateway(once_client, client, vpc_id: str, name: str, tags: dict) -> tuple[dict, bool]:
    """Create the gateway with its tags once (not attached yet); ``(gateway, adopted)``."""

    def create():
        return once_client.create_internet_gateway(
            TagSpecifications=[
                {"ResourceType": "internet-gateway", "Tags": ansible_dict_to_boto3_tag_list({**tags, "Name": name})}
            ]
        )["InternetGateway"]

    def find():
        found = [gw for gw in find_gateways(client, vpc_id, name) if not gw.get("Attachments")]
        return found[0] if found else None

    return create_once(create, find)


@AWSRetry.jittered_backoff()
def _attach(client, gateway_id: str, vpc_id: str) -> None:
    client.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)


@AWSRetry.jittered_backoff()
def _gateways(client, gateway_id: str) -> list:
    return client.describe_internet_gateways(InternetGatewayIds=[gateway_id])["InternetGateways"]


def attach_gateway(client, gateway_id: str, vpc_id: str) -> None:
    """Attach the gateway; already attached here (a lost answer to an earlier attempt) is done."""
    try:
        _attach(client, gateway_id, vpc_id)
    except Exception as err:  # already attached is done; anything else is raised again
        if error_code(err) != "Resource.AlreadyAssociated":
            raise
        found = _gateways(client, gateway_id)
        if not any(a.get("VpcId") == vpc_id for gw in found for a in gw.get("Attachments", [])):
            raise


def vpc_view(vpc: dict | None, attributes: dict, gateway: dict | None) -> dict:
    if not vpc:
        return {}
    return {
        "id": vpc.get("VpcId"),
        "vpc_id": vpc.get("VpcId"),
        "cidr_block": vpc.get("CidrBlock"),
        "instance_tenancy": vpc.get("InstanceTenancy"),
        "state": vpc.get("State"),
        "dns_support": attributes.get("enableDnsSupport"),
        "dns_hostnames": attributes.get("enableDnsHostnames"),
        "tags": tags_of(vpc),
        "internet_gateway": {
            "gateway_id": gateway.get("InternetGatewayId"),
            "tags": tags_of(gateway),
        }
        if gateway
        else {},
    }
