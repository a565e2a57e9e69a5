# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM roles as a family: read one role whole, decide what differs, write the difference, survive a lost answer.

A write whose answer was lost (a 5xx or a dropped connection after IAM applied it) is retried by botocore and
``AWSRetry``; the retry then meets what the first attempt did. Every write here treats that as success:

- ``CreateRole`` answering ``EntityAlreadyExists``: the role is read and adopted (:func:`create_role` returns
  ``None``), then converged like any existing role - never a failure, never a second role;
- ``DeleteRole``, ``DeleteRolePolicy``, ``DetachRolePolicy``, ``RemoveRoleFromInstanceProfile`` and
  ``DeleteInstanceProfile`` answering ``NoSuchEntity``: already done;
- ``PutRolePolicy``, ``AttachRolePolicy``, ``UpdateAssumeRolePolicy``, ``UpdateRole``, ``TagRole``, ``UntagRole``
  and the permissions boundary calls are idempotent.

Policies are compared normalised with amazon.aws's ``compare_policies`` (statement order, single values as lists,
the ``Version`` default), so a document IAM stores in its own spelling is not rewritten on every run.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

# IAM's own default for MaxSessionDuration (seconds).
DEFAULT_MAX_SESSION = 3600

# The changes that alter what the role may do or who may assume it: a service handed the role right after may see
# the old permissions for a while (IAM propagation; the modules that use roles retry it, propagation.py).
POLICY_CHANGES = ("created", "trust policy", "permissions boundary", "attach ", "detach ", "put policy ",
                  "update policy ", "delete policy ")  # fmt: skip


class RoleError(Exception):
    """A state this module cannot converge from, said in words for the user."""


def document(value: Any) -> dict:
    """A policy document as a dict, from a dict, a JSON string or IAM's URL-encoded JSON."""
    if isinstance(value, dict):
        return value
    if value is None or value == "":
        return {}
    text = str(value).strip()
    if text.startswith("%"):
        text = unquote(text)
    return json.loads(text)


def policies_differ(desired: Any, actual: Any) -> bool:
    """Whether two policy documents differ once normalised (amazon.aws ``compare_policies``)."""
    return bool(compare_policies(document(actual), document(desired)))


def get_role(client, name: str) -> dict | None:
    """The role as ``GetRole`` answers it (tags included), or ``None`` when it does not exist."""
    try:
        return client.get_role(RoleName=name, aws_retry=True)["Role"]
    except is_boto3_error_code("NoSuchEntity"):
        return None


@AWSRetry.jittered_backoff()
def inline_policy_names(client, name: str) -> list[str]:
    """The names of the role's inline policies."""
    names: list[str] = []
    for page in client.get_paginator("list_role_policies").paginate(RoleName=name):
        names.extend(page.get("PolicyNames", []))
    return names


def inline_policies(client, name: str) -> dict[str, dict]:
    """The role's inline policies, name -> document."""
    return {
        policy: document(client.get_role_policy(RoleName=name, PolicyName=policy, aws_retry=True)["PolicyDocument"])
        for policy in inline_policy_names(client, name)
    }


@AWSRetry.jittered_backoff()
def managed_policies(client, name: str) -> list[str]:
    """The ARNs of the managed policies attached to the role, sorted."""
    arns: list[str] = []
    for page in client.get_paginator("list_attached_role_policies").paginate(RoleName=name):
        arns.extend(policy["PolicyArn"] for policy in page.get("AttachedPolicies", []))
    return sorted(arns)


def read(client, want: dict) -> dict | None:
    """The role named in ``want`` as it is: ``{"role", "inline", "managed"}``, or ``None`` when it does not exist.

    Inline and managed policies are read only when ``want`` manages them (``None`` leaves them alone).
    """
    role = get_role(client, want["name"])
    if role is None:
        return None
    return {
        "role": role,
        "inline": inline_policies(client, want["name"]) if want.get("inline_policies") is not None else {},
        "managed": managed_policies(client, want["name"]) if want.get("managed_policy_arns") is not None else [],
    }


def create_role(client, want: dict, tags: dict) -> dict | None:
    """Create the role; the new role as ``CreateRole`` answers it, or ``None`` when it already existed.

    ``EntityAlreadyExists`` is the answer to the retry of a ``CreateRole`` whose first answer was lost (or a role
    made by someone else since it was looked up): the caller reads the role and converges it.
    """
    request: dict[str, Any] = {
        "RoleName": want["name"],
        "Path": want.get("path") or "/",
        "AssumeRolePolicyDocument": json.dumps(document(want["assume_role_policy"]), sort_keys=True),
    }
    if want.get("description") is not None:
        request["Description"] = want["description"]
    if want.get("max_session_duration") is not None:
        request["MaxSessionDuration"] = want["max_session_duration"]
    if want.get("permissions_boundary"):
        request["PermissionsBoundary"] = want["permissions_boundary"]
    if tags:
        request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    try:
        return client.create_role(**request, aws_retry=True)["Role"]
    except is_boto3_error_code("EntityAlreadyExists"):
        return None


def boundary_of(role: dict) -> str:
    return (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", "")


def differences(want: dict, have: dict, tags: dict | None, purge_tags: bool) -> list[str]:
    """What must change on an existing role, as short phrases; empty when it is right.

    ``tags`` None leaves the role's tags alone. Managed and inline policies are compared only when ``want`` sets them.
    """
    role = have["role"]
    found: list[str] = []
    if want.get("assume_role_policy") is not None and policies_differ(
        want["assume_role_policy"], role.get("AssumeRolePolicyDocument")
    ):
        found.append("trust policy")
    if want.get("description") is not None and want["description"] != role.get("Description", ""):
        found.append("description")
    if want.get("max_session_duration") is not None and want["max_session_duration"] != role.get(
        "MaxSessionDuration", DEFAULT_MAX_SESSION
    ):
        found.append("max session duration")
    if want.get("permissions_boundary") is not None and want["permissions_boundary"] != boundary_of(role):
        found.append("permissions boundary")
    to_set, to_remove = tag_changes(tags, tags_of(role), purge_tags)
    if to_set or to_remove:
        found.append("tags")
    if want.get("managed_policy_arns") is not None:
        wanted = set(want["managed_policy_arns"])
        found.extend(f"attach {arn}" for arn in sorted(wanted - set(have["managed"])))
        if want.get("purge_managed_policies", True):
            found.extend(f"detach {arn}" for arn in sorted(set(have["managed"]) - wanted))
    if want.get("inline_policies") is not None:
        wanted_inline = want["inline_policies"]
        for policy in sorted(wanted_inline):
            if policy not in have["inline"]:
                found.append(f"put policy {policy}")
            elif policies_differ(wanted_inline[policy], have["inline"][policy]):
                found.append(f"update policy {policy}")
        if want.get("purge_inline_policies", True):
            found.extend(f"delete policy {policy}" for policy in sorted(set(have["inline"]) - set(wanted_inline)))
    return found


def apply(client, want: dict, have: dict, tags: dict | None, purge_tags: bool) -> None:
    """Write what :func:`differences` found, in the order a role can take it (trust first, policies last)."""
    name, role = want["name"], have["role"]
    changes = set(differences(want, have, tags, purge_tags))
    if "trust policy" in changes:
        client.update_assume_role_policy(
            RoleName=name,
            PolicyDocument=json.dumps(document(want["assume_role_policy"]), sort_keys=True),
            aws_retry=True,
        )
    update: dict[str, Any] = {}
    if "description" in changes:
        update["Description"] = want["description"]
    if "max session duration" in changes:
        update["MaxSessionDuration"] = want["max_session_duration"]
    if update:
        client.update_role(RoleName=name, **update, aws_retry=True)
    if "permissions boundary" in changes:
        if want["permissions_boundary"]:
            client.put_role_permissions_boundary(
                RoleName=name, PermissionsBoundary=want["permissions_boundary"], aws_retry=True
            )
        else:
            _gone(client, "delete_role_permissions_boundary", RoleName=name)
    if "tags" in changes:
        to_set, to_remove = tag_changes(tags, tags_of(role), purge_tags)
        if to_remove:
            client.untag_role(RoleName=name, TagKeys=list(to_remove), aws_retry=True)
        if to_set:
            client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    for change in sorted(changes):
        verb, _space, target = change.partition(" ")
        if verb == "attach":
            client.attach_role_policy(RoleName=name, PolicyArn=target, aws_retry=True)
        elif verb == "detach":
            _gone(client, "detach_role_policy", RoleName=name, PolicyArn=target)
    for change in sorted(changes):
        if change.startswith(("put policy ", "update policy ")):
            policy = change.split(" ", 2)[2]
            client.put_role_policy(
                RoleName=name,
                PolicyName=policy,
                PolicyDocument=json.dumps(document(want["inline_policies"][policy]), sort_keys=True),
                aws_retry=True,
            )
        elif change.startswith("delete policy "):
            _gone(client, "delete_role_policy", RoleName=name, PolicyName=change[len("delete policy ") :])


def _gone(client, operation: str, **params) -> None:
    """Run a delete-like call, retried; ``NoSuchEntity`` (already done, e.g. by an attempt whose answer was lost) is
    success."""
    try:
        getattr(client, operation)(**params, aws_retry=True)
    except is_boto3_error_code("NoSuchEntity"):
        pass


def delete_role(client, name: str) -> None:
    """Delete an existing role with its inline policies, attachments and instance profiles.

    ``NoSuchEntity`` anywhere (the role deleted meanwhile, or a lost answer retried) means it is gone.
    """
    try:
        for policy in inline_policy_names(client, name):
            _gone(client, "delete_role_policy", RoleName=name, PolicyName=policy)
        for arn in managed_policies(client, name):
            _gone(client, "detach_role_policy", RoleName=name, PolicyArn=arn)
        for profile in instance_profiles(client, name):
            _gone(client, "remove_role_from_instance_profile", InstanceProfileName=profile, RoleName=name)
            if profile == name:  # the profile made for the role (amazon.aws iam_role's default), nobody else's
                _gone(client, "delete_instance_profile", InstanceProfileName=profile)
        _gone(client, "delete_role", RoleName=name)
    except is_boto3_error_code("NoSuchEntity"):
        pass


@AWSRetry.jittered_backoff()
def instance_profiles(client, name: str) -> list[str]:
    names: list[str] = []
    for page in client.get_paginator("list_instance_profiles_for_role").paginate(RoleName=name):
        names.extend(profile["InstanceProfileName"] for profile in page.get("InstanceProfiles", []))
    return names


def view(want: dict, role: dict | None, *, created: bool, changes: list[str], inline=None, managed=None) -> dict:
    """One role as the module returns it."""
    role = role or {}
    return {
        "role_name": want["name"],
        "arn": role.get("Arn", ""),
        "role_id": role.get("RoleId", ""),
        "path": role.get("Path", want.get("path") or "/"),
        "description": role.get("Description", ""),
        "max_session_duration": role.get("MaxSessionDuration", DEFAULT_MAX_SESSION) if role else None,
        "permissions_boundary": boundary_of(role),
        "tags": tags_of(role),
        "inline_policy_names": sorted(inline or {}),
        "managed_policy_arns": sorted(managed or []),
        "exists": bool(role.get("Arn")),
        "created": created,
        "changed": bool(changes),
        "policies_changed": any(change.startswith(POLICY_CHANGES) for change in changes),
        "changes": list(changes),
    }


def desired_tags(want: dict, common: dict | None) -> dict | None:
    """The tags a role should carry: the module's O(tags) with the role's own over them; None leaves them alone."""
    if common is None and want.get("tags") is None:
        return None
    return {**(common or {}), **(want.get("tags") or {})}


def present(client, want: dict, common_tags: dict | None, purge_tags: bool, check_mode: bool) -> tuple[dict, dict]:
    """Converge one role to ``want``; ``(before, after)`` views (see :func:`view`).

    A role that does not exist is created with everything ``CreateRole`` takes, then given its policies. A create
    answered ``EntityAlreadyExists`` (the retry of a lost answer) adopts the role and converges it; it is still
    reported ``created``, and ``CreateRole`` is never sent twice by this module.
    """
    tags = desired_tags(want, common_tags)
    have = read(client, want)
    before = view(want, have and have["role"], created=False, changes=[], inline=have and have["inline"],
                  managed=have and have["managed"])  # fmt: skip
    created = have is None
    if created:
        if want.get("assume_role_policy") is None:
            raise RoleError(f"role {want['name']} does not exist: assume_role_policy is required to create it")
        if check_mode:
            planned = {
                "Path": want.get("path") or "/",
                "Description": want.get("description") or "",
                "MaxSessionDuration": want.get("max_session_duration") or DEFAULT_MAX_SESSION,
                "PermissionsBoundary": {"PermissionsBoundaryArn": want["permissions_boundary"]}
                if want.get("permissions_boundary")
                else {},
                "Tags": ansible_dict_to_boto3_tag_list(tags or {}),
            }
            return before, view(want, planned, created=True, changes=["created"], inline=want.get("inline_policies"),
                                managed=want.get("managed_policy_arns"))  # fmt: skip
        role = create_role(client, want, tags or {})
        if role is None:  # EntityAlreadyExists: our lost create, or a role made meanwhile - adopt it
            have = read(client, want)
            if have is None:  # deleted again since: nothing to adopt, which only a concurrent run can cause
                raise RoleError(f"role {want['name']} answered EntityAlreadyExists but cannot be read")
        else:
            have = {"role": role, "inline": {}, "managed": []}
    changes = differences(want, have, tags, purge_tags)
    if changes and not check_mode:
        apply(client, want, have, tags, purge_tags)
        have = read(client, want) or have
    reported = (["created"] if created else []) + changes
    if check_mode and changes:
        inline = have["inline"] if want.get("inline_policies") is None else want["inline_policies"]
        managed = have["managed"] if want.get("managed_policy_arns") is None else want["managed_policy_arns"]
        return before, view(want, have["role"], created=False, changes=reported, inline=inline, managed=managed)
    return before, view(want, have["role"], created=created, changes=reported, inline=have["inline"],
                        managed=have["managed"])  # fmt: skip


def absent(client, want: dict, check_mode: bool) -> tuple[dict, dict]:
    """Delete one role (inline policies, attachments, instance profiles first); ``(before, after)`` views."""
    role = get_role(client, want["name"])
    before = view(want, role, created=False, changes=[])
    if role is None:
        return before, before
    if not check_mode:
        delete_role(client, want["name"])
    return before, view(want, None, created=False, changes=["deleted"])
