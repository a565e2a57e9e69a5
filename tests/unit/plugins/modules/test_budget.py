"""budget: the stack's cost budget against moto; the calls moto lacks (UpdateBudget, the subscriber calls) against
Stubber."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import budget

TOPIC = "arn:aws:sns:eu-west-3:123456789012:s-alerts"


ARGS = {
    "name": "s",
    "limit_usd": 120,
    "cost_filters": {"TagKeyValue": ["user:wordpress_aws:stack$s"]},
    "notifications": [{"type": "ACTUAL", "threshold_percent": 80}, {"type": "FORECASTED", "threshold_percent": 100}],
    "sns_topic_arn": TOPIC,
    "emails": ["finance@example.com"],
    # moto has no DescribeSubscribersForNotification: the subscriber sync is Stubber-tested below
    "compare_subscribers": False,
}


def test_budget_lifecycle(aws, run_module):
    client = aws("budgets")
    check = run_module(budget, ARGS, check_mode=True)
    assert check["changes"] == ["created"] and client.describe_budgets(AccountId="123456789012").get("Budgets") in (
        None,
        [],
    )
    first = run_module(budget, ARGS)
    assert first["changes"] == ["created"]
    stored = client.describe_budget(AccountId="123456789012", BudgetName="s")["Budget"]
    assert stored["BudgetLimit"]["Amount"] in ("120.00", "120.0", "120")
    assert stored["CostFilters"] == {"TagKeyValue": ["user:wordpress_aws:stack$s"]}
    notes = client.describe_notifications_for_budget(AccountId="123456789012", BudgetName="s")["Notifications"]
    assert sorted((n["NotificationType"], n["Threshold"]) for n in notes) == [("ACTUAL", 80.0), ("FORECASTED", 100.0)]
    again = run_module(budget, ARGS)
    assert again["changed"] is False, again["changes"]
    assert again["budget"]["notifications"] == ["ACTUAL > 80%", "FORECASTED > 100%"]
    fewer = run_module(budget, {**ARGS, "notifications": [{"type": "ACTUAL", "threshold_percent": 90}]})
    assert fewer["changes"] == [
        "removed notification ACTUAL > 80%",
        "removed notification FORECASTED > 100%",
        "added notification ACTUAL > 90%",
    ]
    gone = run_module(budget, {"name": "s", "state": "absent"})
    assert gone["changes"] == ["deleted"]
    assert run_module(budget, {"name": "s", "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    "change, message",
    [
        ({"limit_usd": -5}, "limit_usd -5 must be above 0"),
        ({"emails": ["finance@"]}, "'finance@' is not an email address"),
        ({"notifications": [{"type": "ACTUAL", "threshold_percent": 0}]}, "threshold_percent 0 must be above 0"),
    ],
)
def test_bad_input_is_refused_before_any_call(run_module, monkeypatch, change, message):
    calls = []
    monkeypatch.setattr(WordPressAWSModule, "client", lambda self, *a, **k: calls.append(a) or None)
    result = run_module(budget, {**ARGS, **change})
    assert result["failed"] and message in result["msg"] and calls == []


def test_limit_change_uses_update_budget_and_subscribers_are_synced(run_module, stubbed):
    stub, sts_stub = stubbed("budgets", "us-east-1"), stubbed("sts", "us-east-1")
    sts_stub.add_response(
        "get_caller_identity", {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root", "UserId": "x"}
    )
    note = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
        "ThresholdType": "PERCENTAGE",
    }
    current = {
        "BudgetName": "s",
        "BudgetType": "COST",
        "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": "100.0", "Unit": "USD"},
        "CostFilters": {"TagKeyValue": ["user:wordpress_aws:stack$s"]},
    }
    stub.add_response("describe_budget", {"Budget": current}, {"AccountId": "123456789012", "BudgetName": "s"})
    stub.add_response(
        "describe_notifications_for_budget", {"Notifications": [note]}, {"AccountId": "123456789012", "BudgetName": "s"}
    )
    new = {**current, "BudgetLimit": {"Amount": "120.00", "Unit": "USD"}}
    stub.add_response("update_budget", {}, {"AccountId": "123456789012", "NewBudget": new})
    stub.add_response(
        "describe_subscribers_for_notification",
        {
            "Subscribers": [
                {"SubscriptionType": "EMAIL", "Address": "old@example.com"},
                {"SubscriptionType": "SNS", "Address": TOPIC},
            ]
        },
        {"AccountId": "123456789012", "BudgetName": "s", "Notification": note},
    )
    base = {"AccountId": "123456789012", "BudgetName": "s", "Notification": note}
    stub.add_response(
        "delete_subscriber", {}, {**base, "Subscriber": {"SubscriptionType": "EMAIL", "Address": "old@example.com"}}
    )
    stub.add_response(
        "create_subscriber", {}, {**base, "Subscriber": {"SubscriptionType": "EMAIL", "Address": "finance@example.com"}}
    )
    args = {**ARGS, "notifications": [{"type": "ACTUAL", "threshold_percent": 80}], "compare_subscribers": True}
    result = run_module(budget, args)
    stub.assert_no_pending_responses()
    assert result["changes"] == [
        "updated limit",
        "ACTUAL > 80%: removed email subscriber old@example.com",
        "ACTUAL > 80%: added email subscriber finance@example.com",
    ]


@pytest.mark.parametrize(
    "answer",
    [("InternalErrorException", 500), ("DuplicateRecordException", 400)],
    ids=["the-500-itself", "the-conflict-botocore's-resend-meets"],
)
def test_a_lost_create_answer_adopts_the_budget_the_first_attempt_made(run_module, stubbed, monkeypatch, answer):
    """CreateBudget has no token: after a lost answer the budget is found and adopted, never created again."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub, sts_stub = stubbed("budgets", "us-east-1"), stubbed("sts", "us-east-1")
    sts_stub.add_response(
        "get_caller_identity", {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root", "UserId": "x"}
    )
    by_name = {"AccountId": "123456789012", "BudgetName": "s"}
    made = {
        "BudgetName": "s",
        "BudgetType": "COST",
        "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": "120.0", "Unit": "USD"},
    }
    stub.add_client_error("describe_budget", "NotFoundException", expected_params=by_name)
    stub.add_client_error("create_budget", answer[0], http_status_code=answer[1])
    stub.add_response("describe_budget", {"Budget": made}, by_name)
    args = {"name": "s", "limit_usd": 120, "emails": ["finance@example.com"], "compare_subscribers": False}
    result = run_module(budget, {**args, "notifications": [{"type": "ACTUAL", "threshold_percent": 80}]})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["changes"] == ["created"]


def test_a_lost_create_notification_answer_is_not_a_failure(run_module, stubbed, monkeypatch):
    """CreateNotification answered DuplicateRecordException after a lost answer: the notification is there."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub, sts_stub = stubbed("budgets", "us-east-1"), stubbed("sts", "us-east-1")
    sts_stub.add_response(
        "get_caller_identity", {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root", "UserId": "x"}
    )
    by_name = {"AccountId": "123456789012", "BudgetName": "s"}
    current = {
        "BudgetName": "s",
        "BudgetType": "COST",
        "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": "120.0", "Unit": "USD"},
    }
    note = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0,
            "ThresholdType": "PERCENTAGE"}  # fmt: skip
    stub.add_response("describe_budget", {"Budget": current}, by_name)
    stub.add_response("describe_notifications_for_budget", {"Notifications": []}, by_name)
    stub.add_client_error("create_notification", "DuplicateRecordException")
    stub.add_response("describe_notifications_for_budget", {"Notifications": [note]}, by_name)
    args = {"name": "s", "limit_usd": 120, "emails": ["finance@example.com"], "compare_subscribers": False}
    result = run_module(budget, {**args, "notifications": [{"type": "ACTUAL", "threshold_percent": 80}]})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changes"] == ["added notification ACTUAL > 80%"]
