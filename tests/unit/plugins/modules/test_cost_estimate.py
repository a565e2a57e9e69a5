"""The pre-deploy estimate: hand-computed totals on known configurations, the shipped price table, the gate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.edge import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cost_estimate

ROOT = Path(__file__).resolve().parents[4]
SHIPPED = yaml.safe_load((ROOT / "roles/cost_guard/files/prices.yml").read_text())


def table(**overrides):
    """A price table with round numbers, so totals can be worked out by hand."""
    prices = dict.fromkeys(cost.PRICE_KEYS, 0.0)
    prices.update(overrides)
    entry = {}
    for key, value in prices.items():
        if key == "rds_instance_hour" and not isinstance(value, dict):
            value = {"db.t4g.micro": value}
        if key.startswith("cloudfront_") and not isinstance(value, dict):
            value = {"PriceClass_100": value}
        entry[key] = {"price": value, "source": "https://aws.amazon.com/pricing/"}
    return {"date": "2026-11-28", "currency": "USD", "regions": {"eu-west-3": entry}}


ZERO_TRAFFIC = {"monthly_page_views": 0}


# 4 tasks of 1 vCPU / 2 GB; base 2 on demand, the other 2 split 1:3 -> 2.5 on demand, 1.5 Spot (37.5 %)
FARGATE_MIX = {
    "fargate_tasks": 4,
    "fargate_vcpu": 1,
    "fargate_memory_gb": 2,
    "ondemand_base": 2,
    "ondemand_weight": 1,
    "spot_weight": 3,
}


def by_hand(config: dict, prices: dict, traffic: dict | None = None) -> dict:
    """The estimate of ``config`` for ``traffic`` (none unless told) at round ``prices`` (each other price 0)."""
    return cost.estimate(config, traffic or ZERO_TRAFFIC, table(**prices), "eu-west-3")


def component(result, name):
    return next(c for c in result["components"] if c["component"] == name)["monthly_usd"]


def test_fixed_monthly_prices_by_hand():
    prices = {
        "nat_gateway_hour": 0.05,
        "alb_hour": 0.02,
        "kms_key_month": 1.0,
        "secret_month": 0.4,
        "waf_web_acl_month": 5.0,
        "waf_rule_month": 1.0,
        "cloudwatch_alarm_month": 0.1,
        "cloudwatch_dashboard_month": 3.0,
    }
    config = {
        "nat_gateways": 2,
        "nat_gb": 0,
        "kms_keys": 2,
        "secrets": 3,
        "waf_rules": 11,
        "alarms": 22,
        "dashboards": 1,
        "log_gb": 0,
        "efs_gb": 0,
        "rds_storage_gb": 0,
    }
    result = by_hand(config, prices)
    # 2 x 730 x 0.05 = 73.00; 730 x 0.02 = 14.60; 2 + 1.20 + (5 + 11) + (2.20 + 3.00) = 24.40
    assert component(result, "nat_gateways") == 73.0
    assert component(result, "load_balancer") == 14.6
    assert component(result, "waf") == 16.0
    assert component(result, "cloudwatch") == 5.2
    assert result["total_monthly_usd"] == 73.0 + 14.6 + 2.0 + 1.2 + 16.0 + 5.2
    assert len(result["lines"]) == len(result["components"])
    assert result["lines"][0].split()[:2] == ["nat_gateways", "73.00"]


def test_fargate_mix_base_then_weights_by_hand():
    prices = {
        "fargate_vcpu_hour": 0.04,
        "fargate_gb_hour": 0.004,
        "fargate_spot_vcpu_hour": 0.012,
        "fargate_spot_gb_hour": 0.0012,
    }
    config = FARGATE_MIX
    result = by_hand(config, prices)
    assert result["spot_share"] == 0.375
    # on demand: 2.5 x 730 x (0.04 + 2 x 0.004) = 87.60; Spot: 1.5 x 730 x (0.012 + 2 x 0.0012) = 15.768
    assert component(result, "fargate_on_demand") == 87.6
    assert component(result, "fargate_spot") == 15.77
    forced = by_hand({**config, "spot_share_percent": 0}, prices)
    assert component(forced, "fargate_spot") == 0 and component(forced, "fargate_on_demand") == 140.16


def test_database_multi_az_storage_backups_and_replica_by_hand():
    prices = {"rds_instance_hour": 0.1, "rds_gp3_gb_month": 0.12, "rds_backup_gb_month": 0.1}
    config = {
        "rds_multi_az": True,
        "rds_storage_gb": 100,
        "rds_backup_retention_days": 7,
        "rds_daily_change_ratio": 0.05,
        "rds_replica": True,
    }
    result = by_hand(config, prices)
    assert component(result, "rds_instance") == 146.0  # 730 x 0.1 x 2
    assert component(result, "rds_storage") == 24.0  # 100 GB x 0.12 x 2
    assert component(result, "rds_backups") == 3.5  # 100 x 0.05 x 7 = 35 GB x 0.1
    assert component(result, "rds_replica") == 85.0  # 73 + 12
    single = by_hand({**config, "rds_multi_az": False, "rds_replica": False}, prices)
    assert component(single, "rds_instance") == 73.0
    assert "rds_replica" not in [c["component"] for c in single["components"]]


def test_traffic_prices_edge_waf_and_origin_by_hand():
    prices = {
        "cloudfront_gb": 0.085,
        "cloudfront_10k_https_requests": 0.01,
        "waf_million_requests": 0.6,
        "alb_lcu_hour": 0.008,
    }
    traffic = {
        "monthly_page_views": 1048576,
        "average_page_weight_kb": 1024,
        "requests_per_page": 10,
        "cache_hit_ratio": 0.9,
    }
    result = by_hand({"waf_rules": 0}, prices, traffic)
    # 1 Mi views x 1 MiB = 1024 GB x 0.085 = 87.04; 10,485,760 requests / 10k x 0.01 = 10.49
    assert component(result, "cloudfront") == round(87.04 + 10.48576, 2)
    assert component(result, "waf") == round(10.48576 * 0.6, 2)
    # origin: 102.4 GB a month = 0.14 GB/h, more than 1,048,576 requests / 730 h / 3600 / 25 new connections per s
    assert component(result, "load_balancer") == round(730 * 102.4 / 730 * 0.008, 2)


def test_shipped_price_table_is_complete_dated_and_cited():
    assert SHIPPED["date"] and SHIPPED["currency"] == "USD"
    for region, entry in SHIPPED["regions"].items():
        assert cost.input_errors({}, {}, SHIPPED, region, 100) == [], region
        assert all(item["source"].startswith("https://aws.amazon.com/") for item in entry.values())
        assert all(item["price"] for item in entry.values())


def test_environments_cost_more_as_they_grow_on_the_shipped_prices():
    local = cost.estimate({}, {}, SHIPPED, "eu-west-3")["total_monthly_usd"]
    production = cost.estimate(
        {
            **FARGATE_MIX,
            "nat_gateways": 3,
            "rds_class": "db.m7g.large",
            "rds_multi_az": True,
            "price_class": "PriceClass_All",
            "rds_backup_retention_days": 14,
        },
        {"monthly_page_views": 3000000},
        SHIPPED,
        "eu-west-3",
    )["total_monthly_usd"]
    assert 50 < local < production


@pytest.mark.parametrize(
    "region, config, traffic, limit, message",
    [
        ("ap-south-2", {}, {}, None, "region 'ap-south-2' is not in the price file dated 2026-11-28"),
        ("eu-west-3", {}, {}, -5, "cost_guard_max_monthly_usd -5 must not be negative"),
        ("eu-west-3", {"spot_share_percent": 120}, {}, None, "cost_guard_spot_share_percent 120 must be between 0"),
        ("eu-west-3", {}, {"cache_hit_ratio": 1.5}, None, "cache_hit_ratio 1.5 must be between 0 and 1"),
        ("eu-west-3", {"rds_class": "db.x9.huge"}, {}, None, "rds_instance_class db.x9.huge has no price"),
    ],
)
def test_bad_inputs_are_refused_naming_the_variable(run_module, region, config, traffic, limit, message):
    args = {"region": region, "prices": SHIPPED, "config": config, "traffic": traffic}
    if limit is not None:
        args["max_monthly_usd"] = limit
    result = run_module(cost_estimate, args, aws=False)
    assert result.get("failed") and message in result["msg"], result


def test_gate_stops_above_the_limit_and_passes_below(run_module):
    args = {"region": "eu-west-3", "prices": SHIPPED}
    total = run_module(cost_estimate, args, aws=False)["estimate"]["total_monthly_usd"]
    passed = run_module(cost_estimate, {**args, "max_monthly_usd": total + 1}, aws=False)
    assert not passed.get("failed") and passed["changed"] is False
    stopped = run_module(cost_estimate, {**args, "max_monthly_usd": total - 1}, aws=False)
    assert stopped["failed"] and "above cost_guard_max_monthly_usd" in stopped["msg"]
    assert stopped["estimate"]["total_monthly_usd"] == total


@pytest.mark.parametrize(
    "allow_xmlrpc, admin_cidrs, geo_block, count",
    [
        # the four editor-scoped body rules (one after each managed group with body rules) included
        (False, [], [], 13),
        (False, ["203.0.113.0/24"], [], 14),
        (False, [], ["KP"], 14),
        (False, ["203.0.113.0/24", "2001:db8::/32"], ["KP", "RU"], 15),
        (True, [], [], 12),
    ],
)
def test_the_estimate_counts_the_rules_the_edge_tier_builds(allow_xmlrpc, admin_cidrs, geo_block, count):
    assert FilterModule().filters()["waf_rule_count"](allow_xmlrpc, admin_cidrs, geo_block) == count
