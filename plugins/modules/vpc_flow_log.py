#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vpc_flow_log
short_description: Manage a VPC flow log delivered to CloudWatch Logs
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Ensures one flow log of a VPC, subnet or network interface delivers to a CloudWatch Logs group.
  - A flow log is identified by its resource and log group. AWS cannot modify a flow log; a change of
    O(traffic_type), O(deliver_logs_permission_arn) or O(max_aggregation_interval) replaces it.
options:
  resource_id:
    description: The VPC, subnet or ENI id.
    type: str
    required: true
  resource_type:
    description: The kind of O(resource_id).
    type: str
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
  traffic_type:
    description: Which traffic to log.
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  log_group_name:
    description: The CloudWatch Logs group that receives the records.
    type: str
    required: true
  deliver_logs_permission_arn:
    description: The IAM role that lets the flow log service write to the group. Required with O(state=present).
    type: str
  max_aggregation_interval:
    description: Seconds over which a flow is captured and aggregated into one record.
    type: int
    choices: [60, 600]
    default: 600
"""

EXAMPLES = r"""
- name: Log all VPC traffic to an encrypted group
  techblogpro.wordpress_aws.vpc_flow_log:
    resource_id: "{{ vpc_id }}"
    log_group_name: /wordpress-aws/techblog-prod/vpc-flow-logs
    deliver_logs_permission_arn: "{{ flow_logs_role_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), V(replaced) (AWS cannot modify a flow log) or V(tags).
  returned: always
  type: list
  elements: str
  sample: [replaced]
flow_log:
  description: The flow log as EC2 describes it (empty when absent).
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: Its id.
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: The logged resource.
      type: str
    traffic_type:
      description: The logged traffic.
      type: str
    log_group_name:
      description: The destination group.
      type: str
    tags:
      description: Its tags.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import flow_log as fl
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(flow):
    if not flow:
        return {}
    out = camel_dict_to_snake_dict({k: v for k, v in flow.items() if k not in ("Tags", "CreationTime")})
    out["tags"] = tagging.tags_of(flow)
    return out


def _planned(params, flow_id=None):
    return {
        "FlowLogId": flow_id,
        "ResourceId": params["resource_id"],
        "TrafficType": params["traffic_type"],
        "LogGroupName": params["log_group_name"],
        "DeliverLogsPermissionArn": params["deliver_logs_permission_arn"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
        "Tags": [{"Key": k, "Value": v} for k, v in (params["tags"] or {}).items()],
    }


def ensure(module, client):
    p = module.params
    existing = fl.find_flow_logs(client, p["resource_id"], p["log_group_name"])
    current = existing[0] if existing else None
    extras = [f["FlowLogId"] for f in existing[1:]]
    if p["state"] == "absent":
        ids = [f["FlowLogId"] for f in existing]
        if ids and not module.check_mode:
            fl.delete_flow_logs(client, ids)
        return bool(ids), current, None

    if not p["deliver_logs_permission_arn"]:
        module.fail_json(msg="deliver_logs_permission_arn is required with state=present")
    if current is not None and (fl.needs_replacement(current, p) or extras):
        # Replace: AWS has no modify call for flow logs. Duplicates from an interrupted run go too.
        if not module.check_mode:
            fl.delete_flow_logs(client, [f["FlowLogId"] for f in existing])
        current_for_diff, current = current, None
    else:
        current_for_diff = current
    if current is None:
        if module.check_mode:
            return True, current_for_diff, _planned(p)
        fl.create_flow_log(client, p, p["tags"] or {})
        after = fl.find_flow_logs(client, p["resource_id"], p["log_group_name"])
        return True, current_for_diff, after[0] if after else None

    if p["tags"] is None:
        return False, current, current
    to_add, to_remove = tagging.tag_changes(p["tags"], tagging.tags_of(current), p["purge_tags"])
    if not to_add and not to_remove:
        return False, current, current
    if module.check_mode:
        return True, current, _planned(p, current["FlowLogId"])
    tagging.set_tags(client, current["FlowLogId"], to_add, to_remove)
    after = fl.find_flow_logs(client, p["resource_id"], p["log_group_name"])
    return True, current, after[0] if after else None


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            resource_id=dict(type="str", required=True),
            resource_type=dict(type="str", choices=["VPC", "Subnet", "NetworkInterface"], default="VPC"),
            traffic_type=dict(type="str", choices=["ACCEPT", "REJECT", "ALL"], default="ALL"),
            log_group_name=dict(type="str", required=True),
            deliver_logs_permission_arn=dict(type="str"),
            max_aggregation_interval=dict(type="int", choices=[60, 600], default=600),
            **common_options(name=False),
        ),
        supports_check_mode=True,
    )
    client = aws_client(module, "ec2")
    with aws_errors(module, f"manage the flow log of {module.params['resource_id']}"):
        try:
            changed, before, after = ensure(module, client)
        except RuntimeError as err:
            module.fail_json(msg=f"Unable to manage the flow log of {module.params['resource_id']}: {err}")
    if not changed:
        changes = []
    elif module.params["state"] == "absent":
        changes = ["deleted"]
    elif before is None:
        changes = ["created"]
    else:
        changes = ["tags"] if (after or {}).get("FlowLogId") == before.get("FlowLogId") else ["replaced"]
    exit_result(module, "flow_log", _result(before), _result(after), changes)


if __name__ == "__main__":
    main()
