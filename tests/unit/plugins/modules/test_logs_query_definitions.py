"""Unit tests of the logs_query_definitions module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import logs_query_definitions

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
def test_saved_queries_are_written_only_when_they_differ(run_module, stubbed, existing, expect):
    """PutQueryDefinition is not emulated: Stubber."""
    stub = stubbed("logs")
    stale = {"queryDefinitionId": "q9", "name": "wordpress-aws/s/retired", "queryString": "x", "logGroupNames": []}
    stub.add_response(
        "describe_query_definitions",
        {"queryDefinitions": [*existing, stale]},
        {"queryDefinitionNamePrefix": "wordpress-aws/s/", "maxResults": 1000},
    )
    if expect:
        request = {"name": QUERY["name"], "queryString": QUERY["query"], "logGroupNames": ["/g"], "clientToken": ANY}
        if expect == "updated":
            request["queryDefinitionId"] = "q1"
        stub.add_response("put_query_definition", {"queryDefinitionId": "q1"}, request)
    stub.add_response("delete_query_definition", {"success": True}, {"queryDefinitionId": "q9"})
    result = run_module(logs_query_definitions, {"prefix": "wordpress-aws/s/", "definitions": [QUERY]})
    stub.assert_no_pending_responses()
    written = {"created": [f"created {QUERY['name']}"], "updated": [f"updated {QUERY['name']} (query)"], None: []}
    assert result["changes"] == [*written[expect], "deleted wordpress-aws/s/retired"]


def test_saved_query_names_outside_the_prefix_are_refused(run_module, stubbed):
    stubbed("logs")  # any call would fail: none is queued
    result = run_module(logs_query_definitions, {"prefix": "wordpress-aws/s/", "definitions": [{**QUERY, "name": "x"}]})
    assert result["failed"] and "must start with" in result["msg"]


def test_a_lost_put_answer_resends_one_token_and_makes_no_second_query(run_module, stubbed, monkeypatch):
    """PutQueryDefinition without an id creates, with a clientToken made once for all its retries. A lost answer
    that survives them (Logs' 503, which AWSRetry does not retry) is followed by a lookup by name: the query is
    adopted and not put again."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("logs")
    sent = []
    stub.client.meta.events.register(
        "before-parameter-build.cloudwatch-logs.PutQueryDefinition", lambda params, **_kw: sent.append(dict(params))
    )
    stub.add_response("describe_query_definitions", {"queryDefinitions": []})
    stub.add_client_error("put_query_definition", "ServiceUnavailableException", http_status_code=503)
    stub.add_response("describe_query_definitions", {"queryDefinitions": [{"queryDefinitionId": "q1", **{
        "name": QUERY["name"], "queryString": QUERY["query"], "logGroupNames": ["/g"]}}]})  # fmt: skip
    result = run_module(logs_query_definitions, {"prefix": "wordpress-aws/s/", "definitions": [QUERY]})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changes"] == [f"created {QUERY['name']}"]
    assert len(sent) == 1 and sent[0]["clientToken"]
