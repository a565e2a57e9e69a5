"""Unit tests of the rds_subnet_group module against moto, and after a lost create answer."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_subnet_group

TAGS = {"wordpress_aws:stack": "blog"}


@pytest.fixture
def subnets(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in enumerate("abc")
    ]


def args(subnets, **extra):
    return {"name": "blog-data", "description": "data", "subnets": subnets[:2], "tags": TAGS} | extra


def test_group_is_created_converged_and_removed(aws, run_module, subnets):
    rds = aws("rds")
    check = run_module(rds_subnet_group, args(subnets), check_mode=True)
    assert check["changed"] is True and rds.describe_db_subnet_groups()["DBSubnetGroups"] == []
    created = run_module(rds_subnet_group, args(subnets))
    assert created["changed"] is True and created["changes"] == ["created"]
    assert created["subnet_group"]["subnet_ids"] == sorted(subnets[:2]) and created["subnet_group"]["tags"] == TAGS
    assert run_module(rds_subnet_group, args(subnets))["changed"] is False
    retagged = run_module(rds_subnet_group, {**args(subnets), "tags": {"owner": "ops"}})
    assert retagged["changes"] == ["tags"] and retagged["subnet_group"]["tags"] == {"owner": "ops"}
    assert retagged["diff"]["before"]["tags"] == TAGS
    gone = run_module(rds_subnet_group, {"name": "blog-data", "state": "absent"})
    assert gone["changed"] is True and rds.describe_db_subnet_groups()["DBSubnetGroups"] == []
    assert run_module(rds_subnet_group, {"name": "blog-data", "state": "absent"})["changed"] is False


def test_subnets_are_required_to_be_present(aws, run_module):
    result = run_module(rds_subnet_group, {"name": "blog-data"})
    assert result["failed"] and "subnets" in result["msg"]


ARN = "arn:aws:rds:eu-west-3:123456789012:subgrp:blog-data"
GROUP = {
    "DBSubnetGroupName": "blog-data",
    "DBSubnetGroupDescription": "data",
    "DBSubnetGroupArn": ARN,
    "VpcId": "vpc-1",
    "SubnetGroupStatus": "Complete",
    "Subnets": [{"SubnetIdentifier": "subnet-a"}, {"SubnetIdentifier": "subnet-b"}],
}


def _queue_lost_create(stub):
    """The emulator overwrites a duplicate group silently: the AWS answers are queued on Stubber."""
    by_name = {"DBSubnetGroupName": "blog-data"}
    stub.add_client_error("describe_db_subnet_groups", "DBSubnetGroupNotFoundFault", expected_params=by_name)
    stub.add_client_error("create_db_subnet_group", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_db_subnet_group", "DBSubnetGroupAlreadyExists")
    return by_name


def test_a_lost_create_answer_adopts_the_group(run_module, stubbed, monkeypatch):
    """500 after RDS created the group, the retry answers DBSubnetGroupAlreadyExists: the group is adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("rds")
    by_name = _queue_lost_create(stub)
    stub.add_response("describe_db_subnet_groups", {"DBSubnetGroups": [GROUP]}, by_name)
    stub.add_response("list_tags_for_resource", {"TagList": [{"Key": "wordpress_aws:stack", "Value": "blog"}]})
    created = run_module(rds_subnet_group, args(["subnet-a", "subnet-b"]))
    assert created.get("failed") is not True, created
    stub.assert_no_pending_responses()
    assert created["changed"] is True and created["changes"] == ["created"]
    assert created["subnet_group"]["arn"] == ARN and created["subnet_group"]["tags"] == TAGS


def test_a_subnet_change_uses_modify(run_module, stubbed):
    """The emulator's ModifyDBSubnetGroup drops the group (moto pops it and never stores it back): Stubber."""
    stub = stubbed("rds")
    by_name = {"DBSubnetGroupName": "blog-data"}
    tags = {"TagList": [{"Key": "wordpress_aws:stack", "Value": "blog"}]}
    stub.add_response("describe_db_subnet_groups", {"DBSubnetGroups": [GROUP]}, by_name)
    stub.add_response("list_tags_for_resource", tags, {"ResourceName": ARN})
    stub.add_response(
        "modify_db_subnet_group",
        {},
        {**by_name, "DBSubnetGroupDescription": "data", "SubnetIds": ["subnet-b", "subnet-c"]},
    )
    moved = {**GROUP, "Subnets": [{"SubnetIdentifier": "subnet-b"}, {"SubnetIdentifier": "subnet-c"}]}
    stub.add_response("describe_db_subnet_groups", {"DBSubnetGroups": [moved]}, by_name)
    stub.add_response("list_tags_for_resource", tags, {"ResourceName": ARN})
    result = run_module(rds_subnet_group, args(["subnet-c", "subnet-b"]))
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changes"] == ["subnets"]
    assert result["diff"]["before"]["subnet_ids"] == ["subnet-a", "subnet-b"]
    assert result["subnet_group"]["subnet_ids"] == ["subnet-b", "subnet-c"]
