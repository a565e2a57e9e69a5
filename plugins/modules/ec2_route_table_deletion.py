#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_route_table_deletion
short_description: Delete route tables, their subnet associations first, safe against lost answers
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Removes each route table's subnet and gateway associations, then the table. A main route table is left (the
    VPC owns it and deletes it with itself).
  - C(DisassociateRouteTable) and C(DeleteRouteTable) take no idempotency token. When AWS applies one but its answer
    is lost and the call is resent, AWS answers C(InvalidAssociationID.NotFound) or C(InvalidRouteTableID.NotFound);
    M(amazon.aws.ec2_vpc_route_table) then fails the teardown. Here those answers mean the work is done.
options:
  route_table_ids:
    description: The route tables to delete. Tables that no longer exist are skipped.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Remove the stack's route tables
  techblogpro.wordpress_aws.ec2_route_table_deletion:
    route_table_ids: "{{ __route_tables.route_tables | map(attribute='id') | list }}"
"""

RETURN = r"""
changes:
  description: The steps taken (or that check mode would take).
  returned: always
  type: list
  elements: str
  sample: ["disassociated rtbassoc-0123 (subnet-0abc) from rtb-0123", "deleted rtb-0123"]
route_tables:
  description: The route tables deleted (or that check mode would delete), with the associations removed.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors


@AWSRetry.jittered_backoff()
def describe(client, ids):
    """The tables that still exist among ``ids`` (one call per table: a missing id fails a batch)."""
    found = []
    for table_id in ids:
        try:
            found += client.describe_route_tables(RouteTableIds=[table_id])["RouteTables"]
        except is_boto3_error_code("InvalidRouteTableID.NotFound"):
            continue
    return found


@AWSRetry.jittered_backoff()
def disassociate(client, association_id):
    try:
        client.disassociate_route_table(AssociationId=association_id)
    except is_boto3_error_code("InvalidAssociationID.NotFound"):
        pass  # gone: a resend after the first attempt's answer was lost


@AWSRetry.jittered_backoff()
def delete(client, table_id):
    try:
        client.delete_route_table(RouteTableId=table_id)
    except is_boto3_error_code("InvalidRouteTableID.NotFound"):
        pass  # gone: a resend after the first attempt's answer was lost


def main():
    module = WordPressAWSModule(
        argument_spec=dict(route_table_ids=dict(type="list", elements="str", required=True)),
        supports_check_mode=True,
    )
    client = aws_client(module, "ec2")
    changes, deleted = [], []
    with aws_errors(module, "delete the route tables"):
        for table in describe(client, module.params["route_table_ids"]):
            associations = table.get("Associations", [])
            if any(a.get("Main") for a in associations):
                continue
            for association in associations:
                target = association.get("SubnetId") or association.get("GatewayId") or "-"
                changes.append(
                    f"disassociated {association['RouteTableAssociationId']} ({target}) from {table['RouteTableId']}"
                )
                if not module.check_mode:
                    disassociate(client, association["RouteTableAssociationId"])
            changes.append(f"deleted {table['RouteTableId']}")
            if not module.check_mode:
                delete(client, table["RouteTableId"])
            deleted.append(
                {
                    "id": table["RouteTableId"],
                    "vpc_id": table.get("VpcId"),
                    "associations": [a["RouteTableAssociationId"] for a in associations],
                }
            )
    module.exit_json(changed=bool(changes), changes=changes, route_tables=deleted)


if __name__ == "__main__":
    main()
