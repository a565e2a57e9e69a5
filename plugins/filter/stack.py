# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the stack contract (tags, shared input checks, the teardown guard) and the network's subnet plan."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import stack
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import vpc


def _rds_bootstrap_deferral(instance):
    """``rds_db_instance``'s db_instance -> why the bootstrap Lambda waits ('' when it may run)."""
    return rds.bootstrap_deferral(dict(instance or {}))


def _vpc_subnet_plan(cidr, azs, subnet_newbits=4):
    try:
        return vpc.vpc_subnet_plan(cidr, list(azs), subnet_newbits)
    except ValueError as err:
        raise AnsibleFilterError(f"vpc_subnet_plan: {err}") from err


def _vpc_subnets(cidr, azs, subnet_newbits, stack_name):
    try:
        return vpc.vpc_subnets(cidr, list(azs), subnet_newbits, stack_name)
    except ValueError as err:
        raise AnsibleFilterError(f"vpc_subnets: {err}") from err


class FilterModule:
    def filters(self):
        return {
            # the module_utils functions themselves: a filter's arguments are theirs
            "stack_tags": stack.stack_tags,
            "stack_input_errors": stack.stack_input_errors,
            "teardown_errors": stack.teardown_errors,
            # the data tier's sizing rules against the AZs the network really has (its discover step)
            "rds_input_errors": rds.rds_input_errors,
            "rds_bootstrap_deferral": _rds_bootstrap_deferral,
            "vpc_subnet_plan": _vpc_subnet_plan,
            "vpc_subnets": _vpc_subnets,
        }
