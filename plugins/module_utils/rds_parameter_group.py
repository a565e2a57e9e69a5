# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB parameter group calls and comparison.

amazon.aws ``rds_instance_param_group`` relies on ``DBParameterGroupNotFound`` to learn that a group is
missing; an endpoint that answers with an empty list instead makes its first create fail. Here both mean
"absent". Parameters are compared by value; the apply method follows the parameter's ApplyType
(dynamic: immediate, static or unknown: pending-reboot) unless the caller sets it.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

BATCH = 20  # ModifyDBParameterGroup and ResetDBParameterGroup take at most 20 parameters a call


@AWSRetry.jittered_backoff()
def describe_group(client, name: str) -> dict | None:
    response = or_none(client.describe_db_parameter_groups, "DBParameterGroupNotFound", DBParameterGroupName=name)
    groups = (response or {}).get("DBParameterGroups", [])
    group = next((g for g in groups if g.get("DBParameterGroupName") == name), None)
    if group is not None:
        tags = client.list_tags_for_resource(ResourceName=group["DBParameterGroupArn"]).get("TagList", [])
        group = {**group, "Tags": boto3_tag_list_to_ansible_dict(tags)}
    return group


@AWSRetry.jittered_backoff()
def describe_parameters(client, name: str, source: str | None = None) -> dict:
    """Parameters of the group by name: {name: {"value": ..., "apply_type": ..., "source": ...}}."""
    params = {"DBParameterGroupName": name}
    if source:
        params["Source"] = source
    found = {}
    for page in client.get_paginator("describe_db_parameters").paginate(**params):
        for p in page.get("Parameters", []):
            found[p["ParameterName"]] = {
                "value": p.get("ParameterValue"),
                "apply_type": p.get("ApplyType"),
                "source": p.get("Source"),
                "modifiable": p.get("IsModifiable", True),
            }
    return found


@AWSRetry.jittered_backoff()
def create_group(client, name: str, family: str, description: str, tags: dict) -> None:
    client.create_db_parameter_group(
        DBParameterGroupName=name,
        DBParameterGroupFamily=family,
        Description=description,
        Tags=ansible_dict_to_boto3_tag_list(tags),
    )


@AWSRetry.jittered_backoff()
def delete_group(client, name: str) -> None:
    client.delete_db_parameter_group(DBParameterGroupName=name)


@AWSRetry.jittered_backoff()
def modify(client, name: str, changes: list) -> None:
    for start in range(0, len(changes), BATCH):
        client.modify_db_parameter_group(DBParameterGroupName=name, Parameters=changes[start : start + BATCH])


@AWSRetry.jittered_backoff()
def reset(client, name: str, resets: list) -> None:
    for start in range(0, len(resets), BATCH):
        client.reset_db_parameter_group(
            DBParameterGroupName=name, ResetAllParameters=False, Parameters=resets[start : start + BATCH]
        )


def normalise(desired: dict) -> dict:
    """{name: value or {"value": v, "apply_method": m}} -> {name: (str value, apply method or None)}."""
    out = {}
    for name, spec in desired.items():
        if isinstance(spec, dict):
            out[name] = (_text(spec.get("value")), spec.get("apply_method"))
        else:
            out[name] = (_text(spec), None)
    return out


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def parameter_changes(current: dict, desired: dict) -> list:
    """ModifyDBParameterGroup entries for the parameters whose value differs."""
    changes = []
    for name, (value, method) in sorted(normalise(desired).items()):
        have = current.get(name, {})
        if have.get("value") == value:
            continue
        if method is None:
            method = "immediate" if have.get("apply_type") == "dynamic" else "pending-reboot"
        changes.append({"ParameterName": name, "ParameterValue": value, "ApplyMethod": method})
    return changes


def parameter_resets(current_user: dict, desired: dict) -> list:
    """ResetDBParameterGroup entries for user-set parameters no longer asked for."""
    return [
        {"ParameterName": name, "ApplyMethod": "immediate" if info.get("apply_type") == "dynamic" else "pending-reboot"}
        for name, info in sorted(current_user.items())
        if name not in desired
    ]
