# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""names(): every derived name of a stack, spelled once."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.names import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import names


def test_the_names_the_tiers_build_on_keep_their_deployed_values():
    n = names.names("wp-prod")
    assert n["kms_alias"] == "alias/wordpress-aws/wp-prod"
    assert n["edge_kms_alias"] == "alias/wordpress-aws/wp-prod/edge"
    assert n["iam_path"] == "/wordpress-aws/wp-prod/"
    assert n["alert_topic"] == "wp-prod-alerts"
    assert n["edge_alert_topic"] == "wp-prod-alerts-edge"
    assert n["alb"] == "wp-prod-alb"
    assert n["target_group"] == "wp-prod-wordpress"
    assert n["cluster"] == "wp-prod"
    assert n["service"] == "wp-prod-wordpress"
    assert n["db_instance"] == "wp-prod-db"
    assert n["db_replica"] == "wp-prod-db-replica"
    assert n["uploads"] == "wp-prod-uploads"
    assert n["app_log_group"] == "/wordpress-aws/wp-prod/wordpress"
    assert n["flow_logs_group"] == "/wordpress-aws/wp-prod/vpc-flow-logs"
    assert n["edge_waf_log_group"] == "aws-waf-logs-wp-prod-edge"
    assert n["caller_reference"] == "wordpress-aws-wp-prod"
    assert n["global_region"] == "us-east-1"
    assert n["budget"] == n["dashboard"] == "wp-prod"


def test_security_groups_are_listed_in_dependency_order():
    groups = names.names("wp")["security_groups"]
    assert list(groups) == ["lambda", "alb", "app", "efs", "db", "endpoints"]
    assert groups["db"] == "wp-db"


def test_every_name_carries_the_stack_name():
    n = names.names("abc")
    flat = [v for k, v in n.items() if k not in ("security_groups", "global_region")]
    flat += list(n["security_groups"].values())
    assert all("abc" in value for value in flat)


def test_names_of_two_stacks_never_collide():
    a, b = names.names("one"), names.names("two")
    for key in a:
        if key != "global_region":
            assert a[key] != b[key], key


def test_resource_names_fit_the_tightest_aws_limit_for_the_longest_stack_name():
    # stack names are at most 20 characters (stack.STACK_NAME_RE); ALB and target group names at most 32
    n = names.names("a" * 20)
    assert len(n["alb"]) <= 32
    assert len(n["target_group"]) <= 32


def test_the_filter_returns_the_same_dict_and_refuses_an_empty_stack_name():
    stack_names = FilterModule().filters()["stack_names"]
    assert stack_names("wp") == names.names("wp")
    with pytest.raises(AnsibleFilterError, match="stack_names"):
        stack_names("")
