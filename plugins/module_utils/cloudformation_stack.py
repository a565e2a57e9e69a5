# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFormation stack calls and the desired-state logic of one stack (the collection's deployer role template).

The stack is compared with what is asked before anything is sent: the template (as data: a change of comments or
layout alone is no change, as CloudFormation sees it), the parameters (those not given take the template's
defaults, as CloudFormation applies them on an update) and the stack tags. Only a difference leads to a write, so a
re-run sends no update at all.

Previews: a new stack's is read from the template itself (the resources it adds, their names where the template
derives them from the parameters), because a CREATE change set would leave a stack in REVIEW_IN_PROGRESS behind;
an existing stack's is CloudFormation's own change set, created, read and deleted.
"""

from __future__ import annotations

import re
import time
from typing import Any

try:
    from botocore.exceptions import ClientError
    from botocore.exceptions import WaiterError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

try:
    import yaml
except ImportError:  # ansible-core itself requires PyYAML; the import sanity test runs without it
    yaml = None

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Statuses in which the stack exists and can be updated.
SETTLED = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE")
NO_UPDATES = "No updates are to be performed."
_SUB_PARAM = re.compile(r"\$\{([A-Za-z0-9:]+)\}")


def _intrinsic(loader: Any, suffix: str, node: Any) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


def _template_loader() -> type:
    """A YAML loader that reads CloudFormation's short intrinsic tags (``!Sub``, ``!Ref``, ...) as their long form."""

    class TemplateLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
        pass

    TemplateLoader.add_multi_constructor("!", _intrinsic)
    return TemplateLoader


def load_template(body: Any) -> dict:
    """The template as data, from YAML or JSON text (a dict, as boto3 returns a JSON template, is kept)."""
    if isinstance(body, dict):
        return dict(body)
    try:
        # A SafeLoader subclass that only adds the intrinsic tags.
        loaded = yaml.load(body, Loader=_template_loader())
    except yaml.YAMLError as err:
        raise ValueError(str(err)) from err
    if not isinstance(loaded, dict):
        raise ValueError("the template is not a mapping")
    return loaded


@AWSRetry.jittered_backoff()
def _describe(client, name: str) -> dict:
    return client.describe_stacks(StackName=name)


def describe_stack(client, name: str) -> dict | None:
    """The stack as DescribeStacks answers, or None when there is none (a deleted stack is none)."""
    try:
        stacks = _describe(client, name)["Stacks"]
    except is_boto3_error_message("does not exist"):
        return None
    stack = stacks[0] if stacks else None
    if stack is None or stack.get("StackStatus") == "DELETE_COMPLETE":
        return None
    return stack


@AWSRetry.jittered_backoff()
def deployed_template(client, name: str) -> Any:
    """The template the stack was last deployed with, as submitted (text for YAML, a dict for JSON)."""
    return client.get_template(StackName=name, TemplateStage="Original")["TemplateBody"]


@AWSRetry.jittered_backoff()
def create_stack(client, request: dict) -> str:
    """Create the stack; a failed creation deletes what it made (a re-run starts again from nothing)."""
    return client.create_stack(**request, OnFailure="DELETE")["StackId"]


def update_stack(client, request: dict) -> bool:
    """Update the stack; False when CloudFormation finds nothing to update."""
    try:
        _update(client, request)
    except is_boto3_error_message(NO_UPDATES):
        return False
    return True


@AWSRetry.jittered_backoff()
def _update(client, request: dict) -> None:
    client.update_stack(**request)


@AWSRetry.jittered_backoff()
def delete_stack(client, name: str) -> None:
    client.delete_stack(StackName=name)


class OperationFailed(Exception):
    """A stack operation ended in failure (or did not end in time); the message holds the resources' reasons."""


def wait(client, waiter: str, name: str, timeout: int, delay: int = 5) -> None:
    """Wait for ``waiter`` (stack_create_complete, ...) on the stack, ``timeout`` seconds at most.

    Raises :class:`OperationFailed` with the failed resources' reasons when the operation fails or times out.
    """
    try:
        client.get_waiter(waiter).wait(
            StackName=name, WaiterConfig={"Delay": delay, "MaxAttempts": max(1, timeout // delay)}
        )
    except WaiterError as err:
        raise OperationFailed("; ".join(failure_reasons(client, name)) or str(err)) from err


@AWSRetry.jittered_backoff()
def _events(client, name: str) -> list:
    return client.describe_stack_events(StackName=name)["StackEvents"]


def failure_reasons(client, name: str, limit: int = 10) -> list[str]:
    """The latest failed resource events of the stack, newest first, as sentences."""
    try:
        events = _events(client, name)
    except ClientError:
        return []
    failed = [event for event in events if str(event.get("ResourceStatus", "")).endswith("FAILED")]
    return [
        f"{event.get('LogicalResourceId')} ({event.get('ResourceType')}): {event.get('ResourceStatus')} "
        f"{event.get('ResourceStatusReason', '')}".strip()
        for event in failed[:limit]
    ]


def request(name: str, body: str, parameters: dict, tags: dict, capabilities: list) -> dict:
    """The CreateStack / UpdateStack / CreateChangeSet parameters of the stack."""
    return {
        "StackName": name,
        "TemplateBody": body,
        "Parameters": [
            {"ParameterKey": key, "ParameterValue": str(value)} for key, value in sorted(parameters.items())
        ],
        "Tags": [{"Key": key, "Value": str(value)} for key, value in sorted(tags.items())],
        "Capabilities": list(capabilities),
    }


def preview_change_set(client, stack_request: dict, change_set_name: str, timeout: int = 300) -> tuple[list, str]:
    """CloudFormation's change set of an update, read and deleted: (resource changes, status reason)."""
    created = _create_change_set(client, {**stack_request, "ChangeSetName": change_set_name})
    change_set_id = created["Id"]
    try:
        deadline = time.monotonic() + timeout
        while True:
            described = _describe_change_set(client, change_set_id)
            status = described.get("Status")
            if status in ("CREATE_COMPLETE", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(2)
        changes = list(described.get("Changes") or [])
        token = described.get("NextToken")
        while token:
            page = _describe_change_set(client, change_set_id, token)
            changes += page.get("Changes") or []
            token = page.get("NextToken")
        reason = described.get("StatusReason") or ""
        if status == "FAILED" and "didn't contain changes" not in reason and NO_UPDATES not in reason:
            raise ChangeSetFailed(reason or "the change set failed")
        if status not in ("CREATE_COMPLETE", "FAILED"):
            raise ChangeSetFailed(f"the change set was not ready after {timeout} s (status {status})")
    finally:
        _delete_change_set(client, change_set_id)
    return [_resource_change(change) for change in changes if change.get("Type") == "Resource"], reason


class ChangeSetFailed(Exception):
    """CloudFormation could not make the preview's change set."""


@AWSRetry.jittered_backoff()
def _create_change_set(client, params: dict) -> dict:
    return client.create_change_set(**params, ChangeSetType="UPDATE")


@AWSRetry.jittered_backoff()
def _describe_change_set(client, change_set_id: str, token: str | None = None) -> dict:
    params = {"ChangeSetName": change_set_id}
    if token:
        params["NextToken"] = token
    return client.describe_change_set(**params)


@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidChangeSetStatus"])
def _delete_change_set(client, change_set_id: str) -> None:
    client.delete_change_set(ChangeSetName=change_set_id)


def _resource_change(change: dict) -> dict:
    item = change.get("ResourceChange") or {}
    out = {
        "action": item.get("Action", ""),
        "logical_resource_id": item.get("LogicalResourceId", ""),
        "resource_type": item.get("ResourceType", ""),
    }
    if item.get("PhysicalResourceId"):
        out["physical_resource_id"] = item["PhysicalResourceId"]
    if item.get("Replacement"):
        out["replacement"] = item["Replacement"]
    return out


def _resolved(value: Any, parameters: dict) -> str | None:
    """A name property's value when the template derives it from parameters alone (plain text, !Ref, !Sub)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        if "Ref" in value and value["Ref"] in parameters:
            return str(parameters[value["Ref"]])
        text = value.get("Fn::Sub")
        if isinstance(text, str):
            names = _SUB_PARAM.findall(text)
            if all(name in parameters for name in names):
                return _SUB_PARAM.sub(lambda match: str(parameters[match.group(1)]), text)
    return None


def template_parameters(template: dict, given: dict) -> dict:
    """Every parameter's value on deployment: the ones given, the template's defaults for the rest."""
    values = {}
    for key, spec in (template.get("Parameters") or {}).items():
        if key in given:
            values[key] = str(given[key])
        elif isinstance(spec, dict) and "Default" in spec:
            default = spec["Default"]
            values[key] = ",".join(map(str, default)) if isinstance(default, list) else str(default)
    return values


def planned_resources(template: dict, given: dict) -> list[dict]:
    """A new stack's preview from the template: each resource added, named where parameters alone name it.

    Resources behind a condition are listed whatever the condition (the preview does not evaluate conditions).
    """
    values = template_parameters(template, given)
    planned = []
    for logical_id, resource in (template.get("Resources") or {}).items():
        item = {"action": "Add", "logical_resource_id": logical_id, "resource_type": resource.get("Type", "")}
        if resource.get("Condition"):
            item["condition"] = resource["Condition"]
        properties = resource.get("Properties") or {}
        for key in sorted(properties):
            if key.endswith("Name") and (name := _resolved(properties[key], values)) is not None:
                item["physical_resource_id"] = name
                break
        planned.append(item)
    return planned


def differences(
    template: dict, deployed: Any, given: dict, stack: dict, tags: dict | None, purge_tags: bool
) -> list[str]:
    """What differs between the stack and what is asked, as sentences (empty: nothing to update)."""
    changes = []
    if load_template(deployed) != template:
        changes.append("template")
    current = {item["ParameterKey"]: item.get("ParameterValue", "") for item in stack.get("Parameters") or []}
    wanted = template_parameters(template, given)
    for key in sorted(set(current) | set(wanted)):
        if current.get(key) == "****":  # NoEcho: CloudFormation never shows it
            continue
        if current.get(key) != wanted.get(key):
            changes.append(f"parameter {key}: {current.get(key)!r} -> {wanted.get(key)!r}")
    if tags is not None:
        have = stack_tags(stack)
        want = desired_tags(have, tags, purge_tags)
        if want != have:
            changes.append("tags")
    return changes


def stack_tags(stack: dict | None) -> dict:
    return {item["Key"]: item["Value"] for item in (stack or {}).get("Tags") or []}


def desired_tags(current: dict, tags: dict | None, purge_tags: bool) -> dict:
    """The stack tags to send: the ones asked, with the current ones kept unless purged; None keeps them all."""
    if tags is None:
        return dict(current)
    wanted = {key: str(value) for key, value in tags.items()}
    return wanted if purge_tags else {**current, **wanted}


def stack_view(stack: dict | None) -> dict:
    """The stack as the module returns it: name, id, status, outputs, parameters and tags as dicts."""
    if not stack:
        return {}
    return {
        "stack_name": stack.get("StackName", ""),
        "stack_id": stack.get("StackId", ""),
        "stack_status": stack.get("StackStatus", ""),
        "outputs": {item["OutputKey"]: item.get("OutputValue", "") for item in stack.get("Outputs") or []},
        "parameters": {item["ParameterKey"]: item.get("ParameterValue", "") for item in stack.get("Parameters") or []},
        "tags": stack_tags(stack),
    }
