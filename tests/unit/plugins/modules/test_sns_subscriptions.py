"""Unit tests of the sns_subscriptions module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import sns_subscriptions

WEBHOOK = "https://hooks.chat.example/services/T000/B000/very-secret-token"


def test_subscriptions_converge_purge_and_never_print_a_webhook(aws, run_module):
    sns = aws("sns")
    topic = sns.create_topic(Name="s-alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:eu-west-3:123456789012:q")  # not ours
    args = {"topic_arn": topic, "emails": ["Ops@example.com"], "https_endpoints": [WEBHOOK]}
    check = run_module(sns_subscriptions, args, check_mode=True)
    assert check["changed"] and len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1
    first = run_module(sns_subscriptions, args)
    assert first["changed"] and first["count"] == 2
    assert "very-secret-token" not in repr(first)
    assert "subscribed https://hooks.chat.example/..." in first["changes"]
    endpoints = {s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    assert {"ops@example.com", WEBHOOK} <= {e.lower() if "@" in e else e for e in endpoints}
    again = run_module(sns_subscriptions, {**args, "emails": ["ops@example.com"]})  # case does not matter
    assert again["changed"] is False, again
    fewer = run_module(sns_subscriptions, {**args, "https_endpoints": []})
    assert fewer["changes"] == ["unsubscribed https://hooks.chat.example/..."]
    protocols = sorted(s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"])
    assert protocols == ["email", "sqs"]  # the queue is not ours to remove
    gone = run_module(sns_subscriptions, {"topic_arn": topic, "state": "absent"})
    assert gone["changes"] == ["unsubscribed ops@example.com"]
    missing = run_module(sns_subscriptions, {"topic_arn": topic + "-gone", "state": "absent"})
    assert missing["changed"] is False
    refused = run_module(sns_subscriptions, {"topic_arn": topic + "-gone", "emails": ["a@example.com"]})
    assert refused["failed"] and "does not exist" in refused["msg"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"emails": ["not-an-address"]}, "not an email address"),
        ({"https_endpoints": ["http://hooks.example/x"]}, "not an https:// URL"),
    ],
)
def test_subscriptions_refuse_bad_receivers_before_any_call(run_module, stubbed, args, message):
    stub = stubbed("sns")
    result = run_module(sns_subscriptions, {"topic_arn": "arn:aws:sns:eu-west-3:1:t", **args})
    assert result["failed"] and message in result["msg"]
    stub.assert_no_pending_responses()


def test_pending_email_counts_as_present_and_is_not_unsubscribed(run_module, stubbed):
    stub = stubbed("sns")
    topic = "arn:aws:sns:eu-west-3:123456789012:s-alerts"
    pending = [
        {"Protocol": "email", "Endpoint": "a@example.com", "SubscriptionArn": "PendingConfirmation"},
        {"Protocol": "email", "Endpoint": "old@example.com", "SubscriptionArn": "PendingConfirmation"},
    ]
    stub.add_response("list_subscriptions_by_topic", {"Subscriptions": pending}, {"TopicArn": topic})
    result = run_module(sns_subscriptions, {"topic_arn": topic, "emails": ["a@example.com"]})
    stub.assert_no_pending_responses()  # no subscribe, no unsubscribe
    assert result["changed"] is False and result["pending"] == ["a@example.com"]
    assert any("old@example.com" in w and "confirmation" in w for w in result.get("warnings", []))
