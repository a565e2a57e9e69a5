"""Unit tests of the efs_file_system module (split out of tests/unit/test_efs_modules.py)."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import efs_file_system

TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyUnencryptedTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def fs_args(net, **extra):
    return {
        "name": "s-uploads",
        "kms_key_id": net["key"],
        "lifecycle": {"transition_to_ia": "AFTER_30_DAYS", "transition_to_primary_storage_class": "AFTER_1_ACCESS"},
        "mount_targets": [{"subnet_id": s, "security_groups": [net["groups"][0]]} for s in net["subnets"][:2]],
        "policy": json.dumps(TLS_ONLY),
        "tags": {"wordpress_aws:stack": "s", "wordpress_aws:backup": "daily"},
        **extra,
    }


def test_file_system_check_mode_creates_nothing(net, run_module):
    result = run_module(efs_file_system, fs_args(net), check_mode=True)
    assert result["changed"] is True
    assert result["file_system"]["encrypted"] is True
    assert net["efs"].describe_file_systems()["FileSystems"] == []


def test_file_system_converges_and_is_verified_from_efs(net, run_module):
    client = net["efs"]
    first = run_module(efs_file_system, fs_args(net))
    assert first.get("changed") is True, first.get("msg")
    fs_id = first["file_system"]["file_system_id"]
    fs = client.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    assert fs["Encrypted"] is True and fs["KmsKeyId"] == net["key"]
    tags = {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceId=fs_id)["Tags"]}
    assert tags == {"Name": "s-uploads", "wordpress_aws:stack": "s", "wordpress_aws:backup": "daily"}
    lifecycle = client.describe_lifecycle_configuration(FileSystemId=fs_id)["LifecyclePolicies"]
    assert {"TransitionToIA": "AFTER_30_DAYS"} in lifecycle
    assert json.loads(client.describe_file_system_policy(FileSystemId=fs_id)["Policy"]) == TLS_ONLY
    targets = client.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(net["subnets"][:2])

    again = run_module(efs_file_system, fs_args(net))
    assert again["changed"] is False
    assert run_module(efs_file_system, fs_args(net), check_mode=True)["changed"] is False


def test_file_system_moves_mount_targets_and_groups(net, run_module):
    run_module(efs_file_system, fs_args(net))
    wanted = [{"subnet_id": s, "security_groups": [net["groups"][1]]} for s in net["subnets"][1:]]
    check = run_module(efs_file_system, fs_args(net, mount_targets=wanted), check_mode=True)
    assert check["changed"] is True
    moved = run_module(efs_file_system, fs_args(net, mount_targets=wanted))
    assert moved["changed"] is True
    got = {mt["subnet_id"]: mt["security_groups"] for mt in moved["file_system"]["mount_targets"]}
    assert got == {s: [net["groups"][1]] for s in net["subnets"][1:]}
    assert run_module(efs_file_system, fs_args(net, mount_targets=wanted))["changed"] is False


def test_file_system_refuses_another_key_and_duplicate_subnets(net, aws, run_module):
    run_module(efs_file_system, fs_args(net))
    other = aws("kms").create_key()["KeyMetadata"]["Arn"]
    result = run_module(efs_file_system, fs_args(net, kms_key_id=other))
    assert result["failed"] and "cannot change in place" in result["msg"] and "kms_key_id" in result["msg"]
    twice = [{"subnet_id": net["subnets"][0], "security_groups": [net["groups"][0]]}] * 2
    result = run_module(efs_file_system, fs_args(net, mount_targets=twice))
    assert result["failed"] and "subnet twice" in result["msg"]


def test_file_system_absent_deletes_mount_targets_first(net, run_module):
    run_module(efs_file_system, fs_args(net))
    gone = run_module(efs_file_system, {"name": "s-uploads", "state": "absent", "wait_timeout": 30})
    assert gone["changed"] is True
    assert net["efs"].describe_file_systems()["FileSystems"] == []
    assert run_module(efs_file_system, {"name": "s-uploads", "state": "absent"})["changed"] is False


def as_efs_stores(policy: dict, fs_arn: str) -> dict:
    """The policy as EFS answers DescribeFileSystemPolicy: every statement gets the file system as Resource,
    single-element lists come back as strings, keys in EFS's order (not ours)."""

    def flat(value):
        if isinstance(value, list):
            return flat(value[0]) if len(value) == 1 else [flat(v) for v in value]
        if isinstance(value, dict):
            return {k: flat(v) for k, v in reversed(list(value.items()))}
        return value

    statements = [{**s, "Resource": fs_arn} for s in policy["Statement"]]
    return {"Statement": [flat(s) for s in reversed(statements)], "Version": policy["Version"]}


def test_a_rerun_is_a_no_op_when_efs_stores_the_policy_in_its_own_form(net, run_module, monkeypatch):
    """EFS adds the file system's ARN as Resource when it stores the policy: a re-run must not rewrite it."""
    desired = {
        **TLS_ONLY,
        "Statement": [
            *TLS_ONLY["Statement"],
            {
                "Sid": "DenyRootAccess",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["elasticfilesystem:ClientRootAccess"],
            },
        ],
    }
    first = run_module(efs_file_system, fs_args(net, policy=json.dumps(desired)))
    assert first.get("changed") is True, first.get("msg")
    fs_id = first["file_system"]["file_system_id"]
    fs_arn = net["efs"].describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["FileSystemArn"]
    stored = {"policy": as_efs_stores(desired, fs_arn)}
    monkeypatch.setattr(efs, "get_policy", lambda client, fs: stored["policy"])
    writes = []
    monkeypatch.setattr(efs, "put_policy", lambda client, fs, policy: writes.append(policy))

    again = run_module(efs_file_system, fs_args(net, policy=json.dumps(desired)))
    assert again["changed"] is False, again.get("changes")
    assert writes == []
    # a real difference is still seen and written
    stricter = {**desired, "Statement": desired["Statement"][:1]}
    changed = run_module(efs_file_system, fs_args(net, policy=json.dumps(stricter)))
    assert changed["changed"] is True and writes == [stricter]


def test_the_policy_comparison_takes_the_resource_efs_adds():
    arn = "arn:aws:elasticfilesystem:eu-west-3:123456789012:file-system/fs-1"
    assert not efs.policy_differs(TLS_ONLY, as_efs_stores(TLS_ONLY, arn), arn)
    assert efs.policy_differs(TLS_ONLY, as_efs_stores(TLS_ONLY, arn + "0"), arn)
    assert efs.policy_differs(TLS_ONLY, None, arn) and efs.policy_differs(None, TLS_ONLY, arn)
    assert not efs.policy_differs(None, None, arn)


def test_a_lost_create_mount_target_answer_adopts_the_mount_target(net, run_module, lost_answer):
    """CreateMountTarget has no token: its retry after a lost answer answers MountTargetConflict against the mount
    target the first attempt made, which is adopted (one per subnet)."""
    calls = lost_answer("CreateMountTarget")
    first = run_module(efs_file_system, fs_args(net))
    assert first.get("failed") is not True, first
    assert len(calls) == 3  # the lost one, its retry, the second subnet's
    targets = net["efs"].describe_mount_targets(FileSystemId=first["file_system"]["file_system_id"])["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(net["subnets"][:2])
