"""price_list_info against botocore's Stubber (the emulator's Price List API answers 500), and its pure parts."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import price_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import price_list_info as mod

TABLE_FILE = Path(__file__).resolve().parents[2] / "roles" / "cost_guard" / "files" / "prices.yml"


def product(usage_type, *dims, **attributes):
    """A Price List product as GetProducts returns it: a JSON string with on-demand price dimensions."""
    dimensions = {
        f"SKU.TERM.{i}": {"beginRange": str(begin), "unit": "Hrs", "pricePerUnit": {"USD": f"{usd:.10f}"}}
        for i, (begin, usd) in enumerate(dims)
    }
    return json.dumps(
        {
            "product": {"sku": "SKU", "attributes": {"usagetype": usage_type, **attributes}},
            "terms": {"OnDemand": {"SKU.TERM": {"priceDimensions": dimensions}}},
        }
    )


def test_the_lowest_paid_tier_is_the_price():
    prod = json.loads(product("X", (0, 0.0), (1000, 0.30), (10000, 0.25)))
    assert price_list.on_demand_price(prod) == 0.30  # the free tier is skipped


def test_one_usage_type_is_taken_with_its_region_prefix_or_none():
    query = price_list.regional_query("nat_gateway_hour", "eu-west-3")
    assert price_list.pick([product("EUW3-NatGateway-Hours", (0, 0.048))], query) == (
        0.048,
        "AmazonEC2 EUW3-NatGateway-Hours",
    )
    assert price_list.pick([product("NatGateway-Hours", (0, 0.045))], query)[0] == 0.045  # us-east-1 style


def test_spot_and_on_demand_fargate_are_told_apart():
    products = [
        product("EUW3-Fargate-vCPU-Hours:perCPU", (0, 0.04656)),
        product("EUW3-SpotUsage-Fargate-vCPU-Hours:perCPU", (0, 0.01397)),
    ]
    assert price_list.pick(products, price_list.regional_query("fargate_vcpu_hour", "eu-west-3"))[0] == 0.04656
    assert price_list.pick(products, price_list.regional_query("fargate_spot_vcpu_hour", "eu-west-3"))[0] == 0.01397


def test_two_usage_types_or_none_keep_the_old_price():
    query = price_list.regional_query("waf_rule_month", "eu-west-3")
    price, why = price_list.pick([product("EUW3-Rule", (0, 1.0)), product("Rule", (0, 1.0))], query)
    assert price is None and "2 usage types matched" in why
    assert price_list.pick([], query) == (None, "0 usage types matched ^([A-Z0-9]+-)?Rule$")


def test_unit_scaling_per_million_and_per_month():
    requests = price_list.regional_query("lambda_million_requests", "eu-west-3")
    assert price_list.pick([product("EUW3-Request", (0, 0.0000002))], requests)[0] == 0.2
    dashboards = price_list.regional_query("cloudwatch_dashboard_month", "eu-west-3")
    assert price_list.pick([product("DashboardsUsageHour", (0, 3 / 744))], dashboards)[0] == 3.0


def test_cloudfront_takes_the_dearest_area_of_the_class():
    products = [
        product("US-DataTransfer-Out-Bytes", (0, 0.085)),
        product("CA-DataTransfer-Out-Bytes", (0, 0.085)),
        product("EU-DataTransfer-Out-Bytes", (0, 0.085)),
        product("JP-DataTransfer-Out-Bytes", (0, 0.114)),
    ]
    assert price_list.cloudfront_price(products, "cloudfront_gb", "PriceClass_100")[0] == 0.085
    price, why = price_list.cloudfront_price(products, "cloudfront_gb", "PriceClass_200")
    assert price is None and why.startswith("area AP:")


def test_refreshed_changes_found_prices_keeps_the_rest_and_dates_the_table():
    table = {
        "date": "2026-11-28",
        "currency": "USD",
        "regions": {
            "r": {
                "alb_hour": {"price": 0.0265, "unit": "u", "source": "s"},
                "kms_key_month": {"price": 1.0, "unit": "u", "source": "s"},
                "rds_instance_hour": {
                    "price": {"db.t4g.micro": 0.019, "db.m7g.large": 0.196},
                    "unit": "u",
                    "source": "s",
                },
            }
        },
    }
    found = {
        "r": {
            "alb_hour": (0.027, "AWSELB EUW3-LoadBalancerUsage"),
            "kms_key_month": (None, "0 usage types matched"),
            "rds_instance_hour": {
                "db.t4g.micro": (0.019, "AmazonRDS EUW3-InstanceUsage:db.t4g.micro"),
                "db.m7g.large": (None, "0 usage types matched"),
            },
        }
    }
    new, changes = price_list.refreshed(table, found, "2026-12-01")
    assert changes == ["r alb_hour: 0.0265 -> 0.027"]
    assert new["date"] == "2026-12-01" and table["date"] == "2026-11-28"  # the input is not modified
    assert new["regions"]["r"]["alb_hour"] == {
        "price": 0.027,
        "unit": "u",
        "source": "s",
        "price_list": "AWSELB EUW3-LoadBalancerUsage",
    }
    assert new["regions"]["r"]["kms_key_month"]["price"] == 1.0
    assert price_list.kept(found) == [
        "r kms_key_month: 0 usage types matched",
        "r rds_instance_hour db.m7g.large: 0 usage types matched",
    ]
    nothing, _changes = price_list.refreshed(table, {"r": {"kms_key_month": (None, "x")}}, "2026-12-01")
    assert nothing["date"] == "2026-11-28"  # nothing read, the date stays


def test_every_key_of_the_shipped_table_has_a_query():
    table = yaml.safe_load(TABLE_FILE.read_text())
    for region, entries in table["regions"].items():
        assert set(entries) == set(cost.PRICE_KEYS), region
        for key in entries:
            assert key in price_list.REGIONAL or key in price_list.CLOUDFRONT or key == "rds_instance_hour"
        for price_class in entries["cloudfront_gb"]["price"]:
            assert price_class in price_list.CLOUDFRONT_AREAS


# --- the module against Stubber ---------------------------------------------------------------------------------


@pytest.fixture
def stub(monkeypatch):
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    stubber = Stubber(client)
    monkeypatch.setattr(WordPressAWSModule, "client", lambda self, *a, **k: client)
    with stubber:
        yield stubber
    stubber.assert_no_pending_responses()


SMALL = {
    "date": "2026-11-28",
    "currency": "USD",
    "regions": {
        "eu-west-3": {
            "nat_gateway_hour": {"price": 0.048, "unit": "u", "source": "https://aws.amazon.com/vpc/pricing/"},
            "nat_gateway_gb": {"price": 0.048, "unit": "u", "source": "https://aws.amazon.com/vpc/pricing/"},
            "rds_instance_hour": {"price": {"db.t4g.micro": 0.019}, "unit": "u", "source": "s"},
        }
    },
}


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
    assert result["changes"] == [
        "eu-west-3 nat_gateway_hour: 0.048 -> 0.05",
        "eu-west-3 rds_instance_hour db.t4g.micro: 0.019 -> 0.02",
    ]
    assert result["kept"] == []
    entry = result["prices"]["regions"]["eu-west-3"]["nat_gateway_gb"]
    assert entry["price"] == 0.048 and entry["source"] == "https://aws.amazon.com/vpc/pricing/"
    assert result["changed"] is False


def test_module_refuses_a_region_the_table_lacks(stub, run_module):
    result = run_module(mod, {"prices": SMALL, "regions": ["ap-south-2"], "region": "us-east-1"})
    assert result["failed"] and "no region ap-south-2" in result["msg"]


def test_module_reports_an_api_error(stub, run_module):
    stub.add_client_error("get_products", "AccessDeniedException", "not authorized", 400)
    result = run_module(mod, {"prices": SMALL, "region": "us-east-1"})
    assert result["failed"] and "Price List API" in result["msg"]


def test_a_refreshed_shipped_table_still_prices_the_stack():
    table = yaml.safe_load(TABLE_FILE.read_text())
    found = {"eu-west-3": {"alb_hour": (0.03, "AWSELB EUW3-LoadBalancerUsage")}}
    new, _changes = price_list.refreshed(table, found, "2026-12-01")
    reread = yaml.safe_load(yaml.safe_dump(new, sort_keys=False))  # what refresh_prices.yml writes, read back
    before = cost.estimate(cost.CONFIG_DEFAULTS, cost.PROFILE_DEFAULTS, table, "eu-west-3")
    after = cost.estimate(cost.CONFIG_DEFAULTS, cost.PROFILE_DEFAULTS, reread, "eu-west-3")
    alb = next(line for line in after["components"] if line["component"] == "load_balancer")
    assert after["price_date"] == "2026-12-01"
    assert round(after["total_monthly_usd"] - before["total_monthly_usd"], 2) == round((0.03 - 0.0265) * 730, 2)
    assert alb["monthly_usd"] > 0
