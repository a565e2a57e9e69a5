"""Unit tests of the price_list_info module (split out of tests/unit/test_price_list.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import price_list
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import price_list_info as mod

from ..module_utils.test_price_list import price_table
from ..module_utils.test_price_list import product


@pytest.fixture
def stub(stubbed):
    return stubbed("pricing", "us-east-1")


SMALL = price_table(
    "eu-west-3",
    "https://aws.amazon.com/vpc/pricing/",
    nat_gateway_hour=0.048,
    nat_gateway_gb=0.048,
    rds_instance_hour={"db.t4g.micro": 0.019},
)


def test_module_asks_once_per_query_pages_and_returns_the_new_table(stub, run_module):
    ec2 = price_list.regional_query("nat_gateway_hour", "eu-west-3")["params"]
    stub.add_response(
        "get_products",
        {"PriceList": [product("EUW3-NatGateway-Hours", (0, 0.05))], "NextToken": "p2", "FormatVersion": "aws_v1"},
        {**ec2, "MaxResults": 100},
    )
    stub.add_response(
        "get_products",
        {"PriceList": [product("EUW3-NatGateway-Bytes", (0, 0.048))], "FormatVersion": "aws_v1"},
        {**ec2, "MaxResults": 100, "NextToken": "p2"},
    )
    rds = price_list.regional_query("rds_instance_hour", "eu-west-3", "db.t4g.micro")["params"]
    stub.add_response(
        "get_products",
        {"PriceList": [product("EUW3-InstanceUsage:db.t4g.micro", (0, 0.02))], "FormatVersion": "aws_v1"},
        {**rds, "MaxResults": 100},
    )
    result = run_module(mod, {"prices": SMALL, "region": "us-east-1"})
    assert not result.get("failed"), result.get("msg")
    assert result["calls"] == 3  # both NAT prices from one paged query
    assert result["price_changes"] == [
        "eu-west-3 nat_gateway_hour: 0.048 -> 0.05",
        "eu-west-3 rds_instance_hour db.t4g.micro: 0.019 -> 0.02",
    ]
    assert result["kept"] == []
    entry = result["price_table"]["regions"]["eu-west-3"]["nat_gateway_gb"]
    assert entry["price"] == 0.048 and entry["source"] == "https://aws.amazon.com/vpc/pricing/"
    assert result["changed"] is False


def test_module_refuses_a_region_the_table_lacks(stub, run_module):
    result = run_module(mod, {"prices": SMALL, "regions": ["ap-south-2"], "region": "us-east-1"})
    assert result["failed"] and "no region ap-south-2" in result["msg"]


def test_module_reports_an_api_error(stub, run_module):
    stub.add_client_error("get_products", "AccessDeniedException", "not authorized", 400)
    result = run_module(mod, {"prices": SMALL, "region": "us-east-1"})
    assert result["failed"] and "Price List API" in result["msg"]
