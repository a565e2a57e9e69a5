# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the stack conventions (tags, input validation, subnet plan)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import stack


def _stack_tags(stack_name, environment, project="", cost_centre="", extra=None):
    return stack.stack_tags(stack_name, environment, project, cost_centre, extra)


def _stack_input_errors(stack_name, environment, region, extra_tags=None):
    return stack.stack_input_errors(stack_name, environment, region, extra_tags)


def _vpc_input_errors(cidr, az_count, environment, subnet_newbits=4, nat_mode="single", available_azs=None):
    return stack.vpc_input_errors(cidr, az_count, environment, subnet_newbits, nat_mode, available_azs)


def _foundation_input_errors(deletion_window_days, retention_days, schedule, copy_region, region):
    return stack.foundation_input_errors(deletion_window_days, retention_days, schedule, copy_region, region)


def _teardown_errors(stack_name, environment, confirm=""):
    return stack.teardown_errors(stack_name, environment, confirm)


def _rds_input_errors(
    instance_class,
    retention_days,
    multi_az,
    az_count,
    storage_gib,
    max_storage_gib,
    engine_version,
    replica_enabled=False,
):
    return stack.rds_input_errors(
        instance_class,
        retention_days,
        multi_az,
        az_count,
        storage_gib,
        max_storage_gib,
        engine_version,
        replica_enabled,
    )


def _ecs_input_errors(inputs, resource_prefix=""):
    return stack.ecs_input_errors(dict(inputs), resource_prefix)


def _vpc_subnet_plan(cidr, azs, subnet_newbits=4):
    try:
        return stack.vpc_subnet_plan(cidr, list(azs), subnet_newbits)
    except ValueError as err:
        raise AnsibleFilterError(f"vpc_subnet_plan: {err}") from err


class FilterModule:
    def filters(self):
        return {
            "stack_tags": _stack_tags,
            "stack_input_errors": _stack_input_errors,
            "vpc_input_errors": _vpc_input_errors,
            "foundation_input_errors": _foundation_input_errors,
            "teardown_errors": _teardown_errors,
            "rds_input_errors": _rds_input_errors,
            "vpc_subnet_plan": _vpc_subnet_plan,
            "ecs_input_errors": _ecs_input_errors,
        }
