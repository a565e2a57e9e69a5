"""Unit tests of plugins/module_utils/efs.py (split out of tests/unit/test_efs_modules.py)."""

from __future__ import annotations

import datetime

import boto3
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs

from ..modules.test_efs_file_system import TLS_ONLY


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


def test_access_point_client_token_is_stable_per_request():
    spec = efs.access_point_spec(
        {"uid": 33, "gid": 33}, {"path": "/wp-content", "owner_uid": 33, "owner_gid": 33, "permissions": "0755"}
    )
    assert efs.client_token("a", "fs-1", spec) == efs.client_token("a", "fs-1", spec)
    assert efs.client_token("a", "fs-1", spec) != efs.client_token("a", "fs-2", spec)
    assert len(efs.client_token("a", "fs-1", spec)) <= 64
