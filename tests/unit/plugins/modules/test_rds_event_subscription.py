"""Unit tests of the rds_event_subscription module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_event_subscription


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


def test_rds_event_subscription_update_uses_modify_and_source_calls(run_module, stubbed):
    """ModifyEventSubscription and the source identifier calls are not emulated: Stubber."""
    stub = stubbed("rds")
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


def test_a_lost_create_answer_adopts_the_subscription_the_first_attempt_made(run_module, stubbed, monkeypatch):
    """CreateEventSubscription has no token: 500 (applied), then SubscriptionAlreadyExist on the retry -> adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("rds")
    by_name = {"SubscriptionName": "s-db-events"}
    made = {
        "CustSubscriptionId": "s-db-events",
        "EventSubscriptionArn": "arn:aws:rds:eu-west-3:123456789012:es:s-db-events",
        "SnsTopicArn": "arn:aws:sns:eu-west-3:123456789012:s-alerts",
        "SourceType": "db-instance",
        "Enabled": True,
        "Status": "creating",
    }
    stub.add_client_error("describe_event_subscriptions", "SubscriptionNotFound", expected_params=by_name)
    stub.add_client_error("create_event_subscription", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_event_subscription", "SubscriptionAlreadyExist")
    stub.add_response("describe_event_subscriptions", {"EventSubscriptionsList": [made]}, by_name)
    result = run_module(rds_event_subscription, {"name": "s-db-events", "sns_topic_arn": made["SnsTopicArn"]})
    stub.assert_no_pending_responses()
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["subscription"]["arn"] == made["EventSubscriptionArn"]
