# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters over the tiers' Python homes (plugins/module_utils/tiers/): each tier's input rules and plan, the
per-environment profiles, and the cost plan built from the published tier plans."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import cost_guard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import ecs_wordpress
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds


def _tier(tier):
    try:
        return tiers.module(str(tier))
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from err


def _tier_errors(inputs, tier):
    """``inputs | tier_errors('vpc')``: the errors in the tier's inputs, each naming its variable."""
    _tier(tier)
    return tiers.errors(str(tier), dict(inputs or {}))


def _tier_plan(inputs, tier):
    """``inputs | tier_plan('vpc')``: the tier's plan (``errors``, and its derived values when there are none)."""
    _tier(tier)
    return tiers.plan(str(tier), dict(inputs or {}))


def _tier_profile(environment, tier):
    """``wordpress_aws_environment | tier_profile('vpc')``: the tier's defaults for that environment."""
    _tier(tier)
    return tiers.profile(str(tier), str(environment))


def _cost_plan_errors(plans):
    """``wordpress_aws_tier_plans | cost_plan_errors``: each tier whose plan is missing or wrong, named."""
    return cost_guard.plan_errors(dict(plans or {}))


def _cost_plan(plans):
    """``wordpress_aws_tier_plans | cost_plan``: what cost_estimate prices, from the tier plans only."""
    plans = dict(plans or {})
    found = cost_guard.plan_errors(plans)
    if found:
        raise AnsibleFilterError("; ".join(found))
    return cost_guard.cost_config(plans)


def _day_capacity(plans):
    """``wordpress_aws_tier_plans | day_capacity``: the application tier's min_count and max_count, the capacity the
    business-hours schedule restores each morning; fails naming the tier when its plan is missing or wrong."""
    try:
        return cost_guard.day_capacity(dict(plans or {}))
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from err


def _ecr_cached_image(image, account, region, prefix):
    """``ecs_wordpress_image | ecr_cached_image(account, region, prefix)``: the reference the tasks pull the image by
    through the stack's ECR pull-through cache rule of ECR Public."""
    try:
        return ecs_wordpress.cached_image(str(image), str(account), str(region), str(prefix))
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from err


def _rds_max_connections(instance_class):
    """``'db.m7g.large' | rds_max_connections``: the class's default max_connections (0 for an unknown class)."""
    return rds.max_connections(str(instance_class))


class FilterModule:
    def filters(self):
        return {
            "tier_errors": _tier_errors,
            "tier_plan": _tier_plan,
            "tier_profile": _tier_profile,
            "cost_plan_errors": _cost_plan_errors,
            "cost_plan": _cost_plan,
            "day_capacity": _day_capacity,
            "rds_max_connections": _rds_max_connections,
            "ecr_cached_image": _ecr_cached_image,
        }
