# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the stack contract (tags, shared input checks, the teardown guard) and the network's subnet plan."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import stack
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import vpc


def _stack_tags(stack_name, environment, project="", cost_centre="", extra=None):
    return stack.stack_tags(stack_name, environment, project, cost_centre, extra)


def _stack_input_errors(stack_name, environment, region, extra_tags=None):
    return stack.stack_input_errors(stack_name, environment, region, extra_tags)


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
    """The data tier's sizing rules against the AZs the network really has (its discover step)."""
    return rds.rds_input_errors(
        instance_class,
        retention_days,
        multi_az,
        az_count,
        storage_gib,
        max_storage_gib,
        engine_version,
        replica_enabled,
    )


def _rds_bootstrap_deferral(instance):
    """``rds_db_instance``'s db_instance -> why the bootstrap Lambda waits ('' when it may run)."""
    return rds.bootstrap_deferral(dict(instance or {}))


def _vpc_subnet_plan(cidr, azs, subnet_newbits=4):
    try:
        return vpc.vpc_subnet_plan(cidr, list(azs), subnet_newbits)
    except ValueError as err:
        raise AnsibleFilterError(f"vpc_subnet_plan: {err}") from err


class FilterModule:
    def filters(self):
        return {
            "stack_tags": _stack_tags,
            "stack_input_errors": _stack_input_errors,
            "teardown_errors": _teardown_errors,
            "rds_input_errors": _rds_input_errors,
            "rds_bootstrap_deferral": _rds_bootstrap_deferral,
            "vpc_subnet_plan": _vpc_subnet_plan,
        }
