"""scripts/account_counts.py: what a stack left in the account, tagged or not, against a real moto server."""

from __future__ import annotations

import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
import account_counts

REGION = "eu-west-3"


def _client(service, port, region=REGION):
    return boto3.client(
        service, endpoint_url=f"http://127.0.0.1:{port}", region_name=region, **account_counts.EMULATOR_KEYS
    )


def test_counts_what_was_created_untagged_too_and_leaves_the_account_defaults_out(emulator):
    before = account_counts.account_counts(emulator, REGION)
    assert before["ec2:vpc"] == 0 and before["ec2:subnet"] == 0 and before["ec2:internet-gateway"] == 0
    assert before["ec2:security-group"] == 0 and before["kms:key"] == 0

    ec2 = _client("ec2", emulator)
    # The second VPC is what a blind retry of a lost CreateVpc leaves: same CIDR, no tag.
    tagged = ec2.create_vpc(
        CidrBlock="10.40.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "wordpress_aws:stack", "Value": "s"}]}],
    )["Vpc"]["VpcId"]
    ec2.create_vpc(CidrBlock="10.40.0.0/16")
    ec2.create_subnet(VpcId=tagged, CidrBlock="10.40.0.0/20")
    ec2.create_security_group(VpcId=tagged, GroupName="s-alb", Description="alb")
    ec2.allocate_address(Domain="vpc")
    _client("kms", emulator).create_key()
    _client("kms", emulator, "us-east-1").create_key()
    _client("sns", emulator, "us-east-1").create_topic(Name="edge-alerts")

    after = account_counts.account_counts(emulator, REGION)
    assert after["ec2:vpc"] == 2
    assert after["ec2:subnet"] == 1
    # the new VPCs' own default groups are not the stack's
    assert after["ec2:security-group"] == 1
    assert after["ec2:elastic-ip"] == 1
    assert after["kms:key"] == 1 and after["kms:key@us-east-1"] == 1
    assert after["sns:topic@us-east-1"] == 1 and after["sns:topic"] == 0

    assert account_counts.differences(before, after) == {
        "ec2:elastic-ip": (0, 1),
        "ec2:security-group": (0, 1),
        "ec2:subnet": (0, 1),
        "ec2:vpc": (0, 2),
        "kms:key": (0, 1),
        "kms:key@us-east-1": (0, 1),
        "sns:topic@us-east-1": (0, 1),
    }
    assert account_counts.differences(after, after) == {}
    assert account_counts.differences({"a": 1}, {"a": 2, "b": 0}, ignore=["a"]) == {}
