"""Unit tests of the efs_access_point module (split out of tests/unit/test_efs_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import efs_access_point
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import efs_file_system

from .test_efs_file_system import fs_args


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
