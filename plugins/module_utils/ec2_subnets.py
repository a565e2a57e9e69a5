# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The subnets of one VPC, all in one call: described once, created with their tags, adopted after a lost answer.

A CIDR is unique within a VPC, so the subnet whose CIDR is exactly ours is ours. CreateSubnet has no
idempotency token: when its answer is lost, botocore resends it and AWS answers ``InvalidSubnet.Conflict``
(amazon.aws ``ec2_vpc_subnet`` fails there). :func:`create_subnet` then reads the VPC again and adopts the subnet
with our CIDR, so a subnet is created once and the converge goes on.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import answer_lost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

CONFLICT = "InvalidSubnet.Conflict"
NOT_FOUND = "InvalidSubnetID.NotFound"


@AWSRetry.jittered_backoff()
def describe_subnets(client, vpc_id: str) -> dict:
    """The VPC's subnets by CIDR block."""
    paginator = client.get_paginator("describe_subnets")
    found = paginator.paginate(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]).build_full_result()
    return {subnet["CidrBlock"]: subnet for subnet in found.get("Subnets", [])}


@AWSRetry.jittered_backoff()
def _create(client, vpc_id: str, cidr: str, az: str | None, tags: dict) -> dict:
    params = {"VpcId": vpc_id, "CidrBlock": cidr}
    if az:
        params["AvailabilityZone"] = az
    if tags:
        params["TagSpecifications"] = [{"ResourceType": "subnet", "Tags": ansible_dict_to_boto3_tag_list(tags)}]
    return client.create_subnet(**params)["Subnet"]


def create_subnet(client, vpc_id: str, cidr: str, az: str | None, tags: dict) -> tuple[dict, bool]:
    """Create the subnet; ``(subnet, adopted)``, adopted when the answer was lost and the read found it."""
    try:
        return _create(client, vpc_id, cidr, az, tags), False
    except Exception as err:  # only a lost answer is adopted; anything else is raised again
        if error_code(err) != CONFLICT and not answer_lost(err):
            raise
        found = describe_subnets(client, vpc_id).get(cidr)
        if found is None:
            raise
        return found, True


@AWSRetry.jittered_backoff()
def set_map_public(client, subnet_id: str, value: bool) -> None:
    client.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": value})


@AWSRetry.jittered_backoff()
def _delete(client, subnet_id: str) -> None:
    client.delete_subnet(SubnetId=subnet_id)


def delete_subnet(client, subnet_id: str) -> None:
    """Delete the subnet; already gone (a lost answer to an earlier attempt) is done."""
    try:
        _delete(client, subnet_id)
    except Exception as err:  # a gone subnet is deleted; anything else is raised again
        if error_code(err) != NOT_FOUND:
            raise


def differences(wanted: dict, subnet: dict, purge_tags: bool) -> tuple[list, dict, list]:
    """``(sentences, tags to set, tag keys to remove)`` for an existing ``subnet`` to match ``wanted``."""
    changes = []
    if wanted.get("map_public") is not None and bool(subnet.get("MapPublicIpOnLaunch")) != wanted["map_public"]:
        changes.append(f"map_public_ip_on_launch of {subnet['CidrBlock']}")
    to_set, to_remove = tag_changes(wanted.get("tags"), tags_of(subnet), purge_tags)
    if to_set or to_remove:
        changes.append(f"tags of {subnet['CidrBlock']}")
    return changes, to_set, to_remove


def view(subnet: dict | None) -> dict:
    """A subnet as the module returns it."""
    if not subnet:
        return {}
    return {
        "id": subnet.get("SubnetId"),
        "subnet_id": subnet.get("SubnetId"),
        "cidr_block": subnet.get("CidrBlock"),
        "availability_zone": subnet.get("AvailabilityZone"),
        "vpc_id": subnet.get("VpcId"),
        "state": subnet.get("State"),
        "map_public_ip_on_launch": bool(subnet.get("MapPublicIpOnLaunch")),
        "tags": tags_of(subnet),
    }
