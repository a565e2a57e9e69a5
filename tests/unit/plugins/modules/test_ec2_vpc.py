"""Unit tests of the ec2_vpc module: one VPC and one gateway per name, even when a create's answer is lost."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_writes
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_vpc

TAGS = {"wordpress_aws:stack": "blog"}
ARGS = {"name": "blog", "cidr_block": "10.40.0.0/16", "internet_gateway_name": "blog-igw", "tags": TAGS}


def _tags(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def test_vpc_and_gateway_are_created_once_then_a_rerun_changes_nothing(aws, run_module):
    ec2 = aws("ec2")
    before = len(ec2.describe_vpcs()["Vpcs"])
    planned = run_module(ec2_vpc, ARGS, check_mode=True)
    assert planned["changes"] == ["created VPC"]
    assert planned["vpc"] == {}
    assert len(ec2.describe_vpcs()["Vpcs"]) == before

    first = run_module(ec2_vpc, ARGS)
    assert first["changes"] == [
        "created VPC",
        "dns_hostnames of the VPC",
        "created internet gateway",
        "attached internet gateway",
    ]
    vpc = first["vpc"]
    assert vpc["id"] and vpc["dns_support"] is True and vpc["dns_hostnames"] is True
    assert vpc["tags"] == {**TAGS, "Name": "blog"}
    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "tag:Name", "Values": ["blog-igw"]}])
    assert len(gateways["InternetGateways"]) == 1
    gateway = gateways["InternetGateways"][0]
    assert gateway["Attachments"][0]["VpcId"] == vpc["id"]
    assert _tags(gateway) == {**TAGS, "Name": "blog-igw"}
    assert vpc["internet_gateway"]["gateway_id"] == gateway["InternetGatewayId"]

    again = run_module(ec2_vpc, ARGS)
    assert again["changed"] is False, again["changes"]
    assert again["vpc"] == vpc
    assert len(ec2.describe_vpcs()["Vpcs"]) == before + 1

    retagged = run_module(ec2_vpc, {**ARGS, "tags": {**TAGS, "team": "web"}}, check_mode=True)
    assert retagged["changes"] == ["tags of the VPC", "tags of the internet gateway"]


def test_an_unattached_gateway_left_by_a_lost_answer_is_attached_not_duplicated(aws, run_module):
    ec2 = aws("ec2")
    vpc = run_module(ec2_vpc, {**ARGS, "internet_gateway_name": None})["vpc"]["id"]
    loose = ec2.create_internet_gateway(
        TagSpecifications=[{"ResourceType": "internet-gateway", "Tags": [{"Key": "Name", "Value": "blog-igw"}]}]
    )["InternetGateway"]["InternetGatewayId"]
    result = run_module(ec2_vpc, {**ARGS, "tags": None})
    assert result["changes"] == ["attached internet gateway"]
    assert result["vpc"]["internet_gateway"]["gateway_id"] == loose
    assert (
        ec2.describe_internet_gateways(InternetGatewayIds=[loose])["InternetGateways"][0]["Attachments"][0]["VpcId"]
        == vpc
    )


def _vpc():
    return {
        "VpcId": "vpc-0123456789abcdef0",
        "CidrBlock": "10.40.0.0/16",
        "State": "available",
        "InstanceTenancy": "default",
        "Tags": [{"Key": "Name", "Value": "blog"}, {"Key": "wordpress_aws:stack", "Value": "blog"}],
    }


FILTERS = {"Filters": [{"Name": "tag:Name", "Values": ["blog"]}, {"Name": "cidr-block", "Values": ["10.40.0.0/16"]}]}


def _attributes(stub, hostnames=True):
    for attr, value in (("enableDnsSupport", True), ("enableDnsHostnames", hostnames)):
        key = attr[0].upper() + attr[1:]
        stub.add_response(
            "describe_vpc_attribute",
            {"VpcId": "vpc-0123456789abcdef0", key: {"Value": value}},
            {"VpcId": "vpc-0123456789abcdef0", "Attribute": attr},
        )


def test_a_lost_create_vpc_answer_is_adopted_by_its_tags_never_created_twice(stubbed, run_module, monkeypatch):
    """A lost CreateVpc (AWS made it): the module looks it up by its tags instead of resending the create."""
    monkeypatch.setattr(ec2_writes.time, "sleep", lambda _s: None)
    stub = stubbed("ec2")
    stub.add_response("describe_vpcs", {"Vpcs": []}, FILTERS)
    stub.add_client_error("create_vpc", "InternalError", "lost", http_status_code=500)
    stub.add_response("describe_vpcs", {"Vpcs": []}, FILTERS)  # EC2's reads lag: not visible yet
    stub.add_response("describe_vpcs", {"Vpcs": [_vpc()]}, FILTERS)
    _attributes(stub)  # after the adoption: DNS attributes compared
    stub.add_response("describe_vpcs", {"Vpcs": [_vpc()]}, FILTERS)
    _attributes(stub)
    args = {"name": "blog", "cidr_block": "10.40.0.0/16", "tags": TAGS}
    result = run_module(ec2_vpc, args)
    assert result.get("failed") is not True, result
    assert result["changes"] == ["adopted VPC after a lost answer"]
    assert result["vpc"]["id"] == "vpc-0123456789abcdef0"


def test_a_lost_create_vpc_answer_with_nothing_behind_it_is_created_again(stubbed, run_module, monkeypatch):
    monkeypatch.setattr(ec2_writes.time, "sleep", lambda _s: None)
    stub = stubbed("ec2")
    stub.add_response("describe_vpcs", {"Vpcs": []}, FILTERS)
    stub.add_client_error("create_vpc", "ServiceUnavailable", "down", http_status_code=503)
    for _attempt in range(4):  # at once, then after 1, 2 and 4 s
        stub.add_response("describe_vpcs", {"Vpcs": []}, FILTERS)
    stub.add_response("create_vpc", {"Vpc": _vpc()})
    _attributes(stub, hostnames=True)
    stub.add_response("describe_vpcs", {"Vpcs": [_vpc()]}, FILTERS)
    _attributes(stub)
    result = run_module(ec2_vpc, {"name": "blog", "cidr_block": "10.40.0.0/16", "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["created VPC"]
