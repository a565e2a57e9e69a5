"""Unit tests of the rds_parameter_group module (split out of tests/unit/test_rds_parameter_group.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_parameter_group as pg
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_parameter_group

TAGS = {"wordpress_aws:stack": "blog"}


ARGS = {
    "name": "blog-mysql80",
    "family": "mysql8.0",
    "description": "WordPress",
    "parameters": {"slow_query_log": 1, "long_query_time": "1", "log_output": "FILE"},
    "tags": TAGS,
}


def _user_values(client, name="blog-mysql80"):
    return {
        p["ParameterName"]: p["ParameterValue"]
        for p in client.describe_db_parameters(DBParameterGroupName=name)["Parameters"]
    }


def test_create_converge_and_check_mode(aws, run_module):
    client = aws("rds")
    planned = run_module(rds_parameter_group, ARGS, check_mode=True)
    assert planned["changed"] is True
    assert planned["parameter_group"]["parameters"]["slow_query_log"] == "1"
    assert pg.describe_group(client, "blog-mysql80") is None

    created = run_module(rds_parameter_group, ARGS)
    assert created["changed"] is True
    assert _user_values(client) == {"slow_query_log": "1", "long_query_time": "1", "log_output": "FILE"}
    assert created["parameter_group"]["tags"] == TAGS
    assert run_module(rds_parameter_group, ARGS)["changed"] is False
    assert run_module(rds_parameter_group, ARGS, check_mode=True)["changed"] is False


def test_a_changed_value_is_applied_and_diffed(aws, run_module):
    client = aws("rds")
    run_module(rds_parameter_group, ARGS)
    args = {**ARGS, "parameters": {**ARGS["parameters"], "long_query_time": 2}}
    result = run_module(rds_parameter_group, args)
    assert result["changed"] is True
    assert result["changes"] == ["long_query_time = 2 (pending-reboot)"]
    assert result["parameter_changes"] == [
        {"ParameterName": "long_query_time", "ParameterValue": "2", "ApplyMethod": "pending-reboot"}
    ]
    assert result["diff"]["before"]["parameters"]["long_query_time"] == "1"
    assert _user_values(client)["long_query_time"] == "2"


def test_family_cannot_change(aws, run_module):
    run_module(rds_parameter_group, ARGS)
    result = run_module(rds_parameter_group, {**ARGS, "family": "mysql5.7"})
    assert result["failed"] and "cannot change a group's family" in result["msg"]


def test_family_needed_to_create(aws, run_module):
    result = run_module(rds_parameter_group, {"name": "x", "parameters": {}})
    assert result["failed"] and "family is required" in result["msg"]


def test_absent(aws, run_module):
    run_module(rds_parameter_group, ARGS)
    assert run_module(rds_parameter_group, {"name": ARGS["name"], "state": "absent"})["changed"] is True
    assert pg.describe_group(aws("rds"), ARGS["name"]) is None
    assert run_module(rds_parameter_group, {"name": ARGS["name"], "state": "absent"})["changed"] is False


def test_purge_resets_parameters_no_longer_asked_for(aws, run_module, stubbed):
    """ResetDBParameterGroup is not emulated: the purge runs against botocore's Stubber."""
    arn = "arn:aws:rds:eu-west-3:123456789012:pg:blog-mysql80"
    group = {
        "DBParameterGroupName": "blog-mysql80",
        "DBParameterGroupFamily": "mysql8.0",
        "Description": "d",
        "DBParameterGroupArn": arn,
    }
    params = [
        {"ParameterName": "slow_query_log", "ParameterValue": "1", "ApplyType": "dynamic", "Source": "user"},
        {"ParameterName": "max_connections", "ParameterValue": "500", "ApplyType": "dynamic", "Source": "user"},
        {"ParameterName": "autocommit", "ApplyType": "dynamic", "Source": "engine-default"},
    ]
    stub = stubbed("rds")
    stub.add_response(
        "describe_db_parameter_groups", {"DBParameterGroups": [group]}, {"DBParameterGroupName": "blog-mysql80"}
    )
    stub.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "wordpress_aws:stack", "Value": "blog"}]}, {"ResourceName": arn}
    )
    stub.add_response("describe_db_parameters", {"Parameters": params}, {"DBParameterGroupName": "blog-mysql80"})
    stub.add_response(
        "reset_db_parameter_group",
        {"DBParameterGroupName": "blog-mysql80"},
        {
            "DBParameterGroupName": "blog-mysql80",
            "ResetAllParameters": False,
            "Parameters": [{"ParameterName": "max_connections", "ApplyMethod": "immediate"}],
        },
    )
    stub.add_response(
        "describe_db_parameter_groups", {"DBParameterGroups": [group]}, {"DBParameterGroupName": "blog-mysql80"}
    )
    stub.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "wordpress_aws:stack", "Value": "blog"}]}, {"ResourceName": arn}
    )
    stub.add_response("describe_db_parameters", {"Parameters": params[:1]}, {"DBParameterGroupName": "blog-mysql80"})
    result = run_module(
        rds_parameter_group,
        {
            "name": "blog-mysql80",
            "family": "mysql8.0",
            "parameters": {"slow_query_log": 1},
            "purge_parameters": True,
            "tags": TAGS,
        },
    )
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["parameter_changes"] == [{"ParameterName": "max_connections", "ApplyMethod": "immediate"}]
    assert "reset max_connections (immediate)" in result["changes"]


def test_a_lost_create_answer_adopts_the_group_the_first_attempt_made(run_module, stubbed, monkeypatch):
    """CreateDBParameterGroup has no token: 500 (applied), then AlreadyExists on the retry -> the group is adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    arn = "arn:aws:rds:eu-west-3:123456789012:pg:blog-mysql80"
    group = {
        "DBParameterGroupName": "blog-mysql80",
        "DBParameterGroupFamily": "mysql8.0",
        "Description": "WordPress",
        "DBParameterGroupArn": arn,
    }
    by_name = {"DBParameterGroupName": "blog-mysql80"}
    create = {
        **by_name,
        "DBParameterGroupFamily": "mysql8.0",
        "Description": "WordPress",
        "Tags": [{"Key": "wordpress_aws:stack", "Value": "blog"}],
    }
    tags = {"TagList": [{"Key": "wordpress_aws:stack", "Value": "blog"}]}
    stub = stubbed("rds")
    stub.add_client_error("describe_db_parameter_groups", "DBParameterGroupNotFound", expected_params=by_name)
    stub.add_client_error("create_db_parameter_group", "InternalFailure", http_status_code=500, expected_params=create)
    stub.add_client_error("create_db_parameter_group", "DBParameterGroupAlreadyExists", expected_params=create)
    for attempt in range(3):  # the adoption's find, the describe after the create, the describe after the converge
        stub.add_response("describe_db_parameter_groups", {"DBParameterGroups": [group]}, by_name)
        stub.add_response("list_tags_for_resource", tags, {"ResourceName": arn})
        if attempt > 0:
            stub.add_response("describe_db_parameters", {"Parameters": []}, by_name)
    result = run_module(rds_parameter_group, {**ARGS, "parameters": {}})
    stub.assert_no_pending_responses()
    assert result.get("failed") is not True, result
    assert result["changed"] is True
    assert result["changes"] == ["created"]
    assert result["parameter_group"]["arn"] == arn
