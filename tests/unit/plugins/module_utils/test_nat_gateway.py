"""Unit tests of plugins/module_utils/nat_gateway.py (split out of tests/unit/test_network_modules.py)."""

from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import nat_gateway as ng

TAGS = {"wordpress_aws:stack": "blog"}


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
