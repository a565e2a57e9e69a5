"""Each tier's Python home: its profile, its input rules (each naming the variable), its plan, and the cost plan."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.tiers import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import validation
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import cost_guard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds

ROOT = Path(__file__).resolve().parents[5]
FILTERS = FilterModule().filters()
PRICES = yaml.safe_load((ROOT / "roles/cost_guard/files/prices.yml").read_text())

THRESHOLDS = {name: high for name, (_tier, _low, high, _meaning) in monitoring.THRESHOLDS.items()}
# Valid inputs of each tier, as its validate entry point passes them (the local inventory's values).
INPUTS = {
    "foundation": {
        "kms_deletion_window_days": 7,
        "backup_retention_days": 7,
        "backup_schedule": "cron(0 3 * * ? *)",
        "backup_copy_region": "",
        "region": "eu-west-3",
    },
    "vpc": {
        "environment": "local",
        "cidr": "10.40.0.0/16",
        "az_count": 2,
        "subnet_newbits": 4,
        "nat_mode": "single",
        "interface_endpoints_enabled": False,
        "interface_endpoint_services": ["ecr.api", "ecr.dkr", "logs", "secretsmanager"],
    },
    "rds": {
        "instance_class": "db.t4g.micro",
        "backup_retention_days": 1,
        "multi_az": False,
        "allocated_storage": 20,
        "max_allocated_storage": 100,
        "engine_version": "8.4.7",
        "read_replica_enabled": False,
        "read_replica_instance_class": "db.t4g.micro",
        "app_username": "wordpress",
        "rotation_schedule": "rate(30 days)",
        "network_az_count": 2,
    },
    "ecs_wordpress": {
        "stack_name": "techblog-local",
        "image": "wordpress:6.8.3-php8.3-apache",
        "cpu_architecture": "X86_64",
        "cpu": 512,
        "memory": 1024,
        "desired_count": 1,
        "min_count": 1,
        "max_count": 2,
        "ondemand_base": 0,
        "ondemand_weight": 0,
        "spot_weight": 1,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
        "log_retention_days": 14,
        "health_check_grace_period": 120,
        "deregistration_delay": 30,
        "certificate_arn": "",
        "site_url": "",
    },
    "cloudfront_waf": {
        "price_class": "PriceClass_100",
        "domain": "",
        "hosted_zone_id": "",
        "certificate_arn": "",
        "html_ttl": 300,
        "html_max_ttl": 900,
        "static_ttl": 604800,
        "static_max_ttl": 31536000,
        "error_caching_ttl": 10,
        "admin_cidrs": [],
        "rate_limit": 2000,
        "login_rate_limit": 100,
        "rate_window": 300,
        "geo_block": [],
        "allow_xmlrpc": False,
        "regional_acl": False,
        "site_domain": "",
        "site_hosted_zone_id": "",
    },
    "monitoring": {
        "environment": "local",
        "thresholds": THRESHOLDS,
        "emails": ["platform-team@techblogpro.example"],
        "https_endpoints": [],
        "tiers": list(monitoring.TIERS),
        "retention_days": 7,
        "db_max_connections": 0,
    },
    "cost_guard": {
        "environment": "local",
        "budget_usd": 250,
        "anomaly_threshold_usd": 10,
        "budget_notifications": [{"type": "ACTUAL", "threshold_percent": 80}],
        "schedule_enabled": True,
        "business_hours": {"start": "07:00", "end": "20:00", "days": "MON-FRI"},
        "timezone": "Europe/Paris",
        "spot_share_percent": "",
        "nat_gb": 10,
        "uploads_gb": 5,
        "log_gb": 2,
    },
}


def plans(**changes) -> dict:
    """Every tier's plan for INPUTS, each tier's inputs updated by ``changes[tier]``."""
    return {tier: tiers.plan(tier, {**inputs, **changes.get(tier, {})}) for tier, inputs in INPUTS.items()}


@pytest.mark.parametrize("tier", sorted(INPUTS))
def test_valid_inputs_of_each_tier_give_a_plan_without_errors(tier):
    plan = FILTERS["tier_plan"](INPUTS[tier], tier)
    assert plan["errors"] == [] and plan["tier"] == tier
    assert FILTERS["tier_errors"](INPUTS[tier], tier) == []


@pytest.mark.parametrize(
    ("tier", "change", "message"),
    [
        ("foundation", {"backup_retention_days": 0}, "foundation_backup_retention_days 0"),
        ("vpc", {"cidr": "8.8.0.0/16"}, "vpc_cidr 8.8.0.0/16 is not a private"),
        ("vpc", {"az_count": 4, "available_azs": ["a", "b", "c"]}, "vpc_az_count 4: the region offers only 3"),
        ("rds", {"instance_class": "db.m7g.96xlarge"}, "rds_instance_class db.m7g.96xlarge: db.m7g comes in"),
        ("rds", {"multi_az": True, "network_az_count": 1}, "rds_multi_az needs data subnets in two AZs"),
        ("rds", {"app_username": "wp_clone"}, "rds_app_username wp_clone must be 1-26 letters"),
        (
            "rds",
            {"rotation_schedule": "monthly"},
            "wordpress_aws_db_rotation_schedule monthly must be rate(N days) or cron",
        ),
        (
            "rds",
            {"read_replica_enabled": True, "read_replica_instance_class": "db.z9.large"},
            "rds_read_replica_instance_class db.z9.large: unknown family",
        ),
        ("ecs_wordpress", {"image": "wordpress"}, "ecs_wordpress_image 'wordpress' has no tag"),
        ("ecs_wordpress", {"stack_name": "a" * 23}, "too long for the load balancer"),
        (
            "ecs_wordpress",
            {"memory": 3000},
            "ecs_wordpress_memory 3000 MiB is not offered by Fargate with ecs_wordpress_cpu 512",
        ),
        ("ecs_wordpress", {"cpu": 300}, "ecs_wordpress_cpu 300 is not a Fargate size"),
        ("ecs_wordpress", {"desired_count": 3}, "ecs_wordpress_desired_count 3 must be between"),
        (
            "ecs_wordpress",
            {"min_count": 3},
            "ecs_wordpress_max_count 2 must be at least 1 and at least ecs_wordpress_min_count (3)",
        ),
        ("ecs_wordpress", {"spot_weight": -2}, "ecs_wordpress_spot_weight -2 must not be negative"),
        (
            "ecs_wordpress",
            {"spot_weight": 0},
            "one of ecs_wordpress_ondemand_weight and ecs_wordpress_spot_weight must be above 0",
        ),
        ("ecs_wordpress", {"cpu_architecture": "ARM64"}, "Fargate Spot runs only X86_64 tasks"),
        ("ecs_wordpress", {"image": "wordpress:latest"}, "'latest' is not a pin"),
        ("ecs_wordpress", {"image": "Word Press:1"}, "is not an image reference"),
        ("ecs_wordpress", {"scale_in_cooldown": 60}, "must be longer than ecs_wordpress_scale_out_cooldown"),
        (
            "ecs_wordpress",
            {"log_retention_days": 10},
            "ecs_wordpress_log_retention_days 10 is not a CloudWatch Logs retention",
        ),
        ("ecs_wordpress", {"certificate_arn": "arn:aws:iam::1:cert"}, "is not an ACM certificate ARN"),
        ("ecs_wordpress", {"site_url": "www.example.com"}, "must be a scheme and host"),
        ("ecs_wordpress", {"cpu": "lots"}, "ecs_wordpress_cpu 'lots' must be a whole number"),
        ("cloudfront_waf", {"price_class": "PriceClass_50"}, "cloudfront_waf_price_class 'PriceClass_50'"),
        ("cloudfront_waf", {"rate_limit": 5}, "cloudfront_waf_rate_limit 5"),
        (
            "cloudfront_waf",
            {"site_domain": "www.example.com"},
            "wordpress_aws_domain_name www.example.com needs wordpress_aws_hosted_zone_id",
        ),
        (
            "cloudfront_waf",
            {"certificate_arn": "arn:aws:acm:eu-west-3:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"},
            "must be an ACM certificate in us-east-1",
        ),
        ("monitoring", {"emails": ["oncall@techblogpro"]}, "monitoring_alert_emails entry 'oncall@techblogpro'"),
        ("monitoring", {"db_max_connections": -5}, "monitoring_db_max_connections -5 must be 0 (derive it)"),
        ("monitoring", {"retention_days": 10}, "monitoring_log_retention_days 10 is not a retention"),
        ("monitoring", {"https_endpoints": ["http://hooks.example/T0"]}, "monitoring_alert_https_endpoints entry"),
        (
            "monitoring",
            {"environment": "production", "emails": []},
            "a production stack must alert someone: set monitoring_alert_emails",
        ),
        ("cost_guard", {"budget_usd": -10}, "cost_guard_budget_usd -10 must be a number above 0"),
        ("cost_guard", {"anomaly_threshold_usd": "ten"}, "cost_guard_anomaly_threshold_usd ten must be a number"),
        (
            "cost_guard",
            {"budget_notifications": [{"type": "SOON", "threshold_percent": 0}]},
            "cost_guard_budget_notifications type SOON must be ACTUAL or FORECASTED",
        ),
        (
            "cost_guard",
            {"budget_notifications": [{"type": "ACTUAL", "threshold_percent": 0}]},
            "cost_guard_budget_notifications threshold_percent 0 must be above 0",
        ),
        ("cost_guard", {"timezone": "Mars/Olympus"}, "cost_guard_timezone"),
        ("cost_guard", {"spot_share_percent": "most"}, "cost_guard_spot_share_percent 'most' must be a number"),
        (
            "cost_guard",
            {"business_hours": {"start": "7am", "end": "20:00", "days": "MON-FRI"}},
            "cost_guard_business_hours.start '7am' is not a time of day",
        ),
        ("cost_guard", {"environment": "production"}, "a production service is never scaled to zero"),
    ],
)
def test_each_rule_names_its_variable(tier, change, message):
    found = tiers.errors(tier, {**INPUTS[tier], **change})
    assert any(message in error for error in found), found
    plan = tiers.plan(tier, {**INPUTS[tier], **change})
    assert plan["errors"] == found and "nat_gateways" not in plan


def test_the_spot_share_keeps_how_it_was_written():
    """cost_estimate's range message quotes it: 120, not 120.0."""
    assert tiers.plan("cost_guard", {**INPUTS["cost_guard"], "spot_share_percent": "120"})["spot_share_percent"] == 120
    assert tiers.plan("cost_guard", {**INPUTS["cost_guard"], "spot_share_percent": 37.5})["spot_share_percent"] == 37.5


def test_a_schedule_off_is_not_checked_and_deploys_no_db_scheduler():
    inputs = {
        **INPUTS["cost_guard"],
        "schedule_enabled": False,
        "timezone": "Mars/Olympus",
        "environment": "production",
    }
    assert tiers.errors("cost_guard", inputs) == []
    assert tiers.plan("cost_guard", inputs)["lambda_functions"] == 0


def test_an_unknown_tier_is_refused_by_name():
    with pytest.raises(ValueError, match="'cdn' is not a tier"):
        tiers.plan("cdn", {})
    from ansible.errors import AnsibleFilterError

    with pytest.raises(AnsibleFilterError, match="'cdn' is not a tier"):
        FILTERS["tier_plan"]({}, "cdn")


def test_network_plan_counts_nat_gateways_and_endpoint_enis():
    assert plans()["vpc"]["nat_gateways"] == 1 and plans()["vpc"]["interface_endpoints"] == 0
    production = tiers.plan(
        "vpc", {**INPUTS["vpc"], "az_count": 3, "nat_mode": "per_az", "interface_endpoints_enabled": True}
    )
    assert production["nat_gateways"] == 3
    assert production["interface_endpoints"] == 12  # 4 services x 3 AZs


def test_a_wrong_network_plan_still_says_its_az_count():
    plan = tiers.plan("vpc", {**INPUTS["vpc"], "az_count": 1})
    assert plan["errors"] and plan["az_count"] == 1


def test_application_plan_has_the_capacity_strategy():
    plan = tiers.plan(
        "ecs_wordpress", {**INPUTS["ecs_wordpress"], "ondemand_base": 2, "ondemand_weight": 1, "spot_weight": 3}
    )
    assert plan["capacity_strategy"] == [
        {"capacity_provider": "FARGATE", "base": 2, "weight": 1},
        {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3},
    ]
    assert plans()["ecs_wordpress"]["capacity_strategy"] == [
        {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1}
    ]
    assert plans()["ecs_wordpress"]["vcpu"] == 0.5 and plans()["ecs_wordpress"]["memory_gb"] == 1.0


def test_edge_plan_counts_the_web_acl_rules():
    # 3 custom rules, 6 managed groups and the editor-scoped body rule after 4 of the groups
    assert plans()["cloudfront_waf"]["waf_rules"] == 13
    assert tiers.plan("cloudfront_waf", {**INPUTS["cloudfront_waf"], "geo_block": ["KP"]})["waf_rules"] == 14


@pytest.mark.parametrize("environment", ["local", "dev", "staging", "production"])
def test_every_tier_has_a_profile_per_environment(environment):
    for tier in ("foundation", "vpc", "rds", "ecs_wordpress", "cloudfront_waf", "monitoring", "cost_guard"):
        assert FILTERS["tier_profile"](environment, tier), (tier, environment)
    assert FILTERS["tier_profile"]("production", "vpc")["az_count"] == 3
    assert FILTERS["tier_profile"]("local", "vpc")["az_count"] == 2


# ---- the one RDS class table ------------------------------------------------------------------------------------

# The memory the monitoring role's own table gave (GiB): the one table must agree on these.
OLD_MONITORING_MEMORY = {
    "db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.t4g.large": 8, "db.t4g.xlarge": 16,
    "db.t4g.2xlarge": 32, "db.m7g.large": 8, "db.m7g.xlarge": 16, "db.m7g.2xlarge": 32, "db.m7g.4xlarge": 64,
    "db.r7g.large": 16, "db.r7g.xlarge": 32, "db.r7g.2xlarge": 64, "db.r7g.4xlarge": 128,
}  # fmt: skip


def test_the_class_table_agrees_with_the_memory_monitoring_used():
    for name, memory in OLD_MONITORING_MEMORY.items():
        assert rds.CLASSES[name]["memory_gib"] == memory, name
        assert FILTERS["rds_max_connections"](name) == int(memory * 2**30 / 12582880)


def test_every_class_validation_accepts_has_max_connections():
    """The bug: db.m6g.large passed validation, monitoring had no memory for it, max_connections 0, no alarm."""
    for name in rds.CLASSES:
        assert rds.class_errors(name) == [], name
        assert rds.max_connections(name) > 0, name
    assert {name.split(".")[1] for name in rds.CLASSES} == set(rds.FAMILIES)


@pytest.mark.parametrize("instance_class", ["db.m6g.large", "db.r5.xlarge", "db.x2g.large", "db.t3.small"])
def test_a_class_monitoring_used_to_lack_gets_its_connections_alarm(instance_class):
    plan = tiers.plan("rds", {**INPUTS["rds"], "instance_class": instance_class})
    assert plan["max_connections"] > 0
    inputs = {
        "stack": "s",
        "actions": ["arn:aws:sns:eu-west-3:123456789012:s-alerts"],
        "thresholds": THRESHOLDS,
        "db_instance": "s-db",
        "db_class": instance_class,
        "db_max_connections": plan["max_connections"],
    }
    names = [alarm["AlarmName"] for alarm in alarms.alarm_definitions(inputs)]
    assert "s/database/connections" in names
    assert ("s/database/cpu-credits" in names) == instance_class.startswith("db.t")


def test_every_priced_class_is_in_the_table():
    for region, entry in PRICES["regions"].items():
        priced = set(entry["rds_instance_hour"]["price"])
        assert priced <= set(rds.CLASSES), (region, priced - set(rds.CLASSES))


def test_every_profile_class_is_priced_in_every_region():
    for environment, profile in rds.PROFILES.items():
        for region, entry in PRICES["regions"].items():
            assert profile["instance_class"] in entry["rds_instance_hour"]["price"], (environment, region)


# ---- the cost plan ---------------------------------------------------------------------------------------------


def test_the_cost_plan_comes_from_the_tier_plans_only():
    config = FILTERS["cost_plan"](plans())
    # The local stack is the one cost.CONFIG_DEFAULTS describes, but for what its tiers plan themselves: the WAF
    # rules the edge builds, the secrets the tiers keep, the alarms monitoring raises, and no Spot share set.
    local = {"waf_rules": 13, "secrets": 4, "alarms": 28, "spot_share_percent": None}
    # What the estimate assumes rather than reads from a tier plan.
    assumed = {"rds_daily_change_ratio", "log_retention_months", "lambda_invocations", "lambda_gb_seconds"}
    defaults = {key: value for key, value in cost.CONFIG_DEFAULTS.items() if key not in assumed}
    assert config == {**defaults, **local}
    assert set(config) <= set(cost.CONFIG_DEFAULTS) | {"spot_share_percent"}


def test_the_alarm_count_is_the_alarm_table_count():
    """28 locally (with the DB scheduler and a burstable class), 25 in production, +1 with a replica."""
    assert monitoring.alarm_count(plans()) == 28
    production = plans(
        rds={"instance_class": "db.m7g.large"}, cost_guard={"schedule_enabled": False, "environment": "production"}
    )
    assert monitoring.alarm_count(production) == 25
    replica = plans(rds={"instance_class": "db.m7g.large", "read_replica_enabled": True, "backup_retention_days": 7})
    assert monitoring.alarm_count(replica) == 28
    only_db = plans(monitoring={"tiers": ["database"]})
    assert monitoring.alarm_count(only_db) == 5  # cpu, free storage, freeable memory, connections, CPU credits


@pytest.mark.parametrize(
    ("tier", "label"),
    [
        ("foundation", "the foundation tier (foundation)"),
        ("vpc", "the network tier (vpc)"),
        ("rds", "the data tier (rds)"),
        ("ecs_wordpress", "the application tier (ecs_wordpress)"),
        ("cloudfront_waf", "the edge tier (cloudfront_waf)"),
        ("monitoring", "the monitoring tier (monitoring)"),
        ("cost_guard", "the cost tier (cost_guard)"),
    ],
)
def test_a_missing_tier_plan_is_named(tier, label):
    incomplete = {name: plan for name, plan in plans().items() if name != tier}
    assert FILTERS["cost_plan_errors"](incomplete) == [
        f"the cost plan lacks {label}: its validation did not run, so nothing says what it builds "
        f"(run playbooks/validate.yml or site.yml without skipping the tag {tier})"
    ]
    from ansible.errors import AnsibleFilterError

    with pytest.raises(AnsibleFilterError, match=f"the cost plan lacks {label.replace('(', '.').replace(')', '.')}"):
        FILTERS["cost_plan"](incomplete)


def test_the_schedule_restores_the_application_plans_capacity():
    assert FILTERS["day_capacity"](plans(ecs_wordpress={"desired_count": 2, "min_count": 2, "max_count": 4})) == {
        "min_count": 2,
        "max_count": 4,
    }


def test_the_schedule_without_the_application_plan_names_the_tier_instead_of_guessing_a_capacity():
    from ansible.errors import AnsibleFilterError

    incomplete = {name: plan for name, plan in plans().items() if name != "ecs_wordpress"}
    with pytest.raises(AnsibleFilterError) as missing:
        FILTERS["day_capacity"](incomplete)
    assert str(missing.value) == (
        "the business-hours schedule lacks the application tier (ecs_wordpress): its validation did not run, so "
        "nothing says what it builds (run playbooks/validate.yml or site.yml without skipping the tag ecs_wordpress)"
    )
    with pytest.raises(AnsibleFilterError, match=r"the business-hours schedule cannot scale the application tier"):
        FILTERS["day_capacity"](plans(ecs_wordpress={"min_count": 3}))


def test_a_wrong_tier_plan_is_named_with_its_errors():
    found = cost_guard.plan_errors(plans(vpc={"nat_mode": "none"}))
    assert found == [
        "the cost plan cannot price the network tier (vpc), its inputs are wrong: "
        "vpc_nat_mode 'none' is not one of single, per_az"
    ]


def test_no_plan_at_all_names_every_tier():
    assert len(FILTERS["cost_plan_errors"]({})) == 7
    assert len(FILTERS["cost_plan_errors"](None)) == 7


def test_the_cost_plan_of_production_prices_what_the_tiers_build():
    production = plans(
        vpc={"environment": "production", "az_count": 3, "nat_mode": "per_az", "interface_endpoints_enabled": True},
        rds={"instance_class": "db.m7g.large", "multi_az": True, "backup_retention_days": 14},
        ecs_wordpress={
            "cpu": 1024, "memory": 2048, "desired_count": 2, "min_count": 2, "max_count": 12,
            "ondemand_base": 2, "ondemand_weight": 1, "spot_weight": 3, "log_retention_days": 90,
        },
        cloudfront_waf={"price_class": "PriceClass_All", "regional_acl": True},
        cost_guard={"environment": "production", "schedule_enabled": False, "nat_gb": 60, "uploads_gb": 100,
                    "log_gb": 30, "budget_usd": 2500},
    )  # fmt: skip
    config = cost_guard.cost_config(production)
    assert (config["nat_gateways"], config["interface_endpoints"], config["alarms"]) == (3, 12, 25)
    traffic = {"monthly_page_views": 3000000, "average_page_weight_kb": 1800, "requests_per_page": 25,
               "cache_hit_ratio": 0.92}  # fmt: skip
    assert cost.input_errors(config, traffic, PRICES, "eu-west-3", 2500) == []
    assert cost.estimate(config, traffic, PRICES, "eu-west-3")["total_monthly_usd"] == pytest.approx(1486.09)


# ---- the generic checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(7, 7), ("7", 7), (" 7 ", 7), ("07", None), (7.5, None), (True, None), ("x", None)]
)
def test_whole_number(value, expected):
    assert validation.whole_number(value) == expected


def test_small_checks():
    assert validation.int_between("35", 0, 35) and not validation.int_between(36, 0, 35)
    assert validation.positive_decimal("12.5") and not validation.positive_decimal(-1)
    assert not validation.positive_decimal("1e3") and not validation.positive_decimal(0)
    assert validation.is_email("a.b@example.com") and not validation.is_email("oncall@techblogpro")
    assert validation.is_region("eu-west-3") and not validation.is_region("europe")
    assert validation.ipv4_network("10.0.0.0/16") and validation.ipv4_network("10.0.0.1/16") is None
    assert validation.ipv4_network("2001:db8::/32") is None
    assert validation.as_bool("false") is False and validation.as_bool("yes") is True


def test_one_email_rule_for_every_module():
    assert monitoring.EMAIL_RE is validation.EMAIL_RE
