"""Alarm definitions rendered from inputs: every tier covered, every alarm actionable and explained."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms as alarm_table
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring

TOPIC = "arn:aws:sns:eu-west-3:123456789012:s-alerts"
THRESHOLDS = {
    "alb_5xx_percent": 1,
    "target_5xx_percent": 2,
    "target_p95_seconds": 1.5,
    "service_cpu_percent": 85,
    "service_memory_percent": 85,
    "db_cpu_percent": 80,
    "db_free_storage_gib": 5,
    "db_freeable_memory_mib": 256,
    "db_connections_percent": 80,
    "db_replica_lag_seconds": 30,
    "db_cpu_credits": 40,
    "efs_io_limit_percent": 90,
    "cloudfront_5xx_percent": 2,
    "cloudfront_origin_latency_ms": 3000,
    "waf_blocked_per_5min": 1000,
}
INPUTS = {
    "stack": "s",
    "actions": [TOPIC],
    "thresholds": THRESHOLDS,
    "alb": "app/s-alb/0123456789abcdef",
    "target_group": "targetgroup/s-wordpress/fedcba9876543210",
    "cluster": "s",
    "service": "s-wordpress",
    "db_instance": "s-db",
    "db_max_connections": 150,
    "db_replica": "",
    "efs_id": "fs-12345678",
    "distribution_id": "E1ABCDEF",
    # the distribution's monitoring subscription is on (OriginLatency exists)
    "additional_metrics": True,
    "web_acl": "s-edge",
    "functions": ["s-db-bootstrap"],
    "log_group": "/wordpress-aws/s/wordpress",
}


def by_name(alarms):
    return {a["AlarmName"]: a for a in alarms}


def test_every_tier_has_alarms_and_every_alarm_acts_and_explains():
    alarms = alarm_table.alarm_definitions(INPUTS)
    tiers = {tag["Value"] for a in alarms for tag in a["Tags"]}
    assert tiers == set(monitoring.TIERS)
    for alarm in alarms:
        assert alarm["AlarmActions"] == [TOPIC] and alarm["OKActions"] == [TOPIC], alarm["AlarmName"]
        # A runbook line: what happened and what to do, not just the metric's name.
        assert len(alarm["AlarmDescription"]) > 60 and "." in alarm["AlarmDescription"], alarm["AlarmName"]
        assert ("MetricName" in alarm) != ("Metrics" in alarm), alarm["AlarmName"]
    assert len({a["AlarmName"] for a in alarms}) == len(alarms)


def test_thresholds_follow_the_inputs_and_units():
    named = by_name(alarm_table.alarm_definitions(INPUTS))
    assert named["s/database/free-storage"]["Threshold"] == 5 * 2**30
    assert named["s/database/freeable-memory"]["Threshold"] == 256 * 2**20
    assert named["s/database/connections"]["Threshold"] == 120.0  # 80 % of 150
    assert named["s/load_balancer/p95-latency"]["ExtendedStatistic"] == "p95"
    assert named["s/load_balancer/p95-latency"]["Threshold"] == 1.5
    rate = named["s/load_balancer/alb-5xx"]["Metrics"][-1]
    assert rate["Expression"] == "IF(requests > 0, 100 * errors / requests, 0)" and rate["ReturnData"] is True
    assert named["s/service/tasks-below-desired"]["TreatMissingData"] == "breaching"
    for edge in ("s/edge/cloudfront-5xx", "s/edge/origin-latency", "s/edge/waf-blocked-surge"):
        assert named[edge]["region"] == "us-east-1"  # CloudFront and WAF (CLOUDFRONT scope) metrics live there


def test_optional_resources_add_or_drop_their_alarms():
    with_replica = by_name(alarm_table.alarm_definitions({**INPUTS, "db_replica": "s-db-replica"}))
    assert with_replica["s/database/replica-lag"]["Dimensions"] == [
        {"Name": "DBInstanceIdentifier", "Value": "s-db-replica"}
    ]
    assert "s/database/replica-lag" not in by_name(alarm_table.alarm_definitions(INPUTS))
    burstable = by_name(alarm_table.alarm_definitions({**INPUTS, "db_class": "db.t4g.medium"}))
    assert burstable["s/database/cpu-credits"]["Threshold"] == 40.0
    assert burstable["s/database/cpu-credits"]["MetricName"] == "CPUCreditBalance"
    assert "s/database/cpu-credits" not in by_name(
        alarm_table.alarm_definitions({**INPUTS, "db_class": "db.m7g.large"})
    )
    without_edge = alarm_table.alarm_definitions({**INPUTS, "distribution_id": "", "web_acl": ""})
    assert not [a for a in without_edge if a["Tags"][0]["Value"] == "edge"]


def test_origin_latency_is_alarmed_only_where_the_distribution_publishes_it():
    """OriginLatency exists only with the distribution's additional metrics (a paid monitoring subscription)."""
    without = by_name(alarm_table.alarm_definitions({**INPUTS, "additional_metrics": False}))
    assert "s/edge/origin-latency" not in without
    assert {"s/edge/cloudfront-5xx", "s/edge/waf-blocked-surge"} <= set(without)
    with_subscription = by_name(alarm_table.alarm_definitions(INPUTS))
    latency = with_subscription["s/edge/origin-latency"]
    assert (latency["MetricName"], latency["ExtendedStatistic"]) == ("OriginLatency", "p95")
    assert latency["Dimensions"] == [
        {"Name": "DistributionId", "Value": "E1ABCDEF"},
        {"Name": "Region", "Value": "Global"},
    ]
    # the count the estimate prices follows the same rule
    watched = {"distribution": True, "web_acl": True}
    assert alarm_table.alarm_count(watched) == 2
    assert alarm_table.alarm_count({**watched, "additional_metrics": True}) == 3


def test_site_down_watches_the_critical_alarms():
    alarms = alarm_table.alarm_definitions(INPUTS)
    rule = alarm_table.composite_rule("s", alarms)
    assert rule == (
        'ALARM("s/load_balancer/alb-5xx") OR ALARM("s/load_balancer/target-5xx") OR '
        'ALARM("s/service/tasks-below-desired") OR ALARM("s/edge/cloudfront-5xx")'
    )


@pytest.mark.parametrize(
    ("thresholds", "emails", "tiers", "message"),
    [
        ({"db_cpu_percent": 150}, [], [], "monitoring_thresholds.db_cpu_percent 150 is out of range 1..100"),
        ({"alb_5xx_percent": "lots"}, [], [], "monitoring_thresholds.alb_5xx_percent 'lots' must be a number"),
        ({"cpu": 80}, [], [], "monitoring_thresholds has an unknown entry 'cpu'"),
        ({}, ["ops@techblogpro"], [], "monitoring_alert_emails entry 'ops@techblogpro' is not an email address"),
        ({}, [], ["cache"], "monitoring_tiers entry 'cache' is not a tier"),
    ],
)
def test_input_errors_name_the_variable(thresholds, emails, tiers, message):
    assert monitoring.input_errors(THRESHOLDS, ["ops@techblogpro.example"], list(monitoring.TIERS)) == []
    errors = monitoring.input_errors(thresholds, emails, tiers)
    assert len(errors) == 1 and message in errors[0], errors
