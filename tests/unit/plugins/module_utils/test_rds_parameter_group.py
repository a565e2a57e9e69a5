"""Unit tests of plugins/module_utils/rds_parameter_group.py (split out of tests/unit/test_rds_parameter_group.py)."""

import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_parameter_group as pg


def test_group_not_found_error_means_absent(aws):
    client = aws("rds")
    with Stubber(client) as stub:
        stub.add_client_error("describe_db_parameter_groups", service_error_code="DBParameterGroupNotFound")
        assert pg.describe_group(client, "missing") is None


def test_apply_method_follows_the_parameter_type():
    current = {
        "slow_query_log": {"value": "0", "apply_type": "dynamic"},
        "performance_schema": {"value": "0", "apply_type": "static"},
    }
    desired = {
        "slow_query_log": True,
        "performance_schema": 1,
        "innodb_print_all_deadlocks": {"value": 1, "apply_method": "immediate"},
    }
    assert pg.parameter_changes(current, desired) == [
        {"ParameterName": "innodb_print_all_deadlocks", "ParameterValue": "1", "ApplyMethod": "immediate"},
        {"ParameterName": "performance_schema", "ParameterValue": "1", "ApplyMethod": "pending-reboot"},
        {"ParameterName": "slow_query_log", "ParameterValue": "1", "ApplyMethod": "immediate"},
    ]


@pytest.mark.parametrize(("value", "text"), [(True, "1"), (False, "0"), (2, "2"), ("FILE", "FILE")])
def test_values_are_compared_as_text(value, text):
    assert pg.normalise({"p": value}) == {"p": (text, None)}
