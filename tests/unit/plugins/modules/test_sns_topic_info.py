"""sns_topic_info against moto: the topic's ARN by name, nothing when it is missing, never a subscription."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import sns_topic_info

WEBHOOK = "https://hooks.chat.example/services/T000/B000/very-secret-token"


def test_the_topic_is_found_by_its_name_among_others(aws, run_module):
    sns = aws("sns")
    sns.create_topic(Name="s-alerts-edge")
    sns.create_topic(Name="other-s-alerts")
    arn = sns.create_topic(Name="s-alerts")["TopicArn"]
    result = run_module(sns_topic_info, {"name": "s-alerts"})
    assert result["changed"] is False and not result.get("failed")
    assert result["topic_arn"] == arn


def test_a_missing_topic_gives_an_empty_arn_and_no_error(aws, run_module):
    aws("sns").create_topic(Name="s-alerts-edge")
    result = run_module(sns_topic_info, {"name": "s-alerts"})
    assert result["changed"] is False and not result.get("failed")
    assert result["topic_arn"] == ""


def test_check_mode_reads_the_same_and_writes_nothing(aws, run_module):
    sns = aws("sns")
    arn = sns.create_topic(Name="s-alerts")["TopicArn"]
    topics = sns.list_topics()["Topics"]
    result = run_module(sns_topic_info, {"name": "s-alerts"}, check_mode=True)
    assert result["changed"] is False and result["topic_arn"] == arn
    assert sns.list_topics()["Topics"] == topics


def test_subscriptions_are_never_read_nor_returned(aws, run_module, stubbed):
    sns = aws("sns")
    arn = sns.create_topic(Name="s-alerts")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="https", Endpoint=WEBHOOK)
    result = run_module(sns_topic_info, {"name": "s-alerts"})
    assert "very-secret-token" not in json.dumps(result)
    # Only ListTopics is answered: a call that reads subscriptions would fail the run.
    stub = stubbed("sns")
    stub.add_response("list_topics", {"Topics": [{"TopicArn": arn}]}, {})
    stubbed_result = run_module(sns_topic_info, {"name": "s-alerts"})
    stub.assert_no_pending_responses()
    assert not stubbed_result.get("failed") and stubbed_result["topic_arn"] == arn


def test_an_api_error_fails_naming_the_topic(run_module, stubbed):
    stubbed("sns").add_client_error("list_topics", "AuthorizationError", "not allowed", 403)
    result = run_module(sns_topic_info, {"name": "s-alerts"})
    assert result["failed"] and "s-alerts" in result["msg"]
