"""Unit tests of the ec2_subnets module: one call for a VPC's subnets, lost answers adopted, slow releases waited out."""

from __future__ import annotations

import pytest
from botocore.exceptions import ConnectionClosedError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_writes
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_subnets

TAGS = {"wordpress_aws:stack": "blog"}
PLAN = [
    {"cidr": "10.0.0.0/24", "az": "eu-west-3a", "tags": {"Name": "blog-public-a", "wordpress_aws:tier": "public"}},
    {"cidr": "10.0.1.0/24", "az": "eu-west-3b", "tags": {"Name": "blog-public-b", "wordpress_aws:tier": "public"}},
    {"cidr": "10.0.2.0/24", "az": "eu-west-3a", "tags": {"Name": "blog-app-a", "wordpress_aws:tier": "app"}},
]


def _vpc(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


def _subnets(ec2, vpc):
    return ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]


def test_subnets_are_created_once_with_their_tags_then_a_rerun_changes_nothing(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    args = {"vpc_id": vpc, "subnets": PLAN, "tags": TAGS}

    planned = run_module(ec2_subnets, args, check_mode=True)
    assert planned["changed"] is True
    assert planned["changes"] == [f"created {s['cidr']}" for s in PLAN]
    assert _subnets(ec2, vpc) == []

    first = run_module(ec2_subnets, args)
    assert first["changed"] is True
    assert [s["cidr_block"] for s in first["subnet_set"]["subnets"]] == [s["cidr"] for s in PLAN]
    assert first["subnet_ids"] == [s["id"] for s in first["subnet_set"]["subnets"]]
    assert all(first["subnet_ids"])
    held = {s["CidrBlock"]: s for s in _subnets(ec2, vpc)}
    assert len(held) == 3
    for wanted in PLAN:
        subnet = held[wanted["cidr"]]
        assert subnet["AvailabilityZone"] == wanted["az"]
        assert subnet["MapPublicIpOnLaunch"] is False
        assert {t["Key"]: t["Value"] for t in subnet["Tags"]} == {**TAGS, **wanted["tags"]}

    again = run_module(ec2_subnets, args)
    assert again["changed"] is False
    assert again["changes"] == []
    assert again["subnet_ids"] == first["subnet_ids"]
    assert again["diff"]["before"] == again["diff"]["after"]


def test_subnet_tags_and_public_addresses_converge_on_an_existing_subnet(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="eu-west-3a")["Subnet"]
    ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    ec2.create_tags(Resources=[subnet["SubnetId"]], Tags=[{"Key": "old", "Value": "x"}])
    args = {"vpc_id": vpc, "subnets": PLAN[:1], "tags": TAGS}

    planned = run_module(ec2_subnets, args, check_mode=True)
    assert planned["changes"] == ["map_public_ip_on_launch of 10.0.0.0/24", "tags of 10.0.0.0/24"]
    assert planned["diff"]["after"]["subnets"][0]["tags"] == {**TAGS, **PLAN[0]["tags"]}
    assert _subnets(ec2, vpc)[0]["MapPublicIpOnLaunch"] is True

    result = run_module(ec2_subnets, args)
    assert result["subnet_ids"] == [subnet["SubnetId"]]
    held = _subnets(ec2, vpc)[0]
    assert held["MapPublicIpOnLaunch"] is False
    assert {t["Key"]: t["Value"] for t in held["Tags"]} == {**TAGS, **PLAN[0]["tags"]}
    assert run_module(ec2_subnets, args)["changed"] is False


def test_a_subnet_in_another_zone_is_refused(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="eu-west-3c")
    result = run_module(ec2_subnets, {"vpc_id": vpc, "subnets": PLAN[:1]})
    assert result["failed"] is True
    assert "eu-west-3c, not eu-west-3a" in result["msg"]


def _described(subnet_id="subnet-0123456789abcdef0", cidr="10.0.0.0/24"):
    return {
        "SubnetId": subnet_id,
        "CidrBlock": cidr,
        "VpcId": "vpc-1",
        "AvailabilityZone": "eu-west-3a",
        "State": "available",
        "MapPublicIpOnLaunch": False,
        "Tags": [{"Key": k, "Value": v} for k, v in {**TAGS, **PLAN[0]["tags"]}.items()],
    }


def _vpc_filter():
    return {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]}


@pytest.mark.parametrize("lost", ["500", "closed"])
def test_a_lost_create_answer_then_the_conflict_code_adopts_the_subnet_once(stubbed, run_module, monkeypatch, lost):
    """The lost answer: AWS created the subnet; botocore's resend gets InvalidSubnet.Conflict (finding A)."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("ec2")
    stub.add_response("describe_subnets", {"Subnets": []}, _vpc_filter())
    if lost == "500":
        stub.add_client_error("create_subnet", "InternalError", "lost", http_status_code=500)
    stub.add_client_error("create_subnet", "InvalidSubnet.Conflict", "The CIDR '10.0.0.0/24' conflicts")
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "subnets": PLAN[:1], "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["adopted 10.0.0.0/24 after a lost answer"]
    assert result["subnet_ids"] == ["subnet-0123456789abcdef0"]


def test_a_create_whose_every_attempt_lost_its_connection_adopts_what_the_read_finds(stubbed, run_module, monkeypatch):
    stub = stubbed("ec2")
    stub.add_response("describe_subnets", {"Subnets": []}, _vpc_filter())
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())

    def closed(*args, **kwargs):
        raise ConnectionClosedError(endpoint_url="https://ec2.eu-west-3.amazonaws.com")

    monkeypatch.setattr(ec2_subnets.es, "_create", closed)
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "subnets": PLAN[:1], "tags": TAGS})
    assert result["changes"] == ["adopted 10.0.0.0/24 after a lost answer"]


def test_a_conflict_with_another_cidr_still_fails(stubbed, run_module):
    stub = stubbed("ec2")
    stub.add_response("describe_subnets", {"Subnets": []}, _vpc_filter())
    stub.add_client_error("create_subnet", "InvalidSubnet.Conflict", "conflicts with 10.0.0.0/23")
    stub.add_response("describe_subnets", {"Subnets": [_described(cidr="10.0.0.0/23")]}, _vpc_filter())
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "subnets": PLAN[:1], "tags": TAGS})
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidSubnet.Conflict"


def test_delete_retries_dependency_violation_then_succeeds_and_reports_its_wait(stubbed, run_module, monkeypatch):
    slept = []
    monkeypatch.setattr(ec2_writes.time, "sleep", slept.append)
    stub = stubbed("ec2")
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())
    for _attempt in range(2):
        stub.add_client_error("delete_subnet", "DependencyViolation", "has dependencies and cannot be deleted")
    stub.add_response("delete_subnet", {}, {"SubnetId": "subnet-0123456789abcdef0"})
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "tags": TAGS, "state": "absent"})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["deleted 10.0.0.0/24"]
    assert result["release"] == {"attempts": 3, "waited": 15, "retried": ["10.0.0.0/24"]}
    assert slept == [5, 10]


def test_delete_gives_up_after_the_timeout_with_its_progress(stubbed, run_module, monkeypatch):
    monkeypatch.setattr(ec2_writes.time, "sleep", lambda _s: None)
    stub = stubbed("ec2")
    stub.add_response("describe_subnets", {"Subnets": [_described()]}, _vpc_filter())
    for _attempt in range(3):
        stub.add_client_error("delete_subnet", "DependencyViolation", "has dependencies")
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "tags": TAGS, "state": "absent", "timeout": 12})
    assert result["failed"] is True
    assert result["release"] == {"attempts": 3, "waited": 12, "retried": ["10.0.0.0/24"]}


def test_absent_deletes_the_tagged_subnets_only_and_is_rerunnable(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    run_module(ec2_subnets, {"vpc_id": vpc, "subnets": PLAN, "tags": TAGS})
    other = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.9.0/24")["Subnet"]["SubnetId"]
    args = {"vpc_id": vpc, "tags": TAGS, "state": "absent"}

    planned = run_module(ec2_subnets, args, check_mode=True)
    assert planned["changes"] == [f"deleted {s['cidr']}" for s in sorted(PLAN, key=lambda s: s["cidr"])]
    assert len(_subnets(ec2, vpc)) == 4

    assert run_module(ec2_subnets, args)["changed"] is True
    assert [s["SubnetId"] for s in _subnets(ec2, vpc)] == [other]
    again = run_module(ec2_subnets, args)
    assert again["changed"] is False
    assert again["release"]["attempts"] == 0


def test_absent_without_subnets_or_tags_is_refused(run_module):
    result = run_module(ec2_subnets, {"vpc_id": "vpc-1", "state": "absent"})
    assert result["failed"] is True
    assert "needs tags" in result["msg"]
