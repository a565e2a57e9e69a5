# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudWatch Logs log groups as a family: find one, decide what differs, write it, survive a lost answer.

A ``CreateLogGroup`` whose answer was lost (a 5xx or a dropped connection after CloudWatch Logs created the group)
is retried by botocore and answered ``ResourceAlreadyExistsException``: :func:`create` then returns ``False``, the
group is read and converged (retention, KMS key, tags) - never a failure, never a second group. A ``DeleteLogGroup``
retried after a lost answer meets ``ResourceNotFoundException``: gone. The other writes (``PutRetentionPolicy``,
``AssociateKmsKey``, ``TagResource``, ...) are idempotent.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes

NEVER = 0  # retention_days 0: the group never expires its logs (CloudWatch's default)


@AWSRetry.jittered_backoff()
def describe(client, name: str) -> dict | None:
    """The log group named exactly ``name`` as ``DescribeLogGroups`` answers it, or ``None``."""
    for page in client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group["logGroupName"] == name:
                return group
    return None


class LogGroupError(Exception):
    """A state this module cannot converge from, said in words for the user."""


def arn_of(group: dict) -> str:
    """The group's ARN without the ``:*`` ``DescribeLogGroups`` adds to ``arn`` (the form the tagging calls take)."""
    arn = group.get("logGroupArn") or group.get("arn", "")
    return arn[:-2] if arn.endswith(":*") else arn


def tags(client, group: dict) -> dict:
    return client.list_tags_for_resource(resourceArn=arn_of(group), aws_retry=True).get("tags", {})


def read(client, want: dict, wants_tags: bool) -> dict | None:
    """``{"group", "tags"}`` for the group of ``want``, or ``None``; tags are read only when they are managed."""
    group = describe(client, want["name"])
    if group is None:
        return None
    return {"group": group, "tags": tags(client, group) if wants_tags else {}}


def create(client, want: dict, desired_tags: dict | None) -> bool:
    """Create the group with its KMS key and tags; False when it already existed (a lost answer's retry)."""
    request: dict[str, Any] = {"logGroupName": want["name"]}
    if want.get("kms_key_id"):
        request["kmsKeyId"] = want["kms_key_id"]
    if desired_tags:
        request["tags"] = dict(desired_tags)
    try:
        client.create_log_group(**request, aws_retry=True)
    except is_boto3_error_code("ResourceAlreadyExistsException"):
        return False
    return True


def key_matches(desired: str, actual: str | None) -> bool:
    """Whether the group's key ARN ``actual`` is the key ``desired`` names (its ARN or its id)."""
    if not desired:
        return not actual
    if not actual:
        return False
    return desired == actual or actual.endswith(f":key/{desired}")


def differences(want: dict, have: dict, desired_tags: dict | None, purge_tags: bool) -> list[str]:
    """What must change on an existing group, as short phrases; empty when it is right."""
    group = have["group"]
    found = []
    retention = want.get("retention_days")
    if retention is not None and (retention or None) != group.get("retentionInDays"):
        found.append("retention")
    if want.get("kms_key_id") is not None and not key_matches(want["kms_key_id"], group.get("kmsKeyId")):
        found.append("kms key")
    to_set, to_remove = tag_changes(desired_tags, have["tags"], purge_tags)
    if to_set or to_remove:
        found.append("tags")
    return found


def apply(client, want: dict, have: dict, desired_tags: dict | None, purge_tags: bool) -> None:
    name, group = want["name"], have["group"]
    changes = differences(want, have, desired_tags, purge_tags)
    if "retention" in changes:
        if want["retention_days"]:
            client.put_retention_policy(logGroupName=name, retentionInDays=want["retention_days"], aws_retry=True)
        else:
            client.delete_retention_policy(logGroupName=name, aws_retry=True)
    if "kms key" in changes:
        if want["kms_key_id"]:
            client.associate_kms_key(logGroupName=name, kmsKeyId=want["kms_key_id"], aws_retry=True)
        else:
            client.disassociate_kms_key(logGroupName=name, aws_retry=True)
    if "tags" in changes:
        to_set, to_remove = tag_changes(desired_tags, have["tags"], purge_tags)
        if to_remove:
            client.untag_resource(resourceArn=arn_of(group), tagKeys=list(to_remove), aws_retry=True)
        if to_set:
            client.tag_resource(resourceArn=arn_of(group), tags=dict(to_set), aws_retry=True)


def delete(client, name: str) -> None:
    """Delete the group; ``ResourceNotFoundException`` (a lost answer retried, or already gone) is success."""
    try:
        client.delete_log_group(logGroupName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        pass


def view(want: dict, region: str, have: dict | None, *, created: bool, changes: list[str]) -> dict:
    """One group as the module returns it."""
    group = (have or {}).get("group") or {}
    return {
        "log_group_name": want["name"],
        "region": region,
        "arn": arn_of(group),
        "retention_in_days": group.get("retentionInDays"),
        "kms_key_id": group.get("kmsKeyId", ""),
        "tags": dict((have or {}).get("tags") or {}),
        "exists": bool(group.get("logGroupName")),
        "created": created,
        "changed": bool(changes),
        "changes": list(changes),
    }


def planned(want: dict, have: dict | None, desired_tags: dict | None, purge_tags: bool) -> dict:
    """What check mode reports the group would be: ``have`` with the wanted settings over it."""
    group = dict((have or {}).get("group") or {})
    group["logGroupName"] = want["name"] if have else ""
    if want.get("retention_days") is not None:
        group["retentionInDays"] = want["retention_days"] or None
    if want.get("kms_key_id") is not None:
        group["kmsKeyId"] = want["kms_key_id"]
    current = dict((have or {}).get("tags") or {})
    to_set, to_remove = tag_changes(desired_tags, current, purge_tags)
    current = {k: v for k, v in current.items() if k not in to_remove} | to_set
    return {"group": group, "tags": current}


def present(client, region: str, want: dict, desired_tags: dict | None, purge_tags: bool, check_mode: bool):
    """Converge one group; ``(before, after)`` views. A lost create answer is adopted and reported ``created``."""
    have = read(client, want, desired_tags is not None)
    before = view(want, region, have, created=False, changes=[])
    created = have is None
    if created:
        if check_mode:
            return before, view(want, region, planned(want, None, desired_tags, purge_tags), created=True,
                                changes=["created"])  # fmt: skip
        create(client, want, desired_tags)
        have = read(client, want, desired_tags is not None)
        if have is None:
            raise LogGroupError(f"log group {want['name']} was created but cannot be read")
    changes = differences(want, have, desired_tags, purge_tags)
    reported = (["created"] if created else []) + changes
    if changes:
        if check_mode:
            return before, view(want, region, planned(want, have, desired_tags, purge_tags), created=False,
                                changes=reported)  # fmt: skip
        apply(client, want, have, desired_tags, purge_tags)
        have = read(client, want, desired_tags is not None) or have
    return before, view(want, region, have, created=created, changes=reported)


def absent(client, region: str, want: dict, check_mode: bool):
    """Delete one group; ``(before, after)`` views."""
    group = describe(client, want["name"])
    have = {"group": group, "tags": {}} if group else None
    before = view(want, region, have, created=False, changes=[])
    if group is None:
        return before, before
    if not check_mode:
        delete(client, want["name"])
    return before, view(want, region, None, created=False, changes=["deleted"])
