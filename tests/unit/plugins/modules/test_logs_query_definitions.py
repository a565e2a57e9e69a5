"""Unit tests of the logs_query_definitions module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

import pytest

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
        request = {"name": QUERY["name"], "queryString": QUERY["query"], "logGroupNames": ["/g"]}
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
