"""compare.contains/differences: one argument order (desired, actual) and one scalar rule."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import contains
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import differences


@pytest.mark.parametrize(
    ("desired", "actual"),
    [
        ("80", 80),
        (80, "80"),
        (1.5, "1.50"),
        ("", None),
        (None, ""),
        (None, []),
        ("", {}),
        (True, True),
        ("abc", "abc"),
    ],
)
def test_scalars_the_rule_calls_equal_are_contained(desired, actual):
    assert contains(desired, actual)


@pytest.mark.parametrize(
    ("desired", "actual"),
    [
        ("80", 81),
        (True, "true"),
        (True, 1),
        (1, True),
        ("x", None),
        (0, None),
        ("80", "080 "),
        ("abc", "ABC"),
    ],
)
def test_scalars_the_rule_calls_different_are_not_contained(desired, actual):
    assert not contains(desired, actual)


def test_keys_only_the_service_adds_do_not_count_but_missing_and_different_ones_do():
    desired = {"portMappings": [{"containerPort": 80}], "name": "wordpress"}
    actual = {"portMappings": [{"containerPort": "80", "hostPort": 80}], "name": "wordpress", "cpu": 0}
    assert contains(desired, actual)
    superset, subset = actual, desired
    assert not contains(superset, subset)
    assert not contains({"a": [1, 2]}, {"a": [1]})
    assert not contains({"a": [1, 2]}, {"a": [2, 1]})


def test_differences_names_nested_paths_in_the_order_of_desired():
    desired = {"A": {"B": 1, "C": "x"}, "D": [1], "E": None}
    actual = {"A": {"B": "1", "C": "y"}, "D": [2], "E": ""}
    assert differences(desired, actual) == ["A.C", "D"]
    assert differences(desired, None) == ["A", "D"]


def test_change_list_names_creation_deletion_and_the_paths_that_differ():
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list

    assert change_list({"a": 1}, {"a": 2}, False) == []
    assert change_list({}, {"a": 1}, True) == ["created"]
    assert change_list({"a": 1}, {}, True) == ["deleted"]
    assert change_list({"a": 1, "t": {"x": "1"}}, {"a": 1, "t": {"x": "2"}}, True) == ["t.x"]
    assert change_list({"a": 1}, {"a": 1}, True) == ["updated"]
