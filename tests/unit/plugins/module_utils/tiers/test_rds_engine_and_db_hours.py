"""The data tier on today's RDS (engine support windows, Database Insights, Performance Schema by class) and the
cross-tier rule that its windows fall inside the hours the DB scheduler keeps a non-production DB running."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import cost_guard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds

RDS = {
    "instance_class": "db.t4g.micro",
    "backup_retention_days": 1,
    "multi_az": False,
    "allocated_storage": 20,
    "max_allocated_storage": 100,
    "engine_version": "8.4.7",
    "read_replica_enabled": False,
    "read_replica_instance_class": "db.t4g.micro",
    "app_username": "wordpress",
    "rotation_schedule": "cron(0 10 ? * TUE#1 *)",
    "rotation_window": "2h",
    "backup_window": "12:00-12:30",
    "maintenance_window": "tue:13:00-tue:14:00",
    "database_insights_mode": "standard",
    "allow_extended_support": False,
    "network_az_count": 2,
    "today": "2026-12-01",
}
HOURS = {"start": "07:00", "end": "20:00", "days": "MON-FRI"}
COST = {
    "environment": "local",
    "budget_usd": 250,
    "anomaly_threshold_usd": 10,
    "budget_notifications": [],
    "schedule_enabled": True,
    "business_hours": HOURS,
    "timezone": "Europe/Paris",
    "db_start_lead_minutes": 30,
}


def rds_plan(**changes) -> dict:
    return tiers.plan("rds", {**RDS, **changes})


def test_mysql_84_is_the_default_and_its_parameter_family_is_mysql84():
    plan = rds_plan()
    assert plan["errors"] == []
    assert plan["parameter_family"] == "mysql8.4" and plan["extended_support"] is False


def test_mysql_80_after_its_standard_support_is_refused_naming_the_opt_in_variable():
    errors = tiers.errors("rds", {**RDS, "engine_version": "8.0.39"})
    assert len(errors) == 1
    assert "left RDS standard support on 2026-07-31" in errors[0]
    assert "rds_allow_extended_support: true" in errors[0]


def test_mysql_80_before_the_end_of_standard_support_needs_no_opt_in():
    assert rds_plan(engine_version="8.0.39", today="2026-07-31")["errors"] == []


def test_mysql_80_with_the_opt_in_is_planned_in_extended_support_with_its_vcpus():
    plan = rds_plan(engine_version="8.0.39", allow_extended_support=True, instance_class="db.m7g.large")
    assert plan["errors"] == []
    assert plan["extended_support"] is True and plan["vcpus"] == 2 and plan["parameter_family"] == "mysql8.0"


def test_mysql_57_is_refused_even_with_the_opt_in():
    errors = tiers.errors("rds", {**RDS, "engine_version": "5.7.44", "allow_extended_support": True})
    assert any("rds_engine_version '5.7.44'" in e for e in errors)


def test_the_old_performance_insights_variable_fails_naming_its_replacement():
    errors = tiers.errors("rds", {**RDS, "performance_insights_enabled": True})
    assert errors == [
        "rds_performance_insights_enabled is replaced by rds_database_insights_mode (standard or advanced): "
        "Performance Insights' own console ended on 2026-07-31; remove the old variable and set the new one"
    ]


def test_database_insights_advanced_keeps_performance_insights_465_days_and_is_refused_on_micro():
    plan = rds_plan(database_insights_mode="advanced", instance_class="db.m7g.large")
    assert plan["errors"] == [] and plan["performance_insights_retention_days"] == 465
    errors = tiers.errors("rds", {**RDS, "database_insights_mode": "advanced"})
    assert "rds_database_insights_mode advanced needs Performance Insights" in errors[0]
    assert tiers.errors("rds", {**RDS, "database_insights_mode": "full"}) == [
        "rds_database_insights_mode 'full' must be standard or advanced"
    ]


@pytest.mark.parametrize(
    ("instance_class", "expected"),
    [("db.t4g.micro", 0), ("db.t4g.small", 0), ("db.t4g.medium", 1), ("db.m7g.large", 1)],
)
def test_performance_schema_follows_the_class(instance_class, expected):
    assert (
        rds_plan(instance_class=instance_class, read_replica_instance_class=instance_class)["performance_schema"]
        == expected
    )


def test_every_profile_window_is_well_formed_and_non_production_ones_fall_in_default_db_hours():
    for environment, profile in rds.PROFILES.items():
        plan = rds_plan(backup_window=profile["backup_window"], maintenance_window=profile["maintenance_window"])
        assert plan["errors"] == [], environment
        if environment != "production":
            assert tiers.errors("cost_guard", {**COST, "db": plan}) == [], environment


def cost_errors(**db_changes) -> list[str]:
    return tiers.errors("cost_guard", {**COST, "db": rds_plan(**db_changes)})


def test_windows_inside_the_db_hours_pass():
    assert cost_errors() == []


def test_a_night_backup_window_is_refused_naming_the_variable():
    errors = cost_errors(backup_window="02:00-02:30")
    assert len(errors) == 1 and errors[0].startswith("rds_backup_window 02:00-02:30 must fall inside the hours")


def test_a_backup_window_inside_winter_hours_but_not_summer_hours_is_refused():
    # 18:30 UTC is 19:30 in Paris in January (running) and 20:30 in July (stopped at 20:00)
    assert cost_errors(backup_window="18:30-19:00")[0].startswith("rds_backup_window 18:30-19:00")
    assert cost_errors(backup_window="17:00-17:30") == []


def test_a_weekend_maintenance_window_is_refused():
    errors = cost_errors(maintenance_window="sun:03:00-sun:04:00")
    assert errors[0].startswith("rds_maintenance_window sun:03:00-sun:04:00 must fall on a business day")
    assert cost_errors(maintenance_window="sat:13:00-sat:14:00")[0].startswith("rds_maintenance_window")


def test_a_rate_rotation_or_one_without_a_window_is_refused_when_the_db_stops():
    assert cost_errors(rotation_schedule="rate(30 days)")[0].startswith(
        "wordpress_aws_db_rotation_schedule rate(30 days): a rate() rotates any time of the UTC day"
    )
    assert cost_errors(rotation_window="")[0].startswith("wordpress_aws_db_rotation_window ''")
    assert cost_errors(rotation_schedule="cron(0 10 1 * ? *)")[0].startswith(
        "wordpress_aws_db_rotation_schedule cron(0 10 1 * ? *)"
    )  # the 1st of the month may be a Sunday
    assert cost_errors(rotation_schedule="cron(0 18 ? * TUE#1 *)")  # 19:00-21:00 Paris: stopped at 20:00


def test_without_the_db_scheduler_any_window_is_fine():
    plan = rds_plan(backup_window="02:00-02:30", rotation_schedule="rate(30 days)")
    assert tiers.errors("cost_guard", {**COST, "environment": "staging", "schedule_enabled": False, "db": plan}) == []


def test_the_rule_is_in_the_cost_tier_module():
    assert cost_guard.db_hours_errors(rds_plan(), HOURS, "Europe/Paris", 30) == []


def test_extended_support_is_priced_per_vcpu_hour_of_every_instance():
    from pathlib import Path

    import yaml

    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost

    root = Path(__file__).resolve().parents[5]
    prices = yaml.safe_load((root / "roles/cost_guard/files/prices.yml").read_text())
    assert prices["regions"]["us-east-1"]["rds_extended_support_vcpu_hour"]["price"] == 0.1
    config = {"rds_class": "db.m7g.large", "rds_multi_az": True, "rds_extended_support": True, "rds_vcpus": 2}
    lines = {line["component"]: line for line in cost.estimate(config, {}, prices, "us-east-1")["components"]}
    assert lines["rds_extended_support"]["monthly_usd"] == 292.0  # 730 h x 2 vCPU x 2 (Multi-AZ) x 0.100
    replica = {**config, "rds_replica": True, "rds_replica_vcpus": 2}
    lines = {line["component"]: line for line in cost.estimate(replica, {}, prices, "us-east-1")["components"]}
    assert lines["rds_extended_support"]["monthly_usd"] == 438.0
    standard = cost.estimate({**config, "rds_extended_support": False}, {}, prices, "us-east-1")
    assert "rds_extended_support" not in {line["component"] for line in standard["components"]}


def test_the_cost_plan_carries_extended_support_from_the_data_tier_plan_only_when_accepted():
    db = rds_plan(engine_version="8.0.39", allow_extended_support=True, instance_class="db.m7g.large",
                  read_replica_instance_class="db.m7g.large")  # fmt: skip
    assert db["extended_support"] and db["vcpus"] == 2 and db["replica_vcpus"] == 2
    assert rds_plan()["extended_support"] is False


@pytest.mark.parametrize("status", ["stopped", "stopping", "starting"])
def test_the_bootstrap_is_deferred_while_the_db_scheduler_has_the_db_stopped(status):
    from ansible_collections.techblogpro.wordpress_aws.plugins.filter.stack import FilterModule

    deferral = FilterModule().filters()["rds_bootstrap_deferral"]
    assert deferral({"db_instance_status": status}).startswith(f"the DB instance is {status}")


@pytest.mark.parametrize("instance", [{"db_instance_status": "available"}, {"db_instance_status": "modifying"}, {}])
def test_the_bootstrap_runs_on_a_running_or_new_db(instance):
    assert rds.bootstrap_deferral(instance) == ""


@pytest.mark.parametrize(
    ("backup", "maintenance", "overlap"),
    [
        ("12:00-12:30", "tue:12:30-tue:13:30", True),  # touching: the emulator refuses it, as RDS may
        ("12:00-12:30", "tue:13:00-tue:14:00", False),
        ("12:00-12:30", "sun:23:00-mon:12:10", True),  # across the week's end
        ("23:30-00:30", "mon:00:00-mon:01:00", True),  # across midnight
        ("02:00-02:30", "sun:03:00-sun:04:00", False),
    ],
)
def test_backup_and_maintenance_windows_must_not_overlap(backup, maintenance, overlap):
    errors = rds.errors({**RDS, "backup_window": backup, "maintenance_window": maintenance})
    found = [e for e in errors if "overlap" in e]
    assert bool(found) is overlap
    if overlap:
        assert "rds_backup_window" in found[0] and "rds_maintenance_window" in found[0]


@pytest.mark.parametrize("environment", sorted(rds.PROFILES))
def test_no_profile_has_overlapping_windows(environment):
    profile = rds.PROFILES[environment]
    assert not rds.windows_overlap(profile["backup_window"], profile["maintenance_window"])
