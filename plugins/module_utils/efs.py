# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EFS file systems, mount targets, file system policies and access points.

community.aws ``efs`` calls the deprecated ``DescribeTags`` API (gone from some endpoints) and has no
access point support; these helpers use ``ListTagsForResource``/``TagResource`` and the current APIs.
"""

from __future__ import annotations

import hashlib
import json
import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

# Sent while a file system or mount target is still being created or deleted; retried.
_BUSY = ["IncorrectFileSystemLifeCycleState", "IncorrectMountTargetState", "FileSystemInUse", "ConflictException"]

LIFECYCLE_KEYS = {
    "transition_to_ia": "TransitionToIA",
    "transition_to_primary_storage_class": "TransitionToPrimaryStorageClass",
    "transition_to_archive": "TransitionToArchive",
}


# ---- file systems -------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def find_file_system(client, creation_token: str) -> dict | None:
    """The file system created with this token (the module's identity for it), or None."""
    found = client.describe_file_systems(CreationToken=creation_token).get("FileSystems", [])
    return found[0] if found else None


@AWSRetry.jittered_backoff()
def describe_file_system(client, fs_id: str) -> dict | None:
    response = or_none(client.describe_file_systems, "FileSystemNotFound", FileSystemId=fs_id)
    found = (response or {}).get("FileSystems", [])
    return found[0] if found else None


@AWSRetry.jittered_backoff()
def create_file_system(client, creation_token: str, params: dict, tags: dict) -> dict:
    request = {"CreationToken": creation_token, "Tags": ansible_dict_to_boto3_tag_list(tags), **params}
    response = client.create_file_system(**request)
    response.pop("ResponseMetadata", None)
    return response


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def update_throughput(client, fs_id: str, throughput_mode: str, provisioned_mibps: float | None) -> None:
    params = {"FileSystemId": fs_id, "ThroughputMode": throughput_mode}
    if throughput_mode == "provisioned":
        params["ProvisionedThroughputInMibps"] = provisioned_mibps
    client.update_file_system(**params)


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def delete_file_system(client, fs_id: str) -> None:
    client.delete_file_system(FileSystemId=fs_id)


def wait_file_system(client, fs_id: str, state: str, timeout: int = 300, sleep: int = 5) -> dict | None:
    """Wait until the file system reaches ``state`` (``deleted`` waits until it is gone)."""
    deadline = time.monotonic() + timeout
    while True:
        fs = describe_file_system(client, fs_id)
        if (fs is None and state == "deleted") or (fs and fs.get("LifeCycleState") == state):
            return fs
        if fs and fs.get("LifeCycleState") == "error":
            raise RuntimeError(f"file system {fs_id} is in state error")
        if time.monotonic() > deadline:
            raise TimeoutError(f"file system {fs_id} did not become {state} within {timeout} s")
        time.sleep(sleep)


def immutable_differences(current: dict, params: dict) -> list[str]:
    """What the request asks for that EFS cannot change on an existing file system."""
    out = []
    if params.get("Encrypted") is not None and bool(current.get("Encrypted")) != params["Encrypted"]:
        out.append(f"encrypted is {current.get('Encrypted')}, not {params['Encrypted']}")
    want_key = params.get("KmsKeyId")
    have_key = current.get("KmsKeyId") or ""
    if want_key and have_key != want_key and not have_key.endswith(want_key.split("/")[-1]):
        out.append(f"kms_key_id is {have_key}, not {want_key}")
    if params.get("PerformanceMode") and current.get("PerformanceMode") != params["PerformanceMode"]:
        out.append(f"performance_mode is {current.get('PerformanceMode')}, not {params['PerformanceMode']}")
    return out


# ---- tags ---------------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def list_tags(client, resource_id: str) -> dict:
    tags, params = [], {"ResourceId": resource_id}
    while True:  # ListTagsForResource has no botocore paginator
        page = client.list_tags_for_resource(**params)
        tags.extend(page.get("Tags", []))
        if not page.get("NextToken"):
            return boto3_tag_list_to_ansible_dict(tags)
        params["NextToken"] = page["NextToken"]


# ---- lifecycle and policy -----------------------------------------------------------------------


def lifecycle_policies(lifecycle: dict | None) -> list | None:
    """The API's LifecyclePolicies list from the module's lifecycle dict (None leaves it alone)."""
    if lifecycle is None:
        return None
    return [{api: lifecycle[key]} for key, api in LIFECYCLE_KEYS.items() if lifecycle.get(key)]


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def get_lifecycle(client, fs_id: str) -> list:
    return client.describe_lifecycle_configuration(FileSystemId=fs_id).get("LifecyclePolicies", [])


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def put_lifecycle(client, fs_id: str, policies: list) -> None:
    client.put_lifecycle_configuration(FileSystemId=fs_id, LifecyclePolicies=policies)


def same_lifecycle(current: list, desired: list) -> bool:
    def flat(policies):
        return {k: v for p in policies for k, v in p.items()}

    return flat(current) == flat(desired)


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def get_policy(client, fs_id: str) -> dict | None:
    raw = (or_none(client.describe_file_system_policy, "PolicyNotFound", FileSystemId=fs_id) or {}).get("Policy")
    return json.loads(raw) if raw else None


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def put_policy(client, fs_id: str, policy: dict) -> None:
    client.put_file_system_policy(FileSystemId=fs_id, Policy=json.dumps(policy, sort_keys=True))


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def delete_policy(client, fs_id: str) -> None:
    client.delete_file_system_policy(FileSystemId=fs_id)


def _with_resource(policy: dict, fs_arn: str) -> dict:
    """``policy`` with the file system as ``Resource`` of every statement that names none (what EFS means by it)."""
    statements = policy.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    return {
        **policy,
        "Statement": [s if "Resource" in s or "NotResource" in s else {**s, "Resource": fs_arn} for s in statements],
    }


def policy_differs(desired: dict | None, actual: dict | None, fs_arn: str) -> bool:
    """Whether the stored file system policy ``actual`` differs from ``desired``.

    EFS stores the policy in its own form: it adds the file system's ARN as ``Resource`` to every statement that has
    none, flattens single-element lists and reorders keys. Both sides get that ``Resource`` where they lack one and
    are compared normalised by amazon.aws's ``compare_policies`` (which also treats ``"*"`` and ``{"AWS": "*"}``
    alike).
    """
    if not desired or not actual:
        return bool(desired) != bool(actual)
    return compare_policies(_with_resource(actual, fs_arn), _with_resource(desired, fs_arn))


def normalise_policy(policy):
    """A policy with statement lists and single-element value lists put in one canonical form."""
    if isinstance(policy, dict):
        return {k: normalise_policy(v) for k, v in sorted(policy.items())}
    if isinstance(policy, list):
        items = [normalise_policy(v) for v in policy]
        if len(items) == 1 and not isinstance(items[0], dict):
            return items[0]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return policy


# ---- mount targets ------------------------------------------------------------------------------


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def list_mount_targets(client, fs_id: str) -> list:
    pages = client.get_paginator("describe_mount_targets").paginate(FileSystemId=fs_id)
    return pages.build_full_result().get("MountTargets", [])


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def mount_target_groups(client, mount_target_id: str) -> list:
    return client.describe_mount_target_security_groups(MountTargetId=mount_target_id).get("SecurityGroups", [])


def create_mount_target(client, fs_id: str, subnet_id: str, security_groups: list) -> dict:
    """CreateMountTarget has no token: after a lost answer its retry answers ``MountTargetConflict`` (the subnet's
    zone has one already); the mount target the first attempt made in ``subnet_id`` is then adopted."""

    def ours():
        return next((mt for mt in list_mount_targets(client, fs_id) if mt.get("SubnetId") == subnet_id), None)

    made, _adopted = create_or_adopt(
        lambda: _create_mount_target(client, fs_id, subnet_id, security_groups), ours, ("MountTargetConflict",)
    )
    return made


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def _create_mount_target(client, fs_id: str, subnet_id: str, security_groups: list) -> dict:
    return client.create_mount_target(FileSystemId=fs_id, SubnetId=subnet_id, SecurityGroups=security_groups)


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def set_mount_target_groups(client, mount_target_id: str, security_groups: list) -> None:
    client.modify_mount_target_security_groups(MountTargetId=mount_target_id, SecurityGroups=security_groups)


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def delete_mount_target(client, mount_target_id: str) -> None:
    client.delete_mount_target(MountTargetId=mount_target_id)


def mount_target_plan(current: list, groups_by_target: dict, desired: list) -> dict:
    """What to create, re-group and delete so the mount targets match ``desired``.

    ``current`` are the described mount targets, ``groups_by_target`` maps their ids to security groups,
    ``desired`` is a list of ``{"subnet_id", "security_groups"}``.
    """
    by_subnet = {mt["SubnetId"]: mt for mt in current}
    wanted = {d["subnet_id"]: sorted(d["security_groups"]) for d in desired}
    plan = {"create": [], "regroup": [], "delete": []}
    for subnet_id, groups in wanted.items():
        mt = by_subnet.get(subnet_id)
        if mt is None:
            plan["create"].append({"subnet_id": subnet_id, "security_groups": groups})
        elif sorted(groups_by_target.get(mt["MountTargetId"], [])) != groups:
            plan["regroup"].append({"mount_target_id": mt["MountTargetId"], "security_groups": groups})
    plan["delete"] = [mt["MountTargetId"] for subnet_id, mt in sorted(by_subnet.items()) if subnet_id not in wanted]
    return plan


def wait_mount_targets(client, fs_id: str, timeout: int = 600, sleep: int = 5) -> list:
    """Wait until no mount target of the file system is creating or deleting."""
    deadline = time.monotonic() + timeout
    while True:
        targets = list_mount_targets(client, fs_id)
        if all(mt.get("LifeCycleState") in ("available", "error") for mt in targets):
            return targets
        if time.monotonic() > deadline:
            raise TimeoutError(f"mount targets of {fs_id} did not settle within {timeout} s")
        time.sleep(sleep)


# ---- access points ------------------------------------------------------------------------------


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def list_access_points(client, fs_id: str) -> list:
    pages = client.get_paginator("describe_access_points").paginate(FileSystemId=fs_id)
    return pages.build_full_result().get("AccessPoints", [])


def find_access_point(points: list, name: str) -> list:
    """The access points whose Name tag is ``name`` (the module's identity for them)."""
    return [p for p in points if boto3_tag_list_to_ansible_dict(p.get("Tags", [])).get("Name") == name]


def access_point_spec(posix_user: dict | None, root_directory: dict | None) -> dict:
    """The API's PosixUser and RootDirectory from the module's snake_case options."""
    spec = {}
    if posix_user:
        spec["PosixUser"] = {"Uid": posix_user["uid"], "Gid": posix_user["gid"]}
        if posix_user.get("secondary_gids"):
            spec["PosixUser"]["SecondaryGids"] = sorted(posix_user["secondary_gids"])
    if root_directory:
        spec["RootDirectory"] = {"Path": root_directory["path"]}
        if root_directory.get("owner_uid") is not None:
            spec["RootDirectory"]["CreationInfo"] = {
                "OwnerUid": root_directory["owner_uid"],
                "OwnerGid": root_directory["owner_gid"],
                "Permissions": root_directory["permissions"],
            }
    return spec


def access_point_matches(point: dict, spec: dict) -> bool:
    """True when an existing access point has the identity and root the spec asks for."""
    have_user = dict(point.get("PosixUser") or {})
    if "SecondaryGids" in have_user:
        have_user["SecondaryGids"] = sorted(have_user["SecondaryGids"])
    if spec.get("PosixUser", {}) != have_user:
        return False
    have_root = point.get("RootDirectory") or {"Path": "/"}
    want_root = spec.get("RootDirectory") or {"Path": "/"}
    if have_root.get("Path") != want_root.get("Path"):
        return False
    return "CreationInfo" not in want_root or have_root.get("CreationInfo") == want_root["CreationInfo"]


def client_token(name: str, fs_id: str, spec: dict) -> str:
    """An idempotency token: the same request after an interrupted run returns the same access point."""
    digest = hashlib.sha256(json.dumps([name, fs_id, spec], sort_keys=True).encode()).hexdigest()
    return digest[:64]


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def create_access_point(client, fs_id: str, name: str, spec: dict, tags: dict) -> dict:
    response = client.create_access_point(
        ClientToken=client_token(name, fs_id, spec),
        FileSystemId=fs_id,
        Tags=ansible_dict_to_boto3_tag_list({**tags, "Name": name}),
        **spec,
    )
    response.pop("ResponseMetadata", None)
    return response


@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY)
def delete_access_point(client, access_point_id: str) -> None:
    try:
        client.delete_access_point(AccessPointId=access_point_id)
    except is_boto3_error_code("AccessPointNotFound"):
        return
