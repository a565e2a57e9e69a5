"""cost_anomaly_monitor against botocore's Stubber: the emulator lacks Cost Explorer's anomaly API (500)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cost_anomaly_monitor as mod

TOPIC = "arn:aws:sns:us-east-1:123456789012:s-alerts-edge"


MONITOR_ARN = "arn:aws:ce::123456789012:anomalymonitor/0f0e0d0c-0b0a-0908-0706-050403020100"


SUB_ARN = "arn:aws:ce::123456789012:anomalysubscription/00010203-0405-0607-0809-0a0b0c0d0e0f"


ARGS = {"name": "s", "tag_value": "s", "threshold_usd": 50, "sns_topic_arn": TOPIC, "region": "us-east-1"}


SPEC = {"Tags": {"Key": "wordpress_aws:stack", "Values": ["s"], "MatchOptions": ["EQUALS"]}}


def monitor(spec=None):
    return {
        "MonitorArn": MONITOR_ARN,
        "MonitorName": "s",
        "MonitorType": "CUSTOM",
        "MonitorSpecification": spec or SPEC,
    }


def subscription(threshold="50"):
    return {
        "SubscriptionArn": SUB_ARN,
        "SubscriptionName": "s-alerts",
        "MonitorArnList": [MONITOR_ARN],
        "Subscribers": [{"Type": "SNS", "Address": TOPIC}],
        "Frequency": "IMMEDIATE",
        "ThresholdExpression": {
            "Dimensions": {
                "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                "Values": [threshold],
                "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
            }
        },
    }


@pytest.fixture
def stub(stubbed):
    return stubbed("ce", "us-east-1")


def test_creates_monitor_and_subscription(stub, run_module):
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": []}, {})
    stub.add_response(
        "create_anomaly_monitor",
        {"MonitorArn": MONITOR_ARN},
        {
            "AnomalyMonitor": {"MonitorName": "s", "MonitorType": "CUSTOM", "MonitorSpecification": SPEC},
            "ResourceTags": [{"Key": "wordpress_aws:stack", "Value": "s"}],
        },
    )
    wanted = {k: v for k, v in subscription().items() if k != "SubscriptionArn"}
    stub.add_response(
        "create_anomaly_subscription",
        {"SubscriptionArn": SUB_ARN},
        {"AnomalySubscription": wanted, "ResourceTags": [{"Key": "wordpress_aws:stack", "Value": "s"}]},
    )
    stub.activate()
    result = run_module(mod, ARGS)
    assert result["changes"] == ["created monitor s", "created subscription s-alerts"]
    assert result["monitor_arn"] == MONITOR_ARN


def test_converged_monitor_is_left_alone(stub, run_module):
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor()]}, {})
    stub.add_response(
        "get_anomaly_subscriptions", {"AnomalySubscriptions": [subscription()]}, {"MonitorArn": MONITOR_ARN}
    )
    stub.activate()
    result = run_module(mod, ARGS)
    assert result["changed"] is False and result["changes"] == []


def test_threshold_change_updates_the_subscription(stub, run_module):
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor()]}, {})
    stub.add_response(
        "get_anomaly_subscriptions", {"AnomalySubscriptions": [subscription("100")]}, {"MonitorArn": MONITOR_ARN}
    )
    wanted = subscription()
    stub.add_response(
        "update_anomaly_subscription",
        {"SubscriptionArn": SUB_ARN},
        {
            "SubscriptionArn": SUB_ARN,
            "Frequency": "IMMEDIATE",
            "MonitorArnList": [MONITOR_ARN],
            "Subscribers": wanted["Subscribers"],
            "ThresholdExpression": wanted["ThresholdExpression"],
        },
    )
    stub.activate()
    result = run_module(mod, ARGS)
    assert result["changes"] == ["updated subscription s-alerts: ThresholdExpression"]


def test_check_mode_and_absent(stub, run_module):
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor()]}, {})
    stub.add_response(
        "get_anomaly_subscriptions", {"AnomalySubscriptions": [subscription()]}, {"MonitorArn": MONITOR_ARN}
    )
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor()]}, {})
    stub.add_response(
        "get_anomaly_subscriptions", {"AnomalySubscriptions": [subscription()]}, {"MonitorArn": MONITOR_ARN}
    )
    stub.add_response("delete_anomaly_subscription", {}, {"SubscriptionArn": SUB_ARN})
    stub.add_response("delete_anomaly_monitor", {}, {"MonitorArn": MONITOR_ARN})
    stub.activate()
    check = run_module(mod, {"name": "s", "state": "absent", "region": "us-east-1"}, check_mode=True)
    assert check["changes"] == ["deleted subscription s-alerts", "deleted monitor s"]
    gone = run_module(mod, {"name": "s", "state": "absent", "region": "us-east-1"})
    assert gone["changes"] == check["changes"]


def test_a_changed_tag_expression_replaces_the_monitor(stub, run_module):
    other = {"Tags": {"Key": "wordpress_aws:stack", "Values": ["old"], "MatchOptions": ["EQUALS"]}}
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor(other)]}, {})
    stub.add_response(
        "get_anomaly_subscriptions", {"AnomalySubscriptions": [subscription()]}, {"MonitorArn": MONITOR_ARN}
    )
    stub.activate()
    result = run_module(mod, ARGS, check_mode=True)
    assert (
        result["changes"][0].startswith("replaced monitor s")
        and result["changes"][1] == "created subscription s-alerts"
    )


def test_threshold_must_be_positive(run_module):
    result = run_module(mod, {**ARGS, "threshold_usd": 0})
    assert result["failed"] and "threshold_usd 0 must be above 0" in result["msg"]


def test_a_lost_create_answer_adopts_the_monitor_and_never_makes_a_second_one(stub, run_module, monkeypatch):
    """CreateAnomalyMonitor has no token and no conflict: after a lost answer (500) the monitor is looked up by
    name and adopted; CreateAnomalyMonitor is sent once (a second call would meet an empty Stubber queue)."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": []}, {})
    stub.add_client_error("create_anomaly_monitor", "InternalFailure", http_status_code=500)
    stub.add_response("get_anomaly_monitors", {"AnomalyMonitors": [monitor()]}, {})  # the lookup by name
    stub.add_client_error("create_anomaly_subscription", "InternalFailure", http_status_code=500)
    stub.add_response("get_anomaly_subscriptions", {"AnomalySubscriptions": []}, {"MonitorArn": MONITOR_ARN})
    stub.add_response("create_anomaly_subscription", {"SubscriptionArn": SUB_ARN})  # not applied: created again
    result = run_module(mod, ARGS)
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changes"] == ["created monitor s", "created subscription s-alerts"]
    assert result["monitor_arn"] == MONITOR_ARN
