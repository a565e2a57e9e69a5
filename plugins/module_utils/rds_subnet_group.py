# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB subnet group calls: found by name, created so that a lost answer's retry adopts the group.

``CreateDBSubnetGroup`` has no idempotency token: after a lost answer its retry answers
``DBSubnetGroupAlreadyExists`` (amazon.aws ``rds_subnet_group`` fails there); here the group is then described and
adopted (module_utils/adopt.py).
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none


@AWSRetry.jittered_backoff()
def describe(client, name: str) -> dict | None:
    """The group with its tags (a dict under ``Tags``), or None."""
    response = or_none(client.describe_db_subnet_groups, "DBSubnetGroupNotFoundFault", DBSubnetGroupName=name)
    group = next((g for g in (response or {}).get("DBSubnetGroups", []) if g["DBSubnetGroupName"] == name), None)
    if group is not None:
        tags = client.list_tags_for_resource(ResourceName=group["DBSubnetGroupArn"]).get("TagList", [])
        group = {**group, "Tags": boto3_tag_list_to_ansible_dict(tags)}
    return group


def subnet_ids(group: dict) -> list:
    return sorted(s["SubnetIdentifier"] for s in group.get("Subnets", []))


def differences(group: dict, description: str, subnets: list) -> list:
    """What ModifyDBSubnetGroup must change, as sentences (description, subnets)."""
    found = []
    if group.get("DBSubnetGroupDescription") != description:
        found.append("description")
    if subnet_ids(group) != sorted(set(subnets)):
        found.append("subnets")
    return found


@AWSRetry.jittered_backoff()
def _create(client, name: str, description: str, subnets: list, tags: dict) -> None:
    client.create_db_subnet_group(
        DBSubnetGroupName=name,
        DBSubnetGroupDescription=description,
        SubnetIds=sorted(set(subnets)),
        Tags=ansible_dict_to_boto3_tag_list(tags),
    )


def create(client, name: str, description: str, subnets: list, tags: dict) -> dict | None:
    """Create the group; after a lost answer the retry's ``DBSubnetGroupAlreadyExists`` adopts it."""
    group, _adopted = create_or_adopt(
        lambda: _create(client, name, description, subnets, tags),
        lambda: describe(client, name),
        ("DBSubnetGroupAlreadyExists",),
    )
    return group


@AWSRetry.jittered_backoff()
def modify(client, name: str, description: str, subnets: list) -> None:
    client.modify_db_subnet_group(
        DBSubnetGroupName=name, DBSubnetGroupDescription=description, SubnetIds=sorted(set(subnets))
    )


@AWSRetry.jittered_backoff()
def delete(client, name: str) -> None:
    client.delete_db_subnet_group(DBSubnetGroupName=name)
