# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag changes on EC2 resources (flow logs, NAT gateways, ...), shared by our EC2 module_utils."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list


@AWSRetry.jittered_backoff()
def set_tags(client, resource_id: str, to_add: dict, to_remove: list) -> None:
    if to_remove:
        client.delete_tags(Resources=[resource_id], Tags=[{"Key": k} for k in to_remove])
    if to_add:
        client.create_tags(Resources=[resource_id], Tags=ansible_dict_to_boto3_tag_list(to_add))
