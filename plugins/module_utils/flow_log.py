# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC flow log calls. amazon.aws and community.aws ship no flow log module."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token

# Attributes AWS cannot change on an existing flow log: a difference means replacing it.
IMMUTABLE = {
    "TrafficType": "traffic_type",
    "DeliverLogsPermissionArn": "deliver_logs_permission_arn",
    "MaxAggregationInterval": "max_aggregation_interval",
}


@AWSRetry.jittered_backoff()
def find_flow_logs(client, resource_id: str, log_group_name: str) -> list:
    filters = [
        {"Name": "resource-id", "Values": [resource_id]},
        {"Name": "log-group-name", "Values": [log_group_name]},
    ]
    logs = client.get_paginator("describe_flow_logs").paginate(Filters=filters).build_full_result().get("FlowLogs", [])
    # Filters are advisory on some endpoints: keep exactly ours.
    return [
        fl
        for fl in logs
        if fl.get("ResourceId") == resource_id
        and fl.get("LogGroupName") == log_group_name
        and fl.get("LogDestinationType", "cloud-watch-logs") == "cloud-watch-logs"
    ]


def create_flow_log(client, desired: dict, tags: dict) -> str:
    """CreateFlowLogs with one ``ClientToken`` for every retry (botocore does not fill it): AWS answers a repeat
    after a lost answer with the first answer instead of a second flow log or ``FlowLogAlreadyExists``."""
    params = {
        "ClientToken": request_token(),
        "ResourceIds": [desired["resource_id"]],
        "ResourceType": desired["resource_type"],
        "TrafficType": desired["traffic_type"],
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": desired["log_group_name"],
        "DeliverLogsPermissionArn": desired["deliver_logs_permission_arn"],
        "MaxAggregationInterval": desired["max_aggregation_interval"],
    }
    if tags:
        params["TagSpecifications"] = [{"ResourceType": "vpc-flow-log", "Tags": ansible_dict_to_boto3_tag_list(tags)}]
    response = _create_flow_logs(client, params)
    if response.get("Unsuccessful"):
        error = response["Unsuccessful"][0].get("Error", {})
        raise RuntimeError(f"flow log not created: {error.get('Code')}: {error.get('Message')}")
    return response["FlowLogIds"][0]


@AWSRetry.jittered_backoff()
def _create_flow_logs(client, params: dict) -> dict:
    return client.create_flow_logs(**params)


@AWSRetry.jittered_backoff()
def delete_flow_logs(client, ids: list) -> None:
    if ids:
        client.delete_flow_logs(FlowLogIds=ids)


def needs_replacement(current: dict, desired: dict) -> list:
    """The names of the immutable attributes that differ."""
    return [
        name for key, name in IMMUTABLE.items() if desired.get(name) is not None and current.get(key) != desired[name]
    ]
