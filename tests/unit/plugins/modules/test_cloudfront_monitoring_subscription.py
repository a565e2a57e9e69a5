"""cloudfront_monitoring_subscription and its info module against botocore's Stubber (the emulator answers 404 to
the monitoring subscription API: reported "not emulated locally")."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_monitoring_subscription as module
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import (
    cloudfront_monitoring_subscription_info as info,
)

GLOBAL = "us-east-1"
ID = "E2ABCDEF123456"
ARGS = {"distribution_id": ID, "region": GLOBAL}


def _answer(status):
    return {
        "MonitoringSubscription": {"RealtimeMetricsSubscriptionConfig": {"RealtimeMetricsSubscriptionStatus": status}}
    }


def _create(stub, status="Enabled"):
    stub.add_response(
        "create_monitoring_subscription",
        _answer(status),
        {
            "DistributionId": ID,
            "MonitoringSubscription": {
                "RealtimeMetricsSubscriptionConfig": {"RealtimeMetricsSubscriptionStatus": status}
            },
        },
    )


def _none(stub, code="NoSuchMonitoringSubscription", status=404):
    stub.add_client_error("get_monitoring_subscription", code, "none", status, expected_params={"DistributionId": ID})


def test_a_distribution_without_additional_metrics_gets_them_once(stubbed, run_module):
    stub = stubbed("cloudfront", GLOBAL)
    _none(stub)
    _create(stub)
    created = run_module(module, ARGS)
    assert created["changed"] is True and created["changes"] == ["created"]
    assert created["monitoring_subscription"] == {"distribution_id": ID, "status": "Enabled"}
    assert created["diff"]["before"] == {}
    stub.add_response("get_monitoring_subscription", _answer("Enabled"), {"DistributionId": ID})
    again = run_module(module, ARGS)
    assert again["changed"] is False and again["changes"] == []
    stub.assert_no_pending_responses()


def test_check_mode_reports_the_subscription_and_writes_nothing(stubbed, run_module):
    stub = stubbed("cloudfront", GLOBAL)
    _none(stub)  # no create queued: a write would fail the Stubber
    result = run_module(module, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == {"distribution_id": ID, "status": "Enabled"}
    stub.assert_no_pending_responses()


def test_a_disabled_subscription_is_enabled(stubbed, run_module):
    stub = stubbed("cloudfront", GLOBAL)
    stub.add_response("get_monitoring_subscription", _answer("Disabled"), {"DistributionId": ID})
    _create(stub)
    result = run_module(module, ARGS)
    assert result["changed"] is True and result["changes"] == ["status Disabled -> Enabled"]
    assert result["monitoring_subscription"]["status"] == "Enabled"
    stub.assert_no_pending_responses()


def test_absent_removes_the_subscription_and_a_gone_distribution_is_absent(stubbed, run_module):
    stub = stubbed("cloudfront", GLOBAL)
    stub.add_response("get_monitoring_subscription", _answer("Enabled"), {"DistributionId": ID})
    stub.add_response("delete_monitoring_subscription", {}, {"DistributionId": ID})
    removed = run_module(module, {**ARGS, "state": "absent"})
    assert removed["changed"] is True and removed["changes"] == ["deleted"]
    assert removed["monitoring_subscription"] == {}
    _none(stub, "NoSuchDistribution")
    gone = run_module(module, {**ARGS, "state": "absent"})
    assert gone["changed"] is False
    stub.assert_no_pending_responses()


def test_present_on_a_missing_distribution_fails_naming_it(stubbed, run_module):
    stub = stubbed("cloudfront", GLOBAL)
    _none(stub, "NoSuchDistribution")
    result = run_module(module, ARGS)
    assert result["failed"] is True
    assert f"monitoring subscription of distribution {ID}" in result["msg"]
    stub.assert_no_pending_responses()


@pytest.mark.parametrize(("answer", "on"), [(_answer("Enabled"), True), (_answer("Disabled"), False), (None, False)])
def test_info_says_whether_the_additional_metrics_are_on(stubbed, run_module, answer, on):
    stub = stubbed("cloudfront", GLOBAL)
    if answer is None:
        _none(stub)
    else:
        stub.add_response("get_monitoring_subscription", answer, {"DistributionId": ID})
    result = run_module(info, ARGS, check_mode=True)
    assert result["changed"] is False
    assert result["additional_metrics"] is on
    stub.assert_no_pending_responses()
