"""nat_gateway, vpc_flow_log and managed_prefix_list_info against moto, Stubber where moto is silent."""

from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import flow_log as fl
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import nat_gateway as ng
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import managed_prefix_list_info
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import nat_gateway
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import vpc_flow_log

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


def test_nat_gateway_create_carries_a_stable_client_token(aws):
    ec2 = aws("ec2")
    token = ng.client_token("blog-nat-a", "subnet-1")
    assert token == ng.client_token("blog-nat-a", "subnet-1") != ng.client_token("blog-nat-b", "subnet-1")
    assert len(token) <= 64 and token.isascii()
    with Stubber(ec2) as stub:
        stub.add_response(
            "create_nat_gateway",
            {"NatGateway": {"NatGatewayId": "nat-1"}},
            {"SubnetId": "subnet-1", "AllocationId": "eipalloc-1", "ClientToken": token, "TagSpecifications": ANY},
        )
        ng.create_gateway(ec2, "blog-nat-a", "subnet-1", "eipalloc-1", TAGS)
        stub.assert_no_pending_responses()


def _flow_args(vpc, role="arn:aws:iam::123456789012:role/wordpress-aws/blog/flow"):
    return {
        "resource_id": vpc,
        "log_group_name": "/wordpress-aws/blog/vpc-flow-logs",
        "deliver_logs_permission_arn": role,
        "tags": TAGS,
    }


def test_flow_log_converges(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    assert run_module(vpc_flow_log, _flow_args(vpc), check_mode=True)["changed"] is True
    assert fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs") == []
    created = run_module(vpc_flow_log, _flow_args(vpc))
    assert created["changed"] is True
    assert created["flow_log"]["traffic_type"] == "ALL"
    assert created["flow_log"]["tags"] == TAGS
    assert run_module(vpc_flow_log, _flow_args(vpc))["changed"] is False
    assert run_module(vpc_flow_log, _flow_args(vpc), check_mode=True)["changed"] is False


def test_flow_log_is_replaced_when_an_immutable_attribute_changes(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    first = run_module(vpc_flow_log, _flow_args(vpc))["flow_log"]["flow_log_id"]
    args = {**_flow_args(vpc), "traffic_type": "REJECT"}
    result = run_module(vpc_flow_log, args)
    assert result["changed"] is True
    logs = fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs")
    assert [f["TrafficType"] for f in logs] == ["REJECT"]
    assert logs[0]["FlowLogId"] != first


def test_flow_log_absent(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    run_module(vpc_flow_log, _flow_args(vpc))
    assert run_module(vpc_flow_log, {**_flow_args(vpc), "state": "absent"})["changed"] is True
    assert fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs") == []
    assert run_module(vpc_flow_log, {**_flow_args(vpc), "state": "absent"})["changed"] is False


def test_flow_log_needs_a_role(aws, run_module):
    vpc, _subnet_id = _subnet(aws("ec2"))
    result = run_module(vpc_flow_log, {"resource_id": vpc, "log_group_name": "g"})
    assert result["failed"] and "deliver_logs_permission_arn is required" in result["msg"]


def test_cloudfront_prefix_list_is_found_by_name(aws, run_module):
    name = "com.amazonaws.global.cloudfront.origin-facing"
    result = run_module(managed_prefix_list_info, {"names": [name]})
    assert result["by_name"][name].startswith("pl-")
    missing = run_module(managed_prefix_list_info, {"names": ["no.such.list"]})
    assert missing["failed"] and "no.such.list" in missing["msg"]


def test_flow_log_and_nat_gateway_tags_are_converged(aws, run_module):
    ec2 = aws("ec2")
    vpc, subnet = _subnet(ec2)
    run_module(vpc_flow_log, _flow_args(vpc))
    retagged = run_module(vpc_flow_log, {**_flow_args(vpc), "tags": {"team": "web"}})
    assert retagged["changed"] is True and retagged["flow_log"]["tags"] == {"team": "web"}
    run_module(nat_gateway, {"name": "n", "subnet_id": subnet, "tags": TAGS})
    gateway = run_module(nat_gateway, {"name": "n", "subnet_id": subnet, "tags": {"team": "web"}})
    assert gateway["changed"] is True
    assert gateway["nat_gateway"]["tags"] == {"team": "web", "Name": "n"}
