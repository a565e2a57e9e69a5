"""Unit tests of the lambda_eni_wait module: Lambda's interfaces found, waited for while AWS releases them."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_eni_wait


@pytest.fixture
def vpc(aws):
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.4.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="lambda", Description="lambda", VpcId=vpc_id)["GroupId"]
    # What Lambda leaves behind a deleted VPC function, and an interface that is not Lambda's.
    held = ec2.create_network_interface(
        SubnetId=subnet, Groups=[group], Description="AWS Lambda VPC ENI-s-db-bootstrap-0f1e2d3c"
    )["NetworkInterface"]["NetworkInterfaceId"]
    ec2.create_network_interface(SubnetId=subnet, Groups=[group], Description="ELB app/s-alb/0123")
    return {"ec2": ec2, "vpc": vpc_id, "group": group, "held": held}


def test_lambda_interfaces_still_held_are_reported(vpc, run_module):
    result = run_module(lambda_eni_wait, {"vpc_ids": [vpc["vpc"]], "timeout": 0})
    assert result["changed"] is False
    release = result["release"]
    assert release["released"] is False
    assert [eni["network_interface_id"] for eni in release["network_interfaces"]] == [vpc["held"]]
    assert release["network_interfaces"][0]["groups"] == [vpc["group"]]


def test_it_waits_until_aws_releases_them(vpc, run_module, monkeypatch):
    # AWS releases the interface while the module sleeps between two reads: it sees it go and stops at once.
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        vpc["ec2"].delete_network_interface(NetworkInterfaceId=vpc["held"])

    monkeypatch.setattr(lambda_eni_wait.time, "sleep", sleep)
    result = run_module(lambda_eni_wait, {"vpc_ids": [vpc["vpc"]], "timeout": 30, "delay": 5})
    assert result["release"]["released"] is True and result["release"]["network_interfaces"] == []
    assert slept == [5]


def test_other_groups_and_vpcs_are_not_waited_for(vpc, aws, run_module):
    other = aws("ec2").create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    assert run_module(lambda_eni_wait, {"vpc_ids": [other], "timeout": 0})["release"]["released"] is True
    group = vpc["ec2"].create_security_group(GroupName="app", Description="app", VpcId=vpc["vpc"])["GroupId"]
    args = {"vpc_ids": [vpc["vpc"]], "security_group_ids": [group], "timeout": 0}
    assert run_module(lambda_eni_wait, args)["release"]["released"] is True
    assert run_module(lambda_eni_wait, {"vpc_ids": [], "timeout": 0})["release"]["released"] is True


def test_input_errors(aws, run_module):
    assert run_module(lambda_eni_wait, {"vpc_ids": ["vpc-1"], "delay": 0})["failed"]
