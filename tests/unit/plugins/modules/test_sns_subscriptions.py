"""The monitoring tier's modules: subscriptions, log retention and RDS events against moto; saved queries and the
RDS calls moto lacks against Stubber (not emulated)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_dashboard_info
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_log_retention
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import logs_query_definitions
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_event_subscription
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import sns_subscriptions

WEBHOOK = "https://hooks.chat.example/services/T000/B000/very-secret-token"


def stubbed(monkeypatch, service):
    client = boto3.client(service, region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b")
    stub = Stubber(client)
    monkeypatch.setattr(WordPressAWSModule, "client", lambda self, *a, **k: client)
    return stub


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
    assert "https://hooks.chat.example/..." in first["subscribed"]
    endpoints = {s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    assert {"ops@example.com", WEBHOOK} <= {e.lower() if "@" in e else e for e in endpoints}
    again = run_module(sns_subscriptions, {**args, "emails": ["ops@example.com"]})  # case does not matter
    assert again["changed"] is False, again
    fewer = run_module(sns_subscriptions, {**args, "https_endpoints": []})
    assert fewer["unsubscribed"] == ["https://hooks.chat.example/..."]
    protocols = sorted(s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"])
    assert protocols == ["email", "sqs"]  # the queue is not ours to remove
    gone = run_module(sns_subscriptions, {"topic_arn": topic, "state": "absent"})
    assert gone["unsubscribed"] == ["ops@example.com"]
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
def test_subscriptions_refuse_bad_receivers_before_any_call(run_module, monkeypatch, args, message):
    stub = stubbed(monkeypatch, "sns")
    stub.activate()
    result = run_module(sns_subscriptions, {"topic_arn": "arn:aws:sns:eu-west-3:1:t", **args})
    assert result["failed"] and message in result["msg"]
    stub.assert_no_pending_responses()


def test_pending_email_counts_as_present_and_is_not_unsubscribed(run_module, monkeypatch):
    stub = stubbed(monkeypatch, "sns")
    topic = "arn:aws:sns:eu-west-3:123456789012:s-alerts"
    pending = [
        {"Protocol": "email", "Endpoint": "a@example.com", "SubscriptionArn": "PendingConfirmation"},
        {"Protocol": "email", "Endpoint": "old@example.com", "SubscriptionArn": "PendingConfirmation"},
    ]
    stub.add_response("list_subscriptions_by_topic", {"Subscriptions": pending}, {"TopicArn": topic})
    stub.activate()
    result = run_module(sns_subscriptions, {"topic_arn": topic, "emails": ["a@example.com"]})
    stub.assert_no_pending_responses()  # no subscribe, no unsubscribe
    assert result["changed"] is False and result["pending"] == ["a@example.com"]
    assert any("old@example.com" in w and "confirmation" in w for w in result.get("warnings", []))


def test_log_retention_reaches_groups_without_one_and_leaves_chosen_ones(aws, run_module):
    logs = aws("logs")
    for name in ("/aws/lambda/s-db-bootstrap", "/wordpress-aws/s/wordpress", "/aws/lambda/s-other-stack-fn"):
        logs.create_log_group(logGroupName=name)
    logs.put_retention_policy(logGroupName="/wordpress-aws/s/wordpress", retentionInDays=14)
    args = {"prefixes": ["/wordpress-aws/s/", "/aws/lambda/s-db-bootstrap"], "retention_days": 7}
    check = run_module(cloudwatch_log_retention, args, check_mode=True)
    assert check["updated"] == {"/aws/lambda/s-db-bootstrap": None}
    first = run_module(cloudwatch_log_retention, args)
    assert first["changed"] and first["groups"] == {"/aws/lambda/s-db-bootstrap": 7, "/wordpress-aws/s/wordpress": 14}
    kept = {g["logGroupName"]: g.get("retentionInDays") for g in logs.describe_log_groups()["logGroups"]}
    assert kept == {
        "/aws/lambda/s-db-bootstrap": 7,
        "/wordpress-aws/s/wordpress": 14,
        "/aws/lambda/s-other-stack-fn": None,
    }
    assert run_module(cloudwatch_log_retention, args)["changed"] is False
    capped = run_module(cloudwatch_log_retention, {**args, "max_days": 7})
    assert capped["updated"] == {"/wordpress-aws/s/wordpress": 14}
    for bad, message in (({"retention_days": 10}, "not a retention"), ({"prefixes": [""]}, "empty prefix")):
        result = run_module(cloudwatch_log_retention, {**args, **bad})
        assert result["failed"] and message in result["msg"]


def test_rds_event_subscription_lifecycle(aws, run_module):
    rds = aws("rds")
    topic = aws("sns").create_topic(Name="s-alerts")["TopicArn"]
    args = {
        "name": "s-db-events",
        "sns_topic_arn": topic,
        "source_ids": ["s-db"],
        "event_categories": ["failover", "low storage", "maintenance"],
        "tags": {"wordpress_aws:stack": "s"},
    }
    check = run_module(rds_event_subscription, args, check_mode=True)
    assert check["changed"] and rds.describe_event_subscriptions()["EventSubscriptionsList"] == []
    first = run_module(rds_event_subscription, args)
    assert first["changed"] and first["subscription"]["source_ids"] == ["s-db"]
    stored = rds.describe_event_subscriptions(SubscriptionName="s-db-events")["EventSubscriptionsList"][0]
    assert stored["Enabled"] is True and sorted(stored["EventCategoriesList"]) == sorted(args["event_categories"])
    assert run_module(rds_event_subscription, args)["changed"] is False
    gone = run_module(rds_event_subscription, {"name": "s-db-events", "state": "absent"})
    assert gone["changed"] and rds.describe_event_subscriptions()["EventSubscriptionsList"] == []
    assert run_module(rds_event_subscription, {"name": "s-db-events", "state": "absent"})["changed"] is False


def test_rds_event_subscription_update_uses_modify_and_source_calls(run_module, monkeypatch):
    """ModifyEventSubscription and the source identifier calls are not emulated: Stubber."""
    stub = stubbed(monkeypatch, "rds")
    arn = "arn:aws:rds:eu-west-3:123456789012:es:s-db-events"
    current = {
        "CustSubscriptionId": "s-db-events",
        "EventSubscriptionArn": arn,
        "SnsTopicArn": "arn:aws:sns:eu-west-3:123456789012:s-alerts",
        "SourceType": "db-instance",
        "SourceIdsList": ["s-db", "s-db-old-replica"],
        "EventCategoriesList": ["failover"],
        "Enabled": True,
        "Status": "active",
    }
    stub.add_response(
        "describe_event_subscriptions", {"EventSubscriptionsList": [current]}, {"SubscriptionName": "s-db-events"}
    )
    stub.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "wordpress_aws:stack", "Value": "s"}]}, {"ResourceName": arn}
    )
    stub.add_response(
        "modify_event_subscription",
        {},
        {"SubscriptionName": "s-db-events", "EventCategories": ["failover", "maintenance"]},
    )
    stub.add_response(
        "add_source_identifier_to_subscription",
        {},
        {"SubscriptionName": "s-db-events", "SourceIdentifier": "s-db-replica"},
    )
    stub.add_response(
        "remove_source_identifier_from_subscription",
        {},
        {"SubscriptionName": "s-db-events", "SourceIdentifier": "s-db-old-replica"},
    )
    after = {**current, "SourceIdsList": ["s-db", "s-db-replica"], "EventCategoriesList": ["failover", "maintenance"]}
    stub.add_response(
        "describe_event_subscriptions", {"EventSubscriptionsList": [after]}, {"SubscriptionName": "s-db-events"}
    )
    stub.activate()
    result = run_module(
        rds_event_subscription,
        {
            "name": "s-db-events",
            "sns_topic_arn": current["SnsTopicArn"],
            "source_ids": ["s-db", "s-db-replica"],
            "event_categories": ["maintenance", "failover"],
            "tags": {"wordpress_aws:stack": "s"},
        },
    )
    stub.assert_no_pending_responses()
    assert result["changed"] and result["changes"] == [
        "EventCategories",
        "add source s-db-replica",
        "remove source s-db-old-replica",
    ]
    assert result["subscription"]["source_ids"] == ["s-db", "s-db-replica"]


QUERY = {"name": "wordpress-aws/s/db-errors", "query": "fields @message | limit 5", "log_groups": ["/g"]}


@pytest.mark.parametrize(
    "existing, expect",
    [
        ([], "created"),
        (
            [{"queryDefinitionId": "q1", "name": QUERY["name"], "queryString": "old", "logGroupNames": ["/g"]}],
            "updated",
        ),
        (
            [
                {
                    "queryDefinitionId": "q1",
                    "name": QUERY["name"],
                    "queryString": QUERY["query"],
                    "logGroupNames": ["/g"],
                }
            ],
            None,
        ),
    ],
)
def test_saved_queries_are_written_only_when_they_differ(run_module, monkeypatch, existing, expect):
    """PutQueryDefinition is not emulated: Stubber."""
    stub = stubbed(monkeypatch, "logs")
    stale = {"queryDefinitionId": "q9", "name": "wordpress-aws/s/retired", "queryString": "x", "logGroupNames": []}
    stub.add_response(
        "describe_query_definitions",
        {"queryDefinitions": [*existing, stale]},
        {"queryDefinitionNamePrefix": "wordpress-aws/s/", "maxResults": 1000},
    )
    if expect:
        request = {"name": QUERY["name"], "queryString": QUERY["query"], "logGroupNames": ["/g"]}
        if expect == "updated":
            request["queryDefinitionId"] = "q1"
        stub.add_response("put_query_definition", {"queryDefinitionId": "q1"}, request)
    stub.add_response("delete_query_definition", {"success": True}, {"queryDefinitionId": "q9"})
    stub.activate()
    result = run_module(logs_query_definitions, {"prefix": "wordpress-aws/s/", "definitions": [QUERY]})
    stub.assert_no_pending_responses()
    assert result["deleted"] == ["wordpress-aws/s/retired"]
    assert result["created"] == ([QUERY["name"]] if expect == "created" else [])
    assert result["updated"] == ([QUERY["name"]] if expect == "updated" else [])


def test_saved_query_names_outside_the_prefix_are_refused(run_module, monkeypatch):
    stub = stubbed(monkeypatch, "logs")
    stub.activate()
    result = run_module(logs_query_definitions, {"prefix": "wordpress-aws/s/", "definitions": [{**QUERY, "name": "x"}]})
    assert result["failed"] and "must start with" in result["msg"]


def test_dashboard_info_reads_the_body_or_nothing(aws, run_module):
    aws("cloudwatch").put_dashboard(
        DashboardName="s", DashboardBody='{"widgets": [{"type": "text", "properties": {}}]}'
    )
    found = run_module(cloudwatch_dashboard_info, {"name": "s"})
    assert found["dashboard"]["widgets"] == 1 and found["dashboard"]["body"]["widgets"][0]["type"] == "text"
    assert run_module(cloudwatch_dashboard_info, {"name": "other"})["dashboard"] == {}
