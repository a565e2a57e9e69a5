"""cloudwatch_alarms: a stack's alarm set against moto; the composite alarm against Stubber (not emulated)."""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.alarms import alarm_definitions
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_alarms

from ..module_utils.test_alarms import INPUTS as TABLE_INPUTS

# The alarm table's inputs of stack "s", at each threshold's lowest sensible value.
INPUTS = {
    **TABLE_INPUTS,
    "thresholds": {name: low if low > 1 else 1 for name, (_tier, low, _high, _m) in monitoring.THRESHOLDS.items()},
}


def stack_alarms(**extra):
    """The stack-region alarms of the rendered set (CloudFront and WAF alarms live in us-east-1)."""
    alarms = alarm_definitions({**INPUTS, **extra})
    return [a for a in alarms if "region" not in a]


def test_alarm_set_converges_updates_what_differs_and_purges(aws, run_module):
    cw = aws("cloudwatch")
    alarms = stack_alarms()
    args = {"prefix": "s/", "alarms": alarms, "tags": {"wordpress_aws:stack": "s"}}
    check = run_module(cloudwatch_alarms, args, check_mode=True)
    assert check["changed"] and len([c for c in check["changes"] if c.startswith("created ")]) == len(alarms)
    assert cw.describe_alarms()["MetricAlarms"] == []
    first = run_module(cloudwatch_alarms, args)
    assert first["changed"] and first["count"] == len(alarms)
    stored = {a["AlarmName"]: a for a in cw.describe_alarms(AlarmNamePrefix="s/")["MetricAlarms"]}
    assert set(stored) == {a["AlarmName"] for a in alarms}
    assert stored["s/load_balancer/alb-5xx"]["Metrics"][-1]["Expression"].startswith("IF(requests > 0")
    again = run_module(cloudwatch_alarms, args)
    assert again["changed"] is False, again["changes"]

    stricter = stack_alarms(thresholds={**INPUTS["thresholds"], "db_cpu_percent": 70})
    assert INPUTS["thresholds"]["db_cpu_percent"] != 70
    result = run_module(cloudwatch_alarms, {**args, "alarms": stricter})
    # The description names the threshold, so both change.
    assert result["changes"] == ["updated s/database/cpu (AlarmDescription, Threshold)"]
    assert cw.describe_alarms(AlarmNames=["s/database/cpu"])["MetricAlarms"][0]["Threshold"] == 70.0

    fewer = [a for a in stricter if a["Tags"][0]["Value"] != "storage"]
    purged = run_module(cloudwatch_alarms, {**args, "alarms": fewer})
    assert purged["changes"] == ["deleted s/storage/burst-credits", "deleted s/storage/io-limit"]
    other = run_module(cloudwatch_alarms, {"prefix": "other-", "alarms": []})
    assert other["changed"] is False  # another prefix is not ours
    gone = run_module(cloudwatch_alarms, {"prefix": "s/", "state": "absent"})
    assert gone["count"] == 0 and cw.describe_alarms(AlarmNamePrefix="s/")["MetricAlarms"] == []


def test_alarm_names_outside_the_prefix_are_refused(aws, run_module):
    result = run_module(cloudwatch_alarms, {"prefix": "s/", "alarms": [{"AlarmName": "x-cpu"}]})
    assert result["failed"] and "must start with 's/'" in result["msg"]


@pytest.mark.parametrize("existing_rule", [None, 'ALARM("s/a")', 'ALARM("s/a") OR ALARM("s/b")'])
def test_composite_site_down_alarm(stubbed, run_module, existing_rule):
    rule = 'ALARM("s/a") OR ALARM("s/b")'
    composite = []
    if existing_rule:
        composite = [
            {
                "AlarmName": "s/site-down",
                "AlarmRule": existing_rule,
                "AlarmDescription": "Site down.",
                "AlarmActions": ["arn:t"],
                "OKActions": ["arn:t"],
            }
        ]
    stub = stubbed("cloudwatch")
    stub.add_response(
        "describe_alarms",
        {"MetricAlarms": [], "CompositeAlarms": composite},
        {"AlarmNamePrefix": "s/", "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]},
    )
    if existing_rule != rule:
        stub.add_response(
            "put_composite_alarm",
            {},
            {
                "AlarmName": "s/site-down",
                "AlarmRule": rule,
                "AlarmDescription": "Site down.",
                "ActionsEnabled": True,
                "AlarmActions": ["arn:t"],
                "OKActions": ["arn:t"],
                "Tags": ANY,
            },
        )
    composite_args = {"name": "s/site-down", "rule": rule, "description": "Site down.", "actions": ["arn:t"]}
    result = run_module(cloudwatch_alarms, {"prefix": "s/", "composite": composite_args, "tags": {"k": "v"}})
    stub.assert_no_pending_responses()
    assert result["changed"] is (existing_rule != rule)
    assert [c for c in result["changes"] if c.startswith("created ")] == (
        ["created s/site-down"] if existing_rule is None else []
    )


def test_alarm_tags_converge_with_purge_tags(aws, run_module):
    cw = aws("cloudwatch")
    alarm = {
        "AlarmName": "s/app/cpu",
        "Namespace": "AWS/ECS",
        "MetricName": "CPUUtilization",
        "Statistic": "Average",
        "Period": 60,
        "EvaluationPeriods": 3,
        "Threshold": 80.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "Tags": [{"Key": "wordpress_aws:tier", "Value": "app"}],
    }
    args = {"prefix": "s/", "alarms": [alarm], "tags": {"wordpress_aws:stack": "s", "owner": "ops"}}
    run_module(cloudwatch_alarms, args)
    arn = cw.describe_alarms(AlarmNames=["s/app/cpu"])["MetricAlarms"][0]["AlarmArn"]

    def tags():
        return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]}

    assert tags() == {"wordpress_aws:tier": "app", "wordpress_aws:stack": "s", "owner": "ops"}
    retagged = {**args, "tags": {"wordpress_aws:stack": "s", "owner": "web"}}
    check = run_module(cloudwatch_alarms, retagged, check_mode=True)
    assert check["changes"] == ["tags of s/app/cpu"] and tags()["owner"] == "ops"
    assert run_module(cloudwatch_alarms, retagged)["changes"] == ["tags of s/app/cpu"]
    assert tags()["owner"] == "web"
    assert run_module(cloudwatch_alarms, retagged)["changed"] is False
    kept = run_module(cloudwatch_alarms, {**args, "tags": {"wordpress_aws:stack": "s"}, "purge_tags": False})
    assert kept["changed"] is False and tags()["owner"] == "web"
    purged = run_module(cloudwatch_alarms, {**args, "tags": {"wordpress_aws:stack": "s"}})
    assert purged["changes"] == ["tags of s/app/cpu"]
    assert tags() == {"wordpress_aws:tier": "app", "wordpress_aws:stack": "s"}
    assert run_module(cloudwatch_alarms, {**args, "tags": None})["changed"] is False
