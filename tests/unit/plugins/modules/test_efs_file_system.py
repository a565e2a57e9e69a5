"""efs_file_system and efs_access_point against moto, and the calls moto lacks against Stubber."""

from __future__ import annotations

import datetime
import json

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import efs_access_point
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


@pytest.fixture
def net(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"), (3, "c"))
    ]
    groups = [ec2.create_security_group(GroupName=f"efs{i}", Description="efs", VpcId=vpc)["GroupId"] for i in (1, 2)]
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    return {"subnets": subnets, "groups": groups, "key": key, "efs": aws("efs")}


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


def test_throughput_change_calls_update_file_system():
    """UpdateFileSystem answers 500 on the emulator; the request is checked against the real model."""
    client = boto3.client("efs", region_name="eu-west-3", aws_access_key_id="x", aws_secret_access_key="x")
    described = {
        "OwnerId": "123456789012",
        "CreationToken": "s-uploads",
        "FileSystemId": "fs-12345678",
        "CreationTime": datetime.datetime(2026, 1, 1),
        "LifeCycleState": "updating",
        "NumberOfMountTargets": 2,
        "SizeInBytes": {"Value": 6144},
        "PerformanceMode": "generalPurpose",
        "Tags": [],
    }
    with Stubber(client) as stub:
        stub.add_response("update_file_system", described, {"FileSystemId": "fs-12345678", "ThroughputMode": "elastic"})
        efs.update_throughput(client, "fs-12345678", "elastic", None)
        stub.add_response(
            "update_file_system",
            described,
            {"FileSystemId": "fs-12345678", "ThroughputMode": "provisioned", "ProvisionedThroughputInMibps": 64.0},
        )
        efs.update_throughput(client, "fs-12345678", "provisioned", 64.0)
        stub.assert_no_pending_responses()


def test_policy_comparison_ignores_order_and_single_value_lists():
    reordered = {"Statement": [{**TLS_ONLY["Statement"][0], "Action": ["*"]}], "Version": "2012-10-17"}
    assert efs.normalise_policy(reordered) == efs.normalise_policy(TLS_ONLY)
    assert efs.normalise_policy({**TLS_ONLY, "Version": "2008-10-17"}) != efs.normalise_policy(TLS_ONLY)


def ap_args(fs_id, **extra):
    return {
        "name": "s-wp-content",
        "file_system_id": fs_id,
        "posix_user": {"uid": 33, "gid": 33},
        "root_directory": {"path": "/wp-content", "owner_uid": 33, "owner_gid": 33, "permissions": "0755"},
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def test_access_point_owned_by_www_data(net, run_module):
    fs_id = run_module(efs_file_system, fs_args(net))["file_system"]["file_system_id"]
    assert run_module(efs_access_point, ap_args(fs_id), check_mode=True)["changed"] is True
    assert net["efs"].describe_access_points(FileSystemId=fs_id)["AccessPoints"] == []
    created = run_module(efs_access_point, ap_args(fs_id))
    assert created["changed"] is True
    points = net["efs"].describe_access_points(FileSystemId=fs_id)["AccessPoints"]
    assert len(points) == 1
    assert points[0]["PosixUser"] == {"Uid": 33, "Gid": 33}
    assert points[0]["RootDirectory"] == {
        "Path": "/wp-content",
        "CreationInfo": {"OwnerUid": 33, "OwnerGid": 33, "Permissions": "0755"},
    }
    assert run_module(efs_access_point, ap_args(fs_id))["changed"] is False


def test_access_point_is_replaced_when_its_root_changes(net, run_module):
    fs_id = run_module(efs_file_system, fs_args(net))["file_system"]["file_system_id"]
    old = run_module(efs_access_point, ap_args(fs_id))["access_point"]["access_point_id"]
    root = {"path": "/wordpress/wp-content", "owner_uid": 33, "owner_gid": 33, "permissions": "0750"}
    new = run_module(efs_access_point, ap_args(fs_id, root_directory=root))
    assert new["changed"] is True and new["replaced"] == old
    ids = [p["AccessPointId"] for p in net["efs"].describe_access_points(FileSystemId=fs_id)["AccessPoints"]]
    assert ids == [new["access_point"]["access_point_id"]]
    gone = run_module(efs_access_point, ap_args(fs_id, state="absent"))
    assert gone["changed"] is True
    assert net["efs"].describe_access_points(FileSystemId=fs_id)["AccessPoints"] == []


def test_access_point_input_errors(net, run_module):
    fs_id = run_module(efs_file_system, fs_args(net))["file_system"]["file_system_id"]
    relative = run_module(efs_access_point, ap_args(fs_id, root_directory={"path": "wp-content"}))
    assert relative["failed"] and "must be absolute" in relative["msg"]
    bad_mode = {"path": "/x", "owner_uid": 33, "owner_gid": 33, "permissions": "rwx"}
    assert "must be octal" in run_module(efs_access_point, ap_args(fs_id, root_directory=bad_mode))["msg"]


def test_access_point_client_token_is_stable_per_request():
    spec = efs.access_point_spec(
        {"uid": 33, "gid": 33}, {"path": "/wp-content", "owner_uid": 33, "owner_gid": 33, "permissions": "0755"}
    )
    assert efs.client_token("a", "fs-1", spec) == efs.client_token("a", "fs-1", spec)
    assert efs.client_token("a", "fs-1", spec) != efs.client_token("a", "fs-2", spec)
    assert len(efs.client_token("a", "fs-1", spec)) <= 64
