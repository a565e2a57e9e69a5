# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ALB listener rule that forwards only requests carrying a secret header.

The header value is read from Secrets Manager inside the module and never returned: amazon.aws
``elb_application_lb`` would need it as a task argument and prints it back in the listener's rules.
"""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

REDACTED = "(secret, not shown)"


@AWSRetry.jittered_backoff()
def listener_by_name(client, load_balancer_name: str, port: int | None = None) -> str:
    """The ARN of the load balancer's listener on ``port`` (443 if it has one, else 80). Raises ValueError."""
    try:
        lb = client.describe_load_balancers(Names=[load_balancer_name])["LoadBalancers"][0]
    except client.exceptions.LoadBalancerNotFoundException:
        raise ValueError(f"load balancer {load_balancer_name} does not exist") from None
    listeners = {
        item["Port"]: item["ListenerArn"]
        for item in client.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    }
    wanted = port or (443 if 443 in listeners else 80)
    if wanted not in listeners:
        raise ValueError(f"load balancer {load_balancer_name} has no listener on port {wanted}")
    return listeners[wanted]


@AWSRetry.jittered_backoff()
def target_group_by_name(client, name: str) -> str:
    try:
        return client.describe_target_groups(Names=[name])["TargetGroups"][0]["TargetGroupArn"]
    except client.exceptions.TargetGroupNotFoundException:
        raise ValueError(f"target group {name} does not exist") from None


@AWSRetry.jittered_backoff()
def rules(client, listener_arn: str) -> list:
    pages = client.get_paginator("describe_rules").paginate(ListenerArn=listener_arn)
    return pages.build_full_result().get("Rules", [])


def rule_at(all_rules: list, priority: int) -> dict | None:
    for rule in all_rules:
        if str(rule.get("Priority")) == str(priority):
            return rule
    return None


def desired(header_name: str, values, target_group_arn: str) -> tuple[list, list]:
    values = [values] if isinstance(values, str) else list(values)
    conditions = [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": header_name, "Values": values}}]
    actions = [{"Type": "forward", "TargetGroupArn": target_group_arn}]
    return conditions, actions


def _condition_key(cond: dict) -> tuple:
    cfg = cond.get("HttpHeaderConfig") or {}
    return cond.get("Field"), (cfg.get("HttpHeaderName") or "").lower(), tuple(sorted(cfg.get("Values", [])))


def _action_target(action: dict) -> str:
    if action.get("TargetGroupArn"):
        return action["TargetGroupArn"]
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
    return groups[0]["TargetGroupArn"] if len(groups) == 1 else ""


def rule_matches(rule: dict, conditions: list, actions: list) -> bool:
    if sorted(map(_condition_key, rule.get("Conditions", []))) != sorted(map(_condition_key, conditions)):
        return False
    have = list(rule.get("Actions", []))
    return (
        len(have) == 1 and have[0].get("Type") == "forward" and _action_target(have[0]) == actions[0]["TargetGroupArn"]
    )


def redact(rule: dict | None) -> dict:
    """The rule with every header value replaced, safe to return."""
    if not rule:
        return {}
    out = json.loads(json.dumps(rule, default=str))
    for cond in out.get("Conditions", []):
        if cond.get("HttpHeaderConfig"):
            cond["HttpHeaderConfig"]["Values"] = [REDACTED for _v in cond["HttpHeaderConfig"].get("Values", [])]
        cond.pop("Values", None)
    return out


@AWSRetry.jittered_backoff()
def create_rule(client, listener_arn: str, priority: int, conditions: list, actions: list, tags: dict) -> dict:
    params = {"ListenerArn": listener_arn, "Priority": priority, "Conditions": conditions, "Actions": actions}
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_rule(**params)["Rules"][0]


@AWSRetry.jittered_backoff()
def modify_rule(client, rule_arn: str, conditions: list, actions: list) -> dict:
    return client.modify_rule(RuleArn=rule_arn, Conditions=conditions, Actions=actions)["Rules"][0]


@AWSRetry.jittered_backoff()
def delete_rule(client, rule_arn: str) -> None:
    try:
        client.delete_rule(RuleArn=rule_arn)
    except is_boto3_error_code("RuleNotFound"):
        return


@AWSRetry.jittered_backoff()
def rule_tags(client, rule_arn: str) -> dict:
    found = client.describe_tags(ResourceArns=[rule_arn]).get("TagDescriptions", [])
    return boto3_tag_list_to_ansible_dict(found[0].get("Tags", [])) if found else {}
