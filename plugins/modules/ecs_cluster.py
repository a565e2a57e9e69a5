#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecs_cluster
short_description: Manage a tagged ECS cluster with Container Insights and capacity providers
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes an ECS cluster with its Container Insights setting, its capacity providers,
    its default capacity provider strategy and its tags.
  - M(community.aws.ecs_cluster) can set none of the tags or settings, so a cluster it builds cannot be
    found by tag, audited or costed per stack.
  - An unset option leaves that part of the cluster alone.
options:
  name:
    description: The cluster name.
    type: str
    required: true
  container_insights:
    description: Container Insights for the cluster's tasks and services.
    type: str
    choices: [enabled, enhanced, disabled]
  capacity_providers:
    description: The capacity providers the cluster may use, for example V(FARGATE) and V(FARGATE_SPOT).
    type: list
    elements: str
  default_capacity_provider_strategy:
    description: The strategy for tasks and services that do not name one. Needs O(capacity_providers).
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: The capacity provider.
        type: str
        required: true
      weight:
        description: Relative share of tasks beyond the bases.
        type: int
        default: 0
      base:
        description: Tasks that run on this provider first (one provider only may have a base).
        type: int
        default: 0
"""

EXAMPLES = r"""
- name: Fargate cluster, one on-demand task then three Spot for each on-demand
  techblogpro.wordpress_aws.ecs_cluster:
    name: techblog-prod
    container_insights: enabled
    capacity_providers: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      - {capacity_provider: FARGATE, base: 1, weight: 1}
      - {capacity_provider: FARGATE_SPOT, weight: 3}
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created) or V(deleted), else the paths of RV(cluster) that changed - settings, capacity providers,
    tags.
  returned: always
  type: list
  elements: str
  sample: [tags]
cluster:
  description: The cluster as ECS describes it (empty when absent); tags as a dict.
  returned: always
  type: dict
  contains:
    cluster_arn:
      description: The ARN.
      type: str
    cluster_name:
      description: The name.
      type: str
    status:
      description: V(ACTIVE) when usable.
      type: str
    settings:
      description: The settings (C(containerInsights)).
      type: list
      elements: dict
    capacity_providers:
      description: The capacity providers.
      type: list
      elements: str
    default_capacity_provider_strategy:
      description: The default strategy.
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of

_KEEP = ("clusterArn", "clusterName", "status", "settings", "capacityProviders", "defaultCapacityProviderStrategy")


def _result(cluster):
    return resource_view(cluster, "tags", keep=_KEEP)


def _insights(cluster):
    return {s["name"]: s["value"] for s in cluster.get("settings") or []}.get("containerInsights", "disabled")


def present(module, client, current):
    p = module.params
    strategy = ecs.strategy_api(p["default_capacity_provider_strategy"])
    settings = [{"name": "containerInsights", "value": p["container_insights"]}] if p["container_insights"] else []
    if current is None:
        after = {
            "clusterName": p["name"],
            "status": "ACTIVE",
            "settings": settings,
            "capacityProviders": p["capacity_providers"] or [],
            "defaultCapacityProviderStrategy": strategy,
            "tags": tagging.ecs_tags(p["tags"] or {}),
        }
        if not module.check_mode:
            ecs.create_cluster(client, p["name"], settings, p["capacity_providers"] or [], strategy, p["tags"] or {})
            after = ecs.describe_cluster(client, p["name"])
        return True, after
    after = dict(current)
    changed = False
    if p["container_insights"] and _insights(current) != p["container_insights"]:
        changed = True
        after["settings"] = settings
        if not module.check_mode:
            ecs.update_cluster_settings(client, p["name"], settings)
    if p["capacity_providers"] is not None:
        want_strategy = (
            strategy
            if p["default_capacity_provider_strategy"] is not None
            else current.get("defaultCapacityProviderStrategy", [])
        )
        if sorted(current.get("capacityProviders") or []) != sorted(p["capacity_providers"]) or not ecs.same_strategy(
            current.get("defaultCapacityProviderStrategy"), want_strategy
        ):
            changed = True
            after["capacityProviders"] = p["capacity_providers"]
            after["defaultCapacityProviderStrategy"] = want_strategy
            if not module.check_mode:
                ecs.put_capacity_providers(client, p["name"], p["capacity_providers"], want_strategy)
    have_tags = tagging.tags_of(current, "tags")
    to_add, to_remove = tagging.tag_changes(p["tags"], have_tags, p["purge_tags"])
    if to_add or to_remove:
        changed = True
        after["tags"] = tagging.ecs_tags({k: v for k, v in {**have_tags, **to_add}.items() if k not in to_remove})
        if not module.check_mode:
            tagging.set_tags(client, current["clusterArn"], to_add, to_remove)
    if changed and not module.check_mode:
        after = ecs.describe_cluster(client, p["name"])
    return changed, after


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            container_insights=dict(type="str", choices=["enabled", "enhanced", "disabled"]),
            capacity_providers=dict(type="list", elements="str"),
            default_capacity_provider_strategy=list_of(**ecs.STRATEGY_OPTIONS),
            **common_options(),
        ),
        required_by={"default_capacity_provider_strategy": ["capacity_providers"]},
        supports_check_mode=True,
    )
    p = module.params
    for item in p["default_capacity_provider_strategy"] or []:
        if item["capacity_provider"] not in p["capacity_providers"]:
            module.fail_json(
                msg=f"default_capacity_provider_strategy names {item['capacity_provider']}, "
                f"which is not in capacity_providers {p['capacity_providers']}"
            )
    client = module.client("ecs")
    with aws_errors(module, f"manage ECS cluster {p['name']}"):
        current = ecs.describe_cluster(client, p["name"])
        if p["state"] == "absent":
            changed, after = current is not None, None
            if changed and not module.check_mode:
                ecs.delete_cluster(client, p["name"])
        else:
            changed, after = present(module, client, current)
    view_before, view_after = _result(current), _result(after)
    exit_result(module, "cluster", view_before, view_after, change_list(view_before, view_after, changed))


if __name__ == "__main__":
    main()
