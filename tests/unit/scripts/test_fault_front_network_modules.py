"""ec2_subnets and ec2_security_groups through the real fault front: every write's answer lost, nothing created twice.

The front (scripts/fault_front.py) forwards each write to a moto server, which applies it, then loses its answer
(a 500); botocore resends it and the emulator answers the duplicate code. amazon.aws ``ec2_vpc_subnet`` and
``ec2_security_group`` fail there (benchmarks/fault-front-findings.md, finding A); our modules adopt.
"""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_writes
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_security_groups
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_subnets
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_vpc

from .test_fault_front import ONE_RETRY
from .test_fault_front import _direct
from .test_fault_front import _role
from .test_fault_front import _zip

# The fault front tests' fixture, used by name as a test argument.
from .test_fault_front import front  # noqa: F401 pylint: disable=unused-import


def _through(client):
    endpoint = client("ec2").meta.endpoint_url
    return {"endpoint_url": endpoint, "access_key": "testing", "secret_key": "testing"}


def test_a_lost_create_subnet_answer_is_adopted_once_through_the_front(front, emulator, run_module):  # noqa: F811
    direct = _direct(emulator, "ec2")
    vpc = direct.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0})
    subnets = [
        {"cidr": "10.77.0.0/24", "az": "eu-west-3a", "tags": {"Name": "public-a"}},
        {"cidr": "10.77.1.0/24", "az": "eu-west-3b", "tags": {"Name": "public-b"}},
    ]
    args = {**_through(client), "vpc_id": vpc, "subnets": subnets, "tags": {"wordpress_aws:stack": "front"}}
    result = run_module(ec2_subnets, args)
    assert result.get("failed") is not True, result
    assert result["changes"] == [f"adopted {s['cidr']} after a lost answer" for s in subnets]
    held = direct.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert sorted(s["CidrBlock"] for s in held) == ["10.77.0.0/24", "10.77.1.0/24"]
    assert sorted(s["SubnetId"] for s in held) == sorted(result["subnet_ids"])
    assert {t["Key"]: t["Value"] for t in held[0]["Tags"]}["wordpress_aws:stack"] == "front"
    recorded = json.loads(ledger.read_text())
    assert [f["operation"] for f in recorded["faults"]] == ["CreateSubnet", "CreateSubnet"]
    assert run_module(ec2_subnets, args)["changed"] is False


def test_lost_security_group_and_rule_answers_are_adopted_through_the_front(front, emulator, run_module):  # noqa: F811
    direct = _direct(emulator, "ec2")
    vpc = direct.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0})
    a, b = f"a-{uuid.uuid4().hex[:6]}", f"b-{uuid.uuid4().hex[:6]}"
    groups = [
        {"name": a, "description": "a", "ingress": [{"ports": ["80"], "groups": [b]}], "egress": []},
        {
            "name": b,
            "description": "b",
            "ingress": [{"ports": ["3306"], "groups": [a], "description": "from a"}],
            "egress": [{"ports": ["443"], "cidr_ipv4": ["0.0.0.0/0"], "description": "out"}],
        },
    ]
    args = {**_through(client), "vpc_id": vpc, "groups": groups, "tags": {"wordpress_aws:stack": "front"}}
    result = run_module(ec2_security_groups, args)
    assert result.get("failed") is not True, result
    assert f"adopted group {a} after a lost answer" in result["changes"]
    found = direct.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    held = {g["GroupName"]: g for g in found}
    assert set(held) == {"default", a, b}  # one group per name
    ids = result["group_ids"]
    assert [p["UserIdGroupPairs"][0]["GroupId"] for p in held[a]["IpPermissions"]] == [ids[b]]
    assert held[a]["IpPermissionsEgress"] == []
    assert [p["FromPort"] for p in held[b]["IpPermissions"]] == [3306]
    assert [(p["FromPort"], p["IpRanges"][0]["CidrIp"]) for p in held[b]["IpPermissionsEgress"]] == [(443, "0.0.0.0/0")]
    operations = {f["operation"] for f in json.loads(ledger.read_text())["faults"]}
    assert {"CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupEgress"} <= operations
    assert run_module(ec2_security_groups, args)["changed"] is False


def test_a_lost_create_vpc_answer_makes_no_second_vpc_nor_gateway_through_the_front(front, emulator, run_module):  # noqa: F811
    direct = _direct(emulator, "ec2")
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0})
    # What botocore does on its own: it resends a CreateVpc whose answer was lost, and AWS makes another VPC.
    naive = f"naive-{uuid.uuid4().hex[:6]}"
    with pytest.raises(ClientError):
        client("ec2", ONE_RETRY).create_vpc(
            CidrBlock="10.80.0.0/16",
            TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": naive}]}],
        )
    assert len(direct.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [naive]}])["Vpcs"]) == 2

    name = f"vpc-{uuid.uuid4().hex[:6]}"
    args = {
        **_through(client),
        "name": name,
        "cidr_block": "10.81.0.0/16",
        "dns_hostnames": False,  # ModifyVpcAttribute would lose every answer too at a rate of 1.0
        "internet_gateway_name": f"{name}-igw",
        "tags": {"wordpress_aws:stack": "front"},
    }
    result = run_module(ec2_vpc, args)
    assert result.get("failed") is not True, result
    assert result["changes"] == [
        "adopted VPC after a lost answer",
        "adopted internet gateway after a lost answer",
        "attached internet gateway",
    ]
    vpcs = direct.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
    assert [vpc["VpcId"] for vpc in vpcs] == [result["vpc"]["id"]]
    gateways = direct.describe_internet_gateways(Filters=[{"Name": "tag:Name", "Values": [f"{name}-igw"]}])
    assert len(gateways["InternetGateways"]) == 1
    assert gateways["InternetGateways"][0]["Attachments"][0]["VpcId"] == result["vpc"]["id"]
    operations = [f["operation"] for f in json.loads(ledger.read_text())["faults"]]
    assert operations.count("CreateVpc") == 3  # two for the naive call, one for the module's
    assert operations.count("CreateInternetGateway") == 1
    assert run_module(ec2_vpc, args)["changed"] is False


def test_teardown_modules_wait_out_a_deleted_vpc_lambdas_slow_release(front, emulator, run_module, monkeypatch):  # noqa: F811
    """slow_release: after DeleteFunction, the groups and subnets answer DependencyViolation for a while."""
    slept = []
    real_sleep = ec2_writes.time.sleep
    monkeypatch.setattr(ec2_writes.time, "sleep", lambda s: (slept.append(s), real_sleep(min(s, 1.0))))
    client, _faults, ledger = front(seed=1, windows={"slow_release": 1.5})
    direct = _direct(emulator, "ec2")
    vpc = direct.create_vpc(CidrBlock="10.82.0.0/16")["Vpc"]["VpcId"]
    stack = {"wordpress_aws:stack": f"front-{uuid.uuid4().hex[:6]}"}
    subnets = run_module(
        ec2_subnets, {**_through(client), "vpc_id": vpc, "subnets": [{"cidr": "10.82.1.0/24"}], "tags": stack}
    )
    groups = [{"name": "fn", "description": "fn", "ingress": [], "egress": []}]
    group = run_module(ec2_security_groups, {**_through(client), "vpc_id": vpc, "groups": groups, "tags": stack})
    suffix = uuid.uuid4().hex[:8]
    role = _role(_direct(emulator, "iam"), f"vpc-{suffix}")
    lam = client("lambda")
    spec = {"Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": _zip()}}
    vpc_config = {"SubnetIds": subnets["subnet_ids"], "SecurityGroupIds": [group["group_ids"]["fn"]]}
    lam.create_function(FunctionName=f"vpc-{suffix}", Role=role, VpcConfig=vpc_config, **spec)
    lam.delete_function(FunctionName=f"vpc-{suffix}")

    absent = {**_through(client), "vpc_id": vpc, "tags": stack, "state": "absent", "timeout": 60}
    removed = run_module(ec2_security_groups, absent)
    assert removed.get("failed") is not True, removed
    assert removed["release"]["attempts"] >= 2 and removed["release"]["retried"] == ["fn"]
    gone = run_module(ec2_subnets, absent)
    assert gone.get("failed") is not True, gone
    assert direct.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"] == []
    names = {
        g["GroupName"]
        for g in direct.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    }
    assert names == {"default"}
    assert json.loads(ledger.read_text())["counts"]["slow_release"] >= 1
    assert slept and slept[0] == 5
