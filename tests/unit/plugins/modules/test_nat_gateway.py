"""Unit tests of the nat_gateway module (split out of tests/unit/test_network_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import nat_gateway as ng
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import nat_gateway

TAGS = {"wordpress_aws:stack": "blog"}


def _subnet(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return vpc, ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]


def _live_gateways(ec2):
    return [g for g in ec2.describe_nat_gateways()["NatGateways"] if g["State"] in ("pending", "available")]


def test_nat_gateway_is_created_once_with_a_tagged_address(aws, run_module):
    ec2 = aws("ec2")
    _vpc, subnet = _subnet(ec2)
    args = {"name": "blog-nat-a", "subnet_id": subnet, "tags": TAGS}

    assert run_module(nat_gateway, args, check_mode=True)["changed"] is True
    assert _live_gateways(ec2) == []
    assert ec2.describe_addresses()["Addresses"] == []

    first = run_module(nat_gateway, args)
    assert first["changed"] is True
    for _run in range(3):  # the upstream pair allocates a new address and gateway on each of these
        assert run_module(nat_gateway, args)["changed"] is False
    assert len(_live_gateways(ec2)) == 1
    addresses = ec2.describe_addresses()["Addresses"]
    assert len(addresses) == 1
    assert addresses[0]["AllocationId"] == first["nat_gateway"]["allocation_ids"][0]
    tags = {t["Key"]: t["Value"] for t in addresses[0]["Tags"]}
    assert tags == {**TAGS, "Name": "blog-nat-a", "wordpress_aws:nat": "blog-nat-a"}


def test_nat_gateway_reuses_an_address_left_by_an_interrupted_run(aws, run_module):
    ec2 = aws("ec2")
    _vpc, subnet = _subnet(ec2)
    leftover = ng.allocate_address(ec2, "blog-nat-a", TAGS)
    result = run_module(nat_gateway, {"name": "blog-nat-a", "subnet_id": subnet, "tags": TAGS})
    assert result["nat_gateway"]["allocation_ids"] == [leftover]
    assert len(ec2.describe_addresses()["Addresses"]) == 1


def test_nat_gateway_absent_releases_its_address(aws, run_module):
    ec2 = aws("ec2")
    _vpc, subnet = _subnet(ec2)
    run_module(nat_gateway, {"name": "n", "subnet_id": subnet, "tags": TAGS})
    assert run_module(nat_gateway, {"name": "n", "state": "absent"}, check_mode=True)["changed"] is True
    assert len(_live_gateways(ec2)) == 1
    assert run_module(nat_gateway, {"name": "n", "state": "absent"})["changed"] is True
    assert _live_gateways(ec2) == []
    assert ec2.describe_addresses()["Addresses"] == []
    assert run_module(nat_gateway, {"name": "n", "state": "absent"})["changed"] is False


def test_a_lost_allocate_address_answer_allocates_no_second_address(aws, run_module, lost_answer):
    """AllocateAddress has no token: after a lost answer the tagged address is found and used, not allocated again."""
    ec2 = aws("ec2")
    _vpc, subnet = _subnet(ec2)
    calls = lost_answer("AllocateAddress")
    result = run_module(nat_gateway, {"name": "blog-nat-a", "subnet_id": subnet, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changed"] is True and len(calls) == 1
    (address,) = ec2.describe_addresses()["Addresses"]
    assert result["nat_gateway"]["allocation_ids"] == [address["AllocationId"]]
    assert len(_live_gateways(ec2)) == 1
