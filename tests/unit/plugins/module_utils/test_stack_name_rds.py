"""The shared stack-name rule refuses what RDS identifiers refuse."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import stack


@pytest.mark.parametrize("name", ["tech--blog", "a--b", "blog---x"])
def test_two_consecutive_hyphens_are_refused_naming_the_variable(name):
    errors = stack.stack_input_errors(name, "local", "eu-west-3")
    assert errors == [
        f"wordpress_aws_stack_name {name!r} must not contain two consecutive hyphens: RDS identifiers built from "
        "it (DB instance, parameter and subnet groups, snapshots) refuse them"
    ]


@pytest.mark.parametrize("name", ["techblog-", "-techblog"])
def test_a_leading_or_trailing_hyphen_is_refused(name):
    assert stack.stack_input_errors(name, "local", "eu-west-3")[0].startswith(f"wordpress_aws_stack_name {name!r}")


def test_single_hyphens_are_fine():
    assert stack.stack_input_errors("tech-blog-prod", "local", "eu-west-3") == []


def test_production_efs_runs_in_elastic_throughput_and_the_others_in_bursting():
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers

    modes = {env: tiers.profile("ecs_wordpress", env)["efs_throughput_mode"] for env in stack.ENVIRONMENTS}
    assert modes == {"local": "bursting", "dev": "bursting", "staging": "bursting", "production": "elastic"}
