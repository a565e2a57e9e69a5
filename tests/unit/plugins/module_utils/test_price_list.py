"""Unit tests of plugins/module_utils/price_list.py (split out of tests/unit/test_price_list.py)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import price_list

TABLE_FILE = Path(__file__).resolve().parents[4] / "roles" / "cost_guard" / "files" / "prices.yml"


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


def price_table(region: str, source: str = "s", **prices) -> dict:
    """A price table dated 2026-11-28 with one region: each price under its key, with a unit and ``source``."""
    entries = {key: {"price": price, "unit": "u", "source": source} for key, price in prices.items()}
    return {"date": "2026-11-28", "currency": "USD", "regions": {region: entries}}


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
    table = price_table(
        "r", alb_hour=0.0265, kms_key_month=1.0, rds_instance_hour={"db.t4g.micro": 0.019, "db.m7g.large": 0.196}
    )
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
